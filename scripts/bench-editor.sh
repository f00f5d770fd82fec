#!/usr/bin/env bash
# Benchmarks the editor with a generated 1,000-node, 1,400-wire flow: open + first render, frame time while a
# node is dragged, auto layout, and the inspector on a 3,000-token run (see EditorBenchmark).
# Usage: scripts/bench-editor.sh [rounds] [dragFrames] [nodes]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
mvn -B -q -Pbench -DskipTests package -pl flow-bench -am
exec java -cp "flow-bench/target/flow-bench.jar:flow-bench/target/lib/*" dev.flowgraph.bench.EditorBenchmark "$@"
