package com.flashsale.local.lab.simulate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** The HTTP API of docs/api.md, as a client calls it through the gateway. */
final class SaleClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final String baseUrl;

    SaleClient(String baseUrl, int connections) {
        this.baseUrl = baseUrl;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .executor(java.util.concurrent.Executors.newFixedThreadPool(Math.max(2, connections / 32)))
                .build();
    }

    /** One answer: status, JSON body (missing node when none), the Retry-After header, latency. */
    record Reply(int status, JsonNode body, long retryAfterSeconds, long latencyNanos) {

        boolean ok() {
            return status / 100 == 2;
        }

        String error() {
            return body.path("error").asText(ok() ? "" : "HTTP_" + status);
        }

        String text(String field) {
            return body.path(field).asText(null);
        }
    }

    Reply call(String method, String path, String bearer, Object body, Map<String, String> headers) {
        try {
            return send(method, path, bearer, body == null ? null : JSON.writeValueAsString(body), headers);
        } catch (IOException e) {
            throw new IllegalArgumentException("not serializable as JSON: " + body, e);
        }
    }

    /** A call with the body exactly as given, broken or not. */
    Reply send(String method, String path, String bearer, String body, Map<String, String> headers) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                    .timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json");
            if (bearer != null) {
                request.header("Authorization", "Bearer " + bearer);
            }
            headers.forEach(request::header);
            request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
            long started = System.nanoTime();
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            long latency = System.nanoTime() - started;
            JsonNode json = response.body() == null || response.body().isBlank()
                    ? MissingNode.getInstance() : JSON.readTree(response.body());
            long retryAfter = response.headers().firstValueAsLong("Retry-After").orElse(0);
            return new Reply(response.statusCode(), json, retryAfter, latency);
        } catch (IOException e) {
            return new Reply(0, JSON.createObjectNode().put("error", "NETWORK").put("message", e.toString()), 0, 0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    Reply get(String path, String bearer) {
        return call("GET", path, bearer, null, Map.of());
    }

    Reply post(String path, String bearer, Object body) {
        return call("POST", path, bearer, body, Map.of());
    }

    String login(String userId, boolean admin) {
        Reply reply = post("/local/login", null, Map.of("userId", userId, "admin", admin));
        if (!reply.ok()) {
            throw new IllegalStateException("login refused: " + reply);
        }
        return reply.text("accessToken");
    }
}
