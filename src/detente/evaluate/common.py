"""What every event-coding eval task shares: getting a coder, wrapping gold text as Articles, coding them in
batches without letting one bad record sink the run, picking the top event, and collecting error examples."""

from __future__ import annotations

import datetime as dt
import functools
import logging
from collections.abc import Callable, Sequence
from typing import Any

from ..errors import DetenteError
from ..schema import Article, Event, Incident

log = logging.getLogger(__name__)

MAX_EXAMPLES = 10
SNIPPET = 200


def get_coder(coder: Any = None, **settings: Any) -> Any:
    """The coder to evaluate: the one passed in, else a real ``detente.coder.Coder(**settings)``.

    A coder passed in (the eval suite shares one) is given ``settings`` through ``with_config`` when it has it and
    they differ from its own: the same loaded models, other assembly settings.
    """
    if coder is not None:
        config = getattr(coder, "config", None)
        if settings and hasattr(coder, "with_config") and config is not None and any(
                getattr(config, k, v) != v for k, v in settings.items()):
            return coder.with_config(**settings)
        return coder
    try:
        from ..coder import Coder
    except ImportError as exc:  # the coder module is missing or broken
        raise DetenteError("E803", detail=f"{type(exc).__name__}: {exc}") from exc
    return Coder(**settings)


DETECTION = {"min_confidence": 0.0}
"""Settings of the tasks that measure detection over sentences or documents (sentence typing, police actions, MUC
templates): no output threshold, which is the product's precision knob, chosen and measured on whole articles."""


def select(records: Sequence[dict[str, Any]], coder: Any, *, limit: int | None = None,
           include_trained: bool = False) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Leave out the gold records the coder was trained on (``coder.trained_ids``), then apply ``limit``.

    Returns the records to score and a note on what was left out (``excluded_trained``, ``training_note``).
    """
    trained: frozenset[str] = frozenset()
    if not include_trained:
        try:
            trained = frozenset(getattr(coder, "trained_ids", None) or ())
        except Exception as exc:  # noqa: BLE001 - a coder without the property simply trained on nothing known
            log.warning("could not read coder.trained_ids: %s", exc)
    kept = [r for r in records if str(r.get("id")) not in trained]
    info: dict[str, Any] = {"excluded_trained": len(records) - len(kept)}
    if info["excluded_trained"]:
        info["training_note"] = (
            f"held-out part: {info['excluded_trained']} of {len(records)} records were used to train the "
            f"classifier and are left out; scored on the other {len(kept)}")
    elif include_trained and getattr(coder, "trained_ids", None):
        info["training_note"] = "include_trained=True: records the classifier was trained on are scored too"
    return (kept[:limit] if limit else kept), info


def parse_date(value: Any) -> dt.date | None:
    """``YYYY-MM-DD`` (or a date/datetime) → date; anything else → None."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and value:
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def to_article(rec: dict[str, Any], *, text: str | None = None) -> Article:
    """A gold record as an Article: its text, and ``doc_date`` as the publication date (midnight UTC) if given."""
    day = parse_date(rec.get("doc_date"))
    published = dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc) if day else None
    gold_id = str(rec.get("id", ""))
    title = rec.get("title")
    return Article(
        text=text if text is not None else rec["text"], published=published, source=rec.get("dataset"),
        title=title if isinstance(title, str) and title.strip() else None,
        origin=f"gold:{gold_id}", meta={"gold_id": gold_id},
    )


def record_text(rec: dict[str, Any], key: str = "text") -> str | None:
    text = rec.get(key)
    return text if isinstance(text, str) and text.strip() else None


def code_records(
    records: Sequence[dict[str, Any]],
    coder: Any,
    *,
    batch_size: int = 64,
    text_of: Callable[[dict[str, Any]], str | None] = record_text,
    incidents: list[list[Incident]] | None = None,
) -> tuple[list[list[Event] | None], dict[str, list[dict[str, str]]]]:
    """Code every gold record; returns one event list per record (None = skipped) and the problems met.
    ``incidents``, when given a list, receives each record's incidents (disasters), in record order.

    Records without text are skipped (E802). If ``coder.pipe`` fails, the batch is coded again record by record
    with ``coder.code`` so that one bad record costs one record (E804), not the run.
    """
    problems: dict[str, list[dict[str, str]]] = {"skipped": [], "coder_errors": []}
    out: list[list[Event] | None] = [None] * len(records)
    found: list[list[Incident]] = [[] for _ in records]
    todo: list[tuple[int, Article]] = []
    for i, rec in enumerate(records):
        text = text_of(rec)
        if text is None:
            problems["skipped"].append({"id": str(rec.get("id")), "error": str(DetenteError(
                "E802", id=rec.get("id"), field="text", detail="missing or empty"))})
            continue
        todo.append((i, to_article(rec, text=text)))
    for start in range(0, len(todo), batch_size):
        chunk = todo[start:start + batch_size]
        try:
            coded = list(coder.pipe([a for _, a in chunk], batch_size=batch_size))
            if len(coded) != len(chunk):
                raise RuntimeError(f"pipe returned {len(coded)} results for {len(chunk)} articles")
        except Exception as exc:  # noqa: BLE001 - fall back to one-by-one so the batch survives
            log.warning("coder.pipe failed (%s); coding this batch one article at a time", exc)
            coded = []
            for i, art in chunk:
                try:
                    coded.append(coder.code(art))
                except Exception as exc1:  # noqa: BLE001
                    rid = records[i].get("id")
                    problems["coder_errors"].append({"id": str(rid), "error": str(DetenteError(
                        "E804", id=rid, detail=f"{type(exc1).__name__}: {exc1}"))})
                    coded.append(None)
        for (i, _), ca in zip(chunk, coded):
            out[i] = [] if ca is None else [_as_event(e) for e in ca.events]
            if incidents is not None:
                found[i] = [] if ca is None else [Incident.model_validate(x) for x in getattr(ca, "incidents", [])]
    if incidents is not None:
        incidents[:] = found
    return out, problems


def _as_event(e: Any) -> Event:
    return e if isinstance(e, Event) else Event.model_validate(e)


def usable(events: Sequence[Event], *, include_negated: bool = False) -> list[Event]:
    """Events that say something happened (or was claimed to): negated ones are dropped unless asked for."""
    if include_negated:
        return list(events)
    return [e for e in events if getattr(e.modality, "value", e.modality) != "negated"]


def top_event(events: Sequence[Event], *, include_negated: bool = False) -> Event | None:
    """The event with the highest ``confidence`` (ties: higher ``type_confidence``, then the first)."""
    best: Event | None = None
    for e in usable(events, include_negated=include_negated):
        if best is None or (e.confidence, e.type_confidence) > (best.confidence, best.type_confidence):
            best = e
    return best


def snippet(text: str | None, n: int = SNIPPET) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= n else text[: n - 1] + "…"


class Examples:
    """Keeps the first ``limit`` error examples for the report."""

    def __init__(self, limit: int = MAX_EXAMPLES) -> None:
        self.limit = limit
        self.items: list[dict[str, Any]] = []

    def add(self, rec: dict[str, Any], gold: Any, predicted: Any, **extra: Any) -> None:
        if len(self.items) < self.limit:
            self.items.append({"id": rec.get("id"), "text": snippet(rec.get("text")), "gold": gold,
                               "predicted": predicted, **extra})


def training_note(coder: Any, records: Sequence[dict[str, Any]]) -> str | None:
    """What the coder says about training on this data set, if it says anything.

    Looks for ``coder.training_note(dataset) -> str | None`` or a ``coder.training_sets`` mapping
    ``{dataset: note}`` (e.g. ``{"plover_gsr": "5-fold CV"}``).
    """
    datasets = {r.get("dataset") for r in records if r.get("dataset")}
    notes = []
    for ds in sorted(datasets):
        note = None
        fn = getattr(coder, "training_note", None)
        if callable(fn):
            try:
                note = fn(ds)
            except Exception:  # noqa: BLE001 - a note is optional
                note = None
        sets = getattr(coder, "training_sets", None)
        if note is None and isinstance(sets, dict) and ds in sets:
            note = sets[ds] or "used for training"
        if note:
            notes.append(f"{ds}: {note}")
    return "; ".join(notes) or None


def finish(report: dict[str, Any], problems: dict[str, list[dict[str, str]]], coder: Any,
           records: Sequence[dict[str, Any]], selection: dict[str, Any] | None = None) -> dict[str, Any]:
    """Attach problem counts/lists, what was left out and the training note to a report."""
    selection = selection or {}
    report["excluded_trained"] = selection.get("excluded_trained", 0)
    report["skipped"] = len(problems["skipped"])
    report["coder_errors"] = len(problems["coder_errors"])
    if problems["skipped"] or problems["coder_errors"]:
        report["problems"] = {k: v[:MAX_EXAMPLES] for k, v in problems.items() if v}
    note = "; ".join(n for n in (selection.get("training_note"), training_note(coder, records)) if n)
    if note:
        report["training_note"] = note
    return report


def data_path(name: str) -> Any:
    """Path of a shipped eval mapping file under ``detente/data/eval``."""
    from importlib.resources import files

    return files("detente") / "data" / "eval" / name


@functools.lru_cache(maxsize=16)
def load_table(name: str, columns: tuple[str, ...]) -> tuple[dict[str, str], ...]:
    """Rows of a shipped CSV mapping as dicts; raises E806 if a needed column is missing. Cached."""
    import csv

    path = data_path(name)
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(line for line in fh if line.strip() and not line.startswith("#"))
            missing = [c for c in columns if c not in (reader.fieldnames or [])]
            if missing:
                raise DetenteError("E806", path=path, detail=f"missing column(s) {', '.join(missing)}")
            return tuple({k: (v or "").strip() for k, v in row.items() if k} for row in reader)
    except OSError as exc:
        raise DetenteError("E806", path=path, detail=str(exc)) from exc
