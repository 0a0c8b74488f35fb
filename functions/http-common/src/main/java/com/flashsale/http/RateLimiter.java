package com.flashsale.http;

import com.flashsale.shared.redis.RateLimit;
import com.flashsale.shared.redis.SaleGate;
import io.micronaut.context.BeanProvider;
import jakarta.inject.Singleton;

import java.util.concurrent.CompletionStage;


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
        var user = take(saleGate, limits.user().limit(function + "-user"), caller.userId()).toCompletableFuture();
        var ip = take(saleGate, limits.ip().limit(function + "-ip"), caller.sourceIp()).toCompletableFuture();
        refuseIfEmpty(Dependencies.await(user));
        refuseIfEmpty(Dependencies.await(ip));
    }

    /** One call from the subject's bucket; while priming, from a throwaway bucket of its own ({@link Priming#throwawaySubject}). */
    private static CompletionStage<RateLimit.Decision> take(SaleGate saleGate, RateLimit limit, String subject) {
        return saleGate.rateLimit(limit, Priming.active() ? Priming.throwawaySubject(limit.scope()) : subject);
    }

    /**
     * The same for a route that reads: its buckets keep a crowd off the stores while Redis answers,
     * and a Redis that is down ({@link DependencyBreakers}) does not refuse a read that Postgres can
     * still answer. {@code caller} null: a public route, limited per client address only.
     */
    public void checkRead(String function, Caller caller, String sourceIp) {
        try {
            if (caller == null) {
                refuseIfEmpty(Dependencies.await(take(Gates.get(gate), limits.ip().limit(function + "-ip"), sourceIp)));
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
