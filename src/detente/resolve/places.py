"""Toponym resolution: the mentions of one document, resolved jointly against the gazetteer.

Each candidate gets a score from a few transparent features (see docs/places.md):

* prior: log population, feature type (country > continent > admin1/region > capital > admin2 > town), a penalty
  when a town only matches through one of its alternate names ("Africa" is also a name of Mahdia, Tunisia);
* qualifier: "Alexandria, Louisiana", "Paris, Texas", "Pandi (Bulacan)": a candidate inside the named region or
  country gets a large bonus;
* document context: countries and admin1 regions named elsewhere in the document (directly, or as the region of
  another resolved place), plus ``context_countries`` from the caller; the mention's own vote is left out;
* proximity: candidates near other resolved places of the document (local news names nearby towns);
* text scan: countries and admin1 regions named anywhere in the text outside the mentions (inside organisation
  names, ", Ind." after an address) add to the document context.

Scores are computed in rounds: round one without document context, then with the context of the previous
round's choices. No country is favoured unless the document (or the caller) names it.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise

from ..errors import DetenteError
from ..schema import Place, Span
from .gazetteer import FEATURE_PRECISION, Candidate, Gazetteer, normalize

_FEATURE_BONUS = {"PCLI": 2.2, "PCLD": 1.2, "PCLF": 1.2, "PCLS": 1.2, "PCLIX": 1.0, "TERR": 1.0, "CONT": 2.0,
                  "ADM1": 1.3, "RGN": 1.1, "PEN": 1.0, "SEA": 1.0, "GULF": 1.0, "STRT": 1.0, "PPLC": 0.8,
                  "PPLA": 0.4, "ADM2": 0.2}
_QUALIFIER = re.compile(r"\s*(?:,|\()\s*((?:[A-Z][\w.'’-]*\.?)(?:\s+(?:of\s+)?[A-Z][\w.'’-]*\.?){0,3})")
_POSSESSIVE = re.compile(r"(?:['’]s|['’])$")
_GENERIC_TAIL = re.compile(
    r"\s+(?:province|region|state|governorate|district|city|oblast|prefecture|county|department|area|"
    r"territory|municipality|town|village)$", re.IGNORECASE)
_LEADING = re.compile(r"^(?:the|greater|downtown|northern|southern|eastern|western|central)\s+", re.IGNORECASE)
# abbreviations that stand alone as mentions: "Ind.", "Pa.", "B.C.", "N.L." (looked up as qualifiers first)
_ABBREV = re.compile(r"^(?:[A-Z][a-z]{0,4}\.|(?:[A-Z]\.){2,3})$")
_COUNTY_ABBR = re.compile(r"\s+Co\.?$")
_TOWNSHIP = re.compile(r"\s+(?:Twp\.?|Township)$", re.IGNORECASE)
# demonym / inhabitant-noun endings -> what to put back to get the place name
# ("Ohioans" -> Ohio, "Iowans" -> Iowa, "Ontarians" -> Ontario, "Texan" -> Texas, "Londoners" -> London,
#  "Dagestani" -> Dagestan, "Richmondites" -> Richmond, "Latvians" -> Latvian -> Latvia)
_DEMONYM_ENDINGS = (("ians", "io"), ("ian", "io"), ("ans", ""), ("an", ""), ("ns", ""), ("n", ""), ("ans", "as"),
                    ("an", "as"), ("ers", ""), ("er", ""), ("ites", ""), ("ite", ""), ("is", ""), ("i", ""),
                    ("s", ""))
# capitalised word sequences scanned for document context (countries and admin1 regions named anywhere)
_CAPS = re.compile(r"\b[A-Z][a-z]+(?:[ -](?:of |and )?[A-Z][a-z]+){0,3}\b")
# US-style local cues: a house-numbered street address with an AP street abbreviation ("2517 Memphis St.",
# "1200 E. Broad St."), a numbered county road / interstate / US or state route
_US_CUES = re.compile(
    r"\b\d{1,5}\s+(?:[NSEW]\.\s+)?(?:[A-Z][a-z]+\s+){1,3}(?:St|Ave|Blvd|Rd|Dr|Ln|Pkwy|Hwy)\.|"
    r"\b(?:County Road|County Route|Interstate|State Route|State Road|U\.S\. Highway|U\.S\. Route)\s+\d{1,3}\b|"
    r"\bI-\d{1,3}\b")
_COMMA_ABBR = re.compile(r",\s*((?:[A-Z][a-z]{1,4}\.)|(?:[A-Z]\.){2,3}|[A-Z]{2}\b)")
_EARTH_KM = 6371.0088
# feature codes of local places (towns, counties) that the candidate-set cluster support applies to
_LOCAL = frozenset(("PPL", "PPLA", "PPLA2", "PPLA3", "PPLA4", "PPLC", "PPLX", "PPLL", "ADM2", "ADM3"))
CITY_OVER_REGION_POP = 50_000
SCAN_CITY_POP = 100_000  # a scanned name that is also a city this large ("Washington", "Mexico") is not counted
SCAN_REGION_POP = 100_000  # smaller admin1 units ("Patrick", Isle of Man) are too often a person's name


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km.

    >>> round(haversine_km(0, 0, 0, 1))
    111
    """
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * _EARTH_KM * math.asin(min(1.0, math.sqrt(a)))


def _name_key(text: str) -> str:
    """The key grouping a document's mentions of one name, so that "Boone County", "Boone" and "Iran's" do not
    vote for each other: normalised, without a possessive, leading article/direction or generic tail.

    >>> _name_key("Boone County") == _name_key("Boone")
    True
    """
    name = _POSSESSIVE.sub("", text.strip()).strip(" ,.;:")
    short = _GENERIC_TAIL.sub("", _LEADING.sub("", name))
    return normalize(short or name)


@dataclass(slots=True)
class _Mention:
    text: str
    start: int
    end: int
    candidates: list[Candidate]
    prior: list[float]
    in_qualifier: list[bool]
    support: list[float] | None = None
    choice: int = -1
    score: float = 0.0
    margin: float = 0.0


class PlaceResolver:
    """Resolve the toponym mentions of a document to places.

    Parameters
    ----------
    gazetteer
        A :class:`Gazetteer` (default: the default index).
    context_weight, region_weight, proximity_weight, qualifier_weight
        Feature weights (defaults set on the dev geo sets; see docs/places.md).
    rounds
        Context rounds after the first, context-free one.

    Examples
    --------
    >>> from detente.resolve.gazetteer import tiny_state
    >>> r = PlaceResolver(gazetteer=Gazetteer.from_state(tiny_state())).initialize()
    >>> text = "Springfield, Illinois"
    >>> r.resolve([("Springfield", 0, 11)], text=text)[0].admin1
    'Illinois'
    """

    def __init__(self, *, gazetteer: Gazetteer | None = None, context_weight: float = 3.0,
                 region_weight: float = 1.5, proximity_weight: float = 1.2, qualifier_weight: float = 6.0,
                 rounds: int = 2, scan_weight: float = 0.5, curated_bonus: float = 3.0,
                 cluster_weight: float = 1.0, cluster_km: float = 100.0, cluster_region_weight: float = 0.0,
                 peer_weight: float = 1.5, cue_weight: float = 1.0) -> None:
        self.gazetteer = gazetteer
        self.context_weight = context_weight
        self.region_weight = region_weight
        self.proximity_weight = proximity_weight
        self.qualifier_weight = qualifier_weight
        self.rounds = rounds
        self.scan_weight = scan_weight
        self.curated_bonus = curated_bonus
        self.cluster_weight = cluster_weight
        self.cluster_km = cluster_km
        self.cluster_region_weight = cluster_region_weight
        self.peer_weight = peer_weight
        self.cue_weight = cue_weight

    def initialize(self) -> PlaceResolver:
        if self.gazetteer is None:
            self.gazetteer = Gazetteer()
        self.gazetteer.initialize()
        return self

    @property
    def gaz(self) -> Gazetteer:
        if self.gazetteer is None:
            self.initialize()
        assert self.gazetteer is not None
        return self.gazetteer

    # ----------------------------------------------------------------------------------------------------------

    def candidates_for(self, name: str) -> list[Candidate]:
        """Candidates for a mention text, trying light variants ("Idlib province" -> "Idlib", "Iran's" -> "Iran",
        "Ind." -> Indiana, "Pott Co." -> "Pott County", "Ohioans" -> Ohio)."""
        gaz = self.gaz
        name = _POSSESSIVE.sub("", name.strip()).strip(" ,;:")
        abbrev = _ABBREV.match(name)
        if abbrev and name[1:2].islower():  # "Ind.", "Pa.": a state abbreviation before anything else
            hits = [c for c in gaz.qualifier(name) if c.feature_code in ("ADM1", "PCLI")]
            if hits:
                return hits
        cands = gaz.candidates(name.rstrip("."))
        if cands:
            return cands
        if abbrev:  # "B.C.", "N.L." when no place has the name itself ("L.A." does)
            hits = [c for c in gaz.qualifier(name) if c.feature_code in ("ADM1", "PCLI")]
            if hits:
                return hits
        name = name.rstrip(".")
        for pattern, repl in ((_LEADING, ""), (_GENERIC_TAIL, ""), (_COUNTY_ABBR, " County"), (_TOWNSHIP, "")):
            short = pattern.sub(repl, name)
            if short != name and short:
                cands = gaz.candidates(short)
                if cands:
                    return cands
        return self._demonym_candidates(name)

    def _demonym_candidates(self, name: str) -> list[Candidate]:
        """Places an inhabitant noun or adjective not in the demonym table names ("Ohioans", "Londoner")."""
        gaz = self.gaz
        if len(name) < 5 or not name[:1].isupper():
            return []
        for ending, repl in _DEMONYM_ENDINGS:
            if not name.endswith(ending) or len(name) - len(ending) < 3:
                continue
            base = name[: len(name) - len(ending)] + repl
            demonym = gaz.is_demonym(base)
            hits = [c for c in gaz.candidates(base)
                    if (demonym or not c.alternate) and (c.feature_class in "AL" or c.population >= 1000)]
            if hits:
                return hits
        return []

    def _qualifier_of(self, mention: str, start: int, end: int, text: str | None,
                      following: str | None = None) -> list[Candidate]:
        """Regions a mention is qualified by: "Paris, Texas" (inside the mention or right after it). Without the
        text, ``following`` is the next mention when it starts within 3 characters of this one's end ("Paris" and
        "Texas" found as two proper-noun chains)."""
        gaz = self.gaz
        parts = mention.split(",", 1)
        tail = parts[1].strip() if len(parts) == 2 else None
        if tail is None and text is not None:
            m = _QUALIFIER.match(text, end)
            if m:
                tail = m.group(1)
        elif tail is None and following:
            tail = following.strip()
        if not tail:
            return []
        words = tail.split()
        for n in range(len(words), 0, -1):
            hits = [c for c in gaz.qualifier(" ".join(words[:n])) if c.feature_code != "CONT"]
            if hits:
                return hits
        return []

    def _scan(self, text: str, spans: list[tuple[int, int]]) -> list[tuple[str, str | None, str | None, float]]:
        """Countries and admin1 regions named anywhere in the text outside the mentions ("the Indiana Department
        of Workforce Development", ", Ind."): ``(key, country, region, weight)`` votes for the document context.
        Names that are also a large city ("Washington", "Mexico") are not counted; a name that is both a country
        and a region ("Georgia") splits its vote."""
        gaz = self.gaz
        found: list[tuple[str, list[Candidate]]] = []

        def outside(a: int, b: int) -> bool:
            return not any(a < e and s < b for s, e in spans)

        for m in _CAPS.finditer(text):
            if not outside(m.start(), m.end()):
                continue
            words = m.group(0).split()
            # the longest known sub-sequence from each start ("Indiana Department" -> "Indiana")
            i = 0
            while i < len(words):
                for j in range(len(words), i, -1):
                    phrase = " ".join(words[i:j])
                    cands = [c for c in gaz.candidates(phrase) if not c.alternate]
                    if cands:
                        found.append((normalize(phrase), cands))
                        i = j
                        break
                else:
                    i += 1
        for m in _COMMA_ABBR.finditer(text):
            if outside(m.start(1), m.end(1)):
                hits = [c for c in gaz.qualifier(m.group(1)) if c.feature_code == "ADM1"]
                if hits:
                    found.append((normalize(m.group(1)), hits))
        out = []
        if self.cue_weight > 0:
            cues = sum(1 for _ in zip(range(2), _US_CUES.finditer(text)))
            if cues:
                out.append(("#us-cues", "USA", None, self.cue_weight * cues / 2))
        for key, cands in found:
            areas = [c for c in cands if c.feature_code == "PCLI"
                     or (c.feature_code == "ADM1" and c.population >= SCAN_REGION_POP)]
            if not areas or any(c.feature_class == "P" and c.population >= SCAN_CITY_POP for c in cands):
                continue
            w = self.scan_weight / len(areas)
            out += [(key, c.country, c.region if c.feature_code == "ADM1" else None, w) for c in areas]
        return out

    def _prior(self, c: Candidate) -> float:
        score = math.log10(c.population + 10) / 3.0 + _FEATURE_BONUS.get(c.feature_code, 0.0)
        if c.alternate and c.feature_code in ("PPL", "PPLA", "PPLC", "PPLX", "ADM2"):
            score -= 1.5
        if c.lat is None:
            score -= 1.0
        if c.feature_class == "L" and c.geonames_id is None:
            score += self.curated_bonus  # hand-written regions, seas and their aliases: the well-known sense
        return score

    def resolve(self, mentions: Sequence[tuple[str, int, int]], *, text: str | None = None,
                context_countries: Mapping[str, float] | None = None) -> list[Place | None]:
        """Resolve all toponym mentions of one document jointly.

        Parameters
        ----------
        mentions
            ``(mention text, start, end)`` with offsets into ``text`` (when given).
        text
            The document text: used to read qualifiers ("Alexandria, La.").
        context_countries
            ISO3 code -> weight (0..1) the caller already knows the document is about.

        Returns
        -------
        list
            One :class:`~detente.schema.Place` or ``None`` (no candidate) per mention, in order.
        """
        self.initialize()
        items: list[_Mention] = []
        adjacent: dict[int, str] = {}
        if text is None:  # "Paris" + "Texas" as separate mentions: the second may qualify the first
            by_start = sorted(mentions, key=lambda x: x[1])
            for (_r, _s, e), (nxt, s2, _e2) in pairwise(by_start):
                if 0 < s2 - e <= 3:
                    adjacent[e] = nxt
        for raw, start, end in mentions:
            if text is not None and not (0 <= start <= end <= len(text)):
                raise DetenteError("E405", start=start, end=end, n=len(text))
            main = raw.split(",", 1)[0] if "," in raw else raw
            cands = self.candidates_for(main) if main.strip() else []
            qual = self._qualifier_of(raw, start, end, text, adjacent.get(end)) if cands else []
            q_regions = {q.region for q in qual if q.feature_code in ("ADM1", "ADM2") and q.region}
            q_codes = {q.admin1_code for q in qual if q.admin1_code and q.feature_code == "ADM1"}
            q_countries = {q.country for q in qual if q.feature_code.startswith("PCL") and q.country}
            inq = [bool((c.region in q_regions or (c.admin1_code and c.admin1_code in q_codes)
                         or c.country in q_countries) and c.feature_code not in ("PCLI", "CONT")
                        and c.row not in {q.row for q in qual}) for c in cands]
            items.append(_Mention(raw, start, end, cands, [self._prior(c) for c in cands], inq))

        if self.cluster_weight > 0 or self.cluster_region_weight > 0:
            self._cluster_support(items)
        external = {k.upper(): float(v) for k, v in (context_countries or {}).items()}
        scanned = self._scan(text, [(m.start, m.end) for m in items]) if text and self.scan_weight > 0 else []
        self._round(items, external, None, scanned)
        for _ in range(self.rounds):
            self._round(items, external, items, scanned)
        return [self._place(m) for m in items]

    def _round(self, items: list[_Mention], external: dict[str, float], context: list[_Mention] | None,
               scanned: Sequence[tuple[str, str | None, str | None, float]] = ()) -> None:
        keys = [_name_key(m.text) for m in items]
        votes: Counter[str] = Counter()
        regions: Counter[str] = Counter()
        key_votes: dict[str, Counter[str]] = {}
        key_regions: dict[str, Counter[str]] = {}
        points: list[tuple[str, float, float]] = []
        peers: dict[str, set[str]] = {}  # country -> name keys resolved to one of its admin1 regions
        if context is not None:
            for key, country, region, w in scanned:
                key = _name_key(key)
                if country:
                    votes[country] += w
                    key_votes.setdefault(key, Counter())[country] += w
                if region:
                    regions[region] += w
                    key_regions.setdefault(key, Counter())[region] += w
            for key, m in zip(keys, context):
                if m.choice < 0:
                    continue
                c = m.candidates[m.choice]
                if c.country:
                    w = 2.0 if c.feature_code.startswith("PCL") else 1.0
                    votes[c.country] += w
                    key_votes.setdefault(key, Counter())[c.country] += w
                if c.region and c.feature_code != "PCLI":
                    regions[c.region] += 1
                    key_regions.setdefault(key, Counter())[c.region] += 1
                if c.lat is not None and c.precision == "city":
                    points.append((key, c.lat, c.lon))
                if c.feature_code == "ADM1" and c.country:
                    peers.setdefault(c.country, set()).add(key)
        for key, m in zip(keys, items):
            if not m.candidates:
                continue
            # the document context other names give: votes of this name's own mentions left out
            ctx = votes - key_votes.get(key, Counter())
            reg = regions - key_regions.get(key, Counter())
            total = sum(ctx.values()) or 1.0
            others = [(la, lo) for k, la, lo in points if k != key]
            # a name that is also a country ("Mexico") means the country, not its namesake region, in a list
            m_countries = {c.country for c in m.candidates if c.feature_code == "PCLI"}
            scores = []
            for j, c in enumerate(m.candidates):
                s = m.prior[j]
                if m.in_qualifier[j]:
                    s += self.qualifier_weight
                if c.country:
                    s += self.context_weight * max(ctx.get(c.country, 0.0) / total, external.get(c.country, 0.0))
                if c.region and reg.get(c.region, 0) > 0 and not c.feature_code.startswith("PCL"):
                    s += self.region_weight
                if m.support is not None:
                    s += m.support[j]
                if (c.feature_code == "ADM1" and not c.alternate and c.country not in m_countries
                        and peers.get(c.country, set()) - {key}):
                    s += self.peer_weight  # a list of regions: "California, Oregon and Washington"
                if others and c.lat is not None and c.precision == "city":
                    near = min(haversine_km(c.lat, c.lon, la, lo) for la, lo in others)
                    if near < 150:
                        s += self.proximity_weight
                    elif near < 400:
                        s += self.proximity_weight / 2
                scores.append(s)
            best = max(range(len(scores)), key=scores.__getitem__)
            ranked = sorted(scores, reverse=True)
            m.choice, m.score = best, scores[best]
            m.margin = ranked[0] - ranked[1] if len(ranked) > 1 else 5.0

    def _cluster_support(self, items: list[_Mention]) -> None:
        """Spatial agreement between the *candidate sets* of a document's names: a town candidate that lies near
        some candidate of other names (or in the same admin1 region as one) is likely the one meant: local news
        names several nearby towns without naming their state ("Alexandria", "Brandon", "Douglas County" all in
        Minnesota). Each other name counts once, weighted by how unambiguous it is (1 / number of its candidate
        towns, floored at 1/4), so that "Washington", which is everywhere, supports little."""
        by_key: dict[str, list[Candidate]] = {}
        for m in items:
            key = _name_key(m.text)
            if key in by_key or not m.candidates:
                continue
            top = m.candidates[max(range(len(m.candidates)), key=m.prior.__getitem__)]
            # names that are first of all a country or a region ("California", "Oregon") neither give nor take
            by_key[key] = ([c for c in m.candidates if c.lat is not None and c.feature_code in _LOCAL]
                           if top.feature_code in _LOCAL else [])
        if len(by_key) < 2:
            return
        cell = max(self.cluster_km / 111.0, 0.25)
        grid: dict[tuple[int, int], list[tuple[str, float, float]]] = {}
        region_keys: dict[str, set[str]] = {}
        weight: dict[str, float] = {}
        for key, cands in by_key.items():
            if not cands:
                continue
            weight[key] = max(1.0 / len(cands), 0.25)
            for c in cands:
                grid.setdefault((int(c.lat // cell), int(c.lon // cell)), []).append((key, c.lat, c.lon))
                if c.region:
                    region_keys.setdefault(c.region, set()).add(key)
        if len(weight) < 2:
            return
        memo: dict[tuple[str, int], float] = {}
        for m in items:
            key = _name_key(m.text)
            if not by_key.get(key):
                continue
            support = []
            for c in m.candidates:
                if c.lat is None or c.feature_code not in _LOCAL:
                    support.append(0.0)
                    continue
                hit = memo.get((key, c.row))
                if hit is None:
                    near: set[str] = set()
                    ci, cj = int(c.lat // cell), int(c.lon // cell)
                    for di in (-1, 0, 1):
                        for dj in (-1, 0, 1):
                            for k, la, lo in grid.get((ci + di, cj + dj), ()):
                                if k != key and k not in near and haversine_km(c.lat, c.lon, la, lo) <= self.cluster_km:
                                    near.add(k)
                    same = region_keys.get(c.region, set()) - near - {key} if c.region else set()
                    hit = (self.cluster_weight * min(sum(weight[k] for k in near), 2.0)
                           + self.cluster_region_weight * min(sum(weight[k] for k in same), 2.0))
                    memo[(key, c.row)] = hit
                support.append(hit)
            m.support = support

    def _place(self, m: _Mention) -> Place | None:
        if m.choice < 0:
            return None
        c = m.candidates[m.choice]
        if c.feature_code == "ADM1":
            c = self._city_of_same_name(m, c)
        conf = 1.0 / (1.0 + math.exp(-(m.margin - 0.5)))
        return Place(name=c.name, geonames_id=c.geonames_id, lat=c.lat, lon=c.lon, admin1=c.admin1,
                     admin1_code=c.admin1_code, country=c.country, feature_code=c.feature_code,
                     precision=FEATURE_PRECISION.get(c.feature_code, "city"),
                     span=Span(start=m.start, end=m.end, text=m.text), confidence=round(conf, 3))

    @staticmethod
    def _city_of_same_name(m: _Mention, region: Candidate) -> Candidate:
        """"Tehran", "Kabul", "New York", "Jenin": when a province and a large city share the name, news means the
        city (a province is named with "province" or "state", which the province candidate alone matches)."""
        key = normalize(m.text)
        cities = [c for c in m.candidates if c.feature_code.startswith("PPL") and c.country == region.country
                  and normalize(c.name) == key and c.population >= CITY_OVER_REGION_POP]
        return max(cities, key=lambda c: c.population) if cities else region

    def place_for_country(self, iso3: str) -> Place:
        """The country as a Place (precision ``country``); DetenteError E406 for an unknown code."""
        c = self.gaz.country(iso3)
        if c is None:
            raise DetenteError("E406", iso=iso3)
        return Place(name=c.name, geonames_id=c.geonames_id, lat=c.lat, lon=c.lon, country=c.country,
                     feature_code=c.feature_code, precision="country", confidence=1.0)
