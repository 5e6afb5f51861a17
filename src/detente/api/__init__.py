"""The REST API (FastAPI) over the store, the coder and the dyad analytics; it also serves the dashboard.

>>> from detente.api import create_app
>>> app = create_app(db=":memory:")
>>> sorted(r.path for r in app.routes if r.path.startswith("/api/"))[:3]
['/api/articles/{article_id}', '/api/code', '/api/dyads']
"""

from __future__ import annotations

from .app import create_app

__all__ = ["create_app"]
