package dev.photoscore.api;

import dev.photoscore.tenants.AuthenticationException;
import dev.photoscore.tenants.Authenticator;
import dev.photoscore.tenants.Tenant;
import dev.photoscore.tenants.TenantStore;
import java.time.Clock;
import java.util.Map;
import org.slf4j.MDC;

/**
 * Who sends a request, and whether they may now: HTTP Basic credentials checked by the {@link Authenticator}, failed
 * attempts limited per client id and address, and requests per client id. Puts the authenticated client id in the
 * log fields ({@value QualityApi#CLIENT_ID_FIELD}).
 */
final class ClientAdmission {

    static final String REALM = "Basic realm=\"photoscore\"";

    private final Authenticator authenticator;
    private final RateLimiter requests;
    private final RateLimiter authFailures;

    ClientAdmission(Authenticator authenticator, double requestsPerSecond, int burst, double authFailuresPerSecond,
                    int authFailureBurst, Clock clock) {
        this.authenticator = authenticator;
        this.requests = new RateLimiter(requestsPerSecond, burst, 10_000, clock);
        this.authFailures = new RateLimiter(authFailuresPerSecond, authFailureBurst, 10_000, clock);
    }

    /** The request's tenant, once its credentials are right and its rate allows one more request. */
    Tenant admit(ApiRequest request) {
        BasicCredentials credentials = BasicCredentials.parse(request.header("authorization"))
                .orElseThrow(() -> new ApiException(401, "HTTP Basic credentials (client id and secret) are required",
                        Map.of("WWW-Authenticate", REALM)));
        Tenant tenant = authenticate(credentials, request.sourceIp());
        requests.acquire(tenant.clientId()).ifPresent(wait -> {
            throw new ApiException(429, "too many requests for this client; retry in " + wait + " s",
                    Map.of("Retry-After", Long.toString(wait)), "RATE_LIMITED");
        });
        return tenant;
    }

    /**
     * The tenant, unless these credentials are refused, or the same client id failed too often from this address:
     * then the attempt is refused before any check (429), right secret or not. Keyed by client id and address, so an
     * attacker who knows a client id slows down only their own attempts, never the tenant's from elsewhere.
     */
    private Tenant authenticate(BasicCredentials credentials, String sourceIp) {
        if (!TenantStore.isWellFormedClientId(credentials.clientId())) {
            // Refused without a look-up: nothing to protect, and no bucket for whatever an attacker sends.
            return authenticator.authenticate(credentials.clientId(), credentials.clientSecret());
        }
        String key = credentials.clientId() + " " + sourceIp;
        authFailures.waitTime(key).ifPresent(wait -> {
            throw new ApiException(429, "too many failed authentications for this client id from this address;"
                    + " retry in " + wait + " s", Map.of("Retry-After", Long.toString(wait)), "AUTH_FAILURES_LIMITED");
        });
        try {
            Tenant tenant = authenticator.authenticate(credentials.clientId(), credentials.clientSecret());
            MDC.put(QualityApi.CLIENT_ID_FIELD, tenant.clientId());
            return tenant;
        } catch (AuthenticationException e) {
            if (e.reason() == AuthenticationException.Reason.INVALID_CREDENTIALS) {
                authFailures.acquire(key);
            }
            throw e;
        }
    }
}
