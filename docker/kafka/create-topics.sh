#!/bin/sh
# Creates the topics the services publish to and their dead-letter topics (the broker does not auto-create topics).
# Idempotent. Six partitions: an order's events share its key, so they stay ordered whatever the count. Each on
# $REPLICATION_FACTOR brokers; a write is taken once $MIN_IN_SYNC_REPLICAS of them have it.
set -eu
for topic in $TOPICS; do
  /opt/kafka/bin/kafka-topics.sh --bootstrap-server "$BOOTSTRAP_SERVERS" --create --if-not-exists \
    --topic "$topic" --partitions 6 --replication-factor "$REPLICATION_FACTOR" \
    --config min.insync.replicas="$MIN_IN_SYNC_REPLICAS"
done
