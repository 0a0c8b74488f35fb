package com.flashsale.local.runtime.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flashsale.local.runtime.lambda.AwsRequestIds;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** API Gateway HTTP API events (payload format 2.0), as the service builds them for a Lambda integration. */
public final class ApiGatewayEvents {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter REQUEST_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private ApiGatewayEvents() {
    }

    /**
     * @param headers lower-case names, repeated values joined by commas
     * @param claims  the JWT authorizer's claims, as strings; empty on a route without authorizer
     */
    public static String http(String method, String routeTemplate, String rawPath, String rawQuery,
                              Map<String, String> query, Map<String, String> pathParameters, Map<String, String> headers,
                              String body, String sourceIp, Optional<Map<String, String>> claims) {
        Instant now = Instant.now();
        String routeKey = method + " " + routeTemplate;
        ObjectNode event = JSON.createObjectNode();
        event.put("version", "2.0");
        event.put("routeKey", routeKey);
        event.put("rawPath", rawPath);
        event.put("rawQueryString", rawQuery);
        ObjectNode headerNode = event.putObject("headers");
        headers.forEach(headerNode::put);
        if (!query.isEmpty()) {
            ObjectNode queryNode = event.putObject("queryStringParameters");
            query.forEach(queryNode::put);
        }
        if (!pathParameters.isEmpty()) {
            ObjectNode parameters = event.putObject("pathParameters");
            pathParameters.forEach(parameters::put);
        }
        ObjectNode context = event.putObject("requestContext");
        context.put("accountId", "000000000000");
        context.put("apiId", "local");
        context.put("domainName", "127.0.0.1");
        context.put("domainPrefix", "local");
        context.put("requestId", AwsRequestIds.next());
        context.put("routeKey", routeKey);
        context.put("stage", "$default");
        context.put("time", REQUEST_TIME.format(now));
        context.put("timeEpoch", now.toEpochMilli());
        ObjectNode http = context.putObject("http");
        http.put("method", method);
        http.put("path", rawPath);
        http.put("protocol", "HTTP/1.1");
        http.put("sourceIp", sourceIp);
        http.put("userAgent", headers.getOrDefault("user-agent", ""));
        claims.ifPresent(values -> {
            ObjectNode jwt = context.putObject("authorizer").putObject("jwt");
            ObjectNode claimNode = jwt.putObject("claims");
            values.forEach(claimNode::put);
            jwt.putNull("scopes");
        });
        if (body != null) {
            event.put("body", body);
        }
        event.put("isBase64Encoded", false);
        return event.toString();
    }
}
