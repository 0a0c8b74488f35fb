package com.flashsale.http;

import com.flashsale.shared.redis.RateLimit;
import io.micronaut.http.HttpStatus;

import java.time.Instant;

/** The refusals token and buy share, with the extra fields docs/api.md gives them. */
public final class Refusals {

    private Refusals() {
    }

    public static ApiException saleNotStarted(long startsAtMs, long serverTimeMs) {
        return ApiException.forbidden("SALE_NOT_STARTED", "the sale has not started yet")
                .with("startsAt", Instant.ofEpochMilli(startsAtMs).toString())
                .with("serverTime", Instant.ofEpochMilli(serverTimeMs).toString());
    }

    public static ApiException saleEnded() {
        return ApiException.forbidden("SALE_ENDED", "the sale has ended");
    }

    public static ApiException salePaused() {
        return ApiException.forbidden("SALE_PAUSED", "the sale is paused");
    }

    public static ApiException userBlocked() {
        return ApiException.forbidden("USER_BLOCKED", "this user may not buy");
    }

    /** 429 with {@code Retry-After} in whole seconds. */
    public static ApiException rateLimited(RateLimit.Decision refused) {
        return new ApiException(HttpStatus.TOO_MANY_REQUESTS, "RATE_LIMITED", "too many requests; retry later")
                .header("Retry-After", Long.toString(refused.retryAfterSeconds()))
                .with("retryAfterSeconds", refused.retryAfterSeconds());
    }

    public static ApiException soldOut() {
        return ApiException.conflict("SOLD_OUT", "sold out");
    }

    public static ApiException productNotFound() {
        return ApiException.notFound("no such product on sale");
    }

    public static ApiException invalidToken(String why) {
        return ApiException.forbidden("INVALID_TOKEN", "the purchase token is not valid: " + why);
    }

    /** The product id of a body: a string matching the key-safe pattern, else not found. */
    public static String productId(JsonBody.Fields body) {
        String productId = body.requiredString("productId");
        if (!com.flashsale.shared.redis.RedisKeys.PRODUCT_ID.matcher(productId).matches()) {
            throw productNotFound();
        }
        return productId;
    }
}
