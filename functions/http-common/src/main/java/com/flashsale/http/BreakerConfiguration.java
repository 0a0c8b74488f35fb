package com.flashsale.http;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * {@code flashsale.breaker.*}: the circuit breakers of {@link DependencyBreakers}, one per dependency
 * (Redis, Kafka, Postgres) and per warm container.
 *
 * @param failures the calls in a row that must fail (an error or a timeout) to open a breaker; 5 by default
 * @param openFor  how long an open breaker answers at once before it lets one probe through; 1 s by default
 *                 (short: a failover is over in seconds, and a probe costs one request one timeout)
 */
@ConfigurationProperties("flashsale.breaker")
public record BreakerConfiguration(@Bindable(defaultValue = "5") int failures,
                                   @Bindable(defaultValue = "1s") Duration openFor) {
}
