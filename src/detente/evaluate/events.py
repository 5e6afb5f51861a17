"""Sentence-level event typing: ``plover`` (PLOVER type, actors, mode, context), ``acled`` (CASE 2021 codes) and
``cameo-quad`` (CAMEO quad class).

Each gold sentence is wrapped as an Article (``doc_date`` as the publication date) and coded. For single-label
gold, the **predicted label is that of the event with the highest confidence** (negated events are left out
unless ``include_negated=True``); a sentence with no event is ``"NONE"``. ``any_match`` is the share of records
whose gold label is among the labels of *all* predicted events (a recall-like figure that forgives picking the
wrong one of several events).
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Callable, Sequence
from typing import Any

from ..errors import DetenteError
from ..schema import Event, Incident
from . import common
from .common import Examples, code_records, finish, top_event, usable
from .metrics import NONE, classification_report

log = logging.getLogger(__name__)

QUAD_NAMES = {1: "Verbal Cooperation", 2: "Material Cooperation", 3: "Verbal Conflict", 4: "Material Conflict"}
STATEMENT = "Make a Statement"


def run(
    records: list[dict[str, Any]],
    *,
    task: str,
    coder: Any = None,
    limit: int | None = None,
    batch_size: int = 64,
    include_negated: bool = False,
    max_examples: int = common.MAX_EXAMPLES,
    include_trained: bool = False,
    **options: Any,
) -> dict[str, Any]:
    """Score one of the tasks ``plover``, ``acled``, ``cameo-quad`` on gold records.

    Options: ``case_mapper`` (acled: callable ``(event_type, mode, actor_sectors, recipient_sectors) -> code``),
    ``statement`` (cameo-quad: how to score gold "Make a Statement": ``"verbal"`` = Verbal Cooperation, the CAMEO
    quad of roots 01–02 (default); ``"none"`` = expect no event; ``"exclude"`` = skip those records),
    ``from_cameo`` (cameo-quad: callable CAMEO code -> PLOVER type, for the petrarch2 bonus figure).
    """
    scorers: dict[str, Callable[..., dict[str, Any]]] = {
        "plover": score_plover, "acled": score_acled, "cameo-quad": score_cameo_quad,
    }
    if task not in scorers:
        raise DetenteError("E800", task=task, allowed=", ".join(sorted(scorers)))
    # sentence tasks score the type of the most confident event, so no output threshold applies (min_confidence 0);
    # CASE snippets always report an event: the acled task also reads the events the coder would not publish for
    # want of a named actor ("properties were looted"), after every attributed event and every incident
    coder = common.get_coder(coder, **common.DETECTION, **({"keep_actorless": True} if task == "acled" else {}))
    records, selection = common.select(records, coder, limit=limit, include_trained=include_trained)
    incidents: list[list[Incident]] = []
    events, problems = code_records(records, coder, batch_size=batch_size, incidents=incidents)
    if task == "acled":
        options.setdefault("incidents", incidents)
    report = scorers[task](records, events, include_negated=include_negated,
                           examples=Examples(max_examples), **options)
    return finish(report, problems, coder, records, selection)


# --- plover ------------------------------------------------------------------------------------------------


def _codes(actors: Any) -> set[str]:
    return {str(a["code"]).strip().upper() for a in actors or [] if isinstance(a, dict) and a.get("code")}


def _countries(entities: Sequence[Any]) -> set[str]:
    return {e.country.upper() for e in entities if e.country}


def _mode_table() -> dict[str, set[str]]:
    rows = common.load_table("plover_gsr_modes.csv", ("gold_mode", "accepted_modes"))
    return {r["gold_mode"].lower(): {m.strip().lower() for m in r["accepted_modes"].split("|") if m.strip()}
            for r in rows}


@functools.lru_cache(maxsize=1)
def _context_table() -> dict[str, set[str]]:
    """The PLOVER gold standard's older context labels → the PLOVER 2.0 contexts detente uses
    (data/eval/plover_gsr_contexts.csv); a label not listed is accepted only as itself."""
    rows = common.load_table("plover_gsr_contexts.csv", ("gold_context", "accepted_contexts"))
    return {r["gold_context"].lower(): {c.strip().lower() for c in r["accepted_contexts"].split("|") if c.strip()}
            for r in rows}


def country_match(gold: set[str], pred: set[str]) -> tuple[bool, bool]:
    """(lenient, exact) agreement of gold actor codes and predicted countries: lenient = they share a code.

    >>> country_match({"PAK"}, {"PAK", "IRN"})
    (True, False)
    """
    return bool(gold & pred), gold == pred


def score_plover(
    records: Sequence[dict[str, Any]], events: Sequence[list[Event] | None], *, include_negated: bool = False,
    examples: Examples | None = None,
) -> dict[str, Any]:
    """PLOVER type (F1, accuracy, confusion), source/target country, mode and context accuracy.

    Country matching: the gold ``source``/``target`` codes form a set, the top event's actor/recipient countries
    another; ``source_country_acc`` counts a record correct when the sets share a code (``*_exact``: equal sets).
    Denominator: records whose gold has at least one code (a record with no predicted event counts wrong). For
    reciprocal gold (``X and Y agreed``: both in ``source``, empty ``target``) the prediction is actor ∪ recipient.
    Mode/context: over records with a gold value; wrong when the type is wrong (``*_given_type``: only records
    with the right type). Context matches when any gold context is among the event's contexts.
    """
    examples = examples or Examples()
    modes = _mode_table()
    gold, pred = [], []
    any_hit = 0
    c = dict(src=0, src_ok=0, src_exact=0, tgt=0, tgt_ok=0, tgt_exact=0, mode=0, mode_ok=0, mode_t=0, mode_t_ok=0,
             ctx=0, ctx_ok=0, ctx_t=0, ctx_t_ok=0)
    skipped = 0
    for rec, evs in zip(records, events):
        g = rec.get("event_type")
        if evs is None or not isinstance(g, str) or not g:
            skipped += evs is not None
            continue
        g = g.upper()
        top = top_event(evs, include_negated=include_negated)
        p = top.event_type.upper() if top else NONE
        types = {e.event_type.upper() for e in usable(evs, include_negated=include_negated)}
        gold.append(g)
        pred.append(p)
        any_hit += g in types
        if p != g:
            examples.add(rec, g, p, all_predicted=sorted(types))
        extra = rec.get("gold_extra") or {}
        reciprocal = bool(extra.get("reciprocal_source_target"))
        actors = (top.actor + top.recipient) if (top and reciprocal) else (top.actor if top else [])
        for key, gold_codes, pred_set in (
            ("src", _codes(rec.get("source")), _countries(actors)),
            ("tgt", _codes(rec.get("target")), _countries(top.recipient) if top else set()),
        ):
            if gold_codes:
                ok, exact = country_match(gold_codes, pred_set)
                c[key] += 1
                c[key + "_ok"] += ok
                c[key + "_exact"] += exact
        gmode = extra.get("mode")
        if isinstance(gmode, str) and gmode:
            accepted = modes.get(gmode.lower(), set()) | {gmode.lower()}
            ok = bool(top and p == g and (top.mode or "").lower() in accepted)
            c["mode"] += 1
            c["mode_ok"] += ok
            if p == g:
                c["mode_t"] += 1
                c["mode_t_ok"] += ok
        gctx = extra.get("context")
        gctx_set = {x.strip().lower() for x in gctx.split(",")} - {""} if isinstance(gctx, str) else set()
        if gctx_set:
            accepted = set().union(*({x} | _context_table().get(x, set()) for x in gctx_set))
            ok = bool(top and p == g and accepted & {x.lower() for x in top.context})
            c["ctx"] += 1
            c["ctx_ok"] += ok
            if p == g:
                c["ctx_t"] += 1
                c["ctx_t_ok"] += ok
    if not gold:
        raise DetenteError("E808", path="(records)", task="plover", detail="no record has a gold event_type")
    rep = classification_report(gold, pred)
    ratio = _ratio
    return {
        "n": rep["n"],
        "macro_f1": rep["macro_f1"],
        "weighted_f1": rep["weighted_f1"],
        "accuracy": rep["accuracy"],
        "any_match": ratio(any_hit, len(gold)),
        "source_country_acc": ratio(c["src_ok"], c["src"]),
        "target_country_acc": ratio(c["tgt_ok"], c["tgt"]),
        "mode_acc": ratio(c["mode_ok"], c["mode"]),
        "context_acc": ratio(c["ctx_ok"], c["ctx"]),
        "no_event_rate": ratio(pred.count(NONE), len(pred)),
        "details": {
            "type": rep,
            "actors": {
                "source_n": c["src"], "source_country_exact": ratio(c["src_exact"], c["src"]),
                "target_n": c["tgt"], "target_country_exact": ratio(c["tgt_exact"], c["tgt"]),
            },
            "mode": {"n": c["mode"], "n_type_correct": c["mode_t"],
                     "mode_acc_given_type": ratio(c["mode_t_ok"], c["mode_t"])},
            "context": {"n": c["ctx"], "n_type_correct": c["ctx_t"],
                        "context_acc_given_type": ratio(c["ctx_t_ok"], c["ctx_t"])},
            "skipped_no_gold_type": skipped,
        },
        "examples": examples.items,
    }


def _ratio(a: int, b: int) -> float | None:
    return round(a / b, 4) if b else None


# --- acled (CASE 2021 task 2) ------------------------------------------------------------------------------


INCIDENT_CODES = {"natural_disaster": "NATURAL_DISASTER", "man_made_disaster": "MAN_MADE_DISASTER"}
"""CASE 2021's codes for the coder's incident kinds (disasters are not events; CASE codes them as unseen classes)."""


def _subtype_table() -> dict[str, str]:
    rows = common.load_table("acled_case2021.csv", ("acled_sub_event_type", "case2021_code"))
    return {r["acled_sub_event_type"].lower(): r["case2021_code"] for r in rows}


@functools.lru_cache(maxsize=256)
def _warn_once(message: str) -> None:
    log.warning(message)


RESPONSIBILITY = re.compile(
    r"\b(?:responsib\w*|behind|involvement|involved in|blam\w*|perpetrat\w*|accusations?|allegations?|guilt\w*|"
    r"claim\w* (?:the |an |a )?(?:attack|bombing|killing|murder|blast|assassination)s?)\b", re.I)


def attribution(e: Event) -> str | None:
    """CASE 2021's ATTRIB ("claims, denials and attributions of responsibility") for an event, by its reading:

    - an accusation (ACCUSE allege) whose sentence speaks of responsibility, blame or the allegations themselves is
      ATTRIB; one that does not ("accused the forces of widespread rape") returns ``""``: CASE labels the
      wrongdoing itself, so the scorer moves on to the event of the wrongdoing;
    - an event claimed or denied by its own actor whose sentence speaks of responsibility ("X claimed
      responsibility for the bombing", "X denied involvement in the attack") is ATTRIB;
    - anything else: None (the ordinary mapping).
    """
    responsibility = RESPONSIBILITY.search(e.evidence.text) is not None
    if e.event_type == "ACCUSE" and e.mode == "allege":
        return "ATTRIB" if responsibility else ""
    claimant, first = e.claimant, (e.actor[0] if e.actor else None)
    own = claimant is not None and first is not None and (
        first.text == claimant.text or bool(first.name and first.name == claimant.name))
    # the actor claims (or denies) its own act; "an attack blamed on X, officials said" is the attack
    if responsibility and own and getattr(e.modality, "value", e.modality) in ("claimed", "denied"):
        return "ATTRIB"
    return None


def resolve_case_mapper(case_mapper: Callable[..., str | None] | None) -> tuple[Callable[[Event], str | None], str]:
    """How to turn an event into a CASE 2021 code, and a note saying which way was used.

    Default: ``detente.ontology.case2021_code(event_type, mode, actor_sectors, recipient_sectors)``; if the
    ontology does not provide it, the event's ``acled_subtype`` name via ``data/eval/acled_case2021.csv``.
    """
    fn = case_mapper
    note = "case_mapper option"
    if fn is None:
        try:
            from ..ontology import case2021_code as fn  # type: ignore[attr-defined,no-redef]
            note = "detente.ontology.case2021_code"
        except ImportError as exc:
            table = _subtype_table()
            note = f"event.acled_subtype via data/eval/acled_case2021.csv ({DetenteError('E805', name='case2021_code', detail=exc, option='case_mapper')})"

            def by_subtype(e: Event) -> str | None:
                return table.get((e.acled_subtype or "").lower())

            return by_subtype, note

    table = _subtype_table()

    def by_mapper(e: Event) -> str | None:
        if case_mapper is None:
            attrib = attribution(e)
            if attrib is not None:
                return attrib or None
        if case_mapper is None and e.acled_subtype:  # the coder's own ACLED reading (learned or by rule)
            code = table.get(e.acled_subtype.lower())
            if code:
                return code
        try:
            extra = {"context": e.context} if case_mapper is None else {}  # a user's mapper keeps its 4 arguments
            return fn(e.event_type, e.mode, [a.sector for a in e.actor if a.sector],
                      [r.sector for r in e.recipient if r.sector], **extra)
        except DetenteError as exc:  # e.g. a mode the ontology does not know: no code, but say so once
            _warn_once(f"case2021 mapping failed for {e.event_type}/{e.mode}: {exc}")
            return None

    return by_mapper, note


def score_acled(
    records: Sequence[dict[str, Any]], events: Sequence[list[Event] | None], *, include_negated: bool = False,
    examples: Examples | None = None, case_mapper: Callable[..., str | None] | None = None,
    incidents: Sequence[list[Incident]] | None = None,
) -> dict[str, Any]:
    """Gold CASE code vs the CASE code of the highest-confidence event that maps to one; when none does, the
    record's first incident (a disaster: ``INCIDENT_CODES``), then the best event without a named actor
    (confidence 0: only there when the coder keeps them, as ``run`` asks for this task), else ``"NONE"``.

    Headline ``weighted_f1`` over all records (the 5 "unseen" types included: a system that cannot produce
    them loses there); ``seen`` repeats the figures on records with ``gold_extra.label_set == "ACLED"``.
    """
    examples = examples or Examples()
    to_code, note = resolve_case_mapper(case_mapper)
    gold, pred, seen_idx = [], [], []
    any_hit = 0
    for i, (rec, evs) in enumerate(zip(records, events)):
        g = rec.get("event_type")
        if evs is None or not isinstance(g, str) or not g:
            continue
        ranked = sorted(usable(evs, include_negated=include_negated),
                        key=lambda e: (e.confidence, e.type_confidence), reverse=True)
        found = incidents[i] if incidents else []
        codes = [c for c in (to_code(e) for e in ranked if e.confidence > 0) if c]
        codes += [INCIDENT_CODES[x.kind] for x in found if x.kind in INCIDENT_CODES]
        codes += [c for c in (to_code(e) for e in ranked if e.confidence <= 0) if c]  # unattributed readings last
        p = codes[0] if codes else NONE
        if (rec.get("gold_extra") or {}).get("label_set", "ACLED") == "ACLED":
            seen_idx.append(len(gold))
        gold.append(g)
        pred.append(p)
        any_hit += g in codes
        if p != g:
            examples.add(rec, g, p, all_predicted=codes, types=[e.event_type for e in ranked])
    if not gold:
        raise DetenteError("E808", path="(records)", task="acled", detail="no record has a gold event_type")
    rep = classification_report(gold, pred)
    seen = classification_report([gold[i] for i in seen_idx], [pred[i] for i in seen_idx])
    return {
        "n": rep["n"], "weighted_f1": rep["weighted_f1"], "macro_f1": rep["macro_f1"], "accuracy": rep["accuracy"],
        "any_match": _ratio(any_hit, len(gold)), "no_event_rate": _ratio(pred.count(NONE), len(pred)),
        "mapping": note,
        "details": {"type": rep, "seen": {k: seen[k] for k in ("n", "accuracy", "macro_f1", "weighted_f1")}},
        "examples": examples.items,
    }


# --- cameo-quad --------------------------------------------------------------------------------------------


def _root_table() -> dict[str, dict[str, str]]:
    rows = common.load_table("cameo_quad.csv", ("cameo_root", "quad_class", "quad_name", "pentaclass"))
    return {r["cameo_root"].zfill(2): r for r in rows}


def cameo_root(code: Any) -> str | None:
    """The two-digit root of a standard CAMEO code (``"0231"`` → ``"02"``); None for anything else.

    >>> cameo_root("190"), cameo_root("904"), cameo_root(None)
    ('19', None, None)
    """
    if not isinstance(code, str) or len(code) < 2 or not code[:2].isdigit():
        return None
    root = code[:2]
    return root if "01" <= root <= "20" else None


def quad_of_code(code: Any) -> str | None:
    """Quad name of a CAMEO code (``"190"`` → ``"Material Conflict"``), via data/eval/cameo_quad.csv."""
    root = cameo_root(code)
    row = _root_table().get(root) if root else None
    return row["quad_name"] if row else None


def predicted_quad(e: Event | None) -> str:
    """Quad name of an event: its ``quad_class``, else the quad of its ``cameo_code``, else the ontology's quad
    of its type, else ``"NONE"``."""
    if e is None:
        return NONE
    if e.quad_class in QUAD_NAMES:
        return QUAD_NAMES[e.quad_class]
    by_code = quad_of_code(e.cameo_code)
    if by_code:
        return by_code
    try:
        from .. import ontology

        return QUAD_NAMES.get(ontology.quad_class(e.event_type), NONE)
    except (ImportError, AttributeError, DetenteError):
        return NONE


def gold_quads(rec: dict[str, Any], *, statement: str = "verbal") -> tuple[list[str], list[str]] | None:
    """Gold quad labels of a record (several for multi-event records) and their CAMEO roots.

    Uses ``event_type`` when it names a quad/PentaClass (conflibert_cameo), else the CAMEO codes in
    ``events``/``event_code`` (petrarch2_unittests; non-standard codes ignored). ``[NONE]`` when no event is
    expected. None when the record cannot be scored (only non-standard codes; or a statement under
    ``statement="exclude"``).
    """
    et = rec.get("event_type")
    if isinstance(et, str) and et:
        if et == STATEMENT:
            return {"verbal": (["Verbal Cooperation"], []), "none": ([NONE], [])}.get(statement)
        if et in QUAD_NAMES.values():
            return [et], []
        if et.upper() == NONE:
            return [NONE], []
    codes: list[str] = []
    if isinstance(rec.get("events"), list):
        codes = [e.get("event_code") for e in rec["events"] if isinstance(e, dict)]
    elif rec.get("event_code"):
        codes = [rec["event_code"]]
    if not codes:
        no_ev = (rec.get("gold_extra") or {}).get("no_events_expected") or rec.get("events") == []
        return ([NONE], []) if no_ev else None
    roots = [r for r in (cameo_root(c) for c in codes) if r]
    quads = [q for q in (quad_of_code(c) for c in codes) if q]
    return (quads, roots) if quads else None


def _resolve_from_cameo(fn: Callable[[str], Any] | None) -> Callable[[str], str | None] | None:
    if fn is None:
        try:
            from ..ontology import from_cameo as fn  # type: ignore[attr-defined,no-redef]
        except ImportError:
            return None

    def to_type(code: str) -> str | None:
        try:
            out = fn(code)
        except Exception:  # noqa: BLE001 - an unknown code simply has no PLOVER type
            return None
        if isinstance(out, tuple):
            out = out[0] if out else None
        if isinstance(out, dict):
            out = out.get("event_type")
        out = getattr(out, "event_type", out)
        return str(out).upper() if out else None

    return to_type


def score_cameo_quad(
    records: Sequence[dict[str, Any]], events: Sequence[list[Event] | None], *, include_negated: bool = False,
    examples: Examples | None = None, statement: str = "verbal", from_cameo: Callable[[str], Any] | None = None,
) -> dict[str, Any]:
    """Quad class of the top event vs gold. A record with several gold events counts correct when the prediction
    is the quad of any of them (else it is scored against the first). For CAMEO-coded gold also the root-code
    accuracy (``cameo_root_acc``: top event's ``cameo_code`` root among the gold roots) and, when
    ``detente.ontology.from_cameo`` exists, the PLOVER type accuracy against the gold codes' PLOVER types."""
    if statement not in ("verbal", "none", "exclude"):
        raise DetenteError("E808", path="(options)", task="cameo-quad",
                           detail=f"statement={statement!r}; use verbal, none or exclude")
    examples = examples or Examples()
    to_type = _resolve_from_cameo(from_cameo)
    gold, pred = [], []
    root_n = root_ok = type_n = type_ok = multi = skipped = 0
    for rec, evs in zip(records, events):
        if evs is None:
            continue
        gq = gold_quads(rec, statement=statement)
        if gq is None:
            skipped += 1
            continue
        quads, roots = gq
        top = top_event(evs, include_negated=include_negated)
        p = predicted_quad(top)
        multi += len(set(quads)) > 1
        g = p if p in quads else quads[0]
        gold.append(g)
        pred.append(p)
        if p != g:
            examples.add(rec, sorted(set(quads)) if len(set(quads)) > 1 else g, p,
                         type=top.event_type if top else None)
        if roots:
            root_n += 1
            root_ok += bool(top and cameo_root(top.cameo_code) in roots)
            if to_type:
                codes = [e.get("event_code") for e in rec.get("events") or []] or [rec.get("event_code")]
                types = {t for t in (to_type(c) for c in codes if cameo_root(c)) if t}
                if types:
                    type_n += 1
                    type_ok += bool(top and top.event_type.upper() in types)
    if not gold:
        raise DetenteError("E808", path="(records)", task="cameo-quad",
                           detail="no record has a quad label or a standard CAMEO code")
    rep = classification_report(gold, pred)
    out: dict[str, Any] = {
        "n": rep["n"], "macro_f1": rep["macro_f1"], "weighted_f1": rep["weighted_f1"],
        "accuracy": rep["accuracy"], "no_event_rate": _ratio(pred.count(NONE), len(pred)),
        "details": {"type": rep, "multi_quad_records": multi, "skipped_unscorable": skipped,
                    "statement": statement},
        "examples": examples.items,
    }
    if root_n:
        out["cameo_root_acc"] = _ratio(root_ok, root_n)
        out["details"]["cameo_n"] = root_n
    if type_n:
        out["plover_from_cameo_acc"] = _ratio(type_ok, type_n)
        out["details"]["plover_from_cameo_n"] = type_n
    return out
