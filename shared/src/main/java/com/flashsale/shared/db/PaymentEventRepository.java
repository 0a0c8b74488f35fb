package com.flashsale.shared.db;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.util.Optional;

/**
 * The {@code payment_event} table: the payment provider's events that paid an order, so that a
 * redelivered event is answered as the first time and changes nothing.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface PaymentEventRepository extends GenericRepository<PaymentEvent, String> {

    Optional<PaymentEvent> findById(String eventId);

    /**
     * Claims the event for this transaction: 1 if it is new; 0 if it was already recorded. A
     * concurrent delivery of the same event waits here until the first one's transaction ends, then
     * sees its row (0) if it committed, or claims the event itself if it rolled back.
     */
    @Query("INSERT INTO payment_event (event_id, order_id, provider_ref) VALUES (:eventId, :orderId, :providerRef) "
            + "ON CONFLICT (event_id) DO NOTHING")
    int claim(String eventId, String orderId, String providerRef);

    /** Keeps the provider's reference of the payment on the order (the first one, if paid twice). */
    @Query("UPDATE purchase_order SET provider_ref = :providerRef WHERE id = :orderId AND provider_ref IS NULL")
    int keepProviderRef(String orderId, String providerRef);
}
