package com.flashsale.shared.db;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The {@code purchase_request} table: every accepted request's final outcome, written once by the
 * order consumer ({@link OrderRepository#placeBatch}) and never changed.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface RequestRepository extends GenericRepository<PurchaseRequest, String> {

    Optional<PurchaseRequest> findById(String requestId);

    /** The outcomes already recorded for these requests (earlier deliveries of a batch). */
    @Query("SELECT request_id, product_id, user_id, quantity, status, order_id, reason, accepted_at "
            + "FROM purchase_request WHERE request_id = ANY (:requestIds::text[])")
    List<PurchaseRequest> findDecided(String[] requestIds);

    /**
     * Which of these requests have no outcome yet (only those come back). One primary-key probe per id
     * (the LIMIT keeps the planner from hashing the whole table for a chunk instead).
     */
    @Query("SELECT c.id FROM unnest(:requestIds::text[]) AS c(id) LEFT JOIN LATERAL "
            + "(SELECT true AS found FROM purchase_request r WHERE r.request_id = c.id LIMIT 1) d ON true "
            + "WHERE d.found IS NULL")
    List<String> findUndecided(String[] requestIds);

    /**
     * Requests the consumer failed whose unit existed: their Redis stock must have come back. A
     * SOLD_OUT failure's unit never existed (the consumer retires it), so it is not among them. Read
     * it inside a transaction.
     */
    @Query("SELECT product_id, request_id, user_id, quantity FROM purchase_request "
            + "WHERE product_id = :productId AND status = 'FAILED' AND reason IS DISTINCT FROM 'SOLD_OUT'")
    Stream<Settled> streamFailed(String productId);

    /** Every decided request of the product, to hold Redis's states against. Read it inside a transaction. */
    @Query("SELECT request_id, product_id, user_id, quantity, status, order_id, reason, accepted_at "
            + "FROM purchase_request WHERE product_id = :productId")
    Stream<PurchaseRequest> streamDecided(String productId);

    /** Request ids of the product whose stock went back (failed, or order cancelled). Read it inside a transaction. */
    @Query("SELECT request_id FROM purchase_request WHERE product_id = :productId AND status = 'FAILED' "
            + "UNION ALL SELECT request_id FROM purchase_order WHERE product_id = :productId AND status = 'CANCELLED'")
    Stream<String> streamSettledIds(String productId);
}
