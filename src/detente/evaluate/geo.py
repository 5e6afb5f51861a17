"""The ``geo`` eval task: toponym resolution and detection against gold toponyms.

Gold: ``record["location"]`` is a list of ``{text, start, end}`` with ``geonameid`` and/or ``lat``/``lon``.

(a) Resolution given the gold spans (all gold toponyms of a document resolved jointly):
    ``exact`` (same GeoNames id, over gold with an id), ``acc_161km``, ``median_km``, ``mean_km`` (over gold with
    coordinates). An unresolved toponym counts as a miss at 20,039 km (half the earth's circumference), as in
    Gritta et al. (2018). ``coverage_161km`` is the share of gold for which *some* gazetteer candidate of the gold
    text lies within 161 km: the ceiling the gazetteer allows.
(b) Detection end to end: spaCy NER (GPE, LOC, FAC) over the text, scored against the gold spans (exact and
    overlap match), then ``e2e_acc_161km`` over the gold toponyms matched by overlap.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from ..resolve.places import PlaceResolver, haversine_km

MISS_KM = 20039.0


def _gold(rec: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    text = rec.get("text") or ""
    for loc in rec.get("location") or []:
        if not isinstance(loc, dict):
            continue
        try:
            start, end = int(loc["start"]), int(loc["end"])
        except (KeyError, TypeError, ValueError):
            continue
        if not (0 <= start < end <= len(text)):
            continue
        gid = loc.get("geonameid")
        lat, lon = loc.get("lat"), loc.get("lon")
        out.append({"text": loc.get("text") or text[start:end], "start": start, "end": end,
                    "gid": int(gid) if gid not in (None, "") else None,
                    "lat": float(lat) if lat not in (None, "") else None,
                    "lon": float(lon) if lon not in (None, "") else None})
    return out


def distance_errors(pred: Sequence[Any], gold: Sequence[dict[str, Any]], *, id_credit: bool = True) -> list[float]:
    """Error in km per gold toponym with coordinates (``MISS_KM`` when unresolved or without coordinates).
    With ``id_credit``, a prediction with the gold GeoNames id has error 0 (same place; the representative points
    of large areas differ between sources).

    >>> distance_errors([None], [{"lat": 0.0, "lon": 0.0}])
    [20039.0]
    """
    out = []
    for p, g in zip(pred, gold):
        if g.get("lat") is None or g.get("lon") is None:
            continue
        if id_credit and p is not None and g.get("gid") is not None and p.geonames_id == g["gid"]:
            out.append(0.0)
        elif p is None or p.lat is None or p.lon is None:
            out.append(MISS_KM)
        else:
            out.append(haversine_km(p.lat, p.lon, g["lat"], g["lon"]))
    return out


def summarize_errors(errors: Sequence[float], *, within: float = 161.0) -> dict[str, Any]:
    """acc@161 km, median and mean error of a list of errors in km.

    >>> summarize_errors([0.0, 100.0, 500.0])
    {'n': 3, 'acc_161km': 0.6667, 'median_km': 100.0, 'mean_km': 200.0}
    """
    if not errors:
        return {"n": 0, "acc_161km": None, "median_km": None, "mean_km": None}
    return {"n": len(errors), "acc_161km": round(sum(e <= within for e in errors) / len(errors), 4),
            "median_km": round(statistics.median(errors), 1), "mean_km": round(statistics.fmean(errors), 1)}


def span_prf(pred: Sequence[tuple[int, int]], gold: Sequence[tuple[int, int]]) -> dict[str, dict[str, float]]:
    """Precision / recall / F1 of predicted spans, by exact and by overlap match (each span matched once).

    >>> span_prf([(0, 5), (10, 14)], [(0, 5), (9, 14), (20, 25)])["overlap"]["recall"]
    0.6667
    """
    out = {}
    for mode in ("exact", "overlap"):
        used: set[int] = set()
        tp = 0
        for ps, pe in pred:
            for k, (gs, ge) in enumerate(gold):
                if k in used:
                    continue
                if (ps, pe) == (gs, ge) if mode == "exact" else (ps < ge and gs < pe):
                    used.add(k)
                    tp += 1
                    break
        p = tp / len(pred) if pred else 0.0
        r = tp / len(gold) if gold else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        out[mode] = {"tp": tp, "pred": len(pred), "gold": len(gold), "precision": round(p, 4),
                     "recall": round(r, 4), "f1": round(f, 4)}
    return out


def detect_toponyms(doc: Any, resolver: PlaceResolver) -> list[tuple[str, int, int]]:
    """Toponym mentions from a spaCy Doc: GPE/LOC/FAC entities, NORP entities that are known demonyms, and
    PERSON/ORG entities whose whole text is a gazetteer country or admin1 name (the small model mislabels them)."""
    out = []
    for ent in doc.ents:
        text = ent.text
        start, end = ent.start_char, ent.end_char
        if text.lower().startswith("the "):
            start += 4
            text = text[4:]
        if ent.label_ in ("GPE", "LOC", "FAC"):
            out.append((text, start, end))
        elif ent.label_ == "NORP":
            if resolver.gaz.is_demonym(text):
                out.append((text, start, end))
        elif ent.label_ in ("PERSON", "ORG"):
            cands = resolver.gaz.candidates(text)
            if cands and any(c.feature_code in ("PCLI", "ADM1") and not c.alternate for c in cands):
                out.append((text, start, end))
    return out


def run(records: list[dict[str, Any]], task: str = "geo", *, detection: bool = True,
        resolver: PlaceResolver | None = None, nlp: Any = None, **options: Any) -> dict[str, Any]:
    """Score toponym resolution (gold spans) and detection (spaCy NER) on gold records.

    Returns top-level ``n, exact, acc_161km, median_km, mean_km, detection_precision, detection_recall,
    detection_f1`` and nested details, with a per-dataset breakdown when the records mix datasets.
    """
    resolver = (resolver or PlaceResolver()).initialize()
    by_ds: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for rec in records:
        by_ds[str(rec.get("dataset") or "unknown")].append(rec)
    if detection and nlp is None:
        from ..annotate import load_nlp

        nlp = load_nlp()
    per: dict[str, dict[str, Any]] = {}
    pooled: dict[str, list[Any]] = defaultdict(list)
    for ds, recs in by_ds.items():
        acc = _score(recs, resolver, nlp if detection else None)
        per[ds] = _report(acc)
        for k, v in acc.items():
            pooled[k].extend(v)
    report = _report(pooled)
    report["task"] = task
    if len(per) > 1:
        report["datasets"] = per
    return report


def _score(records: list[dict[str, Any]], resolver: PlaceResolver, nlp: Any) -> dict[str, list[Any]]:
    acc: dict[str, list[Any]] = defaultdict(list)
    for rec in records:
        text = rec.get("text") or ""
        gold = _gold(rec)
        acc["docs"].append(1)
        if gold:
            preds = resolver.resolve([(g["text"], g["start"], g["end"]) for g in gold], text=text)
            for p, g in zip(preds, gold):
                if g["gid"] is not None or g["lat"] is not None:
                    acc["scored"].append(1)
                if g["gid"] is not None:
                    acc["exact"].append(bool(p is not None and p.geonames_id == g["gid"]))
                if g["lat"] is not None:
                    err = distance_errors([p], [g])[0]
                    acc["errors"].append(err)
                    acc["errors_raw"].append(distance_errors([p], [g], id_credit=False)[0])
                    acc["resolved"].append(p is not None)
                    cands = resolver.candidates_for(g["text"])
                    acc["coverage"].append(any(c.lat is not None and haversine_km(c.lat, c.lon, g["lat"], g["lon"])
                                               <= 161 for c in cands))
                    if err > 161:
                        acc["misses"].append({"id": rec.get("id"), "text": g["text"],
                                              "pred": p.name if p else None,
                                              "pred_country": p.country if p else None, "km": round(err)})
                elif g["gid"] is None:
                    acc["unlinked"].append(1)
        if nlp is not None:
            doc = nlp(text)
            mentions = detect_toponyms(doc, resolver)
            pred_spans = [(s, e) for _, s, e in mentions]
            gold_spans = [(g["start"], g["end"]) for g in gold]
            prf = span_prf(pred_spans, gold_spans)
            for mode in ("exact", "overlap"):
                for k in ("tp", "pred", "gold"):
                    acc[f"det_{mode}_{k}"].append(prf[mode][k])
            places = resolver.resolve(mentions, text=text) if mentions else []
            for g in gold:
                if g["lat"] is None:
                    continue
                hit = next((p for (t, s, e), p in zip(mentions, places) if s < g["end"] and g["start"] < e), None)
                matched = any(s < g["end"] and g["start"] < e for _, s, e in mentions)
                if matched:
                    acc["e2e_errors"].append(distance_errors([hit], [g])[0])
    return acc


def _prf(tp: int, pred: int, gold: int) -> dict[str, float]:
    p = tp / pred if pred else 0.0
    r = tp / gold if gold else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0,
            "tp": tp, "pred": pred, "gold": gold}


def _report(acc: dict[str, list[Any]]) -> dict[str, Any]:
    errs = summarize_errors(acc.get("errors", []))
    exact = acc.get("exact", [])
    cov = acc.get("coverage", [])
    report: dict[str, Any] = {
        "n": len(acc.get("scored", [])),
        "exact": round(sum(exact) / len(exact), 4) if exact else None,
        "acc_161km": errs["acc_161km"], "median_km": errs["median_km"], "mean_km": errs["mean_km"],
    }
    raw = summarize_errors(acc.get("errors_raw", []))
    resolution = {"n_with_coords": errs["n"], "acc_161km_without_id_credit": raw["acc_161km"], "n_with_id": len(exact),
                  "unresolved": sum(1 for r in acc.get("resolved", []) if not r),
                  "coverage_161km": round(sum(cov) / len(cov), 4) if cov else None,
                  "gold_without_id_or_coords": len(acc.get("unlinked", [])),
                  "docs": len(acc.get("docs", []))}
    misses = acc.get("misses", [])
    resolution["worst"] = sorted(misses, key=lambda m: -m["km"])[:15]
    if "det_exact_tp" in acc:
        det = {mode: _prf(*(sum(acc[f"det_{mode}_{k}"]) for k in ("tp", "pred", "gold")))
               for mode in ("exact", "overlap")}
        e2e = summarize_errors(acc.get("e2e_errors", []))
        report.update(detection_precision=det["exact"]["precision"], detection_recall=det["exact"]["recall"],
                      detection_f1=det["exact"]["f1"], detection_f1_overlap=det["overlap"]["f1"],
                      e2e_acc_161km=e2e["acc_161km"])
        report["detection"] = {**det, "end_to_end": e2e}
    report["resolution"] = resolution
    return report
