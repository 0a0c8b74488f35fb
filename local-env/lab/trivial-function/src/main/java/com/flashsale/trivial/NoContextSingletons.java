package com.flashsale.trivial;

import com.amazonaws.services.lambda.runtime.Context;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.core.annotation.NonNull;
import io.micronaut.function.aws.DefaultLambdaContextFactory;
import io.micronaut.function.aws.LambdaContextFactory;
import jakarta.inject.Singleton;

/**
 * The yardstick carries the real functions' fix of the per-invocation Context singletons (see
 * docs/architecture.md, known pitfalls), or it would slow down over the benchmark's 10,000 requests.
 */
@Singleton
@Replaces(DefaultLambdaContextFactory.class)
public class NoContextSingletons implements LambdaContextFactory {

    @Override
    public void registerSingletons(@NonNull Context lambdaContext) {
        // nothing: the trivial controller never injects the context
    }
}
