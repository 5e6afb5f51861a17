"""detente.ingest on real-format fixture files (tests/fixtures/ingest), their broken variants, and the invariant
that every input record ends as exactly one Article or one Reject."""

from __future__ import annotations

import datetime as dt
import gzip
import io
import json
import logging
import os
import shutil
import sys
from pathlib import Path

import pytest

from detente.errors import MESSAGES, DetenteError
from detente.ingest import DEFAULT_MAX_CHARS, FORMATS, read
from detente.schema import Article, Reject, article_id

FIX = Path(__file__).parent / "fixtures" / "ingest"
UTC = dt.timezone.utc


def one(path, **kw):
    out = list(read(path, **kw))
    assert len(out) == 1, out
    return out[0]


def by_origin(items):
    return {r.origin: r for r in items}


def tz(hours):
    return dt.timezone(dt.timedelta(hours=hours))


# --- feeds -----------------------------------------------------------------------------------------------------

def test_rss2_entries_become_articles():
    items = list(read(FIX / "feed_rss2.rss"))
    assert [type(i) for i in items] == [Article] * 3
    first, second, third = items
    assert first.origin.endswith("feed_rss2.rss#entry1")
    assert first.title == "Gunmen attack checkpoint in Kech district"
    assert first.source == "Frontier Wire"
    assert first.url == "https://wire.example.net/2024/01/19/kech-checkpoint"
    assert first.published == dt.datetime(2024, 1, 19, 10, 0, tzinfo=tz(5))
    # content:encoded wins over the shorter description; tags stripped, script dropped, paragraphs kept
    assert first.text.startswith("TURBAT \u2014 Gunmen attacked a paramilitary checkpoint")
    assert "<" not in first.text and "track()" not in first.text
    assert "said.\n\nA separatist group" in first.text
    assert "attack.\nPolice have sealed" in first.text
    assert first.meta["id"] == "fw-2024-0119-01"
    # RFC 822 zone name, HTML-escaped description
    assert second.published == dt.datetime(2024, 1, 18, 16, 45, tzinfo=tz(-5))
    assert second.text == ("Hundreds of traders blocked the highway on Thursday to protest new rules at the border "
                           "crossing.")
    # no pubDate: published None and a W101 warning, never today
    assert third.published is None
    assert any(w.startswith("[W101]") for w in third.meta["warnings"])


def test_atom_entries_use_content_and_updated():
    first, second = read(FIX / "feed_atom.atom")
    assert first.source == second.source == "Lakeside Monitor"
    assert first.text == ("The foreign ministers of both countries agreed on Saturday to reopen talks on the disputed "
                          "river border.\n\nA first meeting is set for February.")
    assert first.published == dt.datetime(2024, 1, 20, 9, 15, tzinfo=tz(1))  # published beats updated
    assert first.url == "https://monitor.example.com/news/talks-reopen"
    assert second.published == dt.datetime(2024, 1, 19, 18, 30, tzinfo=UTC)  # only updated given
    assert second.origin.endswith("#entry2")


def test_feed_bad_entries_reject_one_each():
    items = list(read(FIX / "feed_bad_entries.rss"))
    assert [type(i).__name__ for i in items] == ["Article", "Reject", "Reject"]
    assert items[1].code == "E103" and items[1].origin.endswith("#entry2")
    assert items[2].code == "E107" and "sometime last week" in items[2].reason


@pytest.mark.parametrize("name", ["feed_malformed.xml", "not_a_feed.xml"])
def test_malformed_feed_is_one_reject(name):
    rej = one(FIX / name)
    assert isinstance(rej, Reject) and rej.code == "E110"
    assert rej.origin == str(FIX / name)


# --- HTML ------------------------------------------------------------------------------------------------------

def test_html_news_page():
    art = one(FIX / "news_page.html")
    assert isinstance(art, Article)
    assert art.title == "Talks resume in Doha as ceasefire holds"
    assert art.text.startswith("DOHA, Jan 19")  # headline not repeated in the text
    assert "Most read" not in art.text and "All rights reserved" not in art.text and "Subscribe" not in art.text
    assert "200,000 displaced people" in art.text
    assert art.published == dt.datetime(2024, 1, 19, 8, 30, tzinfo=tz(3))  # article:published_time, with zone
    assert art.url == "https://ledger.example.org/world/2024/01/19/doha-talks-resume"
    assert art.source == "The Daily Ledger"


def test_html_without_text_is_rejected():
    rej = one(FIX / "page_no_text.html")
    assert isinstance(rej, Reject) and rej.code == "E111"


# --- JSONL / JSON ----------------------------------------------------------------------------------------------

def test_jsonl_good_and_broken_lines():
    items = by_origin(read(FIX / "articles.jsonl"))
    name = str(FIX / "articles.jsonl")
    codes = {o[len(name) + 1:]: (r.code if isinstance(r, Reject) else "ok") for o, r in items.items()}
    assert codes == {"1": "ok", "2": "E101", "3": "E102", "5": "E106", "6": "E103", "7": "E107", "8": "ok",
                     "9": "ok", "10": "E114", "11": "ok"}  # line 4 is blank: not a record
    first = items[f"{name}:1"]
    assert first.text.startswith("The army said on Friday")
    assert first.title == "Army retakes town"  # headline key, not prepended to the text
    assert first.source == "Frontier Wire" and first.url == "https://wire.example.net/r1"
    assert first.meta["id"] == "r1" and first.meta["section"] == "world"
    assert items[f"{name}:8"].published == dt.datetime(2024, 1, 19, 10, 0, tzinfo=UTC)  # epoch ms, "Timestamp"
    assert items[f"{name}:9"].published is None
    assert items[f"{name}:11"].text == "Windows newlines\nare normalised."
    bad = items[f"{name}:2"]
    assert bad.raw.startswith('{"id": "r2"') and bad.reason


def test_json_list_and_object(tmp_path):
    (tmp_path / "list.json").write_text(json.dumps([{"text": "One.", "date": "2024-01-02"}, "nope", {"x": 1}]))
    (tmp_path / "obj.json").write_text(json.dumps({"body": "Single object.", "date": "2024-01-03"}))
    (tmp_path / "lines.json").write_text('{"text": "a"}\n{"text": "b"}\n')  # JSONL under a .json name
    items = by_origin(read(tmp_path))
    assert items[f"{tmp_path}/list.json#item1"].text == "One."
    assert items[f"{tmp_path}/list.json#item2"].code == "E102"
    assert items[f"{tmp_path}/list.json#item3"].code == "E106"
    assert items[f"{tmp_path}/obj.json"].published == dt.datetime(2024, 1, 3, tzinfo=UTC)
    assert [items[f"{tmp_path}/lines.json:{n}"].text for n in (1, 2)] == ["a", "b"]


# --- CSV / TSV -------------------------------------------------------------------------------------------------

def test_csv_odd_columns_and_multiline_field():
    items = list(read(FIX / "odd_columns.csv"))
    assert all(isinstance(i, Article) for i in items)
    a1, a2, a3 = items
    assert a1.text == ("Fighting broke out on Monday near the northern border, officials said.\nTwo soldiers were "
                       "wounded.\n\nA curfew was imposed.")
    assert a1.title == "Clashes in the north" and a1.source == "Frontier Wire"
    assert a1.url == "https://wire.example.net/a1" and a1.meta["id"] == "a1" and a1.meta["region"] == "north"
    assert a1.published == dt.datetime(2024, 1, 19, 10, tzinfo=tz(5))
    # origins are the lines records start on: the quoted field of a1 spans lines 2-5
    assert [i.origin.rsplit(":", 1)[1] for i in items] == ["2", "6", "7"]
    assert a2.title == "Talks, again" and a2.source is None
    assert a2.published == dt.datetime(2024, 1, 18, tzinfo=UTC)
    assert a3.text == 'The army said it had "neutralised" three militants.' and a3.published is None


def test_csv_broken_rows():
    items = list(read(FIX / "broken.csv"))
    assert [getattr(i, "code", "ok") for i in items] == ["ok", "E103", "E107", "E116"]
    assert one(FIX / "no_text_column.csv").code == "E106"


def test_tsv_with_mapping_and_defaults():
    items = list(read(FIX / "custom_columns.tsv"))
    assert {i.code for i in items} == {"E106"}  # unknown column names without a mapping
    items = list(read(FIX / "custom_columns.tsv", mapping={"text": "STORY_TEXT", "published": "date_of_story",
                                                           "source": "paper"}, url="https://valley.example.org"))
    assert [i.text for i in items] == ["Protesters marched to the governor's office.",
                                       "The ceasefire was extended by a week."]
    assert items[0].published == dt.datetime(2024, 1, 19, tzinfo=UTC)
    assert items[1].published == dt.datetime(2024, 1, 19, 10, tzinfo=UTC)  # epoch seconds
    assert items[0].source == "Valley Times" and items[0].url == "https://valley.example.org"


def test_csv_latin1_is_detected(tmp_path):
    path = tmp_path / "latin.csv"
    path.write_bytes("text,date\nLa visite du ministre \u00e0 Bogot\u00e1 est report\u00e9e.,2024-01-19\n"
                     .encode("latin-1"))
    art = one(path)
    assert art.text == "La visite du ministre \u00e0 Bogot\u00e1 est report\u00e9e."
    assert any(w.startswith("[W102]") for w in art.meta["warnings"])
    assert one(path, encoding="latin-1").meta.get("warnings") is None


# --- plain text ------------------------------------------------------------------------------------------------

def test_front_matter():
    art = one(FIX / "front_matter.md")
    assert art.title == "Ceasefire extended" and art.source == "Valley Times"
    assert art.url == "https://valley.example.org/ceasefire"
    assert art.published == dt.datetime(2024, 1, 19, 10, tzinfo=tz(5))
    assert art.text == ("The two sides agreed on Friday to extend the ceasefire by a week, mediators said.\n\n"
                        "Aid convoys are expected to resume on Monday.\n")
    assert art.meta == {"section": "world", "desk": "south"}


def test_plain_text_newlines_and_no_date(caplog):
    with caplog.at_level(logging.WARNING, logger="detente.ingest"):
        art = one(FIX / "no_date.txt")
    assert art.text == "Plain article with no date.\nSecond line.\n"
    assert art.published is None and art.meta["warnings"][0].startswith("[W101]")
    assert any("W101" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize("name, code", [("bad_front_matter.txt", "E115"), ("binary.txt", "E104"),
                                        ("empty.txt", "E103")])
def test_broken_text_files(name, code):
    rej = one(FIX / name)
    assert isinstance(rej, Reject) and rej.code == code and rej.origin == str(FIX / name)
    assert rej.reason == rej.reason.strip() and not rej.reason.startswith("[")


def test_cp1252_text_is_decoded_with_warning():
    art = one(FIX / "cp1252.txt")
    assert art.text.startswith("The minister\u2019s visit to Bogot\u00e1")
    assert art.meta["warnings"][0].startswith("[W102]")


def test_utf8_bom_and_utf16(tmp_path):
    (tmp_path / "bom.txt").write_bytes(b"\xef\xbb\xbfCaf\xc3\xa9 talks.")
    (tmp_path / "wide.txt").write_bytes("Talks in Z\u00fcrich.".encode("utf-16"))
    assert one(tmp_path / "bom.txt").text == "Caf\u00e9 talks."
    assert one(tmp_path / "wide.txt").text == "Talks in Z\u00fcrich."


# --- gzip ------------------------------------------------------------------------------------------------------

def test_gzip_uses_inner_extension():
    items = list(read(FIX / "bundle.jsonl.gz"))
    assert [i.origin.rsplit(":", 1)[1] for i in items] == ["1", "2", "3"]
    assert all(i.source == "Gz Daily" for i in items)


def test_corrupt_gzip():
    assert one(FIX / "not_gzip.txt.gz").code == "E109"
    items = list(read(FIX / "truncated.jsonl.gz"))
    assert isinstance(items[0], Article)  # records before the damage are kept
    assert items[-1].code == "E109" and all(isinstance(i, Article) for i in items[:-1])


def test_gzip_text_file(tmp_path):
    with gzip.open(tmp_path / "story.txt.gz", "wb") as fh:
        fh.write(b"Compressed story.")
    assert one(tmp_path / "story.txt.gz").text == "Compressed story."


# --- stdin -----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("payload, fmt, expected", [
    (b'{"text": "one", "date": "2024-01-19"}\n\n{"text": ""}\n', None, [("<stdin>:1", "ok"), ("<stdin>:3", "E103")]),
    (b"A plain story from a pipe.\r\n", None, [("<stdin>", "ok")]),
    (None, None, [("<stdin>#entry1", "ok"), ("<stdin>#entry2", "ok")]),
    (b"headline,summary\nH,Body text.\n", "csv", [("<stdin>:2", "E106")]),
])
def test_stdin(monkeypatch, payload, fmt, expected):
    data = payload if payload is not None else (FIX / "feed_atom.atom").read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    got = [(i.origin, i.code if isinstance(i, Reject) else "ok") for i in read("-", fmt=fmt)]
    assert got == expected


def test_stdin_text_only_stream(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO("Text with no byte buffer."))
    assert one("-").text == "Text with no byte buffer."


# --- inputs, options, limits -----------------------------------------------------------------------------------

def test_missing_path_and_empty_glob_are_rejects(tmp_path):
    items = list(read([tmp_path / "nope.jsonl", str(tmp_path / "*.csv")]))
    assert [(i.code, i.origin) for i in items] == [("E108", str(tmp_path / "nope.jsonl")),
                                                  ("E108", str(tmp_path / "*.csv"))]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_unreadable_file(tmp_path):
    path = tmp_path / "locked.txt"
    path.write_text("secret")
    path.chmod(0)
    assert one(path).code == "E108"


def test_directory_sorted_hidden_skipped_unknown_skipped(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / ".hidden").mkdir()
    (tmp_path / "b" / "z.txt").write_text("Z story.")
    (tmp_path / "a.txt").write_text("A story.")
    (tmp_path / ".secret.txt").write_text("hidden")
    (tmp_path / ".hidden" / "x.txt").write_text("hidden")
    (tmp_path / "notes.docx").write_bytes(b"PK\x03\x04")
    assert [i.text for i in read(tmp_path)] == ["A story.", "Z story."]
    assert [i.text for i in read(str(tmp_path / "**" / "*.txt"))] == ["A story.", "Z story."]


def test_directory_skips_readme_and_licence_files_with_a_note(tmp_path, caplog):
    (tmp_path / "2024-01-19-strike.txt").write_text("Iran struck Pakistan.")
    for name in ("README.md", "LICENSE", "license.txt", "CHANGELOG.md", "sub/Readme.txt", "CONTRIBUTING.md"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text("# About this folder\n\nNot news.")
    (tmp_path / "LICENSE").rename(tmp_path / "LICENSE.txt")  # an extension, so not skipped as unknown already
    with caplog.at_level(logging.WARNING, logger="detente.ingest"):
        assert [i.text for i in read(tmp_path)] == ["Iran struck Pakistan."]
    assert sum("W107" in r.getMessage() for r in caplog.records) == 6
    assert "README.md" in caplog.text
    assert one(tmp_path / "README.md").text.startswith("# About")  # named explicitly, it is read


def test_unknown_extension_named_explicitly_is_sniffed(tmp_path):
    path = tmp_path / "dump.data"
    path.write_text('{"text": "sniffed as JSONL"}\n')
    assert one(path).text == "sniffed as JSONL"


def test_defaults_fill_only_missing_fields(tmp_path):
    path = tmp_path / "x.jsonl"
    path.write_text(json.dumps({"text": "has all", "date": "2024-01-01", "source": "Own", "url": "u1"}) + "\n"
                    + json.dumps({"text": "has none"}) + "\n")
    full, bare = read(path, published="2024-02-02", source="Default", url="u0")
    assert (full.published.date(), full.source, full.url) == (dt.date(2024, 1, 1), "Own", "u1")
    assert (bare.published, bare.source, bare.url) == (dt.datetime(2024, 2, 2, tzinfo=UTC), "Default", "u0")
    assert "warnings" not in bare.meta


def test_size_limit(tmp_path):
    assert DEFAULT_MAX_CHARS == 200_000
    (tmp_path / "big.txt").write_text("x" * 101)
    (tmp_path / "huge.txt").write_text("y" * 1000)  # over 4 bytes a character: refused without decoding
    (tmp_path / "ok.txt").write_text("z" * 100)
    out = {Path(i.origin).name: i for i in read(tmp_path, max_chars=100)}
    assert out["big.txt"].code == "E105" and out["huge.txt"].code == "E105"
    assert len(out["ok.txt"].text) == 100
    assert len(out["big.txt"].raw) <= 2000


def test_bad_arguments_raise_detente_errors():
    with pytest.raises(DetenteError, match="E112"):
        read("x", fmt="docx")
    with pytest.raises(DetenteError, match="E113"):
        read("x", mapping={"body": "x"})
    with pytest.raises(DetenteError, match="E117"):
        read("x", published="someday")
    with pytest.raises(DetenteError, match="E119"):
        read("x", encoding="klingon-8")
    assert set(FORMATS) == {"text", "jsonl", "json", "csv", "tsv", "html", "feed"}


def test_fmt_override(tmp_path):
    path = tmp_path / "feed.txt"
    shutil.copy(FIX / "feed_atom.atom", path)
    assert len(list(read(path, fmt="atom"))) == 2
    assert isinstance(one(path), Article)  # as text: one article (the XML as written)


def test_article_id_is_schema_id():
    art = one(FIX / "front_matter.md")
    assert art.id == article_id(art.text, art.source)


def test_reject_codes_are_catalogued():
    codes = {i.code for i in read(FIX) if isinstance(i, Reject)}
    assert codes and all(c in MESSAGES and c.startswith("E1") for c in codes)


# --- the invariant ---------------------------------------------------------------------------------------------

def test_every_record_ends_as_exactly_one_outcome(tmp_path):
    """Records of known count, good and bad mixed, in every format: one outcome each, in input order."""
    good = {"text": "Fine.", "date": "2024-01-19"}
    lines = [json.dumps(good), "{bad", "[]", json.dumps({"text": ""}), json.dumps({"text": "x", "date": "??"}),
             json.dumps({"nothing": 1}), json.dumps(good), "\x00\x01\x02\x03\x04 binary line", json.dumps(good)]
    (tmp_path / "a.jsonl").write_text("\n".join(lines) + "\n")
    rows = ["text,date", "Fine.,2024-01-19", ",2024-01-19", "x,never", '"multi\nline",2024-01-19', "a,b,c"]
    (tmp_path / "b.csv").write_text("\n".join(rows) + "\n")
    (tmp_path / "c.txt").write_text("A story.")
    (tmp_path / "d.txt").write_bytes(b"\x00\x01")
    shutil.copy(FIX / "feed_bad_entries.rss", tmp_path / "e.rss")
    shutil.copy(FIX / "feed_malformed.xml", tmp_path / "f.xml")
    (tmp_path / "g.json").write_text(json.dumps([good, 3, good]))
    expected = {"a.jsonl": 9, "b.csv": 5, "c.txt": 1, "d.txt": 1, "e.rss": 3, "f.xml": 1, "g.json": 3}
    items = list(read([tmp_path, tmp_path / "missing.txt"]))
    assert len(items) == sum(expected.values()) + 1
    assert len({i.origin for i in items}) == len(items)  # no record reported twice
    counts: dict[str, int] = {}
    for item in items:
        assert isinstance(item, (Article, Reject))
        name = Path(item.origin.split("#")[0].rsplit(":", 1)[0] if ":" in Path(item.origin).name
                    else item.origin.split("#")[0]).name
        counts[name] = counts.get(name, 0) + 1
    assert counts == {**expected, "missing.txt": 1}
    jsonl = [i for i in items if "a.jsonl" in i.origin]
    assert [type(i).__name__[0] for i in jsonl] == list("ARRRRRARA")


def test_broken_symlink_is_a_reject(tmp_path):
    link = tmp_path / "gone.txt"
    link.symlink_to(tmp_path / "deleted.txt")
    rej = one(link)
    assert rej.code == "E108" and rej.origin == str(link)


def test_reader_failure_does_not_stop_the_batch(tmp_path, monkeypatch):
    import detente.ingest as ingest

    def explode(src, stream, opts, head):
        yield from ()
        raise RuntimeError("boom")

    monkeypatch.setitem(ingest.READERS, "html", explode)
    (tmp_path / "a.html").write_text("<p>x</p>")
    (tmp_path / "b.txt").write_text("Still read.")
    items = list(read(tmp_path))
    assert [getattr(i, "code", "ok") for i in items] == ["E118", "ok"]


def test_ten_thousand_jsonl_records_are_fast(tmp_path):
    import time

    path = tmp_path / "big.jsonl"
    record = {"text": "Government forces clashed with rebels near the town. " * 40, "title": "Clashes",
              "published": "2024-01-19T10:00:00Z", "source": "Wire", "url": "https://x.example/1", "id": 1}
    with path.open("w") as fh:
        for n in range(10_000):
            record["id"] = n
            record["text"] = f"Report {n}. " + record["text"][len(f"Report {n - 1}. "):] if n else record["text"]
            fh.write(json.dumps(record) + "\n")
    start = time.perf_counter()
    items = list(read(path))
    elapsed = time.perf_counter() - start
    assert len(items) == 10_000 and all(isinstance(i, Article) for i in items)
    assert elapsed < 5.0, f"{elapsed:.2f}s for 10k records"  # measured ~0.3 s; a generous bound for slow CI
