package dev.photoscore.uploads;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * One object version an S3 ObjectCreated event announces.
 *
 * @param bucket    the bucket
 * @param key       the key, decoded (events carry it URL-encoded)
 * @param versionId the version in a versioned bucket; null otherwise
 * @param eTag      the object's entity tag (its MD5 for a simple upload)
 * @param size      the size the event states, if it states one (a missing size reads as 0: an empty object is
 *                  downloaded and refused like any other)
 * @param eventTime when S3 saw the object created, the same in every delivery of the event
 */
public record UploadedObject(String bucket, String key, String versionId, String eTag, OptionalLong size,
                             Instant eventTime) {

    public UploadedObject {
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(size, "size");
        Objects.requireNonNull(eventTime, "eventTime");
        if (versionId == null && eTag == null) {
            throw new IllegalArgumentException("an uploaded object needs a version id or an entity tag: " + key);
        }
    }

    /**
     * The id this object version is metered under: the same for every delivery of its event (S3 delivers at least
     * once), different for every other version, or, in an unversioned bucket, other content under the key. A hash,
     * as bucket and key together may exceed the 1,024 bytes a request id may have.
     */
    public String requestId() {
        String identity = bucket + "\n" + key + "\n" + (versionId != null ? "version " + versionId : "etag " + eTag);
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(identity.getBytes(StandardCharsets.UTF_8));
            return "s3-" + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
