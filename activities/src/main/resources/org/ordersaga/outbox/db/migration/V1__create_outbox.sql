-- The transactional outbox, one per service schema: events are written in the same transaction as the state
-- change they describe. Debezium outbox-router columns (id, aggregatetype, aggregateid, type, payload) plus what the
-- relay needs. Migrated with its own history table (outbox_schema_history), apart from the service's tables.
CREATE TABLE outbox (
    seq            bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    id             uuid PRIMARY KEY,
    aggregatetype  text        NOT NULL,
    aggregateid    text        NOT NULL,
    type           text        NOT NULL,
    payload        jsonb       NOT NULL,
    schema_version int         NOT NULL,
    correlation_id text        NOT NULL,
    -- W3C trace context of the transaction that wrote the event, when it ran inside a trace
    traceparent    text,
    created_at     timestamptz NOT NULL DEFAULT now(),
    published_at   timestamptz,
    attempts       int         NOT NULL DEFAULT 0,
    last_error     text,
    -- set when the broker rejected the row for good (e.g. too large): the relay skips it, an operator decides
    parked_at      timestamptz
);

CREATE INDEX outbox_pending ON outbox (seq) WHERE published_at IS NULL AND parked_at IS NULL;
CREATE INDEX outbox_published ON outbox (published_at) WHERE published_at IS NOT NULL;

-- Wakes the relay when rows commit (notifications are delivered at commit, once per channel and transaction).
CREATE FUNCTION notify_outbox() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('outbox_' || TG_TABLE_SCHEMA, '');
    RETURN NULL;
END $$;

CREATE TRIGGER outbox_notify AFTER INSERT ON outbox FOR EACH STATEMENT EXECUTE FUNCTION notify_outbox();
