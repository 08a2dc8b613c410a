package dev.photoscore.fetch;

import java.util.OptionalInt;

/**
 * Why fetching an image by URL failed. The message is written for the API caller: it says what went wrong with
 * their URL and never names internal addresses, so the API may return it as is.
 */
public final class FetchException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** What failed. */
    public enum Reason {
        /** The URL is malformed, not http(s), carries credentials, or its host is not a valid name or address. */
        INVALID_URL,
        /** The host name does not resolve. */
        DNS_FAILURE,
        /** The URL (or a redirect) leads to an address that is not public: loopback, private, link-local, ... */
        ADDRESS_REFUSED,
        /** The origin answered with an HTTP status other than 2xx or a followed redirect. */
        ORIGIN_STATUS,
        /** The origin redirected without a Location, or to one that is malformed or not http(s). */
        BAD_REDIRECT,
        /** The origin redirected more often than allowed. */
        TOO_MANY_REDIRECTS,
        /** The body is larger than the configured limit (declared by Content-Length or counted while reading). */
        TOO_LARGE,
        /** Connecting, TLS, or the exchange with the origin failed. */
        CONNECTION_FAILED,
        /** The fetch did not finish within the connect or total timeout. */
        TIMEOUT,
        /** The body is not a JPEG or PNG image (judged by its first bytes, never by Content-Type). */
        NOT_AN_IMAGE
    }

    private final Reason reason;
    private final int originStatus;

    FetchException(Reason reason, String message) {
        this(reason, message, null);
    }

    FetchException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
        this.originStatus = -1;
    }

    private FetchException(int originStatus) {
        super("the URL answered HTTP " + originStatus);
        this.reason = Reason.ORIGIN_STATUS;
        this.originStatus = originStatus;
    }

    /** The origin answered {@code status}, which is neither success nor a redirect we follow. */
    static FetchException forOriginStatus(int status) {
        return new FetchException(status);
    }

    public Reason reason() {
        return reason;
    }

    /** The status the origin answered, for {@link Reason#ORIGIN_STATUS}; empty otherwise. */
    public OptionalInt originStatus() {
        return originStatus < 0 ? OptionalInt.empty() : OptionalInt.of(originStatus);
    }
}
