package dev.photoscore.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.photoscore.testing.TestPhotos;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The body of an upload reaches the API whole, however it is sent: with its length declared (kept in one array sized
 * for it) or chunked with no length (the array grows as chunks arrive, many times over for a photo of a few hundred
 * KB sent in small chunks): both score the same photo the same.
 */
class RequestBodiesTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final ServedApis SERVED = ServedApis.onSmallPack();
    static ServedApi api;

    @BeforeAll
    static void start() {
        api = SERVED.start(ServerSettings.builder());
    }

    @Test
    void aChunkedUploadScoresAsTheSameUploadWithItsLengthDeclared() throws Exception {
        byte[] form = ServedApi.uploadForm("photo.jpg", "image/jpeg",
                TestPhotos.jpeg(TestPhotos.texturedRgb(900, 700, 7), 0.95f, false));
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

        JsonNode declared = score(http, HttpRequest.BodyPublishers.ofByteArray(form));
        // No length known to the client: it sends the body chunked, in pieces of at most 1 KB here.
        JsonNode chunked = score(http, HttpRequest.BodyPublishers.ofInputStream(
                () -> new SmallReads(new ByteArrayInputStream(form))));

        assertEquals("ok", declared.path("status").asText(), declared.toString());
        assertEquals(declared, chunked);
    }

    private static JsonNode score(HttpClient http, HttpRequest.BodyPublisher body) throws Exception {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(api.uri("/v1/quality_ugc"))
                .header("Authorization", ServedApi.basic(ServedApi.TENANT))
                .header("Content-Type", "multipart/form-data; boundary=b")
                .timeout(Duration.ofSeconds(60))
                .POST(body).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, answer.statusCode(), answer.body());
        return JSON.readTree(answer.body());
    }


    /** Hands out at most 1 KB a read, so the body leaves in many chunks. */
    private static final class SmallReads extends FilterInputStream {
        SmallReads(InputStream in) {
            super(in);
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return super.read(b, off, Math.min(len, 1024));
        }
    }
}
