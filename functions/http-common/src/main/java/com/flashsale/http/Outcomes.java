package com.flashsale.http;

import com.flashsale.shared.metrics.Metrics;
import jakarta.inject.Singleton;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts each outcome (ACCEPTED, SOLD_OUT, RATE_LIMITED, INVALID_TOKEN, ...) per warm container
 * and, when {@code flashsale.metrics.emf} is on (Lambda), writes each as a CloudWatch Embedded
 * Metric Format line to stdout, which CloudWatch turns into the metric {@code FlashSale/<OUTCOME>}
 * with the dimension {@code function} (through {@link Metrics}).
 */
@Singleton
public class Outcomes {

    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    private final Metrics metrics;

    public Outcomes(Metrics metrics) {
        this.metrics = metrics;
    }

    public void count(String outcome) {
        if (Priming.active()) {
            return; // priming's answers are no one's: no count, no metric
        }
        counts.computeIfAbsent(outcome, o -> new LongAdder()).increment();
        metrics.counts(Map.of(outcome, 1));
    }

    /** The counts so far, by outcome. */
    public Map<String, Long> snapshot() {
        Map<String, Long> snapshot = new TreeMap<>();
        counts.forEach((outcome, count) -> snapshot.put(outcome, count.sum()));
        return snapshot;
    }
}
