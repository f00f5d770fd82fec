#!/usr/bin/env bash
# What branches, joins, sub-flows and loops cost, side by side (see GraphBenchmark).
# Usage: scripts/bench-graph.sh [rounds=30] [tokens=128] [warm-up rounds=200] [sub-flow calls=2000]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
./scripts/fetch-models.sh >/dev/null
mvn -B -q -Pbench -DskipTests package -pl flow-bench -am
exec java -cp "flow-bench/target/flow-bench.jar:flow-bench/target/lib/*" dev.flowgraph.bench.GraphBenchmark "$@"
