package com.flashsale.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import io.micronaut.json.JsonMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * API Gateway v2 (payload 2.0) events for tests, from the JSON fixtures under {@code events/}:
 * {@code user-request.json} carries JWT authorizer claims, {@code anonymous-request.json} none.
 */
public final class Events {

    private static final AtomicLong SEQUENCE = new AtomicLong();
    private static final JsonMapper JSON = JsonMapper.createDefault();

    private final APIGatewayV2HTTPEvent event;

    private Events(String fixture) {
        try (InputStream in = Events.class.getResourceAsStream("/events/" + fixture + ".json")) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + fixture);
            }
            event = JSON.readValue(in, APIGatewayV2HTTPEvent.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        event.getRequestContext().setRequestId("req-" + SEQUENCE.incrementAndGet());
        event.setHeaders(new HashMap<>(event.getHeaders()));
    }

    /** A request of the signed-in user {@code userId} (claims sub and scope "openid profile"). */
    public static Events user(String userId) {
        return new Events("user-request").claim("sub", userId);
    }

    /** A request with the admin scope. */
    public static Events admin() {
        return new Events("user-request").claim("sub", "admin-1").claim("scope", "openid " + Caller.ADMIN_SCOPE);
    }

    /** A request without any JWT claims. */
    public static Events anonymous() {
        return new Events("anonymous-request");
    }

    public Events claim(String name, String value) {
        var jwt = event.getRequestContext().getAuthorizer().getJwt();
        Map<String, String> claims = new HashMap<>(jwt.getClaims());
        claims.put(name, value);
        jwt.setClaims(claims);
        return this;
    }

    public Events get(String path) {
        return route("GET", path, null);
    }

    public Events post(String path, String body) {
        return route("POST", path, body);
    }

    public Events route(String method, String path, String body) {
        event.getRequestContext().getHttp().setMethod(method);
        event.getRequestContext().getHttp().setPath(path);
        event.setRawPath(path);
        event.setBody(body);
        return this;
    }

    public Events header(String name, String value) {
        event.getHeaders().put(name.toLowerCase(), value);
        return this;
    }

    public Events from(String sourceIp) {
        event.getRequestContext().getHttp().setSourceIp(sourceIp);
        return this;
    }

    public Events base64(boolean encoded) {
        event.setIsBase64Encoded(encoded);
        return this;
    }

    public APIGatewayV2HTTPEvent event() {
        return event;
    }
}
