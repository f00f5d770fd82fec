#!/usr/bin/env bash
# Benchmarks retrieval with the built-in embedder: ingestion chunks/s through the example ingestion flow, query
# latency (embed + search) at 10k chunks, index size per 1k chunks (see RagBenchmark).
# Usage: scripts/bench-rag.sh [chunks] [queries] [rounds]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
mvn -B -q -Pbench -DskipTests package -pl flow-bench -am
exec java -cp "flow-bench/target/flow-bench.jar:flow-bench/target/lib/*" dev.flowgraph.bench.RagBenchmark "$@"
