package dev.photoscore.tenants;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.photoscore.store.DynamoDbLocalExtension;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class TenantAdminTest {

    @RegisterExtension
    static final DynamoDbLocalExtension DYNAMODB = new DynamoDbLocalExtension();

    private static TenantStore store;
    private static TenantAdmin admin;

    @BeforeAll
    static void table() {
        TenantStore.createTable(DYNAMODB.client(), TenantStore.DEFAULT_TABLE);
        store = new TenantStore(DYNAMODB.client(), TenantStore.DEFAULT_TABLE);
        admin = new TenantAdmin(store);
    }

    @Test
    void createsAnActiveTenantOnTheDefaultPlan() {
        Instant before = Instant.now().minusMillis(1);

        ClientCredentials credentials = admin.create("  Acme Photos ");

        Tenant tenant = store.find(credentials.clientId()).orElseThrow();
        assertEquals("Acme Photos", tenant.name());
        assertEquals(TenantStatus.ACTIVE, tenant.status());
        assertEquals(Plan.DEFAULT, tenant.plan());
        assertTrue(!tenant.createdAt().isBefore(before) && !tenant.createdAt().isAfter(Instant.now()));
        assertEquals(0, tenant.lifetimePhotos());
        assertEquals(Map.of(), tenant.monthlyPhotos());
        assertTrue(admin.list().contains(tenant));
        assertFalse(credentials.toString().contains(credentials.clientSecret()));
    }

    @Test
    void keepsOnlyAHashOfTheSecret() {
        ClientCredentials credentials = admin.create("hashed");

        Map<String, AttributeValue> item = DYNAMODB.client().getItem(b -> b.tableName(TenantStore.DEFAULT_TABLE)
                .key(Map.of("clientId", AttributeValue.fromS(credentials.clientId())))).item();

        item.values().forEach(value -> assertFalse(String.valueOf(value).contains(credentials.clientSecret())));
        assertTrue(ClientSecrets.matches(credentials.clientSecret(), item.get("secretHash").s()));
    }

    @Test
    void createsTenantsOnOtherPlans() {
        Plan plan = new Plan(10, new BigDecimal("1.25"), OptionalLong.of(1_000));

        String clientId = admin.create("custom", plan).clientId();

        assertEquals(plan, store.find(clientId).orElseThrow().plan());
    }

    @Test
    void listsTenantsOldestFirst() {
        String first = admin.create("first").clientId();
        String second = admin.create("second").clientId();

        List<Tenant> tenants = admin.list();

        assertEquals(tenants.stream().sorted(Comparator.comparing(Tenant::createdAt)).toList(), tenants);
        List<String> ids = tenants.stream().map(Tenant::clientId).toList();
        assertTrue(ids.containsAll(List.of(first, second)), ids::toString);
    }

    @Test
    void rotatingReplacesTheSecret() {
        ClientCredentials old = admin.create("rotating");

        ClientCredentials rotated = admin.rotateSecret(old.clientId());

        assertEquals(old.clientId(), rotated.clientId());
        assertNotEquals(old.clientSecret(), rotated.clientSecret());
        Authenticator authenticator = Authenticator.builder(store).cacheTtl(Duration.ZERO).build();
        assertEquals(old.clientId(), authenticator.authenticate(rotated.clientId(), rotated.clientSecret()).clientId());
        assertThrows(AuthenticationException.class,
                () -> authenticator.authenticate(old.clientId(), old.clientSecret()));
    }

    @Test
    void disablingAndEnablingSetTheStatus() {
        String clientId = admin.create("toggled").clientId();

        assertEquals(TenantStatus.DISABLED, admin.disable(clientId).status());
        assertEquals(TenantStatus.DISABLED, store.find(clientId).orElseThrow().status());
        assertEquals(TenantStatus.ACTIVE, admin.enable(clientId).status());
        assertEquals(TenantStatus.ACTIVE, store.find(clientId).orElseThrow().status());
    }

    @Test
    void setsAndRemovesTheMonthlyCap() {
        String clientId = admin.create("capped").clientId();

        assertEquals(OptionalLong.of(25), admin.setMonthlyCap(clientId, OptionalLong.of(25)).plan().monthlyCap());
        assertEquals(OptionalLong.of(25), store.find(clientId).orElseThrow().plan().monthlyCap());
        assertEquals(OptionalLong.empty(), admin.setMonthlyCap(clientId, OptionalLong.empty()).plan().monthlyCap());
        assertThrows(IllegalArgumentException.class, () -> admin.setMonthlyCap(clientId, OptionalLong.of(0)));
    }

    @Test
    void operationsOnAnUnknownClientIdAreRefused() {
        for (String unknown : new String[] {"0123456789abcdef0123", "not a client id"}) {
            assertThrows(UnknownTenantException.class, () -> admin.rotateSecret(unknown));
            assertThrows(UnknownTenantException.class, () -> admin.disable(unknown));
            assertThrows(UnknownTenantException.class, () -> admin.enable(unknown));
            assertThrows(UnknownTenantException.class, () -> admin.setMonthlyCap(unknown, OptionalLong.of(5)));
            assertTrue(store.find(unknown).isEmpty());
        }
    }

    @Test
    void aTenantNeedsAName() {
        assertThrows(IllegalArgumentException.class, () -> admin.create(" "));
        assertThrows(IllegalArgumentException.class, () -> admin.create("x".repeat(201)));
    }
}
