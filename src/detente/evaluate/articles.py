"""``articles``: whole-article precision and recall against the real-news gold (docs/annotation.md).

Every article is coded as a whole and its events are matched **one to one** to the article's gold events:

- *strict*: same PLOVER type; every gold source found among the coded actors and every gold target among the coded
  recipients (a participant with a country is found by country, one without by sector; for types the ontology marks
  ``symmetric`` — talks, agreements — every gold participant among actors ∪ recipients is enough);
- *lenient*: same quad class and at least one gold participant among actors ∪ recipients (any event of the quad
  class when the gold names nobody).

An output matched to a non-optional gold event is right; matched to an optional one it counts neither way; an
unmatched output that would match an already-matched gold event is a **duplicate** (wrong); any other unmatched
output is **spurious** (wrong). Precision = right / (outputs − neutral); recall = right / non-optional gold.
Field accuracies are read on lenient-matched pairs with non-optional gold (so a wrong direction can be seen).
The matching maximises the number of pairs (Hungarian algorithm), preferring same type, then overlapping evidence.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.optimize import linear_sum_assignment

from .. import ontology
from ..schema import Event
from . import common
from .common import code_records, finish
from .metrics import prf
from ..gold import GoldArticle, GoldError, GoldEvent, Party, parse_article

THRESHOLDS = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
INTERNATIONAL = {"IGO": {"IGO", "UNO", "EUR", "AFR", "ASA", "NAT"}, "NGO": {"NGO"}, "BUS": {"MNC"}}
_ADMIN_WORDS = re.compile(r"\b(province|provincia|state|governorate|region|department|departamento|division|"
                          r"oblast|prefecture|territory|district|county|wilayah|pradesh|the|of)\b")


# --- participants ------------------------------------------------------------------------------------------


def _found(p: Party, entities: Iterable[Any]) -> bool:
    """A gold participant among coded entities: by country when the gold has one, else by sector."""
    ents = list(entities)
    if p.country:
        return any((e.country or "").upper() == p.country for e in ents)
    # international bodies are coded with a PLOVER code in the country slot ("IGO", "UNO", "NGO")
    codes = INTERNATIONAL.get(p.sector or "", {p.sector})
    return any((e.sector or "") == p.sector or (e.country or "") in codes for e in ents)


def _directed(g: GoldEvent, out: Event) -> bool:
    return all(_found(p, out.actor) for p in g.source) and all(_found(p, out.recipient) for p in g.target)


def participants_ok(g: GoldEvent, out: Event) -> bool:
    """The strict participant test (direction counts unless the type is symmetric)."""
    if _directed(g, out):
        return True
    if ontology.type_info(g.event_type).symmetric:
        both = list(out.actor) + list(out.recipient)
        return all(_found(p, both) for p in g.source + g.target)
    return False


def strict_match(g: GoldEvent, out: Event) -> bool:
    return out.event_type == g.event_type and participants_ok(g, out)


def lenient_match(g: GoldEvent, out: Event) -> bool:
    if out.quad_class is not None and out.quad_class != g.quad_class:
        return False
    if out.quad_class is None and ontology.quad_class(out.event_type) != g.quad_class:
        return False
    people = g.source + g.target
    return not people or any(_found(p, list(out.actor) + list(out.recipient)) for p in people)


# --- one article -------------------------------------------------------------------------------------------


def _overlap(g: GoldEvent, out: Event, text: str) -> float:
    """1.0 when the output's evidence sentence contains one of the gold evidence strings' positions."""
    for ev in g.evidence:
        at = text.find(ev)
        while at >= 0:
            if at < out.evidence.end and at + len(ev) > out.evidence.start:
                return 1.0
            at = text.find(ev, at + 1)
    return 0.0


@dataclass
class ArticleResult:
    right: list[tuple[int, int]]  # (gold index, output index)
    neutral: list[int]  # outputs matched to optional gold (or duplicating it)
    duplicates: list[int]
    spurious: list[int]
    missed: list[int]  # non-optional gold indexes without a match


def match_article(gold: Sequence[GoldEvent], outputs: Sequence[Event], text: str = "", *,
                  lenient: bool = False) -> ArticleResult:
    """One-to-one matching of one article's outputs to its gold events (see the module docstring)."""
    test = lenient_match if lenient else strict_match
    ok = np.zeros((len(gold), len(outputs)), dtype=bool)
    weight = np.zeros((len(gold), len(outputs)))
    for i, g in enumerate(gold):
        for j, o in enumerate(outputs):
            if test(g, o):
                ok[i, j] = True
                weight[i, j] = (10.0 if not g.optional else 5.0) + (o.event_type == g.event_type) \
                    + _overlap(g, o, text) + 0.01 * float(o.confidence or 0.0)
    pairs: list[tuple[int, int]] = []
    if ok.any():
        rows, cols = linear_sum_assignment(-weight)
        pairs = [(int(i), int(j)) for i, j in zip(rows, cols) if ok[i, j]]
    taken_out = {j for _, j in pairs}
    right = [(i, j) for i, j in pairs if not gold[i].optional]
    neutral = [j for i, j in pairs if gold[i].optional]
    duplicates, spurious = [], []
    for j in range(len(outputs)):
        if j in taken_out:
            continue
        hits = [i for i in range(len(gold)) if ok[i, j]]
        if hits and all(gold[i].optional for i in hits):
            neutral.append(j)
        elif hits:
            duplicates.append(j)
        else:
            spurious.append(j)
    matched_gold = {i for i, _ in pairs}
    missed = [i for i, g in enumerate(gold) if not g.optional and i not in matched_gold]
    return ArticleResult(right, neutral, duplicates, spurious, missed)


# --- field accuracies -------------------------------------------------------------------------------------


def _norm_admin(name: str | None) -> str:
    text = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode().lower()
    text = _ADMIN_WORDS.sub(" ", re.sub(r"[^a-z ]", " ", text))
    return re.sub(r"\b(and|va|y|e)\b", " ", text).replace(" ", "")


def date_right(g: GoldEvent, out: Event) -> bool:
    if out.date is None or g.date is None:
        return False
    if g.date_precision == "year":
        return out.date.year == g.date.year
    if g.date_precision == "month":
        return (out.date.year, out.date.month) == (g.date.year, g.date.month)
    if g.date_precision == "week":
        return abs((out.date - g.date).days) <= 3
    return out.date == g.date and (out.date_precision in (None, "day"))


def _best(count: Any) -> int:
    return int(count.best or 0) if count is not None else 0


def field_checks(g: GoldEvent, out: Event) -> dict[str, bool]:
    """The fields that apply to this pair, each right or wrong."""
    checks: dict[str, bool] = {"modality": getattr(out.modality, "value", out.modality) == g.modality}
    if g.source and g.target and not ontology.type_info(g.event_type).symmetric:
        checks["direction"] = _directed(g, out)
    if g.date is not None:
        checks["date"] = date_right(g, out)
    if g.location is not None and g.location.country:
        checks["location_country"] = bool(out.location and (out.location.country or "") == g.location.country)
    if g.location is not None and g.location.admin1:
        want = _norm_admin(g.location.admin1)
        have = _norm_admin(out.location.admin1) if out.location else ""
        checks["location_admin1"] = bool(have) and (have == want or want in have or have in want)
    toll = out.toll
    if g.killed or g.injured or (toll and (_best(toll.killed) or _best(toll.injured))):
        checks["toll"] = (_best(g.killed), _best(g.injured)) == (
            _best(toll.killed if toll else None), _best(toll.injured if toll else None))
    if g.mode:
        checks["mode"] = out.mode == g.mode
    return checks


FIELDS = ("direction", "date", "location_country", "location_admin1", "toll", "mode", "modality")


# --- the corpus -------------------------------------------------------------------------------------------


def _describe_out(o: Event) -> dict[str, Any]:
    return {"type": o.event_type, "actor": [e.code or e.text for e in o.actor],
            "recipient": [e.code or e.text for e in o.recipient], "confidence": round(float(o.confidence), 3),
            "evidence": common.snippet(o.evidence.text, 160)}


def _describe_gold(g: GoldEvent) -> dict[str, Any]:
    def code(p: Party) -> str:
        return " ".join(x for x in (p.country, p.sector) if x)

    return {"type": g.event_type, "source": [code(p) for p in g.source], "target": [code(p) for p in g.target],
            "evidence": common.snippet(g.evidence[0] if g.evidence else "", 160)}


def score_articles(articles: Sequence[GoldArticle], outputs: Sequence[Sequence[Event]], *,
                   thresholds: Sequence[float] = THRESHOLDS, max_examples: int = common.MAX_EXAMPLES,
                   ) -> dict[str, Any]:
    """The report for coded outputs (one event list per article, in order) against gold articles."""
    n_gold = sum(1 for a in articles for g in a.events if not g.optional)
    n_optional = sum(1 for a in articles for g in a.events if g.optional)
    strict = [match_article(a.events, outs, a.text) for a, outs in zip(articles, outputs)]
    lenient = [match_article(a.events, outs, a.text, lenient=True) for a, outs in zip(articles, outputs)]

    def totals(results: Sequence[ArticleResult]) -> tuple[int, int, int, int, int]:
        right = sum(len(r.right) for r in results)
        dup = sum(len(r.duplicates) for r in results)
        spur = sum(len(r.spurious) for r in results)
        return right, dup, spur, sum(len(r.neutral) for r in results), n_gold - right

    right, dup, spur, neutral, missed = totals(strict)
    l_right, l_dup, l_spur, _, l_missed = totals(lenient)
    head = prf(right, dup + spur, missed)
    lhead = prf(l_right, l_dup + l_spur, l_missed)
    n_output = sum(len(o) for o in outputs)

    fields: dict[str, list[bool]] = defaultdict(list)
    for a, outs, res in zip(articles, outputs, lenient):
        for i, j in res.right:
            for name, ok in field_checks(a.events[i], outs[j]).items():
                fields[name].append(ok)

    curve = []
    for t in thresholds:
        kept = [[o for o in outs if float(o.confidence or 0.0) >= t] for outs in outputs]
        res = [match_article(a.events, k, a.text) for a, k in zip(articles, kept)]
        r_t, d_t, s_t, _, m_t = totals(res)
        curve.append({"threshold": t, "n_output": sum(len(k) for k in kept), **prf(r_t, d_t + s_t, m_t)})

    # ordinary news: what the coder invents where (almost) nothing political happens
    nonpol = [(a, r) for a, r in zip(articles, strict) if a.category == "non-political"]
    invented = [len(r.spurious) + len(r.duplicates) for _, r in nonpol]

    by_cat: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    by_set: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    gold_types: Counter[str] = Counter()
    found_types: Counter[str] = Counter()
    out_types: Counter[str] = Counter()
    right_types: Counter[str] = Counter()
    spurious_ex: list[dict[str, Any]] = []
    missed_ex: list[dict[str, Any]] = []
    per_article = []
    for a, outs, r in zip(articles, outputs, strict):
        wrong = len(r.duplicates) + len(r.spurious)
        for key, table in ((a.category, by_cat), (str(a.provenance.get("dataset") or "?"), by_set)):
            table[key][0] += len(r.right)
            table[key][1] += wrong
            table[key][2] += len(r.missed)
        for g in a.events:
            if not g.optional:
                gold_types[g.event_type] += 1
        for i, j in r.right:
            found_types[a.events[i].event_type] += 1
            right_types[outs[j].event_type] += 1
        neutral_set = set(r.neutral)
        for j, o in enumerate(outs):
            if j not in neutral_set:
                out_types[o.event_type] += 1
        for j in r.spurious + r.duplicates:
            if len(spurious_ex) < max_examples:
                spurious_ex.append({"article": a.id, "kind": "duplicate" if j in r.duplicates else "spurious",
                                    **_describe_out(outs[j])})
        for i in r.missed:
            if len(missed_ex) < max_examples:
                missed_ex.append({"article": a.id, **_describe_gold(a.events[i])})
        per_article.append({"id": a.id, "category": a.category, "n_gold": sum(not g.optional for g in a.events),
                            "n_output": len(outs), "right": len(r.right), "duplicates": len(r.duplicates),
                            "spurious": len(r.spurious), "missed": len(r.missed)})

    report: dict[str, Any] = {
        "n": n_gold, "n_articles": len(articles), "n_gold": n_gold, "n_optional": n_optional, "n_output": n_output,
        **head,
        "lenient_precision": lhead["precision"], "lenient_recall": lhead["recall"], "lenient_f1": lhead["f1"],
        "duplicates": dup, "spurious": spur, "neutral": neutral,
        "duplicate_rate": round(dup / n_output, 4) if n_output else 0.0,
        "n_nonpolitical": len(nonpol),
        "spurious_per_nonpolitical_article": round(sum(invented) / len(nonpol), 4) if nonpol else 0.0,
        "nonpolitical_with_spurious": round(sum(1 for x in invented if x) / len(nonpol), 4) if nonpol else 0.0,
    }
    for name in FIELDS:
        vals = fields.get(name, [])
        report[f"{name}_acc"] = round(sum(vals) / len(vals), 4) if vals else None
    report["details"] = {
        "field_support": {name: len(fields.get(name, [])) for name in FIELDS},
        "thresholds": curve,
        "by_category": {k: {"n_gold": v[0] + v[2], **prf(v[0], v[1], v[2])} for k, v in sorted(by_cat.items())},
        "by_dataset": {k: {"n_gold": v[0] + v[2], **prf(v[0], v[1], v[2])} for k, v in sorted(by_set.items())},
        "by_type": {t: {"gold": gold_types[t], "found": found_types[t], "output": out_types[t],
                        "right": right_types[t],
                        **prf(right_types[t], out_types[t] - right_types[t], gold_types[t] - found_types[t])}
                    for t in sorted(set(gold_types) | set(out_types))},
        "spurious_examples": spurious_ex, "missed_examples": missed_ex, "articles": per_article,
    }
    return report


def run(records: list[dict[str, Any]], *, task: str = "articles", coder: Any = None, limit: int | None = None,
        batch_size: int = 16, include_trained: bool = False, include_negated: bool = False,
        max_examples: int = common.MAX_EXAMPLES, **options: Any) -> dict[str, Any]:
    """Code each gold article and score it (module docstring). Records that break the guide are skipped (E802)."""
    coder = common.get_coder(coder)
    problems: dict[str, list[dict[str, str]]] = {"skipped": [], "coder_errors": []}
    good, parsed = [], []
    for rec in records:
        try:
            parsed.append(parse_article(rec))
            good.append(rec)
        except GoldError as exc:
            problems["skipped"].append({"id": str(rec.get("id")), "error": str(exc)})
    good, selection = common.select(good, coder, limit=limit, include_trained=include_trained)
    keep = {str(r["id"]) for r in good}
    parsed = [a for a in parsed if a.id in keep]
    events, coding = code_records(good, coder, batch_size=batch_size)
    for key, vals in coding.items():
        problems[key].extend(vals)
    outputs = [common.usable(evs or [], include_negated=include_negated) for evs in events]
    report = score_articles(parsed, outputs, max_examples=max_examples)
    return finish(report, problems, coder, good, selection)
