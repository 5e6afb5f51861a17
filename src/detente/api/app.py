"""The FastAPI app: routes are thin — parse, call :class:`~detente.api.service.Service`, convert to Out models.

Only this module knows HTTP statuses: 404 for an unknown id (plain message), 422 for bad parameters (FastAPI's
own validation, and DetenteError codes that mean bad input), 409 when asked to store into a read-only store, 503
when the store or the coder cannot be opened. Every error body is ``{"detail": "...", "code": "E..."}``
(``code`` only for DetenteError).

Swagger UI at /docs is served from the packaged static files (no CDN); ReDoc is off.
"""

from __future__ import annotations

import datetime as dt
from contextlib import asynccontextmanager
from typing import Annotated, Any, Literal

from fastapi import FastAPI, HTTPException, Path, Query, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from pydantic import ValidationError

from .. import __version__
from ..errors import DetenteError
from ..filters import country_codes, event_types
from ..schema import Article, Incident
from ..web import static_dir
from .models import (
    ArticleOut, CodeIn, CodeOut, DyadListOut, DyadSeriesOut, EventOut, EventPage, HealthOut, StatsOut, TimelineOut,
)
from .service import Service, marks_for

# DetenteError codes -> HTTP status (anything else: 500).
STATUS = {
    **dict.fromkeys(("E206", "E208", "E600", "E704", "E705"), 422),
    "E903": 409,
    **dict.fromkeys(("E200", "E201", "E202", "E203", "E204", "E205", "E213", "E902", "E905"), 503),
}

Actor = Annotated[str | None, Query(description="Actor or recipient name contains this (any case).")]
Country = Annotated[str | None, Query(max_length=500, description="Actor or recipient country: ISO3 code or country "
                                      "name (PAK, Pakistan); comma-separated for any of several. Unknown: 422.")]
EvType = Annotated[str | None, Query(alias="type", max_length=500, description="PLOVER event type, e.g. ASSAULT "
                                     "(comma-separated: any). Unknown: 422 naming the accepted types.")]
Since = Annotated[dt.date | None, Query(description="Events on or after this date (YYYY-MM-DD).")]
Until = Annotated[dt.date | None, Query(description="Events on or before this date (YYYY-MM-DD).")]
Text = Annotated[str | None, Query(max_length=500, description="Evidence sentence contains this (any case).")]
Canonical = Annotated[bool, Query(description="Linked (deduplicated) events instead of per-article reports.")]
AutoCanonical = Annotated[bool | None, Query(description="Linked events (true), reports (false); default: linked "
                                                         "events when the store has been linked.")]
Code = Annotated[str, Path(pattern=r"^[A-Za-z]{3}$", description="Country code, ISO3.")]


def create_app(store: Any = None, *, db: str | None = None, coder: Any = None, read_only: bool = True,
               keep_open: bool | None = None) -> FastAPI:
    """The detente REST API and dashboard.

    Parameters
    ----------
    store
        An open Store to serve (the caller closes it). None: open ``db`` on first use.
    db
        DuckDB path, ``:memory:`` or ``postgresql://`` DSN; None means ``$DETENTE_DB`` or the default user store.
    coder
        Used by POST /api/code: any object with ``code(Article) -> CodedArticle``. None: ``detente.coder.Coder``,
        created on the first request and kept.
    read_only
        Open ``db`` read-only (default). Ignored when ``store`` is given.
    keep_open
        Keep the store open between requests; default: yes, except a DuckDB file opened read-only, which is
        opened per request so other processes can write to it while the API is idle.

    Examples
    --------
    >>> from fastapi.testclient import TestClient
    >>> from detente.store import open_store
    >>> with open_store(":memory:") as st:
    ...     TestClient(create_app(st)).get("/api/stats").json()["events"]
    0
    """
    svc = Service(store=store, db=db, read_only=read_only, coder=coder, keep_open=keep_open)

    @asynccontextmanager
    async def lifespan(_: FastAPI):
        yield
        svc.close()

    app = FastAPI(title="detente", version=__version__, lifespan=lifespan, docs_url=None, redoc_url=None,
                  description="Political event data (PLOVER) coded from news: query events, articles with "
                              "evidence, dyads; code new text. See docs/api.md.")
    app.state.service = svc

    def _types(value: str | None) -> str | None:
        """PLOVER types, or types the store holds; else E206 (422) naming the accepted ones."""
        return event_types(value, also=lambda: svc.stats()["events_by_type"])

    @app.exception_handler(DetenteError)
    async def _detente_error(_: Request, exc: DetenteError) -> JSONResponse:
        return JSONResponse({"detail": str(exc), "code": exc.code}, status_code=STATUS.get(exc.code, 500))

    # --- events ------------------------------------------------------------------------------------------------
    @app.get("/api/events", response_model=EventPage, tags=["events"])
    def list_events(actor: Actor = None, country: Country = None, event_type: EvType = None, since: Since = None,
                    until: Until = None, text: Text = None,
                    limit: Annotated[int, Query(ge=1, le=5000)] = 100,
                    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
                    canonical: Canonical = False) -> EventPage:
        """Events matching every given filter, oldest first (undated last)."""
        rows, more = svc.events_page(canonical=canonical, limit=limit, offset=offset, actor=actor,
                                     country=country_codes(country), event_type=_types(event_type),
                                     since=since, until=until, text=text)
        return EventPage(events=[EventOut.from_event(e) for e in rows], limit=limit, offset=offset, more=more,
                         canonical=canonical)

    @app.get("/api/events/{event_id}", response_model=EventOut, tags=["events"],
             responses={404: {"description": "No such event"}})
    def get_event(event_id: str) -> EventOut:
        """One event (a per-article report, or a linked event) by id."""
        ev = svc.event(event_id)
        if ev is None:
            raise HTTPException(404, f"No event with id {event_id}.")
        return EventOut.from_event(ev)

    @app.get("/api/articles/{article_id}", response_model=ArticleOut, tags=["events"],
             responses={404: {"description": "No such article"}})
    def get_article(article_id: str) -> ArticleOut:
        """An article's text, its events, and the spans (evidence, trigger, actors, place, date, toll) to mark."""
        found = svc.article(article_id)
        if found is None:
            raise HTTPException(404, f"No article with id {article_id}.")
        art, events = found
        marks, warnings = marks_for(art.text, events)
        return ArticleOut(id=art.id, title=art.title, published=art.published, source=art.source, url=art.url,
                          language=art.language, text=art.text, events=[EventOut.from_event(e) for e in events],
                          marks=marks, warnings=warnings)

    @app.get("/api/incidents", response_model=list[Incident], tags=["events"])
    def list_incidents(kind: Annotated[Literal["natural_disaster", "man_made_disaster"] | None, Query(
                           description="natural_disaster or man_made_disaster")] = None,
                       country: Annotated[str | None, Query(max_length=500, description="Country of the place: "
                                                            "ISO3 or name; comma-separated for several.")] = None,
                       since: Since = None, until: Until = None,
                       limit: Annotated[int, Query(ge=1, le=1000)] = 100) -> list[Incident]:
        """Disasters and accidents the articles report (not events: PLOVER codes none), oldest first."""
        return svc.incidents(kind=kind, country=country_codes(country), since=since, until=until, limit=limit)

    @app.get("/api/stats", response_model=StatsOut, tags=["summary"])
    def stats() -> StatsOut:
        """Totals: articles, events, rejects, linked events; events by type; top actor->recipient pairs."""
        return StatsOut.model_validate(svc.stats())

    @app.get("/api/timeline", response_model=TimelineOut, tags=["summary"])
    def timeline(actor: Actor = None, country: Country = None, event_type: EvType = None, since: Since = None,
                 until: Until = None, text: Text = None, canonical: Canonical = False) -> TimelineOut:
        """Events per day by quad class (same filters as /api/events; undated events are left out)."""
        points = svc.timeline(canonical=canonical, actor=actor, country=country_codes(country),
                              event_type=_types(event_type), since=since, until=until, text=text)
        return TimelineOut.model_validate({"canonical": canonical, "points": points})

    # --- dyads -------------------------------------------------------------------------------------------------
    @app.get("/api/dyads", response_model=DyadListOut, tags=["dyads"])
    def dyads(n: Annotated[int, Query(ge=1, le=500)] = 20, directed: bool = False, since: Since = None,
              until: Until = None, canonical: AutoCanonical = None) -> DyadListOut:
        """The country pairs with most events."""
        rows, source = svc.top_dyads(n=n, directed=directed, canonical=canonical, since=since, until=until)
        return DyadListOut.model_validate({"directed": directed, "source": source, "dyads": rows})

    @app.get("/api/dyads/{a}/{b}", response_model=DyadSeriesOut, tags=["dyads"])
    def dyad(a: Code, b: Code, freq: Literal["D", "W"] = "D", directed: bool = False, since: Since = None,
             until: Until = None, canonical: AutoCanonical = None,
             limit: Annotated[int, Query(ge=0, le=5000)] = 200) -> DyadSeriesOut:
        """The daily or weekly series of a country pair, and its latest ``limit`` events."""
        a, b = country_codes(a), country_codes(b)
        if a == b:
            raise HTTPException(422, "A dyad needs two different countries.")
        out = svc.dyad(a, b, freq=freq, directed=directed, canonical=canonical, since=since, until=until,
                       limit=limit)
        out["events"] = [EventOut.from_event(e) for e in out["events"]]
        return DyadSeriesOut.model_validate(out)

    # --- coding ------------------------------------------------------------------------------------------------
    @app.post("/api/code", response_model=CodeOut, tags=["coding"])
    def code(body: CodeIn) -> CodeOut:
        """Code one article's text into events; stores it too when ``store`` is true and the store is writable."""
        try:
            article = Article(text=body.text, published=body.published, source=body.source, url=body.url,
                              title=body.title, origin="api")
        except ValidationError as exc:  # NUL / lone surrogate in the text, impossible UTC offset: plain words, no echo
            raise HTTPException(422, detail=[{"loc": ["body", *e["loc"]], "msg": e["msg"]} for e in exc.errors()]) \
                from None
        coded, stored = svc.code(article, store=body.store)
        return CodeOut(article_id=coded.article.id, stored=stored,
                       events=[EventOut.from_event(e) for e in coded.events], incidents=coded.incidents,
                       warnings=coded.warnings)

    @app.get("/api/health", response_model=HealthOut, tags=["summary"])
    def health() -> HealthOut:
        """Liveness plus whether the store opens; always 200 (``status`` says degraded when the store fails)."""
        st = svc.health()
        return HealthOut.model_validate({
            "status": "ok" if st["ok"] else "degraded", "version": __version__, "store": st,
            "coder_loaded": svc.coder_loaded, "dashboard": (static_dir() / "index.html").is_file(),
        })

    # --- dashboard and docs ------------------------------------------------------------------------------------
    static = static_dir()
    app.mount("/static", StaticFiles(directory=static, check_dir=False), name="static")

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        page = static / "index.html"
        if not page.is_file():
            raise DetenteError("E904", path=page)
        return FileResponse(page, media_type="text/html")

    @app.get("/docs", include_in_schema=False)
    def swagger() -> HTMLResponse:
        # Relative URLs: they resolve against /docs, so the page also works behind a path prefix.
        return get_swagger_ui_html(
            openapi_url="openapi.json", title="detente API",
            swagger_js_url="static/vendor/swagger-ui/swagger-ui-bundle.js",
            swagger_css_url="static/vendor/swagger-ui/swagger-ui.css",
            swagger_favicon_url="static/favicon.svg",
            swagger_ui_parameters={"validatorUrl": None},
        )

    return app
