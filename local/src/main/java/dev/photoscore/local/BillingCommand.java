package dev.photoscore.local;

import picocli.CommandLine.Command;

/** {@code billing SUBCOMMAND}: billing from the usage table. */
@Command(name = "billing", mixinStandardHelpOptions = true,
        description = "Billing from the usage table (DynamoDB).",
        subcommands = {BillingReportCommand.class, BillingStripeEventsCommand.class})
final class BillingCommand {
}
