package dev.photoscore.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.photoscore.dynamodblocal.DynamoDbLocal;
import dev.photoscore.metering.ScoredPhoto;
import dev.photoscore.metering.UsageMeter;
import dev.photoscore.metering.UsageSource;
import dev.photoscore.store.DynamoDbSettings;
import dev.photoscore.tenants.TenantStore;
import dev.photoscore.wiring.UsageStoreTables;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * {@code tenants set-stripe-customer} and {@code billing stripe-events} against DynamoDB Local, sending to a
 * loopback stand-in for Stripe. The month is last month (the command reads the real clock): the photos are
 * metered by a meter whose clock is in it.
 */
class BillingStripeEventsCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] AWS_PROPERTIES = {"aws.region", "aws.accessKeyId", "aws.secretAccessKey"};

    static DynamoDbLocal dynamoDb;
    static DynamoDbClient client;
    static HttpServer stripe;
    static final List<String> POSTS = Collections.synchronizedList(new ArrayList<>());
    static YearMonth lastMonth;
    static String tenant;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void start() throws Exception {
        for (String property : AWS_PROPERTIES) {
            System.setProperty(property, property.equals("aws.region") ? "us-east-1" : "local");
        }
        dynamoDb = DynamoDbLocal.start();
        client = DynamoDbSettings.builder().localEndpoint(dynamoDb.endpoint()).build().newClient();
        UsageStoreTables.createIfMissing(client);
        stripe = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        stripe.createContext("/v1/billing/meter_events", exchange -> {
            POSTS.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        stripe.start();

        tenant = run("tenants", "create", "--name", "Stripe customer", "--free", "2").path("clientId").asText();
        lastMonth = YearMonth.now(ZoneOffset.UTC).minusMonths(1);
        Instant inLastMonth = lastMonth.atDay(2).atStartOfDay(ZoneOffset.UTC).toInstant();
        UsageMeter meter = UsageMeter.builder(client, new TenantStore(client, TenantStore.DEFAULT_TABLE))
                .clock(Clock.fixed(inLastMonth, ZoneOffset.UTC)).build();
        for (int i = 0; i < 5; i++) {
            meter.meter(new ScoredPhoto(tenant, "photo-" + i, inLastMonth, UsageSource.API_URL));
        }
    }

    @AfterAll
    static void stop() {
        stripe.stop(0);
        client.close();
        dynamoDb.close();
        for (String property : AWS_PROPERTIES) {
            System.clearProperty(property);
        }
    }

    @Test
    void theBillablePhotosOfALinkedTenantAreExportedAndSentOnce() throws Exception {
        // Not linked yet: nothing exported, and said so.
        StringWriter err = new StringWriter();
        assertEquals(0, stripeEvents(err).size());
        assertTrue(err.toString().contains("billable photos but no Stripe customer: " + tenant), err.toString());

        assertEquals("cus_Test42", run("tenants", "set-stripe-customer", tenant, "cus_Test42")
                .path("stripeCustomerId").asText());
        JsonNode events = stripeEvents(new StringWriter());
        assertEquals(1, events.size());
        assertEquals("ps-" + lastMonth + "-" + tenant, events.get(0).path("identifier").asText());
        assertEquals("3", events.get(0).path("payload").path("value").asText());
        assertEquals("cus_Test42", events.get(0).path("payload").path("stripe_customer_id").asText());

        Path key = Files.writeString(tmp.resolve("stripe-key"), "sk_test_abc\n");
        StringWriter sent = new StringWriter();
        stripeEvents(sent, "--send", "--stripe-key-file", key.toString(), "--stripe-api",
                "http://127.0.0.1:" + stripe.getAddress().getPort());
        StringWriter again = new StringWriter();
        stripeEvents(again, "--send", "--stripe-key-file", key.toString(), "--stripe-api",
                "http://127.0.0.1:" + stripe.getAddress().getPort());

        assertTrue(sent.toString().contains("sent 1 meter events to Stripe, 0 sent before"), sent.toString());
        assertTrue(again.toString().contains("sent 0 meter events to Stripe, 1 sent before"), again.toString());
        assertEquals(1, POSTS.size());
        assertTrue(POSTS.get(0).contains("payload%5Bvalue%5D=3"), POSTS.get(0));

        assertTrue(!run("tenants", "set-stripe-customer", tenant, "none").has("stripeCustomerId"));
    }

    @Test
    void sendingNeedsAKeyAndAMonthThatHasEnded() {
        StringWriter err = new StringWriter();
        assertEquals(2, PhotoscoreCommand.run(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true),
                "billing", "stripe-events", "--month", lastMonth.toString(), "--send",
                "--stripe-key-file", tmp.resolve("missing").toString(), "--endpoint", dynamoDb.endpoint().toString()));
        assertTrue(err.toString().startsWith("photoscore: cannot read the Stripe key file "), err.toString());
        StringWriter thisMonth = new StringWriter();
        assertEquals(2, PhotoscoreCommand.run(new PrintWriter(new StringWriter(), true),
                new PrintWriter(thisMonth, true), "billing", "stripe-events", "--month",
                lastMonth.plusMonths(1).toString(), "--endpoint", dynamoDb.endpoint().toString()));
        assertEquals("photoscore: " + lastMonth.plusMonths(1) + " has not ended: its statements can still grow\n",
                thisMonth.toString());
    }

    private static JsonNode stripeEvents(StringWriter err, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of("billing", "stripe-events", "--month", lastMonth.toString(),
                "--endpoint", dynamoDb.endpoint().toString()));
        args.addAll(List.of(more));
        StringWriter out = new StringWriter();
        assertEquals(0, PhotoscoreCommand.run(new PrintWriter(out, true), new PrintWriter(err, true),
                args.toArray(String[]::new)), err.toString());
        return JSON.readTree(out.toString());
    }

    private static JsonNode run(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--endpoint", dynamoDb.endpoint().toString()));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        assertEquals(0, PhotoscoreCommand.run(new PrintWriter(out, true), new PrintWriter(err, true),
                all.toArray(String[]::new)), err.toString());
        return JSON.readTree(out.toString());
    }
}
