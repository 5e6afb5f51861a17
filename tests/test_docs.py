"""The docs keep up with the code: every CLI command is documented and has help."""

from __future__ import annotations

from pathlib import Path

import pytest
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


def test_dir_shows_the_lazy_exports():
    import detente

    assert {"Coder", "open_store", "events_frame"} <= set(dir(detente))


def _readme_blocks(lang: str) -> list[str]:
    import re

    readme = (DOCS.parent / "README.md").read_text()
    return re.findall(rf"```{lang}\n(.*?)```", readme, flags=re.S)


@pytest.mark.model
def test_readme_python_snippet_runs(tmp_path, monkeypatch, capsys):
    from importlib import resources

    sample = sorted((resources.files("detente") / "data" / "sample").iterdir(), key=lambda p: p.name)
    texts = [p.read_text(encoding="utf-8") for p in sample if p.name.endswith(".txt")][:3]
    for name, text in zip(("story.txt", "a.txt", "b.txt"), texts):
        (tmp_path / name).write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    blocks = _readme_blocks("python")
    assert blocks, "README.md has no python block"
    for code in blocks:
        exec(compile(code, "README.md", "exec"), {"__name__": "__readme__"})  # noqa: S102
    assert capsys.readouterr().out.strip(), "the README snippet printed nothing"
    assert (tmp_path / "events.duckdb").exists()
