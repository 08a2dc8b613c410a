package dev.photoscore.deploy;

import static dev.photoscore.deploy.SamTemplate.list;
import static dev.photoscore.deploy.SamTemplate.map;
import static dev.photoscore.deploy.SamTemplate.properties;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.photoscore.dynamodblocal.DynamoDbLocal;
import dev.photoscore.metering.UsageLedger;
import dev.photoscore.store.DynamoDbSettings;
import dev.photoscore.tenants.TenantStore;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;

/**
 * The template's tables are the tables the code works with: each is created in DynamoDB Local by the code that
 * creates it for the local service, and its keys and their types, and its time to live, must be the template's.
 */
class TablesMatchTheCodeTest {

    @Test
    void keysAndKeyTypesAreTheCodes() throws Exception {
        SamTemplate template = SamTemplate.readRepositoryTemplate();
        Map<String, BiConsumer<DynamoDbClient, String>> creators = Map.of(
                "TenantsTable", TenantStore::createTable,
                "UsageTable", (client, table) -> {
                    UsageLedger.createTable(client, table);
                    UsageLedger.expireRecords(client, table);
                });
        try (DynamoDbLocal dynamoDb = DynamoDbLocal.start();
             DynamoDbClient client = DynamoDbSettings.builder().localEndpoint(dynamoDb.endpoint()).build()
                     .newClient()) {
            for (Map.Entry<String, BiConsumer<DynamoDbClient, String>> table : creators.entrySet()) {
                table.getValue().accept(client, table.getKey());
                TableDescription created = client.describeTable(b -> b.tableName(table.getKey())).table();
                Map<String, Object> declared = properties(map(template.resources().get(table.getKey())));

                Map<String, String> codeKeys = new LinkedHashMap<>();
                created.keySchema().forEach(k -> codeKeys.put(k.attributeName(), k.keyTypeAsString()));
                Map<String, String> templateKeys = new LinkedHashMap<>();
                list(declared.get("KeySchema")).forEach(k -> templateKeys.put((String) map(k).get("AttributeName"),
                        (String) map(k).get("KeyType")));
                assertEquals(codeKeys, templateKeys, table.getKey() + " keys");

                Map<String, String> codeTypes = new LinkedHashMap<>();
                created.attributeDefinitions().forEach(a -> codeTypes.put(a.attributeName(),
                        a.attributeTypeAsString()));
                Map<String, String> templateTypes = new LinkedHashMap<>();
                list(declared.get("AttributeDefinitions")).forEach(a -> templateTypes.put(
                        (String) map(a).get("AttributeName"), (String) map(a).get("AttributeType")));
                assertEquals(codeTypes, templateTypes, table.getKey() + " attribute types");

                TimeToLiveDescription ttl = client.describeTimeToLive(b -> b.tableName(table.getKey()))
                        .timeToLiveDescription();
                Map<String, Object> codeTtl = ttl.timeToLiveStatus() == TimeToLiveStatus.ENABLED
                        ? Map.of("AttributeName", ttl.attributeName(), "Enabled", true) : Map.of();
                assertEquals(codeTtl, declared.getOrDefault("TimeToLiveSpecification", Map.of()),
                        table.getKey() + " time to live");
            }
        }
    }
}
