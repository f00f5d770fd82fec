#!/usr/bin/env bash
# What an Agent adds per step beyond its model and tools, side by side (see AgentBenchmark).
# Usage: scripts/bench-agent.sh [rounds=200] [steps=4] [warm-up rounds=300]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
./scripts/fetch-models.sh >/dev/null
mvn -B -q -Pbench -DskipTests package -pl flow-bench -am
exec java -cp "flow-bench/target/flow-bench.jar:flow-bench/target/lib/*" dev.flowgraph.bench.AgentBenchmark "$@"
