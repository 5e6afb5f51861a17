"""Actor resolution: a noun phrase ("Pakistan's Foreign Minister Jalil Abbas Jilani") to an :class:`Entity`.

The knowledge base (:mod:`detente.resolve.actors_kb`) maps token n-grams to *terms*: country names, demonyms,
capitals and seats of government, role words and titles, named actors (IGOs, armed groups, bodies, office holders
with validity dates). A phrase is tokenised once, matched left to right (longest alias wins, dictionary lookups
only) and the matches are composed:

- the **head** is the part before the first uncovered preposition or conjunction ("militants | from the JAA group");
- the **sector** comes from the right-most decisive match in the head (a strong role word or a named actor),
  else from the prepositional part, else from a weak role word ("spokesman", "official");
- the **country** comes from a named actor in the head, else the first country, demonym or capital in the head,
  else a named actor or country after the preposition;
- named office holders are picked by date (``on``): "Trump" in 2023 is USA OPP, in 2025 USA GOV.

Conventions (IGO as a country code, Kosovo, Palestine, police, Taliban) are in docs/actors.md.
"""

from __future__ import annotations

import re

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from ..errors import DetenteError
from ..schema import Entity, Span
from .actors_kb import ActorIndex, ActorRow, Term, build_index
from .actors_text import Token, key, tokenize
from .gazetteer import Gazetteer

# Words that end the head of a noun phrase when they are not inside a knowledge-base alias.
_CUT = frozenset({"of", "from", "for", "in", "at", "with", "by", "against", "on", "to", "led", "under", "near",
                  "inside", "within", "including", "who", "which", "that", "and", "or", "backed", "based",
                  "linked", "allied", "affiliated", "aligned", "loyal", "over", "across", "into", "after", "during"})
# Modifier-suffix words that make the preceding name a modifier: "Iran-backed", "Hamas-run", "Saudi-led".
_MODIFIER_SUFFIX = frozenset({"backed", "led", "run", "based", "linked", "allied", "affiliated", "aligned",
                              "controlled", "held", "sponsored", "supported", "funded", "owned"})
_TRANSNATIONAL = frozenset({"IMG", ""})
_ACTOR, _ROLE, _SEAT = frozenset({"actor"}), frozenset({"role"}), frozenset({"seat"})
_PLACEISH, _NAMEISH = frozenset({"country", "adj", "seat"}), frozenset({"country", "seat"})


_STATE_SECTORS = frozenset({"GOV", "MIL", "COP", "JUD", "LEG", "SPY"})
# places in names: prepositions before a place in the tail, capitalised words that never start a place name
_PLACE_PREPS = frozenset({"of", "in", "from", "at"})
_NOT_PLACE = frozenset({"the", "a", "an", "mr", "mrs", "ms", "dr", "sir", "his", "her", "their", "its", "our"})
_MIN_POP = 15_000  # a populated place this big or more can name an institution's place
_ADMIN_POP = 100_000  # an admin region without a population figure counts as this many
_DOMINANCE = 5.0  # the best country's place must be this many times bigger than the best elsewhere
_CACHE_SIZE = 200_000  # resolved phrases kept (cleared when full); phrases repeat a lot in news
_STANCE = re.compile(r"\b(?:anti|pro)-[^\W\d_]+(?:-[^\W\d_]+)*", re.I)
_MISS = object()
# coordination: "A and B", "A, B and C", "A & B", "A as well as B", "A or B"; a comma is a separator only in a list
_CONJ = re.compile(r"\b(?:and|or|as well as)\b|&", re.I)
_SEP = re.compile(r"\s*,\s*(?:(?:and|or)\s+)?|\s+(?:and|or|as well as)\s+|\s*&\s*", re.I)
_OF = re.compile(r"\b(?:of|from)\b", re.I)
_Composed = tuple[str | None, str | None, str | None, str | None, float, int, int]


_GAZETTEER: list[Gazetteer] = []


def _default_gazetteer() -> Gazetteer:
    """One default gazetteer per process, shared by every resolver that was not given one."""
    if not _GAZETTEER:
        _GAZETTEER.append(Gazetteer().initialize())
    return _GAZETTEER[0]


class _Match(NamedTuple):
    i: int  # first token
    j: int  # one past the last token
    terms: list[Term]


class ActorResolver:
    """Resolve actor noun phrases to PLOVER-style entities (country + sector + knowledge-base id).

    Parameters
    ----------
    extra_paths
        User tables (files or directories of .tsv/.csv/.jsonl) with the columns of the shipped ones; read after the
        shipped knowledge base, later files override earlier ones.
    min_score
        Mentions below this confidence are left out of :meth:`find`.
    gazetteer
        The :class:`~detente.resolve.gazetteer.Gazetteer` used for places named in actor phrases ("Shanghai
        police"). Pass the place resolver's (``PlaceResolver().gaz``) to share one index; default: one default
        gazetteer shared by every resolver of the process, loaded the first time a phrase needs it.
    use_places
        ``False`` turns the gazetteer look-up off (no place in a name gives a country).

    Examples
    --------
    >>> r = ActorResolver().initialize()
    >>> r.resolve("Pakistan's Foreign Minister Jalil Abbas Jilani", on=dt.date(2024, 1, 19)).code
    'PAK GOV'
    >>> r.resolve("Houthi rebels").code
    'YEM REB'
    >>> r.country_code("Iranian"), r.country_code("Tehran"), r.country_code("Türkiye")
    ('IRN', 'IRN', 'TUR')
    """

    def __init__(self, *, extra_paths: Sequence[str | Path] = (), min_score: float = 0.5,
                 gazetteer: Gazetteer | None = None, use_places: bool = True) -> None:
        self.extra_paths = tuple(extra_paths)
        self.min_score = min_score
        self.use_places = use_places
        self._gazetteer = gazetteer
        self.index_: ActorIndex | None = None
        self._cache: dict[tuple[str, dt.date | None], _Composed | None] = {}
        self._place_cache: dict[str, str | None] = {}
        self._all_cache: dict[tuple[str, dt.date | None], list[tuple[int, int, dict]]] = {}

    # ------------------------------------------------------------------------------------------------- loading
    def initialize(self) -> ActorResolver:
        """Read and index the knowledge base (shipped files, then ``extra_paths``). Safe to call twice."""
        if self.index_ is None:
            self.index_ = build_index(self.extra_paths)
        return self

    @property
    def index(self) -> ActorIndex:
        if self.index_ is None:
            self.initialize()
        assert self.index_ is not None
        return self.index_

    # ------------------------------------------------------------------------------------------------ matching
    def _match(self, toks: list[Token]) -> list[_Match]:
        """Greedy longest-match over token n-grams; case-sensitive aliases are tried before folded ones."""
        idx = self.index
        ci, cs, first_ci, first_cs = idx.ci, idx.cs, idx.first_ci, idx.first_cs
        out: list[_Match] = []
        n = len(toks)
        i = 0
        while i < n:
            t = toks[i]
            best: _Match | None = None
            m_cs = first_cs.get(t.surface, 0)
            m_ci = first_ci.get(t.fold, 0)
            top = min(max(m_cs, m_ci), n - i)
            for length in range(top, 0, -1):
                j = i + length
                if length <= m_cs:
                    terms = cs.get(tuple(x.surface for x in toks[i:j]))
                    if terms:
                        best = _Match(i, j, terms)
                        break
                if length <= m_ci:
                    terms = ci.get(tuple(x.fold for x in toks[i:j]) if length > 1 else (t.fold,))
                    if terms:
                        best = _Match(i, j, terms)
                        break
            if best is None:
                i += 1
            else:
                out.append(best)
                i = best.j
        return out

    def _row(self, actor: str, on: dt.date | None) -> tuple[ActorRow, bool]:
        """The row of ``actor`` valid on ``on`` (or the current one); ``False`` when none is valid that day."""
        rows = self.index.actors[actor]
        if on is None:
            current = [r for r in rows if r.valid_to is None]
            return (current[-1] if current else rows[-1]), True
        for r in reversed(rows):
            if r.valid_on(on):
                return r, True
        # Nearest period: the last that ended before `on`, else the first.
        before = [r for r in rows if r.valid_to is not None and r.valid_to <= on]
        return (before[-1] if before else rows[0]), False

    @staticmethod
    def _pick(terms: list[Term], kind_ok: frozenset[str]) -> Term | None:
        for t in terms:
            if t.kind in kind_ok:
                return t
        return None

    # -------------------------------------------------------------------------------------------------- public
    def resolve(self, text: str, *, start: int = 0, on: dt.date | None = None) -> Entity | None:
        """Resolve one actor noun phrase.

        Parameters
        ----------
        text
            The phrase as written, e.g. ``"Iranian counterpart Hossein Amir-Abdollahian"``.
        start
            Offset of ``text`` in the article, so that ``span`` is in article coordinates.
        on
            The date the phrase refers to (usually the publication date); selects office holders and dated rows.

        Returns
        -------
        Entity or None
            ``None`` only when nothing actor-like is in the phrase. Unknown names are kept with whatever was
            inferred (a sector from "militants", a country from "Pakistani") and a lower confidence.
        """
        if not isinstance(text, str):
            raise DetenteError("E305", kind=type(text).__name__)
        cache_key = (text, on)
        hit = self._cache.get(cache_key, _MISS)
        if hit is _MISS:
            hit = self._compose(text, on)
            if len(self._cache) >= _CACHE_SIZE:
                self._cache.clear()
            self._cache[cache_key] = hit
        if hit is None:
            return None
        name, country, sector, kb_id, conf, s0, e0 = hit
        # Values come from validated tables: skip pydantic validation on this hot path.
        return Entity.model_construct(
            text=text, name=name, country=country, sector=sector, kb_id=kb_id,
            span=Span.model_construct(start=start + s0, end=start + e0, text=text[s0:e0]), confidence=conf)

    def _compose(self, text: str, on: dt.date | None) -> _Composed | None:
        """The uncached work of :meth:`resolve`: match, then compose country, sector and named actor."""
        # "an anti-Syria journalist", "pro-Russian separatists": the stance names a country, not the actor's own
        text = _STANCE.sub(lambda m: " " * len(m.group(0)), text)
        toks = tokenize(text)
        if not toks:
            return None
        matches = self._match(toks)
        # Where the head ends: the first preposition/conjunction outside every match, after the first token.
        covered = set()
        for m in matches:
            covered.update(range(m.i, m.j))
        cut = len(toks)
        for k in range(1, len(toks)):
            if k not in covered and toks[k].fold in _CUT and not self._is_modifier_suffix(toks, k):
                cut = k
                break
        # "Shanghai police", "Kano State government", "the governor of Kano State": a place the KB does not know
        head_place, tail_place = self._places_named(text, toks, matches, covered, cut)
        if not matches:
            return None
        head = [m for m in matches if m.i < cut]
        tail = [m for m in matches if m.i >= cut]
        # A name followed by "-backed", "-run", "-led" is a modifier: it gives neither the sector nor the head.
        modifiers = {m.i for m in matches if m.j < len(toks) and self._is_modifier_suffix(toks, m.j)}
        # "former", "ousted", "ex-": the role right after it is an elite's
        formers = [m.i for m in matches if m.i < cut and any(t.kind == "role" and t.strength == "former"
                                                             for t in m.terms)]
        former_from = min(formers) if formers else len(toks)

        sector, sector_from, weak_sector = None, None, None
        actor: tuple[ActorRow, bool] | None = None
        generic = False
        person_elite = False  # a person's row gave ELI (or no row held that day): a title in the phrase may say more
        for part in (head, tail):
            for m in reversed(part):
                if m.i in modifiers:
                    continue
                a = self._pick_actor(m.terms, on)
                if a is not None:
                    row, ok = self._row(a.actor or "", on)
                    actor = actor or (row, ok)
                    if sector_from is None:
                        sec = row.sector if ok else (row.sector if row.type != "person" else "ELI")
                        if sec:
                            sector, sector_from = sec, "actor"
                            if row.type == "person" and (sec == "ELI" or not ok):
                                title = self._title_in(toks, m)
                                if title is not None and m.i <= former_from:
                                    sector, sector_from = title, "role"  # "Secretary of State Hillary Clinton"
                                    break
                                person_elite = True
                                continue  # "President Laurent Gbagbo" undated: the title before it still counts
                            break
                    continue
                r = self._pick(m.terms, _ROLE)
                if r is not None:
                    if r.strength == "strong" and r.sector and (sector_from is None or person_elite):
                        if m.i > former_from and r.sector in _STATE_SECTORS:
                            sector, sector_from = "ELI", "role"
                        elif not (person_elite and r.sector == "ELI"):
                            sector, sector_from = r.sector, "role"
                        person_elite = False
                        break
                    if r.strength == "weak" and r.sector and weak_sector is None:
                        weak_sector = "ELI" if m.i > former_from and r.sector in _STATE_SECTORS else r.sector
                    if r.strength in ("state", "generic"):
                        generic = True
                    continue
                s = self._pick(m.terms, _SEAT)
                if s is not None and s.sector and sector_from is None and m is part[-1]:
                    sector, sector_from = s.sector, "seat"
                    break
            if sector_from is not None:
                break
        if actor is None:
            for m in (*head, *tail):
                a = self._pick_actor(m.terms, on)
                if a is not None:
                    actor = self._row(a.actor or "", on)
                    break
        if sector is None and weak_sector is not None:
            sector, sector_from = weak_sector, "weak"

        # Country: a named actor in the head, else the first country word in the head, else a place named in the
        # head, else the tail's actor or country word, else a place named in the tail.
        country = None
        head_actor_country = None
        for m in head:
            a = self._pick_actor(m.terms, on)
            if a is not None and m.i not in modifiers:
                row, _ = self._row(a.actor or "", on)
                head_actor_country = row.country
                break
        explicit = None
        for part, place in ((head, head_place), (tail, None)):
            for m in part:
                c = self._pick(m.terms, _PLACEISH)
                if c is not None:
                    explicit = c.country
                    break
            if explicit is None and place is not None:
                explicit = place
            if explicit:
                break
        if head_actor_country and head_actor_country not in _TRANSNATIONAL:
            country = head_actor_country
        elif explicit:
            country = explicit
        elif actor is not None and actor[0].country:
            country = actor[0].country
        else:
            for m in head:  # a modifier ("Iran-backed") still says something when nothing else does
                a = self._pick_actor(m.terms, on)
                if a is not None:
                    country = self._row(a.actor or "", on)[0].country
                    break
        if not country and tail_place:
            country = tail_place
        if country == "":
            country = None

        if country is None and sector is None and actor is None and not generic:
            return None

        name, kb_id = None, None
        if actor is not None:
            row, ok = actor
            name, kb_id = row.name, row.kb_id
            conf = 0.95 if ok else 0.7
            if row.country and country and row.country != country and row.country not in _TRANSNATIONAL:
                conf = 0.75
        elif country is not None and sector is not None:
            conf = 0.9 if sector_from in ("role", "seat") else 0.8
            if country in (head_place, tail_place) and not any(self._pick(m.terms, _PLACEISH) for m in matches):
                conf = 0.8  # the country comes from a gazetteer place
            name = self._unknown_name(text, toks, matches, cut)
        elif country is not None:
            only_adj = all(self._pick(m.terms, _NAMEISH) is None for m in matches)
            conf = 0.7 if only_adj else 0.9
            name = self.index.country_names.get(country) if not only_adj else None
        elif sector is not None:
            conf = 0.6 if sector_from == "role" else 0.5
            name = self._unknown_name(text, toks, matches, cut)
        else:
            conf = 0.3
        lead = 1 if toks[0].fold == "the" and len(toks) > 1 else 0
        s0 = toks[lead].start
        e0 = toks[-1].end
        return name, country, sector, kb_id, conf, s0, e0

    def _title_in(self, toks: list[Token], m: _Match) -> str | None:
        """The sector of a title that an actor's alias starts with ("Secretary of State Hillary Clinton")."""
        ci = self.index.ci
        for length in range(min(4, m.j - m.i - 1), 0, -1):
            for t in ci.get(tuple(x.fold for x in toks[m.i:m.i + length]), ()):
                if t.kind == "role" and t.strength == "strong" and t.sector in _STATE_SECTORS:
                    return t.sector
        return None

    def _pick_actor(self, terms: list[Term], on: dt.date | None) -> Term | None:
        """The named actor of a match; when an alias names several, the one holding a row on ``on``."""
        found = [t for t in terms if t.kind == "actor"]
        if len(found) < 2 or on is None:
            return found[0] if found else None
        for t in found:
            if self._row(t.actor or "", on)[1]:
                return t
        return found[0]

    # ------------------------------------------------------------------------------------------ places in names
    def _places_named(self, text: str, toks: list[Token], matches: list[_Match], covered: set[int],
                      cut: int) -> tuple[str | None, str | None]:
        """Countries of places the KB does not know, named in an actor phrase: the gazetteer's answer.

        Head: a run of capitalised unmatched tokens right before a role or place word ("Shanghai police",
        "Kano State government", "Madras High Court", "Texas Governor Greg Abbott"). Tail: such a run right after
        the preposition that ends the head ("the governor of Kano State", "police in Karachi"). A place counts
        only when one country clearly dominates its candidates (see :func:`_place_country`).
        """
        if not self.use_places or len(toks) < 2:
            return None, None
        starts = {m.i: m for m in matches}
        head = tail = None
        k = 0
        n = len(toks)
        while k < n:
            if k in covered or not toks[k].surface[:1].isupper() or toks[k].fold in _NOT_PLACE:
                k += 1
                continue
            j = k
            while j < n and j not in covered and toks[j].surface[:1].isupper() and toks[j].fold not in _CUT:
                j += 1
            nxt = starts.get(j)
            role = self._pick(nxt.terms, _ROLE) if nxt is not None else None
            after_cut = k == cut + 1 or (k == cut + 2 and toks[cut + 1].fold == "the")
            if k < cut and role is not None and role.strength not in ("former",) and j - k <= 4:
                names = [text[toks[k].start:toks[j - 1].end]]
                if role.strength == "place":
                    names.insert(0, text[toks[k].start:toks[nxt.j - 1].end])
                head = head or self._place_country(names)
            elif after_cut and cut < n and toks[cut].fold in _PLACE_PREPS and j - k <= 4:
                names = [text[toks[k].start:toks[j - 1].end]]
                if role is not None and role.strength == "place":
                    names.insert(0, text[toks[k].start:toks[nxt.j - 1].end])
                tail = tail or self._place_country(names)
            k = max(j, k + 1)
        return head, tail

    def _place_country(self, names: list[str]) -> str | None:
        """The country of the first name the gazetteer knows, if one country clearly dominates its candidates.

        A populated place needs ``_MIN_POP`` people; admin regions always count. The best candidate's country must
        have ``_DOMINANCE`` times the population of the best candidate elsewhere ("Madras" → Chennai, India, not
        Madras, Oregon; "Punjab" → no answer: Pakistan's and India's are both large).
        """
        gaz = self.gazetteer
        if gaz is None:
            return None
        for name in names:
            hit = self._place_cache.get(name, _MISS)
            if hit is _MISS:
                hit = None
                best: dict[str, int] = {}
                for c in gaz.candidates(name):
                    if not c.country or c.feature_class not in ("A", "P"):
                        continue
                    if c.feature_class == "A" and c.precision == "country":
                        continue  # country names are the KB's business
                    pop = c.population or (_ADMIN_POP if c.feature_class == "A" else 0)
                    if c.feature_class == "P" and pop < _MIN_POP:
                        continue
                    best[c.country] = max(best.get(c.country, 0), pop)
                if best:
                    ranked = sorted(best.items(), key=lambda kv: -kv[1])
                    if len(ranked) == 1 or ranked[0][1] >= _DOMINANCE * ranked[1][1]:
                        hit = ranked[0][0]
                if len(self._place_cache) >= _CACHE_SIZE:
                    self._place_cache.clear()
                self._place_cache[name] = hit
            if hit is not None or gaz.candidates(name):
                return hit  # type: ignore[return-value]
        return None

    @property
    def gazetteer(self) -> Gazetteer | None:
        """The gazetteer for places named in actor phrases: the one given, else the shared default (loaded once)."""
        if self._gazetteer is None and self.use_places:
            self._gazetteer = _default_gazetteer()
        return self._gazetteer

    @staticmethod
    def _is_modifier_suffix(toks: list[Token], k: int) -> bool:
        """True for the "led" of "Saudi-led": joined to the previous word by a hyphen."""
        return toks[k].fold in _MODIFIER_SUFFIX and toks[k].start - toks[k - 1].end == 1

    @staticmethod
    def _unknown_name(text: str, toks: list[Token], matches: list[_Match], cut: int) -> str | None:
        """The unknown person's name: the trailing run of capitalised, unmatched tokens of the head, else a leading
        run set off by a comma ("Kamal Gunaratne, Sri Lanka's defence secretary")."""
        covered = set()
        for m in matches:
            covered.update(range(m.i, m.j))
        k = cut - 1
        end = k
        while k >= 0 and k not in covered and toks[k].surface[:1].isupper():
            k -= 1
        if k != end:
            return text[toks[k + 1].start:toks[end].end]
        j = 0
        while j < cut and j not in covered and toks[j].surface[:1].isupper() and toks[j].fold != "the":
            j += 1
        if 0 < j < cut and "," in text[toks[j - 1].end:toks[j].start]:
            return text[toks[0].start:toks[j - 1].end]
        return None

    def resolve_all(self, text: str, *, start: int = 0, on: dt.date | None = None) -> list[Entity]:
        """Resolve a phrase that may coordinate several actors: one entity per member.

        "Russians and Belarusians" → RUS, BLR; "Japan, the US, Australia and India" → four countries; "President
        Putin and Chinese leader Xi Jinping" → each with their name. Members share what the phrase says once:
        "Israeli and Palestinian officials" → ISR GOV, PSE GOV; "the leaders of Armenia and Azerbaijan" → ARM GOV,
        AZE GOV. Commas alone are an apposition, not a list ("X, Sri Lanka's defence secretary" is one actor), and
        "and" inside a known name stays ("Trinidad and Tobago", "Bosnia and Herzegovina"). When fewer than two
        members resolve to something, the whole phrase is resolved as one (``[resolve(text)]``, or ``[]``).

        >>> r = ActorResolver(use_places=False).initialize()
        >>> [e.code for e in r.resolve_all("Israeli and Palestinian officials")]
        ['ISR GOV', 'PSE GOV']
        """
        if not isinstance(text, str):
            raise DetenteError("E305", kind=type(text).__name__)
        hit = self._all_cache.get((text, on))
        if hit is None:
            hit = self._members(text, on)
            if len(self._all_cache) >= _CACHE_SIZE:
                self._all_cache.clear()
            self._all_cache[(text, on)] = hit
        if not hit:
            whole = self.resolve(text, start=start, on=on)
            return [whole] if whole is not None else []
        out = []
        for s0, e0, update in hit:
            ent = self.resolve(text[s0:e0], start=start + s0, on=on)
            if ent is None:
                continue
            out.append(ent.model_copy(update=update) if update else ent)
        return out

    def _members(self, text: str, on: dt.date | None) -> list[tuple[int, int, dict]]:
        """(start, end, overrides) of each member of a coordinated phrase, or [] when it is one actor."""
        if not _CONJ.search(text):
            return []
        toks = tokenize(text)
        protected = []  # character spans of KB aliases: "Trinidad and Tobago" is not split
        for m in self._match(toks):
            if m.j - m.i > 1:
                protected.append((toks[m.i].start, toks[m.j - 1].end))
        seps = [sep for sep in _SEP.finditer(text)
                if not any(a < sep.start() and sep.end() < b for a, b in protected)]
        if not any(_CONJ.search(sep.group()) for sep in seps):
            return []  # commas only: an apposition
        bounds, pos = [], 0
        for sep in seps:
            bounds.append((pos, sep.start()))
            pos = sep.end()
        bounds.append((pos, len(text)))
        members = []
        for s0, e0 in bounds:
            while s0 < e0 and text[s0].isspace():
                s0 += 1
            while e0 > s0 and text[e0 - 1].isspace():
                e0 -= 1
            if s0 < e0:
                ent = self.resolve(text[s0:e0], on=on)
                if ent is not None and (ent.country or ent.name or ent.sector):
                    members.append((s0, e0, ent))
        if len(members) < 2:
            return []
        out: list[tuple[int, int, dict]] = [(s0, e0, {}) for s0, e0, _ in members]
        first, last = members[0][2], members[-1][2]
        # "Israeli and Palestinian officials": demonyms before the head noun take its sector
        if last.sector:
            for n, (s0, e0, ent) in enumerate(members[:-1]):
                if ent.sector is None and ent.country and ent.kb_id is None:
                    out[n] = (s0, e0, {"sector": last.sector})
        # "the leaders of Armenia and Azerbaijan": bare countries after "<role> of X" take the role's sector
        if first.sector and _OF.search(text[members[0][0]:members[0][1]]):
            for n, (s0, e0, ent) in enumerate(members[1:], 1):
                if ent.sector is None and ent.country and not out[n][2]:
                    out[n] = (s0, e0, {"sector": first.sector})
        seen, uniq = set(), []
        for (s0, e0, upd), (_, _, ent) in zip(out, members):
            k = (ent.country, upd.get("sector", ent.sector), ent.name)
            if k not in seen:
                seen.add(k)
                uniq.append((s0, e0, upd))
        return uniq if len(uniq) > 1 else []

    def find(self, text: str, *, offset: int = 0, on: dt.date | None = None) -> list[Entity]:
        """Every knowledge-base mention in ``text`` (named actors, countries, demonyms, capitals).

        Longest match wins and mentions do not overlap. Role words alone ("police") are not mentions here; use
        :meth:`resolve` on a noun phrase for those. Spans are shifted by ``offset``.

        >>> r = ActorResolver().initialize()
        >>> [(e.span.text, e.code) for e in r.find("Tehran said the U.S. and the UN were wrong.")]
        [('Tehran', 'IRN GOV'), ('U.S.', 'USA'), ('UN', 'IGO')]
        """
        if not isinstance(text, str):
            raise DetenteError("E305", kind=type(text).__name__)
        toks = tokenize(text)
        out: list[Entity] = []
        for m in self._match(toks):
            a = self._pick(m.terms, _ACTOR)
            s, e = toks[m.i].start, toks[m.j - 1].end
            if a is not None:
                row, ok = self._row(a.actor or "", on)
                sector = row.sector if ok or row.type != "person" else "ELI"
                ent = Entity(text=text[s:e], name=row.name, country=row.country, sector=sector, kb_id=row.kb_id,
                             confidence=0.9 if ok else 0.65)
            else:
                c = self._pick(m.terms, _PLACEISH)
                if c is None:
                    continue
                conf = {"country": 0.85, "seat": 0.7, "adj": 0.6}[c.kind]
                ent = Entity(text=text[s:e], name=c.label, country=c.country, sector=c.sector, confidence=conf)
            if ent.confidence >= self.min_score:
                ent.span = Span(start=offset + s, end=offset + e, text=text[s:e])
                out.append(ent)
        return out

    def country_code(self, name: str) -> str | None:
        """The country code a name, demonym, capital or code stands for, or None.

        >>> ActorResolver().country_code("Burma")
        'MMR'
        """
        if not isinstance(name, str):
            raise DetenteError("E305", kind=type(name).__name__)
        stripped = name.strip()
        if len(stripped) == 3 and stripped.isupper() and stripped in self.index.codes:
            return stripped
        toks = tokenize(stripped)
        if toks and toks[0].fold == "the" and len(toks) > 1:
            toks = toks[1:]
        if not toks:
            return None
        for bucket in (self.index.cs.get(tuple(t.surface for t in toks)),
                       self.index.ci.get(tuple(t.fold for t in toks))):
            if bucket:
                c = self._pick(bucket, _PLACEISH)
                if c is not None:
                    return c.country
                a = self._pick(bucket, _ACTOR)
                if a is not None:
                    row = self.index.actors[a.actor or ""][-1]
                    if row.country and row.country not in _TRANSNATIONAL and row.type != "igo":
                        return row.country
        return None


__all__ = ["ActorResolver", "key"]
