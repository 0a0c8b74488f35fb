package com.flashsale.shared.db;

import com.flashsale.shared.human.HumanCheck;
import com.flashsale.shared.redis.ProductCard;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

import java.time.Instant;

/**
 * A row of {@code product}: the truth about a product and its stock ({@code created_at} is left to its
 * default). {@code humanCheck} and {@code humanCheckDifficulty} are {@link HumanCheck}'s columns;
 * {@code shards} is the number of Redis slots its stock is split over; {@code paused}: an admin
 * paused its sale.
 */
@MappedEntity("product")
public record Product(@Id String id, String name, long priceCents, int stockTotal, int stockLeft, Instant startsAt,
                      Instant endsAt, int limitPerUser, @Nullable Instant preloadedAt, String humanCheck,
                      int humanCheckDifficulty, int shards, boolean paused) {

    /** What Redis keeps of it. */
    public ProductCard card() {
        return new ProductCard(id, name, priceCents, stockTotal, startsAt, endsAt, limitPerUser, human(), shards);
    }

    /** Its human verification at the token step. */
    public HumanCheck human() {
        return new HumanCheck(HumanCheck.Mode.fromWire(humanCheck), humanCheckDifficulty);
    }
}
