package com.flashsale.http;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.lettuce.core.RedisException;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.core.annotation.NonNull;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;

import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * Every error Micronaut itself answers (unknown route, unreadable body, a failure nobody handled)
 * in docs/api.md's shape {@code {"error":"CODE","message":"..."}}. A dependency that is down (or
 * known down: its breaker refused the call) becomes 503 UNAVAILABLE; anything else unexpected is
 * logged and answered 500.
 */
@Singleton
@Replaces(ErrorResponseProcessor.class)
public class JsonErrorResponseProcessor implements ErrorResponseProcessor<Map<String, Object>> {

    private static final Logger LOG = LoggerFactory.getLogger(JsonErrorResponseProcessor.class);

    private final Outcomes outcomes;

    public JsonErrorResponseProcessor(Outcomes outcomes) {
        this.outcomes = outcomes;
    }

    @Override
    public @NonNull MutableHttpResponse<Map<String, Object>> processResponse(@NonNull ErrorContext context,
                                                                            @NonNull MutableHttpResponse<?> response) {
        HttpStatus status = response.getStatus();
        Throwable cause = context.getRootCause().orElse(null);
        String code;
        String message;
        if (cause instanceof ApiException api) {
            status = api.status();
            code = api.code();
            message = api.getMessage();
        } else if (status.getCode() >= 500) {
            ApiException failure = unhandled(cause, status);
            status = failure.status();
            code = failure.code();
            message = failure.getMessage();
        } else {
            code = codeOf(status);
            message = status.getReason();
        }
        outcomes.count(code);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", code);
        body.put("message", message);
        return response.status(status).contentType(MediaType.APPLICATION_JSON_TYPE).body(body);
    }

    /**
     * A failure nobody handled, answered with a 5xx {@code status}: 503 UNAVAILABLE when a dependency
     * is down, otherwise that status, logged.
     */
    public static ApiException unhandled(Throwable cause, HttpStatus status) {
        if (isDependencyFailure(cause)) {
            return ApiException.unavailable("a dependency is unavailable; nothing was changed, please retry");
        }
        LOG.error("unexpected failure", cause);
        return new ApiException(status, codeOf(status), "internal error");
    }

    static boolean isDependencyFailure(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof RedisException || t instanceof TimeoutException || t instanceof java.sql.SQLException
                    || t instanceof java.net.ConnectException || t instanceof CallNotPermittedException) {
                return true;
            }
        }
        return false;
    }

    static String codeOf(HttpStatus status) {
        return switch (status) {
            case UNAUTHORIZED -> "UNAUTHORIZED";
            case FORBIDDEN -> "FORBIDDEN";
            case NOT_FOUND, METHOD_NOT_ALLOWED -> "NOT_FOUND";
            case CONFLICT -> "CONFLICT";
            case REQUEST_ENTITY_TOO_LARGE -> "PAYLOAD_TOO_LARGE";
            case TOO_MANY_REQUESTS -> "RATE_LIMITED";
            case SERVICE_UNAVAILABLE -> "UNAVAILABLE";
            default -> status.getCode() >= 500 ? "INTERNAL" : "INVALID_REQUEST";
        };
    }
}
