package dev.photoscore.local.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
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
 * <p>Only the regular files directly in that folder named {@code *.jpg}, {@code *.jpeg} or {@code *.png} are
 * listed and served: no hidden files, no subfolders, no symbolic links. A requested name is looked up among those
 * files, never resolved as a path, so nothing outside the folder can be reached, whatever the request says.
 */
final class SampleGallery implements HttpHandler {

    static final String PATH = "/samples/";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> TYPES = Map.of(
            "jpg", "image/jpeg", "jpeg", "image/jpeg", "png", "image/png");

    private final Path folder;

    SampleGallery(Path folder) {
        if (!Files.isDirectory(Objects.requireNonNull(folder))) {
            throw new IllegalArgumentException("the samples folder " + folder + " is not a folder");
        }
        this.folder = folder;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!exchange.getRequestMethod().equals("GET")) {
                exchange.getResponseHeaders().set("Allow", "GET");
                LocalService.respondError(exchange, 405, "use GET");
                return;
            }
            String path = exchange.getRequestURI().getPath();
            if (path.equals(PATH)) {
                list(exchange);
                return;
            }
            String name = path.startsWith(PATH) ? path.substring(PATH.length()) : "";
            Path file = samples().get(name);
            if (file == null) {
                LocalService.respondError(exchange, 404, "no such sample: " + name);
                return;
            }
            send(exchange, file, TYPES.get(extension(name)));
        }
    }

    /** The samples by name, in name order; read at each request, so photos added while the service runs appear. */
    Map<String, Path> samples() throws IOException {
        Map<String, Path> samples = new TreeMap<>();
        try (Stream<Path> files = Files.list(folder)) {
            files.filter(file -> Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)).forEach(file -> {
                String name = file.getFileName().toString();
                if (!name.startsWith(".") && TYPES.containsKey(extension(name))) {
                    samples.put(name, file);
                }
            });
        }
        return samples;
    }

    private void list(HttpExchange exchange) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode list = body.putArray("samples");
        for (Map.Entry<String, Path> sample : samples().entrySet()) {
            list.addObject().put("name", sample.getKey()).put("bytes", Files.size(sample.getValue()));
        }
        LocalService.respond(exchange, 200, Map.of("Content-Type", "application/json", "Cache-Control", "no-cache"),
                JSON.writeValueAsBytes(body));
    }

    private static void send(HttpExchange exchange, Path file, String type) throws IOException {
        long size;
        try {
            size = Files.size(file);
        } catch (NoSuchFileException e) {
            LocalService.respondError(exchange, 404, "no such sample: " + file.getFileName());
            return;
        }
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        exchange.sendResponseHeaders(200, size == 0 ? -1 : size);
        try (OutputStream out = exchange.getResponseBody()) {
            Files.copy(file, out);
        }
    }

    private static String extension(String name) {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }
}
