#!/usr/bin/env bash
# Benchmarks serving several clients: one instance, one instance with parallel slots, two instances behind
# NGINX (see ScaleBenchmark). Needs nginx (Debian: apt-get install -y nginx).
# Usage: scripts/bench-scale.sh [rounds] [tokens per answer] [answers per client]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
./scripts/fetch-models.sh >/dev/null
mvn -B -q -Pbench -DskipTests package -pl flow-bench -am
exec java -cp "flow-bench/target/flow-bench.jar:flow-bench/target/lib/*" dev.flowgraph.bench.ScaleBenchmark "$@"
