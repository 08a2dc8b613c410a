package dev.photoscore.http;

import dev.photoscore.api.ApiException;
import dev.photoscore.api.QualityApi;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The first step of every request: its id, the header-count limit, then its whole body, read as it arrives without
 * holding a thread, within the size limit and at the minimum rate. Only a request whose body is all here goes on to
 * the queue and a worker (the next handler), so slow clients occupy neither; a body over the limit is read and dropped
 * (up to {@value #DRAIN_BYTES} bytes) before the 413, so that a client still sending sees the answer rather than a
 * reset connection.
 */
final class RequestBodies extends Handler.Wrapper {

    /** How much of a body over the limit is read and dropped before the 413; past it the connection is closed. */
    static final long DRAIN_BYTES = 64L * 1024 * 1024;
    private static final String BODY = RequestBodies.class.getName() + ".body";
    private static final long MB = 1024 * 1024;

    private final ServerSettings settings;
    private final QualityApi api;

    RequestBodies(ServerSettings settings, QualityApi api, Handler next) {
        super(next);
        this.settings = settings;
        this.api = api;
    }

    /** The body read for a request that reached the next handler. */
    static byte[] body(Request request) {
        return (byte[]) request.getAttribute(BODY);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String requestId = Answers.assignRequestId(request, response);
        if (request.getHeaders().size() > settings.maxHeaderCount()) {
            refuse(response, callback, requestId, 431, "the request has more than " + settings.maxHeaderCount()
                    + " header fields");
            return true;
        }
        long declared = request.getLength();
        if (declared > settings.maxBodyBytes() + DRAIN_BYTES) {
            refuse(response, callback, requestId, 413, tooLarge());
            return true;
        }
        new Reader(request, response, callback, requestId, declared).run();
        return true;
    }

    private String tooLarge() {
        return "the request body is larger than " + settings.maxBodyBytes() / MB + " MB";
    }

    private void refuse(Response response, Callback callback, String requestId, int status, String message) {
        Answers.write(response, callback, api.refuse(requestId, new ApiException(status, message)));
    }

    /** Reads one body, chunk by chunk as Jetty has them; runs again on each demand. */
    private final class Reader implements Runnable {
        private final Request request;
        private final Response response;
        private final Callback callback;
        private final String requestId;
        private final long start = System.nanoTime();
        private final ByteArrayOutputStream body;
        private long received;

        Reader(Request request, Response response, Callback callback, String requestId, long declared) {
            this.request = request;
            this.response = response;
            this.callback = callback;
            this.requestId = requestId;
            this.body = new ByteArrayOutputStream((int) Math.max(0, Math.min(declared, settings.maxBodyBytes())));
        }

        @Override
        public void run() {
            while (true) {
                Content.Chunk chunk = request.read();
                if (chunk == null) {
                    request.demand(this);
                    return;
                }
                if (Content.Chunk.isFailure(chunk)) {
                    failed(chunk.getFailure());
                    return;
                }
                ByteBuffer bytes = chunk.getByteBuffer();
                received += bytes.remaining();
                if (received <= settings.maxBodyBytes()) {
                    byte[] copy = new byte[bytes.remaining()];
                    bytes.get(copy);
                    body.writeBytes(copy);
                }
                boolean last = chunk.isLast();
                chunk.release();
                if (received > settings.maxBodyBytes() + DRAIN_BYTES
                        || (last && received > settings.maxBodyBytes())) {
                    refuse(response, callback, requestId, 413, tooLarge());
                    return;
                }
                if (last) {
                    complete();
                    return;
                }
                if (tooSlow()) {
                    refuse(response, callback, requestId, 408, "the request body arrived slower than "
                            + settings.minBodyRate() / 1024 + " KB a second");
                    return;
                }
            }
        }

        /** Below the minimum rate once the grace has passed: checked at each arrival; silence is the idle timeout's. */
        private boolean tooSlow() {
            double counted = (System.nanoTime() - start - settings.bodyGrace().toNanos()) / 1e9;
            return counted > 0 && received < settings.minBodyRate() * counted;
        }

        /** The whole body: on to the queue, on a thread of the pool (this may be the thread reading the network). */
        private void complete() {
            request.setAttribute(BODY, body.toByteArray());
            request.getComponents().getThreadPool().execute(() -> {
                try {
                    if (!RequestBodies.super.handle(request, response, callback)) {
                        Response.writeError(request, response, callback, 404);
                    }
                } catch (Throwable e) {
                    Response.writeError(request, response, callback, e);
                }
            });
        }

        /** The body stopped: silent past the idle timeout (408), or the connection failed (nothing to answer on). */
        private void failed(Throwable failure) {
            if (failure instanceof TimeoutException) {
                refuse(response, callback, requestId, 408, "the request body stopped arriving");
            } else {
                callback.failed(failure);
            }
        }
    }
}
