"""Reading the package's own data files (tab-separated tables with ``#`` comments)."""

from __future__ import annotations

from importlib import resources

from .errors import DetenteError


def read_tsv_rows(folder: str, name: str) -> list[list[str]]:
    """Rows of ``detente/data/<folder>/<name>`` split on tabs; blank and ``#`` lines skipped.

    >>> read_tsv_rows("numbers", "number_words.tsv")[1]
    ['one', '1']
    """
    try:
        text = (resources.files("detente") / "data" / folder / name).read_text(encoding="utf-8")
    except (FileNotFoundError, ModuleNotFoundError):
        raise DetenteError("E003", path=f"detente/data/{folder}/{name}") from None
    return [line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#")]
