package com.flashsale.shared.db;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The {@code purchase_order} table. The order consumer writes a whole batch with {@link #placeBatch},
 * one round trip for its stock, orders and outcomes; reconciliation cancels what was not paid in time.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface OrderRepository extends GenericRepository<PurchaseOrder, String> {

    /** Orders cancelled per call of {@link #cancelExpired}: a run cancels in batches of this size. */
    int CANCEL_BATCH = 500;

    Optional<PurchaseOrder> findById(String id);

    /**
     * The order consumer's decisions on one batch, three statements sent together (one round trip),
     * each a multi-row statement over arrays, one element per row:
     * <ol>
     *   <li>the guarded stock update, the final guard against oversell: a product's {@code stock_left}
     *       drops by {@code takenQuantities[i]} only {@code WHERE stock_left >= quantity};</li>
     *   <li>the orders, {@code PENDING_PAYMENT}, to be paid within {@code paymentWindowSeconds};</li>
     *   <li>the request outcomes.</li>
     * </ol>
     * Both inserts do nothing for a request already recorded (its unique request id), so a retried batch
     * writes nothing twice; the unique index of one active order per user and product is left to fail
     * the batch.
     *
     * @return how many products the guarded update changed (the driver's count of the first statement):
     *         fewer than {@code takenIds.length} means the guard refused one
     */
    @Query("UPDATE product p SET stock_left = p.stock_left - t.quantity "
            + "FROM unnest(:takenIds::text[], :takenQuantities::int[]) AS t(id, quantity) "
            + "WHERE p.id = t.id AND p.stock_left >= t.quantity; "
            + "INSERT INTO purchase_order (id, request_id, product_id, user_id, quantity, price_cents, status, "
            + "created_at, pay_by) "
            + "SELECT o.id, o.request_id, o.product_id, o.user_id, o.quantity, o.price_cents, "
            + "'PENDING_PAYMENT', now(), now() + make_interval(secs => :paymentWindowSeconds) "
            + "FROM unnest(:orderIds::text[], :orderRequestIds::text[], :orderProductIds::text[], "
            + ":orderUserIds::text[], :orderQuantities::int[], :orderPrices::bigint[]) "
            + "AS o(id, request_id, product_id, user_id, quantity, price_cents) "
            + "ON CONFLICT (request_id) DO NOTHING; "
            + "INSERT INTO purchase_request (request_id, product_id, user_id, quantity, status, order_id, reason, "
            + "accepted_at) "
            + "SELECT r.request_id, r.product_id, r.user_id, r.quantity, r.status, r.order_id, r.reason, "
            + "to_timestamp(r.accepted_ms / 1000.0) "
            + "FROM unnest(:requestIds::text[], :requestProductIds::text[], :requestUserIds::text[], "
            + ":requestQuantities::int[], :statuses::text[], :requestOrderIds::text[], :reasons::text[], "
            + ":acceptedMillis::bigint[]) "
            + "AS r(request_id, product_id, user_id, quantity, status, order_id, reason, accepted_ms) "
            + "ON CONFLICT (request_id) DO NOTHING")
    int placeBatch(String[] takenIds, int[] takenQuantities, long paymentWindowSeconds,
                   String[] orderIds, String[] orderRequestIds, String[] orderProductIds, String[] orderUserIds,
                   int[] orderQuantities, long[] orderPrices,
                   String[] requestIds, String[] requestProductIds, String[] requestUserIds, int[] requestQuantities,
                   String[] statuses, String[] requestOrderIds, String[] reasons, long[] acceptedMillis);

    /** Which of these (product, user) pairs, {@code productIds[i]} with {@code userIds[i]}, hold an active order. */
    @Query("SELECT o.product_id, o.user_id FROM purchase_order o "
            + "JOIN unnest(:productIds::text[], :userIds::text[]) AS b(product_id, user_id) "
            + "ON o.product_id = b.product_id AND o.user_id = b.user_id WHERE o.status <> 'CANCELLED'")
    List<Holder> findActiveHolders(String[] productIds, String[] userIds);

    /** The payment provider's callback: only a PENDING_PAYMENT order still within its payBy becomes PAID. */
    @Query("UPDATE purchase_order SET status = 'PAID', paid_at = now() WHERE id = :id AND status = 'PENDING_PAYMENT' "
            + "AND pay_by > now()")
    int pay(String id);

    /**
     * Cancels up to {@link #CANCEL_BATCH} orders whose payment window has passed (rows another run holds
     * are skipped); only a PENDING_PAYMENT order is cancelled, so a concurrent payment wins cleanly.
     *
     * @return the orders cancelled (as they are now), whose stock goes back
     */
    @Query("WITH expired AS (SELECT id FROM purchase_order WHERE status = 'PENDING_PAYMENT' AND pay_by < now() "
            + "ORDER BY pay_by LIMIT " + CANCEL_BATCH + " FOR UPDATE SKIP LOCKED) "
            + "UPDATE purchase_order o SET status = 'CANCELLED', cancelled_at = now() FROM expired "
            + "WHERE o.id = expired.id AND o.status = 'PENDING_PAYMENT' "
            + "RETURNING o.*")
    List<PurchaseOrder> cancelExpired();

    /**
     * A product's order counts (admin stats), with its requests the consumer failed, and the dead
     * letters of every product (a record the consumer could not read names no product it can trust).
     */
    @Query("SELECT count(*) AS orders, count(*) FILTER (WHERE status = 'PAID') AS paid, "
            + "count(*) FILTER (WHERE status = 'CANCELLED') AS cancelled, "
            + "(SELECT count(*) FROM purchase_request r WHERE r.product_id = :productId AND r.status = 'FAILED') AS failed, "
            + "(SELECT count(*) FROM dead_letter) AS dead_letters "
            + "FROM purchase_order WHERE product_id = :productId")
    Counts countByProduct(String productId);

    /** The product's active orders as (user, request): the buyers Redis must know. Read it inside a transaction. */
    @Query("SELECT user_id, request_id FROM purchase_order WHERE product_id = :productId AND status <> 'CANCELLED'")
    Stream<Buyer> streamActiveBuyers(String productId);

    /** Orders cancelled within the last {@code lookbackSeconds}: Redis must have their stock back. */
    @Query("SELECT product_id, request_id, user_id, quantity FROM purchase_order "
            + "WHERE status = 'CANCELLED' AND cancelled_at > now() - make_interval(secs => :lookbackSeconds)")
    Stream<Settled> streamRecentlyCancelled(long lookbackSeconds);

    /** A user holding an active order of a product. */
    @Introspected
    record Holder(String productId, String userId) {
    }

    /** A buyer Redis must know: the user and the request that bought. */
    @Introspected
    record Buyer(String userId, String requestId) {
    }

    /** Admin stats of one product. */
    @Introspected
    record Counts(long orders, long paid, long cancelled, long failed, long deadLetters) {
    }
}
