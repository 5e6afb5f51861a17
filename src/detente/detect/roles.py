"""Who acted on whom: source and target noun phrases from the dependency parse.

Rules, in order of trust:
* verbs: ``nsubj`` → source, ``dobj`` → target; passives swap (``nsubjpass`` → target, ``agent``/by → source);
  prepositional targets (against, on, at, with, to, into …) by event type; subjects inherited up ``xcomp``, ``conj``,
  ``acl`` and light-verb chains ("expressed a willingness to collaborate", "attacked and killed");
* nouns: possessives ("Pakistan's strikes"), actor adjectives and compounds ("Iranian strikes", "Houthi attack"),
  "by X", and the subject of a light verb that takes the noun ("launched strikes", "held talks");
* coordination splits into a list of actors (PLOVER's compound actors).

Output is token spans; resolving them to countries and sectors is ``resolve.actors``' job.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Token

from .. import ontology

SUBJ = {"nsubj", "csubj"}
PASS_SUBJ = {"nsubjpass", "csubjpass"}
OBJ = {"dobj", "obj", "dative"}
# prepositions that introduce a target, by event type ("*" = any type)
TARGET_PREPS = {
    "*": {"against", "on", "upon", "at", "into", "toward", "towards"},
    "CONSULT": {"with", "to"},
    "AGREE": {"with"},
    "COOPERATE": {"with"},
    "AID": {"to", "for"},
    "RETREAT": {"from"},
    "SUPPORT": {"for", "to"},
    "REQUEST": {"from", "to", "on"},
    "ACCUSE": {"of"},
    "THREATEN": {"with"},
    "SANCTION": {"on", "against"},
    "PROTEST": {"against", "outside"},
    "MOBILIZE": {"near", "along", "to"},
}
LIGHT_VERBS = {
    "launch", "carry", "conduct", "stage", "mount", "make", "hold", "issue", "sign", "reach", "impose", "announce",
    "begin", "start", "continue", "step", "intensify", "order", "express", "have", "give", "take", "lodge", "call",
    "join", "lead", "host", "file", "level", "hurl", "unleash", "claim", "resume", "deliver", "send", "pledge",
}
BLAME_VERBS = {"accuse", "blame", "charge", "suspect", "condemn", "hold", "fault", "convict"}
TIME_WORDS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "today", "yesterday",
              "tomorrow", "tonight", "week", "weekend", "month", "year", "morning", "evening", "night", "afternoon",
              "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
              "november", "december", "decade", "century", "day", "hour", "minute"}
ACTOR_NOUNS = {"police", "army", "military", "government", "rebel", "militant", "security", "troop", "navy",
               "regime", "junta", "coalition", "opposition", "insurgent", "militia", "state", "israeli", "cop"}


def not_actor(tok: Token) -> bool:
    """Times and numbers are never actors ("Thursday's strikes", "2024's budget")."""
    return tok.like_num or tok.tag_ == "CD" or tok.lower_ in TIME_WORDS
STOP_NOUNS = {"it", "this", "that", "which", "who", "what", "there", "here"}
BACKGROUND_PREPS = {"after", "following", "since", "before", "amid", "despite", "over", "during", "prior"}


@dataclass
class Role:
    """A participant phrase: token indices [start, end) in the doc; ``head`` its syntactic head."""

    start: int
    end: int
    head: int
    via: str  # the rule that found it: nsubj, dobj, poss, agent, prep:on, inherited, …


def phrase(tok: Token) -> tuple[int, int]:
    """The noun phrase of ``tok``: its subtree without relative clauses, conjuncts or trailing punctuation."""
    cut = {"relcl", "acl", "conj", "cc", "punct", "advcl", "appos", "case"}
    left, right = tok.i, tok.i
    stack = [tok]
    while stack:
        t = stack.pop()
        for child in t.children:
            if child.dep_ in cut and child.i > tok.i and (t.i == tok.i or child.dep_ not in {"conj", "cc"}):
                continue
            if child.dep_ in {"cc", "conj"} and t.i == tok.i:
                continue  # the head's own conjuncts are separate actors; nested ones ("leaders of A and B") stay
            if child.dep_ == "punct" and child.i < tok.i and child.i == tok.i - 1:
                continue
            left, right = min(left, child.i), max(right, child.i)
            stack.append(child)
    doc = tok.doc
    while right > left and doc[right].is_punct and doc[right].text not in ")":
        right -= 1
    while left < right and (doc[left].is_punct or doc[left].dep_ == "cc"):
        left += 1
    if doc[right].text == ")" and "(" not in doc[left:right].text:
        right -= 1
    return left, right + 1


def conjuncts(tok: Token) -> list[Token]:
    """``tok`` and the tokens coordinated with it ("Pakistan and Iran")."""
    out = [tok]
    for c in tok.conjuncts:
        if c.pos_ in {"NOUN", "PROPN", "PRON"} and c not in out:
            out.append(c)
    return sorted(out, key=lambda t: t.i)


def _roles_of(tokens: list[Token], via: str) -> list[Role]:
    roles = []
    for t in tokens:
        for c in conjuncts(t):
            if c.lower_ in STOP_NOUNS or not_actor(c):
                continue
            s, e = phrase(c)
            roles.append(Role(s, e, c.i, via))
    return roles


def _children(tok: Token, deps: set[str]) -> list[Token]:
    return [c for c in tok.children if c.dep_ in deps]


def _prep_objects(tok: Token, preps: set[str]) -> list[Token]:
    found = []
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ in preps:
            found.extend(g for g in c.children if g.dep_ == "pobj")
    return found


def _is_passive(verb: Token) -> bool:
    """Passive voice, including headline style with the auxiliary left out ("Five arrested in Lucknow"): a
    past participle heading a clause without any auxiliary cannot be active."""
    if any(c.dep_ in PASS_SUBJ or c.dep_ == "auxpass" for c in verb.children):
        return True
    return verb.tag_ == "VBN" and verb.dep_ in ("ROOT", "conj", "ccomp") and not any(
        c.dep_ in ("aux", "auxpass") for c in verb.children) and any(c.dep_ in SUBJ for c in verb.children)


def _governing_subject(tok: Token, depth: int = 0) -> list[Role]:
    """Subject inherited from the clause ``tok`` hangs in (xcomp/conj/acl/light-verb chains)."""
    if depth > 4:
        return []
    head = tok.head
    if head.i == tok.i:
        return []
    if tok.dep_ in {"xcomp", "conj", "acl", "dobj", "advcl", "pcomp", "pobj", "prep", "attr", "oprd", "ccomp"} or (
        tok.dep_ == "compound"
    ):
        if tok.dep_ == "ccomp" and head.lemma_ in {"say", "tell", "report", "claim", "announce", "state"}:
            return []  # reported speech: the speaker is not the agent of the reported act
        if head.lemma_.lower() in BLAME_VERBS and tok.dep_ in {"pcomp", "pobj", "prep"}:
            return _roles_of(_children(head, OBJ), "accused")  # "Armenia accused Azerbaijan of shelling": Azerbaijan
        if head.pos_ in {"VERB", "AUX"}:
            subj = _children(head, SUBJ)
            if subj:
                return _roles_of(subj, "inherited")
            agent = [g for c in head.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
            if agent:
                return _roles_of(agent, "inherited")
        return _governing_subject(head, depth + 1)
    return []


def find_roles(doc: Doc, head_i: int, event_type: str) -> tuple[list[Role], list[Role]]:
    """Source and target phrases for the trigger whose head token is ``doc[head_i]``."""
    tok = doc[head_i]
    preps = TARGET_PREPS["*"] | TARGET_PREPS.get(event_type, set())
    sources: list[Role] = []
    targets: list[Role] = []
    if tok.pos_ in {"VERB", "AUX"} or (tok.pos_ == "ADJ"):
        passive = _is_passive(tok)
        subj = _children(tok, SUBJ)
        psubj = _children(tok, PASS_SUBJ)
        agents = [g for c in tok.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
        if passive:
            targets += _roles_of(psubj or subj, "nsubjpass")
            sources += _roles_of(agents, "agent")
        elif tok.tag_ == "VBN" and tok.dep_ == "acl":
            # "five protesters arrested in Lucknow", "the convoy attacked by rebels": the noun it modifies
            # underwent the act
            targets += _roles_of([tok.head], "participle")
            sources += _roles_of(agents, "agent")
            passive = True
        if not passive:
            sources += _roles_of(subj, "nsubj")
        objs = _children(tok, OBJ)
        # "launched strikes on X": the object is itself the event noun; look through it for targets
        direct = [o for o in objs if o.lemma_.lower() not in {"strike", "attack", "talk", "call", "raid"}]
        targets += _roles_of(direct, "dobj")
        pobj = _prep_objects(tok, preps)
        for o in objs:
            pobj += _prep_objects(o, preps)
        if not targets:
            targets += _roles_of(pobj, "prep")
        if not targets and ontology.type_info(event_type).clause_target:
            # "demanded that President Mugabe abandon …": the one asked, accused or threatened is the clause's subject
            for clause in _children(tok, {"ccomp"}):
                targets += _roles_of(_children(clause, SUBJ | PASS_SUBJ), "clause-subject")
        if not sources and not passive:  # "expressed a willingness to collaborate": the subject above acts
            sources += _governing_subject(tok)
    else:  # nominal trigger
        poss = _children(tok, {"poss"})
        sources += _roles_of(poss, "poss")
        for c in tok.children:
            if c.dep_ in {"amod", "compound", "nmod"} and c.i < tok.i and (
                    (c.pos_ in {"PROPN", "ADJ"} and c.text[:1].isupper()) or c.lower_ in ACTOR_NOUNS):
                sources += _roles_of([c], "modifier")  # "Iranian strikes", "Houthi attack", "police firing"
        by = _prep_objects(tok, {"by"})
        if not sources:
            sources += _roles_of(by, "agent")
        if not sources and tok.dep_ in OBJ and tok.head.lemma_.lower() in LIGHT_VERBS:
            # "the prime minister held a meeting of the security council": the holder acts
            subj = _children(tok.head, SUBJ)
            sources += _roles_of(subj, "light-verb") if subj else _governing_subject(tok.head)
        of = _prep_objects(tok, {"of"})
        if of and ontology.type_info(event_type).of_role == "source":
            if sources:
                targets += _roles_of(of, "of")
            else:
                sources += _roles_of(of, "of")  # "a meeting of the security committee"
        elif of and ontology.type_info(event_type).of_role == "target":
            targets += _roles_of(of, "of")  # "the killing of two protesters"
        if tok.dep_ in SUBJ and tok.head.lemma_ == "be":  # "Tehran's strikes were against militants"
            targets += _roles_of(_prep_objects(tok.head, preps), "copula")
            if tok.lemma_.lower() == "target":  # "Islamabad's targets were bases of the BLF"
                targets += _roles_of(_children(tok.head, {"attr"}), "copula")
        targets += _roles_of(_prep_objects(tok, preps | {"between"} if event_type == "CONSULT" else preps), "prep")
        if tok.dep_ in OBJ and tok.head.lemma_.lower() in LIGHT_VERBS and not targets:
            targets += _roles_of(_prep_objects(tok.head, preps), "prep")  # "launched strikes on X"
        if not sources and tok.dep_ not in {"nsubj", "nsubjpass"}:
            sources += _governing_subject(tok)
    # an actor is never its own target phrase
    src_heads = {r.head for r in sources}
    targets = [r for r in targets if r.head not in src_heads]
    return _dedup(sources), _dedup(targets)


def _dedup(roles: list[Role]) -> list[Role]:
    seen: set[tuple[int, int]] = set()
    out = []
    for r in roles:
        if (r.start, r.end) not in seen:
            seen.add((r.start, r.end))
            out.append(r)
    return out


def is_background(doc: Doc, head_i: int) -> bool:
    """A nominal trigger mentioned as circumstance of another clause ("following recent strikes", "since the
    war") rather than reported as an act in this sentence."""
    tok = doc[head_i]
    if tok.pos_ not in {"NOUN", "PROPN"}:
        return False
    if any(c.dep_ == "poss" for c in tok.children):
        return False  # "after Pakistan's strikes": an act with its actor, worth keeping
    while tok.dep_ == "conj" and tok.head.i != tok.i:  # "following drone and missile strikes"
        tok = tok.head
    head = tok.head
    if tok.dep_ == "pobj" and head.lower_ in BACKGROUND_PREPS:
        return True
    # "following recent strikes" parsed as a participle taking the noun as object
    return tok.dep_ == "dobj" and head.lemma_.lower() in {"follow", "precede"} and head.dep_ in {"prep", "advcl", "acl"}
