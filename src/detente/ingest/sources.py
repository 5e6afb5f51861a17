"""Inputs -> sources: paths, directories (recursed, sorted, hidden skipped), globs, ``-`` for stdin, ``.gz``.

A source knows its name (the origin prefix in Articles and Rejects), its format (or ``None``: sniff the bytes)
and how to open itself as a binary stream. Problems found here (a missing path, a glob matching nothing) become
Rejects, never exceptions.
"""

from __future__ import annotations

import glob
import gzip
import io
import logging
import os
import re
import sys
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Iterable, Iterator

from ..schema import Reject
from .records import reject

STDIN = "<stdin>"

# Extension -> format. The formats themselves are listed in detente.ingest.FORMATS.
EXTENSIONS: dict[str, str] = {
    ".txt": "text", ".text": "text", ".md": "text", ".markdown": "text",
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json",
    ".csv": "csv", ".tsv": "tsv",
    ".html": "html", ".htm": "html",
    ".rss": "feed", ".atom": "feed", ".xml": "feed",
}
_GLOB = re.compile(r"[*?\[]")
# Files a folder of articles often also holds, which are not articles: skipped inside directories (with a W107 log
# note), still read when named explicitly. Matched on the name before its first dot, any case.
NOT_ARTICLES = frozenset({
    "readme", "license", "licence", "copying", "notice", "authors", "contributors", "contributing", "changelog",
    "changes", "code_of_conduct", "security", "todo", "install", "manifest", "citation",
})
log = logging.getLogger("detente.ingest")
_FEED_ROOT = re.compile(rb"<(?:rss|feed|rdf:RDF)\b", re.IGNORECASE)
HEAD = 65536


def format_of(name: str) -> tuple[str | None, bool]:
    """``(format or None, gzipped)`` from a file name: ``x.jsonl.gz`` -> ``("jsonl", True)``."""
    lower = name.lower()
    gz = lower.endswith(".gz")
    if gz:
        lower = lower[:-3]
    return EXTENSIONS.get(os.path.splitext(lower)[1]), gz


def sniff(head: bytes) -> str:
    """Format from the first bytes: ``{`` JSONL, ``[`` JSON, ``<`` a feed (rss/feed/rdf root) or HTML, else text.

    >>> sniff(b'  {"text": "x"}'), sniff(b'<?xml version="1.0"?><rss>'), sniff(b"<html>"), sniff(b"Hello")
    ('jsonl', 'feed', 'html', 'text')
    """
    start = head.lstrip(b"\xef\xbb\xbf").lstrip()
    if start.startswith(b"{"):
        return "jsonl"
    if start.startswith(b"["):
        return "json"
    if start.startswith(b"<"):
        return "feed" if _FEED_ROOT.search(start[:4096]) else "html"
    return "text"


class _Prefixed(io.RawIOBase):
    """A read-once stream: bytes already read (``head``) followed by the rest of ``stream``."""

    def __init__(self, head: bytes, stream: BinaryIO, error: BaseException | None = None) -> None:
        self._head = memoryview(head)
        self._stream = stream
        self._error = error  # raised once ``head`` is used up (a gzip stream that broke while reading it)
        self._read = getattr(stream, "read1", stream.read)  # one chunk at a time: a corrupt tail loses little

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[override]
        if self._head.nbytes:
            n = min(len(buffer), self._head.nbytes)
            buffer[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        if self._error is not None:
            error, self._error = self._error, None
            raise error
        data = self._read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        if self._stream is not _stdin_buffer():
            self._stream.close()
        super().close()


def _stdin_buffer() -> BinaryIO:
    stdin = sys.stdin
    buffer = getattr(stdin, "buffer", None)
    if buffer is not None:
        return buffer
    return io.BytesIO(stdin.read().encode("utf-8"))  # a text-only stand-in (tests, notebooks)


@dataclass(frozen=True)
class Source:
    """One input file (or stdin)."""

    name: str
    path: Path | None = None  # None for stdin
    fmt: str | None = None  # None: sniff the first bytes
    gz: bool = False

    @property
    def is_stdin(self) -> bool:
        return self.path is None

    def _raw(self) -> BinaryIO:
        if self.path is None:
            return _stdin_buffer()
        if self.gz:
            return gzip.open(self.path, "rb")  # type: ignore[return-value]
        return open(self.path, "rb")

    def open(self) -> tuple[BinaryIO, bytes]:
        """A buffered binary stream positioned at the start, and its first bytes (for sniffing / charsets)."""
        raw = self._raw()
        if not self.gz:
            head = raw.read(HEAD)
            return io.BufferedReader(_Prefixed(head, raw), buffer_size=HEAD), head
        chunks: list[bytes] = []
        size = 0
        error: BaseException | None = None
        while size < HEAD:  # small steps, so a corrupt tail still leaves the good records before it
            try:
                chunk = raw.read1(4096)  # type: ignore[attr-defined]
            except (EOFError, OSError, zlib.error) as exc:
                if not chunks:
                    raw.close()
                    raise
                error = exc
                break
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        head = b"".join(chunks)
        return io.BufferedReader(_Prefixed(head, raw, error), buffer_size=HEAD), head



def bounded_lines(stream: BinaryIO, limit: int) -> Iterator[bytes | int]:
    """The lines of ``stream`` (newline kept). A line longer than ``limit`` bytes is read past in 1 MiB steps,
    never held whole, and comes out as its length (an ``int``) instead of its bytes."""
    while line := stream.readline(limit + 1):
        if len(line) <= limit or line.endswith(b"\n"):
            yield line
            continue
        size = len(line)
        while chunk := stream.readline(1 << 20):
            size += len(chunk)
            if chunk.endswith(b"\n"):
                break
        yield size


def read_all(stream: BinaryIO, limit: int | None = None) -> bytes:
    """All bytes of ``stream``, or at most ``limit + 1`` (so a caller can tell it is over ``limit``)."""
    return stream.read() if limit is None else stream.read(limit + 1)


def _hidden(name: str) -> bool:
    return name.startswith(".")


def _walk(root: Path) -> list[Path]:
    found: list[Path] = []
    for folder, dirs, files in os.walk(root, onerror=None):
        dirs[:] = [d for d in dirs if not _hidden(d)]
        found.extend(Path(folder, f) for f in files if not _hidden(f))
    return sorted(found, key=lambda p: p.relative_to(root).parts)


def expand(inputs: str | os.PathLike | Iterable[str | os.PathLike], fmt: str | None) -> Iterator[Source | Reject]:
    """Sources in input order; a directory's files sorted by path; files with an unknown extension inside a
    directory are skipped (a file named explicitly is sniffed instead)."""
    if isinstance(inputs, (str, os.PathLike)):
        inputs = [inputs]
    for item in inputs:
        name = os.fspath(item)
        if name == "-":
            yield Source(name=STDIN, fmt=fmt)
            continue
        path = Path(name)
        if path.is_dir():
            yield from _from_dir(path, fmt)
        elif path.exists() or path.is_symlink():
            yield _file(path, name, fmt)
        elif _GLOB.search(name):
            matches = sorted(glob.glob(name, recursive=True))
            if not matches:
                yield reject(name, "E108", None, path=name, detail="no file matches this pattern")
            for match in matches:
                hit = Path(match)
                if hit.is_dir():
                    yield from _from_dir(hit, fmt)
                elif not _hidden(hit.name):
                    yield _file(hit, match, fmt)
        else:
            yield reject(name, "E108", None, path=name, detail="no such file or directory")


def _file(path: Path, name: str, fmt: str | None) -> Source:
    found, gz = format_of(path.name)
    return Source(name=name, path=path, fmt=fmt or found, gz=gz)


def not_an_article(name: str) -> bool:
    """True for README-, LICENSE-, CHANGELOG-like file names (``README.md``, ``license.txt``, ``CHANGES``).

    >>> not_an_article("README.md"), not_an_article("Licence"), not_an_article("readme-2024-01-19.txt")
    (True, True, False)
    """
    return name.split(".", 1)[0].lower() in NOT_ARTICLES


def _from_dir(root: Path, fmt: str | None) -> Iterator[Source]:
    for path in _walk(root):
        found, gz = format_of(path.name)
        if found is None and fmt is None:
            continue
        if not_an_article(path.name):
            log.warning("[W107] skipped %s: a README/LICENSE-like file, not an article (name it explicitly to "
                        "code it)", path)
            continue
        yield Source(name=str(path), path=path, fmt=fmt or found, gz=gz)
