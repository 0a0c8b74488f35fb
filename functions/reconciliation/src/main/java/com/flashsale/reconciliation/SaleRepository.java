package com.flashsale.reconciliation;

import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Read-only queries of the sales, their orders and their decided requests. */
@Singleton
class SaleRepository {

    private final DataSource dataSource;

    SaleRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Sales starting within {@code warmUp}, open, or ended less than {@code recent} ago. */
    List<Sale> salesToWatch(Duration warmUp, Duration recent) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement sql = connection.prepareStatement(
                     "SELECT id, name, price_cents, stock_total, stock_left, starts_at, ends_at, limit_per_user "
                             + "FROM product WHERE starts_at <= now() + make_interval(secs => ?) "
                             + "AND ends_at > now() - make_interval(secs => ?) ORDER BY starts_at, id")) {
            sql.setLong(1, warmUp.toSeconds());
            sql.setLong(2, recent.toSeconds());
            List<Sale> sales = new ArrayList<>();
            try (ResultSet rows = sql.executeQuery()) {
                while (rows.next()) {
                    sales.add(new Sale(rows.getString(1), rows.getString(2), rows.getLong(3), rows.getInt(4),
                            rows.getInt(5), rows.getTimestamp(6).toInstant(), rows.getTimestamp(7).toInstant(),
                            rows.getInt(8)));
                }
            }
            return sales;
        }
    }

    /** The Postgres side of one product's books, read in one snapshot. */
    Books books(String productId, Set<String> requestIds) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            connection.setReadOnly(true);
            try {
                Books books = new Books(stockLeft(connection, productId), activeOrders(connection, productId),
                        decided(connection, requestIds), settled(connection, productId));
                connection.commit();
                return books;
            } catch (SQLException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    /** Which of these requests have an outcome in Postgres. */
    Set<String> decided(Set<String> requestIds) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            return decided(connection, requestIds);
        }
    }

    private static int stockLeft(Connection connection, String productId) throws SQLException {
        try (PreparedStatement sql = connection.prepareStatement("SELECT stock_left FROM product WHERE id = ?")) {
            sql.setString(1, productId);
            try (ResultSet rows = sql.executeQuery()) {
                return rows.next() ? rows.getInt(1) : 0;
            }
        }
    }

    private static Map<String, ActiveOrder> activeOrders(Connection connection, String productId) throws SQLException {
        try (PreparedStatement sql = connection.prepareStatement(
                "SELECT user_id, request_id, quantity FROM purchase_order WHERE product_id = ? AND status <> 'CANCELLED'")) {
            sql.setString(1, productId);
            Map<String, ActiveOrder> orders = new HashMap<>();
            try (ResultSet rows = sql.executeQuery()) {
                while (rows.next()) {
                    orders.put(rows.getString(1), new ActiveOrder(rows.getString(2), rows.getInt(3)));
                }
            }
            return orders;
        }
    }

    /** Requests whose stock went back: failed by the consumer, or orders cancelled. */
    private static Set<String> settled(Connection connection, String productId) throws SQLException {
        try (PreparedStatement sql = connection.prepareStatement(
                "SELECT request_id FROM purchase_request WHERE product_id = ? AND status = 'FAILED' "
                        + "UNION SELECT request_id FROM purchase_order WHERE product_id = ? AND status = 'CANCELLED'")) {
            sql.setString(1, productId);
            sql.setString(2, productId);
            Set<String> settled = new HashSet<>();
            try (ResultSet rows = sql.executeQuery()) {
                while (rows.next()) {
                    settled.add(rows.getString(1));
                }
            }
            return settled;
        }
    }

    private static Set<String> decided(Connection connection, Set<String> requestIds) throws SQLException {
        Set<String> decided = new HashSet<>();
        if (requestIds.isEmpty()) {
            return decided;
        }
        try (PreparedStatement sql = connection.prepareStatement(
                "SELECT request_id FROM purchase_request WHERE request_id = ANY (?)")) {
            sql.setArray(1, connection.createArrayOf("text", requestIds.toArray()));
            try (ResultSet rows = sql.executeQuery()) {
                while (rows.next()) {
                    decided.add(rows.getString(1));
                }
            }
        }
        return decided;
    }

    /** Requests the consumer failed: their Redis stock must have come back (idempotent to repeat). */
    List<FailedRequest> failedRequests(String productId) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement sql = connection.prepareStatement(
                     "SELECT request_id, user_id, quantity FROM purchase_request WHERE product_id = ? AND status = 'FAILED'")) {
            sql.setString(1, productId);
            List<FailedRequest> failed = new ArrayList<>();
            try (ResultSet rows = sql.executeQuery()) {
                while (rows.next()) {
                    failed.add(new FailedRequest(rows.getString(1), rows.getString(2), rows.getInt(3)));
                }
            }
            return failed;
        }
    }

    record ActiveOrder(String requestId, int quantity) {
    }

    record FailedRequest(String requestId, String userId, int quantity) {
    }

    /**
     * @param activeOrders userId -> that user's active (not cancelled) order
     * @param decided      the asked-about request ids that have an outcome row
     * @param settled      request ids of the product whose stock went back (failed, or order cancelled)
     */
    record Books(int stockLeft, Map<String, ActiveOrder> activeOrders, Set<String> decided, Set<String> settled) {

        long activeQuantity() {
            return activeOrders.values().stream().mapToLong(ActiveOrder::quantity).sum();
        }
    }
}
