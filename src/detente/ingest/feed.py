"""RSS and Atom feeds (``.rss``, ``.atom``, ``.xml``) via feedparser, on the file's bytes only (never a URL).

Each entry -> one Article: text from the longest ``content`` value, else the ``summary``, with HTML stripped;
title, link, published (else updated, else created) and the feed's title as source. Entries are numbered from 1:
origin ``path#entry3``.
"""

from __future__ import annotations

import calendar
import datetime as dt
import io
import logging
from typing import Any, BinaryIO, Iterator

from ..schema import Article, Reject
from .htmlpage import MAX_DOCUMENT_BYTES
from .records import Options, build, isolated, message, reject
from .sources import Source, read_all
from .text import bytes_look_binary, html_to_text

log = logging.getLogger("detente.ingest")


def _entry_text(entry: Any) -> str:
    parts = [c for c in entry.get("content") or [] if c.get("value")]
    if parts:
        best = max(parts, key=lambda c: len(c["value"]))
        value, kind = best["value"], best.get("type") or "text/html"
    else:
        detail = entry.get("summary_detail") or {}
        value, kind = entry.get("summary") or "", detail.get("type") or "text/html"
    return html_to_text(value) if "html" in kind else value.strip()


def _entry_date(entry: Any) -> Any:
    """The raw date string, else feedparser's parsed UTC time, else None."""
    for key in ("published", "updated", "created"):
        if entry.get(key):
            return entry[key]
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        if entry.get(key):
            return dt.datetime.fromtimestamp(calendar.timegm(entry[key]), tz=dt.timezone.utc)
    return None


def parse_feed(data: bytes, name: str, opts: Options) -> Iterator[Article | Reject]:
    """Bytes of one feed document -> one Article or Reject per entry (a Reject for the file if none can be read)."""
    why = bytes_look_binary(data)  # feedparser reads the XML encoding declaration itself
    if why:
        yield reject(name, "E104", data, detail=why)
        return
    import feedparser

    parsed = feedparser.parse(io.BytesIO(data), sanitize_html=True, resolve_relative_uris=False)
    entries = parsed.get("entries") or []
    problem = parsed.get("bozo_exception")
    if not entries:
        if problem is not None or not parsed.get("version"):
            detail = str(problem) if problem is not None else "no <rss>, <feed> or <rdf:RDF> root"
            yield reject(name, "E110", data, path=name, detail=detail)
        else:
            log.warning("[W104] %s", message("W104", path=name))
        return
    if problem is not None:
        log.warning("[W103] %s", message("W103", path=name, detail=problem))
    feed_title = (parsed.get("feed") or {}).get("title") or None
    for index, entry in enumerate(entries, 1):
        origin = f"{name}#entry{index}"
        yield isolated(origin, entry.get("title"), lambda: _entry(entry, origin, opts, feed_title))


def _entry(entry: Any, origin: str, opts: Options, feed_title: str | None) -> Article | Reject:
    text = _entry_text(entry)
    raw = entry.get("title", "") + "\n" + (entry.get("summary") or "")
    meta: dict[str, Any] = {}
    if entry.get("id"):
        meta["id"] = entry["id"]
    if entry.get("author"):
        meta["author"] = entry["author"]
    tags = [t.get("term") for t in entry.get("tags") or [] if t.get("term")]
    if tags:
        meta["tags"] = tags
    return build(text=text, origin=origin, opts=opts, raw=raw if text.strip() else raw or None,
                 title=entry.get("title"), published=_entry_date(entry), source=feed_title,
                 url=entry.get("link"), language=None, meta=meta)


def read_feed(src: Source, stream: BinaryIO, opts: Options) -> Iterator[Article | Reject]:
    """Yield one Article or Reject per feed entry."""
    data = read_all(stream, MAX_DOCUMENT_BYTES)
    if len(data) > MAX_DOCUMENT_BYTES:
        yield reject(src.name, "E105", data[:2000], size=f"more than {MAX_DOCUMENT_BYTES:,} bytes of",
                     limit=f"{MAX_DOCUMENT_BYTES:,} bytes of feed")
        return
    yield from parse_feed(data, src.name, opts)
