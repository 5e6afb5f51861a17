"""Training examples for the learned event model (``detect.event_model``): one sentence, its context, its labels.

Every example keeps its ``origin`` (data set, file, record) and the ``gold_id`` that evaluation must leave out. Labels
are multi-label over the 16 PLOVER types: ``labels`` lists the types the sentence reports as a specific event,
``known`` the types whose presence or absence the source actually tells (all of them for fully annotated sentences,
only PROTEST for a protest/no-protest set, ASSAULT and COERCE for the police-action set); unknown types are masked
out of the loss. ``modality`` is given where the source gives it (else None). ``roles`` are the character spans of
the sentence that name the event's source and its target (``[start, end, "source" | "target"]``), where the source
names them; ``roles_known`` says whether the sentence's role tags can be trusted everywhere (a sentence that reports
no event names no roles; a sentence whose phrases could not all be found is left out of the role loss).

Sources (``build``):

* ``realnews`` — the train split of the team's real-news gold (``data/gold/realnews/train.jsonl``): every sentence of
  every article, labelled with the non-optional gold events whose evidence it holds; the types of optional events
  it holds are masked (they may be coded or not). The dev split is never read here.
* ``team`` — the team's sentences (``detente/data/training``), one labelled type each (NONE = no event), with their
  source and target phrases.
* from ``../shared/data``, the training half (``train.split_half``) of plover_gsr, case2021_task2 and
  petrarch2_unittests (as the type classifier uses them); india_police_events sentences of training-half documents
  (ASSAULT/COERCE known); glocon sentences (PROTEST known); English UCDP headlines that name the place or the toll
  (ASSAULT); Wikipedia current-events items in sport, business, culture, technology, health and disasters (no event).
  The training half of conflibert_cameo sentences that mark source and target spans (roles only: their quad
  classes are not PLOVER types), and of RAMS documents: the trigger's sentence with its arguments, sides by
  ``ontology/argument_roles.csv`` (roles only).
  Any record that the real-news gold took an article from is left out (its article is scored there).
"""

from __future__ import annotations

import hashlib
import json
import random
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .. import ontology
from ..annotate import split_sentences
from ..errors import DetenteError
from .event_model import context_of
from .train import REPO, TEAM_DATA, split_half

PLOVER = tuple(ontology.PLOVER_TYPES)
MODALITIES = ("asserted", "negated", "hypothetical", "future", "claimed", "denied")
REALNEWS = REPO / "data" / "gold" / "realnews"
QUIET_CATEGORIES = {"Sports", "Business_Finance", "Entertainment_Culture", "Technology_Internet",
                    "Health_Medical_Pharma", "Disaster_Accident"}
CAPS = {"india_police_negative": 1200, "glocon": 1000, "ucdp": 400}


def _jsonl(path: Path) -> Iterator[dict[str, Any]]:
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def _example(text: str, *, origin: str, gold_id: str, labels=(), known=PLOVER, context: str = "",
             modality: str | None = None, roles: list | None = None) -> dict[str, Any]:
    """One example. ``roles``: the (start, end, side) spans in ``text``; None when the source does not tell them
    (then only a sentence with no event of any type has known roles: none)."""
    lead = len(text) - len(text.lstrip())
    if roles is None and not labels and set(known) == set(PLOVER):
        roles = []
    return {"text": text.strip(), "context": context.strip(), "labels": sorted(set(labels)),
            "known": sorted(set(known)), "modality": modality, "origin": origin, "gold_id": gold_id,
            "roles": sorted([s - lead, e - lead, side] for s, e, side in roles) if roles is not None else [],
            "roles_known": roles is not None}


def find_phrase(text: str, phrase: str | None) -> tuple[int, int] | None:
    """Where ``phrase`` is in ``text``, ignoring case and the spacing of tokenised sources ("government 's")."""
    words = re.findall(r"\w+|[^\w\s]", phrase or "")
    if not words:
        return None
    m = re.search(r"(?<!\w)" + r"\s*".join(re.escape(w) for w in words) + r"(?!\w)", text, re.I)
    return (m.start(), m.end()) if m else None


def _spans(text: str, sides: list[tuple[str, str | None]], *, variants: bool = False) -> list | None:
    """The role spans of the named phrases, or None when one of them is not in the text (roles then unknown).
    ``variants``: a gold name is a description ("FMLN (Commander Ferman Cienfuegos)", "Bishop John McAreavey"),
    so its parts are tried too: without the brackets, inside them, before a comma, the last capitalised word."""
    out = []
    for side, phrase in sides:
        if not phrase:
            continue
        tries = [phrase]
        if variants:
            bare = re.sub(r"\s*\([^)]*\)", "", phrase).strip()
            tries += [bare, *re.findall(r"\(([^)]*)\)", phrase), bare.split(",")[0]]
            last = bare.split()[-1] if bare.split() else ""
            if last[:1].isupper() and len(last) > 3:
                tries.append(last)
        at = next((a for t in tries for a in [find_phrase(text, t)] if a), None)
        if at is None:
            return None
        out.append([at[0], at[1], side])
    return out


def marked_roles(path: Path = REALNEWS / "role_spans.jsonl") -> dict[tuple[str, int], dict[str, Any]]:
    """The train events' source and target words as annotators marked them in the evidence sentence
    (``scripts/realnews/role_spans.py``), by (article id, event index)."""
    if not path.is_file():
        return {}
    return {(r["article"], int(r["event"])): r for r in _jsonl(path)}


def realnews_examples(path: Path = REALNEWS / "train.jsonl",
                      marked: dict[tuple[str, int], dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """Every sentence of the real-news train split. Role tags: for a sentence that holds exactly one (non-optional)
    event, the words the annotators marked (``marked_roles``); without marks, the gold participants' names where all
    of them are found in the sentence; otherwise unknown."""
    from ..gold import parse_article

    out = []
    if not path.is_file():
        return out
    marked = marked_roles() if marked is None else marked
    for rec in _jsonl(path):
        art = parse_article(rec)
        spans = split_sentences(art.text)
        for i, (s, e) in enumerate(spans):
            labels, masked, modality = set(), set(), set()
            held = []
            for k, g in enumerate(art.events):
                hit = False
                for ev in g.evidence:
                    at = art.text.find(ev)
                    while at >= 0 and not hit:
                        hit = at < e and at + len(ev) > s
                        at = art.text.find(ev, at + 1)
                if not hit:
                    continue
                (masked if g.optional else labels).add(g.event_type)
                held.append((k, g))
                if not g.optional:
                    modality.add(g.modality)
            known = set(PLOVER) - (masked - labels)
            roles = None
            k, g = held[0] if len(held) == 1 else (-1, None)
            mark = marked.get((art.id, k))
            if g is not None and not g.optional and mark is not None and mark["sentence"] == art.text[s:e]:
                roles = _spans(art.text[s:e], [("source", w) for w in mark["source"]] +
                               [("target", w) for w in mark["target"]])
            elif g is not None and not g.optional and g.source + g.target:
                roles = _spans(art.text[s:e], [("source", p.name) for p in g.source] +
                               [("target", p.name) for p in g.target], variants=True)
                if roles is not None and any(not p.name for p in g.source + g.target):
                    roles = None  # a participant the annotator named by code only may be in the sentence
            out.append(_example(art.text[s:e], origin=f"realnews:{art.id}:{i}", gold_id=art.id, labels=labels,
                                known=known, context=context_of(art.title, art.text, spans, i),
                                modality=next(iter(modality)) if len(modality) == 1 else
                                ("asserted" if not labels and not masked else None), roles=roles))
    return out


def team_examples() -> list[dict[str, Any]]:
    out = []
    for path in sorted(TEAM_DATA.glob("*.jsonl")):
        for n, rec in enumerate(_jsonl(path), 1):
            etype = rec["event_type"]
            out.append(_example(rec["text"], origin=f"team:{path.name}:{n}", gold_id=f"team:{path.name}:{n}",
                                labels=[] if etype == ontology.NONE_TYPE else [etype],
                                modality=rec.get("modality") or "asserted",
                                roles=[] if etype == ontology.NONE_TYPE else _spans(
                                    rec["text"], [("source", rec.get("source")), ("target", rec.get("target"))])))
    return out


def _pool_records() -> set[str]:
    path = REALNEWS / "pool.jsonl"
    return {r["provenance"]["record_id"] for r in _jsonl(path)} if path.is_file() else set()


def shared_examples(root: Path, *, seed: int = 13) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    taken = _pool_records()
    out: list[dict[str, Any]] = []

    def half(rec: dict[str, Any]) -> bool:
        return split_half(rec["id"]) == "train" and rec["id"] not in taken

    for rec in _jsonl(root / "plover_gsr" / "plover_gsr_dev.jsonl"):
        if half(rec) and rec.get("event_type") in PLOVER:
            out.append(_example(rec["text"], origin=f"plover_gsr:{rec['id']}", gold_id=rec["id"],
                                labels=[rec["event_type"]],
                                roles=_spans(rec["text"], [("source", p.get("text")) for p in rec.get("source") or []]
                                             + [("target", p.get("text")) for p in rec.get("target") or []])))
    for rec in _jsonl(root / "case2021_task2" / "case2021_task2_dev.jsonl"):
        if half(rec):
            mapped = ontology.from_case2021(rec["event_type"])
            if mapped:
                out.append(_example(rec["text"], origin=f"case2021_task2:{rec['id']}", gold_id=rec["id"],
                                    labels=[] if mapped[0] == ontology.NONE_TYPE else [mapped[0]]))
    for rec in _jsonl(root / "petrarch2_unittests" / "petrarch2_unittests.jsonl"):
        if not half(rec):
            continue
        codes = {e.get("event_code") for e in rec.get("events") or [] if e.get("event_code")}
        if (rec.get("gold_extra") or {}).get("no_events_expected"):
            out.append(_example(rec["text"], origin=f"petrarch2:{rec['id']}", gold_id=rec["id"]))
            continue
        types = set()
        for code in codes:
            try:
                mapped = ontology.from_cameo(code)
            except DetenteError:
                mapped = None
            if mapped:
                types.add(mapped[0])
        if types:
            out.append(_example(rec["text"], origin=f"petrarch2:{rec['id']}", gold_id=rec["id"], labels=types))
    # police actions in a real Indian news stream: documents of the training half only (the police eval scores
    # the other half), never a document the real-news gold took
    negatives = []
    for rec in _jsonl(root / "india_police_events" / "india_police_events_sents.jsonl"):
        doc_id = f"IPE-doc-{(rec.get('meta') or {}).get('doc_id')}"
        if split_half(doc_id) != "train" or doc_id in taken or len(rec["text"].strip()) < 20:
            continue
        labels = set((rec.get("gold_extra") or {}).get("labels") or [])
        types = {"ASSAULT"} if labels & {"KILL", "FORCE"} else set()
        types |= {"COERCE"} if "ARREST" in labels else set()
        ex = _example(rec["text"], origin=f"india_police_events:{rec['id']}", gold_id=doc_id, labels=types,
                      known=("ASSAULT", "COERCE"))
        if types:
            out.append(ex)
        elif not labels:
            negatives.append(ex)
    out.extend(rng.sample(negatives, min(len(negatives), CAPS["india_police_negative"])))
    glocon = [rec for rec in _jsonl(root / "glocon_gold_sample" / "glocon_sents.jsonl") if rec["id"] not in taken]
    for rec in rng.sample(glocon, min(len(glocon), CAPS["glocon"])):
        protest = bool((rec.get("gold_extra") or {}).get("protest_label"))
        out.append(_example(rec["text"], origin=f"glocon:{rec['id']}", gold_id=rec["id"],
                            labels=["PROTEST"] if protest else [], known=("PROTEST",)))
    ucdp = []
    for rec in _jsonl(root / "ucdp_ged_headlines" / "ucdp_ged_headlines_train.jsonl"):
        agree = (rec.get("gold_extra") or {}).get("headline_agreement") or {}
        if rec["id"] in taken or not rec["text"].isascii() or not (agree.get("toll_in_text")
                                                                  or agree.get("place_in_text")):
            continue
        ucdp.append(_example(rec["text"].replace("\n", " | "), origin=f"ucdp_ged_headlines:{rec['id']}",
                             gold_id=rec["id"], labels=["ASSAULT"], known=("ASSAULT",)))
    out.extend(rng.sample(ucdp, min(len(ucdp), CAPS["ucdp"])))
    for rec in _jsonl(root / "wikitimes_cep_2015_09" / "wikitimes_cep_2015_09_train.jsonl"):
        if rec["id"] not in taken and rec.get("event_type") in QUIET_CATEGORIES:
            out.append(_example(rec["text"], origin=f"wikitimes_cep_2015_09:{rec['id']}", gold_id=rec["id"]))
    out.extend(role_examples(root, half))
    return out


def role_examples(root: Path, half) -> list[dict[str, Any]]:
    """Sentences that tell only who did what to whom (their types are not PLOVER's): conflibert_cameo's marked
    source and target spans, RAMS arguments on the trigger's sentence."""
    out = []
    for rec in _jsonl(root / "conflibert_cameo" / "conflibert_cameo_train.jsonl"):
        if half(rec) and (rec.get("gold_extra") or {}).get("has_actor_spans"):
            roles = _spans(rec["text"], [("source", p.get("text")) for p in rec.get("source") or []]
                           + [("target", p.get("text")) for p in rec.get("target") or []])
            if roles:
                out.append(_example(rec["text"], origin=f"conflibert_cameo:{rec['id']}", gold_id=rec["id"],
                                    known=(), roles=roles))
    for rec in _jsonl(root / "rams" / "rams_dev.jsonl"):
        if not half(rec):
            continue
        text, bounds, at = rec["text"], [], 0  # RAMS text is its tokens joined by single spaces
        lengths = (rec.get("gold_extra") or {}).get("sentence_token_lengths") or []
        starts = [m.start() for m in re.finditer(r"\S+", text)]
        for n in lengths:
            if at + n > len(starts):
                break
            end = starts[at + n] - 1 if at + n < len(starts) else len(text)
            bounds.append((starts[at], end))
            at += n
        for k, ev in enumerate(rec.get("events") or []):
            t0 = ev["trigger"]["start"]
            sent = next(((s, e) for s, e in bounds if s <= t0 < e), None)
            if sent is None:
                continue
            s, e = sent
            roles = [[a["start"] - s, a["end"] - s, side] for a in ev.get("arguments") or []
                     for side in [ontology.argument_side(a["role"])] if side and s <= a["start"] and a["end"] <= e]
            if roles:
                out.append(_example(text[s:e], origin=f"rams:{rec['id']}:{k}", gold_id=rec["id"], known=(),
                                    roles=roles))
    return out


def build(shared: Path | None) -> list[dict[str, Any]]:
    """All examples, deterministic order (by a hash of the origin)."""
    rows = realnews_examples() + team_examples() + (shared_examples(shared) if shared else [])
    rows = [r for r in rows if r["text"]]
    rows.sort(key=lambda r: hashlib.sha1(r["origin"].encode()).hexdigest())
    return rows


def main(argv: list[str] | None = None) -> None:
    """``python -m detente.detect.event_data OUT.jsonl [--shared PATH]``: write the training examples."""
    import argparse
    from collections import Counter

    from .train import shared_dir

    ap = argparse.ArgumentParser(description=main.__doc__)
    ap.add_argument("out", type=Path)
    ap.add_argument("--shared", default=None)
    args = ap.parse_args(argv)
    rows = build(shared_dir(args.shared))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    by_origin = Counter(r["origin"].split(":")[0] for r in rows)
    print(f"{len(rows)} examples -> {args.out}: {dict(by_origin)}")


if __name__ == "__main__":
    main()
