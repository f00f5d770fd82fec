#!/usr/bin/env bash
# What holding a model to a JSON Schema costs per token, side by side (see StructuredBenchmark).
# Usage: scripts/bench-structured.sh [rounds=60] [warm-up rounds=100]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
./scripts/fetch-models.sh >/dev/null
mvn -B -q -Pbench -DskipTests package -pl flow-bench -am
exec java -cp "flow-bench/target/flow-bench.jar:flow-bench/target/lib/*" dev.flowgraph.bench.StructuredBenchmark "$@"
