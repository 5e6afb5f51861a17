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
from ..schema import Article, CodedArticle, Event, Evidence


class ReplayCoder:
    """Returns, for an article, the events stored for its text (or its gold id in ``meta["gold_id"]``).

    Parameters
    ----------
    events
        ``{text or gold id: [event dicts or Events]}``. An event dict needs only ``event_type``; ``article_id``
        and ``evidence`` (the whole text) are filled in.
    fail_on
        Texts for which ``code`` raises (to test error handling).
    """

    def __init__(self, *, events: Mapping[str, Iterable[Any]] | None = None,
                 fail_on: Iterable[str] = ()) -> None:
        self.events = dict(events or {})
        self.fail_on = set(fail_on)
        self.calls = 0

    @classmethod
    def from_jsonl(cls, path: str | Path) -> ReplayCoder:
        """Load ``CodedArticle`` JSON lines (as written by ``detente code``); keyed by article text."""
        events: dict[str, list[Any]] = {}
        with open(path, encoding="utf-8") as fh:
            for lineno, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                try:
                    ca = CodedArticle.model_validate_json(line)
                except ValueError as exc:
                    raise DetenteError("E801", path=path, line=lineno, detail=str(exc)[:200]) from None
                events[ca.article.text] = list(ca.events)
        return cls(events=events)

    def _lookup(self, article: Article) -> list[Any]:
        key = article.meta.get("gold_id")
        if key is not None and key in self.events:
            return list(self.events[key])
        return list(self.events.get(article.text, []))

    def code(self, article: Article) -> CodedArticle:
        self.calls += 1
        if article.text in self.fail_on:
            raise RuntimeError("replay coder told to fail on this text")
        out = []
        for ev in self._lookup(article):
            if isinstance(ev, Event):
                out.append(ev)
                continue
            data = dict(ev)
            data.setdefault("article_id", article.id)
            data.setdefault("evidence", Evidence(text=article.text, start=0, end=len(article.text)))
            out.append(Event.model_validate(data))
        return CodedArticle(article=article, events=out)

    def pipe(self, articles: Iterable[Article], *, batch_size: int = 64) -> Iterator[CodedArticle]:
        for art in articles:
            yield self.code(art)

