"""Disasters and accidents: "a volcano erupted, killing five" holds no ASSAULT, and is worth reporting as what it is.

The trigger lexicon and the classifier read harm ("killed", "destroyed", "explosion") as violence. A sentence that
names a hazard (earthquake, flood, gas leak, a furnace that exploded, a bus that overturned …
``data/detect/hazards.tsv``) and no sign of an attacker (bomb, gunmen, militants, troops, arson …) reports a
disaster. PLOVER codes no event for it: the coder drops the ASSAULT events it would otherwise read there (unless
they name a human actor) and reports the disaster as an :class:`~detente.schema.Incident`.

Words that are also ordinary language ("a flood of refugees", "a storm of criticism", "the talks collapsed") count
only in a sentence that also names harm or an emergency (killed, injured, evacuated, rescue, damage …). A mishap
("exploded", "overturned", "leak") is man-made when it happens to a facility or vehicle ("a furnace", "the bus").
When a sentence names both kinds, a named man-made hazard ("chemical spill") wins over a natural one, and a natural
one over a mishap ("houses collapsed in the earthquake").
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib import resources

from ..errors import DetenteError

PATH = resources.files("detente") / "data" / "detect" / "hazards.tsv"
KINDS = ("natural", "man-made", "mishap", "facility", "harm", "attack")
NATURAL, MAN_MADE = "natural_disaster", "man_made_disaster"


@dataclass(frozen=True)
class Hazard:
    """The hazard a sentence reports: ``kind`` (``natural_disaster`` | ``man_made_disaster``), the words that name it
    as written (``text``, at ``start``:``end`` of the sentence) and whether they name it unambiguously (``strong``:
    not a word that needed harm beside it, nor a mishap that needed a facility)."""

    kind: str
    text: str
    start: int
    end: int
    strong: bool


_TOKEN = re.compile(r"\w+(?:[-']\w+)*")


@dataclass(frozen=True)
class _Lexicon:
    """Terms as lower-case token sequences: exact ones in a dict, "*" ones by their prefix (one dict per length),
    so a sentence is read with a few dict lookups per token (as ``detect/acled.py`` reads its cue words)."""

    exact: dict[str, tuple[tuple[str, bool], ...]]  # phrase → ((kind, needs harm), …)
    prefixes: dict[int, dict[str, tuple[tuple[str, bool], ...]]]  # prefix length → prefix → entries
    longest: int  # most words in a term
    first: frozenset[str]  # first words of the hazard terms (natural, man-made, mishap) …
    stems: dict[str, tuple[str, ...]]  # … and of their "*" terms, by the stem's first three letters

    def may_hold(self, words: list[str]) -> bool:
        """Whether any word can start a hazard term: one set or dict lookup per word, so the sentences of an
        ordinary article are passed over at little cost."""
        return any(w in self.first or any(w.startswith(s) for s in self.stems.get(w[:3], ())) for w in words)

    def entries(self, phrase: str, last: int) -> tuple[tuple[str, bool], ...]:
        """Entries for a phrase whose last word starts at ``last``: an exact term, or a prefix reaching into it."""
        out = self.exact.get(phrase, ())
        for size, table in self.prefixes.items():
            if last < size <= len(phrase):
                out = out + table.get(phrase[:size], ())
        return out


@functools.lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    try:
        text = PATH.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise DetenteError("E003", path=str(PATH)) from exc
    exact: dict[str, tuple[tuple[str, bool], ...]] = {}
    prefixes: dict[int, dict[str, tuple[tuple[str, bool], ...]]] = {}
    longest = 1
    first: set[str] = set()
    stems: dict[str, set[str]] = {}
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#") or line.startswith("kind\t"):
            continue
        kind, term, needs = (line.split("\t") + ["", ""])[:3]
        term = " ".join(_TOKEN.findall(term.lower())) + ("*" if term.strip().endswith("*") else "")
        if kind not in KINDS or not term.rstrip("*") or needs.strip() not in ("", "harm"):
            raise DetenteError("E606", path=str(PATH), line=n, detail=f"bad row {line!r}")
        entry = ((kind, needs.strip() == "harm"),)
        longest = max(longest, term.count(" ") + 1)
        if kind in ("natural", "man-made", "mishap"):
            head = term.split(" ")[0]
            if head.endswith("*"):
                stems.setdefault(head[:3], set()).add(head[:-1])
            else:
                first.add(head)
        if term.endswith("*"):
            table = prefixes.setdefault(len(term) - 1, {})
            table[term[:-1]] = table.get(term[:-1], ()) + entry
        else:
            exact[term] = exact.get(term, ()) + entry
    return _Lexicon(exact, prefixes, longest, frozenset(first), {k: tuple(v) for k, v in stems.items()})


def _words(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group(0).lower()) for m in _TOKEN.finditer(text)]


def _matches(text: str, lex: _Lexicon, words: list[tuple[int, int, str]] | None = None
             ) -> list[tuple[int, int, tuple[tuple[str, bool], ...]]]:
    """(start, end, entries) of the terms in a text, longest first at each word; a matched term's words are used up."""
    words = _words(text) if words is None else words
    out = []
    i = 0
    while i < len(words):
        for n in range(min(lex.longest, len(words) - i), 0, -1):
            phrase = " ".join(w for _, _, w in words[i:i + n])
            found = lex.entries(phrase, len(phrase) - len(words[i + n - 1][2]))
            if found:
                out.append((words[i][0], words[i + n - 1][1], found))
                i += n
                break
        else:
            i += 1
    return out


def find_hazard(text: str) -> Hazard | None:
    """The disaster or accident a sentence reports, or None (no hazard, or a sign of an attack).

    >>> find_hazard("At least five people were killed after a volcano erupted off the coast.").kind
    'natural_disaster'
    >>> find_hazard("Two workers were hurt when a furnace at a steel plant exploded.").text
    'exploded'
    >>> find_hazard("A bomb blast started a fire that killed three.") is None
    True
    >>> find_hazard("The talks collapsed in a storm of criticism.") is None
    True
    """
    lex = _lexicon()
    words = _words(text)
    if not lex.may_hold([w for _, _, w in words]):
        return None
    found: dict[str, list[tuple[int, int, bool]]] = {k: [] for k in KINDS}
    for start, end, entries in _matches(text, lex, words):
        for kind, weak in entries:
            found[kind].append((start, end, weak))
    if found["attack"]:
        return None
    harm = bool(found["harm"])
    named = {k: [(s, e, weak) for s, e, weak in found[k] if harm or not weak]
             for k in ("natural", "man-made", "mishap")}
    for kind, label in (("man-made", MAN_MADE), ("natural", NATURAL)):
        if named[kind]:
            s, e, weak = min(named[kind], key=lambda hit: hit[2])  # the first word that names it alone, if any
            return Hazard(label, text[s:e], s, e, not weak)
    if named["mishap"] and found["facility"]:
        s, e, _ = named["mishap"][0]
        return Hazard(MAN_MADE, text[s:e], s, e, False)
    return None


_AGENT_BEFORE = re.compile(r"(?:\s+(?:that|which|have|has|had))?\s*$", re.I)
_AGENT_AFTER = re.compile(r"^\s+(?:by|in|during)\s+(?:(?:the|a|an|this|last|week's|year's|heavy|severe|massive|strong|"
                          r"powerful|deadly|recent|major)\s+)*", re.I)


def _names_hazard(text: str) -> bool:
    """A hazard word (natural or man-made, harm or not), alone: the words around a trigger."""
    return any(kind in ("natural", "man-made") for _, _, entries in _matches(text, _lexicon()) for kind, _ in entries)


def hazard_is_agent(text: str, start: int, end: int) -> bool:
    """Whether the harm word at ``text[start:end]`` is done by a hazard: "earthquakes hit", "a flood that destroyed",
    "struck by a cyclone", "killed in the quake". Such a harm is no attack whoever else the sentence names.

    >>> text = "Relief teams reached areas that earthquakes hit last week."
    >>> hazard_is_agent(text, text.index("hit"), text.index("hit") + 3)
    True
    >>> hazard_is_agent("The village was destroyed by a powerful cyclone on Monday.", 16, 25)
    True
    >>> hazard_is_agent("Troops hit rebel positions near the flooded river.", 7, 10)
    False
    """
    before = text[:start]
    cut = _AGENT_BEFORE.search(before)
    words = _TOKEN.findall(before[:cut.start()] if cut else before)
    if words and _names_hazard(" ".join(words[-2:])):
        return True
    after = _AGENT_AFTER.match(text[end:])
    if after:
        words = _TOKEN.findall(text[end + after.end():])[:2]
        return bool(words) and _names_hazard(" ".join(words))
    return False
