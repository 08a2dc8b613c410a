package dev.photoscore.local;

import dev.photoscore.metering.UsageLedger;
import dev.photoscore.store.DynamoDbSettings;
import dev.photoscore.tenants.TenantStore;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Where the tenants and usage tables are, for commands that read them both. */
final class UsageStoreOptions {

    @Mixin
    DynamoDbOptions dynamoDb;

    @Option(names = "--tenants-table", paramLabel = "NAME", defaultValue = TenantStore.DEFAULT_TABLE,
            description = "Tenants table (default: ${DEFAULT-VALUE}).")
    String tenantsTable;

    @Option(names = "--usage-table", paramLabel = "NAME", defaultValue = UsageLedger.DEFAULT_TABLE,
            description = "Usage table (default: ${DEFAULT-VALUE}).")
    String usageTable;

    /** A client for these options on top of the given settings; the caller closes it. */
    DynamoDbClient newClient(DynamoDbSettings.Builder settings) {
        return dynamoDb.newClient(settings);
    }
}
