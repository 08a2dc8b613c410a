package dev.photoscore.testing;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import dev.photoscore.api.QualityApi;
import dev.photoscore.tenants.ClientCredentials;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** API Gateway HTTP API events (payload format 2.0) as AWS sends them, for the tests that drive the Lambda handler. */
public final class HttpApiEvents {

    /** Where the events come from (a documentation address). */
    public static final String SOURCE_IP = "198.51.100.1";

    private HttpApiEvents() {
    }

    /** A request with a new request id: the path as given, a raw query, headers by lower-case name, a base64 body. */
    public static APIGatewayV2HTTPEvent request(String method, String rawPath, String rawQuery,
                                                Map<String, String> headers, byte[] body) {
        return APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0")
                .withRouteKey("$default")
                .withRawPath(rawPath)
                .withRawQueryString(rawQuery)
                .withHeaders(headers)
                .withBody(Base64.getEncoder().encodeToString(body))
                .withIsBase64Encoded(true)
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withRequestId(UUID.randomUUID().toString())
                        .withTimeEpoch(System.currentTimeMillis())
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                                .withMethod(method).withPath(rawPath).withSourceIp(SOURCE_IP).build())
                        .build())
                .build();
    }

    /** A GET without credentials, as a browser sends for a page. */
    public static APIGatewayV2HTTPEvent get(String rawPath, Map<String, String> headers) {
        return request("GET", rawPath, "", headers, new byte[0]);
    }

    /** A request of the quality endpoint with these credentials (HTTP Basic). */
    public static APIGatewayV2HTTPEvent quality(String method, String rawQuery, ClientCredentials who,
                                                Map<String, String> headers, byte[] body) {
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.put("authorization", basic(who));
        return request(method, QualityApi.QUALITY_PATH, rawQuery, all, body);
    }

    /** A POST of the photo as the multipart field {@code data}, as curl's {@code -F data=@photo.jpg} sends it. */
    public static APIGatewayV2HTTPEvent upload(ClientCredentials who, String rawQuery, byte[] photo) {
        String boundary = "----photoscore-test-boundary";
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"data\"; filename=\"photo.jpg\""
                + "\r\nContent-Type: image/jpeg\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        body.writeBytes(photo);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return quality("POST", rawQuery, who, Map.of("content-type", "multipart/form-data; boundary=" + boundary),
                body.toByteArray());
    }

    /** The Authorization header's value for these credentials. */
    public static String basic(ClientCredentials who) {
        return "Basic " + Base64.getEncoder().encodeToString(
                (who.clientId() + ":" + who.clientSecret()).getBytes(StandardCharsets.UTF_8));
    }
}
