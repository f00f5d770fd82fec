#!/usr/bin/env bash
# The LocalLab, MCP and jobs dialects against /prompt on one served flow, side by side (see DialectsBenchmark).
# Usage: scripts/bench-dialects.sh [rounds=30] [tokens=128] [warm-up rounds=100]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
./scripts/fetch-models.sh >/dev/null
mvn -B -q -Pbench -DskipTests package -pl flow-bench -am
exec java -cp "flow-bench/target/flow-bench.jar:flow-bench/target/lib/*" dev.flowgraph.bench.DialectsBenchmark "$@"
