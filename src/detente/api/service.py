"""What the routes call: the store, the coder and the dyad analytics behind one lock, with no SQL and no HTTP.

``Service`` owns the lazily opened store and coder of one app. A DuckDB connection must not be used by two threads
at once and FastAPI runs plain ``def`` routes in a thread pool, so every store call goes through ``self._lock``;
the coder has its own lock (it loads once, on first use).

Lookups by id use ``Store.event(id)`` / ``Store.article(id)`` and paging ``events(offset=...)`` when the store has
them; otherwise the service falls back to the public listing methods (correct, but a scan of the table).
"""

from __future__ import annotations

import datetime as dt
import inspect
import math
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from ..errors import DetenteError
from ..schema import Article, CodedArticle, Event, Incident
from .models import MarkOut

from ..analyze.series import dyad_frame, dyad_series, top_dyads

QUADS = (1, 2, 3, 4)


class Service:
    """The store and coder of one API app.

    Parameters
    ----------
    store
        An open :class:`detente.store.Store` (the caller keeps ownership and closes it), or None.
    db
        Where to open a store when ``store`` is None: a DuckDB path, ``:memory:`` or a PostgreSQL DSN; None means
        the default store (``$DETENTE_DB`` or the user data dir).
    read_only
        Open ``db`` read-only (the default; the API then cannot write). POST /api/code with ``store=true`` needs
        ``read_only=False``.
    keep_open
        Keep the store open between requests. Default: yes, except for a DuckDB file opened read-only, which is
        opened per request (about 30 ms) so that ``detente code`` can write to the file while the API is idle
        (DuckDB lets no process write while another holds the file open).
    coder
        Any object with ``code(Article) -> CodedArticle``; None creates ``detente.coder.Coder`` on first use.
    """

    def __init__(self, *, store: Any = None, db: str | None = None, read_only: bool = True,
                 coder: Any = None, keep_open: bool | None = None) -> None:
        self.db = db
        if store is not None:
            read_only = bool(getattr(store, "read_only", False))
        elif db == ":memory:":  # an in-memory store only exists once created, so it cannot be read-only
            read_only = False
        self.read_only = read_only
        if keep_open is None:
            keep_open = store is not None or not read_only or _is_postgres(db)
        self.keep_open = keep_open
        self._store = store
        self._owns_store = store is None
        self._coder = coder
        self._lock = threading.RLock()
        self._coder_lock = threading.Lock()

    # --- resources ---------------------------------------------------------------------------------------------
    def _open(self) -> Any:
        if self._store is None:
            from ..store import open_store

            self._store = open_store(self.db, read_only=self.read_only)
        return self._store

    @contextmanager
    def store(self) -> Iterator[Any]:
        """The store under the lock: kept open after first use, or (``keep_open=False``) opened for this call only.

        A failed open is retried on the next call.
        """
        with self._lock:
            st = self._open()
            try:
                yield st
            finally:
                if not self.keep_open:
                    self.close()

    def close(self) -> None:
        with self._lock:
            if self._owns_store and self._store is not None:
                self._store.close()
                self._store = None

    def health(self) -> dict[str, Any]:
        try:
            with self.store() as st:
                st.stats()
            return {"ok": True, "backend": getattr(st, "dialect", None), "read_only": self.read_only}
        except DetenteError as exc:
            return {"ok": False, "read_only": self.read_only, "detail": str(exc)}

    @property
    def coder_loaded(self) -> bool:
        return self._coder is not None

    def coder(self) -> Any:
        with self._coder_lock:
            if self._coder is None:
                try:
                    from ..coder import Coder

                    self._coder = Coder().initialize()
                except DetenteError:
                    raise
                except Exception as exc:
                    raise DetenteError("E905", detail=f"{type(exc).__name__}: {exc}") from exc
            return self._coder

    # --- events ------------------------------------------------------------------------------------------------
    def events_page(self, *, canonical: bool, limit: int, offset: int, **filters: Any) -> tuple[list[Event], bool]:
        """One page of events and whether more follow."""
        with self.store() as st:
            if canonical:
                filters.pop("article_id", None)
                method: Callable[..., list[Event]] = st.canonical_events
            else:
                method = st.events
            if _accepts(method, "offset"):
                rows = method(limit=limit + 1, offset=offset, **filters)
            else:
                rows = method(limit=offset + limit + 1, **filters)[offset:]
        return rows[:limit], len(rows) > limit

    def event(self, event_id: str) -> Event | None:
        """A report-level event by id, else a canonical one, else None."""
        with self.store() as st:
            if hasattr(st, "event"):
                found = st.event(event_id)
                if found is not None:
                    return found
            else:
                found = next((e for e in st.events() if e.id == event_id), None)
                if found is not None:
                    return found
            if hasattr(st, "canonical_event"):
                return st.canonical_event(event_id)
            return next((e for e in st.canonical_events() if e.id == event_id), None)

    def article(self, article_id: str) -> tuple[Article, list[Event]] | None:
        with self.store() as st:
            if hasattr(st, "article"):
                art = st.article(article_id)
            else:
                art = next((a for a in st.articles() if a.id == article_id), None)
            if art is None:
                return None
            return art, st.events(article_id=article_id)

    def incidents(self, **filters: Any) -> list[Incident]:
        with self.store() as st:
            return st.incidents(**filters)

    def stats(self) -> dict[str, Any]:
        with self.store() as st:
            return st.stats()

    def timeline(self, *, canonical: bool, **filters: Any) -> list[dict[str, Any]]:
        """Events per day by quad class (undated events are left out)."""
        with self.store() as st:
            if canonical:
                filters.pop("article_id", None)
                df = st.canonical_events_df(**filters)
            else:
                df = st.events_df(**filters)
        df = df[["date", "quad_class"]].dropna(subset=["date"])
        if df.empty:
            return []
        counts = (df.assign(day=df["date"].dt.date, q=df["quad_class"].fillna(0).astype(int))
                  .groupby(["day", "q"]).size().unstack(fill_value=0))
        points = []
        for day, row in counts.iterrows():
            qs = {f"q{q}": int(row.get(q, 0)) for q in QUADS}
            unknown = int(sum(int(v) for k, v in row.items() if k not in QUADS))
            points.append({"date": day, "events": sum(qs.values()) + unknown, **qs, "unknown": unknown})
        return points

    # --- dyads -------------------------------------------------------------------------------------------------
    def _dyad_events(self, canonical: bool | None, **filters: Any) -> tuple[list[Event], str]:
        """Canonical events when asked (or, with ``canonical=None``, when the store has been linked), else reports."""
        with self.store() as st:
            if canonical is not False:
                evs = st.canonical_events(**filters)
                if evs or canonical:
                    return evs, "canonical"
            return st.events(**filters), "reports"

    def top_dyads(self, *, n: int, directed: bool, canonical: bool | None, since: dt.date | None,
                  until: dt.date | None) -> tuple[list[dict[str, Any]], str]:
        events, source = self._dyad_events(canonical, since=since, until=until)
        df = top_dyads(events, n, directed=directed, since=since, until=until)
        return [_clean(r) for r in df.to_dict("records")], source

    def dyad(self, a: str, b: str, *, freq: str, directed: bool, canonical: bool | None, since: dt.date | None,
             until: dt.date | None, limit: int) -> dict[str, Any]:
        events, source = self._dyad_events(canonical, country=f"{a},{b}", since=since, until=until)
        series = dyad_series(events, a, b, freq, directed, start=since, end=until)
        frame = dyad_frame(events, directed=directed)
        if directed:
            frame = frame[(frame["a"] == a) & (frame["b"] == b)]
        else:
            lo, hi = sorted((a, b))
            frame = frame[(frame["a"] == lo) & (frame["b"] == hi)]
        ids = set(frame["event_id"])
        between = [e for e in events if e.id in ids]
        points = [{"date": ts.date(), **_clean(row)} for ts, row in zip(series.index, series.to_dict("records"))]
        return {"a": a, "b": b, "freq": freq, "directed": directed, "source": source, "series": points,
                "total_events": len(between), "events": between[-limit:] if limit else []}

    # --- coding ------------------------------------------------------------------------------------------------
    def code(self, article: Article, *, store: bool) -> tuple[CodedArticle, bool]:
        coder = self.coder()
        with self._coder_lock:
            coded = coder.code(article)
        stored = False
        if store:
            if self.read_only:
                raise DetenteError("E903")
            with self.store() as st:
                stored = st.write(coded)
        return coded, stored


def marks_for(text: str, events: list[Event]) -> tuple[list[MarkOut], list[str]]:
    """The spans of ``events`` to highlight in ``text``, checked against it; spans that do not fit are reported.

    >>> from detente.schema import Event, Evidence, Span
    >>> t = "Troops shelled the town."
    >>> ev = Event(article_id="a", event_type="ASSAULT",
    ...            evidence=Evidence(text=t, start=0, end=len(t), trigger=Span(start=7, end=14, text="shelled")))
    >>> marks, warnings = marks_for(t, [ev])
    >>> [(m.kind, m.text) for m in marks], warnings
    ([('evidence', 'Troops shelled the town.'), ('trigger', 'shelled')], [])
    """
    marks: list[MarkOut] = []
    warnings: list[str] = []
    for ev in events:
        spans: list[tuple[str, Any]] = [("evidence", ev.evidence), ("trigger", ev.evidence.trigger)]
        spans += [("actor", e.span) for e in ev.actor] + [("recipient", e.span) for e in ev.recipient]
        if ev.claimant:
            spans.append(("claimant", ev.claimant.span))
        spans += [("place", ev.location.span if ev.location else None), ("date", ev.date_span),
                  ("toll", ev.toll.span if ev.toll else None)]
        for kind, span in spans:
            if span is None:
                continue
            if 0 <= span.start < span.end <= len(text) and text[span.start:span.end] == span.text:
                marks.append(MarkOut(event_id=ev.id, kind=kind, start=span.start, end=span.end, text=span.text))
            else:
                warnings.append(f"event {ev.id}: {kind} span ({span.start}, {span.end}) does not match the text")
    marks.sort(key=lambda m: (m.start, -m.end))
    return marks, warnings


def _accepts(func: Callable[..., Any], name: str) -> bool:
    try:
        return name in inspect.signature(func).parameters
    except (TypeError, ValueError):  # pragma: no cover
        return False


def _clean(row: dict[str, Any]) -> dict[str, Any]:
    """NaN -> None and numpy scalars -> Python numbers, for JSON."""
    out = {}
    for k, v in row.items():
        if hasattr(v, "item"):
            v = v.item()
        if isinstance(v, float) and math.isnan(v):
            v = None
        out[k] = v
    return out


def _is_postgres(db: str | None) -> bool:
    if db is None:
        from ..store import default_target

        db = default_target()
    return db.startswith(("postgresql://", "postgres://"))
