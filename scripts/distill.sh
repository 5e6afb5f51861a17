#!/usr/bin/env bash
# Rebuild the shipped static embeddings: distil all-MiniLM-L6-v2 into a model2vec model. Needs torch, so it runs in
# the training venv (scripts/torch_venv.sh); the runtime venv never gets torch. Offline: nothing is fetched.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/torch_venv.sh
"$TV" scripts/distill.py "$@"
