package dev.photoscore.tenants;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Client ids, client secrets and the salted hashes the tenants table keeps instead of the secrets.
 *
 * <p>Why a salted HMAC-SHA256 and not bcrypt, scrypt or Argon2: slow password hashes exist to make guessing
 * low-entropy, human-chosen passwords expensive. Our secrets are never chosen by people: each is 256 bits from
 * {@link SecureRandom}, so recovering one from its hash means searching 2^256 candidates however fast a single
 * hash is. A fast hash therefore costs an attacker nothing extra and saves every API request tens of milliseconds
 * of CPU. The per-secret random salt (the HMAC key) still keeps equal secrets from having equal hashes and rules
 * out precomputed tables. Hashes are compared in constant time ({@link MessageDigest#isEqual}).
 *
 * <p>A stored hash reads {@code hmac-sha256$<salt>$<mac>} (both base64), naming its scheme so that a later
 * scheme can be introduced next to it.
 */
final class ClientSecrets {

    private static final String SCHEME = "hmac-sha256";
    private static final String HMAC = "HmacSHA256";
    private static final int SECRET_BYTES = 32;
    private static final int SALT_BYTES = 16;
    private static final int CLIENT_ID_BYTES = 10;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder URL_SAFE = Base64.getUrlEncoder().withoutPadding();

    private ClientSecrets() {
    }

    /** A new client id: 20 lowercase hex digits (80 random bits; ids are public, random only to be unguessable). */
    static String newClientId() {
        return HexFormat.of().formatHex(randomBytes(CLIENT_ID_BYTES));
    }

    /** A new secret: 256 random bits as 43 characters of URL-safe base64. */
    static String newSecret() {
        return URL_SAFE.encodeToString(randomBytes(SECRET_BYTES));
    }

    /** The salted hash to store for a secret. */
    static String hash(String secret) {
        byte[] salt = randomBytes(SALT_BYTES);
        Base64.Encoder base64 = Base64.getEncoder();
        return SCHEME + "$" + base64.encodeToString(salt) + "$" + base64.encodeToString(mac(salt, secret));
    }

    /** Whether a presented secret is the one a stored hash was made from. */
    static boolean matches(String secret, String storedHash) {
        String[] parts = storedHash.split("\\$", -1);
        if (parts.length != 3 || !parts[0].equals(SCHEME)) {
            throw new IllegalStateException("unsupported secret hash scheme in the tenants table: " + parts[0]);
        }
        Base64.Decoder base64 = Base64.getDecoder();
        return MessageDigest.isEqual(base64.decode(parts[2]), mac(base64.decode(parts[1]), secret));
    }

    private static byte[] mac(byte[] salt, String secret) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(salt, HMAC));
            return mac.doFinal(secret.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(HMAC + " is part of every Java runtime", e);
        }
    }

    private static byte[] randomBytes(int count) {
        byte[] bytes = new byte[count];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
