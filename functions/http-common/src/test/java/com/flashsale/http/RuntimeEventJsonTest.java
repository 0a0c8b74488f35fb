package com.flashsale.http;

import com.amazonaws.services.lambda.runtime.CustomPojoSerializer;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The API functions declare a {@link CustomPojoSerializer} (micronaut-aws-lambda-events-serde's),
 * which the Lambda Java runtime then uses instead of its own serializer for every event and response.
 * It must read API Gateway's events and write the responses exactly as the runtime's own would.
 */
class RuntimeEventJsonTest {

    /** An HTTP API (payload 2.0) event with every part a request of ours can have. */
    private static final String EVENT = """
            {"version":"2.0","routeKey":"POST /api/flash-sale/buy","rawPath":"/api/flash-sale/buy",
             "rawQueryString":"a=1&b=x%20y","cookies":["c1=v1","c2=v2"],
             "headers":{"content-type":"application/json","idempotency-key":"k-1","x-forwarded-for":"203.0.113.9"},
             "queryStringParameters":{"a":"1","b":"x y"},"pathParameters":{"productId":"p1"},
             "stageVariables":{"stage":"prod"},
             "requestContext":{"accountId":"123456789012","apiId":"api","domainName":"api.example.com",
               "domainPrefix":"api","requestId":"JKJaXmPLvHcESHA=","routeKey":"POST /api/flash-sale/buy",
               "stage":"$default","time":"06/Dec/2026:13:15:44 +0000","timeEpoch":1796562944000,
               "http":{"method":"POST","path":"/api/flash-sale/buy","protocol":"HTTP/1.1",
                 "sourceIp":"203.0.113.9","userAgent":"curl/8.0"},
               "authorizer":{"jwt":{"claims":{"sub":"alice","scope":"openid profile"},"scopes":["openid"]}}},
             "body":"eyJwcm9kdWN0SWQiOiJwMSJ9","isBase64Encoded":true}
            """;

    private final CustomPojoSerializer functions = functionsSerializer();

    @Test
    void shouldDeclareExactlyOneSerializer_asTheRuntimeRequires() {
        assertThat(ServiceLoader.load(CustomPojoSerializer.class).stream().count()).isEqualTo(1);
    }

    @Test
    void shouldReadAnApiGatewayEvent_asTheRuntimesOwnSerializerDoes() {
        APIGatewayV2HTTPEvent ours = functions.fromJson(new ByteArrayInputStream(EVENT.getBytes(StandardCharsets.UTF_8)),
                APIGatewayV2HTTPEvent.class);
        APIGatewayV2HTTPEvent runtimes = runtimeSerializer(APIGatewayV2HTTPEvent.class).fromJson(EVENT);

        assertThat(ours).isEqualTo(runtimes);
        assertThat(ours.getIsBase64Encoded()).isTrue();
        assertThat(ours.getRequestContext().getAuthorizer().getJwt().getClaims()).containsEntry("sub", "alice");
        assertThat(ours.getRequestContext().getHttp().getSourceIp()).isEqualTo("203.0.113.9");
    }

    @Test
    void shouldWriteAResponse_asTheRuntimesOwnSerializerDoes() {
        APIGatewayV2HTTPResponse response = APIGatewayV2HTTPResponse.builder()
                .withStatusCode(202)
                .withHeaders(Map.of("Content-Type", "application/json", "Retry-After", "1"))
                .withMultiValueHeaders(Map.of("Vary", List.of("Origin", "Accept")))
                .withCookies(List.of("session=1; Secure"))
                .withBody("{\"requestId\":\"p1.abc\",\"status\":\"PENDING\"}")
                .withIsBase64Encoded(false)
                .build();

        var ours = new ByteArrayOutputStream();
        functions.toJson(response, ours, APIGatewayV2HTTPResponse.class);
        var runtimes = new ByteArrayOutputStream();
        runtimeSerializer(APIGatewayV2HTTPResponse.class).toJson(response, runtimes);

        Map<String, Object> written = functions.fromJson(ours.toString(StandardCharsets.UTF_8), Map.class);
        Map<String, Object> expected = functions.fromJson(runtimes.toString(StandardCharsets.UTF_8), Map.class);
        assertThat(written).isEqualTo(expected);
        assertThat(written).containsEntry("statusCode", 202).containsEntry("isBase64Encoded", false);
    }

    private static CustomPojoSerializer functionsSerializer() {
        return ServiceLoader.load(CustomPojoSerializer.class).findFirst().orElseThrow();
    }

    /** What the runtime uses without a serializer of the function's (as the local runtime does too). */
    @SuppressWarnings("unchecked")
    private static <T> PojoSerializer<T> runtimeSerializer(Class<T> type) {
        return (PojoSerializer<T>) LambdaEventSerializers.serializerFor(type, RuntimeEventJsonTest.class.getClassLoader());
    }
}
