package dev.photoscore.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.photoscore.api.ApiException;
import dev.photoscore.api.ApiRequest;
import dev.photoscore.api.ApiResponse;
import dev.photoscore.api.QualityApi;
import dev.photoscore.wiring.ApiServices;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import org.slf4j.MDC;

/**
 * The Lambda entry point behind API Gateway's HTTP API (payload format 2.0): turns the event into an
 * {@link ApiRequest}, lets {@link QualityApi} answer (the API, and the demo page beside it), and turns the answer
 * back. The local service calls this same handler with the same events.
 */
public final class ApiGatewayHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    /** Log field of the Lambda invocation's own id, beside the API Gateway request id the API logs. */
    static final String AWS_REQUEST_ID_FIELD = "awsRequestId";

    /** The client id of the request that primes the API path before a SnapStart snapshot; no tenant has it. */
    static final String PRIMING_CLIENT_ID = "snapstart-priming";

    private final QualityApi api;
    /** SnapStart's hooks, held as long as the handler: the CRaC context may reference them weakly. */
    private final SnapStartPriming priming;

    /**
     * Lambda's constructor: everything is built once per execution environment, from its environment variables, and
     * SnapStart's hooks are registered (see {@link #priming}).
     */
    public ApiGatewayHandler() {
        ApiServices services = LambdaEnvironment.api(System.getenv());
        this.api = services.qualityApi();
        this.priming = priming(services, this).register();
    }

    public ApiGatewayHandler(QualityApi api) {
        this.api = api;
        this.priming = null;
    }

    /**
     * The function's SnapStart priming: the scoring path on the bundled photos, then one request of an unknown client
     * through this handler (event mapping, routing, Basic credentials, the tenant lookup in DynamoDB that loads and
     * exercises the SDK client, the JSON error answer), its refusal not counted in the metrics; after a restore,
     * the URL fetcher's connections are renewed.
     */
    static SnapStartPriming priming(ApiServices services, ApiGatewayHandler handler) {
        return SnapStartPriming.builder(services.scoring().scorer())
                .warmUp("the API path and DynamoDB, by an unknown client's request",
                        () -> services.scoring().metrics().unpublished(() -> handler.handleRequest(primingRequest(), null)))
                .onRestore("the URL fetcher's pooled connections", services.fetcher()::closePooledConnections)
                .build();
    }

    /** A GET of the quality endpoint by {@value #PRIMING_CLIENT_ID}, which no tenant is: answered 401. */
    static APIGatewayV2HTTPEvent primingRequest() {
        String credentials = Base64.getEncoder().encodeToString(
                (PRIMING_CLIENT_ID + ":not-a-secret").getBytes(StandardCharsets.UTF_8));
        return APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0")
                .withRouteKey("$default")
                .withRawPath(QualityApi.QUALITY_PATH)
                .withRawQueryString("url=https%3A%2F%2Fexample.com%2Fphoto.jpg")
                .withHeaders(Map.of("authorization", "Basic " + credentials))
                .withIsBase64Encoded(false)
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withRequestId(PRIMING_CLIENT_ID)
                        .withTimeEpoch(System.currentTimeMillis())
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod("GET")
                                .withPath(QualityApi.QUALITY_PATH).build())
                        .build())
                .build();
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        if (context != null && context.getAwsRequestId() != null) {
            MDC.put(AWS_REQUEST_ID_FIELD, context.getAwsRequestId());
        }
        ApiResponse response;
        try {
            response = api.handle(toRequest(event));
        } catch (ApiException e) {
            response = api.refuse(requestId(event), e);
        } finally {
            MDC.remove(AWS_REQUEST_ID_FIELD);
        }
        boolean text = isText(response.headers().get("Content-Type"));
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(response.status())
                .withHeaders(response.headers())
                .withBody(text ? response.bodyText() : Base64.getEncoder().encodeToString(response.body()))
                .withIsBase64Encoded(!text)
                .build();
    }

    /** JSON, YAML and text go as they are; anything else (the demo's sample photos) in base64, as API Gateway wants. */
    static boolean isText(String contentType) {
        return contentType == null || contentType.startsWith("text/") || contentType.startsWith("application/json")
                || contentType.startsWith("application/yaml");
    }

    /**
     * The request an event carries.
     *
     * @throws ApiException (400) when the event is not an HTTP API request, or its body is flagged base64 but is not
     *                      (API Gateway always sends strict base64: anything else was not sent by it)
     */
    static ApiRequest toRequest(APIGatewayV2HTTPEvent event) {
        APIGatewayV2HTTPEvent.RequestContext context = event.getRequestContext();
        if (context == null || context.getHttp() == null || context.getHttp().getMethod() == null
                || context.getRequestId() == null || event.getRawPath() == null) {
            throw new ApiException(400, "the event is not an API Gateway HTTP API request (payload format 2.0)");
        }
        return new ApiRequest(
                context.getHttp().getMethod(),
                event.getRawPath(),
                ApiRequest.parseQuery(event.getRawQueryString()),
                event.getHeaders() == null ? Map.of() : event.getHeaders(),
                body(event),
                context.getRequestId(),
                context.getTimeEpoch() > 0 ? Instant.ofEpochMilli(context.getTimeEpoch()) : Instant.now(),
                context.getHttp().getSourceIp() == null ? "" : context.getHttp().getSourceIp());
    }

    private static byte[] body(APIGatewayV2HTTPEvent event) {
        String body = event.getBody();
        if (body == null) {
            return new byte[0];
        }
        if (!event.getIsBase64Encoded()) {
            return body.getBytes(StandardCharsets.UTF_8);
        }
        try {
            return Base64.getDecoder().decode(body);
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, "the request body is marked base64 but is not valid base64");
        }
    }

    /** The event's request id, or a new one when it has none (the answer always carries one). */
    private static String requestId(APIGatewayV2HTTPEvent event) {
        APIGatewayV2HTTPEvent.RequestContext context = event.getRequestContext();
        return context != null && context.getRequestId() != null ? context.getRequestId()
                : UUID.randomUUID().toString();
    }
}
