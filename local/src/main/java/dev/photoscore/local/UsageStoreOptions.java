package dev.photoscore.local;

import dev.photoscore.metering.UsageLedger;
import dev.photoscore.store.DynamoDbSettings;
import dev.photoscore.tenants.TenantStore;
import java.net.URI;
import picocli.CommandLine.Option;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Where the tenants and usage tables are, for commands that read them: AWS by default (the SDK's region and
 * credentials chains: environment, profile, instance role), or any endpoint, such as DynamoDB Local's.
 */
final class UsageStoreOptions {

    @Option(names = "--endpoint", paramLabel = "URL",
            description = "DynamoDB endpoint, e.g. http://localhost:8000 for DynamoDB Local (default: the region's).")
    URI endpoint;

    @Option(names = "--region", paramLabel = "REGION",
            description = "AWS region (default: the SDK's chain: AWS_REGION, the profile, ...).")
    String region;

    @Option(names = "--tenants-table", paramLabel = "NAME", defaultValue = TenantStore.DEFAULT_TABLE,
            description = "Tenants table (default: ${DEFAULT-VALUE}).")
    String tenantsTable;

    @Option(names = "--usage-table", paramLabel = "NAME", defaultValue = UsageLedger.DEFAULT_TABLE,
            description = "Usage table (default: ${DEFAULT-VALUE}).")
    String usageTable;

    /** A client for these options on top of the given settings; the caller closes it. */
    DynamoDbClient newClient(DynamoDbSettings.Builder settings) {
        if (endpoint != null) {
            settings.endpointOverride(endpoint);
        }
        if (region != null) {
            settings.region(Region.of(region));
        }
        return settings.build().newClient();
    }
}
