package dev.photoscore.http;

import dev.photoscore.api.ApiException;
import dev.photoscore.api.ApiRequest;
import dev.photoscore.api.ApiResponse;
import dev.photoscore.api.QualityApi;
import dev.photoscore.api.Routes;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The adapter itself: a request whose body {@link RequestBodies} has read becomes an {@link ApiRequest}, answered by
 * this server's own pages or else by {@link QualityApi}, and the {@link ApiResponse} is written back as it is. Runs
 * on a worker: scoring blocks it.
 */
final class ApiHandler extends Handler.Abstract {

    private final QualityApi api;
    private final Routes pages;

    ApiHandler(QualityApi api, Routes pages) {
        super(InvocationType.BLOCKING);
        this.api = api;
        this.pages = pages;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        ApiRequest apiRequest = toApiRequest(request, RequestBodies.body(request));
        Answers.write(response, callback, answer(apiRequest));
        return true;
    }

    /** This machine's pages first (the GPU service's health check), with the request id as every answer has it. */
    private ApiResponse answer(ApiRequest request) {
        try {
            return pages.answer(request)
                    .map(page -> page.withHeader(QualityApi.REQUEST_ID_HEADER, request.requestId()))
                    .orElseGet(() -> api.handle(request));
        } catch (ApiException e) {
            return api.refuse(request.requestId(), e);
        }
    }

    /** Headers by lower-case name, repeated ones joined with commas (as API Gateway does); the raw query. */
    static ApiRequest toApiRequest(Request request, byte[] body) {
        Map<String, String> headers = new TreeMap<>();
        for (HttpField field : request.getHeaders()) {
            headers.merge(field.getLowerCaseName(), field.getValue(), (first, next) -> first + "," + next);
        }
        return new ApiRequest(
                request.getMethod(),
                request.getHttpURI().getPath(),
                ApiRequest.parseQuery(request.getHttpURI().getQuery()),
                headers,
                body,
                Answers.requestId(request),
                Instant.ofEpochMilli(Request.getTimeStamp(request)),
                Request.getRemoteAddr(request));
    }
}
