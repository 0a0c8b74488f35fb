package com.flashsale.shared.metrics;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * {@code flashsale.metrics.*}: how {@link Metrics} (and the HTTP functions' outcome counters) report.
 *
 * @param emf       {@code flashsale.metrics.emf}: write each outcome as a CloudWatch Embedded
 *                  Metric Format line to stdout; false by default, true in Lambda
 *                  (the HTTP functions' {@code application-lambda.yml}; {@code FLASHSALE_METRICS_EMF}
 *                  from infra-terraform for every function)
 * @param function  {@code flashsale.metrics.function}: the metrics' {@code function} dimension;
 *                  unset: Lambda's {@code AWS_LAMBDA_FUNCTION_NAME}, else "local"
 * @param namespace {@code flashsale.metrics.namespace}: the CloudWatch namespace, "FlashSale" by default
 */
@ConfigurationProperties("flashsale.metrics")
public record MetricsConfiguration(@Bindable(defaultValue = "false") boolean emf,
                                   @Nullable String function,
                                   @Bindable(defaultValue = "FlashSale") String namespace) {
}
