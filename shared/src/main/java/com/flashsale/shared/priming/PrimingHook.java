package com.flashsale.shared.priming;

import io.micronaut.core.order.Ordered;
import io.micronaut.crac.OrderedResource;
import org.crac.Context;
import org.crac.Resource;

/**
 * A function's invoke priming as a SnapStart checkpoint hook: it runs first of the hooks (lowest
 * precedence: CRaC calls them in reverse order of registration), while the Redis, Kafka and
 * database connections are still open; their own hooks then close them. Nothing to do after the
 * restore: what priming loaded and compiled is in the snapshot.
 */
public abstract class PrimingHook implements OrderedResource {

    /** Runs the priming; logs a failure, never throws: an unprimed snapshot is slower, not wrong. */
    protected abstract void primeBeforeCheckpoint();

    @Override
    public final void beforeCheckpoint(Context<? extends Resource> context) {
        primeBeforeCheckpoint();
    }

    @Override
    public final void afterRestore(Context<? extends Resource> context) {
        // nothing: what priming loaded and compiled is in the snapshot
    }

    @Override
    public final int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
