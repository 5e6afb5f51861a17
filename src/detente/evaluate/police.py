"""``police``: IndiaPoliceEvents labels (KILL, ARREST, FORCE, FAIL, ANY_ACTION) from detente events.

Gold: ``gold_extra.labels`` of each record (a document or a sentence; document labels are the union of its
sentences'). The implicit actor of every label is the police, so only events done **by the police** count. An
event is a police act when

- an actor's sector is in ``police_sectors`` (default ``COP`` and ``MIL``: the corpus's annotators counted every
  state force keeping public order — army columns on flag march, paramilitary companies — as "police"; pass
  ``police_sectors=("COP",)`` for the strict reading), or an actor without a sector names the police
  (``data/eval/police_terms.txt``);
- or a government actor that is the district's civil authority over the police (``police_authorities.txt``:
  "the administration put up barricades") does an order-keeping act (``AUTHORITY_TYPES``: COERCE, MOBILIZE);
- or the event has **no actor** and its trigger names the police ("police firing", "police custody"), or a police
  word stands right before the trigger ("100 in police firing", "army deployment"), or its (type, mode) is one
  whose unnamed agent is the police in news reports (``data/eval/police_implicit.csv``: "five were arrested",
  "tear gas shells were burst", "curfew was clamped", any deployment), or it is a deployment (``THEME_TYPES``)
  whose recipient — the force deployed — is the police ("additional police were deployed").

Only factual events (``FACTUAL``: asserted or claimed) are acts; demanded, planned, conditional and denied ones
("demanded the arrest of", "will deploy the army") are not.

Rules (``data/eval/police_rules.csv``; ``mode`` is a ``|`` list, ``!`` before it excludes those modes), applied to
factual events unless the rule asks for negated ones:

- KILL: a police ASSAULT with a death toll > 0, a kill trigger, or a kill word in the trigger's sentence
  ("two were killed in police firing") — ``police_kill_triggers.txt``;
- FORCE: a police ASSAULT that is not destruction of property (mode ``destroy``); KILL implies FORCE;
- ARREST: police COERCE with mode arrest;
- FAIL (police failed to act): a police event that is **negated** ("police did not intervene"), an ACCUSE whose
  recipient is the police, or an event whose trigger is a failure-to-act phrase (``police_fail_triggers.txt``:
  "failed to intervene", "inaction", "mute spectators") with the police as actor or recipient, no actor, a
  government actor (``FAIL_SECTORS``: "the state government failed to protect lives"), or the police named in the
  trigger's sentence;
- ANY_ACTION: any asserted police event that is not a failure to act; KILL, FORCE and ARREST imply it.

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
DEFAULT_SECTORS = ("COP", "MIL")
REQUIRES = ("", "killed", "negated", "police_recipient", "fail_trigger", "action")
SENTENCE_END = re.compile(r"[.!?]\s|\n")
WINDOW = 400  # characters searched each side of a trigger for its sentence
# an act counts when it is reported as done: asserted, or claimed by a source. Demanded, planned, conditional
# ("demanded the arrest of", "if there is any firing") and denied acts are not police actions.
FACTUAL = frozenset({"asserted", "claimed"})
# types whose object is the force itself: "police were deployed", "deployed 27 companies of the CRPF"
THEME_TYPES = frozenset({"MOBILIZE"})
# order-keeping acts that a district's civil authority (``police_authorities.txt``) orders and the police carry out
AUTHORITY_TYPES = frozenset({"COERCE", "MOBILIZE"})
FAIL_SECTORS = frozenset({"GOV"})  # failing to keep order is also the government's failure (see _fail_trigger)
MODIFIER_GAP = 24  # characters before a trigger searched for a police modifier ("police firing", "army deployment")


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
    if not terms:
        raise DetenteError("E806", path=common.data_path(name), detail="no terms")
    return re.compile(r"\b(?:" + "|".join(re.escape(t) for t in terms) + r")\b", re.IGNORECASE)


def _modes(spec: str) -> tuple[bool, frozenset[str]]:
    """``"arrest|detain"`` → (False, {...}); ``"!destroy"`` → (True, {"destroy"}); ``""`` → any mode."""
    neg = spec.startswith("!")
    return neg, frozenset(m.strip().lower() for m in spec.lstrip("!").split("|") if m.strip())


@functools.lru_cache(maxsize=1)
def _rules() -> tuple[tuple[str, str, bool, frozenset[str], str], ...]:
    rows = common.load_table("police_rules.csv", ("label", "event_type", "mode", "requires"))
    bad = [r for r in rows if r["label"] not in LABELS or r["requires"] not in REQUIRES]
    if bad:
        raise DetenteError("E806", path=common.data_path("police_rules.csv"), detail=f"bad row {bad[0]}")
    return tuple((r["label"], r["event_type"].upper(), *_modes(r["mode"]), r["requires"]) for r in rows)


@functools.lru_cache(maxsize=1)
def _implicit() -> frozenset[tuple[str, str]]:
    rows = common.load_table("police_implicit.csv", ("event_type", "mode"))
    return frozenset((r["event_type"].upper(), r["mode"].lower()) for r in rows)


def _mode_ok(mode: str, neg: bool, modes: frozenset[str]) -> bool:
    if not modes:
        return True
    return (mode not in modes) if neg else (mode in modes)


def is_police(entity: Entity, sectors: Iterable[str] = DEFAULT_SECTORS) -> bool:
    """True for a police actor: sector in ``sectors``, or no sector and a police word in its text.

    >>> is_police(Entity(text="the cops", sector=None)), is_police(Entity(text="army", sector="MIL"), ("COP",))
    (True, False)
    """
    if entity.sector:
        return entity.sector.upper() in set(sectors)
    rx = _terms_regex("police_terms.txt")
    return bool(rx.search(entity.text or "") or rx.search(entity.name or ""))


def _is_authority(entity: Entity) -> bool:
    """A government actor named as the civil authority over the police ("the district administration")."""
    if (entity.sector or "").upper() != "GOV":
        return False
    rx = _terms_regex("police_authorities.txt")
    return bool(rx.search(entity.text or "") or rx.search(entity.name or ""))


def _trigger_text(e: Event) -> str:
    return e.evidence.trigger.text if e.evidence and e.evidence.trigger else ""


def trigger_sentence(e: Event) -> str:
    """The sentence of the evidence text around the trigger (the whole evidence when there is no trigger).

    The cut is by punctuation, so it also works on lower-case text the sentence splitter kept in one piece.
    """
    ev = e.evidence
    if ev is None:
        return ""
    if ev.trigger is None:
        return ev.text
    lo = max(0, ev.trigger.start - ev.start)
    hi = min(len(ev.text), max(lo, ev.trigger.end - ev.start))
    left = ev.text[max(0, lo - WINDOW):lo]
    ends = list(SENTENCE_END.finditer(left))
    start = lo - len(left) + (ends[-1].end() if ends else 0)
    nxt = SENTENCE_END.search(ev.text, hi, min(len(ev.text), hi + WINDOW))
    return ev.text[start:nxt.start() + 1 if nxt else min(len(ev.text), hi + WINDOW)]


def police_agent(e: Event, sectors: Iterable[str] = DEFAULT_SECTORS) -> bool:
    """True when the police did ``e``: a police actor, or no actor and a trigger or (type, mode) that implies them.

    >>> from detente.schema import Evidence, Span
    >>> arrest = Event(article_id="a", event_type="COERCE", mode="arrest", evidence=Evidence(text="t", start=0, end=1))
    >>> police_agent(arrest)
    True
    """
    sectors = tuple(sectors)
    if any(is_police(a, sectors) for a in e.actor):
        return True
    if e.actor:
        return e.event_type.upper() in AUTHORITY_TYPES and any(_is_authority(a) for a in e.actor)
    if e.event_type.upper() in THEME_TYPES and any(is_police(r, sectors) for r in e.recipient):
        return True  # "additional police were deployed": the force deployed is the police
    if _terms_regex("police_terms.txt").search(_trigger_text(e)) or _police_modifier(e):
        return True
    implicit = _implicit()
    et, mode = e.event_type.upper(), (e.mode or "").lower()
    return (et, mode) in implicit or (et, "") in implicit


def _police_modifier(e: Event) -> bool:
    """A police word right before the trigger ("police firing", "army deployment", "police raids")."""
    ev = e.evidence
    if ev is None or ev.trigger is None:
        return False
    lo = max(0, ev.trigger.start - ev.start)
    before = ev.text[max(0, lo - MODIFIER_GAP):lo]
    return bool(_modifier_regex().search(before))


@functools.lru_cache(maxsize=1)
def _modifier_regex() -> re.Pattern[str]:
    terms = sorted(_read_terms("police_terms.txt"), key=len, reverse=True)
    # the term, then at most one word ("police lathi charge", "crpf jawans fired"), then the trigger
    return re.compile(r"\b(?:" + "|".join(re.escape(t) for t in terms) + r")(?:['’]s)?\W+(?:[\w-]+\W+)?$",
                      re.IGNORECASE)


def _killed(e: Event) -> bool:
    if e.toll and e.toll.killed and (e.toll.killed.best or e.toll.killed.low or 0) > 0:
        return True
    rx = _terms_regex("police_kill_triggers.txt")
    return bool(rx.search(_trigger_text(e)) or rx.search(trigger_sentence(e)))


def _fail_trigger(e: Event, police_actor: bool, police_recipient: bool) -> bool:
    """A failure-to-act trigger whose failing party is the police or the state that commands them.

    The annotators read "the state government failed to protect lives" and "the administration did nothing" as
    the police failing (the state's order-keeping); so a government actor (``FAIL_SECTORS``), no actor, or a police
    word in the sentence is enough.
    """
    if not _terms_regex("police_fail_triggers.txt").search(_trigger_text(e)):
        return False
    if police_actor or police_recipient or not e.actor:
        return True
    if any((a.sector or "").upper() in FAIL_SECTORS for a in e.actor):
        return True
    return bool(_terms_regex("police_terms.txt").search(trigger_sentence(e)))


def event_labels(e: Event, *, police_sectors: Iterable[str] = DEFAULT_SECTORS) -> set[str]:
    """The IndiaPoliceEvents labels one event supports (empty for events the police did not do or suffer)."""
    sectors = tuple(police_sectors)
    police_actor = police_agent(e, sectors)
    police_recipient = any(is_police(r, sectors) for r in e.recipient)
    modality = str(getattr(e.modality, "value", e.modality))
    negated = modality == "negated"
    factual = modality in FACTUAL
    et, mode = e.event_type.upper(), (e.mode or "").lower()
    out: set[str] = set()
    for label, rtype, neg_modes, modes, req in _rules():
        if rtype not in ("*", et) or not _mode_ok(mode, neg_modes, modes):
            continue
        if req == "negated":
            ok = police_actor and negated
        elif req == "police_recipient":
            ok = police_recipient and not negated
        elif req == "fail_trigger":
            ok = not negated and _fail_trigger(e, police_actor, police_recipient)
        elif req == "action":  # an act, not a report of failing to act ("police failed to intervene")
            ok = police_actor and factual and not _fail_trigger(e, True, True)
        elif req == "killed":
            ok = police_actor and factual and _killed(e)
        else:
            ok = police_actor and factual
        if ok:
            out.add(label)
    if "KILL" in out:
        out.add("FORCE")
    if out & {"KILL", "FORCE", "ARREST"}:
        out.add("ANY_ACTION")
    return out


def document_labels(events: Sequence[Event], *, police_sectors: Iterable[str] = DEFAULT_SECTORS) -> set[str]:
    """Union of the labels of a record's events."""
    out: set[str] = set()
    for e in events:
        out |= event_labels(e, police_sectors=police_sectors)
    return out


def score_police(
    records: Sequence[dict[str, Any]], events: Sequence[list[Event] | None], *,
    police_sectors: Iterable[str] = DEFAULT_SECTORS, examples: Examples | None = None,
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
    police_sectors: Iterable[str] = DEFAULT_SECTORS,
) -> dict[str, Any]:
    """Code each record (document or sentence) and score its police-action labels."""
    coder = common.get_coder(coder, **common.DETECTION)
    records, selection = common.select(records, coder, limit=limit, include_trained=include_trained)
    events, problems = code_records(records, coder, batch_size=batch_size)
    report = score_police(records, events, police_sectors=police_sectors, examples=Examples(max_examples))
    return finish(report, problems, coder, records, selection)
