"""Flatten an Event into the one-row-per-event columns the store indexes and exports write.

The same function feeds the ``events`` table, ``events_df()`` and the csv / parquet / geojson exports, so a column
means the same thing everywhere. Multi-valued fields are joined: ``context`` with ``;``, ``actors``/``recipients``/
``sources``/``toll_who`` with ``"; "``. ``actor_*``/``recipient_*`` describe the first (primary) entity of each list.

>>> from detente.schema import Event, Evidence, Entity
>>> ev = Event(article_id="art-1", event_type="ASSAULT", evidence=Evidence(text="x", start=0, end=1),
...            actor=[Entity(text="the army", name="Pakistan Army", country="PAK", sector="MIL")])
>>> row = flatten(ev)
>>> row["actor_country"], row["actors"], row["recipient_name"]
('PAK', 'Pakistan Army', None)
"""

from __future__ import annotations

from typing import Any

from ..schema import Entity, Event

FLAT_COLUMNS: tuple[str, ...] = (
    "id", "article_id", "event_type", "mode", "context", "quad_class", "intensity", "cameo_code",
    "acled_type", "acled_subtype", "date", "date_precision", "date_text", "date_inferred", "published",
    "actor_name", "actor_text", "actor_country", "actor_sector", "actor_kb_id", "actors",
    "recipient_name", "recipient_text", "recipient_country", "recipient_sector", "recipient_kb_id", "recipients",
    "location_name", "location_country", "location_admin1", "location_admin1_code", "location_lat", "location_lon",
    "location_geonames_id", "location_precision",
    "killed_low", "killed_best", "killed_high", "injured_low", "injured_best", "injured_high", "toll_who",
    "modality", "claimant_name", "confidence", "type_confidence",
    "evidence_text", "evidence_start", "evidence_end", "trigger_text", "url", "sources", "n_sources",
    "canonical_id", "episode_id", "responds_to",
)
"""Flat columns, in table order (the tables add ``record``, the full JSON event)."""

ENTITY_COLUMNS: tuple[str, ...] = ("event_id", "role", "pos", "text", "name", "country", "sector", "kb_id")


def entity_label(ent: Entity) -> str:
    """The name an analyst reads: the canonical name when resolved, else the text as written."""
    return ent.name or ent.text


def _join(values: list[str], sep: str = "; ") -> str | None:
    values = [v for v in values if v]
    return sep.join(values) if values else None


def flatten(ev: Event) -> dict[str, Any]:
    """One flat dict (keys = FLAT_COLUMNS) for one event."""
    a = ev.actor[0] if ev.actor else None
    r = ev.recipient[0] if ev.recipient else None
    loc = ev.location
    toll = ev.toll
    killed = toll.killed if toll else None
    injured = toll.injured if toll else None
    return {
        "id": ev.id,
        "article_id": ev.article_id,
        "event_type": ev.event_type,
        "mode": ev.mode,
        "context": _join(ev.context, ";"),
        "quad_class": ev.quad_class,
        "intensity": ev.intensity,
        "cameo_code": ev.cameo_code,
        "acled_type": ev.acled_type,
        "acled_subtype": ev.acled_subtype,
        "date": ev.date,
        "date_precision": ev.date_precision,
        "date_text": ev.date_text,
        "date_inferred": ev.date_inferred,
        "published": ev.published,
        "actor_name": entity_label(a) if a else None,
        "actor_text": a.text if a else None,
        "actor_country": a.country if a else None,
        "actor_sector": a.sector if a else None,
        "actor_kb_id": a.kb_id if a else None,
        "actors": _join([entity_label(e) for e in ev.actor]),
        "recipient_name": entity_label(r) if r else None,
        "recipient_text": r.text if r else None,
        "recipient_country": r.country if r else None,
        "recipient_sector": r.sector if r else None,
        "recipient_kb_id": r.kb_id if r else None,
        "recipients": _join([entity_label(e) for e in ev.recipient]),
        "location_name": loc.name if loc else None,
        "location_country": loc.country if loc else None,
        "location_admin1": loc.admin1 if loc else None,
        "location_admin1_code": loc.admin1_code if loc else None,
        "location_lat": loc.lat if loc else None,
        "location_lon": loc.lon if loc else None,
        "location_geonames_id": loc.geonames_id if loc else None,
        "location_precision": loc.precision if loc else None,
        "killed_low": killed.low if killed else None,
        "killed_best": killed.best if killed else None,
        "killed_high": killed.high if killed else None,
        "injured_low": injured.low if injured else None,
        "injured_best": injured.best if injured else None,
        "injured_high": injured.high if injured else None,
        "toll_who": _join(toll.who) if toll else None,
        "modality": ev.modality.value if hasattr(ev.modality, "value") else ev.modality,
        "claimant_name": entity_label(ev.claimant) if ev.claimant else None,
        "confidence": ev.confidence,
        "type_confidence": ev.type_confidence,
        "evidence_text": ev.evidence.text,
        "evidence_start": ev.evidence.start,
        "evidence_end": ev.evidence.end,
        "trigger_text": ev.evidence.trigger.text if ev.evidence.trigger else None,
        "url": ev.url,
        "sources": _join(ev.sources),
        "n_sources": len(ev.sources),
        "canonical_id": ev.canonical_id,
        "episode_id": ev.episode_id,
        "responds_to": ev.responds_to,
    }


def entity_rows(ev: Event) -> list[tuple[Any, ...]]:
    """Rows for ``event_entities`` / ``canonical_entities``: one per actor, recipient and claimant."""
    rows: list[tuple[Any, ...]] = []
    for role, ents in (("actor", ev.actor), ("recipient", ev.recipient),
                       ("claimant", [ev.claimant] if ev.claimant else [])):
        for pos, e in enumerate(ents):
            rows.append((ev.id, role, pos, e.text, e.name, e.country, e.sector, e.kb_id))
    return rows
