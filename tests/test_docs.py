"""The docs keep up with the code: every CLI command is documented and has help."""

from __future__ import annotations

from pathlib import Path

import typer.main

from detente.cli import _register, app

DOCS = Path(__file__).resolve().parents[1] / "docs"


def test_every_command_is_documented_with_help():
    _register()
    commands = typer.main.get_command(app).commands
    cli_doc = (DOCS / "cli.md").read_text()
    for name, cmd in commands.items():
        assert f"`detente {name}`" in cli_doc, f"docs/cli.md does not document `detente {name}`"
        assert (cmd.help or "").strip(), f"`detente {name}` has no help text"


def test_docs_links_resolve():
    import re

    for doc in DOCS.glob("*.md"):
        for target in re.findall(r"\]\(([\w./-]+\.md)\)", doc.read_text()):
            assert (doc.parent / target).is_file(), f"{doc.name} links to missing {target}"
