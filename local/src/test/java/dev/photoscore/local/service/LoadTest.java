package dev.photoscore.local.service;

import static dev.photoscore.local.service.HostileRequestsTest.basic;
import static dev.photoscore.local.service.HostileRequestsTest.form;
import static dev.photoscore.local.service.HostileRequestsTest.part;
import static dev.photoscore.testing.TestPhotos.jpeg;
import static dev.photoscore.testing.TestPhotos.texturedRgb;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.photoscore.api.QualityApi;
import dev.photoscore.metering.UsageLedger;
import dev.photoscore.metering.UsageRecord;
import dev.photoscore.modelpack.testing.TestModelPacks;
import dev.photoscore.tenants.Authenticator;
import dev.photoscore.tenants.ClientCredentials;
import dev.photoscore.tenants.TenantAdmin;
import dev.photoscore.testing.HostilePhotos;
import dev.photoscore.testing.MisbehavingOrigin;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The local service under load on loopback, bounded in count: concurrent clients (a tenant each) sending valid
 * uploads, photo URLs (served on loopback, allowed by the deployment's development setting) and invalid uploads.
 * Valid input never gets a 5xx, latencies are printed, and the usage table holds exactly the requests that were
 * answered with a score: no more, no fewer. Then the same with DynamoDB Local stopped and restarted between phases:
 * 503 while it is down, scores again after, and billing still exact.
 */
class LoadTest {

    static final int CLIENTS = 8;
    static final int REQUESTS_PER_CLIENT = 40;
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    static Path tmp;

    static LocalDeployment deployment;
    static MisbehavingOrigin origin;
    static byte[] photo;

    @BeforeAll
    static void start() throws IOException {
        // The Lambda's tenant cache: while the store is down, the tenants it has just seen are still known, so
        // invalid photos are refused (415) without it.
        deployment = LocalDeployment.builder().port(0).modelDir(TestModelPacks.smallNima(tmp))
                .dynamoDbDir(tmp.resolve("dynamodb")).scorerThreads(2).allowLoopbackUrls(true)
                .tenantCacheTtl(Duration.ofSeconds(Authenticator.Builder.DEFAULT_TTL_SECONDS)).start();
        origin = new MisbehavingOrigin();
        photo = jpeg(texturedRgb(400, 300, 5));
    }

    @AfterAll
    static void stop() {
        if (origin != null) {
            origin.close();
        }
        if (deployment != null) {
            deployment.close();
        }
    }

    enum Kind { UPLOAD, URL, INVALID }

    record Outcome(ClientCredentials tenant, Kind kind, String requestId, int status, long micros) {
    }

    @Test
    void everyScoreIsBilledExactlyOnceUnderLoad() throws Exception {
        List<ClientCredentials> tenants = tenants("load");
        long started = System.nanoTime();
        List<Outcome> outcomes = run(tenants, 0, REQUESTS_PER_CLIENT);
        double seconds = (System.nanoTime() - started) / 1e9;

        report("load", outcomes, seconds);
        assertStatuses(outcomes, 200);
        assertBilledExactly(tenants, outcomes);
    }

    /**
     * Load in three phases: with the usage store up, with it stopped, and with it started again. Each phase's answers
     * are known: a score, then 503 for every valid request while the store is down (the tenants are known from the
     * cache, so invalid photos are still refused for what they are), then scores again.
     */
    @Test
    void usageStoreStoppedAndRestartedDuringLoad() throws Exception {
        List<ClientCredentials> tenants = tenants("fault");
        int phase = REQUESTS_PER_CLIENT / 4;
        // The service warns once per 503 it answers; the outage makes dozens on purpose, so they are caught here
        // (and counted) instead of filling the build's output.
        ListAppender<ILoggingEvent> warnings = new ListAppender<>();
        Logger api = (Logger) LoggerFactory.getLogger(QualityApi.class);
        warnings.start();
        api.addAppender(warnings);
        api.setAdditive(false);
        List<Outcome> before;
        List<Outcome> during;
        List<Outcome> after;
        try {
            before = run(tenants, 0, phase);
            deployment.stopDynamoDb();
            during = run(tenants, phase, 2 * phase);
            deployment.restartDynamoDb();
            after = run(tenants, 2 * phase, REQUESTS_PER_CLIENT);
        } finally {
            api.detachAppender(warnings);
            api.setAdditive(true);
        }

        report("before the usage store stops", before, Double.NaN);
        report("while it is stopped", during, Double.NaN);
        report("after it is started again", after, Double.NaN);
        assertStatuses(before, 200);
        assertStatuses(during, 503);
        assertStatuses(after, 200);
        long unavailable = during.stream().filter(o -> o.status() == 503).count();
        assertEquals(unavailable, warnings.list.stream()
                        .filter(event -> event.getFormattedMessage().startsWith("answered 503")).count(),
                "one warning per 503 answered");
        List<Outcome> all = new ArrayList<>(before);
        all.addAll(during);
        all.addAll(after);
        assertBilledExactly(tenants, all);
    }

    /** Every valid request answered {@code valid}; every invalid one 415, refused before the store is needed. */
    private static void assertStatuses(List<Outcome> outcomes, int valid) {
        for (Outcome outcome : outcomes) {
            int expected = outcome.kind() == Kind.INVALID ? 415 : valid;
            assertEquals(expected, outcome.status(), outcome.kind() + " request " + outcome.requestId());
        }
    }

    /** One tenant per client, so that the per-tenant rate limit never decides an answer. */
    private static List<ClientCredentials> tenants(String name) {
        TenantAdmin admin = new TenantAdmin(deployment.services().scoring().tenants());
        List<ClientCredentials> tenants = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            tenants.add(admin.create(name + "-" + i));
        }
        return tenants;
    }

    /**
     * Each client sends its requests {@code from} (included) to {@code to} one after the other: three valid uploads
     * and a photo URL for every invalid upload (text named .jpg: 415).
     */
    private static List<Outcome> run(List<ClientCredentials> tenants, int from, int to) throws Exception {
        byte[] notAPhoto = "this is not a photo\n".repeat(3000).getBytes(StandardCharsets.UTF_8);
        ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
        ExecutorService clients = Executors.newFixedThreadPool(tenants.size());
        try {
            List<Future<?>> running = new ArrayList<>();
            for (ClientCredentials tenant : tenants) {
                running.add(clients.submit(() -> {
                    for (int i = from; i < to; i++) {
                        Outcome outcome = switch (i % 5) {
                            case 1 -> url(tenant, origin.url("/scorable.jpg"));
                            case 3 -> upload(tenant, Kind.INVALID, notAPhoto);
                            default -> upload(tenant, Kind.UPLOAD, i % 5 == 4 ? HostilePhotos.jpegWithZipAppended(photo)
                                    : photo);
                        };
                        outcomes.add(outcome);
                    }
                    return null;
                }));
            }
            for (Future<?> client : running) {
                client.get(120, TimeUnit.SECONDS);
            }
        } finally {
            clients.shutdownNow();
        }
        return List.copyOf(outcomes);
    }

    private static Outcome upload(ClientCredentials tenant, Kind kind, byte[] bytes) throws IOException,
            InterruptedException {
        return send(tenant, kind, HttpRequest.newBuilder(deployment.baseUrl().resolve("/v1/quality_ugc"))
                .header("Content-Type", "multipart/form-data; boundary=b")
                .POST(HttpRequest.BodyPublishers.ofByteArray(form("b", part("b", "data", bytes)))));
    }

    private static Outcome url(ClientCredentials tenant, String url) throws IOException, InterruptedException {
        return send(tenant, Kind.URL, HttpRequest.newBuilder(deployment.baseUrl().resolve("/v1/quality_ugc?url="
                + URLEncoder.encode(url, StandardCharsets.UTF_8))));
    }

    private static Outcome send(ClientCredentials tenant, Kind kind, HttpRequest.Builder request)
            throws IOException, InterruptedException {
        long start = System.nanoTime();
        HttpResponse<String> response = HTTP.send(request.header("Authorization", basic(tenant)).build(),
                HttpResponse.BodyHandlers.ofString());
        long micros = (System.nanoTime() - start) / 1000;
        return new Outcome(tenant, kind, response.headers().firstValue("X-Request-Id").orElseThrow(),
                response.statusCode(), micros);
    }

    /** The usage table holds a record for each answer with a score, and for nothing else. */
    private static void assertBilledExactly(List<ClientCredentials> tenants, Collection<Outcome> outcomes) {
        UsageLedger ledger = new UsageLedger(deployment.services().scoring().dynamoDb(), UsageLedger.DEFAULT_TABLE);
        YearMonth now = YearMonth.now(ZoneOffset.UTC);
        Set<String> billed = new TreeSet<>();
        int records = 0;
        for (ClientCredentials tenant : tenants) {
            for (YearMonth month : List.of(now.minusMonths(1), now)) { // a run across midnight at a month's end
                for (UsageRecord record : ledger.records(tenant.clientId(), month)) {
                    billed.add(record.requestId());
                    records++;
                }
            }
        }
        Set<String> scored = outcomes.stream().filter(o -> o.status() == 200).map(Outcome::requestId)
                .collect(Collectors.toCollection(TreeSet::new));
        System.out.printf(Locale.ROOT, "  usage records: %d; answers with a score: %d%n", records, scored.size());
        assertEquals(billed.size(), records, "one record per request id");
        assertEquals(scored, billed, "billed exactly the answers with a score");
    }

    private static void report(String what, List<Outcome> outcomes, double seconds) {
        Map<Integer, Long> statuses = outcomes.stream()
                .collect(Collectors.groupingBy(Outcome::status, java.util.TreeMap::new, Collectors.counting()));
        System.out.printf(Locale.ROOT, "%s: %d requests from %d clients%s; statuses %s%n", what, outcomes.size(),
                CLIENTS, Double.isNaN(seconds) ? "" : String.format(Locale.ROOT, " in %.1f s (%.1f/s)", seconds,
                        outcomes.size() / seconds), statuses);
        Map<Kind, List<Outcome>> byKind = new EnumMap<>(Kind.class);
        outcomes.forEach(o -> byKind.computeIfAbsent(o.kind(), k -> new ArrayList<>()).add(o));
        byKind.forEach((kind, list) -> System.out.printf(Locale.ROOT, "  %-8s %4d  p50 %6.1f ms  p99 %6.1f ms%n",
                kind.name().toLowerCase(Locale.ROOT), list.size(), percentile(list, 50), percentile(list, 99)));
        System.out.printf(Locale.ROOT, "  %-8s %4d  p50 %6.1f ms  p99 %6.1f ms%n", "all", outcomes.size(),
                percentile(outcomes, 50), percentile(outcomes, 99));
    }

    /** The nearest-rank percentile of the latencies, in milliseconds. */
    private static double percentile(List<Outcome> outcomes, int percent) {
        long[] micros = outcomes.stream().mapToLong(Outcome::micros).sorted().toArray();
        int rank = (int) Math.ceil(percent / 100.0 * micros.length);
        return micros[Math.max(0, rank - 1)] / 1000.0;
    }
}
