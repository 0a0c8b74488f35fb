package com.flashsale.reconciliation;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * The reconciliation's timing ({@code flashsale.reconciliation.*}).
 *
 * @param leaseTtl        how long a run holds the lease if it never releases it: longer than the Lambda timeout
 * @param redriveAfter    age of an outbox entry from which it is published again
 * @param warmUp          how long before its start a sale is loaded into Redis
 * @param auditWindow     how long after its end a sale is still audited
 * @param releaseLookback how far back cancelled orders get their Redis stock back again (a no-op once done)
 * @param outboxPage      outbox entries read per XRANGE (a run pages through the outbox)
 * @param redriveUndecidedAfter age of a request Redis accepted and Postgres has not decided (and no
 *                        longer in the outbox) from which its event is rebuilt from its Redis state and
 *                        published again: the MSK trigger gave up on it, or Redis forgot its outbox entry
 */
@ConfigurationProperties("flashsale.reconciliation")
record ReconciliationSettings(@Bindable(defaultValue = "5m") Duration leaseTtl,
                              @Bindable(defaultValue = "5s") Duration redriveAfter,
                              @Bindable(defaultValue = "10m") Duration warmUp,
                              @Bindable(defaultValue = "2h") Duration auditWindow,
                              @Bindable(defaultValue = "6h") Duration releaseLookback,
                              @Bindable(defaultValue = "1000") int outboxPage,
                              @Bindable(defaultValue = "60s") Duration redriveUndecidedAfter) {
}
