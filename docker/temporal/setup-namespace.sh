#!/bin/sh
# Creates the namespace the saga runs in and registers the search attributes the workflow sets and operators filter
# sagas by in the Web UI ($SEARCH_ATTRIBUTES, all Keyword). Idempotent: run on every `up` once the server is healthy.
set -eu
address="$TEMPORAL_ADDRESS"
namespace="$NAMESPACE"

# Runs the rest of the line every 2 s until it succeeds, for at most a minute; $1 says what it waits for.
retry() {
  what="$1"
  shift
  attempts=0
  until "$@"; do
    attempts=$((attempts + 1))
    if [ "$attempts" -ge 30 ]; then
      echo "still not $what after 60 s" >&2
      exit 1
    fi
    sleep 2
  done
}

retry "healthy: Temporal at $address" temporal operator cluster health --address "$address"

# Closed sagas stay inspectable in the Web UI for a week.
temporal operator namespace describe --address "$address" --namespace "$namespace" >/dev/null 2>&1 \
  || temporal operator namespace create --address "$address" --namespace "$namespace" --retention 168h

# The frontend learns of a new namespace when it next refreshes its cache, seconds later: until then "not found".
list_attributes() {
  existing="$(temporal operator search-attribute list --address "$address" --namespace "$namespace")"
}
retry "served by $address: namespace $namespace" list_attributes
for attribute in $SEARCH_ATTRIBUTES; do
  if ! echo "$existing" | grep -qw "$attribute"; then
    temporal operator search-attribute create --address "$address" --namespace "$namespace" \
      --name "$attribute" --type Keyword
  fi
done
