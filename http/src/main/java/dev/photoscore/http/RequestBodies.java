package dev.photoscore.http;

import dev.photoscore.api.ApiException;
import dev.photoscore.api.QualityApi;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The first step of every request: its id, the header-count limit, then its whole body, read as it arrives without
 * holding a thread, at the minimum rate, within the size limit and within the {@link BodyBudget} for the bodies held
 * at once. Only a request whose body is all here goes on to the queue and a worker (the next handler), so slow
 * clients occupy neither. A body refused (over the limit: 413; no room in the budget: 503) is read on and dropped, up
 * to {@value #DRAIN_BYTES} bytes, before the answer, so that a client still sending sees it rather than a reset
 * connection.
 */
final class RequestBodies extends Handler.Wrapper {

    /** How much of a refused body is read and dropped before the answer; past it the connection is closed. */
    static final long DRAIN_BYTES = 64L * 1024 * 1024;
    private static final String BODY = RequestBodies.class.getName() + ".body";
    private static final long MB = 1024 * 1024;

    private final ServerSettings settings;
    private final QualityApi api;
    private final BodyBudget budget;

    RequestBodies(ServerSettings settings, QualityApi api, Handler next) {
        super(next);
        this.settings = settings;
        this.api = api;
        this.budget = new BodyBudget(settings.bodiesInFlight());
    }

    /** The body read for a request that reached the next handler. */
    static byte[] body(Request request) {
        return (byte[]) request.getAttribute(BODY);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String requestId = Answers.assignRequestId(request, response);
        if (request.getHeaders().size() > settings.maxHeaderCount()) {
            refuse(response, callback, requestId, new ApiException(431, "the request has more than "
                    + settings.maxHeaderCount() + " header fields"));
            return true;
        }
        long declared = request.getLength();
        if (declared > settings.maxBodyBytes() + DRAIN_BYTES) {
            refuse(response, callback, requestId, tooLarge());
            return true;
        }
        new Reader(request, response, callback, requestId, declared).run();
        return true;
    }

    private ApiException tooLarge() {
        return new ApiException(413, "the request body is larger than " + settings.maxBodyBytes() / MB + " MB");
    }

    private ApiException busy() {
        return new ApiException(503, "the service is holding as many uploads as it takes at once ("
                + budget.capacity() / MB + " MB); retry shortly", Map.of("Retry-After", JsonErrors.RETRY_AFTER_SECONDS));
    }

    private void refuse(Response response, Callback callback, String requestId, ApiException refusal) {
        Answers.write(response, callback, api.refuse(requestId, refusal));
    }

    /** Reads one body, chunk by chunk as Jetty has them; runs again on each demand. */
    private final class Reader implements Runnable {
        private final Request request;
        private final Response response;
        /** The request's callback, giving back what this body took of the budget once the request is answered. */
        private final Callback callback;
        private final String requestId;
        private final long start = System.nanoTime();
        /**
         * The body as it arrives, sized for the declared length: a body that keeps to it is handed on as this very
         * array, with no copy (it grows, doubling, only for a body that declared no length).
         */
        private byte[] body;
        private int kept;
        private long received;
        /** Bytes of the budget taken: the declared length up front, or what arrives of a body that declared none. */
        private long taken;
        /** Why the body is being dropped rather than kept; null while it is kept. */
        private ApiException refusal;

        Reader(Request request, Response response, Callback answered, String requestId, long declared) {
            this.request = request;
            this.response = response;
            this.requestId = requestId;
            this.callback = new Callback.Nested(answered) {
                @Override
                public void succeeded() {
                    budget.giveBack(taken);
                    super.succeeded();
                }

                @Override
                public void failed(Throwable failure) {
                    budget.giveBack(taken);
                    super.failed(failure);
                }
            };
            long expected = Math.min(Math.max(declared, 0), settings.maxBodyBytes());
            this.body = new byte[(int) expected];
            if (budget.take(expected)) {
                taken = expected;
            } else {
                refusal = busy();
            }
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
                if (refusal == null) {
                    keep(bytes);
                }
                boolean last = chunk.isLast();
                chunk.release();
                if (last || received > settings.maxBodyBytes() + DRAIN_BYTES) {
                    finish();
                    return;
                }
                if (tooSlow()) {
                    refuse(response, callback, requestId, new ApiException(408, "the request body arrived slower"
                            + " than " + settings.minBodyRate() / 1024 + " KB a second"));
                    return;
                }
            }
        }

        /** Keeps the bytes, unless they take the body over the limit or the budget: then it is dropped from here. */
        private void keep(ByteBuffer bytes) {
            if (received > settings.maxBodyBytes()) {
                refusal = tooLarge();
            } else if (received > taken && !budget.take(received - taken)) {
                refusal = busy();
            } else {
                taken = Math.max(taken, received);
                int length = bytes.remaining();
                if (kept + length > body.length) {
                    body = Arrays.copyOf(body, (int) Math.min(settings.maxBodyBytes(),
                            Math.max((long) kept + length, 2L * body.length)));
                }
                bytes.get(body, kept, length);
                kept += length;
                return;
            }
            body = new byte[0];
            kept = 0;
        }

        /** Below the minimum rate once the grace has passed: checked at each arrival; silence is the idle timeout's. */
        private boolean tooSlow() {
            double counted = (System.nanoTime() - start - settings.bodyGrace().toNanos()) / 1e9;
            return counted > 0 && received < settings.minBodyRate() * counted;
        }

        /** The whole body: refused, or on to the queue on a thread of the pool (this may be the network's thread). */
        private void finish() {
            if (refusal != null) {
                refuse(response, callback, requestId, refusal);
                return;
            }
            request.setAttribute(BODY, kept == body.length ? body : Arrays.copyOf(body, kept));
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
                refuse(response, callback, requestId, new ApiException(408, "the request body stopped arriving"));
            } else {
                callback.failed(failure);
            }
        }
    }
}
