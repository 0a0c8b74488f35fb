package com.flashsale.shared.event;

/** The life of an order: paid within the payment window, or cancelled with its stock given back. */
public enum OrderStatus {
    PENDING_PAYMENT, PAID, CANCELLED
}
