package com.flashsale.local.runtime.trigger;

import java.util.function.Consumer;

/**
 * Sits between the trigger's poll and the function, to play what the real event source mapping
 * may do (the lab's faults: a consumer that dies after its commit and gets the batch again, ...).
 * The offsets are committed once {@link #deliver} returns normally; if it throws, the batch is
 * retried as after a failed invocation.
 */
@FunctionalInterface
public interface DeliveryHook {

    /** Every batch reaches the function once: the event source mapping on a good day. */
    DeliveryHook NONE = (batch, function) -> function.accept(batch);

    /** @param function invokes the consumer function with a batch; throws when the invocation fails */
    void deliver(Batch batch, Consumer<Batch> function);
}
