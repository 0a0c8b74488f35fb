package com.flashsale.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import io.micronaut.http.HttpStatus;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * Who is calling, as the API Gateway JWT authorizer says ({@code requestContext.authorizer.jwt.claims})
 * and from where ({@code requestContext.http.sourceIp}). Never from a body or a custom header.
 */
public record Caller(String userId, boolean admin, String sourceIp) {

    public static final String ADMIN_SCOPE = "flashsale/admin";
    private static final Pattern SCOPE_SEPARATORS = Pattern.compile("[\\s,\\[\\]\"]+");

    /** The signed-in user; 401 UNAUTHORIZED without a {@code sub} claim. */
    public static Caller user(APIGatewayV2HTTPEvent event) {
        Map<String, String> claims = claims(event);
        String sub = claims == null ? null : claims.get("sub");
        if (sub == null || sub.isBlank() || sub.length() > 128) {
            throw new ApiException(HttpStatus.UNAUTHORIZED, "UNAUTHORIZED", "a valid JWT is required");
        }
        return new Caller(sub, hasAdminScope(claims.get("scope")), sourceIp(event));
    }

    /** An administrator; 401 without claims, 403 FORBIDDEN without the admin scope. */
    public static Caller admin(APIGatewayV2HTTPEvent event) {
        Caller caller = user(event);
        if (!caller.admin()) {
            throw ApiException.forbidden("FORBIDDEN", "the " + ADMIN_SCOPE + " scope is required");
        }
        return caller;
    }

    /** The client address; "unknown" when the gateway did not pass one. */
    public static String sourceIp(APIGatewayV2HTTPEvent event) {
        var context = event == null ? null : event.getRequestContext();
        var http = context == null ? null : context.getHttp();
        String ip = http == null ? null : http.getSourceIp();
        return ip == null || ip.isBlank() ? "unknown" : ip;
    }

    /** API Gateway's id of this request, for logs. */
    public static String requestId(APIGatewayV2HTTPEvent event) {
        var context = event == null ? null : event.getRequestContext();
        return context == null || context.getRequestId() == null ? "-" : context.getRequestId();
    }

    private static Map<String, String> claims(APIGatewayV2HTTPEvent event) {
        var context = event == null ? null : event.getRequestContext();
        var authorizer = context == null ? null : context.getAuthorizer();
        var jwt = authorizer == null ? null : authorizer.getJwt();
        return jwt == null ? null : jwt.getClaims();
    }

    /** API Gateway passes {@code scope} as "a b" or, for array claims, as "[a b]". */
    static boolean hasAdminScope(String scope) {
        // a shopper's scope does not even contain the text: no split on every request
        if (scope == null || !scope.contains(ADMIN_SCOPE)) {
            return false;
        }
        for (String each : SCOPE_SEPARATORS.split(scope)) {
            if (ADMIN_SCOPE.equals(each)) {
                return true;
            }
        }
        return false;
    }
}
