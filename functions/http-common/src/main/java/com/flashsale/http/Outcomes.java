package com.flashsale.http;

import io.micronaut.core.util.StringUtils;
import jakarta.inject.Singleton;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts each outcome (ACCEPTED, SOLD_OUT, RATE_LIMITED, INVALID_TOKEN, ...) per warm container
 * and, when {@code flashsale.metrics.emf} is on (Lambda), writes each as a CloudWatch Embedded
 * Metric Format line to stdout, which CloudWatch turns into the metric {@code FlashSale/<OUTCOME>}
 * with the dimension {@code function} ({@link MetricsConfiguration}). No agent, no extra call.
 */
@Singleton
public class Outcomes {

    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    private final boolean emf;
    private final String function;
    private final String namespace;

    public Outcomes(MetricsConfiguration metrics) {
        this.emf = metrics.emf();
        // Lambda names the function in its environment
        this.function = StringUtils.hasText(metrics.function())
                ? metrics.function() : System.getenv().getOrDefault("AWS_LAMBDA_FUNCTION_NAME", "local");
        this.namespace = metrics.namespace();
    }

    public void count(String outcome) {
        counts.computeIfAbsent(outcome, o -> new LongAdder()).increment();
        if (emf) {
            System.out.println("{\"_aws\":{\"Timestamp\":" + System.currentTimeMillis()
                    + ",\"CloudWatchMetrics\":[{\"Namespace\":\"" + namespace + "\",\"Dimensions\":[[\"function\"]],"
                    + "\"Metrics\":[{\"Name\":\"" + outcome + "\",\"Unit\":\"Count\"}]}]},\"function\":\"" + function
                    + "\",\"" + outcome + "\":1}");
        }
    }

    /** The counts so far, by outcome. */
    public Map<String, Long> snapshot() {
        Map<String, Long> snapshot = new TreeMap<>();
        counts.forEach((outcome, count) -> snapshot.put(outcome, count.sum()));
        return snapshot;
    }
}
