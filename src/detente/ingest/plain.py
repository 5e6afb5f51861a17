"""Plain text (``.txt``, ``.md``, ``.text``): one article per file, with optional YAML front matter.

A file may open with a ``---`` line, YAML keys (title, published/date, source, url, language, id, meta, …: the
same names as any record) and a closing ``---`` (or ``...``) line; the text is everything after it, as written.
"""

from __future__ import annotations

import re
from typing import BinaryIO, Iterator

from ..schema import Article, Reject
from .records import Options, from_record, reject, warning_text
from .sources import Source, read_all
from .text import NotText, decode, normalise_newlines

FRONT_MATTER_LIMIT = 65536  # bytes allowed for front matter on top of the text limit
_FRONT = re.compile(r"\A---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)


def read_text(src: Source, stream: BinaryIO, opts: Options) -> Iterator[Article | Reject]:
    """Yield the one Article (or Reject) of a plain-text source."""
    limit = 4 * opts.max_chars + FRONT_MATTER_LIMIT  # UTF-8 needs at most 4 bytes a character
    data = read_all(stream, limit)
    if len(data) > limit:
        yield reject(src.name, "E105", data[:2000], size=f"more than {opts.max_chars:,}",
                     limit=f"{opts.max_chars:,}")
        return
    yield parse_text(data, src.name, opts)


def parse_text(data: bytes, origin: str, opts: Options) -> Article | Reject:
    """Bytes of one text document (front matter allowed) -> Article or Reject."""
    try:
        text, fallback = decode(data, opts.encoding)
    except NotText as exc:
        return reject(origin, "E104", data, detail=str(exc))
    text = normalise_newlines(text)
    notes = [warning_text("W102", encoding=fallback)] if fallback else []
    whole = text
    front: dict = {}
    match = _FRONT.match(text)
    if match:
        import yaml

        try:
            loaded = yaml.safe_load(match.group(1) or "")
        except yaml.YAMLError as exc:
            detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            return reject(origin, "E115", text, detail=detail)
        if loaded is not None and not isinstance(loaded, dict):
            return reject(origin, "E115", text, detail=f"it holds {type(loaded).__name__}, not key: value lines")
        front = {str(k): v for k, v in (loaded or {}).items()}
        text = text[match.end():]
    return from_record(front, origin, opts, raw=whole[:2000], warnings=notes, body=text)
