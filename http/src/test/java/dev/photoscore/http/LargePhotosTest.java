package dev.photoscore.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.photoscore.api.QualityApi;
import dev.photoscore.api.Routes;
import dev.photoscore.image.DecodeBudget;
import dev.photoscore.image.PhotoLimits;
import dev.photoscore.scoring.PhotoScorer;
import dev.photoscore.tenants.Authenticator;
import dev.photoscore.testing.HostilePhotos;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Four legal 100-megapixel photos at once through the server (issue 19: they took the JDK server's workers and the
 * heap): 10000x10000 16-bit RGBA PNGs of 780 KB, uploaded together to the pack an offline build makes (its quality
 * graph decodes a photo reduced to its working size). In a 2 GB heap with a decode budget of 1,200 MB (the module's
 * surefire settings, room for one such photo decoded with every pixel), each is admitted by the budget or answered 503
 * with {@code Retry-After}: never a 4xx (running out of memory was answered 422 "damaged"); the heap grows by no more
 * than the budget and what lies beside it; and a probe is answered within a second while a photo is in flight.
 */
class LargePhotosTest {

    static final int PHOTOS = 4;
    static final int SIDE = 10_000;
    static final long MB = 1024 * 1024;
    /** What the heap may hold beside the photos in flight: the bodies, the server's buffers, the model's heap side. */
    static final long BESIDE_THE_BUDGET = 256 * MB;

    @RegisterExtension
    static final ServedApis SERVED = ServedApis.onOfflinePack();
    static byte[] form;
    static ServedApi api;

    @BeforeAll
    static void start() {
        form = ServedApi.uploadForm("big.png", "image/png", HostilePhotos.deepRgbaPng(SIDE, SIDE));
        api = SERVED.start(ServerSettings.builder());
    }

    @Test
    void decodedReducedAllFourAreScoredBesideAProbe() throws Exception {
        List<String> statuses = fourAtOnceBesideAProbe(api.port(), api.services.scoring().scorer().decodeBudget());
        assertEquals(List.of("200", "200", "200", "200"), statuses, "a few MB each: all fit");
    }

    /**
     * The same with every pixel decoded (as a pack with handcrafted full-resolution features decodes): 1,144 MiB a
     * photo, one at a time in the budget, the others 503 with {@code Retry-After} after their 2 s wait.
     */
    @Test
    void everyPixelDecodedTheBudgetAdmitsOneAtATimeBesideAProbe() throws Exception {
        try (PhotoScorer everyPixel = PhotoScorer.builder().modelDir(api.models).threads(2).limits(PhotoLimits.api())
                .fullDecode(true).build();
             ApiServer server = ApiServer.start(ServerSettings.builder().port(0).build(), QualityApi.builder()
                     .scorer(everyPixel)
                     .authenticator(Authenticator.builder(api.services.scoring().tenants()).build())
                     .meter(api.services.scoring().meter())
                     .fetcher(api.services.fetcher())
                     .build(), Routes.NONE)) {
            List<String> statuses = fourAtOnceBesideAProbe(server.address().getPort(), everyPixel.decodeBudget());
            assertTrue(statuses.contains("200"), "one at a time fits the budget: " + statuses);
            assertTrue(statuses.contains("503 (Retry-After)"), "four do not fit at once: " + statuses);
        }
    }

    /**
     * Sends the four photos at once to the server on {@code port}, and a probe once one is admitted: checks the probe
     * and the answers, and the heap against the budget; returns the statuses.
     */
    private static List<String> fourAtOnceBesideAProbe(int port, DecodeBudget budget) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        URI quality = URI.create("http://127.0.0.1:" + port + "/v1/quality_ugc");
        probe(http, quality);
        HeapPeak heap = new HeapPeak();
        List<CompletableFuture<HttpResponse<String>>> uploads = new ArrayList<>();
        for (int i = 0; i < PHOTOS; i++) {
            uploads.add(http.sendAsync(HttpRequest.newBuilder(quality)
                    .header("Authorization", ServedApi.basic(ServedApi.TENANT))
                    .header("Content-Type", "multipart/form-data; boundary=b")
                    .timeout(Duration.ofMinutes(5))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(form)).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        while (budget.inUse() == 0) {
            assertFalse(uploads.stream().allMatch(CompletableFuture::isDone), "no photo was ever admitted");
            Thread.onSpinWait();
        }
        long start = System.nanoTime();
        HttpResponse<String> probe = probe(http, quality);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        boolean inFlight = budget.inUse() > 0;
        List<HttpResponse<String>> answers = uploads.stream().map(CompletableFuture::join).toList();
        long peak = heap.stop();

        List<String> statuses = answers.stream().map(a -> a.statusCode() + (a.headers()
                .firstValue("Retry-After").isPresent() ? " (Retry-After)" : "")).toList();
        System.out.println("100 MP photos: " + statuses + "; probe " + took.toMillis() + " ms while " + (inFlight
                ? "a photo was in flight" : "?") + "; heap peak " + peak / MB + " MB above the start (budget "
                + budget.capacity() / MB + " MB); process peak RSS " + peakRssKilobytes() / 1024 + " MB");
        assertEquals(401, probe.statusCode());
        assertTrue(inFlight, "the probe was answered after the photos: nothing measured");
        assertTrue(took.compareTo(SlowClientsTest.PROBE_BAR) < 0, "the probe took " + took.toMillis() + " ms");
        for (HttpResponse<String> answer : answers) {
            assertTrue(answer.statusCode() == 200 || answer.statusCode() == 503
                    && answer.headers().firstValue("Retry-After").isPresent(), answer.statusCode() + " "
                    + answer.body());
        }
        assertTrue(peak <= budget.capacity() + BESIDE_THE_BUDGET, "the heap grew " + peak / MB + " MB");
        return statuses;
    }

    private static HttpResponse<String> probe(HttpClient http, URI quality) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(quality).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }


    /** The process's peak resident set (Linux's VmHWM), in KB; 0 where the system does not say. */
    private static long peakRssKilobytes() throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.isReadable(status)) {
            return 0;
        }
        return Files.readAllLines(status).stream().filter(line -> line.startsWith("VmHWM:"))
                .mapToLong(line -> Long.parseLong(line.replaceAll("\\D", ""))).findFirst().orElse(0);
    }

    /** The most heap in use above where it stood at the start, sampled every 10 ms until stopped. */
    private static final class HeapPeak {
        private final AtomicLong peak = new AtomicLong();
        private final Thread sampler;
        private final long base;

        HeapPeak() {
            System.gc();
            Runtime runtime = Runtime.getRuntime();
            base = runtime.totalMemory() - runtime.freeMemory();
            sampler = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    peak.accumulateAndGet(runtime.totalMemory() - runtime.freeMemory() - base, Math::max);
                    try {
                        Thread.sleep(10);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "heap-peak");
            sampler.setDaemon(true);
            sampler.start();
        }

        long stop() throws InterruptedException {
            sampler.interrupt();
            sampler.join();
            return peak.get();
        }
    }
}
