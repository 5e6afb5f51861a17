"""CSV (``.csv``) and TSV (``.tsv``) with a header row, read with the ``csv`` module.

Quoted fields may span lines; a record's origin is the line it starts on (the header is line 1). Empty cells
count as absent. The charset is UTF-8 (BOM allowed) unless the first 64 KiB say otherwise, then
``charset_normalizer``'s guess (warning W102); bytes that still do not decode reject only their row (E104).
"""

from __future__ import annotations

import csv
import io
import re
import sys
from typing import BinaryIO, Iterator

from ..schema import Article, Reject
from .records import Options, from_record, isolated, reject, warning_text
from .sources import Source
from .text import bom_encoding, detect_encoding

_SURROGATES = re.compile("[\udc80-\udcff]")
_FIELD_LIMIT = "field larger than field limit"


def _set_field_limit(limit: int) -> None:
    """Articles are long: csv's 128 KiB field cap becomes ``Options.max_record_bytes`` (process-wide), which
    also bounds what an unbalanced quote can pile up in memory."""
    if csv.field_size_limit() != limit:
        csv.field_size_limit(min(sys.maxsize, limit))


def read_csv(
    src: Source, stream: BinaryIO, opts: Options, head: bytes = b"", delimiter: str = ",",
) -> Iterator[Article | Reject]:
    """Yield one Article or Reject per data row."""
    _set_field_limit(opts.max_record_bytes)
    notes: list[str] = []
    encoding = bom_encoding(head) or opts.encoding
    if encoding is None:
        guessed = detect_encoding(head)
        if guessed is not None:
            encoding = guessed
            notes.append(warning_text("W102", encoding=guessed))
    text = io.TextIOWrapper(stream, encoding=encoding or "utf-8", errors="surrogateescape", newline="")
    reader = csv.reader(text, delimiter=delimiter)
    sep = delimiter
    header: list[str] | None = None
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            if _FIELD_LIMIT in str(exc):
                yield reject(f"{src.name}:{start}", "E120", None, what="CSV field",
                             size=f"more than {opts.max_record_bytes:,}", limit=f"{opts.max_record_bytes:,}",
                             why="16 per allowed character + 1 MiB")
            else:
                yield reject(f"{src.name}:{start}", "E116", None, detail=str(exc))
            continue
        if header is None:
            header = [h.lstrip("\ufeff").strip() for h in row]
            continue
        if not row:
            continue  # blank line: not a record
        origin = f"{src.name}:{start}"
        raw = sep.join(row)
        if len(row) > len(header):
            yield reject(origin, "E116", raw, detail=f"{len(row)} fields under a header of {len(header)}")
            continue
        if len(row) < len(header) and reader.line_num > start:
            yield reject(origin, "E116", raw, detail=f"the row runs from line {start} to {reader.line_num} but has "
                         f"{len(row)} of {len(header)} fields: an unbalanced quote joins the rows after it")
            continue
        if _SURROGATES.search(raw):
            yield reject(origin, "E104", raw, detail=f"bytes that are not valid {encoding or 'utf-8'}")
            continue
        record = {key: (value if value != "" else None) for key, value in zip(header, row)}
        yield isolated(origin, raw, lambda: from_record(record, origin, opts, raw,
                                                        warnings=list(notes) if notes else None))
