package com.flashsale.http;

import com.flashsale.shared.redis.RateLimit;
import com.flashsale.shared.redis.SaleGate;
import io.micronaut.context.BeanProvider;
import jakarta.inject.Singleton;


/**
 * Per-user and per-IP token buckets in Redis, one pair per function ("buy-user", "buy-ip", ...),
 * sized by {@link RateLimitConfiguration}.
 */
@Singleton
public class RateLimiter {

    private final BeanProvider<SaleGate> gate;
    private final RateLimitConfiguration limits;

    public RateLimiter(BeanProvider<SaleGate> gate, RateLimitConfiguration limits) {
        this.gate = gate;
        this.limits = limits;
    }

    /** 429 RATE_LIMITED with {@code Retry-After} when either bucket is empty. Both run at once. */
    public void check(String function, Caller caller) {
        SaleGate saleGate = Gates.get(gate);
        var user = saleGate.rateLimit(limits.user().limit(function + "-user"), caller.userId()).toCompletableFuture();
        var ip = saleGate.rateLimit(limits.ip().limit(function + "-ip"), caller.sourceIp()).toCompletableFuture();
        RateLimit.Decision userDecision = Dependencies.await(user);
        RateLimit.Decision ipDecision = Dependencies.await(ip);
        RateLimit.Decision refused = !userDecision.allowed() ? userDecision : !ipDecision.allowed() ? ipDecision : null;
        if (refused != null) {
            throw Refusals.rateLimited(refused);
        }
    }

}
