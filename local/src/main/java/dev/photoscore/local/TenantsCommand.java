package dev.photoscore.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.photoscore.billing.Money;
import dev.photoscore.store.DynamoDbSettings;
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
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** {@code tenants ...}: administer the tenants table, in AWS or in DynamoDB Local. */
@Command(name = "tenants", mixinStandardHelpOptions = true,
        description = "Creates, lists and changes tenants. Secrets are shown once, when created or rotated.",
        subcommands = {TenantsCommand.Create.class, TenantsCommand.ListTenants.class, TenantsCommand.RotateSecret.class,
                TenantsCommand.Disable.class, TenantsCommand.Enable.class, TenantsCommand.SetCap.class,
                TenantsCommand.SetStripeCustomer.class})
final class TenantsCommand {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Where the tenants table is: AWS (default credentials and region chains) or an endpoint such as DynamoDB Local. */
    static final class Table {
        @Option(names = "--endpoint", paramLabel = "URL",
                description = "DynamoDB endpoint, e.g. DynamoDB Local's (default: AWS).")
        URI endpoint;

        @Option(names = "--region", paramLabel = "REGION", description = "AWS region (default: the SDK's chain).")
        String region;

        @Option(names = "--tenants-table", paramLabel = "NAME", description = "Default: " + TenantStore.DEFAULT_TABLE)
        String table = TenantStore.DEFAULT_TABLE;

        TenantAdmin admin(DynamoDbClient client) {
            return new TenantAdmin(new TenantStore(client, table));
        }

        DynamoDbClient client() {
            DynamoDbSettings.Builder settings = DynamoDbSettings.builder();
            if (endpoint != null) {
                settings.localEndpoint(endpoint);
            }
            if (region != null) {
                settings.region(Region.of(region));
            }
            return settings.build().newClient();
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
    static final class RotateSecret extends Action {
        @Parameters(paramLabel = "CLIENT_ID")
        String clientId;

        @Override
        Object act(TenantAdmin admin) {
            return describe(admin.rotateSecret(clientId));
        }
    }

    @Command(name = "disable", mixinStandardHelpOptions = true, description = "Disables a tenant (answers 403).")
    static final class Disable extends Action {
        @Parameters(paramLabel = "CLIENT_ID")
        String clientId;

        @Override
        Object act(TenantAdmin admin) {
            return describe(admin.disable(clientId));
        }
    }

    @Command(name = "enable", mixinStandardHelpOptions = true, description = "Enables a disabled tenant again.")
    static final class Enable extends Action {
        @Parameters(paramLabel = "CLIENT_ID")
        String clientId;

        @Override
        Object act(TenantAdmin admin) {
            return describe(admin.enable(clientId));
        }
    }

    @Command(name = "set-cap", mixinStandardHelpOptions = true,
            description = "Sets a tenant's monthly cap on scored photos; 'none' removes it.")
    static final class SetCap extends Action {
        @Parameters(index = "0", paramLabel = "CLIENT_ID")
        String clientId;

        @Parameters(index = "1", paramLabel = "N|none")
        String cap;

        @Override
        Object act(TenantAdmin admin) {
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
