package com.flashsale.local.gateway;

import com.flashsale.local.lambda.Functions;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A route of the HTTP API, as API Gateway has it: method and path template, the function behind
 * it, and what the JWT authorizer demands.
 */
record Route(String method, String template, Functions function, Access access) {

    enum Access { PUBLIC, USER, ADMIN }

    /** Every route of API.md, as in infra-terraform. */
    static final List<Route> ALL = List.of(
            new Route("POST", "/api/flash-sale/token", Functions.TOKEN, Access.USER),
            new Route("POST", "/api/flash-sale/buy", Functions.BUY, Access.USER),
            new Route("GET", "/api/flash-sale/result/{requestId}", Functions.RESULT, Access.USER),
            new Route("GET", "/api/products/{productId}", Functions.RESULT, Access.PUBLIC),
            new Route("GET", "/api/orders/{orderId}", Functions.RESULT, Access.USER),
            new Route("POST", "/admin/products", Functions.ADMIN, Access.ADMIN),
            new Route("POST", "/admin/products/{productId}/preload", Functions.ADMIN, Access.ADMIN),
            new Route("POST", "/admin/orders/{orderId}/paid", Functions.ADMIN, Access.ADMIN),
            new Route("GET", "/admin/products/{productId}/stats", Functions.ADMIN, Access.ADMIN));

    String routeKey() {
        return method + " " + template;
    }

    /** The path parameters when this route matches, else empty. */
    Optional<Map<String, String>> match(String method, String path) {
        if (!this.method.equals(method)) {
            return Optional.empty();
        }
        String[] want = template.split("/", -1);
        String[] have = path.split("/", -1);
        if (want.length != have.length) {
            return Optional.empty();
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        for (int i = 0; i < want.length; i++) {
            if (want[i].startsWith("{")) {
                if (have[i].isEmpty()) {
                    return Optional.empty();
                }
                parameters.put(want[i].substring(1, want[i].length() - 1), have[i]);
            } else if (!want[i].equals(have[i])) {
                return Optional.empty();
            }
        }
        return Optional.of(parameters);
    }
}
