package dev.photoscore.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.photoscore.api.ApiException;
import dev.photoscore.api.ApiResponse;
import dev.photoscore.image.PhotoLimits;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The sample photos of one folder, for the demo page's "Try our samples": {@code GET /samples/} lists them as
 * {@code {"samples": [{"name": "a.jpg", "bytes": 85488}, ...]}}, {@code GET /samples/a.jpg} gives one.
 *
 * <p>Only the regular files directly in that folder named {@code *.jpg}, {@code *.jpeg} or {@code *.png}, within
 * the {@link PhotoLimits} and at most the largest photo the API takes in a request body, are listed and served: no hidden
 * files, no subfolders, no symbolic links, nothing the page could not score (in the Lambda the upper limit also keeps
 * the answer within Lambda's payload limit). A
 * requested name is looked up among those files, never resolved as a path, so nothing outside the folder can be
 * reached, whatever the request says.
 */
public final class SampleGallery {

    public static final String PATH = "/samples/";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> TYPES = Map.of(
            "jpg", "image/jpeg", "jpeg", "image/jpeg", "png", "image/png");

    private final Path folder;
    private final PhotoLimits limits;
    private final long maxDirectUploadBytes;

    /**
     * @param folder               the folder of sample photos
     * @param limits               the photo limits a sample must meet: the API scores no other photo
     * @param maxDirectUploadBytes the largest sample offered: the largest photo the API takes in a request body
     * @throws IllegalArgumentException when {@code folder} is not a folder
     */
    public SampleGallery(Path folder, PhotoLimits limits, long maxDirectUploadBytes) {
        if (!Files.isDirectory(Objects.requireNonNull(folder))) {
            throw new IllegalArgumentException("the samples folder " + folder + " is not a folder");
        }
        this.folder = folder;
        this.limits = Objects.requireNonNull(limits);
        this.maxDirectUploadBytes = maxDirectUploadBytes;
    }

    /** The listing for {@value #PATH}, or the sample a path under it names. */
    ApiResponse answer(String path) {
        if (path.equals(PATH)) {
            return list();
        }
        String name = path.startsWith(PATH) ? path.substring(PATH.length()) : "";
        Map<String, Path> samples = samples();
        // API Gateway's HTTP API hands the function the path decoded; the local service as it was sent.
        String decoded = percentDecoded(name);
        Path file = samples.containsKey(name) || decoded == null ? samples.get(name) : samples.get(decoded);
        if (file == null) {
            throw new ApiException(404, "no such sample: " + name);
        }
        return new ApiResponse(200, Map.of("Content-Type", TYPES.get(extension(file)),
                "Cache-Control", "no-cache", "X-Content-Type-Options", "nosniff"), read(file, name));
    }

    /** The samples by name, in name order; read at each request, so photos added while the service runs appear. */
    Map<String, Path> samples() {
        Map<String, Path> samples = new TreeMap<>();
        try (Stream<Path> files = Files.list(folder)) {
            files.filter(file -> Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)).forEach(file -> {
                String name = file.getFileName().toString();
                if (!name.startsWith(".") && TYPES.containsKey(extension(file)) && scorable(size(file))) {
                    samples.put(name, file);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the samples folder " + folder, e);
        }
        return samples;
    }

    private boolean scorable(long bytes) {
        return limits.allowsSize(bytes) && bytes <= maxDirectUploadBytes;
    }

    private ApiResponse list() {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode list = body.putArray("samples");
        samples().forEach((name, file) -> list.addObject().put("name", name).put("bytes", size(file)));
        try {
            return new ApiResponse(200, Map.of("Content-Type", "application/json", "Cache-Control", "no-cache"),
                    JSON.writeValueAsBytes(body));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The sample's bytes; a file removed or grown or shrunk past a limit since it was listed is no sample any more. */
    private byte[] read(Path file, String name) {
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            byte[] bytes = in.readNBytes((int) Math.min(maxDirectUploadBytes, limits.maxBytesExclusive()) + 1);
            if (!scorable(bytes.length)) {
                throw new ApiException(404, "no such sample: " + name);
            }
            return bytes;
        } catch (NoSuchFileException e) {
            throw new ApiException(404, "no such sample: " + name);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the sample " + file, e);
        }
    }

    /** The file's size; one that vanished while listed counts as too large, so it is left out. */
    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return Long.MAX_VALUE;
        }
    }

    /** The name with its %XX escapes decoded ('+' stays, as in a path); null when an escape is malformed. */
    private static String percentDecoded(String name) {
        try {
            return URLDecoder.decode(name.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String extension(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }
}
