#!/usr/bin/env bash
# Fills the git-ignored models/ folder: copies the test model from ../shared/models when it is there, else
# downloads it from its public address (curl, SHA-256 checked) when a network is there, else says where to get it.
# Safe to run again; a failed or wrong download leaves nothing behind. FLOWGRAPH_MODEL_URL overrides the address.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mkdir -p "$root/models"
model=stories260K.gguf
sha=270cba1bd5109f42d03350f60406024560464db173c0e387d91f0426d3bd256d
if [ -f "$root/models/$model" ]; then
  echo "models/$model is in place"
  exit 0
fi
for source in "${FLOWGRAPH_SHARED_MODELS:-}" "$root/../shared/models"; do
  if [ -n "$source" ] && [ -f "$source/$model" ]; then
    cp "$source/$model" "$root/models/$model.part"
    if [ "$(sha256sum "$root/models/$model.part" | cut -d' ' -f1)" != "$sha" ]; then
      rm -f "$root/models/$model.part"
      echo "fetch-models: $source/$model does not have the expected SHA-256 ($sha)" >&2
      exit 1
    fi
    mv "$root/models/$model.part" "$root/models/$model"
    echo "copied $model from $source into models/"
    exit 0
  fi
done
url="${FLOWGRAPH_MODEL_URL:-https://huggingface.co/ggml-org/models/resolve/main/tinyllamas/$model}"
if command -v curl >/dev/null; then
  echo "fetch-models: downloading $model from $url ..." >&2
  if curl -fsSL --connect-timeout 10 --max-time 120 -o "$root/models/$model.part" "$url"; then
    if [ "$(sha256sum "$root/models/$model.part" | cut -d' ' -f1)" = "$sha" ]; then
      mv "$root/models/$model.part" "$root/models/$model"
      echo "downloaded $model into models/ (SHA-256 checked)"
      exit 0
    fi
    echo "fetch-models: the download from $url does not have the expected SHA-256; removed it" >&2
  else
    echo "fetch-models: could not download from $url (no network, or the address is unreachable)" >&2
  fi
  rm -f "$root/models/$model.part"
fi
cat >&2 <<MSG
fetch-models: $model was not found locally.
Download it (1.2 MB, MIT licence) into $root/models/:
  huggingface.co/ggml-org/models, file tinyllamas/stories260K.gguf  (sha256 $sha)
Any other GGUF model works too: put it in models/ and point the flow's modelPath setting at it.
MSG
exit 1
