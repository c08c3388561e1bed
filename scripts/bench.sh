#!/usr/bin/env bash
# The benchmark: builds the jars, then starts the local stack and runs every scenario (saga throughput through the
# API at increasing rates, the orchestration ceiling with no-op activities, the outbox relay beside the raw producer,
# the API's overhead over starting workflows directly), writing target/bench/report.md and report.json: throughput,
# latency, and what each saga costs in CPU, process by process, with the Temporal SDK's metrics, PostgreSQL's
# commits and JFR's top frames.
#
#   scripts/bench.sh [--rates=2,4,6,8,10,15,20,30] [--jit-warmup=60s] [--warmup=10s] [--duration=30s]
#                    [--relay-events=20000] [--relay-backlog=100000] [--relay-paced-rate=1000] [--api-requests=400]
#                    [--api-clients=8] [--workflow-pollers=2] [--activity-pollers=2]
#                    [--max-concurrent-workflow-tasks=200] [--max-concurrent-activities=200]
#                    [--workflow-cache-size=600] [--relay-batch-size=500] [--out=target/bench]
#
# Temporal: the dev server of the temporal CLI that scripts/temporal-cli.sh finds or builds, else the in-memory test
# server (the report says which). About 20 minutes with the defaults on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -DskipTests package -pl bench,worker,api -am
if [[ -z "${TEMPORAL_CLI:-}" ]] && cli="$(scripts/temporal-cli.sh 2>/dev/null)"; then
  export TEMPORAL_CLI="$cli"
fi
exec java -cp "bench/target/bench.jar:bench/target/lib/*" org.ordersaga.bench.Bench "$@"
