#!/usr/bin/env bash
# Benchmarks LlamaEdge's /v1/embeddings against the same embedder in-process (batches of 32, side by side), and PDF
# ingestion in pages per second on a generated 200-page PDF (see EmbeddingsBenchmark).
# Usage: scripts/bench-embeddings.sh [rounds] [batch] [pages]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
mvn -B -q -Pbench -DskipTests package -pl flow-bench -am
exec java -cp "flow-bench/target/flow-bench.jar:flow-bench/target/lib/*" dev.flowgraph.bench.EmbeddingsBenchmark "$@"
