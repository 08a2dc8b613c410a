package dev.photoscore.http;

import dev.photoscore.api.ApiException;
import dev.photoscore.api.ApiResponse;
import dev.photoscore.api.QualityApi;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.UUID;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The server's own refusals in the API's shape: {@code {"status": "error", "message": "..."}} with the request id, as
 * {@link QualityApi#refuse} writes them, and logged as it logs them. Two ways in: a request Jetty could not parse
 * (a bad request line: 400; headers over the size limit: 431), answered before any handler, and an error written
 * by a handler of Jetty's (the queue full or the server stopping: 503 with {@code Retry-After}; an unexpected
 * failure: 500).
 */
final class JsonErrors extends ErrorHandler {

    /** What a client refused for want of room is told to wait, in seconds. */
    static final String RETRY_AFTER_SECONDS = "1";

    private final QualityApi api;
    private final ServerSettings settings;

    JsonErrors(QualityApi api, ServerSettings settings) {
        this.api = api;
        this.settings = settings;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        int status = request.getAttribute(ERROR_STATUS) instanceof Integer code ? code : 500;
        ApiResponse answer = answer(Answers.requestId(request), status,
                request.getAttribute(ERROR_MESSAGE) instanceof String text ? text : null);
        Answers.write(response, callback, answer);
        return true;
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        ApiResponse answer = answer(UUID.randomUUID().toString(), status, reason);
        answer.headers().forEach(fields::put);
        return ByteBuffer.wrap(answer.body());
    }

    private ApiResponse answer(String requestId, int status, String detail) {
        return api.refuse(requestId, new ApiException(status, message(status, detail),
                status == HttpStatus.SERVICE_UNAVAILABLE_503 ? Map.of("Retry-After", RETRY_AFTER_SECONDS) : Map.of()));
    }

    /** The client's message: what to change or do; Jetty's own words only where they say more than the status. */
    private String message(int status, String detail) {
        return switch (status) {
            case HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE_431 -> "the request line and headers are larger than "
                    + settings.maxHeaderBytes() / 1024 + " KB";
            case HttpStatus.SERVICE_UNAVAILABLE_503 -> "the service is busy (or stopping); retry shortly";
            case HttpStatus.INTERNAL_SERVER_ERROR_500 -> "internal error";
            default -> detail == null || detail.isBlank() ? HttpStatus.getMessage(status)
                    : "the request is malformed: " + detail;
        };
    }
}
