package com.flashsale.http;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

import java.util.Map;

/** Renders every {@link ApiException} as docs/api.md's JSON error. */
@Produces
@Singleton
@Requires(classes = {ApiException.class, ExceptionHandler.class})
public class ApiExceptionHandler implements ExceptionHandler<ApiException, HttpResponse<Map<String, Object>>> {

    private final Outcomes outcomes;

    public ApiExceptionHandler(Outcomes outcomes) {
        this.outcomes = outcomes;
    }

    @Override
    public HttpResponse<Map<String, Object>> handle(HttpRequest request, ApiException exception) {
        outcomes.count(exception.code());
        return exception.response();
    }
}
