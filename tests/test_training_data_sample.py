"""Checks of the bundled sample corpus (src/detente/data/sample): front matter, lengths, duplicate list."""

from __future__ import annotations

import datetime as dt
import json
from importlib import resources

import yaml

from detente import ontology

SAMPLE = resources.files("detente.data").joinpath("sample")


def _articles() -> dict[str, tuple[dict, str]]:
    out = {}
    for f in SAMPLE.iterdir():
        if f.name.endswith(".txt"):
            raw = f.read_text(encoding="utf-8")
            assert raw.startswith("---\n"), f.name
            head, body = raw[4:].split("\n---\n", 1)
            out[f.name] = (yaml.safe_load(head), body.strip())
    return out


def test_front_matter_and_length():
    arts = _articles()
    assert 18 <= len(arts) <= 25
    for name, (meta, body) in arts.items():
        assert set(meta) == {"title", "published", "source", "url"}, name
        published = meta["published"]
        if isinstance(published, str):
            published = dt.datetime.fromisoformat(published)
        assert isinstance(published, dt.datetime) and published.tzinfo is not None, name
        assert ".example.org/" in meta["url"], name
        assert 200 <= len(body.split()) <= 500, (name, len(body.split()))


def test_duplicates_file_points_at_real_articles_from_different_outlets():
    arts = _articles()
    dup = json.loads(SAMPLE.joinpath("duplicates.json").read_text(encoding="utf-8"))
    assert len(dup["groups"]) >= 3
    for g in dup["groups"]:
        assert len(g["files"]) >= 2 and all(f in arts for f in g["files"])
        outlets = {arts[f][0]["source"] for f in g["files"]}
        assert len(outlets) == len(g["files"])
        event_day = dt.date.fromisoformat(g["date"])
        for f in g["files"]:
            pub = arts[f][0]["published"]
            pub = dt.datetime.fromisoformat(pub) if isinstance(pub, str) else pub
            assert 0 <= (pub.date() - event_day).days <= 1, f
        ontology.validate(g["event_type"], g["mode"])
        assert len(set(g["killed"])) > 1  # the reports disagree on the toll
    for ep in dup["episodes"]:
        assert all(f in arts for f in ep["files"])
        dates = [s["date"] for s in ep["sequence"]]
        assert dates == sorted(dates)
        for s in ep["sequence"]:
            ontology.validate(s["event_type"], s["mode"])
