package dev.photoscore.api;

import dev.photoscore.fetch.ImageFetcher;
import dev.photoscore.image.PhotoLimits;
import dev.photoscore.metering.UsageSource;
import dev.photoscore.service.ScorePhoto;
import dev.photoscore.tenants.Tenant;
import dev.photoscore.uploads.PhotoUploads;
import java.util.List;
import java.util.Map;

/**
 * The photo a quality request names, read for {@link ScorePhoto}: by its URL, by the upload id of the S3 upload
 * flow, or from the request's multipart body, whose size this deployment limits ({@link #maxDirectUploadBytes}).
 */
final class RequestedPhoto {

    /** Room for the multipart framing around a photo of the largest size a request body may carry. */
    private static final long MULTIPART_FRAMING_BYTES = 64 * 1024;

    private final ImageFetcher fetcher;
    private final PhotoUploads uploads;
    private final long maxDirectUploadBytes;

    /** {@code uploads} null: the upload flow is not set up here. */
    RequestedPhoto(ImageFetcher fetcher, PhotoUploads uploads, long maxDirectUploadBytes) {
        this.fetcher = fetcher;
        this.uploads = uploads;
        this.maxDirectUploadBytes = maxDirectUploadBytes;
    }

    /** The reader of the request's one photo (exactly one of url, upload_id and a multipart 'data' part). */
    ScorePhoto.PhotoReader of(ApiRequest request, Tenant tenant) {
        return limits -> read(request, tenant, limits);
    }

    private ScorePhoto.Photo read(ApiRequest request, Tenant tenant, PhotoLimits limits) {
        List<String> urls = request.queryValues("url");
        List<String> uploadIds = request.queryValues("upload_id");
        boolean multipart = MultipartPhoto.isMultipart(request);
        int given = urls.size() + uploadIds.size() + (multipart ? 1 : 0);
        if (given != 1) {
            throw new ApiException(400, given == 0
                    ? "give the photo's url parameter (GET) or upload it as the multipart field 'data' (POST)"
                    : "give exactly one photo: the url parameter, an upload_id, or a 'data' upload, not several");
        }
        if (!urls.isEmpty()) {
            return new ScorePhoto.Photo(fetcher.fetch(urls.get(0)).bytes(), UsageSource.API_URL);
        }
        if (!uploadIds.isEmpty()) {
            if (uploads == null) {
                throw new ApiException(501, "the upload flow needs S3 and is not set up here");
            }
            return new ScorePhoto.Photo(uploads.read(tenant.clientId(), uploadIds.get(0)), UsageSource.API_UPLOAD);
        }
        long largest = Math.min(maxDirectUploadBytes, limits.maxBytesExclusive());
        if (request.body().length > largest + MULTIPART_FRAMING_BYTES) {
            throw tooLargeForDirectUpload(largest, limits);
        }
        return new ScorePhoto.Photo(MultipartPhoto.read(request, largest), UsageSource.API_UPLOAD);
    }

    private static ApiException tooLargeForDirectUpload(long largest, PhotoLimits limits) {
        return new ApiException(413, "direct uploads are limited to " + PhotoLimits.inWords(largest)
                + " here; for photos " + limits.describeSizes() + ", POST " + QualityApi.UPLOADS_PATH
                + " for an upload URL, PUT the photo there, then GET " + QualityApi.QUALITY_PATH + "?upload_id=...",
                Map.of(), "DIRECT_UPLOAD_TOO_LARGE");
    }
}
