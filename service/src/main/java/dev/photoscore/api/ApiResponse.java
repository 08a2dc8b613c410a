package dev.photoscore.api;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** The API's answer: a status, headers and a body (JSON unless a route says otherwise). */
public record ApiResponse(int status, Map<String, String> headers, byte[] body) {

    public ApiResponse {
        headers = new LinkedHashMap<>(headers);
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    public ApiResponse withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new ApiResponse(status, more, body);
    }
}
