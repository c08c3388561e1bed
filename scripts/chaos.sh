#!/usr/bin/env bash
# The chaos run: builds the jars, starts the product on the production Temporal server (PostgreSQL persistence and
# visibility), PostgreSQL and Kafka, and places orders of every outcome over HTTP while it SIGKILLs and restarts each
# worker, SIGKILLs and restarts the Temporal server, restarts the Kafka broker and crashes relays between publish and
# mark, with a share of every service's activity attempts failing on purpose. Then it audits: every saga terminal,
# stock and money conserved, no double charge, every order's events on Kafka as docs/events.md gives them, the order
# view equal to the sagas. Writes target/chaos/report.md; exits 1 on any violation.
#
#   scripts/chaos.sh [--orders=10000] [--rate=4] [--fault-rate=0.05] [--out=target/chaos]
#
# The Temporal server and CLI are built once by scripts/temporal-server.sh and scripts/temporal-cli.sh (Go 1.25+).
# About 40 minutes with the defaults on 2 cores; --orders=300 takes about 3.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -DskipTests package -pl chaos,worker,api -am
TEMPORAL_CLI="${TEMPORAL_CLI:-$(scripts/temporal-cli.sh)}"
TEMPORAL_SERVER_HOME="${TEMPORAL_SERVER_HOME:-$(scripts/temporal-server.sh)}"
export TEMPORAL_CLI TEMPORAL_SERVER_HOME
exec java -cp "chaos/target/chaos.jar:chaos/target/lib/*" org.ordersaga.chaos.Chaos "$@"
