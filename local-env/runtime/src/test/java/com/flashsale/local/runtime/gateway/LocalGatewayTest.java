package com.flashsale.local.runtime.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.flashsale.local.runtime.FunctionManifest;
import com.flashsale.local.runtime.lambda.Invocable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** The local gateway does what API Gateway and its JWT authorizer do, before any function runs. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LocalGatewayTest {

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<JsonNode> events = new CopyOnWriteArrayList<>();
    private LocalGateway gateway;

    /** Answers like an HTTP function and keeps the event it got. */
    private final class EchoFunction implements Invocable {
        private final String name;

        EchoFunction(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String invoke(String eventJson) {
            try {
                events.add(json.readTree(eventJson));
                return json.createObjectNode().put("statusCode", 202)
                        .put("body", "{\"function\":\"" + name + "\"}")
                        .set("headers", json.createObjectNode().put("Content-Type", "application/json")).toString();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @BeforeAll
    void start() throws Exception {
        FunctionManifest manifest = FunctionManifest.read(Path.of("../..").toAbsolutePath().normalize());
        Map<String, Invocable> functions = new HashMap<>();
        manifest.functions().forEach((name, function) -> {
            if (!function.routes().isEmpty()) {
                functions.put(name, new EchoFunction(name));
            }
        });
        gateway = new LocalGateway(0, manifest, functions, new LocalJwt(), () -> true, 4);
    }

    @AfterAll
    void stop() {
        gateway.close();
    }

    private HttpResponse<String> send(String method, String path, String bearer, String body, Map<String, String> headers)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String login(String user, boolean admin) throws Exception {
        var response = send("POST", "/local/login", null, "{\"userId\":\"" + user + "\",\"admin\":" + admin + "}", Map.of());
        assertThat(response.statusCode()).isEqualTo(200);
        return json.readTree(response.body()).path("accessToken").asText();
    }

    @Test
    void shouldPassTheClaimsPathParametersAndClientAddress_toTheFunctionOfTheRoute() throws Exception {
        String token = login("alice", false);
        events.clear();

        var response = send("GET", "/api/flash-sale/result/p1.abc", token, null, Map.of("X-Forwarded-For", "127.9.9.9, 10.0.0.1"));

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(json.readTree(response.body()).path("function").asText()).isEqualTo("result");
        JsonNode event = events.get(0);
        assertThat(event.path("version").asText()).isEqualTo("2.0");
        assertThat(event.path("routeKey").asText()).isEqualTo("GET /api/flash-sale/result/{requestId}");
        assertThat(event.path("pathParameters").path("requestId").asText()).isEqualTo("p1.abc");
        assertThat(event.at("/requestContext/authorizer/jwt/claims/sub").asText()).isEqualTo("alice");
        assertThat(event.at("/requestContext/http/sourceIp").asText()).isEqualTo("127.9.9.9");
        assertThat(event.at("/requestContext/http/method").asText()).isEqualTo("GET");
    }

    @Test
    void shouldRefuseMissingForgedOrForeignTokens_with401() throws Exception {
        String forged = login("alice", true);
        forged = forged.substring(0, forged.length() - 4) + "AAAA";

        for (String bearer : new String[] {null, "not-a-jwt", forged}) {
            var response = send("POST", "/api/flash-sale/buy", bearer, "{}", Map.of());
            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(json.readTree(response.body()).path("error").asText()).isEqualTo("UNAUTHORIZED");
        }
    }

    @Test
    void shouldRequireTheAdminScope_onAdminRoutes() throws Exception {
        var shopper = send("POST", "/admin/products", login("bob", false), "{}", Map.of());
        var admin = send("POST", "/admin/products", login("boss", true), "{}", Map.of());

        assertThat(shopper.statusCode()).isEqualTo(403);
        assertThat(json.readTree(shopper.body()).path("error").asText()).isEqualTo("FORBIDDEN");
        assertThat(admin.statusCode()).isEqualTo(202);
        assertThat(json.readTree(admin.body()).path("function").asText()).isEqualTo("admin");
    }

    @Test
    void shouldServeTheProductPage_withoutAToken() throws Exception {
        events.clear();

        var response = send("GET", "/api/products/p1", null, null, Map.of());

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(events.get(0).path("requestContext").has("authorizer")).isFalse();
    }

    @Test
    void shouldAnswerUnknownRoutesAndBadLogins_withJsonErrors() throws Exception {
        var unknown = send("DELETE", "/api/products/p1", null, null, Map.of());
        var badLogin = send("POST", "/local/login", null, "{\"userId\":42}", Map.of());
        var health = send("GET", "/local/health", null, null, Map.of());

        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(json.readTree(unknown.body()).path("error").asText()).isEqualTo("NOT_FOUND");
        assertThat(badLogin.statusCode()).isEqualTo(400);
        assertThat(json.readTree(badLogin.body()).path("error").asText()).isEqualTo("INVALID_REQUEST");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(json.readTree(health.body()).path("status").asText()).isEqualTo("UP");
    }
}
