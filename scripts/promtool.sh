#!/usr/bin/env bash
# Prints the path of a promtool (Prometheus's rule checker), with which AlertRulesTest checks and unit-tests
# docker/prometheus/alerts.yml: $PROMTOOL if set, promtool on the PATH, else one put into a cache folder once, taken
# out of Debian's prometheus package (apt-get download: nothing is installed, nothing started). Check the rules
# yourself with:
#   "$(scripts/promtool.sh)" test rules docker/prometheus/alerts.test.yml
# Exits non-zero, saying why, when none can be had.
set -euo pipefail

if [ -n "${PROMTOOL:-}" ]; then
  echo "$PROMTOOL"
  exit 0
fi
if command -v promtool > /dev/null; then
  command -v promtool
  exit 0
fi
cache="${XDG_CACHE_HOME:-$HOME/.cache}/order-saga"
for found in "$cache"/promtool-*/promtool; do
  if [ -x "$found" ]; then
    echo "$found"
    exit 0
  fi
done

if ! command -v apt-get > /dev/null || ! command -v dpkg-deb > /dev/null; then
  echo "cannot get promtool without apt-get: install Prometheus (it comes with promtool), or set PROMTOOL" >&2
  exit 1
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
echo "taking promtool out of Debian's prometheus package into $cache (once) ..." >&2
(cd "$work" && apt-get download prometheus > /dev/null 2>&1) \
  || (cd "$work" && apt-get update -q > /dev/null 2>&1 && apt-get download prometheus > /dev/null 2>&1) \
  || { echo "apt-get could not download the prometheus package" >&2; exit 1; }
deb="$(ls "$work"/prometheus_*.deb)"
version="$(dpkg-deb -f "$deb" Version)"
dpkg-deb -x "$deb" "$work/x"
mkdir -p "$cache/promtool-debian-$version"
cp "$work/x/usr/bin/promtool" "$cache/promtool-debian-$version/promtool"
echo "$cache/promtool-debian-$version/promtool"
