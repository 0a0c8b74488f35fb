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
        if (Priming.active()) {
            return; // a bucket would be a write: priming leaves none
        }
        SaleGate saleGate = Gates.get(gate);
        var user = saleGate.rateLimit(limits.user().limit(function + "-user"), caller.userId()).toCompletableFuture();
        var ip = saleGate.rateLimit(limits.ip().limit(function + "-ip"), caller.sourceIp()).toCompletableFuture();
        refuseIfEmpty(Dependencies.await(user));
        refuseIfEmpty(Dependencies.await(ip));
    }

    /**
     * The same for a route that reads: its buckets keep a crowd off the stores while Redis answers,
     * and a Redis that is down ({@link DependencyBreakers}) does not refuse a read that Postgres can
     * still answer. {@code caller} null: a public route, limited per client address only.
     */
    public void checkRead(String function, Caller caller, String sourceIp) {
        if (Priming.active()) {
            return;
        }
        try {
            if (caller == null) {
                refuseIfEmpty(Dependencies.await(Gates.get(gate).rateLimit(limits.ip().limit(function + "-ip"), sourceIp)));
            } else {
                check(function, caller);
            }
        } catch (ApiException e) {
            if (!"UNAVAILABLE".equals(e.code())) {
                throw e;
            }
        }
    }

    private static void refuseIfEmpty(RateLimit.Decision decision) {
        if (!decision.allowed()) {
            throw Refusals.rateLimited(decision);
        }
    }

}
