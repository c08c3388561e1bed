#!/bin/sh
# Creates the topics the services publish to and their dead-letter topics (the broker does not auto-create topics).
# Idempotent. Six partitions: an order's events share its key, so they stay ordered whatever the count.
set -eu
for topic in $TOPICS; do
  /opt/kafka/bin/kafka-topics.sh --bootstrap-server "$BOOTSTRAP_SERVERS" --create --if-not-exists \
    --topic "$topic" --partitions 6 --replication-factor 1
done
