package dev.photoscore.modelpack.convert;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

/**
 * Downloads weights files once into a local cache and verifies them by git blob id, so a build never converts a
 * truncated or substituted file and a second build needs no network.
 */
public final class WeightsFetcher {

    private final Path cacheDir;
    private final HttpClient http;
    private final Duration requestTimeout;

    private WeightsFetcher(Builder builder) {
        this.cacheDir = builder.cacheDir;
        this.requestTimeout = builder.requestTimeout;
        this.http = HttpClient.newBuilder()
                .connectTimeout(builder.connectTimeout)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The default cache: {@code $PHOTOSCORE_CACHE/weights}, else {@code ~/.cache/photoscore/weights}. */
    public static Path defaultCacheDir() {
        String env = System.getenv("PHOTOSCORE_CACHE");
        Path base = env != null && !env.isBlank() ? Path.of(env)
                : Path.of(System.getProperty("user.home"), ".cache", "photoscore");
        return base.resolve("weights");
    }

    /**
     * The file behind {@code url}, from the cache when it is there (and still verifies), downloaded otherwise.
     *
     * @param expectedBlobId the git blob id the file must have, or null to take the file as it comes
     * @throws WeightsUnreachableException when the URL cannot be downloaded
     * @throws InvalidWeightsException     when the download is not the expected file
     */
    public Path fetch(URI url, String expectedBlobId) {
        String fileName = fileName(url);
        String key = expectedBlobId != null ? expectedBlobId
                : Checksums.sha256(url.toString().getBytes(StandardCharsets.UTF_8)).substring(0, 16);
        Path cached = cacheDir.resolve(key).resolve(fileName);
        if (Files.isRegularFile(cached) && (expectedBlobId == null || expectedBlobId.equals(Checksums.gitBlobId(cached)))) {
            return cached;
        }
        try {
            Files.createDirectories(cached.getParent());
            Path partial = Files.createTempFile(cached.getParent(), fileName, ".part");
            try {
                download(url, partial);
                if (expectedBlobId != null) {
                    String actual = Checksums.gitBlobId(partial);
                    if (!expectedBlobId.equals(actual)) {
                        throw new InvalidWeightsException("downloaded " + url + " has git blob id " + actual
                                + ", expected " + expectedBlobId + ": refusing a file that is not the published one");
                    }
                }
                Files.move(partial, cached, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                return cached;
            } finally {
                Files.deleteIfExists(partial);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the weights cache " + cacheDir, e);
        }
    }

    private void download(URI url, Path target) {
        HttpRequest request = HttpRequest.newBuilder(url).timeout(requestTimeout).GET().build();
        try {
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                if (response.statusCode() != 200) {
                    throw new WeightsUnreachableException(url + " answered HTTP " + response.statusCode());
                }
                Files.copy(body, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new WeightsUnreachableException(url + ": " + describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WeightsUnreachableException("interrupted while downloading " + url, e);
        }
    }

    private static String describe(IOException e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
    }

    private static String fileName(URI url) {
        String path = url.getPath();
        String name = path == null ? "" : path.substring(path.lastIndexOf('/') + 1);
        if (name.isBlank()) {
            throw new IllegalArgumentException("the weights URL " + url + " does not name a file");
        }
        return name;
    }

    public static final class Builder {
        private Path cacheDir = defaultCacheDir();
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration requestTimeout = Duration.ofMinutes(5);

        public Builder cacheDir(Path cacheDir) {
            this.cacheDir = cacheDir;
            return this;
        }

        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
            return this;
        }

        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = requestTimeout;
            return this;
        }

        public WeightsFetcher build() {
            return new WeightsFetcher(this);
        }
    }
}
