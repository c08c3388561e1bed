#!/usr/bin/env bash
# Prints the node_modules folder holding AsyncAPI's parser (npm @asyncapi/parser), with which AsyncApiDocumentTest
# validates docs/events/asyncapi.yaml: installed once into a cache folder. Validate the document yourself with:
#   node activities/src/test/resources/asyncapi/validate.mjs "$(scripts/asyncapi-parser.sh)" docs/events/asyncapi.yaml
# Exits non-zero, saying why, when it cannot be had.
set -euo pipefail

parser_version=3.6.6

home="${XDG_CACHE_HOME:-$HOME/.cache}/order-saga/asyncapi-parser-$parser_version"
if [ -f "$home/complete" ]; then
  echo "$home/node_modules"
  exit 0
fi
if ! command -v npm > /dev/null || ! command -v node > /dev/null; then
  echo "cannot install AsyncAPI's parser without Node.js 18+ and npm" >&2
  exit 1
fi
echo "installing @asyncapi/parser $parser_version into $home (once, a minute or so) ..." >&2
rm -rf "$home"
npm install --silent --no-audit --no-fund --prefix "$home" "@asyncapi/parser@$parser_version" >&2
touch "$home/complete"
echo "$home/node_modules"
