package dev.photoscore.local;

import dev.photoscore.billing.BillingReport;
import dev.photoscore.billing.BillingReporter;
import dev.photoscore.billing.ReportFormat;
import dev.photoscore.metering.UsageLedger;
import dev.photoscore.store.UsageStoreUnavailableException;
import dev.photoscore.tenants.TenantStore;
import java.time.Clock;
import java.time.YearMonth;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** {@code billing report --month YYYY-MM [--tenant ID] [--format csv|json|table]}: a month's statements. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Prints the statements of a calendar month (UTC) from the usage table, one line item per"
                + " tenant: statement id, period, plan, photos scored, free allowance used and left, billable"
                + " photos, unit price, the exact amount and the amount due (rounded to the cent, half up), then"
                + " the totals. See docs/billing.md.")
final class BillingReportCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--month", required = true, paramLabel = "YYYY-MM", description = "The month, in UTC.")
    YearMonth month;

    @Option(names = "--tenant", paramLabel = "ID",
            description = "Only this tenant (client id), also without photos (default: every tenant with photos).")
    String tenant;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table", converter = FormatConverter.class,
            description = "csv, json or table (default: ${DEFAULT-VALUE}).")
    ReportFormat format;

    @Mixin
    UsageStoreOptions store;

    @Override
    public Integer call() {
        BillingReport report;
        try (DynamoDbClient client = store.newClient(BillingReporter.storeSettings())) {
            BillingReporter reporter = new BillingReporter(new TenantStore(client, store.tenantsTable),
                    new UsageLedger(client, store.usageTable), Clock.systemUTC());
            report = tenant == null ? reporter.report(month) : reporter.report(month, tenant);
        } catch (UsageStoreUnavailableException | SdkException e) {
            throw storeError(e);
        }
        spec.commandLine().getOut().print(format.render(report));
        spec.commandLine().getOut().flush();
        return 0;
    }

    /** The store's failure as one line with the SDK's reason (no credentials, no region, no such table, ...). */
    static IllegalStateException storeError(RuntimeException e) {
        return new IllegalStateException(e.getMessage()
                + (e.getCause() != null ? ": " + e.getCause().getMessage() : ""), e);
    }

    static final class FormatConverter implements ITypeConverter<ReportFormat> {
        @Override
        public ReportFormat convert(String value) {
            return ReportFormat.parse(value);
        }
    }
}
