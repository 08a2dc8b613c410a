package dev.photoscore.billing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Objects;

/**
 * Sends meter events to Stripe's API ({@code POST /v1/billing/meter_events}), one request per event, with the
 * event's identifier as the request's {@code Idempotency-Key} so that a retried request is answered as the first.
 */
public final class StripeMeterEventClient {

    /** Stripe's API. */
    public static final URI STRIPE_API = URI.create("https://api.stripe.com");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI endpoint;
    private final String apiKey;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    /** A client of the API at {@code base} ({@link #STRIPE_API}, or a stand-in for tests) with this secret key. */
    public StripeMeterEventClient(URI base, String apiKey) {
        Objects.requireNonNull(base, "base");
        if (apiKey == null || apiKey.isBlank()) {
            throw new IllegalArgumentException("a Stripe API key is needed to send meter events");
        }
        this.endpoint = base.resolve("/v1/billing/meter_events");
        this.apiKey = apiKey.strip();
    }

    /**
     * Sends one event.
     *
     * @throws StripeException when Stripe refuses it (with Stripe's message) or cannot be reached
     */
    public void send(MeterEvent event) {
        HttpRequest request = HttpRequest.newBuilder(endpoint)
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + apiKey)
                .header("Idempotency-Key", event.identifier())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(event.formBody()))
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new StripeException("cannot reach " + endpoint + " for meter event " + event.identifier() + ": "
                    + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StripeException("interrupted while sending meter event " + event.identifier(), e);
        }
        if (response.statusCode() / 100 != 2) {
            throw new StripeException("Stripe refused meter event " + event.identifier() + " (HTTP "
                    + response.statusCode() + "): " + errorMessage(response.body()), null);
        }
    }

    /** Stripe's {@code error.message}, else the body as it came. */
    private static String errorMessage(String body) {
        try {
            JsonNode message = JSON.readTree(body).path("error").path("message");
            return message.isTextual() ? message.asText() : body;
        } catch (IOException notJson) {
            return body;
        }
    }

    /** Stripe refused a meter event or could not be reached. */
    public static final class StripeException extends RuntimeException {

        StripeException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
