package dev.photoscore.local.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.photoscore.demo.SampleGallery;
import dev.photoscore.modelpack.testing.SharedData;
import dev.photoscore.modelpack.testing.TestModelPacks;
import dev.photoscore.tenants.ClientCredentials;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The demo page end to end in headless Chromium (Debian's {@code chromium} and {@code chromium-driver}; .ci/run
 * installs them): a local deployment on a free port with a samples folder, the page opened from it, photos given
 * through the file input and the sample gallery, and every score the page shows compared with the API's own answer
 * for the same bytes. Screenshots (desktop and a 390 px wide phone) go to {@code target/screenshots/}.
 */
class DemoPageBrowserTest {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final ClientCredentials DEMO = new ClientCredentials("demo-client", "demo-secret-0123456789");
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient CLIENT = HttpClient.newHttpClient();
    static final String LONG_NAME = "harbour-at-dusk-with-the-fishing-boats-coming-home-2026-11-14.jpg";
    static final Path SCREENSHOTS = Path.of(System.getProperty("basedir", "."), "target", "screenshots");

    @TempDir
    static Path tmp;

    static LocalDeployment deployment;
    static Path samples;
    static ChromeDriver browser;

    @BeforeAll
    static void start() throws IOException {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            Assumptions.abort("skipped: no " + CHROMIUM + " and " + CHROMEDRIVER
                    + " (Debian's chromium and chromium-driver; .ci/run installs them)");
        }
        samples = generateSamples(Files.createDirectories(tmp.resolve("samples")));
        Path shared = SharedData.directory().resolve("images");
        if (Files.isDirectory(shared)) {
            // Real photos beside the generated ones (copies in the test's own folder; the shared data stays as is).
            try (var photos = Files.list(shared)) {
                for (Path photo : photos.filter(p -> p.toString().endsWith(".jpg")).toList()) {
                    Files.copy(photo, samples.resolve(photo.getFileName()));
                }
            }
        }
        // Small NIMA heads beside the project's own quality model: answers carry outputs the page names in plain
        // words (aesthetic, technical) and one it leaves to the answer (the quality model's estimate).
        TestModelPacks.NimaWeights heads = TestModelPacks.smallWeights(tmp);
        Path pack = TestModelPacks.withBundled(heads.aesthetic(), heads.technical(), null, tmp.resolve("pack"));
        deployment = LocalDeployment.builder().port(0).modelDir(pack).demoTenant(DEMO)
                .scorerThreads(2).samples(samples).start();
        browser = startChromium(tmp.resolve("chromium-profile"));
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (deployment != null) {
            deployment.close();
        }
    }

    /** Debian's chromium through its own chromedriver, named explicitly: Selenium Manager never downloads one. */
    static ChromeDriver startChromium(Path profile) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + profile, "--window-size=1280,900");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    @BeforeEach
    void openThePage() {
        browser.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
        browser.get(deployment.baseUrl() + "/");
        waitUntil(() -> !browser.findElements(By.cssSelector("#samples .tile")).isEmpty());
    }

    @Test
    void anUploadedPhotoShowsTheApisScore() throws Exception {
        Path photo = tmp.resolve("my photo.jpg");
        Files.write(photo, jpeg(photoImage(new Random(5), 640, 480), 0.9f));
        browser.findElement(By.id("file")).sendKeys(photo.toString());
        JsonNode shown = awaitResult(photo.getFileName().toString());
        assertShowsTheApisAnswer(shown, score(Files.readAllBytes(photo), "my photo.jpg"));
        assertTheCodeGivesTheSameAnswer(shown, photo.getParent());
    }

    @Test
    void aDroppedPhotoIsScored() throws Exception {
        String sample = scorableSamples().get(0);
        // What a drop of a file from the desktop delivers to the page: a drop event whose dataTransfer holds it.
        browser.executeAsyncScript("""
                const [name, done] = arguments;
                fetch('samples/' + encodeURIComponent(name)).then((r) => r.blob()).then((blob) => {
                  const files = new DataTransfer();
                  files.items.add(new File([blob], 'dropped.jpg', {type: blob.type}));
                  document.getElementById('dropzone').dispatchEvent(
                      new DragEvent('drop', {dataTransfer: files, bubbles: true, cancelable: true}));
                  done();
                });""", sample);
        JsonNode shown = awaitResult("dropped.jpg");
        assertShowsTheApisAnswer(shown, score(Files.readAllBytes(samples.resolve(sample)), "dropped.jpg"));
    }

    @Test
    void aSampleShowsTheApisScoreWhenClickedOrChosenByKeyboard() throws Exception {
        List<String> scorable = scorableSamples();
        assertTrue(scorable.size() >= 2, "the samples folder needs two photos of more than 20 KB: " + samples);

        tile(scorable.get(0)).click();
        JsonNode first = awaitResult(scorable.get(0));
        assertShowsTheApisAnswer(first, score(Files.readAllBytes(samples.resolve(scorable.get(0))), scorable.get(0)));
        assertEquals("true", tile(scorable.get(0)).getAttribute("aria-current"));

        WebElement second = tile(scorable.get(1));
        browser.executeScript("arguments[0].focus()", second);
        assertEquals(second, browser.switchTo().activeElement(), "a sample tile takes the keyboard focus");
        new Actions(browser).sendKeys(Keys.SPACE).perform();
        JsonNode chosen = awaitResult(scorable.get(1));
        assertShowsTheApisAnswer(chosen, score(Files.readAllBytes(samples.resolve(scorable.get(1))), scorable.get(1)));
    }

    @Test
    void aTooSmallOrWrongFileIsRefusedBeforeUpload() throws Exception {
        Path small = tmp.resolve("small.png");
        Files.write(small, png(photoImage(new Random(7), 40, 30)));
        assertTrue(Files.size(small) <= 20 * 1024);
        String tooSmall = refused(small);
        assertTrue(tooSmall.startsWith("“small.png” is too small"), tooSmall);
        assertTrue(tooSmall.contains("must be larger than 20 KB"), tooSmall);
        screenshot("demo-too-small.png", 1280);

        assertTrue(browser.findElement(By.id("preview-image")).isDisplayed(), "a photo too small is still shown");

        Path notPhoto = tmp.resolve("notes.jpg");
        Files.writeString(notPhoto, "not a photo\n".repeat(3000));
        assertTrue(refused(notPhoto).contains("is not a JPG or PNG photo"), text("message"));
        assertFalse(browser.findElement(By.id("preview-image")).isDisplayed(),
                "no broken image under the message for a file that is no photo");
        assertEquals(null, browser.findElement(By.id("preview-image")).getAttribute("src"));
        screenshot("demo-not-a-photo.png", 1280);

        Path large = tmp.resolve("large.png");
        byte[] header = png(photoImage(new Random(8), 40, 30));
        Files.write(large, Arrays.copyOf(header, 10 * 1024 * 1024));
        assertTrue(refused(large).contains("is too large: 10.0 MB (10,485,760 bytes)"), text("message"));

        // 10,500,493 bytes is 10.01 MB: shown as 10.1 MB, never as a "10.0 MB" that seems to meet "smaller than 10 MB".
        Path larger = tmp.resolve("larger.png");
        Files.write(larger, Arrays.copyOf(header, 10_500_493));
        String tooLarge = refused(larger);
        assertTrue(tooLarge.contains("is too large: 10.1 MB (10,500,493 bytes). A photo must be smaller than 10 MB."),
                tooLarge);
    }

    @Test
    void aFlaggedPhotoShowsAHintPerFlagAndOnlyTheOutputsAUserReads() throws Exception {
        Path photo = tmp.resolve("blown out.png");
        Files.write(photo, png(overexposed(photoImage(new Random(11), 640, 480))));
        JsonNode api = score(Files.readAllBytes(photo), "blown out.png");
        JsonNode flags = api.path("details").path("flags");
        assertFalse(flags.isEmpty(), "the photo is flagged: " + api);

        browser.findElement(By.id("file")).sendKeys(photo.toString());
        JsonNode shown = awaitResult("blown out.png");
        assertShowsTheApisAnswer(shown, api);
        List<WebElement> hints = browser.findElements(By.cssSelector("#hints li"));
        assertEquals(flags.size(), hints.size(), "one line per flag, no raw flag names beside the hints");
        for (int i = 0; i < flags.size(); i++) {
            assertEquals(flags.get(i).asText(), hints.get(i).getAttribute("data-flag"));
            assertEquals(api.path("details").path("hints").get(i).asText(), hints.get(i).getText());
        }
        screenshot("demo-flagged.png", 1280);
    }

    @Test
    void offersOnlySamplesTheApiScoresWithTheirWholeNames() throws Exception {
        List<String> tiles = browser.findElements(By.cssSelector("#samples .tile")).stream()
                .map(tile -> tile.getAttribute("data-name")).toList();
        assertFalse(tiles.contains("tiny.jpg"), "a sample of 20 KB or less is not offered: the API refuses it");
        assertEquals(scorableSamples(), tiles);

        WebElement caption = tile(LONG_NAME).findElement(By.className("tile-caption"));
        assertTrue(caption.getText().startsWith(LONG_NAME), "the whole name shows: " + caption.getText());
        assertEquals(LONG_NAME, tile(LONG_NAME).getAttribute("title"));
        assertTrue((Boolean) browser.executeScript("return arguments[0].scrollWidth <= arguments[0].clientWidth",
                caption), "the caption wraps instead of being cut off");

        HttpResponse<byte[]> icon = CLIENT.send(HttpRequest.newBuilder(URI.create(deployment.baseUrl() + "/favicon.ico"))
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, icon.statusCode(), "the browser's /favicon.ico");
        assertEquals("image/x-icon", icon.headers().firstValue("Content-Type").orElse(""));
        assertEquals(deployment.baseUrl() + "/favicon.ico",
                browser.findElement(By.cssSelector("link[rel=icon]")).getAttribute("href"));
    }

    /** The page's message for a file it refuses; the answer area stays empty (nothing was sent). */
    String refused(Path file) {
        browser.findElement(By.id("file")).sendKeys(file.toString());
        waitUntil(() -> browser.findElement(By.id("message")).isDisplayed()
                && browser.findElement(By.id("preview-name")).getText().startsWith(file.getFileName() + ","));
        assertFalse(browser.findElement(By.id("score-block")).isDisplayed());
        assertFalse(browser.findElement(By.id("code-block")).isDisplayed());
        assertEquals("false", browser.findElement(By.id("result")).getAttribute("aria-busy"));
        return text("message");
    }

    @Test
    void accessibleAndSelfContained() {
        assertEquals("file", browser.findElement(By.cssSelector("label[for=file]")).getAttribute("for"));
        assertEquals("polite", browser.findElement(By.id("summary")).getAttribute("aria-live"));
        assertEquals("alert", browser.findElement(By.id("message")).getAttribute("role"));
        for (WebElement image : browser.findElements(By.cssSelector("#samples img"))) {
            assertFalse(image.getAttribute("alt").isBlank(), "a sample image without alt text");
        }
        for (WebElement tile : browser.findElements(By.cssSelector("#samples .tile"))) {
            assertEquals("button", tile.getTagName(), "sample tiles are buttons: focusable, Enter and Space work");
        }
        new Actions(browser).sendKeys(Keys.TAB).perform();
        assertEquals("file", browser.switchTo().activeElement().getAttribute("id"), "the file input comes first");

        String origin = deployment.baseUrl().toString();
        @SuppressWarnings("unchecked")
        List<String> loaded = (List<String>) browser.executeScript(
                "return performance.getEntriesByType('resource').map(e => e.name)");
        assertFalse(loaded.isEmpty());
        for (String url : loaded) {
            assertTrue(url.startsWith(origin + "/"), "loaded from elsewhere: " + url);
        }
    }

    @Test
    void looksRightOnADesktopAndAPhone() throws Exception {
        String sample = scorableSamples().get(0);
        tile(sample).click();
        awaitResult(sample);
        screenshot("demo-desktop.png", 1280);

        screenshot("demo-phone.png", 390);
        assertEquals(390L, browser.executeScript("return window.innerWidth"));
        assertEquals(390L, browser.executeScript("return document.documentElement.scrollWidth"),
                "nothing sticks out sideways at 390 px");
        WebElement result = browser.findElement(By.id("result"));
        WebElement upload = browser.findElement(By.cssSelector("section.upload"));
        assertTrue(result.getRect().getY() > upload.getRect().getY(), "one column on a phone");
    }

    // --- the API's own answer ------------------------------------------------------------------------------------

    /** The API's answer for these bytes, asked directly (multipart upload with details=true, demo credentials). */
    static JsonNode score(byte[] photo, String name) throws IOException, InterruptedException {
        String boundary = "photoscore-test-boundary";
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"data\"; filename=\"" + name
                + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.write(photo);
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        String auth = Base64.getEncoder().encodeToString(
                (DEMO.clientId() + ":" + DEMO.clientSecret()).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> response = CLIENT.send(HttpRequest.newBuilder(
                        URI.create(deployment.baseUrl() + "/v1/quality_ugc?details=true"))
                .header("Authorization", "Basic " + auth)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return JSON.readTree(response.body());
    }

    /** The answer the page shows, once it shows the result for {@code name}. */
    JsonNode awaitResult(String name) throws IOException {
        waitUntil(() -> browser.findElement(By.id("preview-name")).getText().startsWith(name + ",")
                && (browser.findElement(By.id("score-block")).isDisplayed()
                || browser.findElement(By.id("message")).isDisplayed()));
        assertFalse(browser.findElement(By.id("message")).isDisplayed(), text("message"));
        return JSON.readTree(text("answer"));
    }

    /** The page shows the API's score, band and details for the same bytes. */
    void assertShowsTheApisAnswer(JsonNode shown, JsonNode api) {
        assertEquals(api.get("quality"), shown.get("quality"));
        assertEquals(api.get("details"), shown.get("details"));
        double score = api.path("quality").path("score").asDouble();
        String percent = String.format(Locale.ROOT, "%.1f", Math.floor(score * 1000) / 10);
        assertEquals(percent + " %", text("score-percent"));
        assertEquals(percent, browser.findElement(By.id("score-bar")).getAttribute("aria-valuenow"));
        String band = List.of("Very bad", "Bad", "Average", "Good", "Excellent")
                .get(api.path("quality").path("class").asInt() - 1);
        assertEquals(band, text("score-band"));
        assertTrue(text("score-meaning").startsWith(band + " ("), text("score-meaning"));
        assertEquals(String.format(Locale.ROOT, "%.2f / 10", api.path("details").path("aesthetic").asDouble()),
                browser.findElement(By.cssSelector("#details dd[data-key=aesthetic]")).getText());
        assertEquals(String.format(Locale.ROOT, "%.2f / 10", api.path("details").path("technical").asDouble()),
                browser.findElement(By.cssSelector("#details dd[data-key=technical]")).getText());
        // Only outputs named in plain words are shown; others (a model's internals) stay in the answer below.
        List<String> outputs = browser.findElements(By.cssSelector("#details dd")).stream()
                .map(output -> output.getAttribute("data-key")).toList();
        assertEquals(List.of("aesthetic", "technical"), outputs, "outputs in the answer: " + api.path("details"));
        for (WebElement term : browser.findElements(By.cssSelector("#details dt"))) {
            assertFalse(term.getText().contains("_") || term.getText().toLowerCase(Locale.ROOT).contains("mos"),
                    "a model's name for an output: " + term.getText());
        }
        String curl = text("curl");
        assertTrue(curl.contains(deployment.baseUrl() + "/v1/quality_ugc?details=true"), curl);
        assertTrue(curl.contains(DEMO.clientId() + ":" + DEMO.clientSecret()), curl);
    }

    /** The curl and Python calls the page shows give the same score, run where the photo lies. */
    void assertTheCodeGivesTheSameAnswer(JsonNode shown, Path folder) throws Exception {
        JsonNode byCurl = JSON.readTree(run(folder, "bash", "-c", text("curl")));
        assertEquals(shown.get("quality"), byCurl.get("quality"));
        assertEquals(shown.get("details"), byCurl.get("details"));
        if (hasPythonRequests()) {
            String printed = run(folder, "python3", "-c", text("python") + "\nimport json; print(json.dumps(r.json()))");
            String json = printed.strip().lines().reduce((a, b) -> b).orElseThrow();
            assertEquals(shown.get("quality"), JSON.readTree(json).get("quality"));
        } else {
            System.out.println("skipped running the page's Python call: no python3 with requests here");
        }
    }

    static boolean hasPythonRequests() throws InterruptedException {
        try {
            Process probe = new ProcessBuilder("python3", "-c", "import requests").start();
            return probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0;
        } catch (IOException e) {
            return false;
        }
    }

    /** Runs a command in a folder; its stdout. */
    static String run(Path folder, String... command) throws IOException, InterruptedException {
        Path errors = Files.createTempFile(tmp, "stderr", ".txt");
        Process process = new ProcessBuilder(command).directory(folder.toFile())
                .redirectError(errors.toFile()).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "timed out: " + List.of(command));
        assertEquals(0, process.exitValue(), "failed: " + List.of(command) + "\n" + out + Files.readString(errors));
        return out;
    }

    // --- the page ------------------------------------------------------------------------------------------------

    /** The samples the API takes (more than 20 KB), as the gallery lists them. */
    static List<String> scorableSamples() throws IOException, InterruptedException {
        HttpResponse<String> index = CLIENT.send(HttpRequest.newBuilder(
                URI.create(deployment.baseUrl() + SampleGallery.PATH)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, index.statusCode());
        List<String> names = new ArrayList<>();
        JSON.readTree(index.body()).path("samples").forEach(sample -> {
            if (sample.path("bytes").asLong() > 20 * 1024) {
                names.add(sample.path("name").asText());
            }
        });
        return names;
    }

    WebElement tile(String name) {
        return browser.findElements(By.cssSelector("#samples .tile")).stream()
                .filter(tile -> name.equals(tile.getAttribute("data-name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no sample tile for " + name));
    }

    String text(String id) {
        return browser.findElement(By.id(id)).getAttribute("textContent");
    }

    void waitUntil(BooleanSupplier condition) {
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(driver -> condition.getAsBoolean());
    }

    /** The whole page at this width (the window made as tall as the page), saved for people to look at. */
    void screenshot(String file, int width) throws IOException {
        browser.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of(
                "width", width, "height", 900, "deviceScaleFactor", 1, "mobile", width < 600));
        long height = (Long) browser.executeScript("return document.documentElement.scrollHeight");
        browser.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of(
                "width", width, "height", height, "deviceScaleFactor", 1, "mobile", width < 600));
        Files.createDirectories(SCREENSHOTS);
        File shot = browser.getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), SCREENSHOTS.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        System.out.println("screenshot: " + SCREENSHOTS.resolve(file).toAbsolutePath().normalize());
    }

    // --- photos ----------------------------------------------------------------------------------------------------

    /** Sample photos: four the API takes (one with a long name) and one too small for it. */
    static Path generateSamples(Path folder) throws IOException {
        Files.write(folder.resolve("dusk.jpg"), jpeg(photoImage(new Random(1), 800, 600), 0.9f));
        Files.write(folder.resolve("noon.png"), png(photoImage(new Random(2), 320, 240)));
        Files.write(folder.resolve("sea.jpg"), jpeg(photoImage(new Random(3), 640, 480), 0.85f));
        Files.write(folder.resolve("tiny.jpg"), jpeg(photoImage(new Random(4), 80, 60), 0.7f));
        Files.write(folder.resolve(LONG_NAME), jpeg(photoImage(new Random(6), 640, 480), 0.85f));
        Files.writeString(folder.resolve("README.txt"), "not a sample: the gallery does not list it");
        return folder;
    }

    /** A landscape-like picture: a sky gradient, a sun, hills, and sensor-like noise (so it has some bytes). */
    static BufferedImage photoImage(Random random, int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        Color sky = Color.getHSBColor(random.nextFloat(), 0.5f, 0.9f);
        g.setPaint(new GradientPaint(0, 0, sky, 0, height, sky.darker().darker()));
        g.fillRect(0, 0, width, height);
        g.setColor(new Color(255, 225, 150));
        int sun = height / 5;
        g.fillOval(random.nextInt(width - sun), height / 8, sun, sun);
        g.setColor(Color.getHSBColor(0.3f + random.nextFloat() * 0.1f, 0.6f, 0.35f));
        for (int hill = 0; hill < 3; hill++) {
            int w = width / 2 + random.nextInt(width);
            g.fillOval(random.nextInt(width) - w / 2, height * 2 / 3 - random.nextInt(height / 6), w, height);
        }
        g.dispose();
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int rgb = image.getRGB(x, y);
                int n = random.nextInt(17) - 8;
                image.setRGB(x, y, clamp((rgb >> 16 & 255) + n) << 16 | clamp((rgb >> 8 & 255) + n) << 8
                        | clamp((rgb & 255) + n));
            }
        }
        return image;
    }

    /** The picture two stops brighter, clipped: most of it white. */
    static BufferedImage overexposed(BufferedImage image) {
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y);
                image.setRGB(x, y, clamp((rgb >> 16 & 255) * 4) << 16 | clamp((rgb >> 8 & 255) * 4) << 8
                        | clamp((rgb & 255) * 4));
            }
        }
        return image;
    }

    static int clamp(int value) {
        return Math.max(0, Math.min(255, value));
    }

    static byte[] png(BufferedImage image) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(image, "png", bytes);
        return bytes.toByteArray();
    }

    static byte[] jpeg(BufferedImage image, float quality) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(quality);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }
}
