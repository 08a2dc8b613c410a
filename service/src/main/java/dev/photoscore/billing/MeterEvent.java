package dev.photoscore.billing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A Stripe billing meter event: the billable photos of one statement, for the tenant's Stripe customer. Stripe's
 * meter sums the values of a customer's events whose timestamps fall in an invoice period.
 *
 * @param tenantId         whose statement it is (not sent: Stripe knows the customer)
 * @param eventName        the meter's event name
 * @param identifier       unique per event and the same in every export of the statement (its statement id);
 *                         Stripe refuses a second event with an identifier it saw in the last 24 hours
 * @param timestamp        within the statement's month: its last second
 * @param stripeCustomerId the tenant's Stripe customer
 * @param value            the statement's billable photos, at least 1
 */
public record MeterEvent(String tenantId, String eventName, String identifier, Instant timestamp, String stripeCustomerId,
        long value) {

    public MeterEvent {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(eventName, "eventName");
        Objects.requireNonNull(identifier, "identifier");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(stripeCustomerId, "stripeCustomerId");
        if (value < 1) {
            throw new IllegalArgumentException("a meter event carries at least 1 billable photo, not " + value);
        }
    }

    /** The event as Stripe's API shows it: {@code event_name}, {@code identifier}, {@code payload}, {@code timestamp}. */
    void writeTo(ObjectNode node) {
        node.put("event_name", eventName).put("identifier", identifier);
        node.putObject("payload").put("stripe_customer_id", stripeCustomerId).put("value", Long.toString(value));
        node.put("timestamp", timestamp.getEpochSecond());
    }

    /** The body of {@code POST /v1/billing/meter_events}: the same fields, form-encoded as Stripe's v1 API takes them. */
    String formBody() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("event_name", eventName);
        fields.put("identifier", identifier);
        fields.put("timestamp", Long.toString(timestamp.getEpochSecond()));
        fields.put("payload[stripe_customer_id]", stripeCustomerId);
        fields.put("payload[value]", Long.toString(value));
        return fields.entrySet().stream()
                .map(f -> encode(f.getKey()) + "=" + encode(f.getValue()))
                .collect(Collectors.joining("&"));
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
