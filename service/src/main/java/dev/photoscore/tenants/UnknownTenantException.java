package dev.photoscore.tenants;

/**
 * An operation named a client id the tenants table does not hold: a mistyped id given to an administration
 * command, or metering for a tenant that was never authenticated (a programming error, 500 if it reaches the API).
 */
public final class UnknownTenantException extends RuntimeException {

    private final String clientId;

    public UnknownTenantException(String clientId) {
        super("no tenant with client id " + clientId);
        this.clientId = clientId;
    }

    public String clientId() {
        return clientId;
    }
}
