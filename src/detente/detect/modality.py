"""Is the event asserted, negated, hypothetical, future, or only claimed / denied by someone?

Read off the trigger's clause: negation children, modal and future auxiliaries, conditional markers, intention
verbs governing the trigger, and reporting verbs above it (whose subject becomes the claimant).
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Token

from .. import ontology
from ..schema import Modality

NEGATORS = {"not", "n't", "never", "no", "neither", "nor", "without"}
HYPOTHETICAL_AUX = {"could", "might", "may", "would", "should", "must"}
FUTURE_AUX = {"will", "shall", "'ll"}
INTENT_VERBS = {"plan", "intend", "aim", "prepare", "expect", "hope", "want", "seek", "consider", "mull", "propose"}
CONDITIONAL = {"if", "unless", "whether", "should"}
CLAIM_VERBS = {
    "say", "claim", "report", "allege", "tell", "announce", "state", "confirm", "insist", "assert", "add",
    "according", "accuse", "charge",
}
DEMAND_VERBS = {"demand", "seek", "urge", "request", "want", "ask", "press", "call", "appeal", "petition", "plead"}
ABLE_WORDS = {"able", "manage", "succeed"}
FAIL_VERBS = {"fail", "refuse", "decline"}
DENY_VERBS = {"deny", "dismiss", "refute", "reject"}
# speech acts whose content is the act itself: their own trigger is asserted
SPEECH_ACT_TYPES = ontology.types_where("speech_act")  # said, not done: no modality of their own from these verbs


@dataclass
class ModalityReading:
    modality: Modality
    cue: Token | None = None
    claimant: tuple[int, int] | None = None  # token span of the claimant phrase


def _clause_chain(tok: Token, limit: int = 5) -> list[Token]:
    chain = [tok]
    while tok.head.i != tok.i and len(chain) < limit:
        if tok.dep_ in {"ROOT"}:
            break
        tok = tok.head
        chain.append(tok)
    return chain


def read_modality(doc: Doc, head_i: int, event_type: str) -> ModalityReading:
    tok = doc[head_i]
    chain = _clause_chain(tok)
    # the trigger's own clause: itself and, for nominal triggers, the verb that governs it
    clause = [tok] + ([tok.head] if tok.pos_ in {"NOUN", "PROPN"} and tok.head.i != tok.i else [])
    # a conjunct without its own subject shares the first conjunct's clause: "they will order a lathi charge or
    # arrest us", "if there is any firing or arrests"
    first = tok
    while first.dep_ == "conj" and first.head.i != first.i and not any(
            c.dep_ in {"nsubj", "nsubjpass"} for c in first.children):
        first = first.head
    if first.i != tok.i:
        clause += [first] + ([first.head] if first.pos_ in {"NOUN", "PROPN"} and first.head.i != first.i else [])
    for t in clause:
        for c in t.children:
            if c.dep_ == "neg" or (c.lower_ in {"no"} and c.dep_ == "det"):
                return ModalityReading(Modality.negated, c)
            if c.dep_ == "aux" and c.lower_ in HYPOTHETICAL_AUX:
                return ModalityReading(Modality.hypothetical, c)
            if c.dep_ == "aux" and c.lower_ in FUTURE_AUX:
                return ModalityReading(Modality.future, c)
            if c.dep_ == "mark" and c.lower_ in CONDITIONAL:
                return ModalityReading(Modality.hypothetical, c)
    for t in chain[1:]:
        lemma = t.lemma_.lower()
        below = chain[chain.index(t) - 1]
        if lemma in DEMAND_VERBS and event_type not in SPEECH_ACT_TYPES and below.dep_ in {"dobj", "pobj", "xcomp",
                                                                                             "prep", "ccomp"}:
            return ModalityReading(Modality.hypothetical, t)  # "demanded the arrest of", "sought deployment of"
        holder = t.head if t.dep_ == "acomp" else t  # "have not been able to": the negation sits on "been"
        if lemma in ABLE_WORDS and any(c.dep_ == "neg" for c in list(t.children) + list(holder.children)):
            return ModalityReading(Modality.negated, t)  # "have not been able to arrest"
        if lemma in FAIL_VERBS and below.dep_ == "xcomp":
            return ModalityReading(Modality.negated, t)  # "failed to reach agreement", "refused to meet"
        if lemma in INTENT_VERBS and tok.dep_ in {"xcomp"} and tok.head.i == t.i:
            return ModalityReading(Modality.future, t)
        if lemma == "threaten" and event_type != "THREATEN":
            return ModalityReading(Modality.hypothetical, t)
        if lemma in DENY_VERBS and event_type not in SPEECH_ACT_TYPES:
            return ModalityReading(Modality.denied, t, _subject_span(t))
        if lemma in CLAIM_VERBS and event_type not in SPEECH_ACT_TYPES | {"CONSULT"}:
            if any(c.dep_ == "neg" for c in t.children):
                return ModalityReading(Modality.denied, t, _subject_span(t))
            span = _subject_span(t)
            if span is not None:
                return ModalityReading(Modality.claimed, t, span)
    return ModalityReading(Modality.asserted)


def _subject_span(verb: Token) -> tuple[int, int] | None:
    from .roles import phrase

    for c in verb.children:
        if c.dep_ in {"nsubj", "nsubjpass"}:
            return phrase(c)
    return None
