package com.flashsale.buy;

import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per warm container: once Redis has said a product is sold out, refuse its buy requests without
 * asking Redis again for a second or two (stock may come back from failed or unpaid orders, so
 * the flag is short). Thread-safe.
 */
@Singleton
public class SoldOutFlags {

    private final ConcurrentHashMap<String, Long> soldOutUntil = new ConcurrentHashMap<>();
    private final long holdNanos;

    public SoldOutFlags(@Value("${flashsale.sold-out-flag:1500ms}") Duration hold) {
        this.holdNanos = hold.toNanos();
    }

    public boolean isSoldOut(String productId) {
        Long until = soldOutUntil.get(productId);
        if (until == null) {
            return false;
        }
        if (System.nanoTime() - until < 0) {
            return true;
        }
        soldOutUntil.remove(productId, until);
        return false;
    }

    public void markSoldOut(String productId) {
        soldOutUntil.put(productId, System.nanoTime() + holdNanos);
    }
}
