package com.flashsale.shared.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * {@code flashsale.request-state-ttl}: how long a purchase request's state and its Idempotency-Key
 * record stay in Redis (set at the admission, renewed at each state change); after that the result
 * query falls back to Postgres. Every function that has a {@code SaleGate} reads it.
 *
 * @param requestStateTtl 24 hours by default: far longer than a client polls or retries
 */
@ConfigurationProperties("flashsale")
public record RequestStateConfiguration(@Bindable(defaultValue = "24h") Duration requestStateTtl) {
}
