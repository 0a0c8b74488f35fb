package com.flashsale.reconciliation;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.flashsale.shared.metrics.Metrics;
import io.micronaut.context.ApplicationContext;
import io.micronaut.function.aws.MicronautRequestHandler;
import jakarta.inject.Inject;

import java.util.Map;

/**
 * Lambda entry point of the EventBridge schedule (every minute). The event itself carries nothing
 * we need: duplicates and overlapping runs are expected and made harmless by the lease. A run
 * whose steps failed is an error (after the other steps ran), so the Errors alarm sees it.
 */
public class ReconciliationHandler extends MicronautRequestHandler<ScheduledEvent, RunSummary> {

    /** EMF metric names (FlashSale namespace) of one run. */
    public static final String DISCREPANCIES = "ReconciliationDiscrepancies";
    public static final String REDRIVEN = "RedrivenEvents";
    public static final String CANCELLED = "CancelledOrders";
    public static final String STEP_ERRORS = "ReconciliationStepErrors";
    public static final String OUTBOX_AGE = "OutboxAgeSeconds";

    @Inject
    Reconciler reconciler;

    @Inject
    Metrics metrics;

    public ReconciliationHandler() {
    }

    public ReconciliationHandler(ApplicationContext context) {
        super(context);
    }

    @Override
    public RunSummary execute(ScheduledEvent event) {
        RunSummary summary = reconciler.run();
        metrics.counts(Map.of(DISCREPANCIES, summary.count(Actions.DISCREPANCIES),
                REDRIVEN, summary.count(Actions.REDRIVEN), CANCELLED, summary.count(Actions.CANCELLED),
                STEP_ERRORS, summary.count(Actions.ERRORS)));
        if (summary.acted()) {
            metrics.seconds(Map.of(OUTBOX_AGE, summary.count(Actions.OUTBOX_AGE_SECONDS)));
        }
        if (summary.count(Actions.ERRORS) > 0) {
            // the other steps ran; failing the invocation puts the failure on the Errors alarm
            throw new IllegalStateException("reconciliation steps failed: " + summary);
        }
        return summary;
    }
}
