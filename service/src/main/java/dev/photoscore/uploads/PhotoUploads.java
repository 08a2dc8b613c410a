package dev.photoscore.uploads;

import dev.photoscore.image.PhotoLimits;
import dev.photoscore.uploads.UploadException.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.presigner.model.PresignedPutObjectRequest;

/**
 * The upload flow for photos larger than a Lambda request can carry (its 6 MB synchronous payload holds less photo
 * after base64 than the API takes): a client asks for an upload, PUTs the photo to a presigned S3 URL, then asks for its score by upload
 * id. Uploads live under {@code uploads/<client id>/<upload id>} in the uploads bucket, so a client can only score its
 * own, and expire with the bucket's lifecycle rule (a day). The presigned URL signs the {@code Content-Length} the
 * client announced, which must be within the {@link PhotoLimits}: S3 refuses a PUT of any other size.
 */
public final class PhotoUploads {

    public static final String PREFIX = "uploads/";
    private static final Pattern UPLOAD_ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private final S3Client s3;
    private final S3Presigner presigner;
    private final String bucket;
    private final PhotoLimits limits;
    private final Duration urlValidity;
    private final Clock clock;

    public PhotoUploads(S3Client s3, S3Presigner presigner, String bucket, PhotoLimits limits, Duration urlValidity,
                        Clock clock) {
        this.s3 = Objects.requireNonNull(s3);
        this.limits = Objects.requireNonNull(limits);
        this.presigner = Objects.requireNonNull(presigner);
        this.bucket = Objects.requireNonNull(bucket);
        this.urlValidity = Objects.requireNonNull(urlValidity);
        this.clock = Objects.requireNonNull(clock);
    }

    /**
     * Where to PUT a photo of {@code size} bytes.
     *
     * @param url       the presigned PUT URL
     * @param headers   the headers the PUT must carry exactly (they are signed)
     * @param expiresAt when the URL stops working
     */
    public record Ticket(String uploadId, URI url, Map<String, String> headers, Instant expiresAt) {
    }

    /** A presigned upload for a photo of {@code size} bytes, which must be within the scorer's size limits. */
    public Ticket create(String clientId, long size) {
        if (!limits.allowsSize(size)) {
            throw new UploadException(size >= limits.maxBytesExclusive() ? Reason.SIZE_TOO_LARGE
                    : Reason.SIZE_TOO_SMALL, "the photo's size must be " + limits.describeSizes()
                    + " (" + limits.minBytesExclusive() + " < size < " + limits.maxBytesExclusive() + " bytes), was "
                    + size);
        }
        String uploadId = UUID.randomUUID().toString();
        PutObjectRequest put = PutObjectRequest.builder()
                .bucket(bucket)
                .key(key(clientId, uploadId))
                .contentLength(size)
                .contentType("application/octet-stream")
                .build();
        PresignedPutObjectRequest presigned = presigner.presignPutObject(request -> request
                .signatureDuration(urlValidity)
                .putObjectRequest(put));
        return new Ticket(uploadId, URI.create(presigned.url().toString()),
                Map.of("Content-Length", Long.toString(size), "Content-Type", "application/octet-stream"),
                clock.instant().plus(urlValidity));
    }

    /**
     * The bytes of a client's upload, read no further than the maximum photo size (a photo of exactly that size is
     * read, for the decoder's refusal to name it).
     */
    public byte[] read(String clientId, String uploadId) {
        if (!UPLOAD_ID.matcher(uploadId).matches()) {
            throw new UploadException(Reason.MALFORMED_UPLOAD_ID,
                    "upload_id is not an upload id from POST /v1/uploads");
        }
        long maxBytes = limits.maxBytesExclusive();
        try (ResponseInputStream<GetObjectResponse> object = s3.getObject(request -> request.bucket(bucket)
                .key(key(clientId, uploadId)))) {
            Long length = object.response().contentLength();
            if (length != null && length > maxBytes) {
                throw new UploadException(Reason.SIZE_TOO_LARGE, "the uploaded photo is " + length
                        + " bytes, more than " + maxBytes + " bytes");
            }
            byte[] bytes = readAtMost(object, maxBytes);
            if (bytes.length > maxBytes) {
                throw new UploadException(Reason.SIZE_TOO_LARGE, "the uploaded photo is larger than " + maxBytes
                        + " bytes");
            }
            return bytes;
        } catch (NoSuchKeyException e) {
            throw new UploadException(Reason.NO_SUCH_UPLOAD, "no upload " + uploadId + " for this client: PUT the"
                    + " photo to its upload_url first (uploads expire after a day)");
        } catch (IOException e) {
            throw new UncheckedIOException("reading upload " + uploadId + " failed", e);
        }
    }

    private static byte[] readAtMost(InputStream in, long maxBytes) throws IOException {
        return in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
    }

    static String key(String clientId, String uploadId) {
        return PREFIX + clientId + "/" + uploadId;
    }
}
