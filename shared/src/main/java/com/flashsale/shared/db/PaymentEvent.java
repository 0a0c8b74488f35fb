package com.flashsale.shared.db;

import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

import java.time.Instant;

/** A row of {@code payment_event}: an event of the payment provider that paid an order. */
@MappedEntity("payment_event")
public record PaymentEvent(@Id String eventId, String orderId, String providerRef, Instant receivedAt) {
}
