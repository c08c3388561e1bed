CREATE TABLE accounts (
    customer_id text PRIMARY KEY,
    balance     numeric(14, 2) NOT NULL CHECK (balance >= 0)
);

-- One row per charge step (its idempotency key). A refund that finds no row leaves a VOIDED tombstone, so a late
-- charge attempt for the same key can never take effect after its compensation.
CREATE TABLE charges (
    charge_key     text PRIMARY KEY,
    order_id       text        NOT NULL,
    customer_id    text,
    amount         numeric(14, 2) CHECK (amount >= 0),
    status         text        NOT NULL CHECK (status IN ('CHARGED', 'REFUNDED', 'DECLINED', 'VOIDED')),
    decline_reason text,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now()
);
