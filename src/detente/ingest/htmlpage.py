"""HTML pages (``.html``, ``.htm``): main text, title, date, canonical URL and site name via trafilatura.

Nothing is fetched: trafilatura only sees the bytes given. The publication date comes from the page's
``<meta>`` tags first (they keep time and zone; names in data/ingest/fields.toml ``[html]``), then from
trafilatura's date finder (htmldate, day precision). A headline that trafilatura repeats as the first line of the
text is removed from the text, since the title is kept in ``Article.title``.
"""

from __future__ import annotations

import logging
from typing import BinaryIO, Iterator

from ..schema import Article, Reject
from .records import Options, build, html_date_meta, reject, warning_text
from .sources import Source, read_all
from .text import NotText, decode

log = logging.getLogger("detente.ingest")
MAX_DOCUMENT_BYTES = 64 * 1024 * 1024  # an HTML page or feed file larger than this is refused (E105)
MIN_WORDS = 5  # less extracted text than this is menu or boilerplate residue, not an article (E111)


def _meta_date(tree) -> str | None:
    found: dict[str, str] = {}
    for meta in tree.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").strip().lower()
        content = (meta.get("content") or "").strip()
        if key and content and key not in found:
            found[key] = content
    for key in html_date_meta():
        if key in found:
            return found[key]
    return None


def _drop_title_line(text: str, title: str | None) -> str:
    if not title:
        return text
    first, sep, rest = text.partition("\n")
    if " ".join(first.split()).casefold() == " ".join(title.split()).casefold():
        return rest.lstrip("\n")
    return text


def parse_html(data: bytes, origin: str, opts: Options) -> Article | Reject:
    """Bytes of one HTML page -> Article or Reject."""
    try:
        markup, fallback = decode(data, opts.encoding)
    except NotText as exc:
        return reject(origin, "E104", data, detail=str(exc))
    import lxml.etree
    import lxml.html
    import trafilatura

    try:
        tree = lxml.html.fromstring(data if markup.lstrip().startswith("<?xml") else markup)
    except (lxml.etree.ParserError, ValueError) as exc:
        return reject(origin, "E111", markup, detail=f" ({exc})")
    when = _meta_date(tree)
    try:
        doc = trafilatura.bare_extraction(tree, with_metadata=True, include_comments=False, favor_recall=True)
    except Exception as exc:  # trafilatura raises assorted errors on odd markup
        log.debug("%s: trafilatura failed: %r", origin, exc)
        doc = None
    if doc is not None and not isinstance(doc, dict):
        doc = doc.as_dict()
    text = (doc or {}).get("text") or ""
    if len(text.split(None, MIN_WORDS)) < MIN_WORDS:
        detail = f" (only {text.strip()!r})" if text.strip() else ""
        return reject(origin, "E111", markup, detail=detail)
    title = doc.get("title")
    text = _drop_title_line(text, title)
    notes = [warning_text("W102", encoding=fallback)] if fallback else []
    if when is None and doc.get("date"):
        when = doc["date"]
    meta = {k: doc[k] for k in ("author", "hostname", "sitename", "description") if doc.get(k)}
    article = build(text=text, origin=origin, opts=opts, raw=markup[:2000], title=title, published=when,
                    source=doc.get("sitename") or doc.get("hostname"), url=doc.get("url"), meta=meta,
                    language=doc.get("language"), warnings=notes)
    if isinstance(article, Reject) and article.code == "E107":
        # a date read from markup that no parser accepts is the page's fault, not the user's: keep the text
        meta["unread_date"] = when
        return build(text=text, origin=origin, opts=opts, raw=markup[:2000], title=title, published=None,
                     source=doc.get("sitename") or doc.get("hostname"), url=doc.get("url"), meta=meta,
                     language=doc.get("language"), warnings=notes)
    return article


def read_html(src: Source, stream: BinaryIO, opts: Options) -> Iterator[Article | Reject]:
    """Yield the one Article (or Reject) of an HTML page."""
    data = read_all(stream, MAX_DOCUMENT_BYTES)
    if len(data) > MAX_DOCUMENT_BYTES:
        yield reject(src.name, "E105", data[:2000], size=f"more than {MAX_DOCUMENT_BYTES:,} bytes of",
                     limit=f"{MAX_DOCUMENT_BYTES:,} bytes of HTML")
        return
    yield parse_html(data, src.name, opts)
