#!/bin/sh
# Creates Temporal's two databases on PostgreSQL and brings their schemas to the server's version. Idempotent: run
# on every `up` (by temporalio/admin-tools) before the server starts, it only applies what is missing.
set -eu
# The password comes from SQL_PASSWORD.
sql() { temporal-sql-tool --plugin postgres12 --ep postgres -p 5432 -u temporal "$@"; }
schemas=/etc/temporal/schema/postgresql/v12

for database in temporal temporal_visibility; do
  sql --db "$database" create-database
done
sql --db temporal setup-schema -v 0.0
sql --db temporal update-schema -d "$schemas/temporal/versioned"
sql --db temporal_visibility setup-schema -v 0.0
sql --db temporal_visibility update-schema -d "$schemas/visibility/versioned"
