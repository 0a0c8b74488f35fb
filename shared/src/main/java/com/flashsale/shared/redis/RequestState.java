package com.flashsale.shared.redis;

import com.flashsale.shared.event.RequestStatus;

/** The state of an accepted request as Redis keeps it for the result query. */
public record RequestState(String requestId, String productId, String userId, int quantity, RequestStatus status,
                           String orderId, String reason) {
}
