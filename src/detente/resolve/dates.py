"""Date expressions: find them in news text and resolve them against the publication date.

Rules first (weekdays as journalists use them, the common relative forms, explicit dates), ``dateparser`` as the
fallback for explicit spans the rules do not parse. Without a publication date, relative expressions stay
unresolved (``When.date is None``) — never today's date. Conventions are in docs/dates.md.

>>> import datetime as dt
>>> fri = dt.date(2024, 1, 19)
>>> resolve_date("on Tuesday", fri).date
datetime.date(2024, 1, 16)
>>> resolve_date("will meet on Monday", fri, tense="future").date
datetime.date(2024, 1, 22)
>>> [w.text for w in find_dates("Thursday's strikes killed 9; talks resume next week.", published=fri)]
["Thursday's", 'next week']
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from ..errors import DetenteError
from ..resources import read_tsv_rows
from ..schema import Span, When

__all__ = ["resolve_date", "find_dates", "event_date", "timeml_value", "timeml_normalise", "guess_tense"]

Date = dt.date

# --------------------------------------------------------------------------------------------- vocabulary ---
_MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
_MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
_MONTHS["sept"] = 9
_WEEKDAYS = {d.lower(): i for i, d in enumerate(calendar.day_name)}
_WEEKDAYS.update({"mon": 0, "tue": 1, "tues": 1, "wed": 2, "thu": 3, "thur": 3, "thurs": 3, "fri": 4, "sat": 5,
                  "sun": 6})
_UNIT_PRECISION = {"day": "day", "night": "day", "week": "week", "weekend": "week", "month": "month",
                   "year": "year", "quarter": "quarter"}


def _read_tsv(name: str) -> list[list[str]]:
    return read_tsv_rows("numbers", name)


@lru_cache(maxsize=1)
def _number_words() -> dict[str, int]:
    return {row[0]: int(row[1]) for row in _read_tsv("number_words.tsv")}


@lru_cache(maxsize=1)
def _time_refs() -> dict[str, str]:
    return {row[0]: row[1] for row in _read_tsv("time_refs.tsv")}


# ----------------------------------------------------------------------------------------------- patterns ---
_MONTH_FULL = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
_MONTH_ABBR = r"(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
_MONTH = rf"(?:{_MONTH_FULL}|{_MONTH_ABBR})"
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_DAYNUM = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:1[5-9]\d\d|20\d\d)"
_NUM = r"(?:\d{1,3}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|" \
       r"a\s+few|several|a\s+couple\s+of)"
_PART = r"(?i:morning|afternoon|evening|night)"
_EDGE = r"(?i:early|late|mid-?|the\s+end\s+of|the\s+middle\s+of|the\s+beginning\s+of|the\s+start\s+of|end\s+of)"
_PREP = r"(?i:on|in|at|since|by|during|until|till|through|from|before|after|of|for|between|and)"
_QORD = r"(?i:first|second|third|fourth|1st|2nd|3rd|4th)"

# The scanner: one alternation, longest forms first (Python takes the first alternative that matches).
_SCAN_PARTS = [
    r"(?P<iso>\b\d{4}-\d{2}-\d{2}\b)",
    rf"(?:{_WEEKDAY},?\s+)?(?:{_EDGE}\s*)?{_MONTH}\s+{_DAYNUM}\b(?:\s?,?\s+{_YEAR}\b)?",
    rf"(?:{_WEEKDAY},?\s+)?(?i:the\s+)?{_DAYNUM}\s+(?i:of\s+)?{_MONTH}(?![a-z])(?:\s?,?\s+{_YEAR}\b)?",
    rf"(?:{_EDGE}\s*)?{_MONTH}(?:\s?,|\s+of)?\s+{_YEAR}\b",
    rf"(?:(?:{_YEAR}|(?i:this\s+year's|last\s+year's|next\s+year's))\s+)?(?i:the\s+)?(?i:fiscal\s+)?{_QORD}[- ]"
    rf"(?i:quarter)(?:\s+(?i:of\s+)?{_YEAR})?",
    r"(?i:the\s+(?:latest|current|year-ago|year-earlier|previous|past|last)\s+quarter)",
    r"(?i:(?:(?:early|late|earlier|later)\s+)?(?:this|last|next|the\s+coming|the\s+previous|the\s+past)\s+"
    r"(?:week(?:end)?|month|year|morning|afternoon|evening|night))",
    rf"(?i:(?:late|early)\s+)?(?i:last|next|this|on|early|late)?\s*{_WEEKDAY}(?:'s|’s)?(?:\s+{_PART})?\b",
    rf"(?i:(?:late|early)\s+)?(?i:yesterday|today|tonight|tomorrow)(?:'s|’s)?(?:\s+{_PART})?",
    rf"(?i:{_NUM}\s+(?:day|week|month|year|decade)s?\s+(?:ago|earlier|later|before|after|from\s+now))",
    r"(?i:the\s+(?:next|following|previous|same)\s+(?:day|morning|week|month)|the\s+day\s+(?:before|after)"
    r"|that\s+(?:same\s+)?day)",
    r"(?i:on\s+the\s+)(?:[12]\d|3[01]|0?[1-9])(?i:st|nd|rd|th)\b(?!\s+(?i:of|century|anniversary|floor))",
    rf"(?:(?i:in|since|by|during|until|till|through|from|before|after|last|next|this|early|late|mid-?|of)\s+"
    rf"|{_EDGE}\s*)?{_MONTH_FULL}\b(?!\s+\d)(?!\s?,\s+\d)(?!\s+of\s+\d)",
    rf"(?i:the\s+)?(?:{_EDGE}\s*)?(?:1[5-9]|20)\d0(?:'s|s)\b",
    rf"(?:(?i:fiscal|early|late|mid-?|the\s+end\s+of|the\s+middle\s+of)\s*)?(?<![\d$£€.,:/-]){_YEAR}\b(?![.,]\d|%|-\d)",
]
_SCAN = re.compile("|".join(f"(?:{p})" for p in _SCAN_PARTS))
_REF_SCAN = None  # compiled lazily from data (time_refs.tsv)

_LEAD_PREP = re.compile(rf"^{_PREP}\s+")
_NONYEAR_AFTER = re.compile(
    r"\s*(?:%|percent|per\s+cent|people|persons|troops|soldiers|km|kilometers|kilometres|miles|metres|meters|tons|"
    r"tonnes|dollars|euros|hectares|acres|feet|men|women|children|households|families|units|cases|votes|rounds|"
    r"shares|barrels|pounds|kg|kilograms|[a-z]+\s+(?:people|troops|soldiers|dollars))\b", re.I)
_FUTURE_MARK = re.compile(
    r"\b(?:will|won't|shall|'ll|is\s+to|are\s+to|to\s+be\s+held|scheduled|slated|due\s+to|plans?\s+to|planning\s+to|"
    r"expected\s+to|set\s+to|going\s+to|as\s+soon\s+as|as\s+early\s+as|no\s+later\s+than)\b", re.I)
_PAST_MARK = re.compile(r"\b(?:said|was|were|had|did|ago|last|earlier|\w{3,}ed)\b", re.I)


# ------------------------------------------------------------------------------------------------ helpers ---
@dataclass(frozen=True)
class _Res:
    """An internal resolution: richer than When (quarters, decades, references) for TimeML output."""

    date: Date | None
    precision: str | None  # day | week | month | quarter | year | decade | season | ref | relative
    confidence: float
    tml: str | None = None  # TimeML value when it differs from the date's plain rendering


_TOD = {"morning": "TMO", "afternoon": "TAF", "evening": "TEV", "night": "TNI"}


def _tod(d: Date, part: str | None) -> str | None:
    """TimeML part-of-day value ("1998-08-07TNI") when a part of the day is named."""
    return f"{d.isoformat()}{_TOD[part.lower()]}" if part else None


def _week_start(d: Date) -> Date:
    return d - dt.timedelta(days=d.weekday())


def _shift_month(year: int, month: int, delta: int) -> tuple[int, int]:
    m = year * 12 + (month - 1) + delta
    return m // 12, m % 12 + 1


def _weekday_date(wd: int, pub: Date, mode: str) -> Date:
    """mode: 'past' (same day or most recent), 'future' (same day or next), 'last' (strictly before),
    'next' (strictly after), 'this' (same day or next)."""
    diff = (pub.weekday() - wd) % 7
    if mode == "past":
        return pub - dt.timedelta(days=diff)
    if mode == "last":
        return pub - dt.timedelta(days=diff or 7)
    ahead = (wd - pub.weekday()) % 7
    if mode == "next":
        return pub + dt.timedelta(days=ahead or 7)
    return pub + dt.timedelta(days=ahead)


def _month_year(month: int, pub: Date, mode: str) -> int:
    if mode in ("future", "this_future"):
        return pub.year if month >= pub.month else pub.year + 1
    if mode == "next":
        return pub.year if month > pub.month else pub.year + 1
    if mode == "last":
        return pub.year if month < pub.month else pub.year - 1
    return pub.year if month <= pub.month else pub.year - 1


def _day_month_year(month: int, day: int, pub: Date, tense: str | None) -> Date | None:
    """Year for a month-day without year: the candidate nearest the publication date, past preferred."""
    best: tuple[float, Date] | None = None
    for y in (pub.year - 1, pub.year, pub.year + 1):
        try:
            cand = Date(y, month, day)
        except ValueError:
            continue
        gap = (cand - pub).days
        cost = abs(gap) * (1.6 if (gap > 0) != (tense == "future") and gap != 0 else 1.0)
        if best is None or cost < best[0]:
            best = (cost, cand)
    return best[1] if best else None


def _number(word: str) -> int | None:
    w = re.sub(r"\s+", " ", word.lower().strip())
    if w.isdigit():
        return int(w)
    if w in ("a few", "several"):
        return 3 if w == "several" else 2
    if w == "a couple of":
        return 2
    return _number_words().get(w)


def _month_num(tok: str) -> int | None:
    return _MONTHS.get(tok.lower().rstrip("."))


# ------------------------------------------------------------------------------------------ rule resolver ---
_R_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_R_MDY = re.compile(rf"^(?:(?P<wd>{_WEEKDAY}),?\s+)?(?:{_EDGE}\s*)?(?P<m>{_MONTH})\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?"
                    rf"(?:\s?,?\s+(?P<y>{_YEAR}))?$")
_R_DMY = re.compile(rf"^(?:(?P<wd>{_WEEKDAY}),?\s+)?(?i:the\s+)?(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?i:of\s+)?"
                    rf"(?P<m>{_MONTH})(?:\s?,?\s+(?P<y>{_YEAR}))?$")
_R_MY = re.compile(rf"^(?:(?P<edge>{_EDGE})\s*)?(?P<m>{_MONTH})(?:\s?,|\s+of)?\s+(?P<y>{_YEAR})$")
_R_QUARTER = re.compile(rf"^(?:(?P<y>{_YEAR})\s+|(?P<rel>this|last|next)\s+year's\s+)?(?:the\s+)?(?:fiscal\s+)?"
                        rf"(?P<q>{_QORD})[- ]quarter(?:\s+(?:of\s+)?(?P<y2>{_YEAR}))?$", re.I)
_R_QREL = re.compile(r"^(?:the\s+)?(?P<w>latest|current|year-ago|year-earlier|previous|past|last|this)?\s*quarter$",
                     re.I)
_R_REL = re.compile(r"^(?:(?P<edge>early|late|earlier|later)\s+)?(?P<rel>this|last|next|the\s+coming|the\s+previous|"
                    r"the\s+past)\s+(?P<unit>week(?:end)?|month|year|morning|afternoon|evening|night)$", re.I)
_R_WD = re.compile(rf"^(?:(?:late|early)\s+)?(?P<mod>last|next|this|on|early|late)?\s*(?P<wd>{_WEEKDAY})(?:'s|’s)?"
                   rf"(?:\s+(?P<part>{_PART}))?$", re.I)
_R_DEICTIC = re.compile(rf"^(?:(?:late|early)\s+)?(?P<w>yesterday|today|tonight|tomorrow)(?:'s|’s)?(?:\s+(?P<part>{_PART}))?$",
                        re.I)
_R_AGO = re.compile(rf"^(?P<n>{_NUM})\s+(?P<unit>day|week|month|year|decade)s?\s+(?P<dir>ago|earlier|later|before|"
                    rf"after|from\s+now)$", re.I)
_R_EVENTREL = re.compile(r"^(?:the\s+(?:next|following|previous|same)\s+(?:day|morning|week|month)|the\s+day\s+"
                         r"(?:before|after)|that\s+(?:same\s+)?day)$", re.I)
_R_NTH = re.compile(r"^(?:on\s+)?the\s+(?P<d>\d{1,2})(?:st|nd|rd|th)$", re.I)
_R_MONTH = re.compile(rf"^(?:(?P<mod>last|next|this)\s+|(?P<edge>{_EDGE})\s*)?(?P<m>{_MONTH_FULL})$")
_R_DECADE = re.compile(rf"^(?:the\s+)?(?:{_EDGE}\s*)?(?P<dec>\d{{3}})0(?:'s|s)$", re.I)
_R_YEAR = re.compile(rf"^(?:(?:fiscal|early|late|mid-?|the\s+end\s+of|the\s+middle\s+of)\s*)?(?P<y>{_YEAR})$", re.I)
_R_SEASON = re.compile(r"^(?:(?P<mod>this|last|next|early|late|the)\s+)?(?P<s>spring|summer|fall|autumn|winter)"
                       rf"(?:\s+(?:of\s+)?(?P<y>{_YEAR}))?$", re.I)
_R_MONTH_REL = re.compile(rf"^(?P<m>{_MONTH_FULL})\s+(?P<rel>this|last|next)\s+year$")
_R_WEEKEND = re.compile(r"^(?:the|this|last|next)?\s*weekend$", re.I)
_R_THEYEAR = re.compile(r"^the\s+(?:full\s+|current\s+|calendar\s+)?year$", re.I)
_SEASONS = {"spring": ("SP", 3), "summer": ("SU", 6), "fall": ("FA", 9), "autumn": ("FA", 9), "winter": ("WI", 12)}
_R_REFREL = re.compile(r"^(?:(?:early|late|earlier|later)\s+)?(?:this|last|next)\s+(?:week(?:end)?|month|year)$")


def _clean(expr: str) -> str:
    s = re.sub(r"\s+", " ", expr.strip().strip(",.;:")).strip()
    s = re.sub(r"^(?:the\s+)?(?:morning|afternoon|evening|night)\s+of\s+", "", s, flags=re.I)
    while True:
        t = _LEAD_PREP.sub("", s, count=1)
        if t == s or not t:
            return s
        s = t


def _rules(expr: str, pub: Date | None, tense: str | None) -> _Res | None:  # noqa: C901 - one rule per branch
    s = _clean(expr)
    low = s.lower()
    fut = tense == "future"
    ref = _time_refs().get(low) or _time_refs().get(re.sub(r"^(?:the|in|for)\s+", "", low))
    if ref:
        return _Res(None, "ref", 0.5, ref)

    if m := _R_ISO.match(s):
        try:
            return _Res(Date(int(m[1]), int(m[2]), int(m[3])), "day", 0.98)
        except ValueError:
            return None
    if (m := _R_MDY.match(s)) or (m := _R_DMY.match(s)):
        month, day = _month_num(m["m"]), int(m["d"])
        if month is None:
            return None
        if m["y"]:
            try:
                return _Res(Date(int(m["y"]), month, day), "day", 0.97)
            except ValueError:
                return None
        if pub is None:
            return _Res(None, "day", 0.3)
        d = _day_month_year(month, day, pub, tense)
        if d is not None and m["wd"] and d.weekday() != _WEEKDAYS[m["wd"].lower()]:
            for y in (pub.year, pub.year - 1, pub.year + 1):  # "Monday, Oct. 26": the year where it is a Monday
                try:
                    cand = Date(y, month, day)
                except ValueError:
                    continue
                if cand.weekday() == _WEEKDAYS[m["wd"].lower()]:
                    return _Res(cand, "day", 0.9)
        return _Res(d, "day", 0.9) if d else None
    if m := _R_MY.match(s):
        month = _month_num(m["m"])
        return _Res(Date(int(m["y"]), month, 1), "month", 0.95) if month else None
    if m := _R_QUARTER.match(s):
        q = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4}[m["q"].lower()]
        if m["y"] or m["y2"]:
            year = int(m["y"] or m["y2"])
        elif pub is None:
            return _Res(None, "quarter", 0.3)
        else:
            year = pub.year + {"this": 0, "last": -1, "next": 1, None: 0}[(m["rel"] or "").lower() or None]
        return _Res(Date(year, 3 * q - 2, 1), "quarter", 0.8, f"{year}-Q{q}")
    if m := _R_QREL.match(s):
        if pub is None:
            return _Res(None, "quarter", 0.2)
        cur = (pub.month - 1) // 3 + 1
        w = (m["w"] or "").lower()
        year, q = pub.year, cur
        if w in ("latest", "previous", "past", "last", "", "year-ago", "year-earlier"):
            year, q = (year, q - 1) if q > 1 else (year - 1, 4)
        if w in ("year-ago", "year-earlier"):
            year -= 1
        return _Res(Date(year, 3 * q - 2, 1), "quarter", 0.5, f"{year}-Q{q}")
    if m := _R_REL.match(s):
        rel = re.sub(r"\s+", " ", m["rel"].lower())
        unit = m["unit"].lower()
        step = {"this": 0, "last": -1, "next": 1, "the coming": 1, "the previous": -1, "the past": -1}[rel]
        if unit in ("morning", "afternoon", "evening", "night"):
            step = -1 if (rel == "last" and unit == "night") else (1 if step > 0 else 0)
            if pub is None:
                return _Res(None, "day", 0.3)
            d = pub + dt.timedelta(days=step)
            return _Res(d, "day", 0.9, _tod(d, unit))
        if pub is None:
            return _Res(None, _UNIT_PRECISION[unit], 0.3)
        if unit.startswith("week"):
            d = _week_start(pub) + dt.timedelta(weeks=step)
            iso = d.isocalendar()
            tml = f"{iso[0]}-W{iso[1]:02d}" + ("-WE" if unit == "weekend" else "")
            return _Res(d, "week", 0.85, tml)
        if unit == "month":
            y, mo = _shift_month(pub.year, pub.month, step)
            return _Res(Date(y, mo, 1), "month", 0.9)
        return _Res(Date(pub.year + step, 1, 1), "year", 0.9)
    if m := _R_WD.match(s):
        wd = _WEEKDAYS[m["wd"].lower()]
        if pub is None:
            return _Res(None, "day", 0.3)
        mod = (m["mod"] or "").lower()
        mode = {"last": "last", "next": "next", "this": "this"}.get(mod, "future" if fut else "past")
        d = _weekday_date(wd, pub, mode)
        return _Res(d, "day", 0.85, _tod(d, m["part"]))
    if m := _R_DEICTIC.match(s):
        if pub is None:
            return _Res(None, "day", 0.3)
        step = {"yesterday": -1, "today": 0, "tonight": 0, "tomorrow": 1}[m["w"].lower()]
        d = pub + dt.timedelta(days=step)
        return _Res(d, "day", 0.95, _tod(d, "night" if m["w"].lower() == "tonight" else m["part"]))
    if m := _R_AGO.match(s):
        n = _number(m["n"])
        direction = re.sub(r"\s+", " ", m["dir"].lower())
        unit = m["unit"].lower()
        if n is None:
            return None
        if direction not in ("ago", "from now"):
            return _Res(None, "relative", 0.2)  # relative to another event: detectable, not resolvable here
        if pub is None:
            return _Res(None, _UNIT_PRECISION.get(unit, "year"), 0.3)
        sign = -1 if direction == "ago" else 1
        if unit == "day":
            return _Res(pub + dt.timedelta(days=sign * n), "day", 0.85)
        if unit == "week":
            d = _week_start(pub + dt.timedelta(weeks=sign * n))
            iso = d.isocalendar()
            return _Res(d, "week", 0.7, f"{iso[0]}-W{iso[1]:02d}")
        if unit == "month":
            y, mo = _shift_month(pub.year, pub.month, sign * n)
            return _Res(Date(y, mo, 1), "month", 0.75)
        years = n * (10 if unit == "decade" else 1)
        return _Res(Date(pub.year + sign * years, 1, 1), "year", 0.75)
    if _R_EVENTREL.match(s):
        return _Res(None, "relative", 0.2)
    if m := _R_NTH.match(s):
        if pub is None:
            return _Res(None, "day", 0.3)
        day = int(m["d"])
        y, mo = pub.year, pub.month
        for _ in range(3):  # this month if not after the publication day, else the month before
            try:
                cand = Date(y, mo, day)
            except ValueError:
                cand = None
            if cand and (cand <= pub or fut):
                return _Res(cand, "day", 0.6)
            y, mo = _shift_month(y, mo, -1)
        return None
    if m := _R_MONTH.match(s):
        month = _MONTHS[m["m"].lower()]
        if pub is None:
            return _Res(None, "month", 0.3)
        mod = (m["mod"] or "").lower()
        mode = {"last": "last", "next": "next", "this": "this_future" if fut else "past"}.get(
            mod, "future" if fut else "past")
        return _Res(Date(_month_year(month, pub, mode), month, 1), "month", 0.75)
    if m := _R_MONTH_REL.match(s):
        if pub is None:
            return _Res(None, "month", 0.3)
        year = pub.year + {"this": 0, "last": -1, "next": 1}[m["rel"]]
        return _Res(Date(year, _MONTHS[m["m"].lower()], 1), "month", 0.9)
    if m := _R_SEASON.match(s):
        code, first = _SEASONS[m["s"].lower()]
        mod = (m["mod"] or "").lower()
        if m["y"]:
            year = int(m["y"])
        elif pub is None:
            return _Res(None, "season", 0.3)
        else:
            started = pub.month >= first or (code == "WI" and pub.month <= 2)
            base = pub.year - (1 if code == "WI" and pub.month <= 2 else 0)
            if mod == "last":
                year = base if started and pub.month > (first + 2) % 12 and code != "WI" else base - 1
            elif mod == "next":
                year = base + 1 if started else base
            else:
                year = base
        return _Res(Date(year, first, 1), "season", 0.6, f"{year}-{code}")
    if _R_WEEKEND.match(s):
        if pub is None:
            return _Res(None, "week", 0.3)
        mod = s.lower().split()[0]
        step = {"last": -1, "next": 1}.get(mod, 0 if pub.weekday() >= 4 or mod == "this" else -1)
        d = _week_start(pub) + dt.timedelta(weeks=step)
        iso = d.isocalendar()
        return _Res(d, "week", 0.6, f"{iso[0]}-W{iso[1]:02d}-WE")
    if _R_THEYEAR.match(s):
        return _Res(Date(pub.year, 1, 1), "year", 0.5) if pub else _Res(None, "year", 0.2)
    if m := _R_DECADE.match(s):
        dec = int(m["dec"])
        return _Res(Date(dec * 10, 1, 1), "decade", 0.8, str(dec))
    if m := _R_YEAR.match(s):
        return _Res(Date(int(m["y"]), 1, 1), "year", 0.85)
    return None


_DP_GUARD = re.compile(rf"{_MONTH}|{_WEEKDAY}|\b{_YEAR}\b|\d{{1,2}}/\d{{1,2}}", re.I)


@lru_cache(maxsize=4096)
def _dateparser(expr: str, pub: Date | None, tense: str | None) -> _Res | None:
    """Fallback for explicit spans: ``dateparser`` relative to the publication date (cached)."""
    if not _DP_GUARD.search(expr):
        return None
    if pub is None and not re.search(rf"\b{_YEAR}\b", expr):
        return None
    from dateparser.date import DateDataParser  # imported lazily: slow import, rarely needed

    settings = {"PREFER_DATES_FROM": "future" if tense == "future" else "past", "RETURN_TIME_AS_PERIOD": False,
                "STRICT_PARSING": False, "REQUIRE_PARTS": []}
    if pub is not None:
        settings["RELATIVE_BASE"] = dt.datetime(pub.year, pub.month, pub.day, 12)
    try:
        data = DateDataParser(languages=["en"], settings=settings).get_date_data(expr)
    except Exception:  # dateparser raises assorted errors on odd input; a miss is not an error here
        return None
    if data is None or data.date_obj is None:
        return None
    period = data.period if data.period in ("day", "week", "month", "year") else "day"
    d = data.date_obj.date()
    if period == "month":
        d = d.replace(day=1)
    elif period == "year":
        d = Date(d.year, 1, 1)
    elif period == "week":
        d = _week_start(d)
    return _Res(d, period, 0.6)


@lru_cache(maxsize=65536)
def _resolve(expr: str, pub: Date | None, tense: str | None) -> _Res | None:
    res = _rules(expr, pub, tense)
    if res is None:
        res = _dateparser(_clean(expr), pub, tense)
    return res


_WHEN_PRECISION = {"day": "day", "week": "week", "month": "month", "year": "year", "quarter": "year"}


def _to_when(res: _Res, text: str, span: Span | None) -> When:
    precision = _WHEN_PRECISION.get(res.precision or "")
    date = res.date if precision else None
    if date is not None and res.precision == "quarter":
        date = Date(date.year, 1, 1)  # the schema has no quarter precision: coarsen to the year
    return When(date=date, precision=precision, text=text, span=span,
                confidence=res.confidence if date else min(res.confidence, 0.3))


# --------------------------------------------------------------------------------------------------- API ---
def resolve_date(expr: str, published: Date | None, *, tense: str | None = None) -> When | None:
    """Resolve one date expression against the publication date.

    Parameters
    ----------
    expr
        The expression, e.g. ``"on Friday"``, ``"last week"``, ``"Jan. 16"``, ``"2024-01-16"``.
    published
        The article's publication date. ``None`` leaves relative expressions unresolved (``date is None``).
    tense
        ``"future"`` makes bare weekdays and months point forward ("will meet on Monday"); default past.

    Returns
    -------
    When or None
        ``None`` when ``expr`` is not a date expression; a ``When`` whose ``date`` is ``None`` when it is one
        that cannot be resolved (no publication date, relative to another event, "recently").

    Examples
    --------
    >>> import datetime as dt
    >>> resolve_date("Thursday's", dt.date(2024, 1, 19)).date
    datetime.date(2024, 1, 18)
    >>> resolve_date("last week", dt.date(2024, 1, 19)).precision
    'week'
    >>> resolve_date("yesterday", None).date is None
    True
    """
    if not isinstance(expr, str):
        raise DetenteError("E501", got=type(expr).__name__)
    if published is not None and isinstance(published, dt.datetime):
        published = published.date()
    if tense not in (None, "past", "present", "future"):
        raise DetenteError("E502", tense=tense)
    if not expr.strip():
        return None
    res = _resolve(expr, published, "future" if tense == "future" else None)
    if res is not None:
        return _to_when(res, expr, None)
    # a phrase around the expression ("Thursday's strikes", "will meet on Monday"): resolve the first one inside
    found = find_dates(expr, published=published)
    if not found:
        return None
    if tense == "future" and found[0].span is not None:
        res = _resolve(found[0].text or "", published, "future")
        return _to_when(res, found[0].text or "", found[0].span) if res else found[0]
    return found[0]


def timeml_normalise(expr: str, published: Date | None, *, tense: str | None = None) -> str | None:
    """The TimeML ``value`` of an expression (``1998-08-07``, ``1998-W32``, ``1989-Q3``, ``PAST_REF`` …).

    >>> import datetime as dt
    >>> timeml_normalise("the third quarter", dt.date(1989, 10, 26))
    '1989-Q3'
    >>> timeml_normalise("recently", None)
    'PAST_REF'
    """
    if not expr.strip():
        return None
    res = _resolve(expr, published, "future" if tense == "future" else None)
    if res is None:
        return None
    if res.tml:
        return res.tml
    if res.date is None:
        return None
    return _render(res.date, res.precision)


def _render(d: Date, precision: str | None) -> str:
    if precision == "year":
        return f"{d.year:04d}"
    if precision == "month":
        return f"{d.year:04d}-{d.month:02d}"
    if precision == "week":
        iso = d.isocalendar()
        return f"{iso[0]:04d}-W{iso[1]:02d}"
    return d.isoformat()


def timeml_value(when: When) -> str:
    """A ``When`` as a TimeML value: ``YYYY-MM-DD``, ``YYYY-Www``, ``YYYY-MM``, ``YYYY``, a ``*_REF``, or
    ``XXXX-XX-XX`` when unresolved.

    >>> import datetime as dt
    >>> timeml_value(When(date=dt.date(1998, 8, 3), precision="week"))
    '1998-W32'
    >>> timeml_value(When(text="recently"))
    'PAST_REF'
    """
    if when.date is not None:
        return _render(when.date, when.precision)
    if when.text:
        ref = _time_refs().get(_clean(when.text).lower())
        if ref:
            return ref
    return "XXXX-XX-XX"


def guess_tense(text: str, start: int, end: int) -> str | None:
    """``"future"`` when the clause around ``text[start:end]`` reads as future ("will meet on Monday"), else None.

    Cheap: looks for future markers (will, scheduled, plans to, next …) in the same sentence, nearer than any past
    marker.
    """
    left = max(text.rfind(".", 0, start), text.rfind("\n", 0, start), start - 80)
    window = text[left + 1:start]
    fut = [m.end() for m in _FUTURE_MARK.finditer(window)]
    if not fut:
        return None
    last_fut = max(fut)
    if any(m.end() > last_fut for m in _PAST_MARK.finditer(window)):
        return None
    return "future"


def _ref_scan() -> re.Pattern[str]:
    global _REF_SCAN
    if _REF_SCAN is None:
        words = sorted(_time_refs(), key=len, reverse=True)
        _REF_SCAN = re.compile(r"\b(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words) + r")\b", re.I)
    return _REF_SCAN


def find_dates(text: str, *, published: Date | None, offset: int = 0, include_refs: bool = False) -> list[When]:
    """Find date expressions in a sentence or passage by rule, resolved against ``published``.

    Parameters
    ----------
    text
        A sentence or passage.
    published
        Publication date, or None (relative expressions then stay unresolved).
    offset
        Added to every span (pass the sentence's start in the article).
    include_refs
        Also return vague references ("now", "recently", "in the future") as unresolved ``When``s.

    Returns
    -------
    list of When
        In text order; spans exclude a leading preposition ("on Friday" -> "Friday").

    Examples
    --------
    >>> import datetime as dt
    >>> [(w.text, str(w.date)) for w in find_dates("He arrived on Jan. 16.", published=dt.date(2024, 1, 19))]
    [('Jan. 16', '2024-01-16')]
    """
    if isinstance(published, dt.datetime):
        published = published.date()
    out: list[When] = []
    for m in _SCAN.finditer(text):
        start, end = m.span()
        raw = m.group()
        start += len(raw) - len(raw.lstrip())  # "in China Sunday": the space before a bare weekday is no part of it
        raw = raw.lstrip()
        lead = _LEAD_PREP.match(raw)
        if lead:
            start += lead.end()
            raw = raw[lead.end():]
        if _R_YEAR.match(raw) and _NONYEAR_AFTER.match(text, end):
            continue
        if raw in ("May", "March") and not lead and not re.match(r"\s+\d", text[end:end + 3]):
            continue  # modal "May", noun "march": need a cue ("in May") to count as months
        if raw.lower().startswith("on "):  # "on Friday" -> span "Friday"
            start += 3
            raw = raw[3:]
        tense = guess_tense(text, start, end) if published is not None else None
        res = _resolve(raw, published, tense)
        if res is None:
            continue
        out.append(_to_when(res, raw, Span(start=start + offset, end=end + offset, text=raw)))
    if include_refs:
        taken = [(w.span.start - offset, w.span.end - offset) for w in out if w.span]
        for m in _ref_scan().finditer(text):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            out.append(When(text=m.group(), span=Span(start=m.start() + offset, end=m.end() + offset, text=m.group()),
                            confidence=0.2))
        out.sort(key=lambda w: w.span.start if w.span else 0)
    return out


def event_date(sentence_whens: list[When], published: Date | None, *, trigger_start: int | None = None) -> When:
    """The date most likely tied to an event: the resolved expression nearest the trigger (same sentence),
    else the first resolved one, else the publication date (``inferred=True``).

    ``trigger_start`` and the spans must use the same offsets. Expressions relative to another event ("a day
    after the attack") and vague ones are skipped.

    >>> import datetime as dt
    >>> event_date([], dt.date(2024, 1, 19)).inferred
    True
    """
    if isinstance(published, dt.datetime):
        published = published.date()
    dated = [w for w in sentence_whens if w.date is not None]
    if dated:
        if trigger_start is not None:
            def dist(w: When) -> float:
                if w.span is None:
                    return 1e9
                # an expression after the trigger is slightly preferred ("attacked ... on Friday")
                return (w.span.start - trigger_start) * 0.9 if w.span.start >= trigger_start else \
                    trigger_start - w.span.end
            pick = min(dated, key=dist)
        else:
            pick = dated[0]
        return pick
    if published is None:
        return When(inferred=True, confidence=0.0)
    return When(date=published, precision="day", inferred=True, confidence=0.4)
