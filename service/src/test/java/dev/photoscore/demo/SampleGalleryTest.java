package dev.photoscore.demo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.photoscore.api.ApiException;
import dev.photoscore.api.ApiRequest;
import dev.photoscore.image.PhotoLimits;
import dev.photoscore.api.ApiResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The samples route of the demo page on every path a request can carry (the raw path as the local service sends it,
 * decoded as API Gateway does): what it lists, what it serves, and that nothing else can be reached. The Lambda
 * handler's own test ({@link DemoPageTest}) drives the same route through events.
 */
class SampleGalleryTest {

    static final ObjectMapper JSON = new ObjectMapper();
    /** The bounds of the samples offered, here: smaller or larger files are neither listed nor served. */
    static final long MIN_BYTES_EXCLUSIVE = 3;
    static final long MAX_BYTES = 64;
    /** The photo limits: above MAX_BYTES, which the direct uploads' limit keeps the samples within. */
    static final PhotoLimits LIMITS = new PhotoLimits(MIN_BYTES_EXCLUSIVE, 1_000, PhotoLimits.DEFAULT_MAX_PIXELS);

    @TempDir
    static Path tmp;

    static Path folder;
    static DemoPage page;
    static byte[] photo;

    @BeforeAll
    static void folderWithSamplesAndTraps() throws IOException {
        folder = Files.createDirectories(tmp.resolve("samples"));
        photo = new byte[] {(byte) 0xff, (byte) 0xd8, (byte) 0xff, 1, 2, 3};
        Files.write(folder.resolve("b.jpg"), photo);
        Files.write(folder.resolve("a photo.PNG"), new byte[] {(byte) 0x89, 'P', 'N', 'G'});
        Files.write(folder.resolve("c.jpeg"), new byte[(int) MIN_BYTES_EXCLUSIVE + 1]);
        Files.write(folder.resolve("small.jpg"), new byte[(int) MIN_BYTES_EXCLUSIVE]);
        Files.write(folder.resolve("100%.jpg"), photo);
        Files.write(folder.resolve("large.jpg"), new byte[(int) MAX_BYTES + 1]);
        Files.writeString(folder.resolve("notes.txt"), "not a sample");
        Files.write(folder.resolve(".hidden.jpg"), photo);
        Files.createDirectories(folder.resolve("inner.jpg"));
        Files.write(Files.createDirectories(folder.resolve("sub")).resolve("d.jpg"), photo);
        Path secret = Files.write(tmp.resolve("secret.jpg"), "outside the folder".getBytes(StandardCharsets.UTF_8));
        Files.createSymbolicLink(folder.resolve("link.jpg"), secret);
        page = new DemoPage(null, new SampleGallery(folder, LIMITS, MAX_BYTES), LIMITS);
    }

    record Answer(int status, Map<String, String> headers, byte[] body) {
    }

    /** The page's answer, or its refusal with the status the API would give it. */
    static Answer request(String method, String path) {
        ApiRequest request = new ApiRequest(method, path, Map.of(), Map.of(), new byte[0], "test", Instant.now(),
                "198.51.100.1");
        try {
            ApiResponse response = page.answer(request).orElseThrow(() -> new AssertionError("not served: " + path));
            return new Answer(response.status(), response.headers(), response.body());
        } catch (ApiException e) {
            return new Answer(e.status(), e.headers(), e.getMessage().getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void listsOnlyThePhotoFilesOfTheFolderThatTheApiTakes() throws IOException {
        Answer answer = request("GET", "/samples/");
        assertEquals(200, answer.status());
        assertEquals("application/json", answer.headers().get("Content-Type"));
        JsonNode samples = JSON.readTree(answer.body()).path("samples");
        assertEquals(List.of("100%.jpg", "a photo.PNG", "b.jpg", "c.jpeg"), samples.findValuesAsText("name"));
        assertEquals(photo.length, samples.get(2).path("bytes").asInt());
    }

    @Test
    void servesASampleWithItsTypeByItsRawOrDecodedName() {
        Answer jpeg = request("GET", "/samples/b.jpg");
        assertEquals(200, jpeg.status());
        assertArrayEquals(photo, jpeg.body());
        assertEquals("image/jpeg", jpeg.headers().get("Content-Type"));
        assertEquals("nosniff", jpeg.headers().get("X-Content-Type-Options"));
        for (String path : List.of("/samples/a%20photo.PNG", "/samples/a photo.PNG")) {
            Answer png = request("GET", path);
            assertEquals(200, png.status(), path);
            assertEquals("image/png", png.headers().get("Content-Type"), path);
        }
        for (String path : List.of("/samples/100%25.jpg", "/samples/100%.jpg")) {
            assertArrayEquals(photo, request("GET", path).body(), path);
        }
        Answer smallest = request("GET", "/samples/c.jpeg");
        assertEquals(200, smallest.status());
        assertEquals(MIN_BYTES_EXCLUSIVE + 1, smallest.body().length);
    }

    @Test
    void nothingOutsideTheListIsServed() {
        for (String path : List.of("/samples/../secret.jpg", "/samples/..%2Fsecret.jpg", "/samples/%2e%2e/secret.jpg",
                "/samples/%2e%2e%2fsecret.jpg", "/samples/%252e%252e%252fsecret.jpg", "/samples/link.jpg",
                "/samples/sub/d.jpg", "/samples/sub%2Fd.jpg", "/samples/notes.txt", "/samples/.hidden.jpg",
                "/samples/inner.jpg", "/samples/b.jpg/", "/samples/%2Fetc%2Fpasswd", "/samples//etc/passwd",
                "/samples/B.JPG", "/samples/large.jpg", "/samples/small.jpg", "/samples/%", "/samples/%zz.jpg")) {
            Answer answer = request("GET", path);
            assertEquals(404, answer.status(), path);
            assertTrue(new String(answer.body(), StandardCharsets.UTF_8).startsWith("no such sample"), path);
        }
    }

    @Test
    void onlyGet() {
        Answer post = request("POST", "/samples/b.jpg");
        assertEquals(405, post.status());
        assertEquals("GET", post.headers().get("Allow"));
    }

    @Test
    void withoutAFolderThereAreNoSamples() {
        DemoPage withoutSamples = new DemoPage(null, null, LIMITS);
        ApiException refused = assertThrows(ApiException.class, () -> withoutSamples.answer(new ApiRequest("GET",
                "/samples/", Map.of(), Map.of(), new byte[0], "test", Instant.now(), "198.51.100.1")));
        assertEquals(404, refused.status());
        assertEquals("this service has no sample photos", refused.getMessage());
    }

    @Test
    void refusesAMissingFolder() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SampleGallery(tmp.resolve("nowhere"), LIMITS, MAX_BYTES));
        assertTrue(e.getMessage().contains("nowhere"), e.getMessage());
    }

    /** The photo limits' upper bound is excluded, as the API's: a sample of exactly that size is not offered. */
    @Test
    void theUpperPhotoLimitIsExcluded() throws IOException {
        Path folder = Files.createDirectories(tmp.resolve("bounds"));
        Files.write(folder.resolve("below.jpg"), new byte[63]);
        Files.write(folder.resolve("at.jpg"), new byte[64]);
        PhotoLimits upTo64 = new PhotoLimits(MIN_BYTES_EXCLUSIVE, 64, PhotoLimits.DEFAULT_MAX_PIXELS);
        SampleGallery gallery = new SampleGallery(folder, upTo64, Long.MAX_VALUE);
        assertEquals(List.of("below.jpg"), List.copyOf(gallery.samples().keySet()));
    }
}
