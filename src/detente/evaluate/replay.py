"""A coder that replays known events instead of running models: for tests, and for scoring output that was
coded earlier (or by another system) with the same eval tasks.

>>> from detente.schema import Article
>>> coder = ReplayCoder(events={"Iran struck Pakistan.": [{"event_type": "ASSAULT", "confidence": 0.9}]})
>>> coder.code(Article(text="Iran struck Pakistan.")).events[0].event_type
'ASSAULT'
>>> coder.code(Article(text="Nothing here.")).events
[]
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from ..errors import DetenteError
from ..schema import Article, CodedArticle, Event, Evidence, Incident


class ReplayCoder:
    """Returns, for an article, the events stored for its text (or its gold id in ``meta["gold_id"]``).

    Parameters
    ----------
    events
        ``{text or gold id: [event dicts or Events]}``. An event dict needs only ``event_type``; ``article_id``
        and ``evidence`` (the whole text) are filled in.
    fail_on
        Texts for which ``code`` raises (to test error handling).
    incidents
        ``{text or gold id: [incident dicts or Incidents]}`` (disasters), filled in like events.
    """

    def __init__(self, *, events: Mapping[str, Iterable[Any]] | None = None,
                 fail_on: Iterable[str] = (), incidents: Mapping[str, Iterable[Any]] | None = None) -> None:
        self.events = dict(events or {})
        self.incidents = dict(incidents or {})
        self.fail_on = set(fail_on)
        self.calls = 0

    @classmethod
    def from_jsonl(cls, path: str | Path) -> ReplayCoder:
        """Load ``CodedArticle`` JSON lines (as written by ``detente code``); keyed by article text."""
        events: dict[str, list[Any]] = {}
        incidents: dict[str, list[Any]] = {}
        with open(path, encoding="utf-8") as fh:
            for lineno, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                try:
                    ca = CodedArticle.model_validate_json(line)
                except ValueError as exc:
                    raise DetenteError("E801", path=path, line=lineno, detail=str(exc)[:200]) from None
                events[ca.article.text] = list(ca.events)
                incidents[ca.article.text] = list(ca.incidents)
        return cls(events=events, incidents=incidents)

    @staticmethod
    def _lookup(table: Mapping[str, Iterable[Any]], article: Article) -> list[Any]:
        key = article.meta.get("gold_id")
        if key is not None and key in table:
            return list(table[key])
        return list(table.get(article.text, []))

    @staticmethod
    def _filled(model: Any, item: Any, article: Article) -> Any:
        if isinstance(item, model):
            return item
        data = dict(item)
        data.setdefault("article_id", article.id)
        data.setdefault("evidence", Evidence(text=article.text, start=0, end=len(article.text)))
        return model.model_validate(data)

    def code(self, article: Article) -> CodedArticle:
        self.calls += 1
        if article.text in self.fail_on:
            raise RuntimeError("replay coder told to fail on this text")
        return CodedArticle(
            article=article, events=[self._filled(Event, e, article) for e in self._lookup(self.events, article)],
            incidents=[self._filled(Incident, x, article) for x in self._lookup(self.incidents, article)])

    def pipe(self, articles: Iterable[Article], *, batch_size: int = 64) -> Iterator[CodedArticle]:
        for art in articles:
            yield self.code(art)

