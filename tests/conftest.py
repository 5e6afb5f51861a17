"""Shared fixtures. Model-dependent fixtures are session-scoped: spaCy and the coder load once per run."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("DETENTE_SHARED_DATA", REPO.parent / "shared" / "data"))
EXAMPLES = SHARED.parent / "examples"


@pytest.fixture(scope="session")
def nlp():
    from detente.annotate import load_nlp

    return load_nlp()


@pytest.fixture(scope="session")
def coder():
    from detente.coder import Coder

    return Coder().initialize()


@pytest.fixture(scope="session")
def coder_all(coder):
    """The default coder with no output threshold and every sentence parsed (``min_confidence=0``, ``parse_min=0``),
    sharing its models: for tests of how an event is assembled, whatever confidence it ends up with."""
    return coder.with_config(min_confidence=0.0, parse_min=0.0)


@pytest.fixture(scope="session")
def example_article():
    """The Pakistan–Iran example everyone knows (../shared/examples); skipped where shared/ is absent."""
    path = EXAMPLES / "pakistan-iran-2024-01.txt"
    if not path.is_file():
        pytest.skip(f"{path} not present")
    return path
