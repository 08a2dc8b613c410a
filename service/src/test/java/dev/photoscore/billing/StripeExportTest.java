package dev.photoscore.billing;

import static dev.photoscore.billing.MeteringFixture.photos;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.photoscore.store.DynamoDbLocalExtension;
import dev.photoscore.tenants.Plan;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Stripe export on DynamoDB Local, sending to a stand-in for Stripe's meter events endpoint on loopback that
 * keeps identifiers as Stripe does (a second event with an identifier it has seen is refused).
 */
class StripeExportTest {

    @RegisterExtension
    static final DynamoDbLocalExtension DYNAMODB = new DynamoDbLocalExtension();

    private static final YearMonth OCTOBER = YearMonth.of(2026, 10);
    /** Twenty minutes after October ended. */
    private static final Clock AFTER_OCTOBER = Clock.fixed(Instant.parse("2026-11-01T00:20:00Z"), ZoneOffset.UTC);
    private static final String KEY = "sk_test_0123456789";

    private static MeteringFixture usage;
    private static StripeExport export;
    private static StubStripe stripe;
    /** Linked to cus_Paid; 520 photos in October, 20 billable. */
    private static String paying;
    /** Linked; 100 photos in October, all free. */
    private static String free;
    /** Not linked; 30 photos in October on a 10 free plan, 20 billable. */
    private static String unlinked;
    /** Linked to cus_Refused, which the stub refuses until told otherwise; 7 billable photos. */
    private static String refused;

    @BeforeAll
    static void meterOctober() throws Exception {
        usage = new MeteringFixture(DYNAMODB.client());
        paying = usage.tenant("Paying", Plan.DEFAULT);
        free = usage.tenant("Free", Plan.DEFAULT);
        unlinked = usage.tenant("Unlinked", new Plan(10, new BigDecimal("0.60"), OptionalLong.empty()));
        refused = usage.tenant("Refused", new Plan(0, new BigDecimal("0.60"), OptionalLong.empty()));
        usage.admin.setStripeCustomer(paying, Optional.of("cus_Paid"));
        usage.admin.setStripeCustomer(free, Optional.of("cus_Free"));
        usage.admin.setStripeCustomer(refused, Optional.of("cus_Refused"));
        Instant from = Instant.parse("2026-10-01T00:00:00Z");
        Instant to = Instant.parse("2026-11-01T00:00:00Z");
        usage.meterAtOnce(photos(paying, "oct", 520, from, to), photos(free, "oct", 100, from, to),
                photos(unlinked, "oct", 30, from, to), photos(refused, "oct", 7, from, to));
        export = new StripeExport(new BillingReporter(usage.tenants, usage.ledger, AFTER_OCTOBER), usage.tenants,
                AFTER_OCTOBER);
        stripe = StubStripe.start();
    }

    @AfterAll
    static void stop() {
        stripe.close();
        usage.close();
    }

    @Test
    void onlyBillablePhotosOfLinkedTenantsAreExportedTheSameEveryTime() {
        StripeExport.Export first = export.export(OCTOBER, Optional.empty(), "photoscore_scored_photos");
        StripeExport.Export again = export.export(OCTOBER, Optional.empty(), "photoscore_scored_photos");

        assertEquals(first, again);
        assertEquals(first.json(), again.json());
        assertEquals(List.of(unlinked), first.tenantsWithoutCustomer());
        // 23:59:59 on 31 October, UTC.
        long lastSecond = Instant.parse("2026-10-31T23:59:59Z").getEpochSecond();
        List<MeterEvent> expected = new ArrayList<>(List.of(
                new MeterEvent(paying, "photoscore_scored_photos", "ps-2026-10-" + paying,
                        Instant.ofEpochSecond(lastSecond), "cus_Paid", 20),
                new MeterEvent(refused, "photoscore_scored_photos", "ps-2026-10-" + refused,
                        Instant.ofEpochSecond(lastSecond), "cus_Refused", 7)));
        expected.sort((a, b) -> a.tenantId().compareTo(b.tenantId()));
        assertEquals(expected, first.events());
        String payingJson = """
                  "event_name" : "photoscore_scored_photos",
                  "identifier" : "ps-2026-10-%s",
                  "payload" : {
                    "stripe_customer_id" : "cus_Paid",
                    "value" : "20"
                  },
                  "timestamp" : %d
                """.formatted(paying, lastSecond);
        assertTrue(first.json().contains(payingJson), first.json());
    }

    @Test
    void sendingTwiceSendsEachEventOnceWithTheSameIdentifiers() {
        StripeMeterEventClient client = new StripeMeterEventClient(stripe.uri(), KEY);
        String payingId = "ps-2026-10-" + paying;
        StripeExport.Export events = export.export(OCTOBER, Optional.of(paying), "photoscore_scored_photos");

        StripeExport.Sent sent = export.send(events, client);
        StripeExport.Sent again = export.send(export.export(OCTOBER, Optional.of(paying), "photoscore_scored_photos"),
                client);

        assertEquals(events.events(), sent.sent());
        assertEquals(List.of(), again.sent());
        assertEquals(events.events(), again.sentBefore());
        List<Map<String, String>> posts = stripe.postsOf(payingId);
        assertEquals(1, posts.size(), posts::toString);
        Map<String, String> post = posts.get(0);
        assertEquals("Bearer " + KEY, post.get("authorization"));
        assertEquals(payingId, post.get("idempotency-key"));
        assertEquals("photoscore_scored_photos", post.get("event_name"));
        assertEquals("cus_Paid", post.get("payload[stripe_customer_id]"));
        assertEquals("20", post.get("payload[value]"));
        assertEquals(Long.toString(Instant.parse("2026-10-31T23:59:59Z").getEpochSecond()), post.get("timestamp"));
        assertEquals(Set.of(payingId), usage.tenants.find(paying).orElseThrow().stripe().sentEvents());
    }

    @Test
    void anEventStripeRefusesIsNotRememberedAndIsSentByTheNextRun() {
        StripeMeterEventClient client = new StripeMeterEventClient(stripe.uri(), KEY);
        String refusedId = "ps-2026-10-" + refused;
        StripeExport.Export events = export.export(OCTOBER, Optional.of(refused), "photoscore_scored_photos");

        StripeMeterEventClient.StripeException e = assertThrows(StripeMeterEventClient.StripeException.class,
                () -> export.send(events, client));
        assertEquals("Stripe refused meter event " + refusedId + " (HTTP 400): No such customer: 'cus_Refused'",
                e.getMessage());
        assertEquals(Set.of(), usage.tenants.find(refused).orElseThrow().stripe().sentEvents());

        stripe.accept("cus_Refused");
        assertEquals(events.events(), export.send(events, client).sent());
        assertEquals(Set.of(refusedId), usage.tenants.find(refused).orElseThrow().stripe().sentEvents());
    }

    @Test
    void aMonthMustHaveEndedAtMost35DaysAgo() {
        BillingReporter reporter = new BillingReporter(usage.tenants, usage.ledger, AFTER_OCTOBER);
        StripeExport during = new StripeExport(reporter, usage.tenants,
                Clock.fixed(Instant.parse("2026-10-31T23:59:59Z"), ZoneOffset.UTC));
        assertEquals("2026-10 has not ended: its statements can still grow", assertThrows(
                IllegalArgumentException.class, () -> during.export(OCTOBER, Optional.empty(), "e")).getMessage());
        // The event's timestamp, 23:59:59 on 31 October, is 35 days old at 23:59:59 on 5 December.
        StripeExport lastChance = new StripeExport(reporter, usage.tenants,
                Clock.fixed(Instant.parse("2026-12-05T23:59:59Z"), ZoneOffset.UTC));
        assertEquals(2, lastChance.export(OCTOBER, Optional.empty(), "e").events().size());
        StripeExport tooLate = new StripeExport(reporter, usage.tenants,
                Clock.fixed(Instant.parse("2026-12-06T00:00:00Z"), ZoneOffset.UTC));
        assertEquals("2026-10 ended more than 35 days ago: Stripe takes no meter events that old; invoice its"
                + " statements another way", assertThrows(IllegalArgumentException.class,
                () -> tooLate.export(OCTOBER, Optional.empty(), "e")).getMessage());
    }

    @Test
    void aStripeCustomerIdIsCheckedAndCanBeRemoved() {
        String tenant = usage.tenant("Linking", Plan.DEFAULT);
        assertThrows(IllegalArgumentException.class,
                () -> usage.admin.setStripeCustomer(tenant, Optional.of("acct_123")));
        assertEquals(Optional.of("cus_Q1w2E3"),
                usage.admin.setStripeCustomer(tenant, Optional.of("cus_Q1w2E3")).stripe().customerId());
        assertEquals(Optional.empty(), usage.admin.setStripeCustomer(tenant, Optional.empty()).stripe().customerId());
    }

    @Test
    void aKeyIsNeededToSend() {
        assertThrows(IllegalArgumentException.class, () -> new StripeMeterEventClient(stripe.uri(), " "));
    }

    /**
     * A stand-in for {@code POST /v1/billing/meter_events} on loopback: records each request's headers and form
     * fields; refuses an identifier it has accepted before, and customers it does not know, as Stripe does.
     */
    private static final class StubStripe implements AutoCloseable {

        private final HttpServer server;
        private final List<Map<String, String>> posts = Collections.synchronizedList(new ArrayList<>());
        private final Set<String> identifiers = Collections.synchronizedSet(new HashSet<>());
        private final Set<String> unknownCustomers = Collections.synchronizedSet(new HashSet<>(Set.of("cus_Refused")));

        private StubStripe(HttpServer server) {
            this.server = server;
        }

        static StubStripe start() throws IOException {
            StubStripe stub = new StubStripe(
                    HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0));
            stub.server.createContext("/v1/billing/meter_events", exchange -> {
                Map<String, String> post = new LinkedHashMap<>();
                post.put("authorization", exchange.getRequestHeaders().getFirst("Authorization"));
                post.put("idempotency-key", exchange.getRequestHeaders().getFirst("Idempotency-Key"));
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                for (String field : body.split("&")) {
                    String[] pair = field.split("=", 2);
                    post.put(URLDecoder.decode(pair[0], StandardCharsets.UTF_8),
                            URLDecoder.decode(pair[1], StandardCharsets.UTF_8));
                }
                String customer = post.get("payload[stripe_customer_id]");
                int status;
                String answer;
                if (stub.unknownCustomers.contains(customer)) {
                    status = 400;
                    answer = "{\"error\":{\"message\":\"No such customer: '" + customer + "'\"}}";
                } else if (!stub.identifiers.add(post.get("identifier"))) {
                    status = 400;
                    answer = "{\"error\":{\"message\":\"An event already exists with identifier "
                            + post.get("identifier") + "\"}}";
                } else {
                    stub.posts.add(post);
                    status = 200;
                    answer = "{\"object\":\"billing.meter_event\",\"identifier\":\"" + post.get("identifier")
                            + "\"}";
                }
                byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(status, bytes.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            });
            stub.server.start();
            return stub;
        }

        URI uri() {
            return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        }

        void accept(String customer) {
            unknownCustomers.remove(customer);
        }

        /** The accepted posts of this identifier. */
        List<Map<String, String>> postsOf(String identifier) {
            synchronized (posts) {
                return posts.stream().filter(p -> identifier.equals(p.get("identifier"))).toList();
            }
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
