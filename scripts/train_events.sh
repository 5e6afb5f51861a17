#!/usr/bin/env bash
# Rebuild the shipped event model (docs/model.md): examples from detente.detect.event_data (runtime venv), fine-tuning
# of all-MiniLM-L6-v2 in the training venv (scripts/torch_venv.sh), ONNX export and int8 quantisation. Offline.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/torch_venv.sh
mkdir -p build
.venv/bin/python -m detente.detect.event_data build/event_examples.jsonl
OUT=src/detente/data/models/event-model-v2
"$TV" scripts/train_event_model.py --examples build/event_examples.jsonl --out "$OUT" "$@"
rm -f "$OUT.fp32.onnx" "$OUT.pt"
