package com.flashsale.http;

import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts each outcome (ACCEPTED, SOLD_OUT, RATE_LIMITED, INVALID_TOKEN, ...) per warm container
 * and, when {@code flashsale.metrics.emf} is on (Lambda), writes each as a CloudWatch Embedded
 * Metric Format line to stdout, which CloudWatch turns into the metric {@code FlashSale/<OUTCOME>}
 * with the dimension {@code function}. No agent, no extra call.
 */
@Singleton
public class Outcomes {

    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    private final boolean emf;
    private final String function;
    private final String namespace;

    public Outcomes(@Value("${flashsale.metrics.emf:false}") boolean emf,
                    @Value("${flashsale.metrics.function:}") String function,
                    @Value("${flashsale.metrics.namespace:FlashSale}") String namespace) {
        this.emf = emf;
        // Lambda names the function in its environment
        this.function = function.isBlank() ? System.getenv().getOrDefault("AWS_LAMBDA_FUNCTION_NAME", "local") : function;
        this.namespace = namespace;
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
