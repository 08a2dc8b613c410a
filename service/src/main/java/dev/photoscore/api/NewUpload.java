package dev.photoscore.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.photoscore.service.ScoreJson;
import dev.photoscore.tenants.Tenant;
import dev.photoscore.uploads.PhotoUploads;
import java.util.List;
import java.util.Map;

/** {@code POST /v1/uploads?size=BYTES}: a presigned URL to PUT a photo of that size to, and its upload id. */
final class NewUpload {

    private final PhotoUploads uploads;

    /** {@code uploads} null: the upload flow is not set up here (answered 501). */
    NewUpload(PhotoUploads uploads) {
        this.uploads = uploads;
    }

    ApiResponse answer(ApiRequest request, Tenant tenant) {
        if (uploads == null) {
            throw new ApiException(501, "the upload flow needs S3 and is not set up here; this service takes photos"
                    + " directly in the request");
        }
        List<String> sizes = request.queryValues("size");
        long size;
        try {
            size = sizes.size() == 1 ? Long.parseLong(sizes.get(0).trim()) : -1;
        } catch (NumberFormatException e) {
            size = -1;
        }
        if (size < 0) {
            throw new ApiException(400, "give the photo's size in bytes: POST " + QualityApi.UPLOADS_PATH
                    + "?size=BYTES");
        }
        PhotoUploads.Ticket ticket = uploads.create(tenant.clientId(), size);
        ObjectNode body = ScoreJson.object().put("status", "ok").put("upload_id", ticket.uploadId())
                .put("upload_url", ticket.url().toString()).put("method", "PUT");
        ObjectNode headers = body.putObject("headers");
        ticket.headers().forEach(headers::put);
        body.put("expires_at", ticket.expiresAt().toString());
        body.put("score_url", QualityApi.QUALITY_PATH + "?upload_id=" + ticket.uploadId());
        return new ApiResponse(200, Map.of("Content-Type", "application/json"), ScoreJson.bytes(body));
    }
}
