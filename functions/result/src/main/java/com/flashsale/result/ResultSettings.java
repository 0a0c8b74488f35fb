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
 * @param unknownTtl          how long a product or order id that Postgres does not know stays marked
 *                            unknown in Redis ({@link UnknownIds}): a random time between this and
 *                            twice this, so that markers made together do not expire together. 30 s
 *                            by default; creating a product clears its marker
 * @param unknownRequestTtl   the same for request ids, far shorter: a request Redis lost may reach
 *                            Postgres a moment after a poll found it nowhere. 5 s by default
 * @param unknownInContainer  how long a warm container remembers an unknown id by itself (at most the
 *                            marker's time): 5 s by default
 */
@ConfigurationProperties("flashsale.result")
public record ResultSettings(@Bindable(defaultValue = "5s") Duration confirmPendingAfter,
                             @Bindable(defaultValue = "30s") Duration unknownTtl,
                             @Bindable(defaultValue = "5s") Duration unknownRequestTtl,
                             @Bindable(defaultValue = "5s") Duration unknownInContainer) {
}
