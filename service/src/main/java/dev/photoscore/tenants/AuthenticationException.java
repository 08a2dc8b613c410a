package dev.photoscore.tenants;

/**
 * Credentials were refused. Unknown client id and wrong secret share one reason so that the answer does not tell
 * which client ids exist.
 */
public final class AuthenticationException extends RuntimeException {

    /** Why credentials were refused, with the status the API answers. */
    public enum Reason {
        /** No credentials, an unknown client id or a wrong secret: 401 Unauthorized. */
        INVALID_CREDENTIALS(401, "invalid credentials"),
        /** Valid credentials of a disabled tenant: 403 Forbidden. */
        TENANT_DISABLED(403, "tenant disabled");

        private final int httpStatus;
        private final String message;

        Reason(int httpStatus, String message) {
            this.httpStatus = httpStatus;
            this.message = message;
        }

        public int httpStatus() {
            return httpStatus;
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

    /** The status the API answers with: 401 or 403. */
    public int httpStatus() {
        return reason.httpStatus();
    }
}
