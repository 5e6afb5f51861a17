"""Publication dates in any common written form -> timezone-aware ``datetime`` (naive means UTC).

Order of attempts, cheapest first: ``datetime`` / ``date`` objects, epoch numbers, ISO 8601
(``datetime.fromisoformat``), RFC 2822 (``email.utils``), ``dateutil``, then ``dateparser`` (English, absolute
dates only). Relative expressions ("yesterday", "2 hours ago") and dates without a year are refused: they would
silently depend on the day the batch runs.

>>> parse_date("2024-01-19T10:00:00+05:00").isoformat()
'2024-01-19T10:00:00+05:00'
>>> parse_date("January 19, 2024").isoformat()
'2024-01-19T00:00:00+00:00'
>>> parse_date(1705658400).isoformat()
'2024-01-19T10:00:00+00:00'
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from email.utils import parsedate_to_datetime
from functools import lru_cache
from importlib import resources
from typing import Any

__all__ = ["parse_date", "MIN_YEAR", "MAX_YEAR"]

from ..schema import MAX_YEAR, MIN_YEAR, offset_problem

UTC = dt.timezone.utc

_RFC2822 = re.compile(r"^\s*(?:[A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{2,4}\s+\d{1,2}:\d{2}")
_NUMBER = re.compile(r"^[+-]?\d+(?:\.\d+)?$")
# Two defaults that differ in every field: a component missing from the string shows as a difference.
_DEFAULT_A = dt.datetime(2000, 1, 1)
_DEFAULT_B = dt.datetime(2001, 2, 2)
_DATEPARSER_SETTINGS = {
    "PARSERS": ["timestamp", "custom-formats", "absolute-time"],  # no "relative-time": never "today"
    "REQUIRE_PARTS": ["year"],
    "PREFER_DAY_OF_MONTH": "first",
    "RETURN_AS_TIMEZONE_AWARE": False,
}


@lru_cache(maxsize=1)
def _tzinfos() -> dict[str, int]:
    """Abbreviation -> UTC offset in seconds, from data/ingest/tz_abbreviations.tsv."""
    path = resources.files("detente") / "data" / "ingest" / "tz_abbreviations.tsv"
    with path.open(encoding="utf-8") as fh:
        return {row["abbreviation"]: int(float(row["utc_offset_hours"]) * 3600)
                for row in csv.DictReader(fh, delimiter="\t")}


def _aware(value: dt.datetime) -> dt.datetime:
    if value.tzinfo is None or value.tzinfo.utcoffset(value) is None:
        value = value.replace(tzinfo=UTC)
    problem = offset_problem(value)
    if problem:
        raise ValueError(problem)
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise ValueError(f"year {value.year} is outside {MIN_YEAR}-{MAX_YEAR}")
    return value


def _from_number(number: float) -> dt.datetime:
    """Digits by their count: 4 a year, 8 ``YYYYMMDD``, 14 ``YYYYMMDDHHMMSS``, 9-10 epoch s, 12-13 epoch ms."""
    whole = int(number)
    digits = str(abs(whole))
    if whole == number and whole > 0:
        if len(digits) == 4:
            return dt.datetime(whole, 1, 1, tzinfo=UTC)
        if len(digits) == 8:  # YYYYMMDD (GDELT SQLDATE)
            return dt.datetime.strptime(digits, "%Y%m%d").replace(tzinfo=UTC)
        if len(digits) == 14:  # YYYYMMDDHHMMSS (GDELT DATEADDED)
            return dt.datetime.strptime(digits, "%Y%m%d%H%M%S").replace(tzinfo=UTC)
    if len(digits) in (9, 10):
        return dt.datetime.fromtimestamp(number, tz=UTC)
    if len(digits) in (12, 13):
        return dt.datetime.fromtimestamp(number / 1000.0, tz=UTC)
    raise ValueError("a number that is neither a year, YYYYMMDD nor epoch seconds / milliseconds")


def _dateutil(text: str) -> dt.datetime | None:
    from dateutil import parser

    try:
        a = parser.parse(text, default=_DEFAULT_A, tzinfos=_tzinfos())
        b = parser.parse(text, default=_DEFAULT_B, tzinfos=_tzinfos())
    except (ValueError, OverflowError, TypeError):
        return None
    if a.year != b.year:
        raise ValueError("the date has no year")
    if a.month != b.month and a.day == b.day:  # a day without a month ("19th, 10:00") is no date
        raise ValueError("the date has no month")
    return a  # a missing day or time is filled from default A: the 1st, 00:00


def _dateparser(text: str) -> dt.datetime | None:
    import dateparser

    return dateparser.parse(text, languages=["en"], settings=_DATEPARSER_SETTINGS)


def parse_date(value: Any) -> dt.datetime:
    """Read one publication date; raise ``ValueError`` when it cannot be read.

    Parameters
    ----------
    value
        A ``datetime``, ``date``, epoch seconds or milliseconds (int/float or digit string), ``YYYYMMDD`` or
        ``YYYYMMDDHHMMSS`` digits, or a string in ISO 8601, RFC 2822 or a written English form.

    Returns
    -------
    datetime
        Timezone-aware; a value without a zone is taken as UTC; a missing day or time becomes the 1st / 00:00.

    Examples
    --------
    >>> parse_date("Fri, 19 Jan 2024 10:00:00 EST").isoformat()
    '2024-01-19T10:00:00-05:00'
    >>> parse_date("19 Jan 2024 10:00 +0500").utcoffset().total_seconds()
    18000.0
    >>> parse_date("yesterday")
    Traceback (most recent call last):
    ...
    ValueError: cannot read 'yesterday' as a date
    """
    if isinstance(value, dt.datetime):
        return _aware(value)
    if isinstance(value, dt.date):
        return _aware(dt.datetime(value.year, value.month, value.day))
    if isinstance(value, bool) or value is None:
        raise ValueError(f"cannot read {value!r} as a date")
    try:
        if isinstance(value, (int, float)):
            return _aware(_from_number(float(value)))
    except (ValueError, OverflowError, OSError) as exc:
        raise ValueError(f"cannot read {value!r} as a date ({exc})") from None
    if not isinstance(value, str):
        raise ValueError(f"cannot read {type(value).__name__} as a date")
    return _parse_text(value.strip())


@lru_cache(maxsize=8192)  # feeds and exports repeat the same date strings; the slow parsers cost ~0.2 ms
def _parse_text(text: str) -> dt.datetime:
    if not text:
        raise ValueError("the date is empty")
    try:
        if _NUMBER.match(text):
            return _aware(_from_number(float(text)))
        try:
            return _aware(dt.datetime.fromisoformat(text))
        except ValueError:
            pass
        if _RFC2822.match(text):
            try:
                return _aware(parsedate_to_datetime(text))
            except (ValueError, TypeError, IndexError):
                pass
        found = _dateutil(text) or _dateparser(text)
    except (ValueError, OverflowError, OSError) as exc:
        raise ValueError(f"cannot read {text!r} as a date ({exc})") from None
    if found is None:
        raise ValueError(f"cannot read {text!r} as a date")
    try:
        return _aware(found)
    except ValueError as exc:  # an impossible offset or year found by the slower parsers
        raise ValueError(f"cannot read {text!r} as a date ({exc})") from None
