package dev.photoscore.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.photoscore.dynamodblocal.DynamoDbLocal;
import dev.photoscore.store.DynamoDbSettings;
import dev.photoscore.tenants.AuthenticationException;
import dev.photoscore.tenants.Authenticator;
import dev.photoscore.tenants.TenantStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The {@code tenants} commands against DynamoDB Local, as an operator runs them. */
class TenantsCommandTest {

    static DynamoDbLocal dynamoDb;
    static DynamoDbClient client;
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void start() {
        dynamoDb = DynamoDbLocal.start();
        client = DynamoDbSettings.builder().localEndpoint(dynamoDb.endpoint()).build().newClient();
        TenantStore.createTable(client, TenantStore.DEFAULT_TABLE);
    }

    @AfterAll
    static void stop() {
        client.close();
        dynamoDb.close();
    }

    static JsonNode tenants(String... args) throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] all = new String[args.length + 3];
        all[0] = "tenants";
        System.arraycopy(args, 0, all, 1, args.length);
        all[args.length + 1] = "--endpoint";
        all[args.length + 2] = dynamoDb.endpoint().toString();
        int exit = PhotoscoreCommand.run(new PrintWriter(out, true), new PrintWriter(err, true), all);
        assertEquals(0, exit, err.toString());
        return JSON.readTree(out.toString());
    }

    @Test
    void createListCapRotateDisable() throws Exception {
        JsonNode created = tenants("create", "--name", "Acme Photos", "--cap", "1000");
        String id = created.path("clientId").asText();
        String secret = created.path("clientSecret").asText();
        Authenticator authenticator = Authenticator.builder(new TenantStore(client, TenantStore.DEFAULT_TABLE))
                .cacheTtl(Duration.ZERO).build();
        assertEquals(id, authenticator.authenticate(id, secret).clientId());

        JsonNode listed = tenants("list");
        JsonNode acme = null;
        for (JsonNode tenant : listed) {
            if (tenant.path("clientId").asText().equals(id)) {
                acme = tenant;
            }
        }
        assertEquals("Acme Photos", acme.path("name").asText());
        assertEquals(1000, acme.path("monthlyCap").asLong());
        assertEquals("0.60", acme.path("pricePerThousand").asText());
        assertTrue(!acme.has("clientSecret"), "list never shows secrets");

        assertTrue(!tenants("set-cap", id, "none").has("monthlyCap"));

        String rotated = tenants("rotate-secret", id).path("clientSecret").asText();
        assertNotEquals(secret, rotated);
        assertThrows(AuthenticationException.class, () -> authenticator.authenticate(id, secret));
        assertEquals(id, authenticator.authenticate(id, rotated).clientId());

        assertEquals("disabled", tenants("disable", id).path("status").asText());
        AuthenticationException disabled = assertThrows(AuthenticationException.class,
                () -> authenticator.authenticate(id, rotated));
        assertEquals(AuthenticationException.Reason.TENANT_DISABLED, disabled.reason());
    }
}
