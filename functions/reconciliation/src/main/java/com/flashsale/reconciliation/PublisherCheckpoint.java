package com.flashsale.reconciliation;

import io.micronaut.crac.OrderedResource;
import jakarta.inject.Singleton;
import org.crac.Context;
import org.crac.Resource;

/**
 * SnapStart: the re-drive producer is idempotent, and two containers restored from one snapshot
 * must not share its producer id, so it is closed before the checkpoint; the next re-drive makes a
 * new one.
 */
@Singleton
class PublisherCheckpoint implements OrderedResource {

    private final OrderEventPublisher publisher;

    PublisherCheckpoint(OrderEventPublisher publisher) {
        this.publisher = publisher;
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        publisher.close();
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        // the producer is created on first use
    }
}
