"""Trigger candidates: the cheap stage that sees every sentence.

Two passes over the lexicon in ``data/detect/triggers.tsv``:

* ``TriggerLexicon.may_contain(text)`` — one compiled regex over surface forms (stems plus irregular forms). It
  decides which sentences are worth parsing; it may over-accept, never under-accept relative to the token pass.
* ``TriggerLexicon.match(sent)`` — lemma sequences on a parsed spaCy sentence, with a part-of-speech filter. Each
  match is a ``Trigger`` that lists every (event_type, mode) the lexicon allows for it; the classifier picks.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from spacy.tokens import Span as SpacySpan

DATA = resources.files("detente") / "data" / "detect"

_POS = {"V": {"VERB"}, "N": {"NOUN", "PROPN"}, "ADJ": {"ADJ"}, "ADV": {"ADV"}, "*": {"VERB", "NOUN", "PROPN", "ADJ"}}


@dataclass(frozen=True)
class Reading:
    event_type: str
    mode: str | None


@dataclass
class Trigger:
    """A lexicon match: tokens ``start:end`` of the doc (``head`` is the syntactic anchor)."""

    start: int
    end: int
    head: int
    pattern: str
    readings: list[Reading] = field(default_factory=list)


def _read_tsv(path: Path | str) -> list[dict[str, str]]:
    with open(path, encoding="utf-8") as fh:
        lines = [line for line in fh if line.strip() and not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


def inflections(word: str) -> set[str]:
    """Regular English inflections of a lemma (irregular ones come from the lexicon's ``forms`` column).

    >>> sorted(inflections("strike"))
    ['strike', 'striked', 'strikes', 'striking']
    >>> "detained" in inflections("detain") and "kidnapped" in inflections("kidnap")
    True
    """
    out = {word, word + "s", word + "es", word + "ed", word + "ing"}
    if word.endswith("e"):
        out |= {word + "d", word[:-1] + "ing"}
        out -= {word + "es", word + "ed", word + "ing"}
    if word.endswith("y") and len(word) > 2 and word[-2] not in "aeiou":
        out |= {word[:-1] + "ies", word[:-1] + "ied"}
    if len(word) >= 3 and word[-1] not in "aeiouwxy" and word[-2] in "aeiou" and word[-3] not in "aeiou":
        out |= {word + word[-1] + "ed", word + word[-1] + "ing"}  # kidnap -> kidnapped, stop -> stopping
    if word.endswith(("s", "sh", "ch", "x", "z")):
        out.add(word + "es")
    return out


_BEFORE_MONTH = frozenset("in on since until till by from through during last next early late mid of this "
                          "monday tuesday wednesday thursday friday saturday sunday".split())


def _is_month(tok) -> bool:
    """Whether a capitalised "March" names the month: a number beside it ("March 6", "6 March", "March 2020") or a
    date word before it ("in March", "on Friday, March 6", "since March")."""
    doc = tok.doc
    after = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
    before = [doc[j] for j in range(max(0, tok.i - 2), tok.i) if not doc[j].is_punct]
    return bool((after is not None and after.like_num) or (before and (before[-1].like_num
                                                                        or before[-1].lower_ in _BEFORE_MONTH)))


class TriggerLexicon:
    """Lemma-sequence lexicon of event triggers.

    >>> lex = TriggerLexicon().initialize()
    >>> lex.may_contain("Iran struck militant bases.")
    True
    >>> lex.may_contain("The weather was fine.")
    False
    """

    def __init__(self, *, path: str | Path | None = None) -> None:
        self.path = path

    def initialize(self) -> TriggerLexicon:
        if self.path:
            rows = _read_tsv(self.path)
        else:  # the core lexicon, then every triggers_*.tsv beside it (domain additions, e.g. local police news)
            files = [DATA / "triggers.tsv"] + sorted((p for p in DATA.iterdir() if p.name.startswith("triggers_")
                                                       and p.name.endswith(".tsv")), key=lambda p: p.name)
            rows = [row for f in files for row in _read_tsv(f)]
        self.entries_: dict[tuple[str, ...], dict[str, list[Reading]]] = {}
        surface: set[str] = set()
        for row in rows:
            words = row["pattern"].split()
            lemmas = tuple(" ".join(words).replace("-", " - ").split())  # spaCy splits "sit-in" into sit - in
            pos = row["pos"].strip() or "*"
            by_pos = self.entries_.setdefault(lemmas, {})
            reading = Reading(row["event_type"].strip(), (row.get("mode") or "").strip() or None)
            if reading not in by_pos.setdefault(pos, []):
                by_pos[pos].append(reading)
            irregular = [f.strip().lower() for f in (row.get("forms") or "").split("|") if f.strip()]
            firsts = "|".join(sorted(map(re.escape, inflections(words[0]) | set(irregular)), key=len, reverse=True))
            rest = "".join(r"[\s-]+" + re.escape(w) + r"(?:s|es|ed|d|ing)?" for w in words[1:])
            surface.add(f"(?:{firsts}){rest}")
        stop_path = (Path(str(self.path)).parent if self.path else DATA) / "stop_phrases.txt"
        stops = [line.strip() for line in open(stop_path, encoding="utf-8")
                 if line.strip() and not line.startswith("#")] if stop_path.is_file() else []
        self.stop_ = re.compile("|".join(f"(?:{p})" for p in stops), re.I) if stops else None
        self.max_len_ = max(len(k) for k in self.entries_)
        self.first_ = {k[0] for k in self.entries_}
        # every inflected surface form of every pattern, as whole words
        self.regex_ = re.compile(r"\b(?:" + "|".join(sorted(surface, key=len, reverse=True)) + r")\b", re.I)
        return self

    def may_contain(self, text: str) -> bool:
        return self.regex_.search(text) is not None

    def match(self, sent: SpacySpan) -> list[Trigger]:
        """All lexicon matches in a parsed sentence, longest first at each position, non-overlapping."""
        lemmas = [t.lemma_.lower() for t in sent]
        for k, lemma in enumerate(lemmas):
            if lemma == "march" and sent[k].text == "March" and _is_month(sent[k]):
                lemmas[k] = ""  # "on Friday, March 6" is a date, not a protest march
        if self.stop_ is not None:  # boilerplate ("did not respond to requests for comment") hides its words
            for m in self.stop_.finditer(sent.text):
                for t in sent.char_span(m.start(), m.end(), alignment_mode="expand") or []:
                    lemmas[t.i - sent.start] = ""
        out: list[Trigger] = []
        i = 0
        n = len(lemmas)
        while i < n:
            if lemmas[i] not in self.first_:
                i += 1
                continue
            found = None
            for size in range(min(self.max_len_, n - i), 0, -1):
                key = tuple(lemmas[i:i + size])
                by_pos = self.entries_.get(key)
                if not by_pos:
                    continue
                tokens = sent[i:i + size]
                head = tokens.root
                readings = self._readings(by_pos, head.pos_, size)
                if readings:
                    found = Trigger(sent.start + i, sent.start + i + size, head.i, " ".join(key), readings)
                    break
            if found:
                out.append(found)
                i = found.end - sent.start
            else:
                i += 1
        return out

    @staticmethod
    def _readings(by_pos: dict[str, list[Reading]], pos: str, size: int) -> list[Reading]:
        readings: list[Reading] = []
        for code, rs in by_pos.items():
            # multiword patterns are trusted whatever the tagger says of their head
            if size > 1 or pos in _POS.get(code, _POS["*"]):
                readings.extend(r for r in rs if r not in readings)
        return readings


class CueTable:
    """``(key, cue lemmas)`` rows, e.g. mode cues per event type or context cues."""

    def __init__(self, *, path: str | Path, key_columns: tuple[str, ...]) -> None:
        self.path = path
        self.key_columns = key_columns

    def initialize(self) -> CueTable:
        self.rows_: list[tuple[tuple[str, ...], frozenset[str]]] = []
        self.override_: set[tuple[str, ...]] = set()
        for row in _read_tsv(self.path):
            key = tuple(row[c].strip() for c in self.key_columns)
            self.rows_.append((key, frozenset(c.strip().lower() for c in row["cues"].split("|") if c.strip())))
            if (row.get("override") or "").strip() == "1":
                self.override_.add(key)
        return self

    def matches(self, lemmas: set[str], text_lower: str) -> list[tuple[str, ...]]:
        found = []
        for key, cues in self.rows_:
            for cue in cues:
                if (" " in cue and cue in text_lower) or cue in lemmas:
                    found.append(key)
                    break
        return found
