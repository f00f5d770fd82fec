#!/usr/bin/env bash
# Opens the example flow in the real editor window under a virtual display (Xvfb) and saves what the window
# shows as docs/editor.png (the picture in the README). Needs xvfb and libgtk-3-0 (apt-get install -y xvfb libgtk-3-0).
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-docs/editor.png}"
flow="${2:-examples/story-api.flow.json}"
command -v xvfb-run >/dev/null || { echo "xvfb-run is missing: apt-get install -y xvfb libgtk-3-0" >&2; exit 1; }
xvfb-run -a -s "-screen 0 1600x1000x24" ./flow editor --screenshot "$out" "$flow"
echo "wrote $out"
