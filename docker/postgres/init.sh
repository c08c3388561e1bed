#!/bin/sh
# Runs once, when the postgres container initialises an empty data directory: creates the saga database's logins
# and schemas (logins.sql) with the passwords from the container's environment.
set -eu
psql --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" -v ON_ERROR_STOP=1 \
  -v temporal_password="$TEMPORAL_DB_PASSWORD" \
  -v orders_password="$ORDERS_DB_PASSWORD" \
  -v inventory_password="$INVENTORY_DB_PASSWORD" \
  -v payment_password="$PAYMENT_DB_PASSWORD" \
  -v shipping_password="$SHIPPING_DB_PASSWORD" \
  -v api_password="$API_DB_PASSWORD" \
  -f /saga/logins.sql
