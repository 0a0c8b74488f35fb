package com.flashsale.local.runtime.gateway;

import com.flashsale.local.runtime.FunctionManifest;
import com.flashsale.local.runtime.FunctionManifest.Access;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A route of the HTTP API, as API Gateway has it: method and path template, the function behind
 * it, and what the JWT authorizer demands.
 */
record Route(String method, String template, String function, Access access) {

    /** Every route of the manifest's functions, as Terraform declares them in API Gateway. */
    static List<Route> of(FunctionManifest manifest) {
        List<Route> routes = new ArrayList<>();
        manifest.functions().forEach((name, function) -> function.routes().forEach(route ->
                routes.add(new Route(route.method(), route.path(), name, route.auth()))));
        return List.copyOf(routes);
    }

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
