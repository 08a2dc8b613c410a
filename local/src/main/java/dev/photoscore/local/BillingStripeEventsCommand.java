package dev.photoscore.local;

import dev.photoscore.billing.BillingReporter;
import dev.photoscore.billing.StripeExport;
import dev.photoscore.billing.StripeMeterEventClient;
import dev.photoscore.metering.UsageLedger;
import dev.photoscore.store.UsageStoreUnavailableException;
import dev.photoscore.tenants.TenantStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.YearMonth;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * {@code billing stripe-events --month YYYY-MM [--send]}: a month's billable photos as Stripe billing meter events,
 * written as JSON and, with {@code --send}, sent to Stripe with the key in {@code STRIPE_API_KEY} or a file.
 */
@Command(name = "stripe-events", mixinStandardHelpOptions = true,
        description = "Writes a month's billable photos as Stripe billing meter events (JSON): one event per tenant"
                + " with billable photos and a Stripe customer, its identifier the statement id. With --send, sends"
                + " the events Stripe has not accepted before. See docs/billing.md.")
final class BillingStripeEventsCommand implements Callable<Integer> {

    /** The environment variable holding Stripe's secret key. */
    static final String KEY_VARIABLE = "STRIPE_API_KEY";

    @Spec
    CommandSpec spec;

    @Option(names = "--month", required = true, paramLabel = "YYYY-MM",
            description = "The month, in UTC: ended, at most 35 days ago.")
    YearMonth month;

    @Option(names = "--tenant", paramLabel = "ID", description = "Only this tenant (default: every tenant).")
    String tenant;

    @Option(names = "--event-name", paramLabel = "NAME", defaultValue = StripeExport.DEFAULT_EVENT_NAME,
            description = "The Stripe meter's event name (default: ${DEFAULT-VALUE}).")
    String eventName;

    @Option(names = "--out", paramLabel = "FILE", description = "Write the events here (default: standard output).")
    Path out;

    @Option(names = "--send", description = "Send the events to Stripe (needs a key: " + KEY_VARIABLE
            + " or --stripe-key-file).")
    boolean send;

    @Option(names = "--stripe-key-file", paramLabel = "FILE",
            description = "A file holding Stripe's secret key (default: the environment variable " + KEY_VARIABLE
                    + ").")
    Path keyFile;

    @Option(names = "--stripe-api", paramLabel = "URL", description = "Stripe's API (default: ${DEFAULT-VALUE}).")
    URI stripeApi = StripeMeterEventClient.STRIPE_API;

    @Mixin
    UsageStoreOptions store;

    @Override
    public Integer call() throws IOException {
        // The key first: a send without one fails before anything is read.
        StripeMeterEventClient stripe = send ? new StripeMeterEventClient(stripeApi, key()) : null;
        PrintWriter err = spec.commandLine().getErr();
        try (DynamoDbClient client = store.newClient(BillingReporter.storeSettings())) {
            TenantStore tenants = new TenantStore(client, store.tenantsTable);
            Clock clock = Clock.systemUTC();
            StripeExport export = new StripeExport(
                    new BillingReporter(tenants, new UsageLedger(client, store.usageTable), clock), tenants, clock);
            StripeExport.Export events = export.export(month, Optional.ofNullable(tenant), eventName);
            if (out == null) {
                spec.commandLine().getOut().print(events.json());
                spec.commandLine().getOut().flush();
            } else {
                Files.writeString(out, events.json(), StandardCharsets.UTF_8);
            }
            if (!events.tenantsWithoutCustomer().isEmpty()) {
                err.println("photoscore: not exported, billable photos but no Stripe customer: "
                        + String.join(", ", events.tenantsWithoutCustomer()));
            }
            if (stripe != null) {
                StripeExport.Sent sent = export.send(events, stripe);
                err.println("photoscore: sent " + sent.sent().size() + " meter events to Stripe, "
                        + sent.sentBefore().size() + " sent before");
            }
        } catch (UsageStoreUnavailableException | SdkException e) {
            throw BillingReportCommand.storeError(e);
        }
        err.flush();
        return 0;
    }

    private String key() {
        String key;
        try {
            key = keyFile != null ? Files.readString(keyFile, StandardCharsets.UTF_8).strip()
                    : System.getenv(KEY_VARIABLE);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the Stripe key file " + keyFile + ": " + e, e);
        }
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("--send needs Stripe's secret key: set " + KEY_VARIABLE
                    + " or give --stripe-key-file");
        }
        return key;
    }
}
