#!/usr/bin/env bash
# Benchmarks the first requests after a start against later ones, side by side (see WarmStartBenchmark).
# Usage: scripts/bench-warm.sh [rounds=3] [requests=450] [tokens=128]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
./scripts/fetch-models.sh >/dev/null
mvn -B -q -Pbench -DskipTests package -pl flow-bench -am
./flow nodes >/dev/null # builds the launcher's jar, libraries and class-data archive before anything is timed
exec java -cp "flow-bench/target/flow-bench.jar:flow-bench/target/lib/*" dev.flowgraph.bench.WarmStartBenchmark "$@"
