"""Tokenising and normalising actor text for dictionary lookups.

One tokeniser serves both sides: knowledge-base aliases are indexed with it and article text is looked up
with it, so "Jaish al-Adl", "Jaish al Adl" and "JAISH AL ADL" all become the key ``("jaish", "al", "adl")``.

Each token keeps three views:

- ``fold``: casefolded, diacritics removed, possessive ``'s`` and inner apostrophes dropped
  (``Tehran's`` -> ``tehran``);
- ``surface``: the same but with case kept, used for case-sensitive aliases (``US`` is not ``us``);
- ``start``/``end``: character offsets in the input string.

Dotted abbreviations become one token without dots: ``U.S.`` -> surface ``US``, fold ``us``.

>>> [t.fold for t in tokenize("Pakistan’s Foreign Minister Jalil Abbas Jilani")]
['pakistan', 'foreign', 'minister', 'jalil', 'abbas', 'jilani']
>>> [t.surface for t in tokenize("the U.S. and Türkiye")]
['the', 'US', 'and', 'Turkiye']
>>> [t.fold for t in tokenize("Jaish al-Adl (JAA)")]
['jaish', 'al', 'adl', 'jaa']
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# A dotted abbreviation (U.S., U.N., U.K.) or a word with inner apostrophes (O'Brien, Tehran's).
_TOKEN = re.compile(r"(?:[^\W\d_]\.)+[^\W\d_](?!\w)\.?|\w+(?:['’ʼ`]\w+)*")
_POSSESSIVE = re.compile(r"['’ʼ`][sS]$")
_APOSTROPHES = re.compile(r"['’ʼ`.]")
# Letters NFKD does not decompose.
_EXTRA = str.maketrans({"ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ı": "i", "æ": "ae",
                        "Æ": "AE", "œ": "oe", "Œ": "OE", "þ": "th", "ð": "d", "ʻ": "", "ʿ": "", "ʾ": ""})


@dataclass(frozen=True, slots=True)
class Token:
    """One token of an actor phrase (see the module docstring)."""

    fold: str
    surface: str
    start: int
    end: int
    possessive: bool = False


@lru_cache(maxsize=200_000)
def _views(raw: str) -> tuple[str, str, bool]:
    possessive = bool(_POSSESSIVE.search(raw)) and len(raw) > 2
    word = raw[:-2] if possessive else raw
    word = _APOSTROPHES.sub("", word)
    if not word.isascii():
        word = strip_diacritics(word)
    return word.casefold(), word, possessive


def strip_diacritics(text: str) -> str:
    """Remove accents and map a few letters NFKD leaves alone.

    >>> strip_diacritics("Türkiye, Côte d'Ivoire, Łódź")
    "Turkiye, Cote d'Ivoire, Lodz"
    """
    text = text.translate(_EXTRA)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def tokenize(text: str) -> list[Token]:
    """Split ``text`` into normalised tokens with their character offsets."""
    out: list[Token] = []
    for m in _TOKEN.finditer(text):
        fold, surface, possessive = _views(m.group())
        if fold:
            # The span of a possessive stops before "'s": "Tehran’s" -> "Tehran".
            out.append(Token(fold, surface, m.start(), m.end() - 2 if possessive else m.end(), possessive))
    return out


def key(text: str) -> tuple[str, ...]:
    """The case-insensitive lookup key of a phrase.

    >>> key("the Kremlin's")
    ('the', 'kremlin')
    """
    return tuple(t.fold for t in tokenize(text))


def surface_key(text: str) -> tuple[str, ...]:
    """The case-sensitive lookup key of a phrase.

    >>> surface_key("U.S.")
    ('US',)
    """
    return tuple(t.surface for t in tokenize(text))
