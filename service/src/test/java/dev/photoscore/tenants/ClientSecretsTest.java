package dev.photoscore.tenants;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import org.junit.jupiter.api.Test;

class ClientSecretsTest {

    @Test
    void secretsAre256RandomBitsInUrlSafeBase64() {
        String secret = ClientSecrets.newSecret();

        assertEquals(43, secret.length());
        assertTrue(secret.matches("[A-Za-z0-9_-]+"), secret);
        assertEquals(32, Base64.getUrlDecoder().decode(secret).length);
        assertNotEquals(secret, ClientSecrets.newSecret());
    }

    @Test
    void clientIdsAreWellFormedAndDistinct() {
        String clientId = ClientSecrets.newClientId();

        assertTrue(clientId.matches("[0-9a-f]{20}"), clientId);
        assertTrue(TenantStore.isWellFormedClientId(clientId));
        assertNotEquals(clientId, ClientSecrets.newClientId());
    }

    @Test
    void aHashMatchesItsSecretOnly() {
        String secret = ClientSecrets.newSecret();
        String hash = ClientSecrets.hash(secret);

        assertTrue(ClientSecrets.matches(secret, hash));
        assertFalse(ClientSecrets.matches(ClientSecrets.newSecret(), hash));
        assertFalse(ClientSecrets.matches(secret.substring(1), hash));
        assertFalse(hash.contains(secret));
    }

    @Test
    void eachHashHasItsOwnSalt() {
        String secret = ClientSecrets.newSecret();

        String first = ClientSecrets.hash(secret);
        String second = ClientSecrets.hash(secret);

        assertNotEquals(first, second);
        assertTrue(first.startsWith("hmac-sha256$"), first);
        assertTrue(ClientSecrets.matches(secret, second));
    }

    @Test
    void anUnknownHashSchemeIsAnError() {
        assertThrows(IllegalStateException.class, () -> ClientSecrets.matches("secret", "md5$abc"));
    }
}
