"""Casualty tolls: killed and injured counts as low / best / high, with who the casualties were.

Rules over the text (no model): a quantity ("at least 12", "dozens", "two dozen", "between 10 and 15") tied to a
casualty word either after it ("12 people were killed", "9 fatalities", "left 5 dead") or before it ("killing at least
12", "wounded 7", "the death toll rose to 31", "the deaths of two children"). Numbers not tied to a casualty word
("12 people were arrested", "50 km", "in 2024") are ignored. Conventions (ACLED's conservative ones as reference) are in
docs/tolls.md; the number words and vague quantities are data in ``detente/data/numbers``.

>>> t = find_tolls("The blast killed at least 12 people and wounded dozens.")[0]
>>> (t.killed.low, t.killed.best, t.killed.high), (t.injured.low, t.injured.best)
((12, 12, None), (12, 12))
>>> find_tolls("Police said 12 people were arrested 50 km from the town.")
[]
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

from ..errors import DetenteError
from ..resources import read_tsv_rows
from ..schema import Count, Span, Toll

__all__ = ["find_tolls", "parse_count", "MAX_DIGITS"]

MAX_DIGITS = 15  # a number with more digits is no count (the schema flags anything above TOLL_MAX anyway)


def _read_tsv(name: str) -> list[list[str]]:
    return read_tsv_rows("numbers", name)


def _alt(words: list[str]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(set(words), key=len, reverse=True))


@dataclass(frozen=True)
class _Lex:
    numbers: dict[str, int]
    multipliers: dict[str, int]
    vague: dict[str, tuple[int | None, int | None, int | None]]
    modifiers: dict[str, str]
    groups: dict[str, str]
    nouns: dict[str, str]
    qty: re.Pattern[str]
    count_full: re.Pattern[str]
    right_cue: re.Pattern[str]
    left_cue: re.Pattern[str]
    who_word: re.Pattern[str]
    who_tail: re.Pattern[str]


_KILLED_RIGHT = (r"killed|dead|died|die|deaths|fatalities|slain|murdered|executed|perished|massacred|"
                 r"lost\s+their\s+lives|lost\s+his\s+life|lost\s+her\s+life|shot\s+dead|beheaded|lynched|"
                 r"burned\s+to\s+death|stabbed\s+to\s+death|beaten\s+to\s+death|confirmed\s+dead|bodies")
_INJURED_RIGHT = r"injured|wounded|hurt|injuries|hospitali[sz]ed|maimed"
_ARRESTED_RIGHT = r"arrested|detained|taken\s+into\s+custody|rounded\s+up|nabbed|apprehended|booked"
_ARRESTED_LEFT = r"arresting|arrested|detaining|detained|rounding\s+up|rounded\s+up|nabbing|nabbed|the\s+arrest\s+of"
_KILLED_LEFT = (r"(?:shot|gunned|hacked|stabbed|beaten|bludgeoned|burnt|burned)\s+(?:dead|down|to\s+death)|"
                r"killing|killed|kills|kill|slaying|slew|massacring|massacred|executing|executed|claiming\s+the\s+lives"
                r"\s+of|claimed\s+the\s+lives\s+of|death\s+toll\s+(?:[\w-]+\s+){0,4}?(?:to|at|of|reached|hit)|"
                r"toll\s+(?:rose|climbed|jumped|reached|stood|stands|rises|increased|hit)\s+(?:to\s+|at\s+)?|"
                r"(?:the\s+)?deaths?\s+of|bodies\s+of|death\s+toll\s+of|toll\s+of")
_INJURED_LEFT = r"wounding|wounded|injuring|injured|hurting|maiming|injuries\s+to"
_AUX = (r"(?:(?:were|was|have\s+been|has\s+been|had\s+been|are|is|got|being|been|be|reportedly|reported|confirmed|"
        r"believed|feared|thought|said\s+to\s+be|later|also|all|critically|seriously|badly|fatally|slightly|left)\s+)")
_STOP = (r"(?:arrested|detained|held|abducted|kidnapped|missing|displaced|evacuated|rescued|freed|released|km|"
         r"kilometres|kilometers|miles|years?|months?|weeks?|days?|hours?|minutes?|percent|per|%|cent|dollars|tons|"
         r"and|or|but|while|when|after|before|since|because|from|in|at|on|near|by)")


@lru_cache(maxsize=1)
def _lex() -> _Lex:
    numbers = {r[0]: int(r[1]) for r in _read_tsv("number_words.tsv")}
    multipliers = {r[0]: int(r[1]) for r in _read_tsv("multipliers.tsv")}
    vague = {r[0]: tuple(int(x) if x.strip() else None for x in (r + ["", "", ""])[1:4])
             for r in _read_tsv("vague_quantities.tsv")}
    modifiers = {r[0]: r[1] for r in _read_tsv("modifiers.tsv")}
    groups = {r[0]: r[1] for r in _read_tsv("casualty_groups.tsv")}
    nouns = {r[0]: r[1] for r in _read_tsv("casualty_nouns.tsv")}
    word_num = _alt([w for w in numbers if w not in ("a", "an", "single", "a single")])
    mult = _alt(list(multipliers))
    digits = r"\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?"
    single = rf"(?:{digits}|{word_num})(?:\s+(?:{mult})(?:\s+(?:and\s+)?(?:{word_num}|\d+))?)?"
    vague_alt = _alt(list(vague))
    mod = _alt(list(modifiers))
    qty = (rf"(?:(?:{mod})\s+)?(?:between\s+(?:{single})\s+and\s+(?:{single})|(?:{single})\s*(?:-|to|or)\s*(?:{single})"
           rf"(?![\w-])|{single}(?![\w-])|(?:{vague_alt})(?:\s+of)?(?![\w-])|a\s+single|an?(?=\s))")
    who = _alt(list(groups) + list(nouns))
    return _Lex(
        numbers=numbers, multipliers=multipliers, vague=vague, modifiers=modifiers, groups=groups, nouns=nouns,
        qty=re.compile(rf"(?<![\w$£€.,-])(?:{qty})", re.I),
        count_full=re.compile(rf"^\s*(?:{qty})\s*$", re.I),
        right_cue=re.compile(
            rf"^(?:\s+(?!{_STOP}\b)[A-Za-z][\w'’-]*){{0,4}}?"
            rf"(?:\s*,?\s+(?:including|among\s+them|mostly|many\s+of\s+them|most\s+of\s+them|of\s+whom)\s+[^,.;:]{{1,60}}?,?)?"
            rf"\s+{_AUX}{{0,3}}(?P<cue>(?P<k>{_KILLED_RIGHT})|(?P<i>{_INJURED_RIGHT})|(?P<a>{_ARRESTED_RIGHT}))\b",
            re.I),
        left_cue=re.compile(rf"(?:\b(?P<k>{_KILLED_LEFT})|\b(?P<i>{_INJURED_LEFT})|\b(?P<a>{_ARRESTED_LEFT}))"
                            rf"\s+(?:(?:about|around|some)\s+)?$", re.I),
        who_word=re.compile(rf"\b(?:{who})\b", re.I),
        who_tail=re.compile(rf"^\s+(?:of\s+)?(?:the\s+|them\s+|whom\s+)?(?:[\w'’-]+\s+){{0,2}}?(?:{who})\b", re.I),
    )


def _single_value(s: str, lex: _Lex) -> int | None:
    s = re.sub(r"\s+", " ", s.strip().lower())
    if not s:
        return None
    m = re.match(r"^(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?|[a-z-]+(?: [a-z-]+)?)(?: (?:and )?(.*))?$", s)
    if not m:
        return None
    head, rest = m[1], m[2]
    if head.replace(",", "").replace(".", "", 1).isdigit():
        digits = head.replace(",", "")
        if len(digits.split(".")[0]) > MAX_DIGITS:
            return None  # no count of people has that many digits (and float() overflows past 308 of them)
        value: float = float(digits)
    elif head in lex.numbers:
        value = lex.numbers[head]
    elif head.split(" ")[0] in lex.numbers:
        value = lex.numbers[head.split(" ")[0]]
        rest = " ".join(filter(None, [head.split(" ", 1)[1], rest]))
    else:
        return None
    total = 0.0
    while rest:
        parts = rest.split(" ", 1)
        word = parts[0]
        rest = parts[1] if len(parts) > 1 else ""
        if word == "and":
            continue
        if word in lex.multipliers:
            value *= lex.multipliers[word]
            continue
        if word.isdigit() and len(word) > MAX_DIGITS:
            return None
        if word.isdigit() or word in lex.numbers:
            total += value
            value = int(word) if word.isdigit() else lex.numbers[word]
            continue
        return None
    total += value
    return int(total) if math.isfinite(total) else None


def parse_count(text: str) -> Count | None:
    """Parse a quantity phrase into low / best / high (conventions in docs/tolls.md).

    Examples
    --------
    >>> parse_count("at least 12")
    Count(low=12, best=12, high=None)
    >>> parse_count("more than 100")
    Count(low=101, best=101, high=None)
    >>> parse_count("between 10 and 15")
    Count(low=10, best=10, high=15)
    >>> parse_count("dozens")
    Count(low=12, best=12, high=None)
    >>> parse_count("a dozen") == parse_count("12")
    True
    >>> parse_count("50 km") is None
    True
    """
    if not isinstance(text, str):
        raise DetenteError("E503", got=type(text).__name__)
    lex = _lex()
    s = re.sub(r"\s+", " ", text.strip().lower()).replace("’", "'")
    if s in ("a", "an", "a single", "one single"):
        return Count(low=1, best=1, high=1)
    if not lex.count_full.match(s):
        return None
    rule = None
    for mod in sorted(lex.modifiers, key=len, reverse=True):
        if s.startswith(mod + " "):
            rule, s = lex.modifiers[mod], s[len(mod) + 1:]
            break
    m = re.match(r"^between (.+?) and (.+)$", s) or re.match(r"^(.+?) ?(?:-|\bto\b|\bor\b) ?(.+)$", s)
    if m:
        lo, hi = _single_value(m[1], lex), _single_value(m[2], lex)
        if lo is not None and hi is not None and lo <= hi:
            return Count(low=lo, best=lo, high=hi)
    s_vague = s[:-3] if s.endswith(" of") else s
    if s_vague in lex.vague:
        low, best, high = lex.vague[s_vague]
        return _apply(rule, low, best, high, vague=True)
    n = _single_value(s, lex)
    if n is None:
        return None
    return _apply(rule, n, n, n, vague=False)


def _apply(rule: str | None, low: int | None, best: int | None, high: int | None, *, vague: bool) -> Count:
    n = best
    if rule is None:
        return Count(low=low, best=best, high=high)
    if n is None:
        return Count(low=low, best=best, high=high)
    if rule == "min":
        return Count(low=n, best=n, high=None)
    if rule == "over":
        return Count(low=n + 1, best=n + 1, high=None)
    if rule == "max":
        return Count(low=None, best=n, high=n)
    if rule == "under":
        return Count(low=None, best=n, high=n)
    return Count(low=None if not vague else low, best=n, high=None)  # approx: "about 40", "some 40"


def _who(fragment: str, lex: _Lex) -> list[str]:
    out: list[str] = []
    for m in lex.who_word.finditer(fragment):
        g = lex.groups.get(m.group().lower())
        if g and g not in out:
            out.append(g)
    return out


@dataclass
class _Hit:
    kind: str  # killed | injured
    count: Count
    start: int
    end: int
    who: list[str]


def _kind(m: re.Match[str]) -> str:
    return "killed" if m["k"] else "injured" if m["i"] else "arrested"


_RELATIVE = re.compile(r"\b(?:who|whom|whose|which|that|helped|helping|to recover)\b", re.I)


def _hits(text: str, lex: _Lex) -> list[_Hit]:
    hits: list[_Hit] = []
    consumed_until = -1
    for m in lex.qty.finditer(text):
        qs, qe = m.span()
        if qs < consumed_until:
            continue  # inside an earlier toll phrase ("including two children")
        phrase = m.group()
        bare = phrase.strip().lower()
        after = text[qe:qe + 160]
        if bare in ("a", "an", "a single"):
            nm = re.match(r"^\s+([a-z-]+)(?:\s+([a-z-]+))?", after, re.I)  # "a soldier", "a young girl"
            words = [w.lower() for w in (nm.groups() if nm else ()) if w]
            if not any(w in lex.groups or w in lex.nouns for w in words):
                continue
        if re.fullmatch(r"(1[89]|20)\d\d", bare) and re.search(r"\b(?:in|since|of|by|until|during|from)\s*$",
                                                                 text[max(0, qs - 12):qs], re.I):
            continue  # a year
        count = parse_count(phrase)
        if count is None:
            continue
        left = lex.left_cue.search(text[max(0, qs - 60):qs])
        right = lex.right_cue.match(after)
        if left:
            kind = _kind(left)
            tail = lex.who_tail.match(after)
            end = qe + (tail.end() if tail else 0)
            # "left 5 dead": a right cue names the kind when the left one is only "left"
            who = _who(text[qe:end], lex)
            start = qs - (len(text[max(0, qs - 60):qs]) - left.start())
            if right and right.end() <= 40:
                end = max(end, qe + right.end())
            hits.append(_Hit(kind, count, start, end, who))
            consumed_until = end if right and right.end() <= 40 else qe
            continue
        if right and _RELATIVE.search(after[:right.end()]):
            right = None  # "a resident who helped recover bodies": the cue belongs to a relative clause
        if right:
            kind = _kind(right)
            end = qe + right.end()
            hits.append(_Hit(kind, count, qs, end, _who(text[qs:end], lex)))
            consumed_until = end
    return hits


def find_tolls(text: str, *, offset: int = 0) -> list[Toll]:
    """Find killed / injured counts in a sentence or passage.

    A killed count and an injured count in the same sentence, less than 100 characters apart, make one ``Toll``
    ("at least 82 were killed and more than 1,700 injured"); other counts make their own.

    Parameters
    ----------
    text
        A sentence or passage.
    offset
        Added to every span (the sentence's start in the article).
    """
    if not isinstance(text, str):
        raise DetenteError("E503", got=type(text).__name__)
    lex = _lex()
    tolls: list[Toll] = []
    hits = _hits(text, lex)
    i = 0
    while i < len(hits):
        h = hits[i]
        pair = hits[i + 1] if i + 1 < len(hits) else None
        if (pair and pair.kind != h.kind and pair.start - h.end < 100
                and not re.search(r"[.;!?]\s", text[h.end:pair.start])):
            tolls.append(_toll(text, [h, pair], offset))
            i += 2
            continue
        tolls.append(_toll(text, [h], offset))
        i += 1
    return tolls


def _toll(text: str, hits: list[_Hit], offset: int) -> Toll:
    start, end = min(h.start for h in hits), max(h.end for h in hits)
    killed = next((h.count for h in hits if h.kind == "killed"), None)
    injured = next((h.count for h in hits if h.kind == "injured"), None)
    arrested = next((h.count for h in hits if h.kind == "arrested"), None)
    who: list[str] = []
    for h in hits:
        who += [w for w in h.who if w not in who]
    exact = all(h.count.low is not None and h.count.low == h.count.high for h in hits)
    return Toll(killed=killed, injured=injured, arrested=arrested, who=who,
                span=Span(start=start + offset, end=end + offset, text=text[start:end]),
                confidence=0.85 if exact else 0.7)
