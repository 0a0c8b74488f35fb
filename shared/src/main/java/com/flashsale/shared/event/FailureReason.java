package com.flashsale.shared.event;

/** Why an accepted request did not become an order; its stock went back in every case. */
public enum FailureReason {
    /** Postgres, the truth, had no stock left (Redis had lost writes). */
    SOLD_OUT,
    /** The user already has an active order for this product. */
    ALREADY_PURCHASED,
    /** The event named a product that does not exist or could not be read. */
    INVALID_EVENT
}
