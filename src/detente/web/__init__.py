"""The dashboard: plain HTML/CSS/JS in ``static/``, served by the API at ``/`` (see docs/dashboard.md).

Third-party files (Leaflet, topojson-client, the world-atlas outline, Swagger UI) are copied from npm packages into
``static/vendor/`` by ``web/build.sh`` and committed, so an installed detente serves them with no npm and no
network.

>>> (static_dir() / "index.html").is_file()
True
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["static_dir"]


def static_dir() -> Path:
    """The folder of the packaged dashboard files."""
    return Path(__file__).resolve().parent / "static"
