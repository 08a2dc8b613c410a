package dev.photoscore.local.service;

import static dev.photoscore.testing.TestPhotos.jpeg;
import static dev.photoscore.testing.TestPhotos.paddedTo;
import static dev.photoscore.testing.TestPhotos.png;
import static dev.photoscore.testing.TestPhotos.texturedRgb;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.photoscore.lambda.ApiGatewayHandler;
import dev.photoscore.modelpack.testing.TestModelPacks;
import dev.photoscore.tenants.ClientCredentials;
import dev.photoscore.testing.HostilePhotos;
import dev.photoscore.testing.MisbehavingOrigin;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile requests end to end, over HTTP on loopback against the local service (the Lambda's API behind its HTTP server),
 * each with the status and message the README documents; after each one a valid photo is still scored. The cases
 * are listed below by kind, each as "what is sent, expected status, part of the expected message".
 *
 * <p>Two deployments: the development one lets photo URLs reach loopback (where the misbehaving origin runs) and
 * still refuses every other non-public address; the production one refuses loopback too.
 */
class HostileRequestsTest {

    static final ClientCredentials DEMO = new ClientCredentials("demo-client", "demo-secret-0123456789");
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static final int MB = 1024 * 1024;

    @TempDir
    static Path tmp;

    static LocalDeployment development;
    static LocalDeployment production;
    static MisbehavingOrigin origin;
    static byte[] photo;
    static byte[] photoPng;

    @BeforeAll
    static void start() throws IOException {
        Path models = TestModelPacks.smallNima(tmp);
        development = LocalDeployment.builder().port(0).modelDir(models).demoTenant(DEMO).scorerThreads(2)
                .allowLoopbackUrls(true).start();
        production = LocalDeployment.builder().port(0).modelDir(models).demoTenant(DEMO).scorerThreads(1).start();
        origin = new MisbehavingOrigin();
        photo = jpeg(texturedRgb(400, 300, 1));
        photoPng = png(texturedRgb(400, 300, 2));
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable open : new AutoCloseable[] {origin, production, development}) {
            try {
                if (open != null) {
                    open.close();
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** What is sent, and what must come back. */
    record Case(String name, Request request, int status, String message) {
    }

    interface Request {
        Answer send() throws IOException, InterruptedException;
    }

    record Answer(int status, JsonNode body) {
    }

    @TestFactory
    Stream<DynamicTest> photos() {
        byte[] small = jpeg(texturedRgb(120, 100, 6));
        return cases(
                new Case("a JPEG", upload(photo), 200, null),
                new Case("a PNG", upload(photoPng), 200, null),
                new Case("truncated JPEG", upload(HostilePhotos.truncated(photo, 0.6)), 422, "damaged"),
                new Case("truncated PNG", upload(HostilePhotos.truncated(photoPng, 0.6)), 422, "damaged"),
                new Case("JPEG with a broken Huffman table", upload(HostilePhotos.jpegWithBrokenHuffmanTable(photo)),
                        422, "damaged"),
                new Case("PNG whose image data is not zlib", upload(HostilePhotos.pngWithBrokenImageData(photoPng)),
                        422, "damaged"),
                new Case("JPEG with wrong magic bytes", upload(HostilePhotos.withWrongMagic(photo)), 415,
                        "not a JPEG or PNG"),
                new Case("GIF", upload(HostilePhotos.otherFormat(texturedRgb(400, 300, 3), "gif")), 415,
                        "not a JPEG or PNG"),
                new Case("BMP", upload(HostilePhotos.otherFormat(texturedRgb(400, 300, 3), "bmp")), 415,
                        "not a JPEG or PNG"),
                new Case("TIFF", upload(HostilePhotos.otherFormat(texturedRgb(400, 300, 3), "tiff")), 415,
                        "not a JPEG or PNG"),
                new Case("HTML page", upload("<!doctype html><p>hi</p>".repeat(1000).getBytes(StandardCharsets.UTF_8)),
                        415, "not a JPEG or PNG"),
                new Case("HTML page with a JPEG inside", upload(HostilePhotos.htmlWithJpegInside(photo)), 415,
                        "not a JPEG or PNG"),
                new Case("polyglot: JPEG that is also a ZIP (scored as the JPEG it is)",
                        upload(HostilePhotos.jpegWithZipAppended(photo)), 200, null),
                new Case("polyglot: JPEG carrying HTML in a comment (scored as the JPEG it is)",
                        upload(HostilePhotos.jpegWithHtmlComment(photo)), 200, null),
                new Case("JPEG header claiming 60000x60000", upload(HostilePhotos.jpegClaiming(photo, 60000, 60000)),
                        422, "at most 100 megapixels"),
                new Case("PNG header claiming 60000x60000 in 30 KB",
                        upload(paddedTo(HostilePhotos.pngHeader(60000, 60000), 30_000)), 422, "at most 100 megapixels"),
                new Case("PNG of 10001x10000 black pixels in 100 KB", upload(HostilePhotos.blackPng(10001, 10000)), 422,
                        "at most 100 megapixels"),
                new Case("PNG of exactly 100 megapixels in 100 KB (decoded reduced, scored)",
                        upload(HostilePhotos.blackPng(10000, 10000)), 200, null),
                new Case("JPEG with a hundred 64 KB EXIF segments", upload(HostilePhotos.jpegWithHugeExif(photo, 100)),
                        200, null),
                new Case("JPEG with a 5 MB ICC profile", upload(HostilePhotos.jpegWithHugeIccProfile(photo, 5 * MB)), 200,
                        null),
                new Case("PNG with 5 MB of text", upload(HostilePhotos.pngWithHugeText(photoPng, 5 * MB)), 200, null),
                new Case("PNG with zTXt and iCCP chunks inflating to 512 MB each",
                        upload(HostilePhotos.pngWithMetadataBombs(photoPng, 512)), 200, null),
                new Case("animated PNG (its first frame is scored)",
                        upload(HostilePhotos.animatedPng(List.of(photoPng, png(texturedRgb(400, 300, 9))))), 200, null),
                new Case("zero bytes", upload(new byte[0]), 422, "the file is empty"),
                new Case("exactly 20 KB", upload(paddedTo(small, 20 * 1024)), 422, "must be larger than 20 KB"),
                new Case("20 KB and one byte", upload(paddedTo(small, 20 * 1024 + 1)), 200, null),
                new Case("exactly 10 MB", upload(paddedTo(small, 10 * MB)), 413, "must be smaller than 10 MB"),
                new Case("10 MB less one byte", upload(paddedTo(small, 10 * MB - 1)), 200, null));
    }

    @TestFactory
    Stream<DynamicTest> forms() {
        String boundary = "hostile-boundary";
        String type = "multipart/form-data; boundary=" + boundary;
        byte[] dataPart = part(boundary, "data", photo);
        return cases(
                new Case("no 'data' part", post(type, form(boundary, part(boundary, "other", photo))), 400,
                        "no 'data' part"),
                new Case("the photo under another name", post(type, form(boundary, part(boundary, "photo", photo))), 400,
                        "no 'data' part"),
                new Case("'data' twice", post(type, form(boundary, dataPart, dataPart)), 400, "more than one 'data'"),
                new Case("a part larger than 10 MB", post(type, form(boundary, part(boundary, "data",
                        paddedTo(photo, 10 * MB + 10)))), 413, "10 MB"),
                new Case("a body larger than the service takes", post(type, form(boundary, part(boundary, "data",
                        paddedTo(photo, 11 * MB)))), 413, "larger than 10 MB"),
                new Case("no boundary", post("multipart/form-data", form(boundary, dataPart)), 400, "malformed"),
                new Case("cut off in the middle", post(type, Arrays.copyOf(form(boundary, dataPart), 40_000)), 400,
                        "malformed"),
                new Case("part headers of 9 KB", post(type, form(boundary, ("--" + boundary + "\r\n"
                        + "Content-Disposition: form-data; name=\"data\"; filename=\"" + "a".repeat(9000) + ".jpg\"\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII), photo, "\r\n".getBytes(StandardCharsets.US_ASCII))), 400,
                        "malformed"),
                new Case("garbage with a multipart type", post(type, "garbage".repeat(5000).getBytes(StandardCharsets.UTF_8)),
                        400, "no 'data' part"));
    }

    @TestFactory
    Stream<DynamicTest> requests() {
        ApiGatewayHandler lambda = new ApiGatewayHandler(development.services().qualityApi());
        return cases(
                new Case("the photo as the raw body (image/jpeg)", post("image/jpeg", photo), 400, "multipart field 'data'"),
                new Case("JSON (application/json)", post("application/json", "{\"url\":\"x\"}".getBytes(StandardCharsets.UTF_8)),
                        400, "multipart field 'data'"),
                new Case("no Content-Type", post(null, photo), 400, "multipart field 'data'"),
                new Case("both url and a 'data' upload", () -> send(HttpRequest.newBuilder(api("url="
                        + encode(origin.url("/scorable.jpg"))))
                        .header("Authorization", basic(DEMO))
                        .header("Content-Type", "multipart/form-data; boundary=b")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(form("b", part("b", "data", photo)))).build()),
                        400, "give exactly one photo"),
                new Case("two url parameters", get(development, "url=" + encode(origin.url("/scorable.jpg")) + "&url="
                        + encode(origin.url("/scorable.jpg"))), 400, "give exactly one photo"),
                new Case("no credentials", () -> send(HttpRequest.newBuilder(api("")).GET().build()), 401,
                        "are required"),
                new Case("a wrong secret", () -> send(HttpRequest.newBuilder(api("url=" + encode(origin.url("/scorable.jpg"))))
                        .header("Authorization", basic(new ClientCredentials(DEMO.clientId(), "wrong"))).build()), 401,
                        "invalid credentials"),
                new Case("Basic credentials that are not base64", () -> send(HttpRequest.newBuilder(api(""))
                        .header("Authorization", "Basic %%%").build()), 401, "are required"),
                new Case("DELETE", () -> send(HttpRequest.newBuilder(api("")).header("Authorization", basic(DEMO))
                        .DELETE().build()), 405, "use GET"),
                new Case("another path", () -> send(HttpRequest.newBuilder(development.baseUrl().resolve("/v2/other"))
                        .header("Authorization", basic(DEMO)).build()), 404, "no such endpoint"),
                new Case("Lambda event: body flagged base64 that is not", () -> invoke(lambda, "this is !! not base64 ="),
                        400, "not valid base64"),
                new Case("Lambda event: no request context", () -> answer(lambda.handleRequest(
                        new APIGatewayV2HTTPEvent(), null)), 400, "not an API Gateway HTTP API request"));
    }

    @TestFactory
    Stream<DynamicTest> urls() {
        return cases(
                new Case("a photo on an allowed host", url(development, origin.url("/scorable.jpg")), 200, null),
                new Case("ftp URL", url(development, "ftp://example.com/a.jpg"), 400, "only http and https"),
                new Case("not a URL", url(development, "not a url"), 400, ""),
                new Case("credentials in the URL", url(development, "http://user:pw@example.com/a.jpg"), 400,
                        "credentials"),
                new Case("cloud metadata 169.254.169.254", url(development, "http://169.254.169.254/latest/meta-data/"), 502,
                        "not a public address"),
                new Case("metadata in decimal", url(development, "http://2852039166/latest/"), 502, "not a public address"),
                new Case("metadata in octal", url(development, "http://0251.0376.0251.0376/latest/"), 502,
                        "not a public address"),
                new Case("metadata in hex", url(development, "http://0xa9fea9fe/latest/"), 502, "not a public address"),
                new Case("metadata in hex, two parts", url(development, "http://0xa9.0xfea9fe/latest/"), 502,
                        "not a public address"),
                new Case("metadata IPv4-mapped IPv6", url(development, "http://[::ffff:169.254.169.254]/latest/"), 502,
                        "not a public address"),
                new Case("metadata IPv4-mapped IPv6 in hex", url(development, "http://[::ffff:a9fe:a9fe]/latest/"), 502,
                        "not a public address"),
                new Case("EC2 IPv6 metadata fd00:ec2::254", url(development, "http://[fd00:ec2::254]/latest/"), 502,
                        "not a public address"),
                new Case("private 10.0.0.1", url(development, "http://10.0.0.1/photo.jpg"), 502, "not a public address"),
                new Case("private 192.168.1.1 as one decimal", url(development, "http://3232235777/"), 502,
                        "not a public address"),
                new Case("redirect to the metadata address", url(development, origin.url("/to/metadata")), 502,
                        "not a public address"),
                new Case("redirect to metadata in hex", url(development, origin.url("/to/metadata-hex")), 502,
                        "not a public address"),
                new Case("redirect to metadata IPv4-mapped", url(development, origin.url("/to/metadata-ipv6")), 502,
                        "not a public address"),
                new Case("redirect to a private address", url(development, origin.url("/to/private")), 502,
                        "not a public address"),
                new Case("redirect to file:///etc/passwd", url(development, origin.url("/to/file")), 502,
                        "unusable location"),
                new Case("too many redirects", url(development, origin.url("/chain/4")), 502, "redirected more than 3"),
                new Case("HTML served as image/jpeg", url(development, origin.url("/page.html")), 415, "JPEG or PNG"),
                new Case("HTML that never ends", url(development, origin.url("/endless-html")), 415, "JPEG or PNG"),
                new Case("a body that never ends", url(development, origin.url("/endless")), 502, "larger than"),
                new Case("declares 1 GB", url(development, origin.url("/declared-huge")), 502, "larger than"),
                new Case("the origin's 404", url(development, origin.url("/status/404")), 502, "HTTP 404"),
                new Case("a host that dies mid-transfer", url(development, origin.url("/dies")), 502,
                        "connection to the URL's server failed"),
                new Case("a server that trickles one byte every 50 ms", url(development, origin.url("/slow")), 504,
                        "did not answer in time"));
    }

    @TestFactory
    Stream<DynamicTest> loopbackInProduction() {
        int port = origin.port();
        return Stream.of("127.0.0.1", "2130706433", "0177.0.0.1", "0x7f000001", "0x7f.1", "127.1", "[::1]",
                        "[::ffff:127.0.0.1]", "[::ffff:7f00:1]", "0.0.0.0", "localhost", "LocalHost")
                .map(host -> new Case("loopback as " + host, url(production, "http://" + host + ":" + port
                        + "/scorable.jpg"), 502, "public address"))
                .map(c -> test(c, production));
    }

    private Stream<DynamicTest> cases(Case... cases) {
        return Stream.of(cases).map(c -> test(c, development));
    }

    /** One case, then a valid photo on the same deployment: the service keeps serving. */
    private DynamicTest test(Case c, LocalDeployment deployment) {
        String label = c.name() + " -> " + c.status();
        return DynamicTest.dynamicTest(label, () -> {
            Answer answer = c.request().send();
            assertEquals(c.status(), answer.status(), label + ": " + answer.body());
            if (c.status() == 200) {
                assertScored(answer);
            } else {
                assertEquals("error", answer.body().path("status").asText(), answer.body().toString());
                assertTrue(answer.body().path("message").asText().contains(c.message()),
                        "message of " + label + ": " + answer.body());
                assertEquals(2, answer.body().size(), "status and message only: " + answer.body());
            }
            assertScored(send(HttpRequest.newBuilder(deployment.baseUrl().resolve("/v1/quality_ugc"))
                    .header("Authorization", basic(DEMO))
                    .header("Content-Type", "multipart/form-data; boundary=b")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(form("b", part("b", "data", photo)))).build()));
        });
    }

    private static void assertScored(Answer answer) {
        assertEquals(200, answer.status(), answer.body().toString());
        assertEquals("ok", answer.body().path("status").asText());
        double score = answer.body().path("quality").path("score").asDouble(-1);
        assertTrue(score >= 0 && score <= 1, answer.body().toString());
    }

    private static Request upload(byte[] bytes) {
        return post("multipart/form-data; boundary=b", form("b", part("b", "data", bytes)));
    }

    private static Request post(String contentType, byte[] body) {
        return () -> {
            HttpRequest.Builder request = HttpRequest.newBuilder(api("")).header("Authorization", basic(DEMO))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body));
            if (contentType != null) {
                request.header("Content-Type", contentType);
            }
            return send(request.build());
        };
    }

    private static Request get(LocalDeployment deployment, String query) {
        return () -> send(HttpRequest.newBuilder(deployment.baseUrl().resolve("/v1/quality_ugc?" + query))
                .header("Authorization", basic(DEMO)).build());
    }

    private static Request url(LocalDeployment deployment, String url) {
        return get(deployment, "url=" + encode(url));
    }

    private static Answer invoke(ApiGatewayHandler lambda, String body) {
        APIGatewayV2HTTPEvent event = APIGatewayV2HTTPEvent.builder()
                .withRawPath("/v1/quality_ugc").withRawQueryString("")
                .withHeaders(Map.of("authorization", basic(DEMO), "content-type", "multipart/form-data; boundary=b"))
                .withBody(body).withIsBase64Encoded(true)
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder().withRequestId("hostile-event")
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod("POST")
                                .withSourceIp("192.0.2.9").build())
                        .build())
                .build();
        return answer(lambda.handleRequest(event, null));
    }

    private static Answer answer(APIGatewayV2HTTPResponse response) {
        try {
            return new Answer(response.getStatusCode(), JSON.readTree(response.getBody()));
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + response.getBody(), e);
        }
    }

    private static Answer send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray());
        return new Answer(response.statusCode(), JSON.readTree(response.body()));
    }

    private static URI api(String query) {
        return development.baseUrl().resolve("/v1/quality_ugc" + (query.isEmpty() ? "" : "?" + query));
    }

    static String basic(ClientCredentials who) {
        return "Basic " + Base64.getEncoder().encodeToString((who.clientId() + ":" + who.clientSecret())
                .getBytes(StandardCharsets.UTF_8));
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    static byte[] part(String boundary, String field, byte[] bytes) {
        ByteArrayOutputStream part = new ByteArrayOutputStream();
        part.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field
                + "\"; filename=\"photo.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        part.writeBytes(bytes);
        part.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        return part.toByteArray();
    }

    static byte[] form(String boundary, byte[]... parts) {
        ByteArrayOutputStream form = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            form.writeBytes(part);
        }
        form.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return form.toByteArray();
    }
}
