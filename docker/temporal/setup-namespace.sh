#!/bin/sh
# Creates the namespace the saga runs in and registers the search attributes the workflow sets and operators filter
# sagas by in the Web UI ($SEARCH_ATTRIBUTES, all Keyword). Idempotent: run on every `up` once the server is healthy.
set -eu
address="$TEMPORAL_ADDRESS"
namespace="$NAMESPACE"

attempts=0
until temporal operator cluster health --address "$address"; do
  attempts=$((attempts + 1))
  if [ "$attempts" -ge 30 ]; then
    echo "Temporal at $address is not healthy after 60 s" >&2
    exit 1
  fi
  sleep 2
done

# Closed sagas stay inspectable in the Web UI for a week.
temporal operator namespace describe --address "$address" --namespace "$namespace" >/dev/null 2>&1 \
  || temporal operator namespace create --address "$address" --namespace "$namespace" --retention 168h

for attribute in $SEARCH_ATTRIBUTES; do
  if ! temporal operator search-attribute list --address "$address" --namespace "$namespace" | grep -qw "$attribute"; then
    temporal operator search-attribute create --address "$address" --namespace "$namespace" \
      --name "$attribute" --type Keyword
  fi
done
