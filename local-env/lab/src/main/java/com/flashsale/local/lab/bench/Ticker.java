package com.flashsale.local.lab.bench;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** Shows that a long step is alive: prints its state every two seconds until closed. */
final class Ticker implements AutoCloseable {

    private static final long STARTED = System.nanoTime();
    /** The terminal, kept when the functions' own log lines are sent to a file. */
    private static final java.io.PrintStream OUT = System.out;

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "bench-ticker");
        thread.setDaemon(true);
        return thread;
    });

    Ticker(Supplier<String> state) {
        timer.scheduleAtFixedRate(() -> say("  ... " + state.get()), 2, 2, TimeUnit.SECONDS);
    }

    /** One progress line, stamped with the time since the benchmark started. */
    static void say(String line) {
        long seconds = (System.nanoTime() - STARTED) / 1_000_000_000L;
        OUT.printf("[bench %02d:%02d] %s%n", seconds / 60, seconds % 60, line);
        OUT.flush();
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
