package com.flashsale.reconciliation;

import io.micronaut.serde.annotation.Serdeable;

import java.util.Map;

/**
 * What one reconciliation run did, returned to the caller, logged, and stored as the run's jsonb.
 *
 * @param acted  false when another run held the lease (nothing was done)
 * @param runId  the reconciliation_run row, null when the run did not act
 * @param counts counts per action: redriven, cancelled, stockReleased, warmed, rebuilt, discrepancies, ...
 */
@Serdeable
public record RunSummary(boolean acted, Long runId, long fence, String holder, Map<String, Long> counts) {

    public long count(String action) {
        return counts.getOrDefault(action, 0L);
    }
}
