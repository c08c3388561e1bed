-- One row per Idempotency-Key a client sent with POST /orders: the same key with the same body is the same order.
CREATE TABLE idempotency_keys (
    idempotency_key text PRIMARY KEY,
    request_hash    text        NOT NULL,
    order_id        text        NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now()
);
