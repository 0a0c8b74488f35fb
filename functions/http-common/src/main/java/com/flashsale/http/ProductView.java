package com.flashsale.http;

import com.flashsale.shared.human.HumanCheck;
import com.flashsale.shared.redis.ProductProbe;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.Map;

/**
 * What the functions need of a product on sale, as one probe of Redis read it: the meta hash and
 * the stock.
 *
 * @param paused    an admin paused the sale
 * @param stockLeft units still available in Redis when it was read
 */
@Serdeable
public record ProductView(String productId, String name, long priceCents, int stock, Instant startsAt,
                          Instant endsAt, int limitPerUser, boolean paused, long stockLeft, HumanCheck humanCheck) {

    /** From a probe of the keys {@code preload_product.lua} writes; null when they are not (fully) there. */
    public static ProductView fromProbe(ProductProbe probe) {
        Map<String, String> meta = probe.meta();
        if (meta.get("startsAt") == null || meta.get("total") == null || probe.stock() == null) {
            return null;
        }
        try {
            return new ProductView(meta.get("productId"), meta.get("name"), Long.parseLong(meta.get("priceCents")),
                    Integer.parseInt(meta.get("total")), Instant.ofEpochMilli(Long.parseLong(meta.get("startsAt"))),
                    Instant.ofEpochMilli(Long.parseLong(meta.get("endsAt"))),
                    Integer.parseInt(meta.getOrDefault("limitPerUser", "1")), "1".equals(meta.get("paused")),
                    probe.stock(), HumanCheck.fromMeta(meta));
        } catch (RuntimeException e) {
            return null;
        }
    }

    public boolean soldOut() {
        return stockLeft <= 0;
    }
}
