package com.flashsale.shared.redis;

/**
 * A token bucket: {@code capacity} calls at once, refilled at {@code perSecond} calls a second.
 *
 * @param scope the name of the limit, e.g. {@code buy-user}; part of the bucket's key
 */
public record RateLimit(String scope, double perSecond, int capacity) {

    public RateLimit {
        if (perSecond <= 0 || capacity < 1) {
            throw new IllegalArgumentException("a rate limit needs a positive rate and capacity: " + this);
        }
    }

    /** The answer for one call. */
    public record Decision(boolean allowed, long tokensLeft, long retryAfterMs) {

        /** Whole seconds for a {@code Retry-After} header, at least 1. */
        public long retryAfterSeconds() {
            return Math.max(1, (retryAfterMs + 999) / 1000);
        }
    }
}
