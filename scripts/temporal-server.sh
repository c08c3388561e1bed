#!/usr/bin/env bash
# Prints the folder of the production Temporal server, for the local stack (--temporal=server) and the tests:
# $TEMPORAL_SERVER_HOME if set, else one built once with Go into a cache folder. The folder holds
#   bin/temporal-server      the server (go.temporal.io/server), which the compose stack runs as temporalio/server
#   bin/temporal-sql-tool    its schema tool, which docker/temporal/setup-database.sh calls
#   bin/temporal-ui-server   the Web UI server (temporalio/ui-server), temporalio/ui in the compose stack
#   schema/                  the server's SQL schemas, as /etc/temporal/schema in the images
# Exits non-zero, saying why, when none can be had.
set -euo pipefail

# The versions of docker/compose.yaml's images, and those the temporal CLI v1.5.1 embeds (scripts/temporal-cli.sh):
# building them after the CLI reuses its downloaded modules.
server_version=v1.29.1
ui_version=v2.42.1

if [ -n "${TEMPORAL_SERVER_HOME:-}" ]; then
  for program in temporal-server temporal-sql-tool temporal-ui-server; do
    if [ ! -x "$TEMPORAL_SERVER_HOME/bin/$program" ]; then
      echo "TEMPORAL_SERVER_HOME=$TEMPORAL_SERVER_HOME has no executable bin/$program" >&2
      exit 1
    fi
  done
  echo "$TEMPORAL_SERVER_HOME"
  exit 0
fi

home="${XDG_CACHE_HOME:-$HOME/.cache}/order-saga/temporal-server-$server_version-ui-$ui_version"
if [ -f "$home/complete" ]; then
  echo "$home"
  exit 0
fi
if ! command -v go > /dev/null; then
  echo "no Temporal server: set TEMPORAL_SERVER_HOME, or install Go 1.25+ so that it can be built" >&2
  exit 1
fi

echo "building the Temporal server $server_version and its UI server $ui_version with $(go version)" \
  "into $home (once, a few minutes) ..." >&2
rm -rf "$home"
build="$home/build"
# go install names each program after its folder (server, sql, server): each goes to a folder of its own first.
go_install="$(dirname "$0")/go-install.sh"
mkdir -p "$build/server" "$build/sql" "$build/ui" "$home/bin"
"$go_install" "go.temporal.io/server/cmd/server@$server_version" "$build/server"
"$go_install" "go.temporal.io/server/cmd/tools/sql@$server_version" "$build/sql"
"$go_install" "github.com/temporalio/ui-server/v2/cmd/server@$ui_version" "$build/ui"
mv "$build/server/server" "$home/bin/temporal-server"
mv "$build/sql/sql" "$home/bin/temporal-sql-tool"
mv "$build/ui/server" "$home/bin/temporal-ui-server"
cp -R "$(go env GOMODCACHE)/go.temporal.io/server@$server_version/schema" "$home/schema"
chmod -R u+w "$home/schema"
rm -rf "$build"
touch "$home/complete"
echo "$home"
