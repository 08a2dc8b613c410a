package dev.photoscore.billing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.photoscore.tenants.Tenant;
import dev.photoscore.tenants.TenantStore;
import dev.photoscore.tenants.UnknownTenantException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A month's billable usage as Stripe billing meter events: one event per statement with billable photos, for the
 * tenant's Stripe customer, valued at its billable photos. Free photos are never sent: the lifetime free allowance
 * is not a per-period tier Stripe could apply, so Stripe's price is simply the price per photo.
 *
 * <p>Exporting a month again gives the same events with the same identifiers (the statement ids). Sending them
 * skips the events Stripe accepted before, as the tenant's item remembers them: Stripe itself forgets an
 * identifier after 24 hours. See {@code docs/billing.md}.
 */
public final class StripeExport {

    /** The event name of the meter, unless told otherwise. */
    public static final String DEFAULT_EVENT_NAME = "photoscore_scored_photos";
    /** Stripe takes events whose timestamp is at most this old. */
    static final Duration STRIPE_MAX_EVENT_AGE = Duration.ofDays(35);

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final BillingReporter reporter;
    private final TenantStore tenants;
    private final Clock clock;

    public StripeExport(BillingReporter reporter, TenantStore tenants, Clock clock) {
        this.reporter = Objects.requireNonNull(reporter, "reporter");
        this.tenants = Objects.requireNonNull(tenants, "tenants");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * The meter events of a month's statements and the tenants with billable photos but no Stripe customer.
     *
     * @param month     a month that has ended, at most 35 days ago
     * @param tenantId  only this tenant's statement; empty: every tenant's
     * @param eventName the meter's event name
     * @throws IllegalArgumentException when the month has not ended or ended more than 35 days ago
     */
    public Export export(YearMonth month, Optional<String> tenantId, String eventName) {
        Objects.requireNonNull(eventName, "eventName");
        Instant end = TenantStatement.periodStart(month.plusMonths(1));
        Instant now = clock.instant();
        if (now.isBefore(end)) {
            throw new IllegalArgumentException(month + " has not ended: its statements can still grow");
        }
        // The month's last second, so that Stripe counts the photos in the invoice period holding the month.
        Instant timestamp = end.minusSeconds(1);
        if (timestamp.isBefore(now.minus(STRIPE_MAX_EVENT_AGE))) {
            throw new IllegalArgumentException(month + " ended more than " + STRIPE_MAX_EVENT_AGE.toDays()
                    + " days ago: Stripe takes no meter events that old; invoice its statements another way");
        }
        BillingReport report = tenantId.map(id -> reporter.report(month, id)).orElseGet(() -> reporter.report(month));
        Map<String, Tenant> byId = tenants.list().stream().collect(Collectors.toMap(Tenant::clientId,
                Function.identity()));
        List<MeterEvent> events = new ArrayList<>();
        List<String> withoutCustomer = new ArrayList<>();
        for (TenantStatement statement : report.statements()) {
            if (statement.billablePhotos() == 0) {
                continue;
            }
            Optional<String> customer = byId.get(statement.tenantId()).stripe().customerId();
            if (customer.isPresent()) {
                events.add(new MeterEvent(statement.tenantId(), eventName, statement.statementId(), timestamp,
                        customer.get(), statement.billablePhotos()));
            } else {
                withoutCustomer.add(statement.tenantId());
            }
        }
        return new Export(month, events, withoutCustomer);
    }

    /**
     * Sends the events Stripe has not accepted before, one by one, remembering each on its tenant as soon as
     * Stripe accepts it, so that a run that fails halfway can be run again.
     *
     * @return the events sent now and those skipped as sent before
     * @throws StripeMeterEventClient.StripeException when Stripe refuses an event or cannot be reached; the
     *                                                events before it are sent and remembered
     */
    public Sent send(Export export, StripeMeterEventClient stripe) {
        List<MeterEvent> sent = new ArrayList<>();
        List<MeterEvent> sentBefore = new ArrayList<>();
        for (MeterEvent event : export.events()) {
            Tenant tenant = tenants.find(event.tenantId())
                    .orElseThrow(() -> new UnknownTenantException(event.tenantId()));
            if (tenant.stripe().sentEvents().contains(event.identifier())) {
                sentBefore.add(event);
                continue;
            }
            stripe.send(event);
            tenants.recordStripeEventSent(event.tenantId(), event.identifier());
            sent.add(event);
        }
        return new Sent(sent, sentBefore);
    }

    /**
     * A month's meter events.
     *
     * @param tenantsWithoutCustomer tenants with billable photos in the month but no Stripe customer: not in
     *                               {@code events}, to be invoiced another way or linked and exported again
     */
    public record Export(YearMonth month, List<MeterEvent> events, List<String> tenantsWithoutCustomer) {

        public Export {
            events = List.copyOf(events);
            tenantsWithoutCustomer = List.copyOf(tenantsWithoutCustomer);
        }

        /** The events as a JSON array of Stripe's meter event fields, in tenant id order. */
        public String json() {
            ArrayNode array = JSON.createArrayNode();
            events.forEach(event -> event.writeTo(array.addObject()));
            try {
                return JSON.writeValueAsString(array) + "\n";
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException("cannot write meter events as JSON", e);
            }
        }
    }

    /** What {@link #send} did: the events sent now, and those Stripe had accepted in an earlier run. */
    public record Sent(List<MeterEvent> sent, List<MeterEvent> sentBefore) {

        public Sent {
            sent = List.copyOf(sent);
            sentBefore = List.copyOf(sentBefore);
        }
    }
}
