package com.flashsale.http;

import com.flashsale.shared.human.HumanCheck;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.Map;

/** What the functions need of a product on sale, as Redis keeps it in the product's meta hash. */
@Serdeable
public record ProductView(String productId, String name, long priceCents, int stock, Instant startsAt,
                          Instant endsAt, int limitPerUser, HumanCheck humanCheck) {

    /** From the meta hash written by {@code preload_product.lua}; null when it is not (fully) there. */
    public static ProductView fromMeta(Map<String, String> meta) {
        if (meta == null || meta.get("startsAt") == null || meta.get("total") == null) {
            return null;
        }
        try {
            return new ProductView(meta.get("productId"), meta.get("name"), Long.parseLong(meta.get("priceCents")),
                    Integer.parseInt(meta.get("total")), Instant.ofEpochMilli(Long.parseLong(meta.get("startsAt"))),
                    Instant.ofEpochMilli(Long.parseLong(meta.get("endsAt"))),
                    Integer.parseInt(meta.getOrDefault("limitPerUser", "1")), HumanCheck.fromMeta(meta));
        } catch (RuntimeException e) {
            return null;
        }
    }
}
