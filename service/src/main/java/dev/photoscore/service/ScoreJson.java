package dev.photoscore.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.photoscore.scoring.PhotoScore;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The one JSON view of a score and the one of an error, for every place that shows them: the API's answers, the S3
 * flow's results and the command line's {@code score} lines.
 *
 * <ul>
 *   <li>a score: {@code {"quality": {"score": 0.71, "class": 4}, "details": {"aesthetic": 5.2, ..., "flags": [...],
 *   "hints": [...]}, "status": "ok"}}, the details only where asked for (the API's {@code details=true});</li>
 *   <li>an error: {@code {"status": "error", "message": "..."}}.</li>
 * </ul>
 * Each place may add fields of its own beside these (the S3 result its object and usage, the command line its file).
 */
public final class ScoreJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ScoreJson() {
    }

    /** A score, with its details (model outputs, flags and their hints) when {@code details}. */
    public static ObjectNode score(PhotoScore score, boolean details) {
        ObjectNode body = JSON.createObjectNode();
        body.putObject("quality").put("score", score.score()).put("class", score.qualityClass());
        if (details) {
            ObjectNode detail = body.putObject("details");
            score.outputs().forEach((name, value) -> detail.put(detailName(name), value));
            ArrayNode flags = detail.putArray("flags");
            ArrayNode hints = detail.putArray("hints");
            score.flags().forEach(flag -> {
                flags.add(flag.jsonName());
                hints.add(flag.hint());
            });
        }
        return body.put("status", "ok");
    }

    /** An error, with a message for whoever sent the photo. */
    public static ObjectNode error(String message) {
        return JSON.createObjectNode().put("status", "error").put("message", message);
    }

    /** An empty object, for views of other things (an upload ticket) written with the same mapper. */
    public static ObjectNode object() {
        return JSON.createObjectNode();
    }

    /** {@code nima.aesthetic} is shown as {@code aesthetic}: the Everypixel-style short names. */
    private static String detailName(String output) {
        return output.startsWith("nima.") ? output.substring("nima.".length()) : output.replace('.', '_');
    }

    /** The view as compact UTF-8 bytes (an HTTP answer). */
    public static byte[] bytes(ObjectNode view) {
        try {
            return JSON.writeValueAsBytes(view);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The view as indented UTF-8 bytes (a file people read: an S3 result). */
    public static byte[] prettyBytes(ObjectNode view) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(view);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The view as one line of text (the command line's output). */
    public static String line(ObjectNode view) {
        return new String(bytes(view), java.nio.charset.StandardCharsets.UTF_8);
    }
}
