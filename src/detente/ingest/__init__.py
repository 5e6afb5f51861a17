"""Ingest: every input format yields Articles; every bad record becomes one Reject, and the batch goes on.

>>> import json, tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "a.jsonl").write_text(json.dumps({"text": "Troops withdrew.", "date": "2024-01-19"}) + "\\n{oops\\n")
>>> [type(r).__name__ for r in read(folder)]
['Article', 'Reject']

See docs/ingest.md for the formats, recognised keys, date rules and reject codes.
"""

from __future__ import annotations

import codecs
import datetime as dt
import gzip
import logging
import os
import zlib
from typing import Any, BinaryIO, Callable, Iterable, Iterator, Mapping

from ..errors import DetenteError
from ..schema import Article, Reject
from .dates import parse_date
from .feed import read_feed
from .htmlpage import read_html
from .jsonl import read_json, read_jsonl
from .plain import read_text
from .records import Options, field_names, reject
from .sources import Source, expand, sniff
from .tabular import read_csv

__all__ = ["read", "DEFAULT_MAX_CHARS", "FORMATS", "MAPPING_KEYS", "parse_date"]

log = logging.getLogger("detente.ingest")

DEFAULT_MAX_CHARS = 200_000  # ~30,000 words: far above any news report, small enough to catch whole books / dumps
MAPPING_KEYS = ("text", "title", "published", "source", "url", "id", "language")

Reader = Callable[[Source, BinaryIO, Options, bytes], Iterator[Article | Reject]]
READERS: dict[str, Reader] = {
    "text": lambda src, stream, opts, head: read_text(src, stream, opts),
    "jsonl": lambda src, stream, opts, head: read_jsonl(src, stream, opts, head),
    "json": lambda src, stream, opts, head: read_json(src, stream, opts),
    "csv": lambda src, stream, opts, head: read_csv(src, stream, opts, head, ","),
    "tsv": lambda src, stream, opts, head: read_csv(src, stream, opts, head, "\t"),
    "html": lambda src, stream, opts, head: read_html(src, stream, opts),
    "feed": lambda src, stream, opts, head: read_feed(src, stream, opts),
}
FORMATS = tuple(READERS)
ALIASES = {"txt": "text", "md": "text", "markdown": "text", "plain": "text", "ndjson": "jsonl", "htm": "html",
           "rss": "feed", "atom": "feed", "xml": "feed"}
_GZIP_ERRORS = (gzip.BadGzipFile, EOFError, zlib.error)


def read(
    inputs: str | os.PathLike | Iterable[str | os.PathLike],
    *,
    fmt: str | None = None,
    published: str | dt.date | dt.datetime | None = None,
    source: str | None = None,
    url: str | None = None,
    mapping: Mapping[str, str] | None = None,
    max_chars: int = DEFAULT_MAX_CHARS,
    encoding: str | None = None,
) -> Iterator[Article | Reject]:
    """Read news articles from files, directories, globs or stdin (``"-"``).

    Parameters
    ----------
    inputs
        A path or an iterable of paths: files, directories (recursed in sorted order, hidden files skipped, only
        known extensions), glob patterns, ``"-"`` for stdin. ``.gz`` files are decompressed.
    fmt
        Force one format for every input: one of ``FORMATS`` (or an alias such as ``rss``, ``ndjson``, ``md``).
        By default the extension decides, and stdin / unknown extensions are sniffed from the first bytes.
    published, source, url
        Defaults for records that have none. ``published`` is parsed like any date (naive means UTC).
    mapping
        ``{field: input key}`` overriding the recognised names, fields from ``MAPPING_KEYS``;
        e.g. ``{"text": "story_body", "published": "when"}``. Matched case-insensitively.
    max_chars
        Longer texts are rejected (E105).
    encoding
        Charset of the inputs when not UTF-8 (a BOM still wins); by default UTF-8, with a charset guess for
        whole-file formats that are not.

    Returns
    -------
    Iterator[Article | Reject]
        Lazily, in input order: exactly one Article or one Reject per input record.

    Raises
    ------
    DetenteError
        At the call, for bad arguments only (E112 format, E113 mapping key, E117 default date, E119 encoding).
    """
    opts = _options(fmt=fmt, published=published, source=source, url=url, mapping=mapping, max_chars=max_chars,
                    encoding=encoding)
    return _read(inputs, opts)


def _options(
    *, fmt: str | None, published: Any, source: str | None, url: str | None, mapping: Mapping[str, str] | None,
    max_chars: int, encoding: str | None,
) -> Options:
    if fmt is not None:
        name = str(fmt).lower().lstrip(".")
        fmt = ALIASES.get(name, name)
        if fmt not in READERS:
            raise DetenteError("E112", fmt=name, allowed=", ".join(FORMATS))
    when = None
    if published not in (None, ""):
        try:
            when = parse_date(published)
        except ValueError:
            raise DetenteError("E117", value=published) from None
    names = dict(field_names())
    for key, column in (mapping or {}).items():
        if key not in MAPPING_KEYS:
            raise DetenteError("E113", key=key, allowed=", ".join(MAPPING_KEYS))
        columns = [column] if isinstance(column, str) else list(column)
        names[key] = tuple(str(c).lower() for c in columns if str(c).strip())
    if encoding is not None:
        try:
            encoding = codecs.lookup(encoding).name
        except LookupError:
            raise DetenteError("E119", encoding=encoding) from None
    if int(max_chars) < 1:
        raise ValueError(f"max_chars must be a positive number of characters, got {max_chars!r}")
    return Options(published=when, source=source or None, url=url or None, names=names, max_chars=int(max_chars),
                   encoding=encoding, fmt=fmt)


def _read(inputs: Any, opts: Options) -> Iterator[Article | Reject]:
    for item in expand(inputs, opts.fmt):
        if isinstance(item, Reject):
            yield item
        else:
            yield from _read_source(item, opts)


def _read_source(src: Source, opts: Options) -> Iterator[Article | Reject]:
    """All records of one source; errors while opening or streaming become a Reject naming the source."""
    done = undated = 0
    try:
        stream, head = src.open()
    except _GZIP_ERRORS as exc:
        if not src.gz:
            raise
        yield reject(src.name, "E109", None, path=src.name, detail=str(exc) or type(exc).__name__)
        return
    except OSError as exc:
        yield reject(src.name, "E108", None, path=src.name, detail=exc.strerror or str(exc))
        return
    fmt = src.fmt or sniff(head)
    try:
        with stream:
            for out in READERS[fmt](src, stream, opts, head):
                done += 1
                if isinstance(out, Article) and out.published is None:
                    undated += 1
                yield out
    except _GZIP_ERRORS as exc:
        if not src.gz:
            yield _unexpected(src, exc, done)
        else:
            detail = f"{exc or type(exc).__name__}; {done} records were read before it"
            yield reject(src.name, "E109", None, path=src.name, detail=detail)
    except OSError as exc:
        yield reject(src.name, "E108", None, path=src.name, detail=f"{exc.strerror or exc}; after {done} records")
    except Exception as exc:  # a bug or a library failure: log it, count it, keep the batch going
        yield _unexpected(src, exc, done)
    finally:
        if undated:
            log.warning("[W101] %s: %d of %d records have no publication date; relative dates in them stay "
                        "unresolved. Give a date field or --published.", src.name, undated, done)


def _unexpected(src: Source, exc: BaseException, done: int) -> Reject:
    log.exception("unexpected error while reading %s", src.name, exc_info=exc)
    return reject(src.name, "E118", None, path=src.name, detail=f"{type(exc).__name__}: {exc}", done=done)


