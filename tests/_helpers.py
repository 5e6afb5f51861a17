"""Helpers several test modules share: a tiny hand-made gazetteer world, and how many gold triggers the lexicon
proposes as candidates."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from detente.resolve import gazetteer as gz
from detente.resolve.gazetteer import CityRecord


def tiny_world_state(cities: list[CityRecord], admin1: Mapping[tuple[str, str], str],
                     country_codes: Iterable[str]) -> dict:
    """A gazetteer state from hand-written cities and admin1 names, with the named countries only."""
    keep = set(country_codes)
    countries = {cc: c for cc, c in gz._country_info().items() if cc in keep}
    table = gz.build_table(cities, dict(admin1), countries=countries, continents=[])
    table.meta["versions"] = gz.source_versions()
    return table.to_state()


def lexicon_coverage(records: list[dict], nlp) -> tuple[int, int]:
    """(event records whose gold trigger a trigger-lexicon candidate covers, event records)."""
    from detente.detect.triggers import TriggerLexicon

    lex = TriggerLexicon().initialize()
    events = [r for r in records if r["event_type"] != "NONE"]
    covered = 0
    for rec, doc in zip(events, nlp.pipe([r["text"] for r in events], batch_size=64)):
        at = rec["text"].find(rec["trigger"])
        covered += any(doc[t.start].idx <= at < doc[t.end - 1].idx + len(doc[t.end - 1])
                       for s in doc.sents for t in lex.match(s))
    return covered, len(events)
