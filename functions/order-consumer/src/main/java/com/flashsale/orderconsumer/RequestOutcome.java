package com.flashsale.orderconsumer;

import com.flashsale.shared.event.RequestStatus;
import com.flashsale.shared.redis.RequestState;

/** The final decision on one accepted request, as Postgres recorded it. */
record RequestOutcome(String requestId, String productId, String userId, int quantity, RequestStatus status,
                      String orderId, String reason) {

    RequestState toState() {
        return new RequestState(requestId, productId, userId, quantity, status, orderId, reason);
    }

    boolean failed() {
        return status == RequestStatus.FAILED;
    }
}
