package dev.photoscore.local.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The samples route over real HTTP: what it lists, what it serves, and that nothing else can be reached. */
class SampleGalleryTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;

    static HttpServer server;
    static byte[] photo;

    @BeforeAll
    static void start() throws IOException {
        Path folder = Files.createDirectories(tmp.resolve("samples"));
        photo = new byte[] {(byte) 0xff, (byte) 0xd8, (byte) 0xff, 1, 2, 3};
        Files.write(folder.resolve("b.jpg"), photo);
        Files.write(folder.resolve("a photo.PNG"), new byte[] {(byte) 0x89, 'P', 'N', 'G'});
        Files.write(folder.resolve("c.jpeg"), new byte[0]);
        Files.writeString(folder.resolve("notes.txt"), "not a sample");
        Files.write(folder.resolve(".hidden.jpg"), photo);
        Files.createDirectories(folder.resolve("inner.jpg"));
        Files.write(Files.createDirectories(folder.resolve("sub")).resolve("d.jpg"), photo);
        Path secret = Files.write(tmp.resolve("secret.jpg"), "outside the folder".getBytes(StandardCharsets.UTF_8));
        Files.createSymbolicLink(folder.resolve("link.jpg"), secret);

        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext(SampleGallery.PATH, new SampleGallery(folder));
        server.start();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    record Answer(int status, String headers, byte[] body) {
    }

    /** A raw HTTP/1.1 request, so that the path reaches the server exactly as written (no client normalises it). */
    static Answer request(String method, String rawPath) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.getAddress().getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write((method + " " + rawPath + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                    + "Content-Length: 0\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            byte[] response = socket.getInputStream().readAllBytes();
            int end = indexOf(response, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            String head = new String(response, 0, end, StandardCharsets.ISO_8859_1);
            int status = Integer.parseInt(head.substring(9, 12));
            return new Answer(status, head, Arrays.copyOfRange(response, end + 4, response.length));
        }
    }

    static int indexOf(byte[] bytes, byte[] part) {
        for (int i = 0; i + part.length <= bytes.length; i++) {
            if (Arrays.equals(bytes, i, i + part.length, part, 0, part.length)) {
                return i;
            }
        }
        throw new AssertionError("no end of headers in the answer");
    }

    @Test
    void listsOnlyThePhotoFilesOfTheFolder() throws IOException {
        Answer answer = request("GET", "/samples/");
        assertEquals(200, answer.status());
        JsonNode samples = JSON.readTree(answer.body()).path("samples");
        List<String> names = samples.findValuesAsText("name");
        assertEquals(List.of("a photo.PNG", "b.jpg", "c.jpeg"), names);
        assertEquals(photo.length, samples.get(1).path("bytes").asInt());
    }

    @Test
    void servesASampleWithItsType() throws IOException {
        Answer jpeg = request("GET", "/samples/b.jpg");
        assertEquals(200, jpeg.status());
        assertArrayEquals(photo, jpeg.body());
        assertTrue(jpeg.headers().toLowerCase().contains("content-type: image/jpeg"), jpeg.headers());
        Answer png = request("GET", "/samples/a%20photo.PNG");
        assertEquals(200, png.status());
        assertTrue(png.headers().toLowerCase().contains("content-type: image/png"), png.headers());
        Answer empty = request("GET", "/samples/c.jpeg");
        assertEquals(200, empty.status());
        assertEquals(0, empty.body().length);
    }

    @Test
    void nothingOutsideTheListIsServed() throws IOException {
        for (String path : List.of("/samples/../secret.jpg", "/samples/..%2Fsecret.jpg", "/samples/%2e%2e/secret.jpg",
                "/samples/%2e%2e%2fsecret.jpg", "/samples/link.jpg", "/samples/sub/d.jpg", "/samples/sub%2Fd.jpg",
                "/samples/notes.txt", "/samples/.hidden.jpg", "/samples/inner.jpg", "/samples/b.jpg/",
                "/samples/%2Fetc%2Fpasswd", "/samples//etc/passwd", "/samples/B.JPG")) {
            Answer answer = request("GET", path);
            assertEquals(404, answer.status(), path);
            String body = new String(answer.body(), StandardCharsets.UTF_8);
            assertEquals("error", JSON.readTree(body).path("status").asText(), path);
            assertFalse(body.contains("outside the folder"), path);
        }
    }

    @Test
    void onlyGet() throws IOException {
        Answer post = request("POST", "/samples/b.jpg");
        assertEquals(405, post.status());
        assertTrue(post.headers().contains("Allow: GET"), post.headers());
    }

    @Test
    void refusesAMissingFolder() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SampleGallery(tmp.resolve("nowhere")));
        assertTrue(e.getMessage().contains("nowhere"), e.getMessage());
    }
}
