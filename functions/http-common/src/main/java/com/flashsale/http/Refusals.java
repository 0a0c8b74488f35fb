package com.flashsale.http;

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
