package com.flashsale.local.lab.bench;

import com.flashsale.local.runtime.lambda.Invocable;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Section 2: the real buy function, loaded from its Lambda jar, invoked concurrently with buy events
 * as fast as it answers: no network, no gateway, so the handler's own cost against the admission
 * script's limit.
 */
final class InProcessBuy {

    /** Invocations per second, latency percentiles in ms, and the invocations not answered 202. */
    record Result(double perSecond, double p50, double p99, long notAccepted) {
    }

    private InProcessBuy() {
    }

    static Result run(Invocable buy, List<String> events, int threads) throws InterruptedException {
        Histogram latency = new ConcurrentHistogram(60_000_000_000L, 3);
        AtomicInteger next = new AtomicInteger();
        AtomicLong notAccepted = new AtomicLong();
        List<Thread> workers = new ArrayList<>(threads);
        long started = System.nanoTime();
        try (Ticker ignored = new Ticker(() -> next.get() + "/" + events.size() + " invocations")) {
            for (int t = 0; t < threads; t++) {
                Thread worker = new Thread(() -> {
                    for (int i = next.getAndIncrement(); i < events.size(); i = next.getAndIncrement()) {
                        long begin = System.nanoTime();
                        String response = buy.invoke(events.get(i));
                        latency.recordValue(Math.max(1, System.nanoTime() - begin));
                        if (!response.contains("\"statusCode\":202")) {
                            notAccepted.incrementAndGet();
                        }
                    }
                }, "bench-buy-" + t);
                worker.start();
                workers.add(worker);
            }
            for (Thread worker : workers) {
                worker.join();
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        return new Result(events.size() / seconds, latency.getValueAtPercentile(50) / 1e6,
                latency.getValueAtPercentile(99) / 1e6, notAccepted.get());
    }
}
