package com.flashsale.shared.redis;

import com.flashsale.shared.human.HumanCheck;

import java.time.Instant;

/** What Redis keeps of a product: its card, its sale window, its total stock and its human check. */
public record ProductCard(String productId, String name, long priceCents, int stock, Instant startsAt,
                          Instant endsAt, int limitPerUser, HumanCheck humanCheck) {

    /** A product without human verification. */
    public ProductCard(String productId, String name, long priceCents, int stock, Instant startsAt,
                       Instant endsAt, int limitPerUser) {
        this(productId, name, priceCents, stock, startsAt, endsAt, limitPerUser, HumanCheck.NONE);
    }
}
