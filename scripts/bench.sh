#!/usr/bin/env bash
# Benchmarks the serving path against raw llama.cpp generation, side by side (see ServeBenchmark).
# Usage: scripts/bench.sh [rounds] [tokens] [threads] [warm-up rounds]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
./scripts/fetch-models.sh >/dev/null
mvn -B -q -Pbench -DskipTests package -pl flow-bench -am
exec java -cp "flow-bench/target/flow-bench.jar:flow-bench/target/lib/*" dev.flowgraph.bench.ServeBenchmark "$@"
