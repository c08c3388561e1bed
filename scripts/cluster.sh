#!/usr/bin/env bash
# The compose topology without Docker: the API and one process per worker (payment twice) started from the packaged
# jars against a Temporal, PostgreSQL and Kafka you already run, each service with its own database login.
#
#   scripts/cluster.sh start | status | stop
#
# Build the jars first: ./mvnw -B -DskipTests package -pl worker,api -am
# Settings (environment variables, defaults in brackets):
#   SAGA_TEMPORAL_TARGET [127.0.0.1:7233]  SAGA_TEMPORAL_NAMESPACE [default]
#   SAGA_KAFKA_BOOTSTRAP_SERVERS [127.0.0.1:9092]
#   SAGA_DB_URL [jdbc:postgresql://127.0.0.1:5432/saga]: the database docker/postgres/logins.sql set up
#   <SERVICE>_DB_USERNAME [the service's login: orders, inventory, payment, shipping, api]
#   <SERVICE>_DB_PASSWORD [empty]  e.g. `set -a; . docker/.env; set +a` for the compose passwords
#   SAGA_SECURITY_ISSUER, SAGA_SECURITY_JWKS_URL [required]: the identity provider whose bearer tokens the API accepts
#   SAGA_SECURITY_AUDIENCE [order-saga]: what those tokens' aud must hold
#   SAGA_PAYLOAD_ENCRYPTION_KEYS, SAGA_PAYLOAD_ENCRYPTION_KEY_ID [a key made on the first start, kept in
#     $CLUSTER_DIR/payload-keys.env]: the keys that encrypt what the processes hand to Temporal (README, "Personal
#     data and Temporal"); every process gets the same
#   SAGA_DEMO_DATA [false]: seed the demo catalog and customers
#   API_HOST [127.0.0.1]  API_PORT [8080]  PAYMENT_REPLICAS [2]
#   WORKER_PORT_BASE [8081]: the workers serve /prometheus and /health on BASE, BASE+1, ... in start order
#     (0: each on a free port it picks, named in its log)
#   CLUSTER_DIR [.cluster]: pid files and logs
#   JAVA_TOOL_OPTIONS [-XX:TieredStopAtLevel=1]: every process's JVM options (C1 only, as the images run them;
#     README "Performance" says why)
set -euo pipefail
shopt -s nullglob

root="$(cd "$(dirname "$0")/.." && pwd)"
cluster_dir="${CLUSTER_DIR:-$root/.cluster}"
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
worker_jar="$root/worker/target/worker.jar"
api_jar="$root/api/target/api.jar"
db_url="${SAGA_DB_URL:-jdbc:postgresql://127.0.0.1:5432/saga}"
# A worker finishes its activities in flight on SIGTERM within 30 s (saga.shutdown-grace).
stop_grace_seconds=40

usage() {
  awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"
  exit 2
}

# datasource NAME SCHEMA SERVICE: the variables of Micronaut datasource NAME, with SERVICE's login
datasource() {
  local prefix="DATASOURCES_${1^^}_" login="${3^^}"
  local username_variable="${login}_DB_USERNAME" password_variable="${login}_DB_PASSWORD"
  printf '%s\n' "${prefix}URL=$db_url" "${prefix}USERNAME=${!username_variable:-$3}" \
    "${prefix}PASSWORD=${!password_variable:-}" "${prefix}SCHEMA=$2"
}

common() {
  printf '%s\n' "JAVA_TOOL_OPTIONS=${JAVA_TOOL_OPTIONS:--XX:TieredStopAtLevel=1}" \
    "SAGA_TEMPORAL_TARGET=${SAGA_TEMPORAL_TARGET:-127.0.0.1:7233}" \
    "SAGA_TEMPORAL_NAMESPACE=${SAGA_TEMPORAL_NAMESPACE:-default}" \
    "SAGA_KAFKA_BOOTSTRAP_SERVERS=${SAGA_KAFKA_BOOTSTRAP_SERVERS:-127.0.0.1:9092}"
  payload_keys
}

# The payload keys given, or else the cluster's own, made once: sagas in Temporal outlive a restart, and so must it.
payload_keys() {
  local file="$cluster_dir/payload-keys.env" id
  if [[ -n "${SAGA_PAYLOAD_ENCRYPTION_KEYS:-}" ]]; then
    printf '%s\n' "SAGA_PAYLOAD_ENCRYPTION_KEYS=$SAGA_PAYLOAD_ENCRYPTION_KEYS" \
      "SAGA_PAYLOAD_ENCRYPTION_KEY_ID=${SAGA_PAYLOAD_ENCRYPTION_KEY_ID:?is not set: name the key of SAGA_PAYLOAD_ENCRYPTION_KEYS that encrypts}"
    return
  fi
  if [[ ! -f "$file" ]]; then
    id="cluster-$(date -u +%Y%m%d%H%M%S)"
    (umask 077 && printf '%s\n' "SAGA_PAYLOAD_ENCRYPTION_KEYS=$id:$(head -c 32 /dev/urandom | base64)" \
      "SAGA_PAYLOAD_ENCRYPTION_KEY_ID=$id" >"$file")
    echo "made the payload encryption key $id in $file: keep it as long as Temporal keeps histories" >&2
  fi
  cat "$file"
}

# launch NAME JAR: starts the jar with the variables read from stdin, in the background, recording its pid
launch() {
  local name="$1" jar="$2" variables=()
  mapfile -t variables
  if [[ ! -f "$jar" ]]; then
    echo "$jar is missing: ./mvnw -B -DskipTests package -pl worker,api -am" >&2
    exit 1
  fi
  env "${variables[@]}" "$java" -jar "$jar" >>"$cluster_dir/logs/$name.log" 2>&1 &
  echo $! >"$cluster_dir/$name.pid"
  echo "started $name (pid $!), log $cluster_dir/logs/$name.log"
}

# worker NAME SERVICE: a worker process running SERVICE on its own schema with its own login
workers_started=0
worker() {
  local schema="$2" base="${WORKER_PORT_BASE:-8081}" port=-1
  [[ "$base" != 0 ]] && port=$((base + workers_started))
  workers_started=$((workers_started + 1))
  { common; echo "SAGA_SERVICES=$2"; echo "SAGA_DEMO_DATA=${SAGA_DEMO_DATA:-false}"; echo "MICRONAUT_SERVER_PORT=$port"
    datasource "$schema" "$schema" "$schema"; } | launch "$1" "$worker_jar"
}

api() {
  { common; echo "MICRONAUT_SERVER_HOST=${API_HOST:-127.0.0.1}"; echo "MICRONAUT_SERVER_PORT=${API_PORT:-8080}"
    echo "SAGA_SECURITY_ISSUER=$SAGA_SECURITY_ISSUER"; echo "SAGA_SECURITY_JWKS_URL=$SAGA_SECURITY_JWKS_URL"
    echo "SAGA_SECURITY_AUDIENCE=${SAGA_SECURITY_AUDIENCE:-order-saga}"
    datasource api api api; datasource orderview order_view api
    datasource inventory inventory api; datasource payment payment api; } | launch api "$api_jar"
}

# the pid in NAME's pid file, if that process is still running one of our jars
running_pid() {
  local file="$cluster_dir/$1.pid" pid
  [[ -f "$file" ]] || return 1
  pid="$(cat "$file")"
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qE -- "-jar [^ ]*(worker|api)\.jar" || return 1
  echo "$pid"
}

names() {
  local file
  for file in "$cluster_dir"/*.pid; do
    basename "$file" .pid
  done
}

start() {
  local variable
  for variable in SAGA_SECURITY_ISSUER SAGA_SECURITY_JWKS_URL; do
    if [[ -z "${!variable:-}" ]]; then
      echo "$variable is not set: the API accepts the bearer tokens of the identity provider these name" >&2
      exit 1
    fi
  done
  if [[ -n "$(status_lines running)" ]]; then
    echo "already running (scripts/cluster.sh status); stop it first" >&2
    exit 1
  fi
  rm -f "$cluster_dir"/*.pid
  mkdir -p "$cluster_dir/logs"
  worker orders orders
  worker inventory inventory
  for replica in $(seq 1 "${PAYMENT_REPLICAS:-2}"); do
    worker "payment-$replica" payment
  done
  worker shipping shipping
  api
  echo "API: http://${API_HOST:-127.0.0.1}:${API_PORT:-8080} (ready when /health answers 200)"
}

status_lines() {
  local name pid
  for name in $(names); do
    if pid="$(running_pid "$name")"; then
      echo "$name running (pid $pid)"
    elif [[ "${1:-}" != running ]]; then
      echo "$name not running"
    fi
  done
}

stop() {
  local name pid pids=() waited=0
  for name in $(names); do
    if pid="$(running_pid "$name")"; then
      kill -TERM "$pid" && pids+=("$pid") && echo "stopping $name (pid $pid)"
    fi
  done
  while ((${#pids[@]} > 0)) && ((waited < stop_grace_seconds)); do
    sleep 1
    waited=$((waited + 1))
    local alive=()
    for pid in "${pids[@]}"; do
      kill -0 "$pid" 2>/dev/null && alive+=("$pid")
    done
    pids=("${alive[@]+"${alive[@]}"}")
  done
  for pid in "${pids[@]+"${pids[@]}"}"; do
    echo "pid $pid did not stop within ${stop_grace_seconds} s: killing it" >&2
    kill -KILL "$pid" 2>/dev/null || true
  done
  rm -f "$cluster_dir"/*.pid
}

case "${1:-}" in
  start) start ;;
  status) status_lines ;;
  stop) stop ;;
  *) usage ;;
esac
