"""``detente serve``: the REST API and the dashboard (uvicorn over :func:`detente.api.create_app`)."""

from __future__ import annotations

import socket
from typing import Annotated

import typer

from ..errors import DetenteError
from . import app, err, fail


@app.command()
def serve(
    db: Annotated[str | None, typer.Option("--db", help="Store: DuckDB path or postgresql:// DSN [env DETENTE_DB; "
                                                        "default: the user data dir].", show_default=False)] = None,
    host: Annotated[str, typer.Option(help="Interface to listen on (0.0.0.0: every interface; there is no "
                                           "authentication, so keep it local or behind a proxy).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="TCP port.")] = 8000,
    write: Annotated[bool, typer.Option("--write/--read-only", help="Open the store for writing, so POST /api/code "
                                        "with store=true can store articles (DuckDB: no other process may write "
                                        "to the file meanwhile).")] = False,
    log_level: Annotated[str, typer.Option(help="uvicorn log level.")] = "info",
) -> None:
    """Serve the REST API at /api, its docs at /docs and the dashboard at / (no network needed)."""
    import uvicorn

    from ..api import create_app

    api = create_app(db=db, read_only=not write)
    health = api.state.service.health()  # open the store now, so a wrong --db fails before the server starts
    if not health["ok"]:
        raise fail(health["detail"])
    _check_port(host, port)
    err.print(f"detente: dashboard http://{host}:{port}/  ·  API docs http://{host}:{port}/docs", highlight=False)
    config = uvicorn.Config(api, host=host, port=port, log_level=log_level)
    uvicorn.Server(config).run()


def _check_port(host: str, port: int) -> None:
    """Fail with E906 when the address cannot be bound (uvicorn itself only logs it and exits 1)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise DetenteError("E906", host=host, port=port, detail=exc.strerror or exc) from exc
    family, kind, proto, _, addr = infos[0]
    with socket.socket(family, kind, proto) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(addr)
        except OSError as exc:
            raise DetenteError("E906", host=host, port=port, detail=exc.strerror or exc) from exc
