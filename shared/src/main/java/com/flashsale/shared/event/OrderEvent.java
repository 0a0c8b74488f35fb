package com.flashsale.shared.event;

import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.Map;

/**
 * An accepted purchase, on its way from the buy function to the order consumer through Kafka.
 * The same fields wait in the product's Redis outbox until Kafka has acknowledged the event.
 */
@Serdeable
public record OrderEvent(int schemaVersion, String requestId, String productId, String userId, int quantity,
                         @Serdeable.Serializable(using = EpochMillisSerde.class)
                         @Serdeable.Deserializable(using = EpochMillisSerde.class)
                         Instant acceptedAt) {

    public static final int SCHEMA_VERSION = 1;

    public static OrderEvent of(String requestId, String productId, String userId, int quantity, Instant acceptedAt) {
        return new OrderEvent(SCHEMA_VERSION, requestId, productId, userId, quantity, acceptedAt);
    }

    /** Rebuilds the event from the fields of its outbox entry. */
    public static OrderEvent fromOutbox(Map<String, String> fields) {
        return of(fields.get("requestId"), fields.get("productId"), fields.get("userId"),
                Integer.parseInt(fields.get("quantity")),
                Instant.ofEpochMilli(Long.parseLong(fields.get("acceptedAt"))));
    }

    /** Kafka key: one partition sees every event of a user for a product, in order. */
    public String kafkaKey() {
        return productId + "/" + userId;
    }
}
