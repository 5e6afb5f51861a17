"""Ingest → code → store, as one library call that the CLI, the API and the Dask runner share.

Resumable and idempotent: an article already in the store is not coded again, each article is written with its
events in one transaction, and rejects are stored with their reasons. Rerunning an interrupted run finishes it.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from .errors import DetenteError
from .schema import Article, CodedArticle, Reject


@dataclass
class RunStats:
    articles: int = 0
    coded: int = 0
    skipped: int = 0  # already stored
    events: int = 0
    incidents: int = 0  # disasters and accidents (schema.Incident)
    rejects: int = 0
    reject_codes: Counter = field(default_factory=Counter)
    event_types: Counter = field(default_factory=Counter)

    def as_dict(self) -> dict:
        return {"articles": self.articles, "coded": self.coded, "skipped_already_stored": self.skipped,
                "events": self.events, "incidents": self.incidents, "rejects": self.rejects, "reject_codes": dict(self.reject_codes),
                "event_types": dict(self.event_types)}


def keep_reject(rec: Reject, store, stats: RunStats) -> None:
    """Count a reject and store it with its reason (when there is a store)."""
    stats.rejects += 1
    stats.reject_codes[rec.code] += 1
    if store is not None:
        store.write_reject(rec)


def _reject(art: Article, err: DetenteError) -> Reject:
    """The article as a Reject with the error's code and plain-words reason (no ``[code]`` prefix)."""
    reason = str(err).removeprefix(f"[{err.code}] ")
    return Reject(origin=art.origin or art.id, code=err.code, reason=reason, raw=art.text[:2000])


def code_safely(coder, articles: list[Article], *, batch_size: int = 32) -> tuple[list[CodedArticle], list[Reject]]:
    """Code a batch; if the batch fails, code its articles one by one so that one article that breaks the coder
    costs only itself — it becomes a Reject (E610) with the error, and the run goes on."""
    try:
        return list(coder.pipe(articles, batch_size=batch_size)), []
    except Exception:  # noqa: BLE001 — isolate the culprit below
        pass
    done, failed = [], []
    for art in articles:
        try:
            done.append(coder.code(art))
        except Exception as exc:  # noqa: BLE001
            failed.append(_reject(art, DetenteError("E610", detail=f"{type(exc).__name__}: {exc}")))
    return done, failed


def store_coded(done: list[CodedArticle], store, stats: RunStats,
                on_reject: Callable[[Reject], None] | None = None) -> list[CodedArticle]:
    """Write a batch (one transaction when it can); an article the store refuses (E208) is kept as a Reject
    instead and the rest is written. Returns the articles that were stored (or were already)."""
    unstored: dict[str, Reject] = {}
    store.write_many(done, on_error=lambda c, err: unstored.setdefault(c.article.id, _reject(c.article, err)))
    for rej in unstored.values():
        keep_reject(rej, store, stats)
        if on_reject:
            on_reject(rej)
    return [c for c in done if c.article.id not in unstored]


def code_stream(records: Iterable[Article | Reject], *, coder, store=None, batch_size: int = 32,
                on_reject: Callable[[Reject], None] | None = None,
                on_progress: Callable[[Article], None] | None = None,
                stats: RunStats | None = None) -> Iterator[CodedArticle]:
    """Code every Article of ``records``; store results (and rejects) when ``store`` is given.

    Yields each CodedArticle (articles already stored are skipped, not yielded).
    """
    stats = stats if stats is not None else RunStats()
    it = iter(records)
    while batch := list(itertools.islice(it, batch_size)):
        todo: list[Article] = []
        stored = store.stored_ids([r.id for r in batch if isinstance(r, Article)]) if store is not None else set()
        for rec in batch:
            if isinstance(rec, Reject):
                keep_reject(rec, store, stats)
                if on_reject:
                    on_reject(rec)
                continue
            stats.articles += 1
            if rec.id in stored:
                stats.skipped += 1
                if on_progress:
                    on_progress(rec)
                continue
            todo.append(rec)
        done, failed = code_safely(coder, todo, batch_size=batch_size)
        for rej in failed:
            keep_reject(rej, store, stats)
            if on_reject:
                on_reject(rej)
        if store is not None and done:
            done = store_coded(done, store, stats, on_reject)
        for coded in done:
            stats.coded += 1
            stats.events += len(coded.events)
            stats.incidents += len(coded.incidents)
            stats.event_types.update(e.event_type for e in coded.events)
            if on_progress:
                on_progress(coded.article)
            yield coded
