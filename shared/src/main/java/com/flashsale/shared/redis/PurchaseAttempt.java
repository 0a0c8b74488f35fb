package com.flashsale.shared.redis;

import java.time.Instant;

/**
 * One buy request, after the cheap checks passed.
 *
 * @param nonce          the purchase token's nonce, spent by an accepted purchase; null when the
 *                       token may only replay the Idempotency-Key's first request (it expired)
 * @param tokenExpiresAt the purchase token's expiry (a spent nonce is remembered past it)
 * @param sourceIp       the client address of the per-IP buy limit
 * @param idempotencyKey the client's {@code Idempotency-Key}, or null
 */
public record PurchaseAttempt(String requestId, String userId, String productId, int quantity, String nonce,
                              Instant tokenExpiresAt, String sourceIp, String idempotencyKey) {

    /** The same attempt under another request id (the id placed in the user's home shard). */
    public PurchaseAttempt withRequestId(String id) {
        return new PurchaseAttempt(id, userId, productId, quantity, nonce, tokenExpiresAt, sourceIp, idempotencyKey);
    }
}
