package com.flashsale.local.lab.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.flashsale.local.runtime.gateway.ApiGatewayEvents;
import com.flashsale.local.runtime.LocalEnvironment;
import com.flashsale.local.runtime.lambda.Invocable;
import com.flashsale.shared.token.PurchaseToken;
import com.flashsale.shared.token.PurchaseTokenCodec;
import com.flashsale.shared.token.TokenKey;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a crowd of shoppers holds before it presses "buy": products made through the admin function,
 * and per user a purchase token signed with the functions' key, as the token function issues it
 * (tokens are stateless: nothing of them is in Redis until a purchase spends the nonce). Events are API Gateway's, built by {@link ApiGatewayEvents}.
 */
final class Shoppers {

    static final String BUY_PATH = "/api/flash-sale/buy";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Invocable admin;
    private final LocalEnvironment environment;
    private final PurchaseTokenCodec codec;

    /** One shopper's buy: who, from where, and the request body. */
    record Buy(String userId, String sourceIp, String body) {
    }

    /** Shoppers of the environment's sale: products through its admin function, tokens signed with its key. */
    Shoppers(LocalEnvironment environment) {
        this.admin = environment.function("admin");
        this.environment = environment;
        this.codec = new PurchaseTokenCodec(TokenKey.parse(environment.settings().get("flashsale.token.current-key")),
                Optional.empty());
    }

    /** Creates and preloads a product whose sale opens in {@code startIn}; returns its id once the sale is open. */
    String openSale(String name, int stock, Duration startIn) throws InterruptedException {
        Instant startsAt = Instant.now().plus(startIn);
        String created = call(admin, adminEvent("POST", "/admin/products", "/admin/products", Map.of(), String.format(
                "{\"name\":\"%s\",\"priceCents\":1000,\"stock\":%d,\"startsAt\":\"%s\",\"endsAt\":\"%s\",\"limitPerUser\":1}",
                name, stock, startsAt, startsAt.plus(Duration.ofHours(2)))), 201);
        String productId = read(created).path("productId").asText();
        call(admin, adminEvent("POST", "/admin/products/" + productId + "/preload", "/admin/products/{productId}/preload",
                Map.of("productId", productId), null), 200);
        long wait = Duration.between(Instant.now(), startsAt).toMillis() + 50;
        if (wait > 0) {
            Thread.sleep(wait);
        }
        return productId;
    }

    static String adminEvent(String method, String path, String template, Map<String, String> pathParameters, String body) {
        return ApiGatewayEvents.http(method, template, path, "", Map.of(), pathParameters,
                Map.of("content-type", "application/json"), body, "127.0.0.1",
                Optional.of(Map.of("sub", "bench-admin", "scope", "openid flashsale/admin")));
    }

    static String buyEvent(Buy buy) {
        return ApiGatewayEvents.http("POST", BUY_PATH, BUY_PATH, "", Map.of(), Map.of(),
                Map.of("content-type", "application/json"), buy.body(), buy.sourceIp(),
                Optional.of(Map.of("sub", buy.userId(), "scope", "openid")));
    }

    /** Users {@code <prefix>0..n-1}, each with a valid token for the product. */
    List<Buy> buys(String productId, String userPrefix, int first, int count) {
        List<Buy> buys = new ArrayList<>(count);
        Instant expiry = Instant.now().plus(Duration.ofMinutes(30));
        for (int i = first; i < first + count; i++) {
            String userId = userPrefix + i;
            String token = codec.encode(new PurchaseToken(userId, productId, nonce(), expiry));
            buys.add(new Buy(userId, sourceIp(i),
                    "{\"productId\":\"" + productId + "\",\"quantity\":1,\"token\":\"" + token + "\"}"));
        }
        return buys;
    }

    /** One address per user: the per-IP limit is not what this measures. */
    static String sourceIp(int user) {
        return "10." + ((user >> 16) & 255) + "." + ((user >> 8) & 255) + "." + (user & 255);
    }

    private static String nonce() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Invokes an HTTP function and returns the response body; fails unless the status is as expected. */
    static String call(Invocable function, String event, int expectedStatus) {
        JsonNode response = read(function.invoke(event));
        String body = body(response);
        if (response.path("statusCode").asInt() != expectedStatus) {
            throw new IllegalStateException(function.name() + " answered " + response.path("statusCode").asInt() + ": " + body);
        }
        return body;
    }

    static int status(String responseJson) {
        return read(responseJson).path("statusCode").asInt();
    }

    private static String body(JsonNode response) {
        String body = response.path("body").asText("");
        return response.path("isBase64Encoded").asBoolean(false)
                ? new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8) : body;
    }

    static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException("not JSON: " + json, e);
        }
    }
}
