package dev.photoscore.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.photoscore.metering.ScoredPhoto;
import dev.photoscore.metering.UsageLedger;
import dev.photoscore.metering.UsageMeter;
import dev.photoscore.metering.UsageSource;
import dev.photoscore.tenants.Authenticator;
import dev.photoscore.tenants.ClientCredentials;
import dev.photoscore.tenants.TenantAdmin;
import dev.photoscore.tenants.TenantStore;
import dev.photoscore.wiring.UsageStoreTables;
import java.time.Instant;
import java.time.YearMonth;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** With DynamoDB Local stopped, every operation fails with the one typed error the API answers 503 for. */
class UsageStoreDownTest {

    @RegisterExtension
    static final DynamoDbLocalExtension DYNAMODB = new DynamoDbLocalExtension();

    @Test
    void everyOperationReportsTheStoreUnavailable() {
        UsageStoreTables.createIfMissing(DYNAMODB.client(), "tenants", "usage");
        TenantStore store = new TenantStore(DYNAMODB.client(), "tenants");
        TenantAdmin admin = new TenantAdmin(store);
        ClientCredentials credentials = admin.create("acme");
        UsageMeter meter = UsageMeter.builder(DYNAMODB.client(), store).usageTable("usage").build();
        ScoredPhoto photo = new ScoredPhoto(credentials.clientId(), "req-1", Instant.now(), UsageSource.API_URL);

        DYNAMODB.stop();

        UsageStoreUnavailableException e = assertThrows(UsageStoreUnavailableException.class, () ->
                Authenticator.builder(store).build().authenticate(credentials.clientId(), credentials.clientSecret()));
        assertThrows(UsageStoreUnavailableException.class, () -> meter.meter(photo));
        assertThrows(UsageStoreUnavailableException.class, () -> admin.create("other"));
        assertThrows(UsageStoreUnavailableException.class, admin::list);
        assertThrows(UsageStoreUnavailableException.class, () -> admin.disable(credentials.clientId()));
        assertThrows(UsageStoreUnavailableException.class,
                () -> new UsageLedger(DYNAMODB.client(), "usage").records(credentials.clientId(), YearMonth.now()));
        assertThrows(UsageStoreUnavailableException.class,
                () -> TenantStore.createTable(DYNAMODB.client(), "more-tenants"));
    }
}
