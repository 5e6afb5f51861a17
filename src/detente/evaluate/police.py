"""``police``: IndiaPoliceEvents labels (KILL, ARREST, FORCE, FAIL, ANY_ACTION) from detente events.

Gold: ``gold_extra.labels`` of each record (a document or a sentence; document labels are the union of its
sentences'). The implicit actor of every label is the police, so only events with a **police actor** count:
an actor whose sector is in ``police_sectors`` (default ``COP``; not GOV or MIL: the corpus asks about the
police, and the army deployed in Gujarat is not the police) or, when the resolver gave no sector, whose text
names the police (``data/eval/police_terms.txt``).

Rules (``data/eval/police_rules.csv``), applied to each event that is not negated unless said otherwise:

- KILL: a police ASSAULT with a death toll > 0 or a kill trigger (``police_kill_triggers.txt``);
- FORCE: any police ASSAULT (the ontology's ASSAULT modes include crowd-control, beat, firearms); KILL
  implies FORCE;
- ARREST: police COERCE with mode arrest/detain;
- FAIL (police failed to act): a police event that is **negated** ("police did not intervene"), or an ACCUSE
  whose recipient is the police (complaints of inaction); weak by design — detente has no "failure" type;
- ANY_ACTION: any asserted police event; KILL, FORCE and ARREST imply it.

Headline ``macro_f1``: the mean of the five per-label F1 scores.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from typing import Any

from ..errors import DetenteError
from ..schema import Entity, Event
from . import common
from .common import Examples, code_records, finish
from .metrics import multilabel_report

LABELS = ("KILL", "ARREST", "FORCE", "FAIL", "ANY_ACTION")


def _read_terms(name: str) -> tuple[str, ...]:
    path = common.data_path(name)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DetenteError("E806", path=path, detail=str(exc)) from exc
    return tuple(t.strip().lower() for t in text.splitlines() if t.strip() and not t.startswith("#"))


@functools.lru_cache(maxsize=4)
def _terms_regex(name: str) -> re.Pattern[str]:
    terms = sorted(_read_terms(name), key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(t) for t in terms) + r")\b", re.IGNORECASE)


@functools.lru_cache(maxsize=1)
def _rules() -> tuple[dict[str, str], ...]:
    rows = common.load_table("police_rules.csv", ("label", "event_type", "mode", "requires"))
    bad = [r for r in rows if r["label"] not in LABELS or r["requires"] not in ("", "killed", "negated",
                                                                                  "police_recipient")]
    if bad:
        raise DetenteError("E806", path=common.data_path("police_rules.csv"), detail=f"bad row {bad[0]}")
    return rows


def is_police(entity: Entity, sectors: Iterable[str] = ("COP",)) -> bool:
    """True for a police actor: sector in ``sectors``, or no sector and a police word in its text.

    >>> is_police(Entity(text="the cops", sector=None)), is_police(Entity(text="army", sector="MIL"))
    (True, False)
    """
    if entity.sector:
        return entity.sector.upper() in set(sectors)
    return bool(_terms_regex("police_terms.txt").search(entity.text or "")
                or _terms_regex("police_terms.txt").search(entity.name or ""))


def _killed(e: Event) -> bool:
    if e.toll and e.toll.killed and (e.toll.killed.best or e.toll.killed.low or 0) > 0:
        return True
    trigger = e.evidence.trigger.text if e.evidence and e.evidence.trigger else ""
    return bool(trigger and _terms_regex("police_kill_triggers.txt").search(trigger))


def event_labels(e: Event, *, police_sectors: Iterable[str] = ("COP",)) -> set[str]:
    """The IndiaPoliceEvents labels one event supports (empty for events without police)."""
    sectors = tuple(police_sectors)
    police_actor = any(is_police(a, sectors) for a in e.actor)
    police_recipient = any(is_police(r, sectors) for r in e.recipient)
    negated = getattr(e.modality, "value", e.modality) == "negated"
    et, mode = e.event_type.upper(), (e.mode or "").lower()
    out: set[str] = set()
    for rule in _rules():
        if rule["event_type"] not in ("*", et) or (rule["mode"] and rule["mode"].lower() != mode):
            continue
        req = rule["requires"]
        if req == "negated":
            ok = police_actor and negated
        elif req == "police_recipient":
            ok = police_recipient and not negated
        elif req == "killed":
            ok = police_actor and not negated and _killed(e)
        else:
            ok = police_actor and not negated
        if ok:
            out.add(rule["label"])
    if "KILL" in out:
        out.add("FORCE")
    if out & {"KILL", "FORCE", "ARREST"}:
        out.add("ANY_ACTION")
    return out


def document_labels(events: Sequence[Event], *, police_sectors: Iterable[str] = ("COP",)) -> set[str]:
    """Union of the labels of a record's events."""
    out: set[str] = set()
    for e in events:
        out |= event_labels(e, police_sectors=police_sectors)
    return out


def score_police(
    records: Sequence[dict[str, Any]], events: Sequence[list[Event] | None], *,
    police_sectors: Iterable[str] = ("COP",), examples: Examples | None = None,
) -> dict[str, Any]:
    examples = examples or Examples()
    gold, pred = [], []
    for rec, evs in zip(records, events):
        if evs is None:
            continue
        labels = (rec.get("gold_extra") or {}).get("labels")
        if not isinstance(labels, list):
            continue
        g = {str(x).upper() for x in labels} & set(LABELS)
        p = document_labels(evs, police_sectors=police_sectors)
        gold.append(g)
        pred.append(p)
        if g != p:
            examples.add(rec, sorted(g), sorted(p))
    if not gold:
        raise DetenteError("E808", path="(records)", task="police", detail="no record has gold_extra.labels")
    rep = multilabel_report(gold, pred, labels=list(LABELS))
    return {
        "n": rep["n"],
        "macro_f1": rep["macro_f1"],
        "micro_f1": rep["micro_f1"],
        **{f"{lab.lower()}_f1": rep["per_class"][lab]["f1"] for lab in LABELS},
        "details": {"per_class": rep["per_class"], "micro": rep["micro"],
                    "records_with_gold_label": sum(bool(g) for g in gold),
                    "records_with_predicted_label": sum(bool(p) for p in pred),
                    "police_sectors": sorted(set(police_sectors))},
        "examples": examples.items,
    }


def run(
    records: list[dict[str, Any]],
    *,
    task: str = "police",
    coder: Any = None,
    limit: int | None = None,
    batch_size: int = 16,
    max_examples: int = common.MAX_EXAMPLES,
    include_trained: bool = False,
    police_sectors: Iterable[str] = ("COP",),
) -> dict[str, Any]:
    """Code each record (document or sentence) and score its police-action labels."""
    coder = common.get_coder(coder)
    records, selection = common.select(records, coder, limit=limit, include_trained=include_trained)
    events, problems = code_records(records, coder, batch_size=batch_size)
    report = score_police(records, events, police_sectors=police_sectors, examples=Examples(max_examples))
    return finish(report, problems, coder, records, selection)
