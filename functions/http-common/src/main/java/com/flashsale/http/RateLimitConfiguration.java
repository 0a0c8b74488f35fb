package com.flashsale.http;

import com.flashsale.shared.redis.RateLimit;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * {@code flashsale.rate-limit.*}: the token buckets of {@link RateLimiter}, one per signed-in user
 * and one per source address, each function with buckets of its own ("buy-user", "token-ip", ...).
 * The defaults never refuse a person clicking once a second.
 *
 * @param user {@code flashsale.rate-limit.user.*}
 * @param ip   {@code flashsale.rate-limit.ip.*}
 */
@ConfigurationProperties("flashsale.rate-limit")
public record RateLimitConfiguration(User user, Ip ip) {

    /** A bucket's refill rate and size. */
    public interface Bucket {

        /** Calls a second the bucket refills. */
        double perSecond();

        /** Calls the bucket holds: that many at once pass. */
        int burst();

        /** The bucket for {@code scope}, e.g. "buy-user". */
        default RateLimit limit(String scope) {
            return new RateLimit(scope, perSecond(), burst());
        }
    }

    /**
     * Per user (the JWT's {@code sub}).
     *
     * @param perSecond {@code flashsale.rate-limit.user.per-second}, 2 by default
     * @param burst     {@code flashsale.rate-limit.user.burst}, 10 by default
     */
    @ConfigurationProperties("user")
    public record User(@Bindable(defaultValue = "2") double perSecond,
                       @Bindable(defaultValue = "10") int burst) implements Bucket {
    }

    /**
     * Per source address: many users share a carrier's NAT, so it is far wider.
     *
     * @param perSecond {@code flashsale.rate-limit.ip.per-second}, 50 by default
     * @param burst     {@code flashsale.rate-limit.ip.burst}, 200 by default
     */
    @ConfigurationProperties("ip")
    public record Ip(@Bindable(defaultValue = "50") double perSecond,
                     @Bindable(defaultValue = "200") int burst) implements Bucket {
    }
}
