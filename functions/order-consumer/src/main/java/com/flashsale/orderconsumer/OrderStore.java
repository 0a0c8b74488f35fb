package com.flashsale.orderconsumer;

import com.flashsale.shared.db.Jdbc;
import com.flashsale.shared.event.FailureReason;
import com.flashsale.shared.event.OrderEvent;
import com.flashsale.shared.event.RequestStatus;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * Writes a whole batch in ONE transaction of three round trips, whatever its size: lock the batch's
 * products and read the requests already decided and the users' active orders; decide in memory
 * (earliest accepted first); write the stock, the orders and the request outcomes (one multi-row
 * statement each, sent together); commit. Dead letters, rare, add one more.
 *
 * <p>Idempotent on request id: a request already in {@code purchase_request} is not decided again,
 * and order ids are derived from request ids, so a retry of a batch whose commit outcome was unknown
 * writes exactly the same rows.
 */
@Singleton
class OrderStore {

    private final DataSource dataSource;
    private final long paymentWindowSeconds;

    OrderStore(DataSource dataSource, @Value("${flashsale.payment-window:15m}") Duration paymentWindow) {
        this.dataSource = dataSource;
        this.paymentWindowSeconds = paymentWindow.toSeconds();
    }

    /** The order id of a request: the same on every delivery. */
    static String orderIdOf(String requestId) {
        return "o-" + UUID.nameUUIDFromBytes(("order:" + requestId).getBytes(StandardCharsets.UTF_8));
    }

    StoredBatch store(List<ConsumedRecord> records) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                StoredBatch stored = store(connection, records);
                connection.commit();
                return stored;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(connection, e);
                throw e;
            }
        }
    }

    private StoredBatch store(Connection connection, List<ConsumedRecord> records) throws SQLException {
        // one record per request id, earliest accepted first: the same decisions for any delivery order
        Map<String, ConsumedRecord> byRequest = new LinkedHashMap<>();
        List<ConsumedRecord> deadLetters = new ArrayList<>();
        int duplicates = 0;
        List<ConsumedRecord> ordered = new ArrayList<>(records);
        ordered.sort(Comparator.comparing((ConsumedRecord r) -> r.event() == null ? Long.MAX_VALUE : acceptedAt(r))
                .thenComparing(r -> r.event() == null ? "" : r.event().requestId())
                .thenComparing(ConsumedRecord::topic).thenComparingInt(ConsumedRecord::partition)
                .thenComparingLong(ConsumedRecord::offset));
        for (ConsumedRecord record : ordered) {
            if (!record.valid()) {
                deadLetters.add(record);
            }
            if (record.identifiesRequest() && byRequest.putIfAbsent(record.event().requestId(), record) != null
                    && record.valid()) {
                duplicates++;
            }
        }

        Set<String> productIds = new LinkedHashSet<>();
        byRequest.values().forEach(r -> productIds.add(r.event().productId()));
        Known known = read(connection, productIds, byRequest.values());
        Map<String, ProductRow> products = known.products();
        Set<String> activeBuyers = known.activeBuyers();

        List<RequestOutcome> decided = new ArrayList<>();
        List<RequestOutcome> alreadyProcessed = new ArrayList<>();
        List<OrderRow> orders = new ArrayList<>();
        Map<String, Integer> taken = new LinkedHashMap<>();
        Map<String, Long> acceptedAt = new HashMap<>();
        for (ConsumedRecord record : byRequest.values()) {
            OrderEvent event = record.event();
            RequestOutcome earlier = known.decided().get(event.requestId());
            if (earlier != null) {
                alreadyProcessed.add(earlier);
                continue;
            }
            acceptedAt.put(event.requestId(), acceptedAt(record));
            ProductRow product = products.get(event.productId());
            if (!record.valid() || product == null) {
                if (record.valid()) {
                    deadLetters.add(record.poison("unknown product " + event.productId()));
                }
                decided.add(failure(event, FailureReason.INVALID_EVENT));
            } else if (activeBuyers.contains(buyer(event))) {
                decided.add(failure(event, FailureReason.ALREADY_PURCHASED));
            } else if (product.stockLeft < event.quantity()) {
                decided.add(failure(event, FailureReason.SOLD_OUT));
            } else {
                activeBuyers.add(buyer(event));
                product.stockLeft -= event.quantity();
                taken.merge(product.id, event.quantity(), Integer::sum);
                String orderId = orderIdOf(event.requestId());
                orders.add(new OrderRow(orderId, event, product.priceCents * event.quantity()));
                decided.add(new RequestOutcome(event.requestId(), event.productId(), event.userId(), event.quantity(),
                        RequestStatus.SUCCESS, orderId, null));
            }
        }

        write(connection, taken, orders, decided, acceptedAt);
        insertDeadLetters(connection, deadLetters);
        return new StoredBatch(decided, alreadyProcessed, duplicates, deadLetters.size());
    }

    private static String buyer(OrderEvent event) {
        return buyer(event.productId(), event.userId());
    }

    private static String buyer(String productId, String userId) {
        return productId + "\u0000" + userId;
    }

    private static long acceptedAt(ConsumedRecord record) {
        return record.event().acceptedAt() == null ? 0 : record.event().acceptedAt().toEpochMilli();
    }

    private static RequestOutcome failure(OrderEvent event, FailureReason reason) {
        return new RequestOutcome(event.requestId(), event.productId(), event.userId(), event.quantity(),
                RequestStatus.FAILED, null, reason.name());
    }

    /**
     * One round trip: locks the batch's products (in id order), then reads the requests earlier
     * deliveries decided and the batch's users who already hold an active order. Three statements,
     * not one, so that the reads see what a concurrent invocation committed before the lock was
     * granted. Planned for the actual arrays on every call ({@link Jdbc#planEachCall}).
     */
    private static Known read(Connection connection, Set<String> productIds, Collection<ConsumedRecord> records)
            throws SQLException {
        Known known = new Known(new HashMap<>(), new HashMap<>(), new HashSet<>());
        if (records.isEmpty()) {
            return known;
        }
        try (PreparedStatement sql = Jdbc.planEachCall(connection,
                "SELECT id, price_cents, stock_left FROM product WHERE id = ANY (?) ORDER BY id FOR UPDATE; "
                        + "SELECT request_id, product_id, user_id, quantity, status, order_id, reason "
                        + "FROM purchase_request WHERE request_id = ANY (?); "
                        + "SELECT o.product_id, o.user_id FROM purchase_order o "
                        + "JOIN unnest(?::text[], ?::text[]) AS b(product_id, user_id) "
                        + "ON o.product_id = b.product_id AND o.user_id = b.user_id WHERE o.status <> 'CANCELLED'")) {
            sql.setArray(1, connection.createArrayOf("text", productIds.toArray()));
            sql.setArray(2, column(connection, "text", records, r -> r.event().requestId()));
            sql.setArray(3, column(connection, "text", records, r -> r.event().productId()));
            sql.setArray(4, column(connection, "text", records, r -> r.event().userId()));
            sql.execute();
            try (ResultSet rows = sql.getResultSet()) {
                while (rows.next()) {
                    known.products().put(rows.getString(1),
                            new ProductRow(rows.getString(1), rows.getLong(2), rows.getInt(3)));
                }
            }
            sql.getMoreResults();
            try (ResultSet rows = sql.getResultSet()) {
                while (rows.next()) {
                    known.decided().put(rows.getString(1), new RequestOutcome(rows.getString(1), rows.getString(2),
                            rows.getString(3), rows.getInt(4), RequestStatus.valueOf(rows.getString(5)),
                            rows.getString(6), rows.getString(7)));
                }
            }
            sql.getMoreResults();
            try (ResultSet rows = sql.getResultSet()) {
                while (rows.next()) {
                    known.activeBuyers().add(buyer(rows.getString(1), rows.getString(2)));
                }
            }
        }
        return known;
    }

    /**
     * One round trip: the guarded stock update (the final guard: stock_left never goes below zero,
     * whatever Redis believed), the orders and the request outcomes, one multi-row statement each.
     */
    private void write(Connection connection, Map<String, Integer> taken, List<OrderRow> orders,
                       List<RequestOutcome> outcomes, Map<String, Long> acceptedAt) throws SQLException {
        if (outcomes.isEmpty()) {
            return;
        }
        try (PreparedStatement sql = connection.prepareStatement(
                "UPDATE product p SET stock_left = p.stock_left - t.quantity "
                        + "FROM unnest(?::text[], ?::int[]) AS t(id, quantity) "
                        + "WHERE p.id = t.id AND p.stock_left >= t.quantity; "
                        + "INSERT INTO purchase_order (id, request_id, product_id, user_id, quantity, price_cents, status, "
                        + "created_at, pay_by) "
                        + "SELECT o.id, o.request_id, o.product_id, o.user_id, o.quantity, o.price_cents, "
                        + "'PENDING_PAYMENT', now(), now() + make_interval(secs => ?) "
                        + "FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::int[], ?::bigint[]) "
                        + "AS o(id, request_id, product_id, user_id, quantity, price_cents) "
                        + "ON CONFLICT (request_id) DO NOTHING; "
                        + "INSERT INTO purchase_request (request_id, product_id, user_id, quantity, status, order_id, reason, "
                        + "accepted_at) "
                        + "SELECT r.request_id, r.product_id, r.user_id, r.quantity, r.status, r.order_id, r.reason, "
                        + "to_timestamp(r.accepted_ms / 1000.0) "
                        + "FROM unnest(?::text[], ?::text[], ?::text[], ?::int[], ?::text[], ?::text[], ?::text[], "
                        + "?::bigint[]) AS r(request_id, product_id, user_id, quantity, status, order_id, reason, accepted_ms) "
                        + "ON CONFLICT (request_id) DO NOTHING")) {
            sql.setArray(1, connection.createArrayOf("text", taken.keySet().toArray()));
            sql.setArray(2, connection.createArrayOf("int4", taken.values().toArray()));
            sql.setLong(3, paymentWindowSeconds);
            sql.setArray(4, column(connection, "text", orders, OrderRow::id));
            sql.setArray(5, column(connection, "text", orders, o -> o.event().requestId()));
            sql.setArray(6, column(connection, "text", orders, o -> o.event().productId()));
            sql.setArray(7, column(connection, "text", orders, o -> o.event().userId()));
            sql.setArray(8, column(connection, "int4", orders, o -> o.event().quantity()));
            sql.setArray(9, column(connection, "int8", orders, OrderRow::priceCents));
            sql.setArray(10, column(connection, "text", outcomes, RequestOutcome::requestId));
            sql.setArray(11, column(connection, "text", outcomes, RequestOutcome::productId));
            sql.setArray(12, column(connection, "text", outcomes, RequestOutcome::userId));
            sql.setArray(13, column(connection, "int4", outcomes, RequestOutcome::quantity));
            sql.setArray(14, column(connection, "text", outcomes, o -> o.status().name()));
            sql.setArray(15, column(connection, "text", outcomes, RequestOutcome::orderId));
            sql.setArray(16, column(connection, "text", outcomes, RequestOutcome::reason));
            sql.setArray(17, column(connection, "int8", outcomes, o -> acceptedAt.getOrDefault(o.requestId(), 0L)));
            sql.execute();
            int updated = sql.getUpdateCount();
            if (updated != taken.size()) {
                throw new IllegalStateException("stock guard refused " + (taken.size() - updated) + " of " + taken.size()
                        + " products although their rows were locked");
            }
        }
    }

    /** One column of rows as an array parameter (the statements read them back with {@code unnest}). */
    private static <T> Array column(Connection connection, String type, Collection<T> rows, Function<T, Object> value)
            throws SQLException {
        Object[] values = new Object[rows.size()];
        int i = 0;
        for (T row : rows) {
            values[i++] = value.apply(row);
        }
        return connection.createArrayOf(type, values);
    }

    private static void insertDeadLetters(Connection connection, List<ConsumedRecord> deadLetters) throws SQLException {
        if (deadLetters.isEmpty()) {
            return;
        }
        try (PreparedStatement sql = connection.prepareStatement(
                "INSERT INTO dead_letter (topic, partition, record_offset, record_key, record_value, error) "
                        + "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (topic, partition, record_offset) DO NOTHING")) {
            for (ConsumedRecord record : deadLetters) {
                sql.setString(1, record.topic());
                sql.setInt(2, record.partition());
                sql.setLong(3, record.offset());
                sql.setBytes(4, record.key());
                sql.setBytes(5, record.value());
                sql.setString(6, record.error());
                sql.addBatch();
            }
            sql.executeBatch();
        }
    }

    private static void rollbackQuietly(Connection connection, Exception cause) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    private static final class ProductRow {
        final String id;
        final long priceCents;
        int stockLeft;

        ProductRow(String id, long priceCents, int stockLeft) {
            this.id = id;
            this.priceCents = priceCents;
            this.stockLeft = stockLeft;
        }
    }

    private record OrderRow(String id, OrderEvent event, long priceCents) {
    }

    /** What Postgres knew before this batch: its products (locked), earlier decisions, active buyers. */
    private record Known(Map<String, ProductRow> products, Map<String, RequestOutcome> decided, Set<String> activeBuyers) {
    }
}
