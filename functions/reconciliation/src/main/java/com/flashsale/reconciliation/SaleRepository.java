package com.flashsale.reconciliation;

import com.flashsale.shared.db.Jdbc;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Read-only queries of the sales, their orders and their decided requests. Nothing here holds a
 * sale's orders in memory: totals are summed in SQL, and what must be walked row by row (to write
 * it to Redis) comes in chunks from a cursor, so a run's memory does not grow with the sale.
 */
@Singleton
class SaleRepository {

    /** Rows per chunk of a walk, and request ids per look-up. */
    static final int CHUNK = 5_000;

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

    /** Runs {@code work} in one read-only snapshot (REPEATABLE READ): every query in it sees the same instant. */
    <T> T inSnapshot(Lease.SqlWork<T> work) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            connection.setReadOnly(true);
            try {
                T result = work.apply(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    /** The product's stock left and the quantity its active (not cancelled) orders hold, summed in SQL. */
    static Totals totals(Connection connection, String productId) throws SQLException {
        try (PreparedStatement sql = Jdbc.planEachCall(connection,
                "SELECT p.stock_left, (SELECT coalesce(sum(o.quantity), 0) FROM purchase_order o "
                        + "WHERE o.product_id = p.id AND o.status <> 'CANCELLED') FROM product p WHERE p.id = ?")) {
            sql.setString(1, productId);
            try (ResultSet rows = sql.executeQuery()) {
                return rows.next() ? new Totals(rows.getInt(1), rows.getLong(2)) : new Totals(0, 0);
            }
        }
    }

    /**
     * Which of these requests have no outcome in Postgres yet (only those come back). One primary-key
     * probe per id (the LIMIT keeps the planner from hashing the whole table for a chunk instead).
     */
    static Set<String> undecided(Connection connection, Collection<String> requestIds) throws SQLException {
        Set<String> undecided = new HashSet<>();
        if (requestIds.isEmpty()) {
            return undecided;
        }
        try (PreparedStatement sql = Jdbc.planEachCall(connection,
                "SELECT c.id FROM unnest(?::text[]) AS c(id) LEFT JOIN LATERAL "
                        + "(SELECT true AS found FROM purchase_request r WHERE r.request_id = c.id LIMIT 1) d ON true "
                        + "WHERE d.found IS NULL")) {
            sql.setArray(1, connection.createArrayOf("text", requestIds.toArray()));
            try (ResultSet rows = sql.executeQuery()) {
                while (rows.next()) {
                    undecided.add(rows.getString(1));
                }
            }
        }
        return undecided;
    }

    /** Which of these requests have no outcome in Postgres yet, on a connection of its own. */
    Set<String> undecided(Collection<String> requestIds) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            return undecided(connection, requestIds);
        }
    }

    /** Requests the consumer failed, chunk by chunk: their Redis stock must have come back (idempotent to repeat). */
    void failedRequests(String productId, Chunks<Settled> chunks) throws SQLException {
        walk("SELECT product_id, request_id, user_id, quantity FROM purchase_request "
                        + "WHERE product_id = ? AND status = 'FAILED'",
                rows -> new Settled(rows.getString(1), rows.getString(2), rows.getString(3), rows.getInt(4)),
                chunks, productId);
    }

    /** The product's active orders as (userId, requestId), chunk by chunk: the buyers Redis must know. */
    void activeBuyers(String productId, Chunks<Buyer> chunks) throws SQLException {
        walk("SELECT user_id, request_id FROM purchase_order WHERE product_id = ? AND status <> 'CANCELLED'",
                rows -> new Buyer(rows.getString(1), rows.getString(2)), chunks, productId);
    }

    /** Request ids of the product whose stock went back (failed, or order cancelled), chunk by chunk. */
    void settled(String productId, Chunks<String> chunks) throws SQLException {
        walk("SELECT request_id FROM purchase_request WHERE product_id = ? AND status = 'FAILED' "
                + "UNION ALL SELECT request_id FROM purchase_order WHERE product_id = ? AND status = 'CANCELLED'",
                rows -> rows.getString(1), chunks, productId, productId);
    }

    /** Orders cancelled within {@code lookback}, chunk by chunk: Redis must have their stock back. */
    void recentlyCancelled(Duration lookback, Chunks<Settled> chunks) throws SQLException {
        walk("SELECT product_id, request_id, user_id, quantity FROM purchase_order "
                        + "WHERE status = 'CANCELLED' AND cancelled_at > now() - make_interval(secs => ?)",
                rows -> new Settled(rows.getString(1), rows.getString(2), rows.getString(3), rows.getInt(4)),
                chunks, lookback.toSeconds());
    }

    /** The rows of a query, from a cursor, {@link #CHUNK} at a time. */
    private <T> void walk(String query, Row<T> row, Chunks<T> chunks, Object... parameters) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false); // the driver streams with a cursor only inside a transaction
            try (PreparedStatement sql = Jdbc.planEachCall(connection, query)) {
                for (int i = 0; i < parameters.length; i++) {
                    sql.setObject(i + 1, parameters[i]);
                }
                sql.setFetchSize(CHUNK);
                List<T> chunk = new ArrayList<>(CHUNK);
                try (ResultSet rows = sql.executeQuery()) {
                    while (rows.next()) {
                        chunk.add(row.read(rows));
                        if (chunk.size() == CHUNK) {
                            chunks.accept(chunk);
                            chunk = new ArrayList<>(CHUNK);
                        }
                    }
                }
                if (!chunk.isEmpty()) {
                    chunks.accept(chunk);
                }
            } finally {
                connection.rollback();
            }
        }
    }

    /** Takes the rows of a walk, one chunk at a time. */
    @FunctionalInterface
    interface Chunks<T> {
        void accept(List<T> chunk) throws SQLException;
    }

    @FunctionalInterface
    private interface Row<T> {
        T read(ResultSet rows) throws SQLException;
    }

    record Totals(int stockLeft, long activeQuantity) {
    }

    record Buyer(String userId, String requestId) {
    }

    /** A request whose stock goes back to Redis: failed by the consumer, or its order cancelled. */
    record Settled(String productId, String requestId, String userId, int quantity) {
    }
}
