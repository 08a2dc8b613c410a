package dev.photoscore.tenants;

import java.util.Objects;

/**
 * A client id with its secret, as handed out once when a tenant is created or its secret rotated. The system
 * keeps only a hash of the secret: nobody can show it again. {@link #toString()} leaves the secret out, so that
 * logging the credentials does not leak it.
 */
public record ClientCredentials(String clientId, String clientSecret) {

    public ClientCredentials {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(clientSecret, "clientSecret");
    }

    /** New credentials: a random client id and a 256-bit random secret, as every created tenant gets. */
    public static ClientCredentials generate() {
        return new ClientCredentials(ClientSecrets.newClientId(), ClientSecrets.newSecret());
    }

    @Override
    public String toString() {
        return "ClientCredentials[clientId=" + clientId + ", clientSecret=(hidden)]";
    }
}
