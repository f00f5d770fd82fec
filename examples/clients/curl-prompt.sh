#!/usr/bin/env bash
# Streams a story from a flow served with `./flow serve examples/story-api.flow.json`.
# -N turns off curl's buffering so each event shows as it arrives.
curl -N "${FLOW_URL:-http://localhost:5050}/prompt" \
  --header 'Content-Type: application/json' \
  --header "X-API-Key: ${FLOW_API_KEY:?set FLOW_API_KEY to the flow's API key}" \
  --data "{\"message\": [{\"role\": \"user\", \"content\": \"${1:-Once upon a time,}\"}]}"
