package com.flashsale.buy;

import jakarta.inject.Singleton;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Per warm container: once Redis has said a product is sold out, refuse its buy requests without
 * asking Redis again. Stock may come back (failed or unpaid orders), so the flag is short; when it
 * runs out, ONE request goes on to Redis as a probe while the crowd is still refused for another
 * hold ({@link SoldOutFlagConfiguration}): an expiry never sends every request in flight to Redis
 * at once. Thread-safe.
 */
@Singleton
public class SoldOutFlags {

    private final ConcurrentHashMap<String, Long> soldOutUntil = new ConcurrentHashMap<>();
    private final long holdNanos;

    public SoldOutFlags(SoldOutFlagConfiguration configuration) {
        this.holdNanos = configuration.soldOutFlag().toNanos();
    }

    /** False when the product may be in stock, or for the one caller chosen to probe Redis. */
    public boolean isSoldOut(String productId) {
        Long until = soldOutUntil.get(productId);
        if (until == null) {
            return false;
        }
        long now = System.nanoTime();
        if (now - until < 0) {
            return true;
        }
        // the first caller past the expiry extends the flag and probes; a probe that finds stock clears it
        return !soldOutUntil.replace(productId, until, now + holdNanos);
    }

    public void markSoldOut(String productId) {
        soldOutUntil.put(productId, System.nanoTime() + holdNanos);
    }

    /** Redis accepted a purchase: stock came back, the crowd may try again. */
    public void markInStock(String productId) {
        soldOutUntil.remove(productId);
    }
}
