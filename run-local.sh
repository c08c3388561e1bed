#!/usr/bin/env bash
# Runs the whole product on this machine (see README.md): builds the jars, then starts embedded PostgreSQL, a
# Kafka broker, Temporal, one worker process per service and the API, all on 127.0.0.1. Ctrl-C stops them all.
#   ./run-local.sh [--demo] [--tracing] [--temporal=dev|server|memory] [--api-port=8080] [--temporal-port=7233]
#                  [--temporal-ui-port=8233] [--kafka-port=9092] [--postgres-port=5433] [--zipkin-port=9411]
#                  [--dir=.local-stack]
# Temporal, with its Web UI, is the temporal CLI's dev server by default (built once with Go when there is none),
# else the in-memory test server; --temporal=server runs the production server on PostgreSQL. --tracing also runs
# Zipkin, to which every process sends its spans.
set -euo pipefail
cd "$(dirname "$0")"

java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
if ! command -v "$java" > /dev/null; then
  echo "run-local.sh needs a JDK 17 or newer: install one, or set JAVA_HOME" >&2
  exit 1
fi
version=$("$java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')
if [ "${version%%.*}" -lt 17 ]; then
  echo "run-local.sh needs a JDK 17 or newer; $java is $version" >&2
  exit 1
fi

temporal=
for argument in "$@"; do
  case "$argument" in
    --temporal=*) temporal="${argument#--temporal=}" ;;
  esac
done
case "$temporal" in
  "" | dev | server)
    # Without --temporal a missing CLI is no failure: the stack says it falls back to the in-memory server.
    if cli="$(scripts/temporal-cli.sh)"; then
      export TEMPORAL_CLI="$cli"
    elif [ -n "$temporal" ]; then
      exit 1
    fi
    ;;
esac
if [ "$temporal" = server ]; then
  TEMPORAL_SERVER_HOME="$(scripts/temporal-server.sh)"
  export TEMPORAL_SERVER_HOME
fi

echo "building the jars (the first run downloads the dependencies, a few minutes) ..."
./mvnw -B -q -DskipTests package -pl local,worker,api -am
exec "$java" -cp "local/target/local-stack.jar:local/target/lib/*" org.ordersaga.local.LocalStack "$@"
