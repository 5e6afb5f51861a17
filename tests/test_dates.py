"""Date rules: weekdays as journalists use them, relative forms, explicit dates, precisions, no publication date."""

from __future__ import annotations

import datetime as dt

import pytest

from detente.errors import DetenteError
from detente.resolve.dates import event_date, find_dates, resolve_date, timeml_normalise, timeml_value
from detente.schema import Span, When

FRI = dt.date(2024, 1, 19)  # a Friday


@pytest.mark.parametrize(
    ("expr", "tense", "date", "precision"),
    [
        ("on Friday", None, dt.date(2024, 1, 19), "day"),  # same weekday as publication: that day
        ("Thursday's strikes", None, dt.date(2024, 1, 18), "day"),
        ("on Tuesday", None, dt.date(2024, 1, 16), "day"),
        ("on Saturday", None, dt.date(2024, 1, 13), "day"),  # most recent past Saturday
        ("on Monday", "future", dt.date(2024, 1, 22), "day"),
        ("last Friday", None, dt.date(2024, 1, 12), "day"),
        ("next Tuesday", None, dt.date(2024, 1, 23), "day"),
        ("yesterday", None, dt.date(2024, 1, 18), "day"),
        ("today", None, dt.date(2024, 1, 19), "day"),
        ("tonight", None, dt.date(2024, 1, 19), "day"),
        ("last night", None, dt.date(2024, 1, 18), "day"),
        ("this morning", None, dt.date(2024, 1, 19), "day"),
        ("tomorrow", None, dt.date(2024, 1, 20), "day"),
        ("two days ago", None, dt.date(2024, 1, 17), "day"),
        ("last week", None, dt.date(2024, 1, 8), "week"),  # Monday of the previous ISO week
        ("this week", None, dt.date(2024, 1, 15), "week"),
        ("earlier this month", None, dt.date(2024, 1, 1), "month"),
        ("this month", None, dt.date(2024, 1, 1), "month"),
        ("last month", None, dt.date(2023, 12, 1), "month"),
        ("last year", None, dt.date(2023, 1, 1), "year"),
        ("on January 16", None, dt.date(2024, 1, 16), "day"),
        ("Jan. 16", None, dt.date(2024, 1, 16), "day"),
        ("Dec. 30", None, dt.date(2023, 12, 30), "day"),  # nearest year, not the future
        ("16 January 2024", None, dt.date(2024, 1, 16), "day"),
        ("2024-01-16", None, dt.date(2024, 1, 16), "day"),
        ("March 3, 2022", None, dt.date(2022, 3, 3), "day"),
        ("in March", None, dt.date(2023, 3, 1), "month"),  # most recent past March
        ("in March", "future", dt.date(2024, 3, 1), "month"),
        ("in January", None, dt.date(2024, 1, 1), "month"),  # the current month counts as past
        ("on the 16th", None, dt.date(2024, 1, 16), "day"),
        ("on the 25th", None, dt.date(2023, 12, 25), "day"),  # not after publication: previous month
        ("May 2021", None, dt.date(2021, 5, 1), "month"),
        ("in 2019", None, dt.date(2019, 1, 1), "year"),
    ],
)
def test_resolve_date_rules(expr: str, tense: str | None, date: dt.date, precision: str) -> None:
    when = resolve_date(expr, FRI, tense=tense)
    assert when is not None
    assert (when.date, when.precision) == (date, precision)
    assert when.confidence > 0


def test_future_tense_guessed_from_phrase() -> None:
    assert resolve_date("will meet on Monday", FRI).date == dt.date(2024, 1, 22)
    assert resolve_date("met on Monday", FRI).date == dt.date(2024, 1, 15)


@pytest.mark.parametrize("expr", ["yesterday", "on Friday", "last week", "in March", "Jan. 16", "two days ago"])
def test_no_publication_date_stays_unresolved(expr: str) -> None:
    when = resolve_date(expr, None)
    assert when is not None and when.date is None
    assert when.text == expr


def test_explicit_date_needs_no_publication_date() -> None:
    assert resolve_date("16 January 2024", None).date == dt.date(2024, 1, 16)


def test_relative_to_event_is_detectable_but_unresolved() -> None:
    when = resolve_date("a day after", FRI)
    assert when is not None and when.date is None
    found = find_dates("Two days later the army withdrew.", published=FRI)
    assert [w.text for w in found] == ["Two days later"] and found[0].date is None


def test_not_dates() -> None:
    assert resolve_date("the government", FRI) is None
    assert find_dates("May I ask? They march on the capital with 2000 people.", published=FRI) == []


def test_find_dates_spans_and_offset() -> None:
    text = "Thursday's strikes killed 9; talks will resume on Monday."
    found = find_dates(text, published=FRI, offset=100)
    assert [(w.text, w.date) for w in found] == [("Thursday's", dt.date(2024, 1, 18)), ("Monday", dt.date(2024, 1, 22))]
    for w in found:
        assert text[w.span.start - 100:w.span.end - 100] == w.span.text


def test_find_dates_tokenised_text() -> None:
    found = find_dates("suspended since July 24 , 2003 after", published=FRI)
    assert [(w.text, w.date) for w in found] == [("July 24 , 2003", dt.date(2003, 7, 24))]


def test_event_date_prefers_expression_near_trigger() -> None:
    text = "On Monday officials said the attack happened on Saturday."
    whens = find_dates(text, published=FRI)
    picked = event_date(whens, FRI, trigger_start=text.index("attack"))
    assert picked.date == dt.date(2024, 1, 13) and not picked.inferred
    fallback = event_date([], FRI)
    assert fallback.inferred and fallback.date == FRI
    assert event_date([], None).date is None


def test_timeml_values() -> None:
    assert timeml_value(When(date=dt.date(1998, 8, 3), precision="week")) == "1998-W32"
    assert timeml_value(When(date=dt.date(1998, 8, 1), precision="month")) == "1998-08"
    assert timeml_value(When(text="recently")) == "PAST_REF"
    assert timeml_value(When(text="yesterday")) == "XXXX-XX-XX"
    assert timeml_normalise("the third quarter", dt.date(1989, 10, 26)) == "1989-Q3"
    assert timeml_normalise("Friday night", dt.date(1998, 8, 8)) == "1998-08-07TNI"
    assert timeml_normalise("the 1990s", None) == "199"


def test_bad_input_is_a_coded_error() -> None:
    with pytest.raises(DetenteError) as exc:
        resolve_date(123, FRI)  # type: ignore[arg-type]
    assert exc.value.code == "E501"
    with pytest.raises(DetenteError):
        resolve_date("Friday", FRI, tense="someday")


def test_span_type() -> None:
    (w,) = find_dates("It happened yesterday.", published=FRI)
    assert isinstance(w.span, Span) and w.span.text == "yesterday"


def test_bare_weekday_span_has_no_leading_space():
    import datetime as dt

    from detente.resolve.dates import find_dates

    text = "Fifteen people were killed in China Sunday when a warehouse exploded."
    [when] = find_dates(text, published=dt.date(2019, 12, 10), offset=100)
    assert when.text == "Sunday" and when.span.text == "Sunday"
    assert (when.span.start - 100, when.span.end - 100) == (text.index("Sunday"), text.index("Sunday") + 6)
