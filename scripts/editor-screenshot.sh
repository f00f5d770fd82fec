#!/usr/bin/env bash
# Regenerates the README's pictures from the real editor (headless, Monocle), as its tests leave it:
#   docs/editor.png       examples/router-api.flow.json after a run, the model's part in the inspector
#   docs/editor-runs.png  the Runs panel with runs a separate serving process recorded
# Needs the test model (./scripts/fetch-models.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q install -DskipTests -pl flow-ui -am
mvn -B -q test -pl flow-ui -Dtest='RunInspectorTest,RunsPanelTest' -Dsurefire.failIfNoSpecifiedTests=false
cp flow-ui/target/screens/editor.png docs/editor.png
cp flow-ui/target/screens/editor-runs.png docs/editor-runs.png
echo "wrote docs/editor.png and docs/editor-runs.png"
