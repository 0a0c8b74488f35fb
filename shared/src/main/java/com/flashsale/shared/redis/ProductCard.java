package com.flashsale.shared.redis;

import java.time.Instant;

/** What Redis keeps of a product: its card, its sale window and its total stock. */
public record ProductCard(String productId, String name, long priceCents, int stock, Instant startsAt,
                          Instant endsAt, int limitPerUser) {
}
