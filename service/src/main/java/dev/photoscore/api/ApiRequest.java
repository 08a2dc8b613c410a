package dev.photoscore.api;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One HTTP request to the API, independent of how it arrived (API Gateway or the local service).
 *
 * @param method      GET, POST, ...
 * @param path        the path without the query, e.g. {@code /v1/quality_ugc}
 * @param query       query parameters, each with all its values in order
 * @param headers     headers by lower-case name
 * @param body        the raw body (already base64-decoded)
 * @param requestId   an id unique to this request, stable across retried invocations of it
 * @param requestTime when the request arrived
 * @param sourceIp    the address the request came from, as the front (API Gateway, the local server) saw it
 */
public record ApiRequest(String method, String path, Map<String, List<String>> query, Map<String, String> headers,
                         byte[] body, String requestId, Instant requestTime, String sourceIp) {

    public ApiRequest {
        Map<String, String> lower = new TreeMap<>();
        headers.forEach((name, value) -> lower.put(name.toLowerCase(Locale.ROOT), value));
        headers = lower;
        query = Map.copyOf(query);
        body = body == null ? new byte[0] : body;
    }

    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
    }

    /** All values of a query parameter (empty when absent). */
    public List<String> queryValues(String name) {
        return query.getOrDefault(name, List.of());
    }
}
