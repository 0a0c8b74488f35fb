package com.flashsale.local.lab;

import java.time.Duration;
import java.util.concurrent.Callable;

/** The lab's one way to wait for something that happens elsewhere (a drain, the consumer): poll it, bounded. */
public final class Deadline {

    private Deadline() {
    }

    /**
     * Asks {@code done} every {@code every} until it answers true or {@code within} has passed; an
     * exception counts as "not yet" (a server still coming back).
     *
     * @return whether it became true in time
     */
    public static boolean await(Duration within, Duration every, Callable<Boolean> done) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            try {
                if (done.call()) {
                    return true;
                }
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception notYet) {
                // asked again at the next tick
            }
            if (System.nanoTime() >= deadline) {
                return false;
            }
            Thread.sleep(every.toMillis());
        }
    }
}
