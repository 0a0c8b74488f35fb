package com.flashsale.reconciliation;

import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
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

    private static final int BATCH = 500;

    private final Lease lease;
    private final SaleRepository sales;
    private final StockReleases releases;
    private final Duration releaseLookback;

    PaymentTimeouts(Lease lease, SaleRepository sales, StockReleases releases,
                    @Value("${flashsale.reconciliation.release-lookback:6h}") Duration releaseLookback) {
        this.lease = lease;
        this.sales = sales;
        this.releases = releases;
        this.releaseLookback = releaseLookback;
    }

    void run(long fence, Actions actions) throws SQLException {
        int cancelled;
        do {
            cancelled = lease.fenced(fence, PaymentTimeouts::cancelExpired);
            actions.add(Actions.CANCELLED, cancelled);
        } while (cancelled == BATCH);
        actions.add(Actions.STOCK_RELEASED, releaseCancelled());
    }

    private static int cancelExpired(Connection connection) throws SQLException {
        Map<String, Integer> stockBack = new LinkedHashMap<>();
        int cancelled = 0;
        try (PreparedStatement sql = connection.prepareStatement(
                "WITH expired AS (SELECT id FROM purchase_order WHERE status = 'PENDING_PAYMENT' AND pay_by < now() "
                        + "ORDER BY pay_by LIMIT " + BATCH + " FOR UPDATE SKIP LOCKED) "
                        + "UPDATE purchase_order o SET status = 'CANCELLED', cancelled_at = now() FROM expired "
                        + "WHERE o.id = expired.id AND o.status = 'PENDING_PAYMENT' "
                        + "RETURNING o.product_id, o.quantity")) {
            try (ResultSet rows = sql.executeQuery()) {
                while (rows.next()) {
                    stockBack.merge(rows.getString(1), rows.getInt(2), Integer::sum);
                    cancelled++;
                }
            }
        }
        if (!stockBack.isEmpty()) {
            try (PreparedStatement sql = connection.prepareStatement(
                    "UPDATE product p SET stock_left = p.stock_left + b.quantity "
                            + "FROM unnest(?::text[], ?::int[]) AS b(id, quantity) WHERE p.id = b.id")) {
                sql.setArray(1, connection.createArrayOf("text", stockBack.keySet().toArray()));
                sql.setArray(2, connection.createArrayOf("int4", stockBack.values().toArray()));
                sql.executeUpdate();
            }
        }
        return cancelled;
    }

    /** Gives Redis the stock of recently cancelled orders; returns how many releases this call made. */
    private long releaseCancelled() throws SQLException {
        long[] released = {0};
        sales.recentlyCancelled(releaseLookback, cancelled -> released[0] += releases.release(cancelled));
        return released[0];
    }
}
