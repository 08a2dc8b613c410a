package dev.photoscore.http;

import dev.photoscore.api.ApiResponse;
import dev.photoscore.api.QualityApi;
import java.nio.ByteBuffer;
import java.util.UUID;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** A request's id, given when it arrives and sent back on every answer, and how an answer goes out. */
final class Answers {

    /** The request attribute holding the id {@link #assignRequestId} gave. */
    private static final String REQUEST_ID = Answers.class.getName() + ".requestId";

    private Answers() {
    }

    /** Gives a request its id, on its answer's headers at once: whatever answers it later, the id is there. */
    static String assignRequestId(Request request, Response response) {
        String id = UUID.randomUUID().toString();
        request.setAttribute(REQUEST_ID, id);
        response.getHeaders().put(QualityApi.REQUEST_ID_HEADER, id);
        return id;
    }

    /** The id {@link #assignRequestId} gave, or a new one for a request that never got that far. */
    static String requestId(Request request) {
        return request.getAttribute(REQUEST_ID) instanceof String id ? id : UUID.randomUUID().toString();
    }

    /** Sends the answer whole, with its length; completes {@code callback} when it is written. */
    static void write(Response response, Callback callback, ApiResponse answer) {
        response.setStatus(answer.status());
        answer.headers().forEach(response.getHeaders()::put);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, answer.body().length);
        response.write(true, ByteBuffer.wrap(answer.body()), callback);
    }
}
