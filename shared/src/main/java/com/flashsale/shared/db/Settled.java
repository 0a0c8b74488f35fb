package com.flashsale.shared.db;

import io.micronaut.core.annotation.Introspected;

/** A request whose stock goes back to Redis: failed by the order consumer, or its order cancelled. */
@Introspected
public record Settled(String productId, String requestId, String userId, int quantity) {
}
