package com.flashsale.reconciliation;

import com.flashsale.shared.redis.ProductCard;

import java.time.Instant;

/** A product whose sale reconciliation looks after, as Postgres has it. */
record Sale(String id, String name, long priceCents, int stockTotal, int stockLeft, Instant startsAt, Instant endsAt,
            int limitPerUser) {

    ProductCard card() {
        return new ProductCard(id, name, priceCents, stockTotal, startsAt, endsAt, limitPerUser);
    }

    boolean open(Instant now) {
        return !now.isBefore(startsAt) && now.isBefore(endsAt);
    }

    boolean startsLater(Instant now) {
        return now.isBefore(startsAt);
    }
}
