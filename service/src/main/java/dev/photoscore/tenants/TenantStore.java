package dev.photoscore.tenants;

import dev.photoscore.store.OnDemandTables;
import dev.photoscore.store.UsageStoreUnavailableException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * The tenants table: one item per tenant, keyed by client id, holding its secret hash, status, plan and the
 * photo counters that metering updates (see {@code docs/metering.md}):
 *
 * <pre>
 * clientId (S, partition key)   name (S)        secretHash (S)   status (S: active|disabled)
 * freeAllowance (N)             pricePerThousand (N, exact decimal)                monthlyCap (N, absent: none)
 * createdAt (S, ISO-8601)       lifetimePhotos (N)                 monthlyPhotos (M: "yyyy-MM" -> N)
 * stripeCustomerId (S, absent: not invoiced through Stripe)        stripeEventsSent (SS, absent: none)
 * </pre>
 *
 * Every DynamoDB failure surfaces as {@link UsageStoreUnavailableException}.
 */
public final class TenantStore {

    /** The table name the local service uses; the SAM template names the AWS one. */
    public static final String DEFAULT_TABLE = "photoscore-tenants";

    private static final String CLIENT_ID = "clientId";
    private static final String NAME = "name";
    private static final String SECRET_HASH = "secretHash";
    private static final String STATUS = "status";
    private static final String FREE_ALLOWANCE = "freeAllowance";
    private static final String PRICE_PER_THOUSAND = "pricePerThousand";
    private static final String MONTHLY_CAP = "monthlyCap";
    private static final String CREATED_AT = "createdAt";
    private static final String LIFETIME_PHOTOS = "lifetimePhotos";
    private static final String MONTHLY_PHOTOS = "monthlyPhotos";
    private static final String STRIPE_CUSTOMER_ID = "stripeCustomerId";
    private static final String STRIPE_EVENTS_SENT = "stripeEventsSent";

    /** What a client id may look like; anything else cannot be a tenant and is refused before DynamoDB sees it. */
    private static final Pattern CLIENT_ID_FORMAT = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private final DynamoDbClient client;
    private final String table;

    public TenantStore(DynamoDbClient client, String table) {
        this.client = Objects.requireNonNull(client, "client");
        this.table = Objects.requireNonNull(table, "table");
    }

    /** Creates the tenants table (on-demand billing) unless it exists. */
    public static void createTable(DynamoDbClient client, String table) {
        OnDemandTables.createIfMissing(client, table, CLIENT_ID);
    }

    /** The tenant with this client id as it is now (a strongly consistent read). */
    public Optional<Tenant> find(String clientId) {
        return load(clientId).map(StoredTenant::tenant);
    }

    /**
     * All tenants, oldest first. Reads the whole table (the one scan of the system): meant for administration,
     * the tenants table being small.
     */
    public List<Tenant> list() {
        try {
            return client.scanPaginator(b -> b.tableName(table).consistentRead(true)).items().stream()
                    .map(TenantStore::tenantFromItem)
                    .sorted(Comparator.comparing(Tenant::createdAt).thenComparing(Tenant::clientId))
                    .toList();
        } catch (SdkException e) {
            throw new UsageStoreUnavailableException("cannot list tenants", e);
        }
    }

    /**
     * The transaction item that counts one metered photo on the tenant's counters, valid only while the tenant
     * still looks as {@code snapshot} says in every way that decided how the photo is billed:
     *
     * <ul>
     *   <li>the tenant exists;</li>
     *   <li>the photo is free exactly when the lifetime count is still below the free allowance ({@code free}),
     *       so that of all photos counted concurrently exactly the allowance is free;</li>
     *   <li>the price per 1,000 is the snapshot's;</li>
     *   <li>with a monthly cap, the month's count is below the cap; without one, no cap was set meanwhile;</li>
     *   <li>no photo is counted in the month after {@code month} (metering order stays month order when the
     *       clocks of two instances differ at midnight).</li>
     * </ul>
     *
     * If a condition fails, the transaction is cancelled with the tenant item as it was (read it with
     * {@link #tenantFromItem}) so that the caller can tell a reached cap from a stale snapshot.
     */
    public TransactWriteItem countPhoto(Tenant snapshot, YearMonth month, boolean free) {
        StringBuilder condition = new StringBuilder("attribute_exists(#id) AND #price = :price AND ")
                .append(free ? "#lifetime < #allowance" : "#lifetime >= #allowance")
                .append(snapshot.plan().monthlyCap().isPresent()
                        ? " AND (attribute_not_exists(#monthly.#month) OR #monthly.#month < #cap)"
                        : " AND attribute_not_exists(#cap)")
                .append(" AND attribute_not_exists(#monthly.#next)");
        return TransactWriteItem.builder().update(u -> u
                        .tableName(table)
                        .key(key(snapshot.clientId()))
                        .updateExpression("SET #lifetime = #lifetime + :one, "
                                + "#monthly.#month = if_not_exists(#monthly.#month, :zero) + :one")
                        .conditionExpression(condition.toString())
                        .expressionAttributeNames(Map.of(
                                "#id", CLIENT_ID,
                                "#price", PRICE_PER_THOUSAND,
                                "#lifetime", LIFETIME_PHOTOS,
                                "#allowance", FREE_ALLOWANCE,
                                "#monthly", MONTHLY_PHOTOS,
                                "#month", month.toString(),
                                "#next", month.plusMonths(1).toString(),
                                "#cap", MONTHLY_CAP))
                        .expressionAttributeValues(Map.of(
                                ":price", number(snapshot.plan().pricePerThousand()),
                                ":one", number(1),
                                ":zero", number(0)))
                        .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD))
                .build();
    }

    /** A tenant from an item of the tenants table, such as the one a cancelled {@link #countPhoto} returns. */
    public static Tenant tenantFromItem(Map<String, AttributeValue> item) {
        Plan plan = new Plan(
                Long.parseLong(item.get(FREE_ALLOWANCE).n()),
                new BigDecimal(item.get(PRICE_PER_THOUSAND).n()),
                item.containsKey(MONTHLY_CAP)
                        ? OptionalLong.of(Long.parseLong(item.get(MONTHLY_CAP).n()))
                        : OptionalLong.empty());
        Map<YearMonth, Long> monthly = item.get(MONTHLY_PHOTOS).m().entrySet().stream()
                .collect(Collectors.toMap(e -> YearMonth.parse(e.getKey()), e -> Long.parseLong(e.getValue().n())));
        return new Tenant(
                item.get(CLIENT_ID).s(),
                item.get(NAME).s(),
                TenantStatus.fromStoredName(item.get(STATUS).s()),
                plan,
                Instant.parse(item.get(CREATED_AT).s()),
                Long.parseLong(item.get(LIFETIME_PHOTOS).n()),
                monthly,
                new StripeLink(
                        Optional.ofNullable(item.get(STRIPE_CUSTOMER_ID)).map(AttributeValue::s),
                        item.containsKey(STRIPE_EVENTS_SENT) ? Set.copyOf(item.get(STRIPE_EVENTS_SENT).ss())
                                : Set.of()));
    }

    /** Whether this could be a client id at all (1 to 64 letters, digits, '_' or '-'); others are never looked up. */
    public static boolean isWellFormedClientId(String clientId) {
        return clientId != null && CLIENT_ID_FORMAT.matcher(clientId).matches();
    }

    Optional<StoredTenant> load(String clientId) {
        if (!isWellFormedClientId(clientId)) {
            return Optional.empty();
        }
        Map<String, AttributeValue> item;
        try {
            item = client.getItem(b -> b.tableName(table).key(key(clientId)).consistentRead(true)).item();
        } catch (SdkException e) {
            throw new UsageStoreUnavailableException("cannot read tenant " + clientId, e);
        }
        return item == null || item.isEmpty()
                ? Optional.empty()
                : Optional.of(new StoredTenant(tenantFromItem(item), item.get(SECRET_HASH).s()));
    }

    /** Adds a new tenant with no photos counted; refuses to replace an existing one. */
    void insert(Tenant tenant, String secretHash) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(CLIENT_ID, string(tenant.clientId()));
        item.put(NAME, string(tenant.name()));
        item.put(SECRET_HASH, string(secretHash));
        item.put(STATUS, string(tenant.status().storedName()));
        item.put(FREE_ALLOWANCE, number(tenant.plan().freeAllowance()));
        item.put(PRICE_PER_THOUSAND, number(tenant.plan().pricePerThousand()));
        tenant.plan().monthlyCap().ifPresent(cap -> item.put(MONTHLY_CAP, number(cap)));
        item.put(CREATED_AT, string(tenant.createdAt().toString()));
        // Metering increments these in place; they must exist (a map must exist before a key of it is set).
        item.put(LIFETIME_PHOTOS, number(0));
        item.put(MONTHLY_PHOTOS, AttributeValue.fromM(Map.of()));
        try {
            client.putItem(b -> b.tableName(table).item(item)
                    .conditionExpression("attribute_not_exists(#id)")
                    .expressionAttributeNames(Map.of("#id", CLIENT_ID)));
        } catch (ConditionalCheckFailedException e) {
            throw new IllegalStateException("client id " + tenant.clientId() + " is taken", e);
        } catch (SdkException e) {
            throw new UsageStoreUnavailableException("cannot create tenant " + tenant.clientId(), e);
        }
    }

    Tenant replaceSecretHash(String clientId, String secretHash) {
        return update(clientId, "SET #hash = :hash",
                b -> b.expressionAttributeNames(Map.of("#id", CLIENT_ID, "#hash", SECRET_HASH))
                        .expressionAttributeValues(Map.of(":hash", string(secretHash))));
    }

    Tenant setStatus(String clientId, TenantStatus status) {
        return update(clientId, "SET #status = :status",
                b -> b.expressionAttributeNames(Map.of("#id", CLIENT_ID, "#status", STATUS))
                        .expressionAttributeValues(Map.of(":status", string(status.storedName()))));
    }

    Tenant setMonthlyCap(String clientId, OptionalLong cap) {
        if (cap.isEmpty()) {
            return update(clientId, "REMOVE #cap",
                    b -> b.expressionAttributeNames(Map.of("#id", CLIENT_ID, "#cap", MONTHLY_CAP)));
        }
        return update(clientId, "SET #cap = :cap",
                b -> b.expressionAttributeNames(Map.of("#id", CLIENT_ID, "#cap", MONTHLY_CAP))
                        .expressionAttributeValues(Map.of(":cap", number(cap.getAsLong()))));
    }

    Tenant setStripeCustomer(String clientId, Optional<String> customerId) {
        if (customerId.isEmpty()) {
            return update(clientId, "REMOVE #customer",
                    b -> b.expressionAttributeNames(Map.of("#id", CLIENT_ID, "#customer", STRIPE_CUSTOMER_ID)));
        }
        return update(clientId, "SET #customer = :customer",
                b -> b.expressionAttributeNames(Map.of("#id", CLIENT_ID, "#customer", STRIPE_CUSTOMER_ID))
                        .expressionAttributeValues(Map.of(":customer", string(customerId.get()))));
    }

    /** Remembers that Stripe accepted the meter event with this identifier for the tenant. */
    public Tenant recordStripeEventSent(String clientId, String identifier) {
        return update(clientId, "ADD #sent :identifier",
                b -> b.expressionAttributeNames(Map.of("#id", CLIENT_ID, "#sent", STRIPE_EVENTS_SENT))
                        .expressionAttributeValues(Map.of(":identifier", AttributeValue.fromSs(List.of(identifier)))));
    }

    /** Updates an existing tenant and returns it as updated; the parameters must name the key {@code #id}. */
    private Tenant update(String clientId, String expression, Consumer<UpdateItemRequest.Builder> parameters) {
        if (!isWellFormedClientId(clientId)) {
            throw new UnknownTenantException(clientId);
        }
        UpdateItemRequest.Builder request = UpdateItemRequest.builder()
                .tableName(table)
                .key(key(clientId))
                .updateExpression(expression)
                .conditionExpression("attribute_exists(#id)")
                .returnValues(ReturnValue.ALL_NEW);
        parameters.accept(request);
        try {
            return tenantFromItem(client.updateItem(request.build()).attributes());
        } catch (ConditionalCheckFailedException e) {
            throw new UnknownTenantException(clientId);
        } catch (SdkException e) {
            throw new UsageStoreUnavailableException("cannot update tenant " + clientId, e);
        }
    }

    private static Map<String, AttributeValue> key(String clientId) {
        return Map.of(CLIENT_ID, string(clientId));
    }

    private static AttributeValue string(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue number(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    private static AttributeValue number(BigDecimal value) {
        return AttributeValue.fromN(value.toPlainString());
    }
}
