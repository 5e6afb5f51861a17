"""The timex and timeline metrics on tiny hand-made gold records."""

from __future__ import annotations

from detente.evaluate import timeline, timex


def _timex_record() -> dict:
    text = "Bombs exploded Friday. Talks were held last week. It rained recently, in the third quarter."
    tx = [
        {"text": "Friday", "start": 15, "end": 21, "type": "DATE", "value": "1998-08-07"},
        {"text": "last week", "start": 39, "end": 48, "type": "DATE", "value": "1998-WXX"},  # gold week unknown
        {"text": "recently", "start": 60, "end": 68, "type": "DATE", "value": "PAST_REF"},
        {"text": "the third quarter", "start": 73, "end": 90, "type": "DATE", "value": "1998-Q2"},  # we say Q3
        {"text": "two weeks", "start": 0, "end": 5, "type": "DURATION", "value": "P2W"},
    ]
    for t in tx[:4]:
        assert text[t["start"]:t["end"]] == t["text"]
    return {"id": "t1", "text": text, "doc_date": "1998-08-08", "gold_extra": {"timexes": tx}}


def test_timex_value_accuracy_and_detection() -> None:
    report = timex.run([_timex_record()])
    assert report["n"] == 4
    assert report["accuracy"] == 0.75  # 3 of 4 DATE values right
    det = report["detection"]
    # find_dates (refs off) finds Friday, last week, the third quarter: 3 of 4 gold found, all 3 predictions hit
    assert (det["n_gold"], det["recall"], det["precision"]) == (4, 0.75, 1.0)
    assert report["values"]["by_type"]["DURATION"]["n"] == 1


def test_values_match_granularity() -> None:
    assert timex.values_match("1952", "1952-XX")
    assert timex.values_match("2000-W07", "2000-W7")
    assert not timex.values_match("1998-08", "1998-08-07")
    assert not timex.values_match(None, "PAST_REF")


def test_timeline_accuracy() -> None:
    text = "Airbus delays jet\nOn Tuesday , Airbus announced a delay .\nThe plane was unveiled in March 2004 ."
    events = [
        {"text": "announced", "start": text.index("announced"), "end": 0, "timeline_date": "2005-11-08"},
        {"text": "unveiled", "start": text.index("unveiled"), "end": 0, "timeline_date": "2004-03-XX"},
        {"text": "delays", "start": text.index("delays"), "end": 0, "timeline_date": "2005-11-11"},  # DCT: right
        {"text": "delay", "start": text.index("delay ."), "end": 0, "timeline_date": "XXXX-XX-XX"},
        {"text": "jet", "start": text.index("jet"), "end": 0, "timeline_date": None},
    ]
    rec = {"id": "d", "text": text, "doc_date": "2005-11-11", "events": events}  # a Friday
    report = timeline.run([rec])
    assert report["n"] == 3 and report["accuracy"] == 1.0
    assert report["undatable"]["n"] == 1
    assert report["by_gold_precision"]["month"]["n"] == 1


def test_timeline_precision_rules() -> None:
    import datetime as dt

    assert timeline.date_matches(dt.date(2004, 3, 1), "month", "2004-03-XX")
    assert not timeline.date_matches(dt.date(2004, 1, 1), "year", "2004-03-XX")
    assert not timeline.date_matches(dt.date(2004, 3, 2), "day", "2004-03-01")
    assert timeline.gold_precision("XXXX-XX-XX") is None
