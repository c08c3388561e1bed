#!/usr/bin/env bash
# Builds a Go program with `go install MODULE@VERSION` into the folder INTO, for scripts/temporal-cli.sh and
# scripts/temporal-server.sh; the build's output goes to stderr, so that those scripts print only their answer.
#   scripts/go-install.sh MODULE@VERSION INTO
set -euo pipefail
module="$1"
into="$2"
if ! GOBIN="$into" go install "$module" >&2; then
  # Machines that reach the module proxy but not the checksum database (sum.golang.org)
  echo "retrying without the Go checksum database" >&2
  GOSUMDB=off GOBIN="$into" go install "$module" >&2
fi
