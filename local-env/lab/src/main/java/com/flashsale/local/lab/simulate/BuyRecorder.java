package com.flashsale.local.lab.simulate;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.LongAdder;

/** Latency and outcome of every buy request, overall and per second of the run. */
final class BuyRecorder {

    private static final long MAX_LATENCY_NANOS = 60_000_000_000L;

    private final long startNanos;
    private final Histogram overall = new ConcurrentHistogram(MAX_LATENCY_NANOS, 3);
    private final ConcurrentSkipListMap<Long, Second> seconds = new ConcurrentSkipListMap<>();
    private final Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Long> clientErrorNanos = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Long> acceptedNanos = new ConcurrentLinkedQueue<>();
    private volatile long lastAcceptedNanos;
    private volatile long firstBuyNanos;

    BuyRecorder(long startNanos) {
        this.startNanos = startNanos;
    }

    /** One second of the run. */
    static final class Second {
        final Histogram latency = new ConcurrentHistogram(MAX_LATENCY_NANOS, 2);
        final Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();
    }

    void record(String outcome, long latencyNanos) {
        long now = System.nanoTime();
        if (firstBuyNanos == 0) {
            firstBuyNanos = now;
        }
        long value = Math.min(Math.max(latencyNanos, 1), MAX_LATENCY_NANOS);
        overall.recordValue(value);
        Second second = seconds.computeIfAbsent((now - startNanos) / 1_000_000_000L, s -> new Second());
        second.latency.recordValue(value);
        second.outcomes.computeIfAbsent(outcome, o -> new LongAdder()).increment();
        outcomes.computeIfAbsent(outcome, o -> new LongAdder()).increment();
        if (outcome.equals("ACCEPTED")) {
            acceptedNanos.add(now);
            lastAcceptedNanos = now;
        }
    }

    /** A call of a client (token, buy, payment) that got no answer or a 5xx, at {@link System#nanoTime()}. */
    void clientError(long nanos) {
        clientErrorNanos.add(nanos);
    }

    /** When clients got no answer or a 5xx, in {@link System#nanoTime()}, in order. */
    List<Long> clientErrors() {
        return clientErrorNanos.stream().sorted().toList();
    }

    /** Buys accepted (202) in [from, to), {@link System#nanoTime()}. */
    long acceptedBetween(long fromNanos, long toNanos) {
        return acceptedNanos.stream().filter(at -> at >= fromNanos && at < toNanos).count();
    }

    Histogram overall() {
        return overall;
    }

    Map<Long, Second> seconds() {
        return seconds;
    }

    Map<String, Long> outcomes() {
        Map<String, Long> counts = new TreeMap<>();
        outcomes.forEach((name, count) -> counts.put(name, count.sum()));
        return counts;
    }

    long total() {
        return overall.getTotalCount();
    }

    long count(String outcome) {
        LongAdder adder = outcomes.get(outcome);
        return adder == null ? 0 : adder.sum();
    }

    long firstBuyNanos() {
        return firstBuyNanos;
    }

    long lastAcceptedNanos() {
        return lastAcceptedNanos;
    }
}
