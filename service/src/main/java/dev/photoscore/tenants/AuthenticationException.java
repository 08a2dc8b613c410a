package dev.photoscore.tenants;

/**
 * Credentials were refused. Unknown client id and wrong secret share one reason so that the answer does not tell
 * which client ids exist.
 */
public final class AuthenticationException extends RuntimeException {

    /** Why credentials, or a tenant, were refused. */
    public enum Reason {
        /** No credentials, an unknown client id or a wrong secret. */
        INVALID_CREDENTIALS("invalid credentials"),
        /** Valid credentials of a disabled tenant (or, on the S3 flow, an upload of one). */
        TENANT_DISABLED("tenant disabled");

        private final String message;

        Reason(String message) {
            this.message = message;
        }

        public String message() {
            return message;
        }
    }

    private final Reason reason;

    public AuthenticationException(Reason reason) {
        super(reason.message());
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
