"""JSON Lines (``.jsonl``, ``.ndjson``: one object per line) and JSON (``.json``: a list of objects or one object).

Lines are numbered from 1 and blank lines are not records. Each line is decoded on its own, so one line in a
foreign encoding costs one Reject, not the file.
"""

from __future__ import annotations

import io
import json
from typing import Any, BinaryIO, Iterator

from ..schema import Article, Reject
from .records import JSON_MAX_BYTES, Options, from_record, isolated, reject, warning_text
from .sources import Source, bounded_lines, read_all
from .text import NotText, bom_encoding, decode

_KINDS = {list: "a list", str: "a string", int: "a number", float: "a number", bool: "true/false",
          type(None): "null"}


def _kind(value: Any) -> str:
    return _KINDS.get(type(value), type(value).__name__)


def _one(value: Any, origin: str, opts: Options, raw: str) -> Article | Reject:
    if not isinstance(value, dict):
        return reject(origin, "E102", raw, kind=_kind(value))
    return from_record(value, origin, opts, raw)


class _Recoded(io.RawIOBase):
    """A UTF-16/32 stream (it has a BOM) as UTF-8 bytes, so that lines split on ``\\n`` as usual. Undecodable
    bytes pass through as they were (surrogateescape), so only their line is rejected (E104)."""

    def __init__(self, stream: BinaryIO, encoding: str) -> None:
        self._text = io.TextIOWrapper(stream, encoding=encoding, errors="surrogateescape", newline="")
        self._buf = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[override]
        while not self._buf:
            chunk = self._text.read(16384)
            if not chunk:
                return 0
            self._buf = chunk.encode("utf-8", "surrogateescape")
        n = min(len(buffer), len(self._buf))
        buffer[:n], self._buf = self._buf[:n], self._buf[n:]
        return n


def read_jsonl(src: Source, stream: BinaryIO, opts: Options, head: bytes = b"") -> Iterator[Article | Reject]:
    """Yield one Article or Reject per non-blank line of ``stream``; whatever one line holds, the next is read."""
    encoding = opts.encoding or "utf-8"
    bom = bom_encoding(head)
    if bom in ("utf-16", "utf-32"):
        stream, encoding = io.BufferedReader(_Recoded(stream, bom)), "utf-8"
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
        yield isolated(origin, line, lambda: _line(line, origin, encoding, opts))


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


def _item(item: Any, origin: str, opts: Options, notes: list[str] | None) -> Article | Reject:
    raw = json.dumps(item, ensure_ascii=False)[:2000]
    if notes and isinstance(item, dict):
        return from_record(item, origin, opts, raw, warnings=list(notes))
    return _one(item, origin, opts, raw)


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
            yield from read_jsonl(src, io.BytesIO(data), opts, data[:4])
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
            yield isolated(origin, None, lambda: _item(item, origin, opts, notes))
    elif isinstance(value, dict):
        yield from_record(value, src.name, opts, text[:2000], warnings=notes)
    else:
        yield reject(src.name, "E102", text, kind=_kind(value))
