"""The learned event model: it loads only when its manifest fits, and it reads sentences in context."""

from __future__ import annotations

import json
import shutil

import pytest

from detente.detect.event_model import MODEL, EventModel, load_event_model, model_dir, shipped
from detente.detect.train import REPO
from detente.errors import DetenteError

pytestmark = pytest.mark.skipif(not shipped(), reason="no event model shipped")


def _copy(tmp_path):
    src = model_dir()
    for name in (f"{MODEL}.json", f"{MODEL}.onnx"):
        shutil.copy(src / name, tmp_path / name)
    shutil.copytree(src / f"{MODEL}.tokenizer", tmp_path / f"{MODEL}.tokenizer")
    return tmp_path / MODEL


def test_reads_events_and_non_events():
    model = load_event_model()
    attack, match, talks = model.read([
        "Government troops shelled the rebel-held town on Monday, killing five civilians.",
        "The home side won the match 3-1 after a late goal from the captain.",
        "The foreign ministers of India and China met in Beijing to discuss the border dispute.",
    ])
    assert attack.best()[0] == "ASSAULT" and attack.types["ASSAULT"] > 0.5
    assert match.best()[1] < 0.5
    assert talks.best()[0] == "CONSULT"
    assert abs(sum(attack.modality.values()) - 1.0) < 1e-4


def test_context_is_read():
    model = load_event_model()
    with_ctx, = model.read(["They fired him on Tuesday."], ["Company board ousts chief executive over accounts"])
    assert with_ctx.types["ASSAULT"] < 0.5


@pytest.mark.parametrize("change, message", [
    (lambda m: m["outputs"].update(types=m["outputs"]["types"][:-1] + ["BOGUS"]), "type labels"),
    (lambda m: m.update(version=99), "version"),
    (lambda m: m.update(sha256="0" * 64), "sha256"),
])
def test_a_manifest_that_does_not_fit_is_one_clear_error(tmp_path, change, message):
    path = _copy(tmp_path)
    manifest = json.loads(path.with_suffix(".json").read_text())
    change(manifest)
    path.with_suffix(".json").write_text(json.dumps(manifest))
    with pytest.raises(DetenteError, match=message) as info:
        EventModel(path).initialize()
    assert info.value.code == "E611"


def test_manifest_lists_trained_ids():
    model = load_event_model()
    assert model.trained_ids_ and all(isinstance(i, str) for i in model.trained_ids_)
    dev_path = REPO / "data" / "gold" / "realnews" / "dev.jsonl"
    dev = [json.loads(line)["id"] for line in dev_path.open(encoding="utf-8")] if dev_path.is_file() else []
    assert not set(dev) & model.trained_ids_  # the dev split is never trained on


def test_a_word_classifier_that_does_not_fit_its_cue_table_is_one_error_at_start_up(monkeypatch):
    import re

    from detente.detect import classifier
    from detente.detect.detector import EventDetector

    families = classifier.cue_families()
    assert classifier.TypeClassifier().initialize().classes_  # the shipped one fits
    # one extra row in classifier_cues.tsv used to make every article a reject; now loading says why, once
    monkeypatch.setattr(classifier, "cue_families", lambda: families + (("extra", re.compile("x")),))
    classifier.load_classifier.cache_clear()
    try:
        with pytest.raises(DetenteError, match="cue families") as info:
            EventDetector().initialize()
        assert info.value.code == "E612"
    finally:
        classifier.load_classifier.cache_clear()
