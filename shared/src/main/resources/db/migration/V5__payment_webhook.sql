-- The payment provider's webhook: each event it delivers is answered once (a redelivery changes
-- nothing), and the order keeps the provider's reference of the payment.
ALTER TABLE purchase_order ADD COLUMN provider_ref text;

-- one row per event that paid an order; a refused event leaves no row (its redelivery is judged again)
CREATE TABLE payment_event (
    event_id     text        PRIMARY KEY,
    order_id     text        NOT NULL REFERENCES purchase_order (id),
    provider_ref text        NOT NULL,
    received_at  timestamptz NOT NULL DEFAULT now()
);
