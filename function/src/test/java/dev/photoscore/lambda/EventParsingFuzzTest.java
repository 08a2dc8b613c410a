package dev.photoscore.lambda;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.photoscore.api.ApiException;
import dev.photoscore.api.ApiRequest;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * An API Gateway event's raw query string and body, whatever they hold: a request, or a 400 {@link ApiException};
 * every non-empty {@code &}-separated pair of the query is one value of its parameter. The input's first line is the
 * query, the second says whether the body is flagged base64 ({@code b64}), the rest is the body.
 */
class EventParsingFuzzTest {

    @FuzzTest
    void toRequest(byte[] input) {
        String[] lines = new String(input, StandardCharsets.UTF_8).split("\n", 3);
        String query = lines[0];
        boolean base64 = lines.length > 1 && lines[1].equals("b64");
        String body = lines.length > 2 ? lines[2] : "";
        APIGatewayV2HTTPEvent event = APIGatewayV2HTTPEvent.builder()
                .withRawPath("/v1/quality_ugc")
                .withRawQueryString(query)
                .withHeaders(Map.of("content-type", "multipart/form-data; boundary=x"))
                .withBody(body)
                .withIsBase64Encoded(base64)
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withRequestId("fuzz")
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod("POST")
                                .withSourceIp("192.0.2.1").build())
                        .build())
                .build();
        try {
            ApiRequest request = ApiGatewayHandler.toRequest(event);
            long values = request.query().values().stream().mapToLong(List::size).sum();
            long pairs = Arrays.stream(query.split("&")).filter(pair -> !pair.isEmpty()).count();
            if (values != pairs) {
                throw new AssertionError(values + " parameter values from " + pairs + " pairs in " + query);
            }
        } catch (ApiException e) {
            if (e.status() != 400) {
                throw new AssertionError("status " + e.status() + ": " + e.getMessage(), e);
            }
        }
    }
}
