package com.flashsale.shared.redis;

import com.flashsale.shared.human.HumanCheck;

import java.time.Instant;

/**
 * What Redis keeps of a product: its card, its sale window, its total stock, its human check and
 * the number of stock shards that total is split over.
 */
public record ProductCard(String productId, String name, long priceCents, int stock, Instant startsAt,
                          Instant endsAt, int limitPerUser, HumanCheck humanCheck, int shards) {

    /** A product without human verification whose stock is in one shard. */
    public ProductCard(String productId, String name, long priceCents, int stock, Instant startsAt, Instant endsAt,
                       int limitPerUser) {
        this(productId, name, priceCents, stock, startsAt, endsAt, limitPerUser, HumanCheck.NONE, 1);
    }

    /** A product without human verification whose stock is split over {@code shards}. */
    public ProductCard(String productId, String name, long priceCents, int stock, Instant startsAt, Instant endsAt,
                       int limitPerUser, int shards) {
        this(productId, name, priceCents, stock, startsAt, endsAt, limitPerUser, HumanCheck.NONE, shards);
    }

    /** A product with this human check whose stock is in one shard. */
    public ProductCard(String productId, String name, long priceCents, int stock, Instant startsAt, Instant endsAt,
                       int limitPerUser, HumanCheck humanCheck) {
        this(productId, name, priceCents, stock, startsAt, endsAt, limitPerUser, humanCheck, 1);
    }
}
