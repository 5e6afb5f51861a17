"""A faster stand-in for the English model's ``attribute_ruler``, with the same output.

The ruler maps fine-grained tags to coarse POS and morphology with 179 token patterns run through spaCy's
Matcher; in detente's parse-only pipeline it was ~13 % of the coding time. 56 of its patterns test the tag alone and
93 a word and its tag: those become dictionary lookups. The ~30 others (dependency conditions, contractions,
whitespace) still go through a Matcher. Every match is applied in the ruler's own pattern order, as the ruler does,
so the annotations are identical (``tests/test_fast_attrs.py`` compares them on text).
"""

from __future__ import annotations

from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc


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
