package com.flashsale.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import io.micronaut.http.HttpStatus;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * Reads a request's JSON object from the API Gateway event, strictly: over 16 KiB is 413
 * PAYLOAD_TOO_LARGE; anything that is not a JSON object, or a field of the wrong type, is 400
 * INVALID_REQUEST. Unknown fields are ignored.
 */
@Singleton
public class JsonBody {

    public static final int MAX_BYTES = 16 * 1024;

    private final JsonMapper json;

    public JsonBody(JsonMapper json) {
        this.json = json;
    }

    public Fields read(APIGatewayV2HTTPEvent event) {
        String body = event.getBody();
        if (body == null || body.isEmpty()) {
            throw ApiException.invalid("a JSON body is required");
        }
        // a cheap bound before decoding: base64 is 4/3 of the bytes, UTF-8 at most 3 bytes a char
        if (body.length() > (event.getIsBase64Encoded() ? MAX_BYTES * 4 / 3 + 4 : MAX_BYTES)) {
            throw tooLarge();
        }
        byte[] bytes;
        try {
            bytes = event.getIsBase64Encoded() ? Base64.getDecoder().decode(body) : body.getBytes(StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("the body is not valid base64");
        }
        if (bytes.length > MAX_BYTES) {
            throw tooLarge();
        }
        JsonNode node;
        try {
            node = json.readValue(bytes, JsonNode.class);
        } catch (IOException | RuntimeException e) {
            throw ApiException.invalid("the body is not valid JSON");
        }
        if (node == null || !node.isObject()) {
            throw ApiException.invalid("the body must be a JSON object");
        }
        return new Fields(node);
    }

    private static ApiException tooLarge() {
        return new ApiException(HttpStatus.REQUEST_ENTITY_TOO_LARGE, "PAYLOAD_TOO_LARGE",
                "the body is over " + MAX_BYTES + " bytes");
    }

    /** Typed access to the fields of a JSON object; every type error is a 400. */
    public record Fields(JsonNode node) {

        public String requiredString(String name) {
            return optionalString(name).orElseThrow(() -> ApiException.invalid(name + " is required"));
        }

        public Optional<String> optionalString(String name) {
            JsonNode value = node.get(name);
            if (value == null || value.isNull()) {
                return Optional.empty();
            }
            if (!value.isString()) {
                throw ApiException.invalid(name + " must be a string");
            }
            return Optional.of(value.getStringValue());
        }

        /** A whole number within [min, max]; a fraction, a string or a number out of range is a 400. */
        public Optional<Long> optionalLong(String name, long min, long max) {
            JsonNode value = node.get(name);
            if (value == null || value.isNull()) {
                return Optional.empty();
            }
            if (!value.isNumber()) {
                throw ApiException.invalid(name + " must be a number");
            }
            Number number = value.getNumberValue();
            double asDouble = number.doubleValue();
            if (Double.isNaN(asDouble) || Double.isInfinite(asDouble) || asDouble != Math.rint(asDouble)) {
                throw ApiException.invalid(name + " must be a whole number");
            }
            if (asDouble < min || asDouble > max) {
                throw ApiException.invalid(name + " must be between " + min + " and " + max);
            }
            return Optional.of(number.longValue());
        }

        public long requiredLong(String name, long min, long max) {
            return optionalLong(name, min, max).orElseThrow(() -> ApiException.invalid(name + " is required"));
        }
    }
}
