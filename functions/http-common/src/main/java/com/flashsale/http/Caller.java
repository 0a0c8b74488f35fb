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
    static final int MAX_USER_ID_LENGTH = 128;
    private static final Pattern SCOPE_SEPARATORS = Pattern.compile("[\\s,\\[\\]\"]+");

    /**
     * The signed-in user; 401 UNAUTHORIZED without a {@code sub} claim, or with one the stores cannot
     * hold as it is (see {@link #isStorableUserId}).
     */
    public static Caller user(APIGatewayV2HTTPEvent event) {
        Map<String, String> claims = claims(event);
        String sub = claims == null ? null : claims.get("sub");
        if (!isStorableUserId(sub)) {
            throw new ApiException(HttpStatus.UNAUTHORIZED, "UNAUTHORIZED", "a valid JWT is required");
        }
        return new Caller(sub, hasAdminScope(claims.get("scope")), sourceIp(event));
    }

    /**
     * A user id every store keeps exactly: not blank, at most {@value #MAX_USER_ID_LENGTH} characters,
     * no control character (PostgreSQL text cannot hold NUL; the others only hide in logs and keys)
     * and no lone surrogate (it has no UTF-8 form: the driver would store another id).
     */
    static boolean isStorableUserId(String sub) {
        if (sub == null || sub.isBlank() || sub.length() > MAX_USER_ID_LENGTH) {
            return false;
        }
        for (int i = 0; i < sub.length(); i++) {
            char c = sub.charAt(i);
            if (Character.isISOControl(c)) {
                return false;
            }
            if (Character.isSurrogate(c)) {
                if (!Character.isHighSurrogate(c) || i + 1 == sub.length() || !Character.isLowSurrogate(sub.charAt(i + 1))) {
                    return false;
                }
                i++;
            }
        }
        return true;
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
