"""The fast stand-in for the model's attribute_ruler gives the very same annotations (detente.annotate.speed_up)."""

from __future__ import annotations

from importlib import resources

import pytest
import spacy

from detente.annotate import MODEL_NAMES, FastAttributes, speed_up, split_sentences


def _load():
    for name in MODEL_NAMES:
        try:
            return spacy.load(name, disable=["ner"])
        except OSError:
            continue
    pytest.skip("no English model installed")


def _sentences() -> list[str]:
    folder = resources.files("detente") / "data" / "sample"
    texts = [f.read_text(encoding="utf-8") for f in sorted(folder.iterdir(), key=lambda f: f.name)
             if f.name.endswith(".txt")]
    extra = ["THE GUERRILLAS AIN'T GONNA STOP, HE SAID.", "there are y'all and c'mon, let's go!",
             "It was the police who did it, and they did n't stop.", "  \n  Spaces\t\tand\n\nbreaks  "]
    return [t[s:e] for t in texts for s, e in split_sentences(t)] + extra


def test_same_annotations_as_the_attribute_ruler():
    base, fast = _load(), speed_up(_load())
    assert isinstance(fast.get_pipe("attribute_ruler"), FastAttributes)
    assert fast.pipe_names == base.pipe_names and fast.component_names == base.component_names
    sents = _sentences()
    assert len(sents) > 200
    n = 0
    for a, b in zip(base.pipe(sents), fast.pipe(sents)):
        for x, y in zip(a, b):
            n += 1
            assert (x.pos_, x.tag_, x.dep_, x.lemma_, str(x.morph)) == \
                   (y.pos_, y.tag_, y.dep_, y.lemma_, str(y.morph)), (x.text, a.text)
    assert n > 4000


def test_speed_up_is_idempotent_and_leaves_other_pipelines_alone():
    nlp = speed_up(_load())
    ruler = nlp.get_pipe("attribute_ruler")
    assert speed_up(nlp).get_pipe("attribute_ruler") is ruler
    blank = spacy.blank("en")
    assert speed_up(blank) is blank and blank.pipe_names == []
