package com.flashsale.shared.priming;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/** The JVM's JIT compiler as invoke priming watches it: how long it has compiled, and waiting until it is idle. */
public final class JitCompiler {

    /** How long the compiler must have compiled nothing to count as idle. */
    private static final Duration QUIET = Duration.ofMillis(100);
    private static final Duration POLL = Duration.ofMillis(10);
    private static final Duration DEADLINE = Duration.ofSeconds(5);
    private static final CompilationMXBean COMPILER = ManagementFactory.getCompilationMXBean();

    private JitCompiler() {
    }

    /**
     * Passes of a priming's rounds, each once the compiler is idle, until a pass makes it compile
     * nothing. The compiler raises its thresholds while its queue is long (Tier3LoadFeedback), and a
     * cold start fills that queue: by the end of the rounds, hot methods of the path were still
     * interpreted, and a snapshot then restores with them waiting to be compiled. Measured without
     * this (docs/benchmarks.md section 8): 500 to 650 methods compiled in the second after the
     * restore, most of a primed container's slowest invocations among its first 250.
     *
     * @return how many passes it took (at most {@code maxPasses})
     */
    public static int settle(int maxPasses, Runnable pass) {
        for (int done = 1; done <= maxPasses; done++) {
            awaitIdle();
            long compiled = totalMillis();
            pass.run();
            if (totalMillis() == compiled) {
                return done;
            }
        }
        return maxPasses;
    }

    /** Milliseconds the compiler has spent so far; 0 when the JVM does not say (no JIT, no monitoring). */
    static long totalMillis() {
        return COMPILER != null && COMPILER.isCompilationTimeMonitoringSupported() ? COMPILER.getTotalCompilationTime() : 0;
    }

    /** Waits until the compiler has compiled nothing for {@link #QUIET}, at most {@link #DEADLINE}. */
    static void awaitIdle() {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        long compiled = totalMillis();
        long quietSince = System.nanoTime();
        while (System.nanoTime() - quietSince < QUIET.toNanos() && System.nanoTime() < deadline) {
            LockSupport.parkNanos(POLL.toNanos());
            long now = totalMillis();
            if (now != compiled) {
                compiled = now;
                quietSince = System.nanoTime();
            }
        }
    }
}
