-- Postgres is the truth about orders; Redis is only the fast gate in front of it.

CREATE TABLE product (
    id             text        PRIMARY KEY,
    name           text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    price_cents    bigint      NOT NULL CHECK (price_cents > 0),
    stock_total    integer     NOT NULL CHECK (stock_total BETWEEN 1 AND 10000000),
    -- the final guard against oversell: orders take stock only WHERE stock_left >= quantity
    stock_left     integer     NOT NULL CHECK (stock_left BETWEEN 0 AND stock_total),
    starts_at      timestamptz NOT NULL,
    ends_at        timestamptz NOT NULL,
    limit_per_user integer     NOT NULL DEFAULT 1 CHECK (limit_per_user BETWEEN 1 AND 10),
    created_at     timestamptz NOT NULL DEFAULT now(),
    preloaded_at   timestamptz,
    CHECK (starts_at < ends_at)
);
CREATE INDEX product_sale_window ON product (starts_at, ends_at);

CREATE TABLE purchase_order (
    id           text        PRIMARY KEY,
    request_id   text        NOT NULL UNIQUE,
    product_id   text        NOT NULL REFERENCES product (id),
    user_id      text        NOT NULL,
    quantity     integer     NOT NULL CHECK (quantity > 0),
    price_cents  bigint      NOT NULL CHECK (price_cents > 0),
    status       text        NOT NULL CHECK (status IN ('PENDING_PAYMENT', 'PAID', 'CANCELLED')),
    created_at   timestamptz NOT NULL DEFAULT now(),
    pay_by       timestamptz NOT NULL,
    paid_at      timestamptz,
    cancelled_at timestamptz
);
-- one active order per user and product; a cancelled order frees the slot
CREATE UNIQUE INDEX purchase_order_one_active_per_user
    ON purchase_order (product_id, user_id) WHERE status <> 'CANCELLED';
CREATE INDEX purchase_order_unpaid ON purchase_order (pay_by) WHERE status = 'PENDING_PAYMENT';

-- the outcome of every accepted purchase request, successful or not
CREATE TABLE purchase_request (
    request_id  text        PRIMARY KEY,
    product_id  text        NOT NULL,
    user_id     text        NOT NULL,
    quantity    integer     NOT NULL CHECK (quantity > 0),
    status      text        NOT NULL CHECK (status IN ('SUCCESS', 'FAILED')),
    order_id    text,
    reason      text,
    accepted_at timestamptz NOT NULL,
    decided_at  timestamptz NOT NULL DEFAULT now(),
    CHECK ((status = 'SUCCESS') = (order_id IS NOT NULL))
);
CREATE INDEX purchase_request_product ON purchase_request (product_id, status);

-- records the order consumer could not process, raw, so that nothing is silently dropped
CREATE TABLE dead_letter (
    id            bigserial   PRIMARY KEY,
    topic         text        NOT NULL,
    partition     integer     NOT NULL,
    record_offset bigint      NOT NULL,
    record_key    bytea,
    record_value  bytea,
    error         text        NOT NULL,
    received_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (topic, partition, record_offset)
);

-- a lease with a fencing number: the holder of the highest fence is the only one allowed to act
CREATE TABLE lease (
    name       text        PRIMARY KEY,
    holder     text,
    fence      bigint      NOT NULL DEFAULT 0,
    expires_at timestamptz NOT NULL DEFAULT '-infinity'
);
INSERT INTO lease (name) VALUES ('reconciliation');

CREATE TABLE reconciliation_run (
    id          bigserial   PRIMARY KEY,
    fence       bigint      NOT NULL,
    holder      text        NOT NULL,
    started_at  timestamptz NOT NULL DEFAULT now(),
    finished_at timestamptz,
    summary     jsonb
);

CREATE TABLE reconciliation_discrepancy (
    id          bigserial   PRIMARY KEY,
    run_id      bigint      NOT NULL REFERENCES reconciliation_run (id),
    product_id  text        NOT NULL,
    kind        text        NOT NULL,
    expected    bigint,
    actual      bigint,
    delta       bigint,
    cause       text,
    action      text        NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX reconciliation_discrepancy_product ON reconciliation_discrepancy (product_id, recorded_at);
