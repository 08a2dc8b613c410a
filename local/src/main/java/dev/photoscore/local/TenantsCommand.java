package dev.photoscore.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.photoscore.billing.Money;
import dev.photoscore.store.DynamoDbSettings;
import dev.photoscore.tenants.Authenticator;
import dev.photoscore.tenants.ClientCredentials;
import dev.photoscore.tenants.Plan;
import dev.photoscore.tenants.Tenant;
import dev.photoscore.tenants.TenantAdmin;
import dev.photoscore.tenants.TenantStore;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.net.URI;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** {@code tenants ...}: administer the tenants table, in AWS or in DynamoDB Local. */
@Command(name = "tenants", mixinStandardHelpOptions = true,
        description = "Creates, lists and changes tenants. Secrets are shown once, when created or rotated.",
        subcommands = {TenantsCommand.Create.class, TenantsCommand.ListTenants.class, TenantsCommand.RotateSecret.class,
                TenantsCommand.Disable.class, TenantsCommand.Enable.class, TenantsCommand.SetCap.class,
                TenantsCommand.SetStripeCustomer.class})
final class TenantsCommand {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Where the tenants table is: AWS (default credentials and region chains) or a DynamoDB Local. */
    static final class Table {
        @Mixin
        DynamoDbOptions dynamoDb;

        @Option(names = "--tenants-table", paramLabel = "NAME", defaultValue = TenantStore.DEFAULT_TABLE,
                description = "Tenants table (default: ${DEFAULT-VALUE}).")
        String table;

        TenantAdmin admin(DynamoDbClient client) {
            return new TenantAdmin(new TenantStore(client, table));
        }

        DynamoDbClient client() {
            return dynamoDb.newClient(DynamoDbSettings.builder());
        }
    }

    /** Runs one action on the tenants table and prints its JSON result. */
    abstract static class Action implements Callable<Integer> {
        @Mixin
        Table table;

        @Spec
        CommandSpec spec;

        abstract Object act(TenantAdmin admin);

        @Override
        public Integer call() throws Exception {
            try (DynamoDbClient client = table.client()) {
                Object result = act(table.admin(client));
                PrintWriter out = spec.commandLine().getOut();
                out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(result));
                out.flush();
            }
            return 0;
        }

        static ObjectNode describe(Tenant tenant) {
            ObjectNode node = JSON.createObjectNode()
                    .put("clientId", tenant.clientId())
                    .put("name", tenant.name())
                    .put("status", tenant.status().name().toLowerCase(java.util.Locale.ROOT))
                    .put("freeAllowance", tenant.plan().freeAllowance())
                    .put("pricePerThousand", Money.format(tenant.plan().pricePerThousand()))
                    .put("lifetimePhotos", tenant.lifetimePhotos())
                    .put("createdAt", tenant.createdAt().toString());
            tenant.plan().monthlyCap().ifPresent(cap -> node.put("monthlyCap", cap));
            tenant.stripe().customerId().ifPresent(customer -> node.put("stripeCustomerId", customer));
            return node;
        }

        static ObjectNode describe(ClientCredentials credentials) {
            return JSON.createObjectNode().put("clientId", credentials.clientId())
                    .put("clientSecret", credentials.clientSecret())
                    .put("note", "the secret is shown only now: store it safely");
        }
    }

    /**
     * An action that changes an existing tenant. The Lambda caches tenant records, so its output says when the
     * change is seen: the operator who disables a tenant must not take a 200 a moment later for a failure.
     */
    abstract static class Change extends Action {
        static final String TAKES_EFFECT = "at once on serve; on AWS Lambda within "
                + Authenticator.Builder.DEFAULT_TTL_SECONDS + " s (each running instance caches tenants that long;"
                + " a new secret works there at once)";

        abstract ObjectNode change(TenantAdmin admin);

        @Override
        final Object act(TenantAdmin admin) {
            return change(admin).put("takesEffect", TAKES_EFFECT);
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Creates a tenant; prints its credentials.")
    static final class Create extends Action {
        @Option(names = "--name", required = true, description = "The tenant's name.")
        String name;

        @Option(names = "--free", paramLabel = "N", description = "Free photos (lifetime), default 500.")
        long free = Plan.DEFAULT_FREE_ALLOWANCE;

        @Option(names = "--price", paramLabel = "USD", description = "Price per 1,000 photos, default 0.60.")
        BigDecimal price = Plan.DEFAULT_PRICE_PER_THOUSAND;

        @Option(names = "--cap", paramLabel = "N", description = "Monthly cap on scored photos (default: none).")
        Long cap;

        @Override
        Object act(TenantAdmin admin) {
            return describe(admin.create(name, new Plan(free, price,
                    cap == null ? OptionalLong.empty() : OptionalLong.of(cap))));
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the tenants, oldest first.")
    static final class ListTenants extends Action {
        @Override
        Object act(TenantAdmin admin) {
            return admin.list().stream().map(Action::describe).toList();
        }
    }

    @Command(name = "rotate-secret", mixinStandardHelpOptions = true,
            description = "Gives a tenant a new secret; the old one stops working.")
    static final class RotateSecret extends Change {
        @Parameters(paramLabel = "CLIENT_ID")
        String clientId;

        @Override
        ObjectNode change(TenantAdmin admin) {
            return describe(admin.rotateSecret(clientId));
        }
    }

    @Command(name = "disable", mixinStandardHelpOptions = true, description = "Disables a tenant (answers 403).")
    static final class Disable extends Change {
        @Parameters(paramLabel = "CLIENT_ID")
        String clientId;

        @Override
        ObjectNode change(TenantAdmin admin) {
            return describe(admin.disable(clientId));
        }
    }

    @Command(name = "enable", mixinStandardHelpOptions = true, description = "Enables a disabled tenant again.")
    static final class Enable extends Change {
        @Parameters(paramLabel = "CLIENT_ID")
        String clientId;

        @Override
        ObjectNode change(TenantAdmin admin) {
            return describe(admin.enable(clientId));
        }
    }

    @Command(name = "set-cap", mixinStandardHelpOptions = true,
            description = "Sets a tenant's monthly cap on scored photos; 'none' removes it.")
    static final class SetCap extends Change {
        @Parameters(index = "0", paramLabel = "CLIENT_ID")
        String clientId;

        @Parameters(index = "1", paramLabel = "N|none")
        String cap;

        @Override
        ObjectNode change(TenantAdmin admin) {
            OptionalLong value = cap.equalsIgnoreCase("none") ? OptionalLong.empty()
                    : OptionalLong.of(Long.parseLong(cap));
            return describe(admin.setMonthlyCap(clientId, value));
        }
    }

    @Command(name = "set-stripe-customer", mixinStandardHelpOptions = true,
            description = "Invoices a tenant through this Stripe customer (cus_...); 'none' unlinks it."
                    + " See 'billing stripe-events'.")
    static final class SetStripeCustomer extends Action {
        @Parameters(index = "0", paramLabel = "CLIENT_ID")
        String clientId;

        @Parameters(index = "1", paramLabel = "cus_...|none")
        String customer;

        @Override
        Object act(TenantAdmin admin) {
            return describe(admin.setStripeCustomer(clientId,
                    customer.equalsIgnoreCase("none") ? Optional.empty() : Optional.of(customer)));
        }
    }
}
