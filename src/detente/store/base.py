"""The backend-neutral store: every query is written once here; DuckDB and PostgreSQL supply a connection.

Subclasses implement five primitives (``_connect``, ``_execute``, ``_executemany``, ``_fetchall``, ``_fetch_df``)
and SQL is written with ``?`` placeholders (PostgresStore rewrites them to ``%s``).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from itertools import islice
from typing import Any

import pandas as pd

from ..errors import DetenteError
from ..schema import Article, CodedArticle, Event, Incident, Reject
from .flat import ENTITY_COLUMNS, FLAT_COLUMNS, entity_rows, flatten
from .migrate import latest_version, load_migrations, split_statements

log = logging.getLogger(__name__)

EVENT_TABLES = {"events": "event_entities", "canonical_events": "canonical_entities"}

_INT_COLS = {
    "quad_class", "location_geonames_id", "killed_low", "killed_best", "killed_high", "injured_low",
    "injured_best", "injured_high", "evidence_start", "evidence_end", "n_sources",
}
_FLOAT_COLS = {"intensity", "location_lat", "location_lon", "confidence", "type_confidence"}
_DATE_COLS = {"date", "published"}
_BOOL_COLS = {"date_inferred"}

_ARTICLE_COLS = ("id", "title", "published", "source", "url", "language", "origin", "text", "meta", "warnings",
                 "n_events", "stored_at")
_ENTITY_TABLE_COLS = ("article_id", "pos", "text", "name", "country", "sector", "kb_id", "span_start", "span_end",
                      "confidence")
_PLACE_COLS = ("article_id", "pos", "name", "geonames_id", "lat", "lon", "admin1", "admin1_code", "country",
               "feature_code", "precision", "span_start", "span_end", "confidence")
_INCIDENT_COLS = ("id", "article_id", "kind", "hazard", "date", "date_inferred", "published", "location_name",
                  "location_country", "location_admin1", "location_lat", "location_lon", "location_geonames_id",
                  "killed_best", "injured_best", "confidence", "evidence_text", "evidence_start", "evidence_end", "url",
                  "record")
_REJECT_COLS = ("id", "origin", "code", "reason", "raw", "created", "stored_at")


@lru_cache(maxsize=64)
def _insert_sql(table: str, cols: Sequence[str], conflict: str = "") -> str:
    return (f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
            + (f" ON CONFLICT ({conflict}) DO NOTHING RETURNING {conflict}" if conflict else ""))


_EVENT_COLS = (*FLAT_COLUMNS, "record")
_SQL = {
    "article": _insert_sql("articles", _ARTICLE_COLS, "id"),
    "reject": _insert_sql("rejects", _REJECT_COLS, "id"),
}


def _utc(ts: dt.datetime | None) -> dt.datetime | None:
    """Naive timestamps are taken as UTC (never as the machine's local time)."""
    if ts is not None and ts.tzinfo is None:
        return ts.replace(tzinfo=dt.timezone.utc)
    return ts


def _as_date(name: str, value: Any) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise DetenteError("E206", name=name, value=value, detail="expected a date as YYYY-MM-DD") from None


def _codes(value: str) -> list[str]:
    """ISO3 codes from a comma list, upper-cased ("pak, IRN" -> ["PAK", "IRN"])."""
    return [c.strip().upper() for c in value.split(",") if c.strip()]


def _date_bounds(since: Any, until: Any, column: str, conds: list[str], params: list[Any]) -> None:
    """Inclusive date bounds on ``column``, appended to a WHERE clause's conditions (E206 when since > until)."""
    d_since, d_until = _as_date("since", since), _as_date("until", until)
    if d_since and d_until and d_since > d_until:
        raise DetenteError("E206", name="since", value=str(d_since), detail=f"it is after until={d_until}")
    if d_since:
        conds.append(f"{column} >= ?")
        params.append(d_since)
    if d_until:
        conds.append(f"{column} <= ?")
        params.append(d_until)


def _like(value: str) -> str:
    """A case-insensitive substring pattern with LIKE wildcards in the user's text escaped."""
    esc = value.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{esc}%"


class Store:
    """Articles, events, entities, places, rejects and linked (canonical) events in one database.

    Use :func:`detente.store.open_store` rather than the subclasses. A store is a context manager; every write
    method is one transaction.

    Examples
    --------
    >>> from detente.store import open_store
    >>> with open_store(":memory:") as store:
    ...     store.stats()["articles"]
    0
    """

    dialect = "generic"

    def __init__(self, *, target: str, read_only: bool = False) -> None:
        self.target = target
        self.read_only = read_only
        self._conn: Any = None

    # --- backend primitives ------------------------------------------------------------------------------------
    def _connect(self) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    def _execute(self, sql: str, params: Sequence[Any] = ()) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def _executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def _fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:  # pragma: no cover
        raise NotImplementedError

    def _fetch_df(self, sql: str, params: Sequence[Any] = ()) -> pd.DataFrame:  # pragma: no cover - abstract
        raise NotImplementedError

    def _store_failure(self, exc: BaseException) -> bool:
        """True when ``exc`` is the store failing (disk full, connection lost), not one record it cannot take."""
        return isinstance(exc, (OSError, MemoryError))

    def _raise_failure(self, exc: BaseException) -> None:
        """Raise E213 (in plain words, no traceback) when ``exc`` is the store failing; else return."""
        if self._store_failure(exc):
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
            raise DetenteError("E213", target=self._name(), detail=f"{type(exc).__name__}: {first}") from exc

    def _json(self, value: Any) -> Any:
        """A value for a JSON column; ``value`` is a JSON text."""
        return value

    def _lock_migrations(self) -> None:
        """Serialise concurrent migrators (PostgreSQL); DuckDB already has a single writer."""

    # --- lifecycle ---------------------------------------------------------------------------------------------
    def initialize(self) -> Store:
        """Connect and bring the schema up to date (read-only: check it is up to date)."""
        if self._conn is None:
            self._conn = self._connect()
            self._migrate()
        return self

    def close(self) -> None:
        if self._conn is not None:
            try:
                self._conn.close()
            finally:
                self._conn = None

    def __enter__(self) -> Store:
        return self.initialize()

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"{type(self).__name__}(target={self.target!r}, read_only={self.read_only})"

    def _name(self) -> str:
        """The target as messages show it (PostgreSQL: without the password)."""
        return self.target

    @contextmanager
    def _tx(self) -> Iterator[None]:
        self._execute("BEGIN TRANSACTION")
        try:
            yield
        except BaseException:
            self._execute("ROLLBACK")
            raise
        else:
            self._execute("COMMIT")

    # --- migrations --------------------------------------------------------------------------------------------
    def schema_version(self) -> int:
        """The highest migration applied to this database (0 when none)."""
        try:
            rows = self._fetchall("SELECT max(version) FROM schema_migrations")
        except DetenteError:  # the store failing (E213), not a missing table
            raise
        except Exception:  # table missing: a fresh database (or not a detente store)
            return 0
        return int(rows[0][0] or 0)

    def _migrate(self) -> None:
        expected = latest_version()
        if self.read_only:
            found = self.schema_version()
            if found > expected:
                raise DetenteError("E203", target=self.target, found=found, expected=expected)
            if found < expected:
                raise DetenteError("E205", target=self.target, found=found, expected=expected)
            return
        self._execute("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
                      "name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL)")
        with self._tx():
            self._lock_migrations()
            found = self.schema_version()
            if found > expected:
                raise DetenteError("E203", target=self.target, found=found, expected=expected)
            for mig in load_migrations():
                if mig.version <= found:
                    continue
                try:
                    for stmt in split_statements(mig.sql, self.dialect):
                        self._execute(stmt)
                    self._execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                                  (mig.version, mig.name, dt.datetime.now(dt.timezone.utc)))
                except DetenteError:
                    raise
                except Exception as exc:
                    raise DetenteError("E207", name=mig.name, detail=exc, version=found) from exc
                log.info("store %s: applied migration %s", self.target, mig.name)

    # --- writes ------------------------------------------------------------------------------------------------
    def has_article(self, article_id: str) -> bool:
        """True when the article is stored (its events with it)."""
        return bool(self._fetchall("SELECT 1 FROM articles WHERE id = ? LIMIT 1", (article_id,)))

    def stored_ids(self, article_ids: Sequence[str]) -> set[str]:
        """The ids among ``article_ids`` that are stored: one query for a batch (runs skip what they have done)."""
        ids = list(dict.fromkeys(article_ids))
        found: set[str] = set()
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            marks = ", ".join("?" for _ in chunk)
            found.update(r[0] for r in self._fetchall(f"SELECT id FROM articles WHERE id IN ({marks})", chunk))
        return found

    def write(self, coded: CodedArticle) -> bool:
        """Store one coded article with its events, entities and places in one transaction.

        Returns False, writing nothing, when the article id is already stored. A failure part-way leaves
        nothing of the article behind and raises ``DetenteError`` (E208).
        """
        art = coded.article
        try:
            with self._tx():
                if not self._fetchall(_SQL["article"], self._article_row(coded)):
                    return False
                self._insert_events("events", self._unique(coded.events, art.id))
                self._insert_entities(self._entity_rows(coded))
                self._insert_places(self._place_rows(coded))
                self._insert_rows("incidents", _INCIDENT_COLS, self._incident_rows(coded))
        except DetenteError:
            raise
        except Exception as exc:
            self._raise_failure(exc)
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""  # not the SQL echo that follows
            raise DetenteError("E208", article_id=art.id, detail=f"{type(exc).__name__}: {first}") from exc
        return True

    def write_many(self, coded: Iterable[CodedArticle], *, batch_size: int = 1000,
                   on_error: Callable[[CodedArticle, DetenteError], None] | None = None) -> int:
        """Write many coded articles, ``batch_size`` per transaction; returns how many were newly stored.

        Much faster than :meth:`write` per article on DuckDB (bulk inserts). Already-stored articles are skipped.
        If a batch fails it is retried article by article. An article that fails on its own raises E208 — or,
        with ``on_error``, is handed to it (to keep as a reject) and the rest of the batch is still written.
        """
        n = 0
        it = iter(coded)
        while batch := list(islice(it, batch_size)):
            try:
                n += self._write_batch(batch)
            except Exception as exc:  # one bad article must not sink the batch: redo it one article at a time
                log.warning("store: batch write failed (%s); retrying article by article",
                            str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
                for c in batch:
                    try:
                        n += self.write(c)
                    except DetenteError as err:
                        if on_error is None or err.code != "E208":
                            raise
                        on_error(c, err)
        return n

    def _write_batch(self, batch: Sequence[CodedArticle]) -> int:
        uniq: dict[str, CodedArticle] = {}
        for c in batch:
            uniq.setdefault(c.article.id, c)
        with self._tx():
            stored = self.stored_ids(list(uniq))
            todo = [c for i, c in uniq.items() if i not in stored]
            if not todo:
                return 0
            self._insert_rows("articles", _ARTICLE_COLS, [self._article_row(c) for c in todo])
            self._insert_events("events", [ev for c in todo for ev in self._unique(c.events, c.article.id)])
            self._insert_entities([r for c in todo for r in self._entity_rows(c)])
            self._insert_places([r for c in todo for r in self._place_rows(c)])
            self._insert_rows("incidents", _INCIDENT_COLS, [r for c in todo for r in self._incident_rows(c)])
        return len(todo)

    def _article_row(self, coded: CodedArticle) -> tuple[Any, ...]:
        art = coded.article
        return (art.id, art.title, _utc(art.published), art.source, art.url, art.language, art.origin, art.text,
                self._json(json.dumps(art.meta, ensure_ascii=False, default=str)),
                self._json(json.dumps(coded.warnings, ensure_ascii=False)),
                len(self._unique(coded.events, art.id)), dt.datetime.now(dt.timezone.utc))

    @staticmethod
    def _unique(events: Sequence[Event], article_id: str) -> list[Event]:
        seen: set[str] = set()
        out = []
        for ev in events:
            if ev.id in seen:
                log.warning("article %s: duplicate event id %s dropped", article_id, ev.id)
                continue
            seen.add(ev.id)
            out.append(ev)
        return out

    def _insert_rows(self, table: str, cols: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        """Insert many rows (DuckDB overrides this with a bulk path)."""
        if rows:
            self._executemany(_insert_sql(table, cols), rows)

    def _event_row(self, ev: Event) -> tuple[Any, ...]:
        flat = flatten(ev)
        return (*(flat[c] for c in FLAT_COLUMNS), self._json(ev.model_dump_json()))

    def _insert_events(self, table: str, events: Sequence[Event]) -> None:
        self._insert_rows(table, _EVENT_COLS, [self._event_row(ev) for ev in events])
        self._insert_rows(EVENT_TABLES[table], ENTITY_COLUMNS, [row for ev in events for row in entity_rows(ev)])

    @staticmethod
    def _entity_rows(coded: CodedArticle) -> list[tuple[Any, ...]]:
        return [(coded.article.id, i, e.text, e.name, e.country, e.sector, e.kb_id,
                 e.span.start if e.span else None, e.span.end if e.span else None, e.confidence)
                for i, e in enumerate(coded.entities)]

    @staticmethod
    def _place_rows(coded: CodedArticle) -> list[tuple[Any, ...]]:
        return [(coded.article.id, i, p.name, p.geonames_id, p.lat, p.lon, p.admin1, p.admin1_code, p.country,
                 p.feature_code, p.precision, p.span.start if p.span else None, p.span.end if p.span else None,
                 p.confidence)
                for i, p in enumerate(coded.places)]

    def _incident_rows(self, coded: CodedArticle) -> list[tuple[Any, ...]]:
        out = []
        for x in {i.id: i for i in coded.incidents}.values():
            loc, toll = x.location, x.toll
            out.append((x.id, x.article_id, x.kind, x.hazard, x.date, x.date_inferred, x.published,
                        loc and loc.name, loc and loc.country, loc and loc.admin1, loc and loc.lat, loc and loc.lon,
                        loc and loc.geonames_id, toll and toll.killed and toll.killed.best,
                        toll and toll.injured and toll.injured.best, x.confidence, x.evidence.text,
                        x.evidence.start, x.evidence.end, x.url, self._json(x.model_dump_json())))
        return out

    def _insert_entities(self, rows: Sequence[tuple[Any, ...]]) -> None:
        self._insert_rows("entities", _ENTITY_TABLE_COLS, rows)

    def _insert_places(self, rows: Sequence[tuple[Any, ...]]) -> None:
        self._insert_rows("places", _PLACE_COLS, rows)

    def write_reject(self, reject: Reject) -> bool:
        """Store a rejected input record; False when a reject with that id is already stored."""
        with self._tx():
            rows = self._fetchall(_SQL["reject"], (
                reject.id, reject.origin, reject.code, reject.reason, reject.raw, _utc(reject.created),
                dt.datetime.now(dt.timezone.utc),
            ))
        return bool(rows)

    def set_links(self, links: Iterable[tuple[str, str | None, str | None, str | None]]) -> None:
        """Set (event_id, canonical_id, episode_id, responds_to) on report-level events, in one transaction.

        The links go into a session temp table and one ``UPDATE … FROM`` applies them (a later tuple for the same
        event wins); unknown event ids are ignored.
        """
        latest = {ev_id: (ev_id, c, e, r) for ev_id, c, e, r in links}
        if not latest:
            return
        with self._tx():
            self._execute("CREATE TEMP TABLE IF NOT EXISTS _detente_links (event_id TEXT, canonical_id TEXT, "
                          "episode_id TEXT, responds_to TEXT)")
            self._execute("DELETE FROM _detente_links")
            self._insert_rows("_detente_links", ("event_id", "canonical_id", "episode_id", "responds_to"),
                              list(latest.values()))
            self._execute("UPDATE events SET canonical_id = l.canonical_id, episode_id = l.episode_id, "
                          "responds_to = l.responds_to FROM _detente_links l WHERE events.id = l.event_id")
            self._execute("DELETE FROM _detente_links")

    def write_canonical(self, events: list[Event]) -> None:
        """Store merged events (``Event.id`` = canonical id), replacing rows with the same id."""
        events = self._unique(events, "<canonical>")
        if not events:
            return
        ids = [(ev.id,) for ev in events]
        with self._tx():
            self._executemany("DELETE FROM canonical_entities WHERE event_id = ?", ids)
            self._executemany("DELETE FROM canonical_events WHERE id = ?", ids)
            self._insert_events("canonical_events", events)

    # --- reads -------------------------------------------------------------------------------------------------
    def _where(self, table: str, *, actor: str | None = None, country: str | None = None,
               event_type: str | None = None, since: Any = None, until: Any = None, text: str | None = None,
               article_id: str | None = None) -> tuple[str, list[Any]]:
        ent = EVENT_TABLES[table]
        conds: list[str] = []
        params: list[Any] = []
        if actor:
            conds.append(f"EXISTS (SELECT 1 FROM {ent} x WHERE x.event_id = e.id AND x.role IN ('actor', 'recipient')"
                         " AND (lower(x.name) LIKE ? ESCAPE '\\' OR lower(x.text) LIKE ? ESCAPE '\\'))")
            params += [_like(actor)] * 2
        if country:
            codes = _codes(country)
            marks = ", ".join("?" * len(codes))
            conds.append(f"EXISTS (SELECT 1 FROM {ent} x WHERE x.event_id = e.id AND x.role IN ('actor', 'recipient')"
                         f" AND x.country IN ({marks}))")
            params += codes
        if event_type:
            types = [t.strip().upper() for t in event_type.split(",") if t.strip()]
            conds.append(f"e.event_type IN ({', '.join('?' * len(types))})")
            params += types
        _date_bounds(since, until, "e.date", conds, params)
        if text:
            conds.append("lower(e.evidence_text) LIKE ? ESCAPE '\\'")
            params.append(_like(text))
        if article_id:
            conds.append("e.article_id = ?")
            params.append(article_id)
        return (" WHERE " + " AND ".join(conds)) if conds else "", params

    @staticmethod
    def _limit(limit: int | None) -> str:
        if limit is None:
            return ""
        if not isinstance(limit, int) or isinstance(limit, bool) or limit < 0:
            raise DetenteError("E206", name="limit", value=limit, detail="expected a whole number >= 0")
        return f" LIMIT {int(limit)}"

    def _select_events(self, table: str, limit: int | None, filters: dict[str, Any]) -> list[Event]:
        where, params = self._where(table, **filters)
        sql = (f"SELECT e.id, e.record, e.canonical_id, e.episode_id, e.responds_to FROM {table} e{where}"
               f" ORDER BY e.date NULLS LAST, e.id{self._limit(limit)}")
        out = []
        for ev_id, record, canonical_id, episode_id, responds_to in self._fetchall(sql, params):
            try:
                ev = (Event.model_validate_json(record) if isinstance(record, (str, bytes))
                      else Event.model_validate(record))
            except ValueError as exc:
                raise DetenteError("E212", table=table, id=ev_id, detail=exc) from exc
            if table == "events":  # links live in columns (set_links updates them without rewriting the record)
                ev.canonical_id, ev.episode_id, ev.responds_to = canonical_id, episode_id, responds_to
            out.append(ev)
        return out

    def events(self, *, actor: str | None = None, country: str | None = None, event_type: str | None = None,
               since: dt.date | str | None = None, until: dt.date | str | None = None, text: str | None = None,
               article_id: str | None = None, limit: int | None = None) -> list[Event]:
        """Report-level events as full records, oldest first (undated last), then by id.

        ``actor``: case-insensitive substring of an actor's or recipient's name or text. ``country``: ISO3 code of
        an actor or recipient (comma-separated for several). ``event_type``: PLOVER type (comma-separated for
        several). ``since``/``until``: inclusive bounds on the event date. ``text``: substring of the evidence
        sentence.
        """
        return self._select_events("events", limit, dict(
            actor=actor, country=country, event_type=event_type, since=since, until=until, text=text,
            article_id=article_id))

    def events_df(self, *, actor: str | None = None, country: str | None = None, event_type: str | None = None,
                  since: dt.date | str | None = None, until: dt.date | str | None = None, text: str | None = None,
                  article_id: str | None = None, limit: int | None = None) -> pd.DataFrame:
        """The same selection as :meth:`events` as a DataFrame of flat columns (``FLAT_COLUMNS``; no record)."""
        return self._frame("events", limit, dict(
            actor=actor, country=country, event_type=event_type, since=since, until=until, text=text,
            article_id=article_id))

    def canonical_events(self, *, country: str | None = None, since: dt.date | str | None = None,
                         until: dt.date | str | None = None, event_type: str | None = None,
                         actor: str | None = None, text: str | None = None,
                         limit: int | None = None) -> list[Event]:
        """Merged events written by linking (same filters as :meth:`events`)."""
        return self._select_events("canonical_events", limit, dict(
            actor=actor, country=country, event_type=event_type, since=since, until=until, text=text))

    def canonical_events_df(self, *, country: str | None = None, since: dt.date | str | None = None,
                            until: dt.date | str | None = None, event_type: str | None = None,
                            actor: str | None = None, text: str | None = None,
                            limit: int | None = None) -> pd.DataFrame:
        """Merged events as flat columns."""
        return self._frame("canonical_events", limit, dict(
            actor=actor, country=country, event_type=event_type, since=since, until=until, text=text))

    def _frame(self, table: str, limit: int | None, filters: dict[str, Any]) -> pd.DataFrame:
        where, params = self._where(table, **filters)
        cols = ", ".join(f"e.{c}" for c in FLAT_COLUMNS)
        df = self._fetch_df(f"SELECT {cols} FROM {table} e{where} ORDER BY e.date NULLS LAST, e.id"
                            f"{self._limit(limit)}", params)
        return _coerce(df)

    def articles(self, *, limit: int | None = None) -> list[Article]:
        """Stored articles, by publication time (unknown last), then id."""
        rows = self._fetchall("SELECT id, text, title, published, source, url, language, origin, meta FROM articles"
                              f" ORDER BY published NULLS LAST, id{self._limit(limit)}")
        out = []
        for id_, text, title, published, source, url, language, origin, meta in rows:
            if isinstance(meta, (str, bytes)):
                meta = json.loads(meta)
            out.append(Article(id=id_, text=text, title=title, published=published, source=source, url=url,
                               language=language or "en", origin=origin, meta=meta or {}))
        return out

    def article_sources(self, ids: Iterable[str] | None = None) -> dict[str, str]:
        """Article id -> outlet name, for exports that name the source (all articles when ``ids`` is None)."""
        rows = self._fetchall("SELECT id, source FROM articles WHERE source IS NOT NULL")
        wanted = set(ids) if ids is not None else None
        return {i: s for i, s in rows if wanted is None or i in wanted}

    def incidents(self, *, kind: str | None = None, country: str | None = None, since: dt.date | str | None = None,
                  until: dt.date | str | None = None, article_id: str | None = None,
                  limit: int | None = None) -> list[Incident]:
        """Disasters and accidents as full records, oldest first (undated last), then by id.

        ``kind``: ``natural_disaster`` or ``man_made_disaster``; ``country``: ISO3 code of the location
        (comma-separated for several); ``since``/``until``: inclusive bounds on the date.
        """
        clauses: list[str] = []
        params: list[Any] = []
        if kind:
            clauses.append("kind = ?")
            params.append(kind)
        if country:
            codes = _codes(country)
            clauses.append(f"location_country IN ({', '.join('?' for _ in codes)})")
            params.extend(codes)
        _date_bounds(since, until, "date", clauses, params)
        if article_id:
            clauses.append("article_id = ?")
            params.append(article_id)
        where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
        rows = self._fetchall(f"SELECT id, record FROM incidents{where} ORDER BY date NULLS LAST, id"
                              f"{self._limit(limit)}", params)
        out = []
        for x_id, record in rows:
            try:
                out.append(Incident.model_validate_json(record) if isinstance(record, (str, bytes))
                           else Incident.model_validate(record))
            except ValueError as exc:
                raise DetenteError("E212", table="incidents", id=x_id, detail=exc) from exc
        return out

    def rejects(self) -> list[Reject]:
        rows = self._fetchall("SELECT id, origin, code, reason, raw, created FROM rejects ORDER BY stored_at, id")
        return [Reject(id=i, origin=o, code=c, reason=r, raw=raw, created=cr) for i, o, c, r, raw, cr in rows]

    def stats(self, *, top: int = 10) -> dict[str, Any]:
        """Counts for a summary: totals, events by type, top actor->recipient pairs, rejects by code, date range."""
        def count(table: str) -> int:
            return int(self._fetchall(f"SELECT count(*) FROM {table}")[0][0])

        first, last = self._fetchall("SELECT min(date), max(date) FROM events")[0]
        return {
            "articles": count("articles"),
            "events": count("events"),
            "rejects": count("rejects"),
            "canonical_events": count("canonical_events"),
            "entities": count("entities"),
            "places": count("places"),
            "incidents": count("incidents"),
            "linked_events": int(self._fetchall(
                "SELECT count(*) FROM events WHERE canonical_id IS NOT NULL")[0][0]),
            "first_date": first.isoformat() if first else None,
            "last_date": last.isoformat() if last else None,
            "events_by_type": {t: int(n) for t, n in self._fetchall(
                "SELECT event_type, count(*) AS n FROM events GROUP BY event_type ORDER BY n DESC, event_type")},
            "top_dyads": [{"actor": a, "recipient": r, "events": int(n)} for a, r, n in self._fetchall(
                "SELECT actor_name, recipient_name, count(*) AS n FROM events WHERE actor_name IS NOT NULL AND "
                "recipient_name IS NOT NULL GROUP BY actor_name, recipient_name ORDER BY n DESC, actor_name, "
                f"recipient_name LIMIT {int(top)}")],
            "rejects_by_code": {c: int(n) for c, n in self._fetchall(
                "SELECT code, count(*) AS n FROM rejects GROUP BY code ORDER BY n DESC, code")},
            "schema_version": self.schema_version(),
            "backend": self.dialect,
        }


def _coerce(df: pd.DataFrame) -> pd.DataFrame:
    """The same dtypes from every backend: nullable ints, floats, booleans, datetime64 dates, strings as object."""
    for col in df.columns:
        if col in _INT_COLS:
            df[col] = pd.to_numeric(df[col], errors="coerce").astype("Int64")
        elif col in _FLOAT_COLS:
            df[col] = pd.to_numeric(df[col], errors="coerce").astype("float64")
        elif col in _DATE_COLS:
            df[col] = pd.to_datetime(df[col]).astype("datetime64[ns]")
        elif col in _BOOL_COLS:
            df[col] = df[col].astype("boolean")
        else:
            df[col] = df[col].astype(object).where(df[col].notna(), None)
    return df
