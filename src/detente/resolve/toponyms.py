"""Toponyms in a parsed sentence without NER: proper-noun chains the syntax marks as places."""

from __future__ import annotations

from ..schema import Place

LOCATIVE_PREPS = {"in", "near", "at", "inside", "within", "across", "outside", "around", "into", "on", "from"}

PLACE_NOUNS = {"province", "region", "state", "city", "town", "village", "district", "county", "governorate",
               "oblast", "prefecture", "township", "area", "capital", "border", "camp", "enclave", "territory"}


CALENDAR_WORDS = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april may june july august "
    "september october november december jan feb mar apr jun jul aug sep sept oct nov dec".split())


def toponym_chains(doc) -> list[tuple[int, int, bool]]:
    """Maximal runs of proper nouns (joined by hyphens), as (start, end, strong): strong when the syntax says
    place — object of a locative preposition, or followed by a place noun ("Sagaing region")."""
    out = []
    i, n = 0, len(doc)
    while i < n:
        if doc[i].pos_ != "PROPN":
            i += 1
            continue
        j = i
        while j + 1 < n and (doc[j + 1].pos_ == "PROPN" or (doc[j + 1].text == "-" and j + 2 < n
                                                              and doc[j + 2].pos_ == "PROPN")):
            j += 2 if doc[j + 1].text == "-" else 1
        if all(t.lower_ in CALENDAR_WORDS or t.like_num for t in doc[i:j + 1]):
            i = j + 1  # "on Thursday", "in March": a date, not Thursday Island or a town called March
            continue
        root = doc[i:j + 1].root
        strong = (root.dep_ == "pobj" and root.head.lower_ in LOCATIVE_PREPS) or (
            j + 1 < n and doc[j + 1].lower_ in PLACE_NOUNS) or (root.head.lemma_.lower() in PLACE_NOUNS)
        out.append((i, j + 1, strong))
        i = j + 1
    return out


def chain_head(doc, start: int, end: int) -> int:
    return doc[start:end].root.i


def place_in(obj, places: dict[int, Place | None]) -> Place | None:
    """The place an object phrase names: itself, its "of" complement ("the village of Let Pan Hla"), or a
    proper-noun modifier ("the Jenin camp")."""
    if obj.i in places:
        return places[obj.i]
    for child in obj.children:
        if child.dep_ in ("compound", "appos", "nmod", "poss") and child.i in places:
            return places[child.i]
        if child.dep_ == "prep" and child.lower_ in ("of", "in", "near"):
            for g in child.children:
                if g.dep_ == "pobj" and g.i in places:
                    return places[g.i]
    return None
