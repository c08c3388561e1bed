#!/usr/bin/env bash
# Prints a bearer token signed with the running local stack's key (./run-local.sh made the key and built the jar):
#   scripts/token.sh SUBJECT [--operator] [--hours=24] [--dir=.local-stack]
# SUBJECT is a customer id (the token may place, read and cancel that customer's orders and read its balance) or,
# with --operator, an operator's name (the token may do everything). Use it as: -H "Authorization: Bearer $(...)".
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ ! -f local/target/local-stack.jar ]]; then
  echo "local/target/local-stack.jar is missing: start the stack with ./run-local.sh first" >&2
  exit 1
fi
exec "${JAVA_HOME:+$JAVA_HOME/bin/}java" -cp "local/target/local-stack.jar:local/target/lib/*" \
  org.ordersaga.local.MintToken "$@"
