-- The order's own record, owned by the orchestrator's service.
CREATE TABLE orders (
    order_id         text PRIMARY KEY,
    customer_id      text        NOT NULL,
    status           text        NOT NULL CHECK (status IN ('PLACED', 'COMPLETED', 'COMPENSATED')),
    items            jsonb       NOT NULL,
    shipping_address jsonb       NOT NULL,
    total            numeric(14, 2),
    shipment_key     text,
    failed_step      text,
    failure_type     text,
    failure_reason   text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now()
);
