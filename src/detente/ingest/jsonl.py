"""JSON Lines (``.jsonl``, ``.ndjson``: one object per line) and JSON (``.json``: a list of objects or one object).

Lines are numbered from 1 and blank lines are not records. Each line is decoded on its own, so one line in a
foreign encoding costs one Reject, not the file.
"""

from __future__ import annotations

import io
import json
import logging
from typing import Any, BinaryIO, Iterator

from ..schema import Article, Reject
from .records import JSON_MAX_BYTES, Options, from_record, reject, warning_text
from .sources import Source, bounded_lines, read_all
from .text import NotText, decode

log = logging.getLogger("detente.ingest")
_KINDS = {list: "a list", str: "a string", int: "a number", float: "a number", bool: "true/false",
          type(None): "null"}


def _kind(value: Any) -> str:
    return _KINDS.get(type(value), type(value).__name__)


def _one(value: Any, origin: str, opts: Options, raw: str) -> Article | Reject:
    if not isinstance(value, dict):
        return reject(origin, "E102", raw, kind=_kind(value))
    return from_record(value, origin, opts, raw)


def read_jsonl(src: Source, stream: BinaryIO, opts: Options) -> Iterator[Article | Reject]:
    """Yield one Article or Reject per non-blank line of ``stream``; whatever one line holds, the next is read."""
    encoding = opts.encoding or "utf-8"
    for number, line in enumerate(bounded_lines(stream, opts.max_record_bytes), 1):
        origin = f"{src.name}:{number}"
        if isinstance(line, int):  # over the cap: skipped unread
            yield reject(origin, "E120", None, what="line", size=f"{line:,}", limit=f"{opts.max_record_bytes:,}",
                         why="16 per allowed character + 1 MiB")
            continue
        if number == 1 and line.startswith(b"\xef\xbb\xbf"):
            line = line[3:]
        if not line.strip():
            continue
        try:
            yield _line(line, origin, encoding, opts)
        except Exception as exc:  # noqa: BLE001 — a bug on one line costs that line, not the rest of the file
            log.exception("unexpected error on %s", origin)
            yield reject(origin, "E118", line, path=origin, detail=f"{type(exc).__name__}: {exc}", done=number - 1)


def _line(line: bytes, origin: str, encoding: str, opts: Options) -> Article | Reject:
    try:
        text = line.decode(encoding)
    except UnicodeDecodeError as exc:
        return reject(origin, "E104", line, detail=f"not valid {encoding} at byte {exc.start}")
    try:
        value = json.loads(text)
    except ValueError as exc:  # JSONDecodeError, or a huge number
        return reject(origin, "E101", text, detail=str(exc))
    except RecursionError:
        return reject(origin, "E101", text, detail="nested too deeply")
    return _one(value, origin, opts, text)


def read_json(src: Source, stream: BinaryIO, opts: Options) -> Iterator[Article | Reject]:
    """A whole JSON document: a list (items ``path#item1`` …) or one object (``path``).

    A ``.json`` file that is really JSON Lines (``Extra data`` after the first value) is read as JSON Lines.
    """
    data = read_all(stream, JSON_MAX_BYTES)
    if len(data) > JSON_MAX_BYTES:
        yield reject(src.name, "E120", data[:2000], what="JSON document", size=f"more than {JSON_MAX_BYTES:,}",
                     limit=f"{JSON_MAX_BYTES:,}", why="a .json file is read whole; JSON Lines stream, use them for "
                     "larger collections")
        return
    try:
        text, fallback = decode(data, opts.encoding)
    except NotText as exc:
        yield reject(src.name, "E104", data, detail=str(exc))
        return
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        if exc.msg == "Extra data":
            yield from read_jsonl(src, io.BytesIO(data), opts)
        else:
            yield reject(src.name, "E101", text, detail=str(exc))
        return
    except ValueError as exc:
        yield reject(src.name, "E101", text, detail=str(exc))
        return
    except RecursionError:
        yield reject(src.name, "E101", text, detail="nested too deeply")
        return
    notes = [warning_text("W102", encoding=fallback)] if fallback else None
    if isinstance(value, list):
        for index, item in enumerate(value, 1):
            origin = f"{src.name}#item{index}"
            raw = json.dumps(item, ensure_ascii=False)[:2000]
            if notes and isinstance(item, dict):
                yield from_record(item, origin, opts, raw, warnings=list(notes))
            else:
                yield _one(item, origin, opts, raw)
    elif isinstance(value, dict):
        yield from_record(value, src.name, opts, text[:2000], warnings=notes)
    else:
        yield reject(src.name, "E102", text, kind=_kind(value))
