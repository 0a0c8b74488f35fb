package com.flashsale.result;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * {@code flashsale.result.*}.
 *
 * @param confirmPendingAfter a request still PENDING in Redis this long after its acceptance is
 *                            confirmed against Postgres, which may have decided it already (Redis lost
 *                            the consumer's write in a failover). 5 s by default: the consumer decides
 *                            within about a second, so a younger PENDING costs no database read
 */
@ConfigurationProperties("flashsale.result")
public record ResultSettings(@Bindable(defaultValue = "5s") Duration confirmPendingAfter) {
}
