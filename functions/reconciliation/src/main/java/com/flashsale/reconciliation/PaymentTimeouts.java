package com.flashsale.reconciliation;

import com.flashsale.shared.db.OrderRepository;
import com.flashsale.shared.db.ProductRepository;
import com.flashsale.shared.db.PurchaseOrder;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Orders not paid within the payment window become CANCELLED, and their stock goes back to Postgres
 * in the same fenced transaction (a guarded UPDATE: only a PENDING_PAYMENT order is cancelled, so a
 * concurrent payment and a second run both lose cleanly). Then Redis gets the stock back and the
 * user's slot is freed, exactly once thanks to the released set; orders cancelled recently are
 * released again on every run, which is a no-op once done and heals a run that died in between.
 */
@Singleton
class PaymentTimeouts {

    private final Lease lease;
    private final SaleQueries sales;
    private final StockReleases releases;
    private final OrderRepository orders;
    private final ProductRepository products;
    private final Duration releaseLookback;

    PaymentTimeouts(Lease lease, SaleQueries sales, StockReleases releases, OrderRepository orders,
                    ProductRepository products, ReconciliationSettings settings) {
        this.lease = lease;
        this.sales = sales;
        this.releases = releases;
        this.orders = orders;
        this.products = products;
        this.releaseLookback = settings.releaseLookback();
    }

    void run(long fence, Actions actions) {
        int cancelled;
        do {
            cancelled = lease.fenced(fence, this::cancelExpired);
            actions.add(Actions.CANCELLED, cancelled);
        } while (cancelled == OrderRepository.CANCEL_BATCH);
        actions.add(Actions.STOCK_RELEASED, releaseCancelled());
    }

    /** One batch of expired orders cancelled and their stock back in Postgres (in the caller's transaction). */
    private int cancelExpired() {
        Map<String, Integer> stockBack = new LinkedHashMap<>();
        List<PurchaseOrder> cancelled = orders.cancelExpired();
        cancelled.forEach(order -> stockBack.merge(order.productId(), order.quantity(), Integer::sum));
        if (!stockBack.isEmpty()) {
            products.restoreStock(stockBack.keySet().toArray(String[]::new),
                    stockBack.values().stream().mapToInt(Integer::intValue).toArray());
        }
        return cancelled.size();
    }

    /** Gives Redis the stock of recently cancelled orders; returns how many releases this call made. */
    private long releaseCancelled() {
        long[] released = {0};
        sales.recentlyCancelled(releaseLookback, cancelled -> released[0] += releases.release(cancelled));
        return released[0];
    }
}
