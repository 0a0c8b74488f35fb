package com.flashsale.http;

import com.flashsale.shared.redis.SaleGate;
import io.micronaut.context.BeanProvider;

/** The SaleGate opens its Redis connection when first asked for; failing that is 503, not 500. */
public final class Gates {

    private Gates() {
    }

    public static SaleGate get(BeanProvider<SaleGate> gate) {
        try {
            return gate.get();
        } catch (RuntimeException e) {
            throw ApiException.unavailable("Redis is unavailable; please retry");
        }
    }
}
