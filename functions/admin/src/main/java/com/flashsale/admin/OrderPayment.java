package com.flashsale.admin;

import com.flashsale.http.ApiException;
import com.flashsale.shared.db.OrderRepository;
import com.flashsale.shared.event.OrderStatus;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Marks an order paid, for the operator's route ({@code POST /admin/orders/{orderId}/paid}) and the
 * payment provider's webhook alike: only a PENDING_PAYMENT order within its payBy becomes PAID; an
 * order already PAID answers PAID again; a cancelled order, or one whose payBy has passed, is 409
 * CONFLICT; an unknown order 404.
 */
final class OrderPayment {

    private OrderPayment() {
    }

    /** @return {@code {"orderId","status":"PAID"}} */
    static Map<String, Object> markPaid(OrderRepository orders, String orderId) {
        // PostgreSQL text cannot hold NUL: the driver's error would be a 503 for a plain bad id
        if (orderId.length() > 128 || orderId.indexOf('\0') >= 0) {
            throw ApiException.notFound("no such order");
        }
        String status = orders.pay(orderId) == 1 ? "PAID"
                : orders.findById(orderId).map(order -> order.status().name()).orElse(null);
        if (status == null) {
            throw ApiException.notFound("no such order");
        }
        if (OrderStatus.PENDING_PAYMENT.name().equals(status)) {
            // still pending, yet not paid: its payBy has passed (the reconciliation cancels it soon)
            throw ApiException.conflict("CONFLICT", "the payment window of the order has passed");
        }
        if (!"PAID".equals(status)) {
            throw ApiException.conflict("CONFLICT", "the order is " + status + " and cannot be paid");
        }
        return paid(orderId);
    }

    /** The answer for a paid order. */
    static Map<String, Object> paid(String orderId) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("orderId", orderId);
        view.put("status", "PAID");
        return view;
    }
}
