"""Within one article, mentions of the same event become one event.

A report names an act several times ("Pakistan's strikes in Iran" … "Thursday's strikes resulted in nine
fatalities"): each mention adds what it knows (actors, date, place, toll). These functions decide which mentions
are one event and combine them; ``coder`` calls ``merge_mentions`` once per article.
"""

from __future__ import annotations

from . import ontology
from .schema import Entity, Event, Modality, Place

FACTUAL = {Modality.asserted, Modality.claimed}
MATERIAL_CONFLICT = ontology.types_where("material")  # plover_types.csv
UNATTRIBUTED_MIN = 0.6  # type probability a violent event needs to stand without a named perpetrator


def has_actor(e: Event) -> bool:
    return any(x.country or x.sector for x in e.actor + e.recipient)


def countries(entities: list[Entity]) -> set[str]:
    return {e.country for e in entities if e.country}


def compatible(a: Event, b: Event) -> bool:
    if a.event_type != b.event_type:
        return False
    if a.modality != b.modality and not {a.modality, b.modality} <= FACTUAL:
        return False  # a reported (claimed) mention and an asserted one can be the same event
    if not (a.date_inferred or b.date_inferred) and a.date != b.date:
        return False
    if a.mode and b.mode and a.mode != b.mode and a.evidence.start != b.evidence.start:
        return False  # within a sentence ("aircraft bombed a village, killing 21") the modes are one act's
    ca, cb = countries(a.actor), countries(b.actor)
    if ca and cb and not (ca & cb):
        return False
    ra, rb = countries(a.recipient), countries(b.recipient)
    if ra and rb and not (ra & rb):
        return False
    if ca and cb and a.evidence.start != b.evidence.start and a.event_type not in MATERIAL_CONFLICT:
        # across sentences, two verbal or cooperative mentions with actors are one event only with the same
        # recipients (a meeting and a phone call of the same minister are two events); a strike by the same
        # side on the same day, retold with more detail, is one
        return ra == rb
    return True


def merge_mentions(drafts: list[Event], references: set[str] = frozenset()) -> list[Event]:
    """Mentions of one event within an article become one event.

    Mentions that name actors merge when type, mode, date and actor countries agree and their recipients are the
    same. A mention without actors ("Thursday's strikes killed nine") then joins a compatible event of its own
    sentence, else the nearest compatible event of the three sentences before it; with none, it stays alone (and is
    dropped later unless ``keep_actorless``).
    """
    merged: list[Event] = []
    loose: list[Event] = []
    dropped: list[Event] = []
    for ev in drafts:
        if not has_actor(ev):
            loose.append(ev)
            continue
        i = next((i for i, m in enumerate(merged) if compatible(m, ev)), None)
        if i is None:
            merged.append(ev)
        else:
            merged[i] = combine(merged[i], ev)
    for ev in loose:
        same = [i for i, m in enumerate(merged) if compatible(m, ev) and sentence_gap(m, ev) == 0]
        before = sorted((i for i, m in enumerate(merged) if compatible(m, ev) and 0 < sentence_gap(m, ev) <= 3),
                        key=lambda i: sentence_gap(merged[i], ev))
        pick = same[0] if same else (before[0] if before else None)
        if pick is not None:
            merged[pick] = combine(merged[pick], ev)
        elif ev.id in references:
            continue  # a back-reference to nothing coded: not an event of its own
        elif not any(compatible(m, ev) for m in merged) and unattributed_ok(ev):
            merged.append(ev)  # a new event whose perpetrator the report does not name
        else:
            dropped.append(ev.model_copy(update={"confidence": 0.0}))  # ambiguous back-reference: dropped below
    merged += dropped
    return sorted(merged, key=lambda e: (e.evidence.start, e.evidence.trigger.start if e.evidence.trigger else 0))


def unattributed_ok(ev: Event) -> bool:
    """Violent events reported without a named perpetrator ("mortar rounds landed near the base") are kept."""
    return ev.quad_class == 4 and ev.type_confidence >= UNATTRIBUTED_MIN and ev.modality in FACTUAL


def sentence_gap(earlier: Event, later: Event) -> float:
    """How far ``later``'s sentence comes after ``earlier``'s (0 = same sentence; inf if it comes before).
    Measured in evidence sentences approximated by character distance (one sentence ~ 150 characters)."""
    if later.evidence.start == earlier.evidence.start:
        return 0
    if later.evidence.start < earlier.evidence.start:
        return float("inf")
    return max(1, round((later.evidence.start - earlier.evidence.end) / 150) + 1)


def combine(a: Event, b: Event) -> Event:
    if not has_actor(a) and has_actor(b):
        a, b = b, a  # the mention that names its actors carries the evidence
    update: dict = {}
    if not a.actor and b.actor:
        update["actor"] = b.actor
    elif b.actor:
        update["actor"] = a.actor + [e for e in b.actor if (e.country, e.sector) not in
                                     {(x.country, x.sector) for x in a.actor}]
    if b.recipient:
        seen = {(x.country, x.sector) for x in a.recipient}
        update["recipient"] = a.recipient + [e for e in b.recipient if (e.country, e.sector) not in seen]
    if a.date_inferred and not b.date_inferred:
        update.update(date=b.date, date_precision=b.date_precision, date_text=b.date_text, date_span=b.date_span,
                      date_inferred=False)
    if b.location and (a.location is None or precision_rank(b.location) > precision_rank(a.location)):
        update["location"] = b.location
    if b.toll and not a.toll:
        update["toll"] = b.toll
    if b.mode and not a.mode:
        update["mode"] = b.mode
    update["context"] = list(dict.fromkeys(a.context + b.context))
    update["confidence"] = max(a.confidence, b.confidence)
    return a.model_copy(update=update)


def precision_rank(p: Place) -> int:
    return {"country": 0, "admin1": 1, "city": 2, "point": 3}.get(p.precision or "", 0)
