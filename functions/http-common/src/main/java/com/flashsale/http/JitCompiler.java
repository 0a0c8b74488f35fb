package com.flashsale.http;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/** The JVM's JIT compiler as invoke priming watches it: how long it has compiled, and waiting until it is idle. */
final class JitCompiler {

    /** How long the compiler must have compiled nothing to count as idle. */
    private static final Duration QUIET = Duration.ofMillis(100);
    private static final Duration POLL = Duration.ofMillis(10);
    private static final Duration DEADLINE = Duration.ofSeconds(5);
    private static final CompilationMXBean COMPILER = ManagementFactory.getCompilationMXBean();

    private JitCompiler() {
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
