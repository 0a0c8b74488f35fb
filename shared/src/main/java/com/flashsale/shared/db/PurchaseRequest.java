package com.flashsale.shared.db;

import com.flashsale.shared.event.RequestStatus;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

import java.time.Instant;

/**
 * A row of {@code purchase_request}: the order consumer's decision on one accepted request, written
 * once ({@code decided_at} is left to its default).
 */
@MappedEntity("purchase_request")
public record PurchaseRequest(@Id String requestId, String productId, String userId, int quantity,
                              RequestStatus status, @Nullable String orderId, @Nullable String reason,
                              Instant acceptedAt) {
}
