"""``EventDetector``: parsed sentence in, event mentions out (type, mode, context, roles, modality).

It only reads the spaCy ``Doc`` it is given and returns plain records; resolving roles to actors, dates, places
and tolls is the coder's next step (``detente.coder``).
"""

from __future__ import annotations

import dataclasses

from dataclasses import dataclass, field
from pathlib import Path

from spacy.tokens import Doc, Span as SpacySpan

from .. import ontology
from ..errors import DetenteError
from .classifier import NONE, Candidate, TypeClassifier, cue_families, load_classifier
from ..schema import Modality
from .modality import ModalityReading, read_modality
from .roles import Role, find_roles, is_background
from .triggers import DATA, CueTable, Reading, Trigger, TriggerLexicon

REPORTING_VERBS = {"say", "note", "tell", "state", "add", "declare", "stress", "insist", "argue", "write", "announce",
                   "claim", "report", "warn", "suggest", "remark"}
DESCRIPTIVE_MIN = 0.6  # type probability needed by a trigger inside a relative clause or noun-modifying participle
REFERENCE_MIN = 0.08
ROOT_DISCOUNT = 0.8  # an event the model reads with no trigger word of its type: confidence discounted


@dataclass
class Mention:
    """One event mention in a sentence doc (token indices into ``doc``)."""

    doc: Doc
    trigger: Trigger
    event_type: str
    type_confidence: float
    mode: str | None
    context: list[str]
    sources: list[Role]
    targets: list[Role]
    modality: ModalityReading
    background: bool
    alternatives: list[tuple[str, float]] = field(default_factory=list)
    speaker: list[Role] = field(default_factory=list)  # for speech acts: who said it (source when none resolves)
    reference: bool = False  # a back-reference to an event (may add its date/toll/place), never an event alone
    tagged_sources: list[Role] = field(default_factory=list)  # the event model's phrases (model_roles "prefer")
    tagged_targets: list[Role] = field(default_factory=list)


class EventDetector:
    """Trigger candidates → classifier → roles, mode, context and modality.

    Parameters
    ----------
    min_confidence:
        A candidate becomes an event when its best non-NONE type has at least this probability.
    """

    def __init__(self, *, min_confidence: float = 0.35, model_path: str | Path | None = None,
                 lexicon_path: str | Path | None = None, model_weight: float = 0.5, root_min: float = 1.01,
                 model_roles: str = "off") -> None:
        self.min_confidence = min_confidence
        self.model_roles = model_roles
        self.model_weight = model_weight
        self.root_min = root_min  # above 1: never
        self.model_path = model_path
        self.lexicon_path = lexicon_path

    def initialize(self) -> EventDetector:
        self.lexicon_ = TriggerLexicon(path=self.lexicon_path).initialize()
        self.modes_ = CueTable(path=DATA / "mode_cues.tsv", key_columns=("event_type", "mode")).initialize()
        self._validate()
        self._cue_cache: dict[str, tuple[list[tuple[str, ...]], list[str]]] = {}
        self.contexts_ = CueTable(path=DATA / "context_cues.tsv", key_columns=("context",)).initialize()
        self.classifier_: TypeClassifier | None
        try:
            self.classifier_ = load_classifier(str(self.model_path) if self.model_path else None)
        except DetenteError as exc:  # no trained model file at all: the lexicon alone (documented); a model that
            if exc.code != "E003":  # is there but does not fit is an error at start-up, never a silent fallback
                raise
            self.classifier_ = None
        return self

    def _validate(self) -> None:
        """Every type and mode in the lexicon and the cue tables must be PLOVER's (E600/E601 name the culprit)."""
        for by_pos in self.lexicon_.entries_.values():
            for readings in by_pos.values():
                for r in readings:
                    ontology.validate(r.event_type, r.mode)
        for (event_type, mode), _ in self.modes_.rows_:
            ontology.validate(event_type, mode)

    # -- find ------------------------------------------------------------------------------------------------
    def candidates(self, doc: Doc) -> list[tuple[SpacySpan, Trigger, Candidate]]:
        out = []
        for sent in doc.sents:
            for trig in self.lexicon_.match(sent):
                out.append((sent, trig, make_candidate(doc, sent, trig)))
        return out

    def __call__(self, doc: Doc) -> list[Mention]:
        return self.detect(doc)

    def detect(self, doc: Doc) -> list[Mention]:
        return self.detect_many([doc])[0]

    def detect_many(self, docs: list[Doc], *, ner=None, readings: list | None = None) -> list[list[Mention]]:
        """Mentions for each doc; the classifier sees every candidate of every doc in one batch.

        ``ner``: a spaCy NER component to run on the docs that hold an event only (the docs were parsed without
        it: named entities are needed for roles and places, not for finding and typing events).
        ``readings``: the event model's reading of each doc's sentence in context (``detect.event_model``); where
        given, it decides each candidate's type and whether it is an event at all.
        """
        accepted = self.accept_many(docs, readings=readings)
        if ner is not None:
            with_events = [doc for doc, acc in zip(docs, accepted) if acc]
            for _ in ner.pipe(with_events):
                pass
        out = []
        for d_i, (doc, acc) in enumerate(zip(docs, accepted)):
            mentions = [self._build(doc, *a) for a in acc]
            reading = readings[d_i] if readings is not None else None
            if reading is not None and self.model_roles != "off":
                mentions = [model_roles(m, doc, reading, self.model_roles, len(mentions)) for m in mentions]
            out.append(mentions)
        return out

    def accept_many(self, docs: list[Doc], *, readings: list | None = None) -> list[list[tuple]]:
        """The candidates that are events, per doc: (sentence, trigger, type, probability, background, ranked)."""
        per_doc = [self.candidates(doc) for doc in docs]
        flat = [c for cands in per_doc for _, _, c in cands]
        probs = self.classifier_.predict_proba(flat) if self.classifier_ and flat else None
        out, row = [], 0
        for d_i, (doc, cands) in enumerate(zip(docs, per_doc)):
            acc = []
            reading = readings[d_i] if readings is not None else None
            for sent, trig, cand in cands:
                ranked = self._rank(trig, cand, probs[row] if probs is not None else None)
                row += 1
                ranked = _strike_sense(doc, trig, cand, ranked)
                if reading is not None:
                    ranked = _read_in_context(reading, cand, ranked, self.model_weight)
                if not ranked or cand.background:
                    continue  # "following recent strikes": circumstance of another act, not reported here
                floor = max(self.min_confidence, DESCRIPTIVE_MIN) if _descriptive(doc, trig.head) else \
                    self.min_confidence
                if ranked[0][0] != NONE and ranked[0][1] >= floor:
                    acc.append((sent, trig, ranked[0][0], ranked[0][1], cand.background, ranked[1:4], False))
                    continue
                # not a new event, but maybe a back-reference that dates or counts one ("Thursday's strikes
                # resulted in nine fatalities"): kept as a reference, which can only enrich an event already coded
                ref = next(((t, p) for t, p in ranked if t != NONE and ontology.type_info(t).material and t in cand.readings), None)
                if ref and ref[1] >= REFERENCE_MIN:
                    acc.append((sent, trig, ref[0], ref[1], cand.background, [], True))
            if reading is not None:
                acc += _unmatched_readings(doc, reading, acc, self.root_min)
            out.append(acc)
        return out

    def _sentence_cues(self, sent) -> tuple[list[tuple[str, ...]], list[str]]:
        """Mode cue rows and contexts of a sentence, computed once per sentence."""
        key = sent.text
        cached = self._cue_cache.get(key)
        if cached is None:
            lemmas = {t.lemma_.lower() for t in sent}
            text_lower = sent.text.lower()
            cached = (self.modes_.matches(lemmas, text_lower),
                      [k[0] for k in self.contexts_.matches(lemmas, text_lower)])
            if len(self._cue_cache) > 4096:
                self._cue_cache.clear()
            self._cue_cache[key] = cached
        return cached

    def _rank(self, trig: Trigger, cand: Candidate, probs) -> list[tuple[str, float]]:
        if probs is None:  # lexicon only: the first reading, with a modest confidence
            return [(trig.readings[0].event_type, 0.5)] if trig.readings else []
        classes = self.classifier_.classes_
        return sorted(((classes[i], float(p)) for i, p in enumerate(probs)), key=lambda x: -x[1])

    def _build(self, doc: Doc, sent, trig, etype: str, conf: float, background: bool, alternatives,
               reference: bool = False) -> Mention:
        sources, targets = find_roles(doc, trig.head, etype)
        speaker = _reporting_subject(doc, trig.head)
        mode_keys, context = self._sentence_cues(sent)
        mode = next((r.mode for r in trig.readings if r.event_type == etype and r.mode), None)
        for key in mode_keys:
            if key[0] == etype and (mode is None or key in self.modes_.override_):
                mode = key[1]  # the first matching cue row; an override row beats the trigger's own mode
                break
        if (etype == "ACCUSE" and speaker and doc[trig.head].pos_ in {"NOUN", "PROPN"}
                and sources and all(r.via == "poss" for r in sources)):
            # "… noted that the clashes indicate Iran's regional unpopularity": the speaker criticises the possessor
            targets, sources = sources, speaker
        modality = read_modality(doc, trig.head, etype)
        mention = Mention(doc, trig, etype, conf, mode, context, sources, targets, modality, background,
                          list(alternatives), speaker if ontology.type_info(etype).speech_act else [], reference)
        return convert_intent(mention, speaker)


ROLE_MIN = 0.5  # a word piece's tag probability for the model's source or target phrase to count


def model_roles(m: Mention, doc: Doc, reading, policy: str, n_mentions: int) -> Mention:
    """The event model's source and target phrases (``EventModel`` tags them for the sentence's event) in place of
    the parse rules' (``policy`` "prefer": where the model tags a side; "fill": only where the rules found none).
    The tags describe the sentence's main event, so a mention of another type in a sentence with several keeps its
    rules' roles unless they are empty. A phrase that holds the trigger is not a participant."""
    def roles(side: str) -> list[Role]:
        out = []
        for r in reading.spans(side, ROLE_MIN):
            span = doc.char_span(r.start, r.end, alignment_mode="expand")
            if span is None or span.start < m.trigger.end and m.trigger.start < span.end:
                continue
            out.append(Role(span.start, span.end, span.root.i, "model"))
        return out

    tagged_src, tagged_tgt = roles("source"), roles("target")
    main = n_mentions == 1 or reading.best()[0] == m.event_type
    sources, targets = m.sources or tagged_src, m.targets or tagged_tgt
    if policy == "prefer" and main:  # the coder tries the tagged phrases first, the rules' where they name no one
        return dataclasses.replace(m, sources=sources, targets=targets, tagged_sources=tagged_src,
                                   tagged_targets=tagged_tgt)
    if sources is m.sources and targets is m.targets:
        return m
    return dataclasses.replace(m, sources=sources, targets=targets)


def _unmatched_readings(doc: Doc, reading, accepted: list[tuple], floor: float) -> list[tuple]:
    """An event the model reads in a sentence with no trigger of its type (no lexicon word for it: "the two sides
    exchanged fire", "hit the convoy with rockets"): anchored on the sentence's main verb — for a material act
    reported by a speaker ("…, the group said"), on the reported clause's verb — with the model's probability
    discounted for the missing trigger (``ROOT_DISCOUNT``). One such event per sentence, never on a token that is
    already a trigger."""
    found = {a[2] for a in accepted if not a[6]}
    sent = next(iter(doc.sents), None)  # a job is one sentence
    if sent is None:
        return []
    for etype, p in sorted(reading.types.items(), key=lambda kv: -kv[1]):
        if p < floor:
            break
        if etype in found:
            continue
        anchor = sent.root
        if anchor.lemma_.lower() in REPORTING_VERBS and ontology.quad_class(etype) in (2, 4):
            anchor = next((c for c in anchor.children if c.dep_ in ("ccomp", "parataxis") and c.pos_ in
                           ("VERB", "AUX")), None)
        if anchor is None or anchor.pos_ not in ("VERB", "AUX") or any(
                a[1].start <= anchor.i < a[1].end for a in accepted):
            continue
        trig = Trigger(anchor.i, anchor.i + 1, anchor.i, "(event model)", [Reading(etype, None)])
        return [(sent, trig, etype, p * ROOT_DISCOUNT, is_background(doc, anchor.i), [], False)]
    return []


def _read_in_context(reading, cand: Candidate, ranked: list[tuple[str, float]],
                     w: float) -> list[tuple[str, float]]:
    """The event model reads the sentence in context: of the types this trigger can carry (its lexicon readings and
    the word classifier's best guess), each scores ``w`` × the model's probability + (1 − ``w``) × the word
    classifier's. A trigger whose senses the model finds improbable in context ("fired critics", "released a
    statement") ranks low and is no event; where the model is unsure, the trigger's own classifier still counts."""
    types = set(cand.readings)
    word = dict(ranked)
    if ranked and ranked[0][0] != NONE:
        types.add(ranked[0][0])
    return sorted(((t, w * reading.types.get(t, 0.0) + (1 - w) * word.get(t, 0.0)) for t in types),
                  key=lambda x: -x[1]) or [(NONE, 1.0)]


def _strike_sense(doc: Doc, trig: Trigger, cand: Candidate, ranked: list[tuple[str, float]]):
    """"Strike" is a labour strike or a military one. With no labour word in the sentence, a state possessor
    ("Pakistan's strikes in Iran") or words of violence ("strikes … nine fatalities") settle it as ASSAULT; the
    PROTEST probability then goes to ASSAULT."""
    readings = set(cand.readings)
    if not {"ASSAULT", "PROTEST"} <= readings or not ranked:
        return ranked
    fams = {name for name, rx in cue_families() if rx.search(cand.sentence)}
    if "labour" in fams:
        return ranked
    head = doc[trig.head]
    state_possessor = any(c.dep_ in ("poss", "compound", "amod") and c.pos_ in ("PROPN", "ADJ") and c.text[:1].isupper()
                          for c in head.children)
    if not (state_possessor or fams & {"casualty", "weapon", "military"}):
        return ranked
    p = dict(ranked)
    p["ASSAULT"] = p.get("ASSAULT", 0.0) + p.pop("PROTEST", 0.0)
    return sorted(p.items(), key=lambda x: -x[1])


def _descriptive(doc: Doc, head_i: int) -> bool:
    """Inside a relative clause or a participle describing a noun ("the Forum, which he left early", "the EU,
    which deploys monitors"): background description more often than a reported act."""
    tok = doc[head_i]
    for _ in range(6):
        if tok.dep_ in ("relcl", "acl"):
            return True
        if tok.head.i == tok.i:
            return False
        tok = tok.head
    return False


def make_candidate(doc: Doc, sent: SpacySpan, trig: Trigger) -> Candidate:
    lo = max(sent.start, trig.start - 3)
    hi = min(sent.end, trig.end + 3)
    head = doc[trig.head]
    return Candidate(
        sentence=sent.text,
        window=doc[lo:hi].text,
        readings=tuple(dict.fromkeys(r.event_type for r in trig.readings)),
        verbal=head.pos_ in {"VERB", "AUX"},
        background=is_background(doc, trig.head),
    )


def _reporting_subject(doc: Doc, head_i: int) -> list[Role]:
    """The speaker when the trigger sits in the content clause of a reporting verb ("X noted that …")."""
    from .roles import _roles_of

    tok = doc[head_i]
    for _ in range(4):
        if tok.head.i == tok.i:
            return []
        if tok.dep_ in {"ccomp", "advcl", "xcomp", "conj"} and tok.head.lemma_.lower() in REPORTING_VERBS:
            subj = [c for c in tok.head.children if c.dep_ in {"nsubj", "nsubjpass"}]
            return _roles_of(subj, "speaker")
        tok = tok.head
    return []


COMMIT_VERBS = {"vow", "pledge", "promise", "threaten", "warn", "offer", "agree", "commit"}


def convert_intent(m: Mention, speaker: list[Role]) -> Mention:
    """PLOVER codes a stated intention as the speech act it is, not as the act announced:

    * a future or conditional conflictual act announced by its actor ("they would blockade Paris", "will boycott
      the elections unless …", "threatened to strike") → THREATEN;
    * a future cooperative act announced by its actor ("the rebels said they will release the hostages",
      "pledged to withdraw") → AGREE;
    * a refused or failed cooperative act ("failed to reach agreement", "said it would not meet") → REJECT;
    * "X said Y must …" → REQUEST by X of Y.
    The result is asserted: the threat, promise or refusal happened.
    """
    doc = m.doc
    head = doc[m.trigger.head]
    announced = bool(speaker) or any(t.lemma_.lower() in COMMIT_VERBS for t in head.ancestors)
    modality = m.modality.modality
    aux = {c.lower_ for c in head.children if c.dep_ == "aux"}
    new_type = None
    if modality in (Modality.future, Modality.hypothetical) and announced:
        if aux & {"must", "should"} and speaker:
            new_type, m.mode = "REQUEST", None
            m.targets, m.sources = m.sources or m.targets, speaker
        elif ontology.quad_class(m.event_type) == 4:  # material conflict announced
            new_type = "THREATEN"
            m.mode = ontology.type_info(m.event_type).threat_mode
        elif ontology.quad_class(m.event_type) in (1, 2) and m.event_type != "AGREE":  # cooperation announced
            new_type, m.mode = "AGREE", None
    elif modality == Modality.negated and ontology.quad_class(m.event_type) in (1, 2) and (
            announced or (m.modality.cue is not None and m.modality.cue.lemma_.lower() in {"fail", "refuse", "decline"})):
        new_type, m.mode = "REJECT", None
    if new_type:
        m.event_type = new_type
        m.modality = ModalityReading(Modality.asserted)
        if not m.sources and speaker:
            m.sources = speaker
    return m
