package dev.photoscore.wiring;

import dev.photoscore.metering.UsageLedger;
import dev.photoscore.tenants.TenantStore;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The usage store's two tables, the tenants' and the usage records', created where nobody else does: the local
 * service and the tests. In AWS the SAM template creates them, with the same keys.
 */
public final class UsageStoreTables {

    private UsageStoreTables() {
    }

    /** Creates both tables under their default names unless they exist; returns once they are active. */
    public static void createIfMissing(DynamoDbClient client) {
        createIfMissing(client, TenantStore.DEFAULT_TABLE, UsageLedger.DEFAULT_TABLE);
    }

    /** Creates both tables under these names unless they exist; returns once they are active. */
    public static void createIfMissing(DynamoDbClient client, String tenantsTable, String usageTable) {
        TenantStore.createTable(client, tenantsTable);
        UsageLedger.createTable(client, usageTable);
    }
}
