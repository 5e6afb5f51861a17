"""Large archives on Dask distributed: local processes, SLURM (dask-jobqueue) or Kubernetes (dask-kubernetes).

The coder is a pure function of an article and the loaded resources, so workers each load one ``Coder`` (once per
process) and map it over batches of articles. The driver reads the input, keeps a bounded number of batches in
flight (back-pressure: memory stays flat on any archive size), and is the single writer to the store — which keeps
DuckDB's one-writer rule and makes the run resumable (stored articles are skipped before they are shipped).

>>> from detente.scale import make_cluster
>>> callable(make_cluster)
True
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from ..errors import DetenteError
from ..pipeline import RunStats, keep_reject, store_coded
from ..schema import Article, CodedArticle, Reject


@functools.lru_cache(maxsize=1)
def _worker_coder(config_json: str):
    from threadpoolctl import threadpool_limits

    from ..coder import Coder, CoderConfig

    # one worker per core: numpy's BLAS (the MiniLM encoder) must not spread over the cores the other workers use
    threadpool_limits(1)
    return Coder(config=CoderConfig.model_validate_json(config_json)).initialize()


def code_batch(articles: list[dict], config_json: str) -> list[dict]:
    """Worker task: code a batch of articles (plain dicts in and out: cheap to ship)."""
    from ..pipeline import code_safely

    coder = _worker_coder(config_json)
    batch = [Article.model_validate(a) for a in articles]
    done, failed = code_safely(coder, batch, batch_size=len(batch) or 1)
    return [c.model_dump(mode="json") for c in done] + [{"reject": r.model_dump(mode="json")} for r in failed]


def make_cluster(kind: str = "local", *, n_workers: int = 2, **options: Any):
    """A Dask cluster: ``local`` (processes on this machine), ``slurm``, ``kubernetes``; anything else is taken as
    the address of a running scheduler (``tcp://host:8786``) and returned as is."""
    if kind == "local":
        from dask.distributed import LocalCluster

        # one worker per core: the event model's onnxruntime gets one thread in each (DETENTE_THREADS)
        env = {"DETENTE_THREADS": "1", **options.pop("env", {})}
        return LocalCluster(n_workers=n_workers, threads_per_worker=1, processes=True, env=env,
                            dashboard_address=options.pop("dashboard_address", None), **options)
    if kind == "slurm":
        try:
            from dask_jobqueue import SLURMCluster
        except ImportError:
            raise DetenteError("E901", extra="slurm", package="dask-jobqueue") from None
        cluster = SLURMCluster(cores=options.pop("cores", 1), memory=options.pop("memory", "4GB"), **options)
        cluster.scale(n_workers)
        return cluster
    if kind == "kubernetes":
        try:
            from dask_kubernetes.operator import KubeCluster
        except ImportError:
            raise DetenteError("E901", extra="kubernetes", package="dask-kubernetes") from None
        cluster = KubeCluster(name=options.pop("name", "detente"), n_workers=n_workers, **options)
        return cluster
    return kind


@dataclass
class ArchiveResult(RunStats):
    pass


def code_archive(inputs: Iterable[str], *, db: str | None = None, n_workers: int = 2, cluster: str = "local",
                 batch_size: int = 32, in_flight: int | None = None, coder_config=None, progress: bool = True,
                 read_options: dict | None = None) -> ArchiveResult:
    """Code an archive on a Dask cluster and store the results; returns counts."""
    stats = ArchiveResult()
    for _ in iter_archive(inputs, db=db, n_workers=n_workers, cluster=cluster, batch_size=batch_size,
                          in_flight=in_flight, coder_config=coder_config, stats=stats, read_options=read_options):
        pass
    return stats


def iter_archive(inputs: Iterable[str], *, db: str | None = None, n_workers: int = 2, cluster: str = "local",
                 batch_size: int = 32, in_flight: int | None = None, coder_config=None,
                 stats: RunStats | None = None, read_options: dict | None = None) -> Iterator[CodedArticle]:
    """Like ``code_archive`` but yields each CodedArticle as its batch completes (completion order)."""
    from dask.distributed import Client, as_completed

    from ..coder import CoderConfig
    from ..ingest import read

    stats = stats if stats is not None else RunStats()
    config_json = (coder_config or CoderConfig()).model_dump_json()
    store = None
    if db is not None:
        from ..store import open_store

        store = open_store(db)
    target = make_cluster(cluster, n_workers=n_workers)
    client = Client(target)
    limit = in_flight or 2 * n_workers
    try:
        batches = _batches(read(inputs, **(read_options or {})), batch_size, store, stats)
        pending = as_completed()
        for batch in itertools.islice(batches, limit):
            pending.add(client.submit(code_batch, batch, config_json, pure=False))
        for fut in pending:
            raws = fut.result()
            for raw in raws:
                if "reject" in raw:
                    keep_reject(Reject.model_validate(raw["reject"]), store, stats)
            done = [CodedArticle.model_validate(raw) for raw in raws if "reject" not in raw]
            if store is not None and done:
                done = store_coded(done, store, stats)  # an article the store refuses becomes a reject
            for coded in done:
                stats.coded += 1
                stats.events += len(coded.events)
                stats.incidents += len(coded.incidents)
                stats.event_types.update(e.event_type for e in coded.events)
                yield coded
            fut.release()
            nxt = next(batches, None)
            if nxt is not None:
                pending.add(client.submit(code_batch, nxt, config_json, pure=False))
    finally:
        client.close()
        if hasattr(target, "close"):
            target.close()
        if store is not None:
            store.close()


def _batches(records, size: int, store, stats: RunStats) -> Iterator[list[dict]]:
    it = iter(records)
    while chunk := list(itertools.islice(it, size)):
        stored = store.stored_ids([r.id for r in chunk if isinstance(r, Article)]) if store is not None else set()
        batch: list[dict] = []
        for rec in chunk:
            if isinstance(rec, Reject):
                keep_reject(rec, store, stats)
                continue
            stats.articles += 1
            if rec.id in stored:
                stats.skipped += 1
                continue
            batch.append(rec.model_dump(mode="json"))
        if batch:
            yield batch
