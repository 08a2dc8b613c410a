package dev.photoscore.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.photoscore.api.ApiException;
import dev.photoscore.api.ApiRequest;
import dev.photoscore.api.ApiResponse;
import dev.photoscore.api.Routes;
import dev.photoscore.image.PhotoLimits;
import dev.photoscore.tenants.ClientCredentials;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The demo page, served by the API's own handler, in the Lambda and the local service alike: the repository's
 * {@code web/} folder (plain HTML, CSS and JavaScript) and the API's description, bundled as resources; for the page,
 * the demo tenant's credentials at {@value #CREDENTIALS_PATH} and the photo limits at {@value #LIMITS_PATH}; and the {@link SampleGallery} under
 * {@value SampleGallery#PATH}.
 *
 * <p>The page always loads. Without a demo tenant the credentials route answers 404 with a message saying so (the
 * page shows it), and without a samples folder the gallery does (the page says it has no samples). The credentials
 * are the demo tenant's and no other's: public by design, since every visitor's browser gets them (README).
 */
public final class DemoPage implements Routes {

    public static final String CREDENTIALS_PATH = "/demo/credentials";
    /** The photo limits, for the page to check a photo before it is sent: never restated in the page. */
    public static final String LIMITS_PATH = "/demo/limits";
    public static final String OPENAPI_PATH = "/openapi.yaml";

    /** Each path of the page and its bundled file; nothing else is served from the resources. */
    private static final Map<String, String> FILES = Map.of(
            "/", "index.html",
            "/index.html", "index.html",
            "/app.js", "app.js",
            "/style.css", "style.css",
            "/favicon.ico", "favicon.ico",
            OPENAPI_PATH, "openapi.yaml");
    private static final Map<String, String> TYPES = Map.of(
            "index.html", "text/html; charset=utf-8",
            "app.js", "text/javascript; charset=utf-8",
            "style.css", "text/css; charset=utf-8",
            "favicon.ico", "image/x-icon",
            "openapi.yaml", "application/yaml; charset=utf-8");
    /** Everything the page loads comes from this origin; the photo preview is a blob: URL. */
    private static final String CONTENT_SECURITY_POLICY = "default-src 'self'; img-src 'self' blob:; "
            + "object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    /** The paths this page answers, besides those under {@value SampleGallery#PATH}. */
    static final Set<String> PATHS = Stream.concat(FILES.keySet().stream(), Stream.of(CREDENTIALS_PATH, LIMITS_PATH))
            .collect(Collectors.toUnmodifiableSet());
    static final String NOT_SET_UP = "The demo is not set up on this service: it has no demo tenant, so this page"
            + " cannot score photos here. Call the API with your own credentials.";

    private final Map<String, BundledFile> files = new HashMap<>();
    /** The credentials' JSON, or null without a demo tenant. */
    private final byte[] credentials;
    /** Null without a samples folder. */
    private final SampleGallery gallery;
    /** The limits' JSON. */
    private final byte[] limits;

    /** A bundled file with its validator: the page is revalidated at each load (no-cache) and sent only if changed. */
    private record BundledFile(String type, byte[] bytes, String etag) {
    }

    /**
     * @param demoTenant the credentials the page scores with; null: the demo is not set up
     * @param gallery    the sample photos; null: none
     * @param limits     the limits the API scores photos within, which the page checks before it sends one
     */
    public DemoPage(ClientCredentials demoTenant, SampleGallery gallery, PhotoLimits limits) {
        TYPES.forEach((file, type) -> {
            byte[] bytes = resource(file);
            files.put(file, new BundledFile(type, bytes, etag(bytes)));
        });
        this.credentials = demoTenant == null ? null : json(Map.of(
                "clientId", demoTenant.clientId(), "clientSecret", demoTenant.clientSecret()));
        this.gallery = gallery;
        this.limits = json(Map.of(
                "minBytesExclusive", limits.minBytesExclusive(), "min", PhotoLimits.inWords(limits.minBytesExclusive()),
                "maxBytesExclusive", limits.maxBytesExclusive(), "max", PhotoLimits.inWords(limits.maxBytesExclusive())));
    }

    @Override
    public Optional<ApiResponse> answer(ApiRequest request) {
        String path = request.path();
        boolean samples = path.startsWith(SampleGallery.PATH);
        if (!samples && !PATHS.contains(path)) {
            return Optional.empty();
        }
        if (!request.method().equals("GET")) {
            throw new ApiException(405, "use GET", Map.of("Allow", "GET"));
        }
        if (samples) {
            if (gallery == null) {
                throw new ApiException(404, "this service has no sample photos");
            }
            return Optional.of(gallery.answer(path));
        }
        if (path.equals(LIMITS_PATH)) {
            return Optional.of(new ApiResponse(200, Map.of("Content-Type", "application/json",
                    "Cache-Control", "no-cache"), limits));
        }
        if (path.equals(CREDENTIALS_PATH)) {
            if (credentials == null) {
                throw new ApiException(404, NOT_SET_UP);
            }
            return Optional.of(new ApiResponse(200, Map.of("Content-Type", "application/json",
                    "Cache-Control", "no-store"), credentials));
        }
        return Optional.of(file(files.get(FILES.get(path)), request));
    }

    private static ApiResponse file(BundledFile file, ApiRequest request) {
        Map<String, String> headers = Map.of("Content-Type", file.type(),
                "Cache-Control", "no-cache",
                "ETag", file.etag(),
                "Content-Security-Policy", CONTENT_SECURITY_POLICY,
                "X-Content-Type-Options", "nosniff",
                "Referrer-Policy", "no-referrer");
        boolean unchanged = request.header("if-none-match")
                .map(tags -> Arrays.stream(tags.split(",")).map(String::strip).anyMatch(file.etag()::equals))
                .orElse(false);
        return unchanged ? new ApiResponse(304, headers, new byte[0]) : new ApiResponse(200, headers, file.bytes());
    }

    private static String etag(byte[] bytes) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            return "\"" + HexFormat.of().formatHex(digest, 0, 16) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static byte[] json(Map<String, ?> fields) {
        try {
            return new ObjectMapper().writeValueAsBytes(fields);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] resource(String file) {
        try (InputStream in = DemoPage.class.getResourceAsStream("web/" + file)) {
            if (in == null) {
                throw new IllegalStateException("the demo page's " + file + " is not bundled (web/ in the build)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
