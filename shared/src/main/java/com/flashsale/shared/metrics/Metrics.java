package com.flashsale.shared.metrics;

import io.micronaut.core.util.StringUtils;
import jakarta.inject.Singleton;

import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * CloudWatch metrics as Embedded Metric Format lines on stdout, which CloudWatch Logs turns into
 * metrics {@code <namespace>/<name>} with the dimension {@code function}: no agent, no API call.
 * Off ({@link MetricsConfiguration#emf()} false) nothing is written; tests read the lines through
 * {@link #Metrics(MetricsConfiguration, Consumer)}. The metric names are constants of the emitting
 * code: infra-terraform's check finds every alarmed name among the Java sources' strings.
 */
@Singleton
public class Metrics {

    private final boolean emf;
    private final String function;
    private final String namespace;
    private final Consumer<String> out;

    public Metrics(MetricsConfiguration metrics) {
        this(metrics, System.out::println);
    }

    public Metrics(MetricsConfiguration metrics, Consumer<String> out) {
        this.emf = metrics.emf();
        // Lambda names the function in its environment
        this.function = StringUtils.hasText(metrics.function())
                ? metrics.function() : System.getenv().getOrDefault("AWS_LAMBDA_FUNCTION_NAME", "local");
        this.namespace = metrics.namespace();
        this.out = out;
    }

    /** Writes one EMF line holding every value (name → count), all with unit {@code Count}. */
    public void counts(Map<String, ? extends Number> values) {
        emit(values, "Count");
    }

    /** Writes one EMF line holding every value (name → seconds). */
    public void seconds(Map<String, ? extends Number> values) {
        emit(values, "Seconds");
    }

    private void emit(Map<String, ? extends Number> values, String unit) {
        if (!emf || values.isEmpty()) {
            return;
        }
        Map<String, ? extends Number> sorted = new TreeMap<>(values);
        StringBuilder definitions = new StringBuilder();
        StringBuilder fields = new StringBuilder();
        sorted.forEach((name, value) -> {
            definitions.append(definitions.isEmpty() ? "" : ",")
                    .append("{\"Name\":\"").append(name).append("\",\"Unit\":\"").append(unit).append("\"}");
            fields.append(",\"").append(name).append("\":").append(value);
        });
        out.accept("{\"_aws\":{\"Timestamp\":" + System.currentTimeMillis()
                + ",\"CloudWatchMetrics\":[{\"Namespace\":\"" + namespace + "\",\"Dimensions\":[[\"function\"]],"
                + "\"Metrics\":[" + definitions + "]}]},\"function\":\"" + function + "\"" + fields + "}");
    }
}
