"""Shared by every reader: the options of one ``read()`` call, field-name resolution, and turning one input
record (a dict of fields) into an Article or a Reject.

Rejects take their plain-words reason from the error catalogue (``detente.errors.MESSAGES``), so a code always
means the same thing in a log, a Reject and a raised DetenteError.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any, Callable, Mapping

from ..errors import MESSAGES
from ..schema import RUN_MAX, Article, Reject, has_unstorable, normalise_runs, unstorable
from .dates import parse_date
from .text import looks_binary, normalise_newlines

log = logging.getLogger("detente.ingest")

RAW_LIMIT = 2000  # characters of the offending record kept in Reject.raw
JSON_MAX_BYTES = 128 * 1024 * 1024  # a whole .json document (decompressed) larger than this is refused (E105)
META_VALUE_LIMIT = 1000  # longer string values of unrecognised keys are not copied into Article.meta
_SURROGATES = re.compile("[\udc80-\udcff]")  # bytes that did not decode (surrogateescape)


@lru_cache(maxsize=1)
def field_names() -> dict[str, tuple[str, ...]]:
    """Article field -> recognised input names (lower case, priority order), from data/ingest/fields.toml."""
    path = resources.files("detente") / "data" / "ingest" / "fields.toml"
    table = tomllib.loads(path.read_text(encoding="utf-8"))["fields"]
    return {name: tuple(n.lower() for n in names) for name, names in table.items()}


@lru_cache(maxsize=1)
def html_date_meta() -> tuple[str, ...]:
    """``<meta>`` names read for an HTML page's publication date, in priority order."""
    path = resources.files("detente") / "data" / "ingest" / "fields.toml"
    return tuple(tomllib.loads(path.read_text(encoding="utf-8"))["html"]["published_meta"])


def message(code: str, **fields: Any) -> str:
    """The catalogue text for ``code``, filled in (no ``[code]`` prefix)."""
    try:
        return MESSAGES[code].format(**fields)
    except (KeyError, IndexError, ValueError):
        return f"{MESSAGES.get(code, code)} {fields}"


def warning_text(code: str, **fields: Any) -> str:
    """``"[W101] ..."``: the form kept in ``Article.meta["warnings"]``."""
    return f"[{code}] {message(code, **fields)}"


def reject(origin: str, code: str, raw: str | bytes | None = None, **fields: Any) -> Reject:
    """A Reject with the catalogue reason and ``raw`` cut to ``RAW_LIMIT`` characters."""
    if isinstance(raw, (bytes, bytearray)):
        raw = bytes(raw[: RAW_LIMIT * 2]).decode("utf-8", "backslashreplace")
    if raw is not None:
        raw = _SURROGATES.sub("\ufffd", raw[:RAW_LIMIT])
    return Reject(origin=origin, code=code, reason=message(code, **fields), raw=raw)


def isolated(origin: str, raw: str | bytes | None, make: Callable[[], Article | Reject]) -> Article | Reject:
    """``make()``, or an E121 Reject for this record alone when it fails unexpectedly (a bug must cost one
    record, not the rest of its file)."""
    try:
        return make()
    except Exception as exc:  # noqa: BLE001
        log.exception("unexpected error on %s", origin)
        return reject(origin, "E121", raw, detail=f"{type(exc).__name__}: {exc}")


@dataclass(frozen=True)
class Options:
    """Settings of one ``read()`` call, already checked."""

    published: dt.datetime | None = None
    source: str | None = None
    url: str | None = None
    names: Mapping[str, tuple[str, ...]] = field(default_factory=field_names)
    max_chars: int = 200_000
    encoding: str | None = None
    fmt: str | None = None
    _cache: dict[tuple[str, ...], dict[str, str]] = field(default_factory=dict, compare=False, repr=False)

    @property
    def max_record_bytes(self) -> int:
        """Cap on one JSONL line / CSV field: 16 bytes per allowed character (a JSON ``\\uXXXX`` escape pair
        takes 12 for one character) plus 1 MiB for the other fields — 4.2 MB at the default ``max_chars``.
        Longer records are skipped without being held in memory (E105)."""
        return 16 * self.max_chars + (1 << 20)

    def resolve(self, keys: tuple[str, ...]) -> dict[str, str]:
        """Article field -> the key that holds it in a record with these keys (cached per key set)."""
        found = self._cache.get(keys)
        if found is None:
            lower: dict[str, str] = {}
            for key in keys:
                lower.setdefault(str(key).lower(), key)
            found = {}
            for name, wanted in self.names.items():
                for candidate in wanted:
                    if candidate in lower:
                        found[name] = lower[candidate]
                        break
            if len(self._cache) > 1024:
                self._cache.clear()
            self._cache[keys] = found
        return found


def check_text(text: str, origin: str, opts: Options, raw: str | None = None) -> str | Reject:
    """Normalised text, or the Reject for empty, oversized or binary text."""
    text = normalise_newlines(text)
    if not text.strip():
        return reject(origin, "E103", raw if raw is not None else text)
    if len(text) > opts.max_chars:
        return reject(origin, "E105", raw if raw is not None else text, size=f"{len(text):,}",
                      limit=f"{opts.max_chars:,}")
    if looks_binary(text) or (not text.isascii() and _SURROGATES.search(text)):
        return reject(origin, "E104", raw if raw is not None else text, detail="control characters or bytes "
                      "that are not valid in the file's encoding")
    problem = unstorable(text)  # NUL, or a lone surrogate from a JSON escape such as "\ud800"
    if problem:
        return reject(origin, "E104", raw if raw is not None else text, detail=problem)
    return text


def _kind(value: Any) -> str:
    return {dict: "an object", list: "a list", bool: "true/false", int: "a number", float: "a number"}.get(
        type(value), type(value).__name__)


def _scalar(value: Any) -> str | None:
    if value is None or isinstance(value, (dict, list)):
        return None
    value = str(value).strip()
    return value or None


def build(
    *, text: str, origin: str, opts: Options, raw: str | None = None, title: Any = None, published: Any = None,
    source: Any = None, url: Any = None, language: Any = None, meta: dict[str, Any] | None = None,
    warnings: list[str] | None = None,
) -> Article | Reject:
    """An Article from already-picked values; CLI defaults fill what the record lacks.

    ``published`` is the record's raw date value: given but unreadable -> Reject E107; absent -> the default,
    else ``None`` with a W101 warning in ``meta["warnings"]``.
    """
    checked = check_text(text, origin, opts, raw)
    if isinstance(checked, Reject):
        return checked
    when: dt.datetime | None
    if published is None or (isinstance(published, str) and not published.strip()):
        when = opts.published
    else:
        try:
            when = parse_date(published)
        except ValueError:
            return reject(origin, "E107", raw if raw is not None else str(published), value=published)
    meta = dict(meta or {})
    notes = list(warnings or [])
    fields = {"title": title, "source": source, "url": url, "language": language, "meta": meta}
    if has_unstorable(fields):  # NUL / lone surrogates outside the text: replaced (U+FFFD) by the schema
        notes.append(warning_text("W105", fields=", ".join(k for k, v in fields.items() if has_unstorable(v))))
    text = normalise_runs(checked)  # the schema would cut the runs too, but silently
    if len(text) != len(checked):
        notes.append(warning_text("W106", limit=RUN_MAX, removed=f"{len(checked) - len(text):,}"))
    if when is None:
        notes.append(warning_text("W101"))
        log.debug("%s: %s", origin, notes[-1])
    if notes:
        meta["warnings"] = notes
    return Article(
        text=text, title=_scalar(title), published=when, source=_scalar(source) or opts.source,
        url=_scalar(url) or opts.url, language=_scalar(language) or "en", origin=origin, meta=meta,
    )


def from_record(
    record: Mapping[str, Any], origin: str, opts: Options, raw: str | None = None,
    warnings: list[str] | None = None, body: str | None = None,
) -> Article | Reject:
    """One dict-shaped record (JSON object, CSV row) -> Article or Reject.

    With ``body`` (a text file under its front matter), ``body`` is the text and ``record`` gives the rest.
    """
    keys = tuple(record)
    cols = opts.resolve(keys)
    if body is not None:
        text: Any = body
    else:
        text_key = cols.get("text")
        if text_key is None:
            return reject(origin, "E106", raw, wanted=", ".join(opts.names["text"][:8]),
                          keys=", ".join(map(str, keys[:20])) or "none")
        text = record[text_key]
        if text is None:
            return reject(origin, "E103", raw)
        if not isinstance(text, str):
            return reject(origin, "E114", raw, field=text_key, kind=_kind(text))
    used = set(cols.values())
    meta: dict[str, Any] = {}
    for key, value in record.items():
        if key in used:
            continue
        if key == "meta" and isinstance(value, dict):
            meta.update(value)
        elif isinstance(value, (int, float, bool)) or (isinstance(value, str) and len(value) <= META_VALUE_LIMIT):
            if value != "":
                meta[key] = value
    if "id" in cols:
        ident = record[cols["id"]]
        if ident not in (None, ""):
            meta["id"] = ident
    get = record.get
    return build(
        text=text, origin=origin, opts=opts, raw=raw, warnings=warnings,
        title=get(cols["title"]) if "title" in cols else None,
        published=get(cols["published"]) if "published" in cols else None,
        source=get(cols["source"]) if "source" in cols else None,
        url=get(cols["url"]) if "url" in cols else None,
        language=get(cols["language"]) if "language" in cols else None,
        meta=meta,
    )
