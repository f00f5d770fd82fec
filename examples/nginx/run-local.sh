#!/usr/bin/env bash
# Runs N headless instances of a flow plus NGINX in front of them, all on this machine, until Ctrl-C; then stops
# them all (the instances drain: streams in flight finish first).
#
#   FLOW_API_KEY=QWERTY123 examples/nginx/run-local.sh [N=3] [FLOW=examples/story-api.flow.json]
#
# Instances listen on 127.0.0.1:$BASE_PORT.. (default 5050..), NGINX on $LISTEN_PORT (default 8080). Logs and
# NGINX's files go to $WORK_DIR (default: a new temporary directory).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
n="${1:-3}"
flow_file="${2:-$root/examples/story-api.flow.json}"
base="${BASE_PORT:-5050}"
listen="${LISTEN_PORT:-8080}"
work="${WORK_DIR:-$(mktemp -d -t flowgraph-nginx.XXXXXX)}"
nginx_bin="$(command -v nginx || echo /usr/sbin/nginx)"

[ -x "$nginx_bin" ] || { echo "run-local: nginx is not installed (Debian: apt-get install -y nginx)" >&2; exit 1; }
[ -n "${FLOW_API_KEY:-}" ] || { echo "run-local: set FLOW_API_KEY (the key clients send as X-API-Key)" >&2; exit 1; }
mkdir -p "$work/logs"

"$root/flow" nginx --instances "$n" --base-port "$base" --listen "$listen" -o "$work/nginx.conf"

pids=()
nginx_pid=""
stop() {
  trap - INT TERM EXIT
  echo "run-local: stopping (instances finish their streams first)" >&2
  [ -n "$nginx_pid" ] && kill -QUIT "$nginx_pid" 2>/dev/null || true
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop INT TERM EXIT

for ((i = 0; i < n; i++)); do
  port=$((base + i))
  "$root/flow" serve "$flow_file" --port "$port" --host 127.0.0.1 >"$work/logs/instance-$port.log" 2>&1 &
  pids+=($!)
done
for ((i = 0; i < n; i++)); do
  port=$((base + i))
  for _ in $(seq 1 600); do
    grep -q '^Serving flow' "$work/logs/instance-$port.log" 2>/dev/null && break
    kill -0 "${pids[$i]}" 2>/dev/null || { echo "run-local: instance on $port failed:" >&2; cat "$work/logs/instance-$port.log" >&2; exit 1; }
    sleep 0.1
  done
done

# As root, NGINX's workers would otherwise run as 'nobody'.
user_directive=""
[ "$(id -u)" = 0 ] && user_directive="user root;"
"$nginx_bin" -p "$work" -c "$work/nginx.conf" -g "daemon off; $user_directive" &
nginx_pid=$!

echo "Serving $n instances of $(basename "$flow_file") behind NGINX at http://127.0.0.1:$listen/prompt  (Ctrl-C stops all)"
echo "Logs: $work/logs"
echo "Try: curl -N http://127.0.0.1:$listen/prompt -H 'Content-Type: application/json' -H \"X-API-Key: \$FLOW_API_KEY\" \\"
echo "       -d '{\"message\":[{\"role\":\"user\",\"content\":\"Once upon a time,\"}]}'"
wait "$nginx_pid"
