package dev.photoscore.api;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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

    /**
     * The parameters of a raw query string, each with all its values in order (repeated parameters stay apart, where
     * API Gateway's parsed map joins them with commas); a malformed escape stays as sent.
     */
    public static Map<String, List<String>> parseQuery(String raw) {
        Map<String, List<String>> query = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return query;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            query.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return query;
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return text; // the URL check answers 400 if it matters
        }
    }
}
