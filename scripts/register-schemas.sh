#!/usr/bin/env bash
# Registers the events' JSON Schemas in a schema registry that speaks Confluent's REST API: Confluent Schema Registry,
# or Apicurio Registry at <registry>/apis/ccompat/v7. For teams that run one; the build does not need it.
#   scripts/register-schemas.sh REGISTRY_URL
#   REGISTRY_AUTHORIZATION="Bearer ..." scripts/register-schemas.sh https://registry.example.com/apis/ccompat/v7
# One subject per event type and schema version, <service>.<Type>.v<N> (payment.PaymentCharged.v2), and the
# envelope's, envelope.v1, each under BACKWARD_TRANSITIVE: within a version only compatible changes, as the build
# enforces; a breaking change is the next version, a subject of its own, bridged by the consumers' upcasters. Run it
# when a schema file changes, before the producers that write it are deployed. Exits non-zero on the first refusal.
set -euo pipefail
registry="${1:?usage: $0 REGISTRY_URL (Confluent REST API, e.g. Apicurio at .../apis/ccompat/v7)}"
registry="${registry%/}"
schemas="$(cd "$(dirname "$0")/../docs/events/schemas" && pwd)"
content_type="Content-Type: application/vnd.schemaregistry.v1+json"
auth=()
if [ -n "${REGISTRY_AUTHORIZATION:-}" ]; then
  auth=(-H "Authorization: $REGISTRY_AUTHORIZATION")
fi

request() { # METHOD PATH BODY: prints the registry's answer; on a refusal, says what and why, and stops
  local answer
  if ! answer="$(curl --fail-with-body --silent --show-error --max-time 30 -X "$1" -H "$content_type" "${auth[@]}" \
      --data "$3" "$registry$2" 2>&1)"; then
    echo "$1 $registry$2 refused: $answer" >&2
    exit 1
  fi
  echo "$answer"
}

register() { # SUBJECT FILE
  local body answer
  request PUT "/config/$1" '{"compatibility":"BACKWARD_TRANSITIVE"}' > /dev/null
  body="$(python3 -c 'import json, sys; print(json.dumps({"schemaType": "JSON", "schema": open(sys.argv[1]).read()}))' "$2")"
  answer="$(request POST "/subjects/$1/versions" "$body")"
  echo "$1: $answer"
}

register envelope.v1 "$schemas/envelope.v1.json"
for file in "$schemas"/*/*.v*.json; do
  service="$(basename "$(dirname "$file")")"
  register "$service.$(basename "$file" .json)" "$file"
done
