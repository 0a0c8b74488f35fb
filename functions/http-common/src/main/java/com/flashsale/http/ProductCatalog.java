package com.flashsale.http;

import com.flashsale.shared.redis.RedisKeys;
import jakarta.inject.Singleton;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Products as preloaded into Redis, cached per warm container for a short while (the card and the
 * sale window do not change once preloaded; {@link ProductCacheConfiguration}). A product that is
 * not in Redis is not on sale.
 */
@Singleton
public class ProductCatalog {

    private static final int MAX_ENTRIES = 10_000;
    /** "Not preloaded" is remembered only briefly: a preload must show up fast. */
    private static final long MISS_TTL_NANOS = 500_000_000L;

    private final RedisAccess redis;
    private final long ttlNanos;
    private final ConcurrentHashMap<String, Entry> cache = new ConcurrentHashMap<>();

    public ProductCatalog(RedisAccess redis, ProductCacheConfiguration cache) {
        this.redis = redis;
        this.ttlNanos = cache.productCacheTtl().toNanos();
    }

    /** The product if preloaded; empty for unknown or malformed ids (never an exception for those). */
    public Optional<ProductView> find(String productId) {
        if (productId == null || !RedisKeys.PRODUCT_ID.matcher(productId).matches()) {
            return Optional.empty();
        }
        long now = System.nanoTime();
        Entry entry = cache.get(productId);
        if (entry != null && now - entry.loadedAt < (entry.product == null ? Math.min(ttlNanos, MISS_TTL_NANOS) : ttlNanos)) {
            return Optional.ofNullable(entry.product);
        }
        ProductView product = ProductView.fromMeta(redis.hgetall(RedisKeys.product(productId).meta()));
        if (cache.size() >= MAX_ENTRIES) {
            cache.clear();
        }
        cache.put(productId, new Entry(product, now));
        return Optional.ofNullable(product);
    }

    private record Entry(ProductView product, long loadedAt) {
    }
}
