package com.flashsale.admin;

import com.flashsale.http.ApiException;
import com.flashsale.shared.db.OrderRepository;
import com.flashsale.shared.db.PaymentEventRepository;
import com.flashsale.shared.db.PurchaseOrder;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

import java.util.Map;

/**
 * Settles one signed payment event of the provider, in one transaction: the event is claimed first
 * (a redelivery, even a concurrent one, finds it claimed and gets the first answer), the amount and
 * currency must be the order's, then the order is marked paid as an operator would
 * ({@link OrderPayment}) and keeps the provider's reference. Any refusal rolls the claim back.
 */
@Singleton
class PaymentWebhook {

    /** A delivery, as its signed body says. */
    record Payment(String eventId, String orderId, long amountCents, String currency, String providerRef) {
    }

    private final OrderRepository orders;
    private final PaymentEventRepository events;
    private final PaymentWebhookConfiguration configuration;

    PaymentWebhook(OrderRepository orders, PaymentEventRepository events, PaymentWebhookConfiguration configuration) {
        this.orders = orders;
        this.events = events;
        this.configuration = configuration;
    }

    /** @return {@code {"orderId","status":"PAID"}} and whether this delivery was a replay */
    @Transactional
    Settled settle(Payment payment) {
        PurchaseOrder order = orders.findById(payment.orderId())
                .orElseThrow(() -> ApiException.notFound("no such order"));
        if (events.claim(payment.eventId(), payment.orderId(), payment.providerRef()) == 0) {
            String paidOrder = events.findById(payment.eventId()).orElseThrow().orderId();
            return new Settled(OrderPayment.paid(paidOrder), true);
        }
        if (order.priceCents() != payment.amountCents()
                || !configuration.currency().equalsIgnoreCase(payment.currency())) {
            throw ApiException.conflict("CONFLICT", "the amount or currency is not the order's");
        }
        Map<String, Object> paid = OrderPayment.markPaid(orders, payment.orderId());
        events.keepProviderRef(payment.orderId(), payment.providerRef());
        return new Settled(paid, false);
    }

    record Settled(Map<String, Object> answer, boolean replay) {
    }
}
