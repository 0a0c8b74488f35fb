package com.flashsale.local.runtime;

import com.flashsale.local.runtime.lambda.LocalFunction;
import com.flashsale.local.runtime.trigger.DeliveryHook;

/**
 * What a test or the lab may do to the running system that AWS, not the code, does to a real one.
 * The runtime itself injects no fault: the lab plays them through these hooks.
 */
public interface RuntimeHooks {

    /**
     * A container crash: a new container of the function cold-starts from its artifact and takes
     * over, then the old one is closed under whatever invocations it still runs (they fail, as they
     * would in Lambda, and their callers retry).
     *
     * @return the new container
     */
    LocalFunction replaceContainer(String function);

    /**
     * Puts another container behind a function's routes and triggers (the benchmark's yardstick)
     * until it is put back the same way.
     *
     * @return the container it stands in for, still open
     */
    LocalFunction standIn(String function, LocalFunction container);

    /** Every batch the MSK trigger polls passes through this hook until another replaces it. */
    void deliveryHook(DeliveryHook hook);
}
