package com.flashsale.http;

import com.amazonaws.services.lambda.runtime.Context;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.core.annotation.NonNull;
import io.micronaut.function.aws.DefaultLambdaContextFactory;
import io.micronaut.function.aws.LambdaContextFactory;
import jakarta.inject.Singleton;

/**
 * Micronaut AWS registers the Lambda {@link Context} (and its logger, client context, identity) as
 * singletons on every invocation ({@code HandlerUtils.configureWithContext} calls
 * {@link DefaultLambdaContextFactory#registerSingletons}). Lambda passes a new context each time,
 * so the registrations pile up and a warm container slows down and grows. Nothing here injects the
 * context: the request id comes from the API Gateway event. So register nothing.
 */
@Singleton
@Replaces(DefaultLambdaContextFactory.class)
public class PerInvocationContextIgnored implements LambdaContextFactory {

    @Override
    public void registerSingletons(@NonNull Context lambdaContext) {
        // deliberately nothing: see the class comment
    }
}
