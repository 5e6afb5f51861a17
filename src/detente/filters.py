"""Filter values as an analyst types them -> the codes the store holds; an unknown value is a user error.

Used by the CLI (``--country``, ``--type``: exit 2) and the API (``country=``, ``type=``: 422) so that a filter
that cannot match anything says why instead of answering "no events".

* Countries: ISO 3166-1 alpha-3 codes (any case), detente's non-ISO codes (IGO, NGO, IMG, XKX), or a country
  name / demonym as the actor dictionary knows it ("Pakistan", "Iranian", "Ivory Coast", "Russia").
* Types: the 16 PLOVER event types (any case). A word of the trigger lexicon ("bombing") is not a type; the error
  names the type it codes to.

>>> country_codes("Pakistan, irn")
'PAK,IRN'
>>> event_types("assault,protest")
'ASSAULT,PROTEST'
>>> event_types("BOMBING")
Traceback (most recent call last):
...
detente.errors.DetenteError: [E206] Bad filter type='BOMBING': not a PLOVER event type. Did you mean ASSAULT \
('BOMBING' is coded ASSAULT, mode explosives)? Accepted: AGREE, CONSULT, SUPPORT, CONCEDE, COOPERATE, AID, RETREAT, \
REQUEST, ACCUSE, REJECT, THREATEN, PROTEST, SANCTION, MOBILIZE, COERCE, ASSAULT.
"""

from __future__ import annotations

import csv
import difflib
import re
from collections.abc import Callable, Iterable
from functools import lru_cache
from importlib import resources

from .errors import DetenteError

__all__ = ["country_codes", "event_types", "country_names"]

_DATA = resources.files("detente") / "data"


def _key(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", name.lower()).strip()


def _tsv(*parts: str) -> list[dict[str, str]]:
    with (_DATA.joinpath(*parts)).open(encoding="utf-8", newline="") as fh:
        lines = [line for line in fh if line.strip() and not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


@lru_cache(maxsize=1)
def _countries() -> tuple[frozenset[str], dict[str, str]]:
    """(every accepted code, normalised name -> code)."""
    import pycountry

    codes: set[str] = set()
    names: dict[str, str] = {}
    for c in pycountry.countries:
        codes.add(c.alpha_3)
        for name in (c.name, getattr(c, "common_name", None), getattr(c, "official_name", None)):
            if not name:
                continue
            if "," in name:  # "Korea, Republic of" -> "Republic of Korea"
                head, _, tail = name.partition(",")
                name = f"{tail.strip()} {head.strip()}"
            names.setdefault(_key(name.split(" (")[0]), c.alpha_3)
    for row in _tsv("actors", "codes.tsv"):
        codes.add(row["code"])
        names.setdefault(_key(row["name"]), row["code"])
    for row in _tsv("actors", "countries.tsv"):  # hand-written names and demonyms; seats of government left out
        if row.get("kind") in ("name", "adj") and row.get("country") in codes:
            names.setdefault(_key(row["alias"]), row["country"])
    return frozenset(codes), names


def country_names() -> dict[str, str]:
    """Normalised country name or demonym -> code (what :func:`country_codes` accepts besides codes)."""
    return dict(_countries()[1])


def _one_country(value: str) -> str:
    codes, names = _countries()
    if value.upper() in codes:
        return value.upper()
    found = names.get(_key(value))
    if found:
        return found
    close: dict[str, str] = {}  # code -> the closest name for it
    for n in difflib.get_close_matches(_key(value), list(names), n=5, cutoff=0.75):
        close.setdefault(names[n], n)
    hint = ("Did you mean " + " or ".join(f"{n.title()} ({c})" for c, n in close.items()) + "? ") if close else ""
    raise DetenteError("E206", name="country", value=value,
                       detail=f"not a country. {hint}Give an ISO 3166-1 alpha-3 code (PAK, IRN), a country name "
                              "(Pakistan), or IGO, NGO, IMG for international organisations and groups")


def country_codes(value: str | None) -> str | None:
    """A comma list of codes or names -> a comma list of codes (None/blank stays None); E206 for unknown values."""
    if value is None or not value.strip():
        return None
    out: list[str] = []
    for part in value.split(","):
        if part.strip():
            code = _one_country(part.strip())
            if code not in out:
                out.append(code)
    return ",".join(out) or None


@lru_cache(maxsize=1)
def _lexicon() -> dict[str, list[tuple[str, str]]]:
    """Trigger word (lower case) -> [(PLOVER type, mode)] from the detect lexicon (read as data, no spaCy)."""
    out: dict[str, list[tuple[str, str]]] = {}
    for name in ("triggers.tsv", "triggers_local.tsv"):
        try:
            rows = _tsv("detect", name)
        except OSError:
            continue
        for row in rows:
            word = _key(row.get("pattern") or "")
            reading = ((row.get("event_type") or "").strip(), (row.get("mode") or "").strip())
            if word and reading[0] and reading not in out.setdefault(word, []):
                out[word].append(reading)
    return out


def _type_hint(value: str, known: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(value.upper(), known, n=2, cutoff=0.7)
    if close:
        return f"Did you mean {' or '.join(close)}? "
    word = _key(value)
    lex = _lexicon()
    for cand in (word, word.removesuffix("s"), re.sub(r"(ings?|ed|s)$", "", word)):
        readings = lex.get(cand)
        if readings:
            types = list(dict.fromkeys(t for t, _ in readings))
            modes = [m for t, m in readings if m and t == types[0]]
            how = f", mode {modes[0]}" if len(types) == 1 and len(modes) == 1 else ""
            return f"Did you mean {' or '.join(types)} ('{value}' is coded {' or '.join(types)}{how})? "
    return ""


def event_types(value: str | None, also: Callable[[], Iterable[str]] | None = None) -> str | None:
    """A comma list of PLOVER types (any case) -> upper-case comma list (None/blank stays None); E206 otherwise.

    ``also``: called only for a value that is not a PLOVER type, returns more accepted types (the types a store
    holds, so events coded under an older or extended ontology stay selectable).
    """
    if value is None or not value.strip():
        return None
    from . import ontology

    known = tuple(ontology.PLOVER_TYPES)
    extra: set[str] | None = None
    out: list[str] = []
    for part in value.split(","):
        t = part.strip()
        if not t:
            continue
        if t.upper() not in known and also is not None:
            if extra is None:
                extra = {str(x).upper() for x in also()}
            if t.upper() in extra:
                out.append(t.upper())
                continue
        if t.upper() not in known:
            raise DetenteError("E206", name="type", value=t,
                               detail=f"not a PLOVER event type. {_type_hint(t, known)}Accepted: {', '.join(known)}")
        if t.upper() not in out:
            out.append(t.upper())
    return ",".join(out) or None
