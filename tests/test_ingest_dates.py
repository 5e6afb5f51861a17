"""Publication-date parsing: every common written form -> an aware datetime; relative or yearless -> refused."""

from __future__ import annotations

import datetime as dt

import pytest

from detente.ingest.dates import parse_date

UTC = dt.timezone.utc


def at(*parts, hours=0):
    return dt.datetime(*parts, tzinfo=dt.timezone(dt.timedelta(hours=hours)))


@pytest.mark.parametrize("value, expected", [
    ("2024-01-19T10:00:00+05:00", at(2024, 1, 19, 10, hours=5)),
    ("2024-01-19T10:00:00Z", at(2024, 1, 19, 10)),
    ("2024-01-19 10:00", at(2024, 1, 19, 10)),  # naive -> UTC
    ("2024-01-19", at(2024, 1, 19)),
    ("Fri, 19 Jan 2024 10:00:00 GMT", at(2024, 1, 19, 10)),
    ("Fri, 19 Jan 2024 10:00:00 -0800", at(2024, 1, 19, 10, hours=-8)),
    ("Thu, 18 Jan 2024 16:45:00 EDT", at(2024, 1, 18, 16, 45, hours=-4)),
    ("January 19, 2024", at(2024, 1, 19)),
    ("19 Jan 2024 10:00 +0500", at(2024, 1, 19, 10, hours=5)),
    ("Jan. 19, 2024 at 3:45 p.m. EST", at(2024, 1, 19, 15, 45, hours=-5)),
    ("2024/01/19 10:00 PST", at(2024, 1, 19, 10, hours=-8)),
    ("January 2024", at(2024, 1, 1)),  # missing day -> the 1st
    ("2024", at(2024, 1, 1)),
    ("20240119", at(2024, 1, 19)),  # GDELT SQLDATE
    ("20240119103000", at(2024, 1, 19, 10, 30)),  # GDELT DATEADDED
    (20240119, at(2024, 1, 19)),
    (1705658400, at(2024, 1, 19, 10)),  # epoch seconds
    ("1705658400", at(2024, 1, 19, 10)),
    (1705658400000, at(2024, 1, 19, 10)),  # epoch milliseconds
    (dt.date(2024, 1, 19), at(2024, 1, 19)),
    (dt.datetime(2024, 1, 19, 10), at(2024, 1, 19, 10)),
    ("le 19 janvier 2024", None),  # English only: refused
])
def test_parse_date(value, expected):
    if expected is None:
        with pytest.raises(ValueError):
            parse_date(value)
        return
    got = parse_date(value)
    assert got == expected and got.tzinfo is not None
    assert got.utcoffset() == expected.utcoffset()


@pytest.mark.parametrize("value", ["yesterday", "2 hours ago", "today", "19 Jan", "Monday", "3:45 PM", "soon",
                                   "", "  ", "10", -5, True, None, [2024], "0001-01-01", "32/13/2024"])
def test_unreadable_or_relative_dates_are_refused(value):
    with pytest.raises(ValueError):
        parse_date(value)


def test_never_defaults_to_today():
    today = dt.datetime.now(UTC).date()
    for value in ("January 2024", "2024", "Jan 19 2024"):
        assert parse_date(value).date() != today
