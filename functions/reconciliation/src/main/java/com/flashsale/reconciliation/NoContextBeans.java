package com.flashsale.reconciliation;

import com.amazonaws.services.lambda.runtime.Context;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.function.aws.DefaultLambdaContextFactory;
import io.micronaut.function.aws.LambdaContextFactory;
import jakarta.inject.Singleton;

/**
 * Micronaut registers each invocation's Lambda {@code Context} as a new singleton and the
 * definitions pile up in a warm container (see ARCHITECTURE.md, known pitfalls). Nothing here
 * injects the Context, so nothing is registered.
 */
@Singleton
@Replaces(DefaultLambdaContextFactory.class)
class NoContextBeans implements LambdaContextFactory {

    @Override
    public void registerSingletons(Context context) {
        // deliberately nothing
    }
}
