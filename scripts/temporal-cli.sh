#!/usr/bin/env bash
# Prints the path of a `temporal` CLI (the real Temporal dev server and its Web UI), for the tests and the local
# stack: $TEMPORAL_CLI if set, else `temporal` on the PATH, else one built once with Go into a cache folder.
# Exits non-zero, saying why, when none can be had.
set -euo pipefail

version=v1.5.1   # the newest tag `go install` accepts: later go.mod files carry `replace` directives

if [ -n "${TEMPORAL_CLI:-}" ]; then
  if [ -x "$TEMPORAL_CLI" ]; then
    echo "$TEMPORAL_CLI"
    exit 0
  fi
  echo "TEMPORAL_CLI=$TEMPORAL_CLI is not an executable file" >&2
  exit 1
fi
if command -v temporal > /dev/null; then
  command -v temporal
  exit 0
fi

cache="${XDG_CACHE_HOME:-$HOME/.cache}/order-saga/temporal-cli-$version"
if [ -x "$cache/temporal" ]; then
  echo "$cache/temporal"
  exit 0
fi
if ! command -v go > /dev/null; then
  echo "no temporal CLI: set TEMPORAL_CLI, put temporal on the PATH, or install Go 1.25+ so that it can be built" >&2
  exit 1
fi
mkdir -p "$cache"
echo "building the temporal CLI $version with $(go version) into $cache (once, a few minutes) ..." >&2
"$(dirname "$0")/go-install.sh" "github.com/temporalio/cli/cmd/temporal@$version" "$cache"
echo "$cache/temporal"
