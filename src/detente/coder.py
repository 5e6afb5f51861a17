"""``Coder``: Article → events. A pure function of the article and the loaded resources.

annotate (rule sentence split; full spaCy parse of candidate sentences only) → detect (triggers, classifier, roles,
modality) → resolve (actors, dates, places, tolls) → merge mentions of the same event within the article → Events.

>>> from detente.schema import Article
>>> coder = Coder()
>>> coded = coder.code(Article(text="Israeli troops shot dead two Palestinians in Jenin on Monday.",
...                            published="2024-03-06T00:00:00Z"))
>>> [(e.event_type, e.actor[0].country) for e in coded.events]
[('ASSAULT', 'ISR')]
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import itertools
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from . import ontology
from .annotate import case_view, load_nlp, same_length_lower, speed_up, split_sentences
from .detect.acled import MAPPABLE as MAPPABLE_ACLED
from .detect.detector import EventDetector, Mention
from .detect.event_model import DEFAULT_MIN_CONFIDENCE, context_of
from .detect.embed import vocabulary
from .detect.hazards import Hazard, find_hazard, hazard_is_agent
from .detect.roles import Role
from .errors import DetenteError
from .merge import (
    MATERIAL_CONFLICT,
    combine,
    compatible,
    countries,
    has_actor,
    merge_mentions,
    unattributed_ok,
)
from .resolve.actors import ActorResolver
from .resolve.dates import event_date, find_dates
from .resolve.places import PlaceResolver
from .resolve.tolls import find_tolls
from .resolve.toponyms import LOCATIVE_PREPS, chain_head, place_in, toponym_chains
from .schema import (
    Article,
    CodedArticle,
    Entity,
    Event,
    Evidence,
    Incident,
    Place,
    Span,
    Toll,
    When,
)

PRONOUNS = {"he", "she", "they", "it", "we", "i", "his", "her", "their", "its"}
# "since 2020", "until March", "by the end of the year": the edge of a period, not the date of an event
BOUNDARY_BEFORE = re.compile(r"\b(?:since|until|till|by|before|through|throughout|for)\s+(?:the\s+)?$", re.I)
ATTRIBUTIVE_AFTER = re.compile(r"^[\s-]+(?!and\b|or\b|to\b|in\b|on\b|at\b|when\b|after\b|before\b)[a-z]")
PAIR_WORDS = re.compile(r"^(?:the )?(?:both|two) (?:nations|countries|sides|neighbou?rs|governments|states)$"
                        r"|^(?:both|each other)$", re.I)
INTERNATIONAL = {"IGO", "NGO", "UNO", "EUR", "MNC", "ISM", "IMG"}
PROMINENCE = (1.0, 0.9, 0.8, 0.7)  # event confidence factor by the trigger's depth below the sentence root
SUBJECT_DEPS = {"nsubj", "nsubjpass", "csubj", "agent", "expl"}
PRECISION_RANK = {"point": 0, "city": 1, "admin1": 2, "country": 3}
DOMESTIC_SECTORS = {"COP", "JUD", "LEG"}
LOCAL_SECTORS = DOMESTIC_SECTORS | {"PRT", "CVL", "LAB", "JRN", "OPP", "EDU", "MED", "REL", "BUS", "REF", "MIL", "GOV"}
APPEAL_TO_PARTIES = re.compile(r"\b(?:restraint|calm|de-?escalat\w*|ceasefire|cease-fire|truce)\b", re.I)
NO_COUNTRY_SECTORS = {"IGO", "NGO"}
UNCLAIMED_FACTOR = 0.8  # an attack or arrest whose victims are named and whose author is not: reported that way
IMPLICIT_SHARE = 0.5  # chosen on the real-news train split against 0.8 (docs/model.md)
STATE_SECTORS = {None, "GOV", "MIL", "COP", "CVL", "JUD", "LEG"}  # recipients whose country is where the act happened


_WORD = re.compile(r"[^\W\d_]+")
_SUFFIXES = ("s", "es", "ed", "d", "ing", "ly", "er", "ers", "ies", "ment", "ments")
_CALENDAR = frozenset("january february april june july august september october november december "  # not "may", "march"
                      "monday tuesday wednesday thursday friday saturday sunday".split())


class CoderConfig(BaseModel):
    """Settings of the coder, checked in one place (a mistyped key is an error naming the field)."""

    model_config = ConfigDict(extra="forbid")

    min_confidence: float = Field(DEFAULT_MIN_CONFIDENCE, ge=0, le=1, description="events whose confidence is below "
                                  "this are left out (0 keeps every event); the default is chosen from the precision "
                                  "curve of the real-news dev split (docs/model.md)")
    type_min: float = Field(0.35, ge=0, le=1, description="minimum type probability for a trigger to be an event")
    event_model: bool | None = Field(None, description="read every sentence in context with the learned event model "
                                     "(detect.event_model), which decides which sentences are parsed and each "
                                     "trigger's type; None: when the model is shipped")
    model_weight: float = Field(0.5, ge=0, le=1, description="with the event model: a trigger's type probability is "
                                "this share of the model's reading of the sentence in context and the rest of the "
                                "word classifier's (docs/model.md)")
    root_min: float = Field(0.7, ge=0, le=1.01, description="with the event model: a type the model reads in a "
                            "sentence with at least this probability, and no trigger of that type, becomes an event "
                            "on the sentence's main verb (above 1: never)")
    model_roles: Literal["off", "fill", "prefer"] = Field("fill", description="with the event model: the phrases it "
                                                          "tags as source and target — 'fill' the roles the parse "
                                                          "rules leave empty, 'prefer' them to the rules' (the "
                                                          "rules remain where the model tags nothing), or 'off'")
    parse_min: float = Field(0.2, ge=0, le=1, description="with the event model: parse a sentence when some type has "
                             "at least this probability (or it reports a disaster)")
    batch_size: int = Field(64, ge=1, description="sentences per spaCy batch")
    actors: list[Path] = Field(default_factory=list, description="extra actor dictionaries (CSV/TSV/JSONL)")
    keep_actorless: bool = Field(False, description="keep events with no resolved actor or recipient")
    merge_mentions: bool = Field(True, description="merge mentions of the same event within an article")
    minilm: bool | None = Field(None, description="ACLED sub-event typing with the MiniLM encoder where the fast "
                                "model is unsure; None: when its weights are installed")
    minilm_below: float = Field(0.5, ge=0, le=1, description="ask MiniLM when the fast (model2vec) ACLED model's "
                                "best probability is below this (1 = for every event, 0 = never)")
    minilm_per_article: int = Field(2, ge=0, description="at most this many sentences per article are re-read by "
                                    "MiniLM, the least sure first: a bound on its cost for event-dense articles")


class Coder:
    """Code articles into PLOVER events.

    Parameters
    ----------
    config:
        A ``CoderConfig``; keyword arguments override its fields (``Coder(min_confidence=0.5)``).
    """

    def __init__(self, *, config: CoderConfig | None = None, **overrides) -> None:
        base = (config or CoderConfig()).model_dump()
        base.update(overrides)
        self.config = CoderConfig(**base)
        self._ready = False

    def initialize(self) -> Coder:
        if self._ready:
            return self
        # candidate sentences are parsed without NER (45 % of the pipeline's time): roles and places are read off
        # the parse, the actor tables and the gazetteer instead
        self.nlp_ = speed_up(load_nlp(disable=("ner",)))  # same annotations, faster (annotate.speed_up)
        self.detector_ = EventDetector(min_confidence=self.config.type_min,
                                       model_weight=self.config.model_weight,
                                       root_min=self.config.root_min,
                                       model_roles=self.config.model_roles).initialize()
        self.events_ = None
        if self.config.event_model is not False:
            from .detect.event_model import load_event_model, shipped

            if self.config.event_model or shipped():
                self.events_ = load_event_model()  # a broken model file is an error here, never a silent fallback
        self.places_ = PlaceResolver().initialize()
        # one gazetteer for places and for the places inside institution names ("Shanghai police")
        self.actors_ = ActorResolver(extra_paths=self.config.actors, gazetteer=self.places_.gaz).initialize()
        try:
            from .detect.acled import load_acled_classifier

            self.acled_ = load_acled_classifier(use_minilm=False)
            self.acled_accurate_ = None
            if self.config.minilm is not False and self.config.minilm_below > 0 and self.config.minilm_per_article:
                accurate = load_acled_classifier(use_minilm=self.config.minilm)
                self.acled_accurate_ = accurate if accurate.encoder_ == "minilm" else None
                if self.acled_accurate_ is not None:
                    from .detect.minilm import load_minilm

                    load_minilm()  # the weights load with the coder, not inside the first batch
        except DetenteError:  # no trained ACLED model shipped (or MiniLM asked for and missing): rules alone
            if self.config.minilm:
                raise
            self.acled_ = self.acled_accurate_ = None
        self._ready = True
        return self

    ASSEMBLY_SETTINGS = frozenset({"keep_actorless", "merge_mentions", "min_confidence", "parse_min"})

    def with_config(self, **overrides) -> Coder:
        """The same coder with other settings read per batch (``keep_actorless``, ``merge_mentions``,
        ``min_confidence``, ``parse_min``), sharing this one's loaded models: the eval suite reads CASE snippets with
        unattributed events kept, and with no output threshold, without a second load."""
        unknown = set(overrides) - self.ASSEMBLY_SETTINGS
        if unknown:
            raise ValueError(f"with_config changes only {sorted(self.ASSEMBLY_SETTINGS)}, not {sorted(unknown)}")
        self.initialize()
        clone = copy.copy(self)
        clone.config = self.config.model_copy(update=overrides)
        return clone

    @property
    def trained_ids(self) -> frozenset[str]:
        """Ids of gold records the shipped classifier was trained on (eval leaves them out)."""
        self.initialize()
        clf = self.detector_.classifier_
        ids = clf.trained_ids_ if clf is not None else frozenset()
        return ids | (self.events_.trained_ids_ if self.events_ is not None else frozenset())

    # -- public API --------------------------------------------------------------------------------------------
    def code(self, article: Article) -> CodedArticle:
        return next(iter(self.pipe([article])))

    def pipe(self, articles: Iterable[Article], *, batch_size: int = 32) -> Iterator[CodedArticle]:
        """Code articles in batches (spaCy sees the candidate sentences of ``batch_size`` articles at once)."""
        self.initialize()
        it = iter(articles)
        while batch := list(itertools.islice(it, batch_size)):
            yield from self._code_batch(batch)

    # -- internals --------------------------------------------------------------------------------------------
    def _code_batch(self, originals: list[Article]) -> list[CodedArticle]:
        # all-capitals text (wire archives, telex) is read through a same-length copy in ordinary case
        views = [case_view(a.text, names=self._name_spans) for a in originals]
        articles = [a if v is None else a.model_copy(update={"text": v}) for a, v in zip(originals, views)]
        jobs: list[tuple[int, int, int]] = []  # (article index, sentence start, sentence end)
        hazards: dict[int, dict[int, Hazard]] = {}  # article index → sentence start → the disaster it reports
        sentences = [(a_i, s, e, i, spans) for a_i, art in enumerate(articles)
                     for spans in [split_sentences(art.text)] for i, (s, e) in enumerate(spans)]
        readings = None
        if self.events_ is not None:  # the model reads every sentence in context before anything is ruled out
            readings = self.events_.read([articles[a].text[s:e] for a, s, e, _, _ in sentences],
                                         [context_of(articles[a].title, articles[a].text, spans, i)
                                          for a, _, _, i, spans in sentences])
        job_readings = []
        for n, (a_i, s, e, _, _) in enumerate(sentences):
            text = articles[a_i].text[s:e]
            hazard = find_hazard(text)
            if hazard is not None:
                hazards.setdefault(a_i, {})[s] = hazard
            if readings is not None:
                wanted = readings[n].best()[1] >= self.config.parse_min
            else:
                wanted = self.detector_.lexicon_.may_contain(text)
            if hazard is not None or wanted:
                jobs.append((a_i, s, e))  # a disaster's sentence is parsed for its places
                job_readings.append(readings[n] if readings is not None else None)
        texts = [articles[a].text[s:e] for a, s, e in jobs]
        docs = list(self.nlp_.pipe(texts, batch_size=self.config.batch_size))
        mentions = self.detector_.detect_many(docs, readings=job_readings if readings is not None else None)
        per_article: dict[int, list[tuple[int, object, list[Mention]]]] = {}
        for (a_i, s, _), doc, found in zip(jobs, docs, mentions):
            per_article.setdefault(a_i, []).append((s, doc, found))
        coded = [self._assemble(art, per_article.get(i, []), hazards.get(i, {})) for i, art in enumerate(articles)]
        self._acled(coded)
        for c, original, view in zip(coded, originals, views):
            if view is not None:
                c.article = original
                _quote_original(c, original.text, same_length_lower(original.text))
        return coded

    def _predicate_target(self, doc, m: Mention, actor: list[Entity], offset: int,
                          on: dt.date | None) -> list[Entity]:
        """Knowledge-base actors named in the trigger's predicate (its subtree, or the subtree of the light verb
        that takes a nominal trigger), outside the source phrases and of another country than the actor's: the
        first one and those coordinated with it ("to the United States and Israel")."""
        head = doc[m.trigger.head]
        if head.pos_ not in ("VERB", "AUX") and head.dep_ in ("dobj", "obj") and head.head.pos_ == "VERB":
            head = head.head  # "issued an ultimatum to Ecuador"
        lo, hi = head.left_edge.i, head.right_edge.i + 1
        skip = [(r.start, r.end) for r in m.sources] + [(m.trigger.start, m.trigger.end)]
        for c in head.children:
            if c.dep_ in SUBJECT_DEPS:
                skip.append((c.left_edge.i, c.right_edge.i + 1))
        own = {e.country for e in actor if e.country}
        span = doc[lo:hi]
        found = [e for e in self.actors_.find(span.text, offset=offset + span.start_char, on=on)
                 if e.country and e.country not in own and e.span is not None]
        out: list[Entity] = []
        for e in found:
            start_tok = next((t.i for t in span if offset + t.idx >= e.span.start), None)
            if start_tok is None or any(a <= start_tok < b for a, b in skip):
                continue
            if out:
                gap = doc.text[out[-1].span.end - offset:e.span.start - offset]
                if not re.fullmatch(r"\s*(?:,|and|as well as|,\s*and)?\s*(?:the\s+)?", gap):
                    break
            out.append(e.model_copy(update={"confidence": round(e.confidence * 0.7, 3)}))
        return out

    def _name_spans(self, text: str) -> list[tuple[int, int]]:
        """Where the names are in lower-cased text: what the actor knowledge base finds, and words of three
        letters or more that are not common English words (not in the embeddings' vocabulary, nor once a
        plural or verb ending is taken off): "cerezo", "fmln", "farabundo"; and month and weekday names."""
        spans = [(e.span.start, e.span.end) for e in self.actors_.find(text) if e.span is not None]
        common = vocabulary()
        for m in _WORD.finditer(text):
            w = m.group(0)
            if w in _CALENDAR or len(w) >= 3 and w not in common and not any(
                    w.endswith(suf) and w[:-len(suf)] in common for suf in _SUFFIXES):
                spans.append((m.start(), m.end()))
        return spans

    def _acled(self, coded: list[CodedArticle]) -> None:
        """ACLED event/sub-event types from the learned classifiers (one batch call each), where they are confident;
        the ontology's rules otherwise. The fast model reads every event; MiniLM re-reads those it is unsure of
        (best probability below ``minilm_below``; at most ``minilm_per_article`` sentences of an article, the least
        sure first): the accurate encoder where it pays, at a bounded cost (docs/detect.md)."""
        if self.acled_ is None:
            return
        events = [e for c in coded for e in c.events]
        if not events:
            return
        article_of = [i for i, c in enumerate(coded) for _ in c.events]
        texts = [e.evidence.text for e in events]
        # the rules' "not an ACLED event" (ordinary crime, disaster relief) stands: the classifier only types ACLED
        # events ("NONE")
        excluded = ontology.not_acled_contexts()
        types = ["NONE" if e.event_type in MAPPABLE_ACLED and e.acled_type is None and excluded & set(e.context)
                 else e.event_type for e in events]
        ruled_out = [ontology.acled_conventions(e.mode, actor_sectors=[a.sector for a in e.actor],
                                                recipient_sectors=[r.sector for r in e.recipient]) for e in events]
        preds = self.acled_.predict(texts, types, ruled_out=ruled_out)
        if self.acled_accurate_ is not None:
            unsure = sorted((i for i, p in enumerate(preds) if types[i] in MAPPABLE_ACLED
                             and (p is None or p[2] < self.config.minilm_below)),
                            key=lambda i: preds[i][2] if preds[i] else 0.0)
            budget: dict[int, set[str]] = {}  # article → the sentences MiniLM reads for it
            for i in unsure:
                chosen = budget.setdefault(article_of[i], set())
                if texts[i] in chosen or len(chosen) < self.config.minilm_per_article:
                    chosen.add(texts[i])
            unsure = sorted(i for i in unsure if texts[i] in budget[article_of[i]])
            if unsure:
                again = self.acled_accurate_.predict([texts[i] for i in unsure], [types[i] for i in unsure],
                                                     ruled_out=[ruled_out[i] for i in unsure])
                for i, p in zip(unsure, again):
                    preds[i] = p or preds[i]
        for e, pred in zip(events, preds):
            if pred is not None:
                e.acled_type, e.acled_subtype = pred[0], pred[1]
        for c in coded:
            _peaceful_handover(c.events)

    def _assemble(self, article: Article, docs: list[tuple[int, object, list[Mention]]],
                  hazards: dict[int, Hazard]) -> CodedArticle:
        pub = article.published_date
        warnings = [] if pub else ["W601 no publication date: relative dates are left unresolved"]
        context = Counter(e.country for e in self.actors_.find(article.text, on=pub) if e.country
                          and len(e.country) == 3 and e.country not in INTERNATIONAL)
        entities: list[Entity] = []
        places: list[Place] = []
        drafts: list[Event] = []
        last_actors: list[Entity] = []
        references: set[str] = set()
        possessives: list[tuple[Event, bool]] = []
        doc_places = self._places([(offset, doc) for offset, doc, mentions in docs if mentions or offset in hazards],
                                  context, article.text)
        for offset, doc, mentions in docs:
            if not mentions and offset not in hazards:
                continue
            sent_places = doc_places.get(offset, {})
            places.extend(p for p in sent_places.values() if p)
            if not mentions:
                continue
            tolls = find_tolls(doc.text, offset=offset)
            whens = [w for w in find_dates(doc.text, published=pub, offset=offset) if not _not_event_date(w, doc.text,
                                                                                                          offset)]
            toll_for = _attach_tolls(mentions, tolls, offset)
            for m in mentions:
                if m.event_type == "ASSAULT" and hazard_is_agent(
                        doc.text, doc[m.trigger.start].idx, doc[m.trigger.end - 1].idx + len(doc[m.trigger.end - 1])):
                    continue  # "earthquakes hit the area", "destroyed by the cyclone": harm without an attacker
                toll = toll_for.get(id(m))
                if offset in hazards and "disasters" not in m.context:
                    m = dataclasses.replace(m, context=[*m.context, "disasters"])  # troops sent to a flood
                trig_start = offset + doc[m.trigger.start].idx
                when = event_date(whens, pub, trigger_start=trig_start)
                on = when.date or pub
                default_sector = ontology.type_info(m.event_type).default_source_sector
                actor = self._entities(m.tagged_sources, doc, offset, on, last_actors, context,
                                       default_sector=default_sector) or self._entities(
                    m.sources, doc, offset, on, last_actors, context, default_sector=default_sector)
                if not actor and m.speaker:
                    actor = self._entities(m.speaker, doc, offset, on, last_actors, context)
                recipient = self._entities(m.tagged_targets, doc, offset, on, last_actors, context) or \
                    self._entities(m.targets, doc, offset, on, last_actors, context)
                actor = [_state_sector(e, m.event_type) for e in actor]
                if m.event_type == "ASSAULT" and offset in hazards and not any(a.country or a.sector for a in actor):
                    continue  # a flood or a gas explosion that kills is a disaster, not an attack (detect/hazards.py)
                if actor:
                    last_actors = actor
                entities.extend(actor + recipient)
                # "Pakistan's attack on Tuesday": a dated nominal act whose only actor is a possessive is read once
                # the article's other events are known (the genitive may name the side that suffered it)
                possessive = bool(actor) and bool(m.sources) and all(r.via == "poss" for r in m.sources) and (
                    m.reference or not when.inferred)
                if m.reference and actor and not possessive:
                    continue  # a reference with its own actor is not a back-reference we can place
                ev = self._event(article, m, doc, offset, when, actor, recipient,
                                 self._location(m, doc, sent_places, recipient), toll, context)
                if possessive:
                    possessives.append((ev, m.reference))
                    continue
                if m.reference:
                    references.add(ev.id)
                drafts.append(ev)
        events = merge_mentions(drafts, references) if self.config.merge_mentions else [
            e for e in drafts if e.id not in references]
        if self.config.merge_mentions:
            events = self._possessive_references(events, possessives)
        events = [self._refine_location(e, places) for e in events]
        if not self.config.keep_actorless:
            events = [e for e in events if has_actor(e) or (e.confidence > 0 and unattributed_ok(e))]
        if self.config.min_confidence > 0:
            events = [e for e in events if e.confidence >= self.config.min_confidence]
        incidents = self._incidents(article, docs, hazards, doc_places)
        return CodedArticle(article=article, events=events, entities=entities, places=places, incidents=incidents,
                            warnings=warnings)

    @staticmethod
    def _incidents(article: Article, docs: list[tuple[int, object, list[Mention]]], hazards: dict[int, Hazard],
                   doc_places: dict[int, dict[int, Place | None]]) -> list[Incident]:
        """One incident per kind of disaster the article reports: evidence, date and place (the most precise one it
        names) from the first sentence that names it, the toll from the first of its sentences that gives one
        (detect/hazards.py)."""
        pub = article.published_date
        texts = {offset: doc.text for offset, doc, _ in docs}
        out: dict[str, Incident] = {}
        for offset in sorted(hazards):
            hz, text = hazards[offset], texts.get(offset)
            if text is None:
                continue
            tolls = [t for t in find_tolls(text, offset=offset) if t.killed or t.injured]
            seen = out.get(hz.kind)
            if seen is not None:
                if seen.toll is None and tolls:
                    out[hz.kind] = seen.model_copy(update={"toll": tolls[0]})
                continue
            start = offset + hz.start
            when = event_date([w for w in find_dates(text, published=pub, offset=offset)
                               if not _not_event_date(w, text, offset)], pub, trigger_start=start)
            named = [p for p in doc_places.get(offset, {}).values() if p is not None]
            place = min(named, key=lambda p: PRECISION_RANK.get(p.precision, 0), default=None)  # the most precise
            out[hz.kind] = Incident(
                article_id=article.id, kind=hz.kind, hazard=hz.text, date=when.date,
                date_precision=when.precision, date_text=when.text, date_inferred=when.inferred, location=place,
                toll=tolls[0] if tolls else None,
                confidence=0.8 if hz.strong else 0.6, url=article.url, published=pub,
                evidence=Evidence(text=text, start=offset, end=offset + len(text),
                                  trigger=Span(start=start, end=hz.end + offset, text=hz.text)))
        return list(out.values())

    def _entities(self, roles: Sequence[Role], doc, offset: int, on: dt.date | None,
                  last: list[Entity], context: Counter, *, default_sector: str | None = None) -> list[Entity]:
        out: list[Entity] = []
        for r in roles:
            head = doc[r.head]
            start_i, end_i = r.start, r.end
            while end_i - 1 > start_i and doc[end_i - 1].is_space:
                end_i -= 1  # a line break inside a role phrase ("THE ARMY\nDENIED") is not part of the name
            span = doc[start_i:end_i]
            if PAIR_WORDS.search(span.text):
                out.extend(_pair(span, offset, context))  # "both nations": the article's two main countries
                continue
            if head.lower_ in PRONOUNS and r.end - r.start == 1:
                out.extend(last)  # "he said", "they struck": the actors of the previous event
                continue
            start = offset + span.start_char
            ent = self.actors_.resolve(span.text, start=start, on=on)
            if ent is None or not (ent.country or ent.name) or (
                    ent.kb_id and ent.confidence < 0.8 and head.pos_ == "PROPN"):
                # "Kenzo Oshima, the United Nations relief coordinator": an unknown name says who it is in apposition
                for app in (c for c in head.children if c.dep_ == "appos"):
                    a_span = doc[app.left_edge.i:app.right_edge.i + 1]
                    known = self.actors_.resolve(a_span.text, start=offset + a_span.start_char, on=on)
                    if known is not None and (known.country or known.name):
                        ent, span, start = known, a_span, offset + a_span.start_char
                        break
            if ent is not None and (ent.country or ent.sector or ent.name):
                members = [e for e in self.actors_.resolve_all(span.text, start=start, on=on)
                           if e.country or e.sector or e.name]  # "Japan, the US, Australia and India": each one
                out.extend(members if len(members) > 1 else self._split_compound(ent, span.text, start, on))
            elif default_sector and head.pos_ in ("NOUN", "PROPN"):
                # "Detainees protested": whoever protests is a protester, even when the tables do not know them
                out.append(Entity(text=span.text, sector=default_sector, confidence=0.3,
                                  span=Span(start=start, end=start + len(span.text), text=span.text)))
        uniq: dict[tuple, Entity] = {}
        for e in out:
            uniq.setdefault((e.country, e.sector, e.name), e)
        return list(uniq.values())

    def _possessive_references(self, events: list[Event], refs: list[Event]) -> list[Event]:
        """Back-references of the form "<Country>'s attack on Tuesday led to …".

        The genitive is ambiguous: the attack by that country, or the attack it suffered. A reference that agrees
        with the country's own event joins it. One that contradicts it (another explicit date), when the article
        has exactly one other, undated event of the type by another actor, is read as the attack that country
        suffered: it dates that event, gives it the toll, and places it in the country. Anything else is dropped.
        """
        for ref, is_reference in refs:
            own = {a.country for a in ref.actor if a.country}
            same = [i for i, e in enumerate(events) if e.event_type == ref.event_type and countries(e.actor) & own]
            joinable = [i for i in same if compatible(events[i], ref)]
            if joinable:
                events[joinable[0]] = combine(events[joinable[0]], ref.model_copy(update={"actor": []}))
                continue
            others = [i for i, e in enumerate(events) if e.event_type == ref.event_type and e.date_inferred
                      and countries(e.actor) and not (countries(e.actor) & own) and e.confidence > 0]
            if not same or len(others) != 1:
                if not is_reference:
                    events.append(ref)  # an act of its own after all
                continue
            i = others[0]
            target = events[i]
            update = {"date": ref.date, "date_precision": ref.date_precision, "date_text": ref.date_text,
                      "date_span": ref.date_span, "date_inferred": ref.date_inferred}
            if target.toll is None and ref.toll is not None:
                update["toll"] = ref.toll
            if target.location is None and len(own) == 1:
                try:
                    update["location"] = self.places_.place_for_country(next(iter(own))).model_copy(
                        update={"span": ref.actor[0].span, "confidence": 0.5})
                except DetenteError:
                    pass
            events[i] = target.model_copy(update=update)
        return events

    @staticmethod
    def _implicit_country(entities: list[Entity], context: Counter) -> list[Entity]:
        """A role with a sector but no country ("the prime minister", "security forces") belongs to the country
        the article is about, when one country dominates it (``IMPLICIT_SHARE`` of its country mentions)."""
        if not any(e.country is None and e.sector for e in entities) or not context:
            return entities
        (top, n), total = context.most_common(1)[0], sum(context.values())
        if n / total < IMPLICIT_SHARE:
            return entities
        return [e.model_copy(update={"country": top, "confidence": round(e.confidence * 0.7, 3)})
                if e.country is None and e.sector and e.sector not in NO_COUNTRY_SECTORS else e for e in entities]

    def _split_compound(self, ent: Entity, text: str, start: int, on) -> list[Entity]:
        """"The leaders of Armenia and Azerbaijan" is two actors, one per country, with the phrase's sector."""
        if " and " not in text:
            return [ent]
        countries = list(dict.fromkeys(e.country for e in self.actors_.find(text, offset=start, on=on)
                                       if e.country and len(e.country) == 3 and e.country not in INTERNATIONAL))
        if len(countries) < 2:
            return [ent]
        return [ent.model_copy(update={"country": c, "name": None, "kb_id": None}) for c in countries]

    def _places(self, docs: list[tuple[int, object]], context: Counter,
                text: str) -> dict[int, dict[int, Place | None]]:
        """Toponyms of the article's parsed sentences, without NER: proper-noun chains that the gazetteer knows and
        the syntax marks as places (object of in/near/at …, before "province"/"city" …, or a country or region).
        All of an article's names are resolved together, so they disambiguate each other (nearby towns, a list of
        states). Returns, per sentence offset, chain head token → Place."""
        items = [(offset, doc, s, e, strong) for offset, doc in docs for s, e, strong in toponym_chains(doc)]
        if not items:
            return {}
        resolved = self.places_.resolve(
            [(doc[s:e].text, offset + doc[s].idx, offset + doc[e - 1].idx + len(doc[e - 1]))
             for offset, doc, s, e, _ in items], text=text, context_countries=dict(context))
        out: dict[int, dict[int, Place | None]] = {}
        for (offset, doc, s, e, strong), place in zip(items, resolved):
            if place is not None and (strong or place.precision in ("country", "admin1")):
                out.setdefault(offset, {})[chain_head(doc, s, e)] = place
        return out

    def _location(self, m: Mention, doc, sent_places: dict[int, Place | None],
                  recipient: list[Entity]) -> Place | None:
        """The place in a locative phrase on the trigger, its head or its object ("bombed a village in Sagaing")."""
        if not sent_places:
            return None
        head = doc[m.trigger.head]
        anchors = [head, head.head] + [c for c in head.children if c.dep_ in ("dobj", "nsubjpass", "attr")]
        for anchor in anchors:
            for prep in anchor.children:
                if prep.dep_ != "prep" or prep.lower_ not in LOCATIVE_PREPS:
                    continue
                for obj in prep.children:
                    if obj.dep_ != "pobj":
                        continue
                    place = place_in(obj, sent_places)
                    if place is not None:
                        return place
        if ontology.quad_class(m.event_type) == 4:
            # a material act happens somewhere its sentence names: with no locative phrase on the trigger, the
            # sentence's most precise place below country level ("Gunmen attacked a bus; … in Peshawar"), if one
            named = [p for p in sent_places.values() if p is not None and p.precision != "country"]
            if named:
                best = min(named, key=lambda p: PRECISION_RANK.get(p.precision, 0))
                return best.model_copy(update={"confidence": round(best.confidence * 0.7, 3)})
        return None

    @staticmethod
    def _refine_location(event: Event, places: list[Place]) -> Event:
        """A country-level location becomes the admin1 region when the article names exactly one of that country."""
        loc = event.location
        if loc is None or loc.precision != "country":
            return event
        regions = {(p.admin1, p.country): p for p in places if p.country == loc.country and p.precision == "admin1"}
        if len(regions) == 1:
            region = next(iter(regions.values()))
            return event.model_copy(update={"location": region.model_copy(
                update={"confidence": round(min(region.confidence, loc.confidence) * 0.8, 3)})})
        return event

    def _event(self, article: Article, m: Mention, doc, offset: int, when: When, actor: list[Entity],
               recipient: list[Entity], location: Place | None, toll: Toll | None, context: Counter) -> Event:
        sent_start = offset
        trig_tokens = doc[m.trigger.start:m.trigger.end]
        trigger = Span(start=offset + trig_tokens.start_char, end=offset + trig_tokens.end_char, text=trig_tokens.text)
        try:
            ontology.validate(m.event_type, m.mode)
        except DetenteError:  # a cue gave a mode this type does not have: keep the event, drop the mode
            m.mode = None
        info = ontology.type_info(m.event_type)
        actor_sectors = tuple(e.sector for e in actor if e.sector)
        recipient_sectors = tuple(e.sector for e in recipient if e.sector)
        acled = ontology.acled(m.event_type, m.mode, actor_sectors=actor_sectors, recipient_sectors=recipient_sectors,
                               context=m.context)
        claimant = None
        if m.modality.claimant:
            s, e = m.modality.claimant
            span = doc[s:e]
            claimant = self.actors_.resolve(span.text, start=offset + span.start_char, on=when.date)
        if m.event_type == "REQUEST" and not recipient and APPEAL_TO_PARTIES.search(doc.text):
            # "the United States urged restraint": an appeal for calm goes to the parties of the conflict the
            # article reports, its two most-mentioned countries (the appealing side excepted)
            own = {e.country for e in actor}
            parties = [c for c, _ in context.most_common(3) if c not in own][:2]
            if len(parties) == 2:
                recipient = [Entity(text=c, country=c, confidence=0.4) for c in parties]
        if not any(e.country for e in recipient) and m.event_type not in MATERIAL_CONFLICT:
            # "halted aid to Serbia", "threatened to deliver blows to the United States and Israel", "demanded that
            # Israel ease …": no target phrase resolved, so the first actor named in the predicate is the target
            recipient = self._predicate_target(doc, m, actor, offset, when.date) or recipient
        if location is not None and location.country:
            # police, courts and parliaments act at home: "Police fired tear gas in Lagos" is Nigeria's police
            actor = [e.model_copy(update={"country": location.country, "confidence": round(e.confidence * 0.8, 3)})
                     if e.country is None and e.sector in DOMESTIC_SECTORS else e for e in actor]
            recipient = [e.model_copy(update={"country": location.country, "confidence": round(e.confidence * 0.8, 3)})
                         if e.country is None and e.sector in LOCAL_SECTORS else e for e in recipient]
        actor = self._implicit_country(actor, context)
        if m.event_type not in MATERIAL_CONFLICT:  # victims are often not of the article's main country
            recipient = self._implicit_country(recipient, context)
        if not any(e.country for e in recipient) and location is not None and location.country and (
                ontology.type_info(m.event_type).place_is_target or (m.event_type == "CONSULT" and m.mode == "visit")):
            # "tanks fired at targets in Jericho", "curfew in Cizre", "arrived in Amman": the place's country is
            # on the receiving end when the text names no one else
            recipient = recipient + [Entity(text=location.span.text if location.span else location.name,
                                            country=location.country, span=location.span, confidence=0.4)]
        if location is None and recipient and m.event_type in MATERIAL_CONFLICT:
            country = next((e.country for e in recipient if e.country and len(e.country) == 3
                            and e.country not in INTERNATIONAL and e.sector in STATE_SECTORS), None)
            try:
                location = self.places_.place_for_country(country) if country else None
            except DetenteError:  # a code the gazetteer has no point for (e.g. XKX): no location rather than a guess
                location = None
        if m.event_type == "CONSULT" and actor and not recipient and m.mode in (None, "multilateral"):
            recipient = list(actor)  # a body meeting by itself (a cabinet, a security committee): PLOVER codes
            # the consultation with the actor as its own recipient
        role_factor = 1.0 if any(e.country for e in actor) else (0.8 if actor else 0.6)
        if not actor and info.material and any(e.country for e in recipient):
            role_factor = UNCLAIMED_FACTOR  # "eight civilians were killed in an air strike": the attacker unnamed
        # the main clause's act is reported; a deeply embedded one is more often background or a detail
        role_factor *= PROMINENCE[min(_depth(doc[m.trigger.head]), len(PROMINENCE) - 1)]
        return Event(
            article_id=article.id,
            event_type=m.event_type,
            mode=m.mode,
            context=m.context,
            quad_class=info.quad_class,
            intensity=ontology.intensity(m.event_type, m.mode),
            cameo_code=ontology.cameo_code(m.event_type, m.mode),
            acled_type=acled[0] if acled else None,
            acled_subtype=acled[1] if acled else None,
            actor=actor,
            recipient=recipient,
            date=when.date,
            date_precision=when.precision,
            date_text=when.text,
            date_span=when.span,
            date_inferred=when.inferred,
            location=location,
            toll=toll,
            modality=m.modality.modality,
            claimant=claimant,
            confidence=round(m.type_confidence * role_factor, 3),
            type_confidence=round(m.type_confidence, 3),
            evidence=Evidence(text=doc.text, start=sent_start, end=sent_start + len(doc.text), trigger=trigger),
            url=article.url,
            published=article.published_date,
        )


def _pair(span, offset: int, context: Counter) -> list[Entity]:
    """"Both nations": the two countries the article mentions most."""
    top = [c for c, _ in context.most_common(2)]
    if len(top) < 2:
        return []
    return [Entity(text=span.text, country=c, span=Span(start=offset + span.start_char,
                   end=offset + span.end_char, text=span.text), confidence=0.5) for c in top]


def _not_event_date(w: When, text: str, offset: int) -> bool:
    """Dates that name a period's edge ("since 2020") or qualify a noun ("the disputed 2020 election")."""
    if w.span is None:
        return False
    before, after = text[:w.span.start - offset], text[w.span.end - offset:]
    if BOUNDARY_BEFORE.search(before):
        return True
    return w.precision == "year" and ATTRIBUTIVE_AFTER.match(after) is not None


def _depth(tok) -> int:
    d = 0
    while tok.head.i != tok.i and d < 10:
        tok, d = tok.head, d + 1
    return d


def _attach_tolls(mentions: list[Mention], tolls: list[Toll], offset: int) -> dict[int, Toll]:
    """Each toll goes to the nearest material-conflict mention in the sentence."""
    out: dict[int, Toll] = {}
    violent = [m for m in mentions if m.event_type in MATERIAL_CONFLICT]
    for toll in tolls:
        pool = violent
        if toll.arrested and not (toll.killed or toll.injured):  # arrests belong to the arrest
            pool = [m for m in violent if m.event_type == "COERCE"] or violent
        if not pool:
            continue
        at = toll.span.start if toll.span else offset
        best = min(pool, key=lambda m: abs(offset + m.doc[m.trigger.start].idx - at))
        out.setdefault(id(best), toll)
    return out


def _state_sector(e: Entity, event_type: str) -> Entity:
    """A state named bare ("Pakistan", "Tehran") acts through its government, or its military when it fights."""
    if not e.country or len(e.country) != 3 or e.country in INTERNATIONAL or e.country == "IGO":
        return e
    sector = ontology.type_info(event_type).state_sector
    if e.sector is None:
        return e.model_copy(update={"sector": sector})
    if e.sector == "GOV" and sector != "GOV" and not e.kb_id:
        return e.model_copy(update={"sector": sector})  # "Tehran's strikes": the capital stands for the state
    return e


def _quote_original(node: object, text: str, lower: str) -> None:
    """Make every quoted text of a coded article quote ``text`` (the article as written), for articles read through
    ``case_view``: the offsets are the same, only the case differs. ``lower``: ``same_length_lower(text)``."""
    if isinstance(node, (list, tuple)):
        for item in node:
            _quote_original(item, text, lower)
        return
    if not isinstance(node, BaseModel):
        return
    if isinstance(node, (Span, Evidence)):
        node.text = text[node.start:node.end]
    for name in ("span", "date_span"):
        span = getattr(node, name, None)
        field = "text" if name == "span" else "date_text"
        quoted = getattr(node, field, None)
        if isinstance(span, Span) and isinstance(quoted, str) and quoted:
            # the quoted phrase may be wider than its span ("the Guatemala army" around "GUATEMALA ARMY")
            lo = max(0, span.start - len(quoted))
            at = lower.find(same_length_lower(quoted), lo, span.end + len(quoted))
            if at >= 0:
                setattr(node, field, text[at:at + len(quoted)])
    for name in type(node).model_fields:
        value = getattr(node, name)
        if isinstance(value, (BaseModel, list, tuple)):
            _quote_original(value, text, lower)


TAKE_TERRITORY = frozenset({"Government regains territory", "Non-state actor overtakes territory"})
FIGHTING = re.compile(r"\b(?:fighting|fought|clash(?:es|ed)?|battles?|gun ?battles?|firefights?|killed|killing|"
                      r"attack(?:s|ed)?|assault(?:s|ed)?|offensive|shelling)\b", re.I)


def _peaceful_handover(events: list[Event]) -> None:
    """ACLED's "Non-violent transfer of territory": one side takes ground the other side withdrew from ("IS entered
    Palmyra after the army pulled out"). An article's territory gain and another actor's withdrawal become that
    transfer, both of them, unless their sentences speak of fighting."""
    taken = [e for e in events if e.acled_subtype in TAKE_TERRITORY]
    left = [e for e in events if e.event_type == "RETREAT" and e.mode == "withdraw"]
    if not taken or not left:
        return
    for gain in taken:
        takers = {(a.country, a.sector) for a in gain.actor}
        gone = [w for w in left if not takers & {(a.country, a.sector) for a in w.actor}]
        if gone and not any(FIGHTING.search(e.evidence.text) for e in [gain, *gone]):
            for e in [gain, *gone]:
                e.acled_type, e.acled_subtype = "Strategic developments", "Non-violent transfer of territory"

