package com.flashsale.reconciliation;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import io.micronaut.context.ApplicationContext;
import io.micronaut.function.aws.MicronautRequestHandler;
import jakarta.inject.Inject;

/**
 * Lambda entry point of the EventBridge schedule (every minute). The event itself carries nothing
 * we need: duplicates and overlapping runs are expected and made harmless by the lease.
 */
public class ReconciliationHandler extends MicronautRequestHandler<ScheduledEvent, RunSummary> {

    @Inject
    Reconciler reconciler;

    public ReconciliationHandler() {
    }

    public ReconciliationHandler(ApplicationContext context) {
        super(context);
    }

    @Override
    public RunSummary execute(ScheduledEvent event) {
        return reconciler.run();
    }
}
