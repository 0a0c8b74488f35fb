package com.flashsale.shared.db;

import com.flashsale.shared.event.OrderStatus;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

import java.time.Instant;

/** A row of {@code purchase_order}: one per successful request, at most one active per user and product. */
@MappedEntity("purchase_order")
public record PurchaseOrder(@Id String id, String requestId, String productId, String userId, int quantity,
                            long priceCents, OrderStatus status, Instant createdAt, Instant payBy,
                            @Nullable Instant paidAt, @Nullable Instant cancelledAt) {
}
