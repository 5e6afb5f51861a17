"""detente: news in, political event data out (PLOVER), linked and watched over time.

>>> import detente
>>> detente.__version__
'0.1.0'
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__", "Coder", "open_store", "events_frame"]


def events_frame(events):
    """Events (coded or stored) as a pandas DataFrame with the store's flat columns (one row per event).

    >>> events_frame([]).empty
    True
    """
    import pandas as pd

    from .store.flat import FLAT_COLUMNS, flatten

    return pd.DataFrame([flatten(e) for e in events], columns=list(FLAT_COLUMNS))


def __dir__() -> list[str]:  # the lazy names too, so dir(detente) and tab completion show them
    return sorted({*globals(), *__all__} - {"annotations"})


def __getattr__(name: str):  # lazy: `import detente` must not load spaCy
    if name == "Coder":
        from .coder import Coder

        return Coder
    if name == "open_store":
        from .store import open_store

        return open_store
    raise AttributeError(name)
