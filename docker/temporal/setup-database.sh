#!/bin/sh
# Creates Temporal's two databases on PostgreSQL and brings their schemas to the server's version. Idempotent: run
# on every `up` (by temporalio/admin-tools) before the server starts, it only applies what is missing. The local
# stack runs this same script against its embedded PostgreSQL, with the overrides below; the defaults are the
# compose stack's.
set -eu
# The password comes from SQL_PASSWORD.
host="${TEMPORAL_DB_HOST:-postgres}"
port="${TEMPORAL_DB_PORT:-5432}"
user="${TEMPORAL_DB_USER:-temporal}"
schemas="${TEMPORAL_SCHEMA_DIR:-/etc/temporal/schema}/postgresql/v12"
sql() { temporal-sql-tool --plugin postgres12 --ep "$host" -p "$port" -u "$user" "$@"; }

for database in temporal temporal_visibility; do
  sql --db "$database" create-database
done
sql --db temporal setup-schema -v 0.0
sql --db temporal update-schema -d "$schemas/temporal/versioned"
sql --db temporal_visibility setup-schema -v 0.0
sql --db temporal_visibility update-schema -d "$schemas/visibility/versioned"
