-- One row per create-shipment step (its idempotency key). A cancel that finds no row leaves a VOIDED tombstone, so
-- a late create attempt for the same key can never take effect after its compensation.
CREATE TABLE shipments (
    shipment_key     text PRIMARY KEY,
    order_id         text        NOT NULL,
    status           text        NOT NULL CHECK (status IN ('CREATED', 'CANCELLED', 'REJECTED', 'VOIDED')),
    address          jsonb,
    items            jsonb,
    tracking_number  text,
    rejection_reason text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now()
);
