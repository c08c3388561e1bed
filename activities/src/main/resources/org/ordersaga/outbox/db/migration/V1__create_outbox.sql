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
    created_at     timestamptz NOT NULL DEFAULT now(),
    published_at   timestamptz,
    attempts       int         NOT NULL DEFAULT 0,
    last_error     text
);

CREATE INDEX outbox_unpublished ON outbox (seq) WHERE published_at IS NULL;
