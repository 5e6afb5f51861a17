"""Tolls: expectations written by hand from the conventions in docs/tolls.md."""

from __future__ import annotations

import pytest

from detente.errors import DetenteError
from detente.resolve.tolls import find_tolls, parse_count


@pytest.mark.parametrize(
    ("phrase", "low", "best", "high"),
    [
        ("nine", 9, 9, 9),
        ("12", 12, 12, 12),
        ("1,200", 1200, 1200, 1200),
        ("at least 12", 12, 12, None),
        ("more than 100", 101, 101, None),
        ("up to 30", None, 30, 30),
        ("nearly 50", None, 50, 50),
        ("some 40", None, 40, None),
        ("two dozen", 24, 24, 24),
        ("a dozen", 12, 12, 12),
        ("dozens", 12, 12, None),
        ("scores", 20, 20, None),
        ("hundreds", 100, 100, None),
        ("tens", 10, 10, None),
        ("between 10 and 15", 10, 10, 15),
        ("twenty-one", 21, 21, 21),
        ("three hundred", 300, 300, 300),
    ],
)
def test_parse_count(phrase: str, low: int | None, best: int | None, high: int | None) -> None:
    c = parse_count(phrase)
    assert c is not None
    assert (c.low, c.best, c.high) == (low, best, high)


@pytest.mark.parametrize("phrase", ["50 km", "the government", "", "twelve apostles"])
def test_parse_count_rejects(phrase: str) -> None:
    assert parse_count(phrase) is None


@pytest.mark.parametrize(
    ("sentence", "killed", "injured", "who"),
    [
        ("Three people including two children were killed in the blast.", (3, 3, 3), None, ["children"]),
        ("The strike hit the market, killing at least 12.", (12, 12, None), None, []),
        ("The bomb left 5 dead.", (5, 5, 5), None, []),
        ("Officials reported 9 fatalities.", (9, 9, 9), None, []),
        ("The death toll rose to 31.", (31, 31, 31), None, []),
        ("Troops wounded 7 protesters.", None, (7, 7, 7), ["protesters"]),
        ("Police opened fire, injuring dozens.", None, (12, 12, None), []),
        ("Two children died in the fire.", (2, 2, 2), None, ["children"]),
        ("Residents mourned the death of two children.", (2, 2, 2), None, ["children"]),
        ("At least 82 were killed and more than 1,700 injured.", (82, 82, None), (1701, 1701, None), []),
        ("Gunmen killed four policemen in Quetta.", (4, 4, 4), None, ["police"]),
        ("A soldier was killed and three others were wounded.", (1, 1, 1), (3, 3, 3), ["soldiers"]),
        ("Between 10 and 15 civilians were killed.", (10, 10, 15), None, ["civilians"]),
    ],
)
def test_find_tolls_table(sentence: str, killed, injured, who) -> None:
    tolls = find_tolls(sentence)
    assert len(tolls) == 1
    t = tolls[0]
    got_k = (t.killed.low, t.killed.best, t.killed.high) if t.killed else None
    got_i = (t.injured.low, t.injured.best, t.injured.high) if t.injured else None
    assert (got_k, got_i) == (killed, injured)
    assert t.who == who
    assert sentence[t.span.start:t.span.end] == t.span.text


@pytest.mark.parametrize(
    "sentence",
    [
        "The convoy stopped 50 km from the border.",
        "In 2024 the army recruited 300 soldiers.",
        "He was sentenced to 12 years in prison.",
        "The 2 hostages were freed on Monday.",
    ],
)
def test_non_casualty_numbers_ignored(sentence: str) -> None:
    assert find_tolls(sentence) == []


def test_offset_added_to_spans() -> None:
    (t,) = find_tolls("Gunmen killed four policemen.", offset=40)
    assert t.span.start == 40 + len("Gunmen ")


def test_separate_sentences_make_separate_tolls() -> None:
    tolls = find_tolls("Bombs killed dozens of people. The ambassador was among hundreds injured.")
    assert [(t.killed is not None, t.injured is not None) for t in tolls] == [(True, False), (False, True)]


def test_bad_input() -> None:
    with pytest.raises(DetenteError) as exc:
        find_tolls(None)  # type: ignore[arg-type]
    assert exc.value.code == "E503"


@pytest.mark.parametrize("sentence,arrested", [
    ("Police said 12 people were arrested.", 12),
    ("Police arrested at least 30 protesters in Nairobi.", 30),
    ("Dozens were detained after the rally.", 12),
])
def test_arrests_are_counted_apart_from_casualties(sentence: str, arrested: int) -> None:
    (t,) = find_tolls(sentence)
    assert t.arrested is not None and t.arrested.best == arrested
    assert t.killed is None and t.injured is None
