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

-- The transactional outbox: written in the same transaction as the state change it describes.
-- Debezium outbox-router columns (id, aggregatetype, aggregateid, type, payload) plus what the relay needs.
CREATE TABLE outbox (
    seq            bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    id             uuid PRIMARY KEY,
    aggregatetype  text        NOT NULL,
    aggregateid    text        NOT NULL,
    type           text        NOT NULL,
    payload        jsonb       NOT NULL,
    schema_version int         NOT NULL,
    correlation_id text        NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    published_at   timestamptz,
    attempts       int         NOT NULL DEFAULT 0,
    last_error     text
);

CREATE INDEX outbox_unpublished ON outbox (seq) WHERE published_at IS NULL;
