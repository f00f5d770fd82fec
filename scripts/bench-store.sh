#!/usr/bin/env bash
# What run history and conversation memory cost a served flow, side by side (see StoreBenchmark).
# Needs PostgreSQL from Debian (apt-get install -y postgresql); the benchmark starts a throwaway server itself.
# Usage: scripts/bench-store.sh [rounds=30] [tokens=128] [warm-up rounds=200]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
./scripts/fetch-models.sh >/dev/null
mvn -B -q -Pbench -DskipTests package -pl flow-bench -am
exec java -cp "flow-bench/target/flow-bench.jar:flow-bench/target/lib/*" dev.flowgraph.bench.StoreBenchmark "$@"
