"""The Dask runner gives the same events as the in-process coder, and stores them once."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.model

TEXTS = [
    "Police arrested 12 protesters in Nairobi on Tuesday, witnesses said.",
    "Russian missiles struck an energy facility in Kharkiv on Monday, killing three workers.",
    "Egypt and Qatar called for an immediate ceasefire in Gaza.",
    "   ",  # a bad record: rejected, and the run goes on
]


def test_dask_local_cluster_matches_in_process(tmp_path, coder):
    from detente.ingest import read
    from detente.scale import code_archive
    from detente.store import open_store

    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"text": t, "published": "2024-05-08"}) + "\n" for t in TEXTS))
    db = str(tmp_path / "dask.duckdb")
    stats = code_archive([str(src)], db=db, n_workers=2, batch_size=1)
    assert stats.articles == 3 and stats.rejects == 1
    expected = sorted(e.id for a in read(str(src)) if hasattr(a, "text") for e in coder.code(a).events)
    with open_store(db) as store:
        assert sorted(e.id for e in store.events()) == expected
        assert len(store.rejects()) == 1
    again = code_archive([str(src)], db=db, n_workers=2, batch_size=1)  # resumable: nothing is coded twice
    assert again.skipped == 3 and again.coded == 0
