package com.flashsale.local.lab.simulate;

import java.io.PrintStream;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/** A live progress line: a bar on a terminal, a line every few seconds in a log. */
final class Progress {

    private final PrintStream out;
    private final int total;
    private final IntSupplier done;
    private final BuyRecorder recorder;
    private final Supplier<String> status;
    private final boolean terminal = System.console() != null;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "progress");
        thread.setDaemon(true);
        return thread;
    });
    private final long started = System.nanoTime();

    /** @param status a few more words for the end of the line (a soak's faults), or an empty string */
    Progress(PrintStream out, int total, IntSupplier done, BuyRecorder recorder, Supplier<String> status) {
        this.out = out;
        this.total = total;
        this.done = done;
        this.recorder = recorder;
        this.status = status;
    }

    void start() {
        timer.scheduleAtFixedRate(this::print, 250, terminal ? 250 : 3000, TimeUnit.MILLISECONDS);
    }

    void stop() {
        timer.shutdownNow();
        print();
        out.println();
    }

    private void print() {
        int finished = done.getAsInt();
        int width = 30;
        int filled = total == 0 ? width : finished * width / total;
        double seconds = (System.nanoTime() - started) / 1e9;
        String line = String.format("[%s%s] %d/%d users  %5.1f s  buys %d (accepted %d, sold out %d)",
                "#".repeat(filled), ".".repeat(width - filled), finished, total, seconds,
                recorder.total(), recorder.count("ACCEPTED"), recorder.count("SOLD_OUT")) + status.get();
        if (terminal) {
            out.print("\r" + line + "\u001b[K");
        } else {
            out.println(line);
        }
        out.flush();
    }
}
