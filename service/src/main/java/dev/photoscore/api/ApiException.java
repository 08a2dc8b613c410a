package dev.photoscore.api;

import java.util.Map;

/** A request the API answers with an error: its status, the message for the client, and extra headers. */
public class ApiException extends RuntimeException {

    private final int status;
    private final Map<String, String> headers;
    private final String reason;

    public ApiException(int status, String message) {
        this(status, message, Map.of());
    }

    public ApiException(int status, String message, Map<String, String> headers) {
        this(status, message, headers, "HTTP_" + status);
    }

    /** With the refusal's code for the metrics ({@link dev.photoscore.metrics.ServiceMetrics#photoRefused}). */
    public ApiException(int status, String message, Map<String, String> headers, String reason) {
        super(message);
        this.status = status;
        this.headers = Map.copyOf(headers);
        this.reason = reason;
    }

    /** Why, as a short code from a closed set: the one given, else {@code HTTP_<status>}. */
    public String reason() {
        return reason;
    }

    public int status() {
        return status;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
