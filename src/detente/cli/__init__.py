"""The ``detente`` command: thin typer layers over the library, one module per command group.

Exit status: 0 ok (also when the reader of standard output went away, as with ``| head``); 1 finished but some
input records were rejected (see ``detente stats``); 2 user error (bad arguments, unreadable config, missing
resource, a failing store), printed in plain words without a traceback.
"""

from __future__ import annotations

import importlib
import sys

import typer
from rich.console import Console

from ..errors import DetenteError

app = typer.Typer(
    name="detente",
    help="News in, political event data out: code articles into PLOVER events, store, link and watch them.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
err = Console(stderr=True)

# Each module registers its commands on `app` when imported.
COMMAND_MODULES = ("code", "query", "linking", "evaluate", "places", "serve")


def _register() -> None:
    for name in COMMAND_MODULES:
        try:
            importlib.import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{__name__}.{name}":
                raise


def fail(message: str, code: int = 2) -> typer.Exit:
    """Print a user error in plain words and return the Exit to raise."""
    err.print(f"[bold red]error:[/] {message}", highlight=False)
    return typer.Exit(code)


def main() -> None:
    _register()
    try:
        app()
    except SystemExit as exc:
        # click ends a run whose reader closed the pipe (`detente events | head`) with status 1, having wrapped
        # stdout to stay quiet; that is no failure
        if exc.code == 1 and "PacifyFlushWrapper" in type(sys.stdout).__name__:
            sys.exit(0)
        raise
    except DetenteError as exc:
        err.print(f"[bold red]error:[/] {exc}", highlight=False)
        sys.exit(2)
    except KeyboardInterrupt:
        err.print("interrupted: what was committed is kept; run the same command again to finish.")
        sys.exit(130)
