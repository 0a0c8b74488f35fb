package com.flashsale.shared.redis;

/**
 * One buy request, after the cheap checks passed.
 *
 * @param idempotencyKey the client's {@code Idempotency-Key}, or null
 */
public record PurchaseAttempt(String requestId, String userId, String productId, int quantity, String nonce,
                              String idempotencyKey) {
}
