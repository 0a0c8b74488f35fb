package com.flashsale.shared.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.NonNull;
import io.micronaut.function.aws.DefaultLambdaContextFactory;
import io.micronaut.function.aws.LambdaContextFactory;
import jakarta.inject.Singleton;

/**
 * Micronaut AWS registers the Lambda {@link Context} (and its logger, client context, identity) as
 * singletons on every invocation ({@code HandlerUtils.configureWithContext} calls
 * {@link DefaultLambdaContextFactory#registerSingletons}). Lambda passes a new context each time,
 * so the registrations pile up and a warm container slows down and grows (docs/architecture.md, "Known
 * pitfalls"). No function injects the context: HTTP functions take the request id from the API
 * Gateway event, event functions from their event. So register nothing.
 *
 * <p>Every function gets this through shared; {@code @Requires} keeps it out of an application
 * without micronaut-function-aws.
 */
@Singleton
@Requires(classes = DefaultLambdaContextFactory.class)
@Replaces(DefaultLambdaContextFactory.class)
public class PerInvocationContextIgnored implements LambdaContextFactory {

    @Override
    public void registerSingletons(@NonNull Context lambdaContext) {
        // deliberately nothing: see the class comment
    }
}
