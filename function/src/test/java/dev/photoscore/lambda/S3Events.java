package dev.photoscore.lambda;

import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * S3 events for the tests: events/s3-object-created.json with the bucket and object replaced, deserialised as the
 * Lambda runtime does.
 */
final class S3Events {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final PojoSerializer<S3Event> SERIALIZER =
            LambdaEventSerializers.serializerFor(S3Event.class, S3Events.class.getClassLoader());

    private S3Events() {
    }

    /** The sample event for this object; a null size or version leaves it out, as S3 may. */
    static S3Event objectCreated(String bucket, String key, Long size, String eTag, String versionId) {
        return event("ObjectCreated:Put", bucket, key, size, eTag, versionId);
    }

    static S3Event event(String eventName, String bucket, String key, Long size, String eTag, String versionId) {
        try {
            ObjectNode event = (ObjectNode) JSON.readTree(eventsDir().resolve("s3-object-created.json").toFile());
            ObjectNode record = (ObjectNode) event.path("Records").path(0);
            record.put("eventName", eventName);
            ObjectNode s3 = (ObjectNode) record.path("s3");
            ((ObjectNode) s3.path("bucket")).put("name", bucket).put("arn", "arn:aws:s3:::" + bucket);
            ObjectNode object = ((ObjectNode) s3.path("object")).put("key", urlEncoded(key)).put("eTag", eTag);
            if (size == null) {
                object.remove("size");
            } else {
                object.put("size", size);
            }
            if (versionId != null) {
                object.put("versionId", versionId);
            }
            return SERIALIZER.fromJson(new ByteArrayInputStream(JSON.writeValueAsBytes(event)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Keys in S3 events are URL-encoded, a space as '+'; the slashes stay. */
    static String urlEncoded(String key) {
        return Arrays.stream(key.split("/", -1)).map(part -> URLEncoder.encode(part, StandardCharsets.UTF_8))
                .collect(Collectors.joining("/"));
    }

    static Path eventsDir() {
        Path dir = Path.of("").toAbsolutePath();
        while (!Files.isDirectory(dir.resolve("events"))) {
            dir = dir.getParent();
        }
        return dir.resolve("events");
    }
}
