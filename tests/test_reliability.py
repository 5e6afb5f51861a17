"""Issue 14, reliability: whatever one record holds, it becomes one Article or one Reject and the run goes on.

Poison records (tolls above 2^31, lone surrogates, NUL, 100k-deep nesting, oversized lines, impossible offsets,
dates far from publication) and bounded work (punctuation runs, digit runs). Store tests run on both backends.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json

import pytest
from store_fixtures import diplomacy, kenya, pakistan, pg_target, store, store_target  # noqa: F401  (fixtures)

from detente.errors import DetenteError
from detente.ingest import read
from detente.pipeline import RunStats, code_stream
from detente.schema import (
    RUN_MAX, TOLL_MAX, Article, CodedArticle, Count, Event, Evidence, Incident, Reject, Toll, normalise_runs,
)

PUB = dt.date(2024, 1, 19)


def _event(**kw) -> Event:
    return Event(article_id="art-1", event_type="ASSAULT", evidence=Evidence(text="x", start=0, end=1),
                 published=PUB, **kw)


def _jsonl(tmp_path, *lines: str, name: str = "in.jsonl"):
    path = tmp_path / name
    data = ("\n".join(lines) + "\n").encode("utf-8", "surrogatepass")
    path.write_bytes(gzip.compress(data) if name.endswith(".gz") else data)
    return path


def _outcomes(path, **kw) -> list[tuple[str, str]]:
    """(kind, code-or-text) per record: ("A", text) for an Article, ("R", code) for a Reject."""
    return [("A", r.text) if isinstance(r, Article) else ("R", r.code) for r in read(path, **kw)]


GOOD = json.dumps({"text": "Police arrested five men in Lahore.", "date": "2024-01-19"})


# --- schema: plausible values ----------------------------------------------------------------------------------
def test_toll_above_the_plausible_range_is_flagged_and_left_out():
    ev = _event(toll=Toll(killed=Count(low=3_000_000_000, best=3_000_000_000), injured=Count(best=4)))
    assert ev.toll.killed is None and ev.toll.injured.best == 4  # the sane count stays
    assert len(ev.flags) == 1 and ev.flags[0].startswith("[W501]") and "3000000000" in ev.flags[0]
    ok = _event(toll=Toll(killed=Count(best=TOLL_MAX)))
    assert ok.toll.killed.best == TOLL_MAX and ok.flags == []
    # a 400-digit count (made by hand: the toll finder no longer reads one) is flagged without printing it whole
    huge = _event(toll=Toll(arrested=Count(best=10 ** 400)))
    assert huge.toll.arrested is None and "401-digit" in huge.flags[0]


def test_event_dates_outside_the_publication_window_are_flagged_and_cleared():
    far = _event(date=dt.date(9999, 12, 31), date_precision="day", date_text="9999-12-31")
    assert far.date is None and far.date_precision is None and far.date_text == "9999-12-31"
    assert far.flags and far.flags[0].startswith("[W502]")
    assert _event(date=PUB + dt.timedelta(days=1)).flags == []  # time zones: a day ahead is fine
    assert _event(date=PUB + dt.timedelta(days=2)).flags  # asserted, yet after publication
    assert _event(date=PUB + dt.timedelta(days=30), modality="future").flags == []  # announced: allowed ahead
    assert _event(date=dt.date(1900, 1, 1)).flags  # more than a century before publication
    undated_article = Event(article_id="a", event_type="ASSAULT", evidence=Evidence(text="x", start=0, end=1),
                            date=dt.date(2500, 1, 1))
    assert undated_article.date is None and undated_article.flags
    inc = Incident(article_id="a", kind="natural_disaster", hazard="quake", published=PUB,
                   evidence=Evidence(text="x", start=0, end=1), date=dt.date(3000, 1, 1),
                   toll=Toll(killed=Count(best=-5)))
    assert inc.date is None and inc.toll.killed is None and len(inc.flags) == 2


def test_coded_article_checks_events_changed_after_they_were_built():
    ev = _event(date=PUB)
    edited = ev.model_copy(update={"date": dt.date(9999, 1, 1),  # model_copy does not validate ...
                                   "toll": Toll(killed=Count(best=3_000_000_000))})
    coded = CodedArticle(article=Article(text="x"), events=[edited])  # ... the coder's output does
    assert coded.events[0].date is None and coded.events[0].toll.killed is None
    assert [f[:6] for f in coded.events[0].flags] == ["[W501]", "[W502]"]
    again = CodedArticle.model_validate_json(coded.model_dump_json())
    assert again.events[0].flags == coded.events[0].flags  # idempotent: no double flags


def test_schema_refuses_or_cleans_what_cannot_be_stored():
    art = Article(text="Troops withdrew.", title="a\ud800b\x00", meta={"k\udc00": ["x\x00"]}, source="S\ud83d")
    assert art.title == "a\ufffdb\ufffd" and art.meta == {"k\ufffd": ["x\ufffd"]} and art.source == "S\ufffd"
    for bad in ("lone \ud800 surrogate", "NUL \x00 inside"):
        with pytest.raises(ValueError):
            Article(text=bad)
    rej = Reject(origin="x:1\ud800", code="E101", reason="r\x00", raw="\udcff")
    assert (rej.origin, rej.reason, rej.raw) == ("x:1\ufffd", "r\ufffd", "\ufffd")
    with pytest.raises(ValueError):
        Article(text="x", published=dt.datetime(2024, 1, 19, tzinfo=dt.timezone(dt.timedelta(hours=15))))
    Article(text="x", published=dt.datetime(2024, 1, 19, tzinfo=dt.timezone(dt.timedelta(hours=14))))


def test_punctuation_runs_are_cut_so_tokenizing_stays_linear():
    text = "Police arrested a man. " + "_" * 20_000 + " " + "!?" * 5_000 + " $$ Troops withdrew."
    out = normalise_runs(text)
    assert len(out) == len("Police arrested a man. ") + RUN_MAX + 1 + RUN_MAX + len(" $$ Troops withdrew.")
    assert out.startswith("Police arrested a man. ___") and out.endswith(" $$ Troops withdrew.")
    assert Article(text=text).text == out  # every path into the coder (ingest, API, library) gets it
    assert normalise_runs("A -- B ... C " + "-" * RUN_MAX) == "A -- B ... C " + "-" * RUN_MAX  # ordinary: kept


# --- ingest ----------------------------------------------------------------------------------------------------
def test_jsonl_bad_line_costs_only_itself(tmp_path):
    path = _jsonl(tmp_path,
                  GOOD,
                  '{"text": "lone \\ud800 surrogate in the text"}',
                  '{"text": "NUL \\u0000 in the text"}',
                  "[" * 100_000 + "]" * 100_000,
                  '{"text": "' + "x" * 10 + '", "nested": ' + "[" * 100_000 + "]" * 100_000 + "}",
                  GOOD.replace("five", "six"))
    assert _outcomes(path) == [("A", "Police arrested five men in Lahore."), ("R", "E104"), ("R", "E104"),
                               ("R", "E101"), ("R", "E101"), ("A", "Police arrested six men in Lahore.")]


def test_jsonl_surrogates_outside_the_text_are_replaced_with_a_warning(tmp_path):
    path = _jsonl(tmp_path, '{"text": "Troops withdrew.", "title": "x\\udc00y", "meta": {"k": "\\ud83d"}}', GOOD)
    first, second = read(path)
    assert first.title == "x\ufffdy" and first.meta["k"] == "\ufffd"
    assert any(w.startswith("[W105]") and "title, meta" in w for w in first.meta["warnings"])
    assert isinstance(second, Article)


@pytest.mark.parametrize("name", ["big.jsonl", "big.jsonl.gz"])
def test_jsonl_line_over_the_cap_is_skipped_unread(tmp_path, name):
    long_line = json.dumps({"text": "y" * 1_300_000})  # cap at max_chars=1000: 16 * 1000 + 1 MiB
    path = _jsonl(tmp_path, GOOD, long_line, GOOD.replace("five", "six"), name=name)
    recs = list(read(path, max_chars=1000))
    assert [getattr(r, "code", "A") for r in recs] == ["A", "E120", "A"]
    assert recs[1].origin.endswith(":2") and "1,300,013 bytes" in recs[1].reason  # with its newline


def test_json_document_over_the_cap_is_refused(tmp_path, monkeypatch):
    from detente.ingest import jsonl

    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000)
    assert [r.code for r in read(deep)] == ["E101"]
    monkeypatch.setattr(jsonl, "JSON_MAX_BYTES", 1000)
    path = tmp_path / "big.json.gz"
    path.write_bytes(gzip.compress(json.dumps([{"text": "z" * 600}, {"text": "z" * 600}]).encode()))
    (rec,) = read(path)
    assert rec.code == "E120" and "JSON document" in rec.reason


def test_a_bug_on_one_record_costs_only_that_record(tmp_path, monkeypatch):
    from detente.ingest import feed, jsonl

    real_one, real_text = jsonl._one, feed._entry_text

    def one(value, origin, opts, raw):
        if "boom" in value.get("text", ""):
            raise KeyError("boom")
        return real_one(value, origin, opts, raw)

    def entry_text(entry):
        if "boom" in (entry.get("title") or ""):
            raise KeyError("boom")
        return real_text(entry)

    monkeypatch.setattr(jsonl, "_one", one)
    monkeypatch.setattr(feed, "_entry_text", entry_text)
    path = _jsonl(tmp_path, GOOD, json.dumps({"text": "boom"}), GOOD.replace("five", "six"))
    assert [c for _, c in _outcomes(path)] == ["Police arrested five men in Lahore.", "E121",
                                              "Police arrested six men in Lahore."]
    doc = tmp_path / "in.json"
    doc.write_text(json.dumps([json.loads(GOOD), {"text": "boom"}, json.loads(GOOD)]))
    assert [c for _, c in _outcomes(doc)] == ["Police arrested five men in Lahore.", "E121",
                                             "Police arrested five men in Lahore."]
    rss = tmp_path / "f.rss"
    rss.write_text("<rss version='2.0'><channel><title>T</title>"
                   + "".join(f"<item><title>{t}</title><description>Troops withdrew from {t}.</description></item>"
                             for t in ("Gaza", "boom", "Jenin"))
                   + "</channel></rss>")
    assert [c for _, c in _outcomes(rss)] == ["Troops withdrew from Gaza.", "E121", "Troops withdrew from Jenin."]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-32"])
def test_jsonl_with_a_utf16_or_utf32_bom_is_read(tmp_path, encoding):
    lines = [GOOD, json.dumps({"text": "Troops withdrew from Gaza — café.", "date": "2024-01-19"},
                              ensure_ascii=False)]
    for name in ("in.jsonl", "in.json"):
        path = tmp_path / name
        path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
        assert _outcomes(path) == [("A", "Police arrested five men in Lahore."),
                                   ("A", "Troops withdrew from Gaza — café.")]


def test_csv_unbalanced_quote_is_a_reject_not_a_merged_row(tmp_path):
    path = tmp_path / "in.csv"
    path.write_text('text,date\nPolice arrested five men.,2024-01-19\n"Troops withdrew,2024-01-19\n'
                    "Rebels attacked the town.,2024-01-19\n")
    recs = list(read(path))
    assert [getattr(r, "code", "A") for r in recs] == ["A", "E116"]
    assert "unbalanced quote" in recs[1].reason and recs[1].origin.endswith(":3")
    ok = tmp_path / "ok.csv"  # a quoted text over several lines, with every field, is fine
    ok.write_text('text,date\n"Troops withdrew.\n\nThey left at dawn.",2024-01-19\n')
    assert [r.text for r in read(ok)] == ["Troops withdrew.\n\nThey left at dawn."]


def test_csv_field_over_the_cap_costs_only_its_row(tmp_path):
    path = tmp_path / "in.csv.gz"
    path.write_bytes(gzip.compress(("text,date\n" + "y" * 1_100_000 + ",2024-01-19\n"
                                    "Police arrested five men.,2024-01-19\n").encode()))
    assert _outcomes(path, max_chars=1000) == [("R", "E120"), ("A", "Police arrested five men.")]


def test_impossible_utc_offsets_and_nul_are_rejected(tmp_path):
    path = _jsonl(tmp_path,
                  json.dumps({"text": "a", "date": "2024-01-19T10:00:00+25:00"}),
                  json.dumps({"text": "b", "date": "2024-01-19T10:00:00+1500"}),
                  json.dumps({"text": "c", "date": "2024-01-19T10:00:00+14:00"}),
                  json.dumps({"text": "d\u0000e", "date": "2024-01-19"}))
    assert _outcomes(path) == [("R", "E107"), ("R", "E107"), ("A", "c"), ("R", "E104")]


def test_ingest_cuts_punctuation_runs_with_a_warning(tmp_path):
    (art,) = read(_jsonl(tmp_path, json.dumps({"text": "Troops withdrew. " + "_" * 20_000, "date": "2024-01-19"})))
    assert art.text == "Troops withdrew. " + "_" * RUN_MAX
    assert any(w.startswith("[W106]") and "19,936" in w for w in art.meta["warnings"])


# --- numbers ---------------------------------------------------------------------------------------------------
def test_digit_runs_never_overflow():
    from detente.resolve.tolls import find_tolls, parse_count

    for n in (309, 400, 5000):
        digits = "9" * n
        assert parse_count(digits) is None and parse_count(f"1{digits}.5") is None
        assert parse_count(f"5 million {digits}") is None
        assert find_tolls(f"Gunmen killed {digits} people and wounded {digits}.{digits}.") == []
    assert parse_count("3,000,000,000").best == 3_000_000_000  # read, then flagged by the schema


# --- store -----------------------------------------------------------------------------------------------------
def test_store_toll_columns_are_64_bit(store):
    coded = pakistan()
    coded.events[0].toll = Toll(killed=Count(low=3_000_000_000, best=3_000_000_000))  # past the schema's check
    assert store.write(coded)
    assert store._fetchall("SELECT max(killed_best) FROM events")[0][0] == 3_000_000_000


def test_store_write_many_hands_a_bad_article_over_and_keeps_the_rest(store):
    good = [pakistan(), kenya()]
    bad = diplomacy()
    bad.events[0] = bad.events[0].model_copy(update={"id": good[0].events[0].id})  # collides with a stored event
    failed: list[tuple[str, str]] = []
    n = store.write_many([good[0], bad, good[1]], on_error=lambda c, err: failed.append((c.article.id, err.code)))
    assert n == 2 and failed == [(bad.article.id, "E208")]
    assert all(store.has_article(c.article.id) for c in good) and not store.has_article(bad.article.id)


def test_store_failure_is_not_blamed_on_the_record(store, monkeypatch):
    def full(*a, **k):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(store, "_insert_rows", full)
    with pytest.raises(DetenteError) as err:
        store.write_many([kenya()], on_error=lambda c, e: pytest.fail("a full disk is no bad record"))
    assert err.value.code == "E213" and "Fix the record" not in str(err.value)


class _Canned:
    """A coder that returns hand-built coded articles by text."""

    def __init__(self, coded: list[CodedArticle]) -> None:
        self.by_text = {c.article.text: c for c in coded}

    def pipe(self, articles, batch_size=32):
        return [self.code(a) for a in articles]

    def code(self, article):
        return self.by_text[article.text]


def test_run_keeps_an_article_the_store_refuses_as_a_reject(store):
    good = [pakistan(), kenya()]
    bad = diplomacy()
    bad.events[0] = bad.events[0].model_copy(update={"id": good[0].events[0].id})
    stats = RunStats()
    out = list(code_stream([good[0].article, bad.article, good[1].article], coder=_Canned([*good, bad]),
                           store=store, stats=stats))
    assert [c.article.id for c in out] == [good[0].article.id, good[1].article.id]
    assert stats.coded == 2 and stats.reject_codes == {"E208": 1}
    (rej,) = store.rejects()
    assert rej.code == "E208" and not rej.reason.startswith("[E208]") and rej.raw == bad.article.text
    assert "INSERT" not in rej.reason  # the first line of the database error, not its SQL echo
    # rerun: the stored articles are skipped, the refused one is tried again (and refused again)
    again = RunStats()
    list(code_stream([good[0].article, bad.article], coder=_Canned([*good, bad]), store=store, stats=again))
    assert again.skipped == 1 and again.reject_codes == {"E208": 1}


@pytest.mark.model
def test_poison_records_do_not_stop_code_db(tmp_path):
    from typer.testing import CliRunner

    from detente.cli import _register, app
    from detente.store import open_store

    _register()
    path = _jsonl(tmp_path,
                  json.dumps({"text": "Gunmen killed 3,000,000,000 people in Quetta on Monday.",
                              "date": "2024-01-19"}),
                  '{"text": "Gunmen attacked a police post in Quetta.", "title": "x\\udc00y", "date": "2024-01-19"}',
                  '{"text": "lone \\ud800 surrogate", "date": "2024-01-19"}',
                  json.dumps({"text": "Gunmen killed " + "9" * 400 + " people in Quetta.", "date": "2024-01-19"}),
                  json.dumps({"text": "Troops attacked the town on 9999-12-31.", "date": "2024-01-19"}),
                  GOOD)
    db = tmp_path / "x.duckdb"
    res = CliRunner().invoke(app, ["code", str(path), "--db", str(db), "--format", "none", "--quiet"])
    assert res.exit_code == 1, res.output  # finished, with one reject (the surrogate in the text)
    with open_store(str(db), read_only=True) as st:
        assert len(st.articles()) == 5 and [r.code for r in st.rejects()] == ["E104"]
        events = st.events()
        flags = [f[:6] for e in events for f in e.flags]
        assert "[W501]" in flags and "[W502]" in flags
        assert all(e.date is None or e.date.year == 2024 for e in events)
        assert all(not (e.toll and e.toll.killed) or e.toll.killed.best <= TOLL_MAX for e in events)


# --- command line: failing store, closed pipe ------------------------------------------------------------------
def _many_articles(n: int) -> list[CodedArticle]:
    out = []
    for i in range(n):
        for c in (pakistan(), kenya(), diplomacy()):
            c.article.id += str(i)
            for e in c.events:
                e.id += str(i)
                e.article_id = c.article.id
            out.append(c)
    return out


def _cli(*args: str, **kw):
    import subprocess
    import sys

    return subprocess.run([sys.executable, "-c", "from detente.cli import main; main()", *args],
                          capture_output=True, **kw)


def test_a_corrupt_store_is_a_plain_error_not_a_traceback(tmp_path):
    from detente.store import open_store

    db = tmp_path / "x.duckdb"
    with open_store(db) as st:
        st.write_many(_many_articles(300))
    size = db.stat().st_size
    with db.open("r+b") as fh:  # damage blocks past the header, as a bad disk would
        for off in range(size // 3, size, 4096 * 7):
            fh.seek(off)
            fh.write(b"\xa5" * 512)
    with pytest.raises(DetenteError) as err:
        with open_store(db, read_only=True) as st:
            st.stats()
    assert err.value.code == "E213"
    res = _cli("stats", "--db", str(db))
    assert res.returncode == 2 and b"E213" in res.stderr and b"Traceback" not in res.stderr


def test_a_closed_pipe_ends_quietly_with_status_0(tmp_path):
    import subprocess
    import sys

    from detente.store import open_store

    db = tmp_path / "x.duckdb"
    with open_store(db) as st:
        st.write_many(_many_articles(300))
    for args in (["events", "--db", str(db), "--format", "jsonl"], ["export", "-", "--format", "csv", "--db", str(db)]):
        proc = subprocess.Popen([sys.executable, "-c", "from detente.cli import main; main()", *args],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        assert proc.stdout.read(100)  # `| head -c 100`
        proc.stdout.close()
        _, stderr = proc.communicate(timeout=120)
        assert proc.returncode == 0, stderr
        assert b"Traceback" not in stderr and b"Broken pipe" not in stderr


def test_api_code_refuses_unstorable_text_in_plain_words(tmp_path):
    from fastapi.testclient import TestClient

    from detente.api.app import create_app
    from detente.store import open_store

    class Echo:  # a coder that codes nothing: the article's path through the API is what is tested
        def code(self, article):
            return CodedArticle(article=article)

    with open_store(str(tmp_path / "w.duckdb")) as st, TestClient(create_app(st, coder=Echo())) as c:
        for body in ({"text": "NUL \u0000 here", "store": True},
                     {"text": "x", "published": "2024-01-19T10:00:00+15:00", "store": True}):
            resp = c.post("/api/code", json=body)
            assert resp.status_code == 422, resp.text
            assert "INSERT" not in resp.text and "Traceback" not in resp.text
        resp = c.post("/api/code", content=b'{"text": "Troops withdrew.", "title": "a\\ud800b", "store": true}',
                      headers={"content-type": "application/json"})  # a JSON escape: the only way to send one
        assert resp.status_code == 200 and resp.json()["stored"] is True
        assert st.articles()[0].title == "a\ufffdb"
