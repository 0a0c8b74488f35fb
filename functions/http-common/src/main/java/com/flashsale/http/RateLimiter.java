package com.flashsale.http;

import com.flashsale.shared.redis.RateLimit;
import com.flashsale.shared.redis.SaleGate;
import io.micronaut.context.BeanProvider;
import io.micronaut.context.annotation.Value;
import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;


/**
 * Per-user and per-IP token buckets in Redis, one pair per function ("buy-user", "buy-ip", ...).
 * The defaults never refuse a person clicking once a second: 2/s with a burst of 10 per user,
 * 50/s with a burst of 200 per address (many users share a carrier NAT).
 */
@Singleton
public class RateLimiter {

    private final BeanProvider<SaleGate> gate;
    private final double userPerSecond;
    private final int userBurst;
    private final double ipPerSecond;
    private final int ipBurst;

    public RateLimiter(BeanProvider<SaleGate> gate,
                       @Value("${flashsale.rate-limit.user.per-second:2}") double userPerSecond,
                       @Value("${flashsale.rate-limit.user.burst:10}") int userBurst,
                       @Value("${flashsale.rate-limit.ip.per-second:50}") double ipPerSecond,
                       @Value("${flashsale.rate-limit.ip.burst:200}") int ipBurst) {
        this.gate = gate;
        this.userPerSecond = userPerSecond;
        this.userBurst = userBurst;
        this.ipPerSecond = ipPerSecond;
        this.ipBurst = ipBurst;
    }

    /** 429 RATE_LIMITED with {@code Retry-After} when either bucket is empty. Both run at once. */
    public void check(String function, Caller caller) {
        SaleGate saleGate = Gates.get(gate);
        var user = saleGate.rateLimit(new RateLimit(function + "-user", userPerSecond, userBurst), caller.userId())
                .toCompletableFuture();
        var ip = saleGate.rateLimit(new RateLimit(function + "-ip", ipPerSecond, ipBurst), caller.sourceIp())
                .toCompletableFuture();
        RateLimit.Decision userDecision = Dependencies.await(user);
        RateLimit.Decision ipDecision = Dependencies.await(ip);
        RateLimit.Decision refused = !userDecision.allowed() ? userDecision : !ipDecision.allowed() ? ipDecision : null;
        if (refused != null) {
            throw new ApiException(HttpStatus.TOO_MANY_REQUESTS, "RATE_LIMITED", "too many requests; retry later")
                    .header("Retry-After", Long.toString(refused.retryAfterSeconds()))
                    .with("retryAfterSeconds", refused.retryAfterSeconds());
        }
    }

}
