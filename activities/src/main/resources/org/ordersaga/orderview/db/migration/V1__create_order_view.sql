-- The order-view projection: built only from the services' events, rebuildable by replaying the topics.

-- Every event of every order, once: the timeline the view is computed from.
CREATE TABLE order_events (
    event_id    uuid PRIMARY KEY,
    order_id    text        NOT NULL,
    type        text        NOT NULL,
    occurred_at timestamptz NOT NULL,
    payload     jsonb       NOT NULL
);

CREATE INDEX order_events_timeline ON order_events (order_id, occurred_at, event_id);

-- Per order, what its events say so far. Recomputed from the whole timeline on every event, so the order in
-- which events arrive (across topics) never matters.
CREATE TABLE order_view (
    order_id       text PRIMARY KEY,
    customer_id    text,
    status         text        NOT NULL CHECK (status IN ('PROCESSING', 'COMPENSATING', 'COMPLETED', 'COMPENSATED')),
    total          numeric(14, 2),
    failed_step    text,
    failure_type   text,
    failure_reason text,
    event_count    int         NOT NULL,
    first_event_at timestamptz NOT NULL,
    last_event_at  timestamptz NOT NULL
);

CREATE INDEX order_view_by_status ON order_view (status, order_id);
CREATE INDEX order_view_by_customer ON order_view (customer_id, order_id);

-- Idempotency of consumers: an event id is applied once per consumer, checked in the projection's transaction.
CREATE TABLE processed_events (
    consumer     text        NOT NULL,
    event_id     uuid        NOT NULL,
    processed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, event_id)
);
