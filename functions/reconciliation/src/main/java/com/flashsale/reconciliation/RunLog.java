package com.flashsale.reconciliation;

import com.flashsale.shared.db.DiscrepancyRepository;
import com.flashsale.shared.db.ReconciliationDiscrepancy;
import com.flashsale.shared.db.ReconciliationRunRepository;
import jakarta.inject.Singleton;

/** The reconciliation_run and reconciliation_discrepancy rows, each written under the fence. */
@Singleton
class RunLog {

    private final Lease lease;
    private final ReconciliationRunRepository runs;
    private final DiscrepancyRepository discrepancies;

    RunLog(Lease lease, ReconciliationRunRepository runs, DiscrepancyRepository discrepancies) {
        this.lease = lease;
        this.runs = runs;
        this.discrepancies = discrepancies;
    }

    long start(long fence, String holder) {
        return lease.fenced(fence, () -> runs.start(fence, holder));
    }

    void record(long fence, long runId, Discrepancy d) {
        lease.fenced(fence, () -> discrepancies.save(new ReconciliationDiscrepancy(null, runId, d.productId(), d.kind(),
                d.expected(), d.actual(), d.delta(), d.cause(), d.action())));
    }

    void finish(long fence, long runId, String summaryJson) {
        lease.fenced(fence, () -> runs.finish(runId, summaryJson));
    }
}
