#!/usr/bin/env bash
# Benchmarks the editor with a generated 500-node, 700-wire flow: open + first render, and frame time while a
# node is dragged (see EditorBenchmark). Usage: scripts/bench-editor.sh [rounds] [dragFrames]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
mvn -B -q -Pbench -DskipTests package -pl flow-bench -am
exec java -cp "flow-bench/target/flow-bench.jar:flow-bench/target/lib/*" dev.flowgraph.bench.EditorBenchmark "$@"
