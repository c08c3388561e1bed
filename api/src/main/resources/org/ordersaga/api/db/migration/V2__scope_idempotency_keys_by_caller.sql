-- An Idempotency-Key belongs to the caller that sent it (the token's subject): the same key from two callers is two
-- keys. Keys stored before callers were authenticated belong to nobody; a client's retries span minutes, not an
-- upgrade.
ALTER TABLE idempotency_keys ADD COLUMN principal text NOT NULL DEFAULT '';
ALTER TABLE idempotency_keys ALTER COLUMN principal DROP DEFAULT;
ALTER TABLE idempotency_keys DROP CONSTRAINT idempotency_keys_pkey;
ALTER TABLE idempotency_keys ADD PRIMARY KEY (principal, idempotency_key);
