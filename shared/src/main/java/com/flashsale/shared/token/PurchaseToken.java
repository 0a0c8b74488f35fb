package com.flashsale.shared.token;

import java.time.Instant;

/** A one-time right to try one purchase: bound to a user and a product, short-lived. */
public record PurchaseToken(String userId, String productId, String nonce, Instant expiresAt) {
}
