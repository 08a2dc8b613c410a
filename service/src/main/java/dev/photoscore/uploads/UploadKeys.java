package dev.photoscore.uploads;

import java.util.Optional;

/**
 * Where things live in the uploads bucket: photos arrive under {@value #INCOMING} (the only prefix that triggers the
 * function), their results go to {@value #RESULTS} under the same path plus {@code .json}, and moderated photos
 * move to {@value #REJECTED}. A photo under {@code incoming/<client id>/} is the tenant's; one directly under
 * {@code incoming/} is the configured default tenant's.
 */
public final class UploadKeys {

    public static final String INCOMING = "incoming/";
    public static final String RESULTS = "results/";
    public static final String REJECTED = "rejected/";

    private UploadKeys() {
    }

    /** Whether the key is a photo under {@value #INCOMING} (not the prefix itself, not a folder marker). */
    public static boolean isIncomingPhoto(String key) {
        return key.startsWith(INCOMING) && key.length() > INCOMING.length() && !key.endsWith("/");
    }

    /** The tenant folder of an incoming key: {@code incoming/<tenant>/...}; empty directly under incoming/. */
    public static Optional<String> tenantFolder(String key) {
        String path = key.substring(INCOMING.length());
        int slash = path.indexOf('/');
        return slash < 0 ? Optional.empty() : Optional.of(path.substring(0, slash));
    }

    /** {@code incoming/a/b.jpg} gives {@code results/a/b.jpg.json}. */
    public static String resultKey(String incomingKey) {
        return RESULTS + incomingKey.substring(INCOMING.length()) + ".json";
    }

    /** {@code incoming/a/b.jpg} gives {@code rejected/a/b.jpg}. */
    public static String rejectedKey(String incomingKey) {
        return REJECTED + incomingKey.substring(INCOMING.length());
    }
}
