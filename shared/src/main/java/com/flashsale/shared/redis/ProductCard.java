package com.flashsale.shared.redis;

import java.time.Instant;

/**
 * What Redis keeps of a product: its card, its sale window, its total stock and the number of
 * stock shards that total is split over.
 */
public record ProductCard(String productId, String name, long priceCents, int stock, Instant startsAt,
                          Instant endsAt, int limitPerUser, int shards) {

    /** A product whose stock is in one shard. */
    public ProductCard(String productId, String name, long priceCents, int stock, Instant startsAt, Instant endsAt,
                       int limitPerUser) {
        this(productId, name, priceCents, stock, startsAt, endsAt, limitPerUser, 1);
    }
}
