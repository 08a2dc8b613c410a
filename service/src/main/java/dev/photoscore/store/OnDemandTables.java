package dev.photoscore.store;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;

/**
 * Creates the usage store's tables where nobody else does: the local service and the tests. In AWS the SAM
 * template creates them with the same keys. Tables are billed on demand (pay per request), matching a
 * pay-as-you-go service with idle periods; every key attribute is a string.
 */
public final class OnDemandTables {

    private OnDemandTables() {
    }

    /** Creates a table keyed by a partition key only, unless it exists; returns once it is active. */
    public static void createIfMissing(DynamoDbClient client, String table, String partitionKey) {
        create(client, table, List.of(partitionKey));
    }

    /** Creates a table keyed by a partition key and a sort key, unless it exists; returns once it is active. */
    public static void createIfMissing(DynamoDbClient client, String table, String partitionKey, String sortKey) {
        create(client, table, List.of(partitionKey, sortKey));
    }

    /**
     * Turns on the table's time to live on this attribute (epoch seconds) unless it is on: DynamoDB deletes an
     * item some time after the instant its attribute holds.
     */
    public static void expireItemsBy(DynamoDbClient client, String table, String attribute) {
        try {
            TimeToLiveStatus status = client.describeTimeToLive(b -> b.tableName(table))
                    .timeToLiveDescription().timeToLiveStatus();
            if (status == TimeToLiveStatus.DISABLED) {
                client.updateTimeToLive(b -> b.tableName(table)
                        .timeToLiveSpecification(t -> t.attributeName(attribute).enabled(true)));
            }
        } catch (SdkException e) {
            throw new UsageStoreUnavailableException("cannot turn on the time to live of table " + table, e);
        }
    }

    private static void create(DynamoDbClient client, String table, List<String> keys) {
        List<KeySchemaElement> schema = new ArrayList<>();
        List<AttributeDefinition> definitions = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            schema.add(KeySchemaElement.builder()
                    .attributeName(keys.get(i))
                    .keyType(i == 0 ? KeyType.HASH : KeyType.RANGE)
                    .build());
            definitions.add(AttributeDefinition.builder()
                    .attributeName(keys.get(i))
                    .attributeType(ScalarAttributeType.S)
                    .build());
        }
        try {
            client.createTable(b -> b.tableName(table)
                    .keySchema(schema)
                    .attributeDefinitions(definitions)
                    .billingMode(BillingMode.PAY_PER_REQUEST));
        } catch (ResourceInUseException alreadyThere) {
            // Created earlier or by a concurrent caller: waiting below covers both.
        } catch (SdkException e) {
            throw new UsageStoreUnavailableException("cannot create table " + table, e);
        }
        try {
            client.waiter().waitUntilTableExists(b -> b.tableName(table));
        } catch (SdkException e) {
            throw new UsageStoreUnavailableException("table " + table + " did not become active", e);
        }
    }
}
