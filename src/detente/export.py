"""Write events as csv, jsonl, parquet, geojson, PLOVER JSON or ACLED-style CSV.

The csv / parquet / geojson columns are the store's flat columns (``detente.store.FLAT_COLUMNS``); ACLED and PLOVER
field names come from the mapping files in ``detente/data/export/`` so that files load beside those datasets without
renaming. Every writer streams: memory stays flat however many events pass through.

>>> import io
>>> from detente.schema import Event, Evidence
>>> ev = Event(article_id="art-1", event_type="PROTEST", evidence=Evidence(text="They marched.", start=0, end=13))
>>> buf = io.StringIO()
>>> export([ev], buf, "plover")
1
>>> import json; json.loads(buf.getvalue())["event"]
['PROTEST']
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import tomllib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from functools import lru_cache
from importlib import resources
from itertools import islice
from typing import IO, Any
from urllib.parse import urlsplit

from .errors import DetenteError
from .schema import Entity, Event, Modality, Place
from .store.flat import FLAT_COLUMNS, entity_label, flatten

FORMATS = ("csv", "jsonl", "parquet", "geojson", "plover", "acled")
TEXT_FORMATS = ("csv", "jsonl", "geojson", "plover", "acled")
_NOT_HAPPENED = {Modality.negated, Modality.hypothetical, Modality.future}
_BATCH = 20_000


# --- mapping data ------------------------------------------------------------------------------------------------
def _data(name: str) -> Any:
    return resources.files("detente").joinpath("data", "export", name)


@lru_cache(maxsize=None)
def _toml(name: str) -> dict[str, Any]:
    path = _data(name)
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise DetenteError("E211", path=str(path), detail=exc) from exc


@lru_cache(maxsize=None)
def _csv(name: str) -> tuple[dict[str, str], ...]:
    with _data(name).open(encoding="utf-8", newline="") as fh:
        return tuple(csv.DictReader(fh))


def acled_columns() -> list[tuple[str, str]]:
    """(ACLED column, detente value name) in ACLED's column order."""
    cols = _toml("acled.toml").get("column", [])
    if not cols or any("name" not in c or "from" not in c for c in cols):
        raise DetenteError("E211", path=str(_data("acled.toml")), detail="every [[column]] needs name and from")
    return [(c["name"], c["from"]) for c in cols]


@lru_cache(maxsize=1)
def _inter_by_sector() -> dict[str, int]:
    return {r["sector"]: int(r["inter"]) for r in _csv("acled_inter.csv")}


@lru_cache(maxsize=1)
def _disorder() -> dict[tuple[str, str], str]:
    return {(r["event_type"], r["sub_event_type"]): r["disorder_type"] for r in _csv("acled_disorder.csv")}


@lru_cache(maxsize=512)
def _country(iso3: str | None) -> tuple[str | None, int | None]:
    """(common name, ISO 3166 numeric) for an ISO3 code; (None, None) for IGO/EUR/unknown codes.

    >>> _country("IRN"), _country("KOR")[0], _country("IGO")
    (('Iran', 364), 'South Korea', (None, None))
    """
    if not iso3:
        return None, None
    import pycountry

    c = pycountry.countries.get(alpha_3=iso3.upper())
    if c is None:
        return None, None
    name = getattr(c, "common_name", None) or c.name
    if "," in name:  # "Korea, Republic of" -> "Republic of Korea"
        head, _, tail = name.partition(",")
        name = f"{tail.strip()} {head.strip()}"
    return name, int(c.numeric)


# --- helpers -----------------------------------------------------------------------------------------------------
def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, (dt.date, dt.datetime)) else value


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return _iso(value)


def _batches(items: Iterable[Any], n: int = _BATCH) -> Iterator[list[Any]]:
    it = iter(items)
    while batch := list(islice(it, n)):
        yield batch


class _Target:
    """Open a path (or use a stream) for writing; never closes a stream it was given."""

    def __init__(self, where: str | os.PathLike[str] | IO[Any], *, binary: bool) -> None:
        self.where, self.binary, self.fh, self.own = where, binary, None, False

    def __enter__(self) -> IO[Any]:
        if isinstance(self.where, (str, os.PathLike)):
            self.fh = open(self.where, "wb") if self.binary else open(self.where, "w", encoding="utf-8", newline="")
            self.own = True
        else:
            self.fh = self.where
        return self.fh

    def __exit__(self, *exc: object) -> None:
        if self.own and self.fh is not None:
            self.fh.close()


# --- flat formats ------------------------------------------------------------------------------------------------
def _write_csv(events: Iterable[Event], fh: IO[str]) -> int:
    w = csv.writer(fh)
    w.writerow(FLAT_COLUMNS)
    n = 0
    for ev in events:
        flat = flatten(ev)
        w.writerow([_cell(flat[c]) for c in FLAT_COLUMNS])
        n += 1
    return n


def _write_jsonl(events: Iterable[Event], fh: IO[str]) -> int:
    n = 0
    for ev in events:
        fh.write(ev.model_dump_json())
        fh.write("\n")
        n += 1
    return n


def _arrow_schema() -> Any:
    import pyarrow as pa

    from .store.base import _BOOL_COLS, _DATE_COLS, _FLOAT_COLS, _INT_COLS

    def typ(c: str) -> Any:
        if c in _INT_COLS:
            return pa.int64()
        if c in _FLOAT_COLS:
            return pa.float64()
        if c in _DATE_COLS:
            return pa.date32()
        if c in _BOOL_COLS:
            return pa.bool_()
        return pa.string()

    return pa.schema([(c, typ(c)) for c in FLAT_COLUMNS])


def _write_parquet(events: Iterable[Event], fh: IO[bytes]) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = _arrow_schema()
    n = 0
    with pq.ParquetWriter(fh, schema, compression="zstd") as writer:
        for batch in _batches(events):
            writer.write_table(pa.Table.from_pylist([flatten(ev) for ev in batch], schema=schema))
            n += len(batch)
        if n == 0:
            writer.write_table(schema.empty_table())
    return n


def _write_geojson(events: Iterable[Event], fh: IO[str]) -> int:
    """A FeatureCollection; events without coordinates get ``"geometry": null`` (valid GeoJSON, RFC 7946)."""
    fh.write('{"type": "FeatureCollection", "features": [\n')
    n = 0
    for ev in events:
        flat = flatten(ev)
        lat, lon = flat.pop("location_lat"), flat.pop("location_lon")
        geometry = {"type": "Point", "coordinates": [lon, lat]} if lat is not None and lon is not None else None
        feature = {"type": "Feature", "id": ev.id, "geometry": geometry,
                   "properties": {k: _iso(v) for k, v in flat.items()}}
        fh.write((",\n" if n else "") + json.dumps(feature, ensure_ascii=False))
        n += 1
    fh.write("\n]}\n")
    return n


# --- PLOVER ------------------------------------------------------------------------------------------------------
def _plover_entity(ent: Entity, fields: Mapping[str, str]) -> dict[str, Any]:
    values = {"country": ent.country, "sector": ent.sector, "text": ent.text, "kb_id": ent.kb_id,
              "name": ent.name}
    return {k: values.get(src) for k, src in fields.items()}


def _plover_location(place: Place | None, fields: Mapping[str, str]) -> dict[str, Any] | None:
    if place is None:
        return None
    values = {"text": place.span.text if place.span else place.name, "name": place.name,
              "geonames_id": place.geonames_id, "lat": place.lat, "lon": place.lon, "admin1": place.admin1,
              "country_name": _country(place.country)[0], "country": place.country,
              "feature_code": place.feature_code, "precision": place.precision}
    return {k: values.get(src) for k, src in fields.items()}


def plover_record(ev: Event) -> dict[str, Any]:
    """One event as a PLOVER JSON object (field names from data/export/plover.toml).

    >>> from detente.schema import Event, Evidence, Entity
    >>> ev = Event(article_id="a", event_type="AID", actor=[Entity(text="UN", country="UNO", sector="IGO")],
    ...            evidence=Evidence(text="The UN sent food.", start=0, end=17))
    >>> rec = plover_record(ev)
    >>> rec["actor"][0]["code"], rec["event"], rec["mode"]
    ('UNO', ['AID'], [])
    """
    spec = _toml("plover.toml")
    ent_fields, size_fields = spec["entity"], spec["size"]
    killed = ev.toll.killed if ev.toll else None
    injured = ev.toll.injured if ev.toll else None
    arrested = ev.toll.arrested if ev.toll else None
    size_values = {"killed_best": killed.best if killed else None, "injured_best": injured.best if injured else None,
                   "arrested_best": arrested.best if arrested else None}
    values: dict[str, Any] = {
        "id": ev.id,
        "has_event": ev.modality not in _NOT_HAPPENED,
        "date": _iso(ev.date),
        "actor": [_plover_entity(e, ent_fields) for e in ev.actor],
        "recipient": [_plover_entity(e, ent_fields) for e in ev.recipient],
        "event_type": [ev.event_type],
        "mode": [ev.mode] if ev.mode else [],
        "context": list(ev.context),
        "quad_class": ev.quad_class,
        "location": _plover_location(ev.location, spec["location"]),
        "evidence_text": ev.evidence.text,
        "url": ev.url,
        "coder": spec.get("coder", "detente"),
        "size": {k: size_values.get(src) for k, src in size_fields.items()},
    }
    return {k: values.get(src) for k, src in spec["event"].items()}


def _write_plover(events: Iterable[Event], fh: IO[str]) -> int:
    n = 0
    for ev in events:
        fh.write(json.dumps(plover_record(ev), ensure_ascii=False))
        fh.write("\n")
        n += 1
    return n


# --- ACLED -------------------------------------------------------------------------------------------------------
_STATE = 1
_TIME_PRECISION = {"day": 1, "week": 2, "month": 3, "year": 3}
_GEO_PRECISION = {"point": 1, "city": 1, "admin2": 2, "admin1": 3, "country": 3}


def _inter(ent: Entity | None, ev: Event, *, first: bool) -> int | None:
    """ACLED inter code for one actor: protest/riot roles first, then the sector table, then foreign state forces."""
    if ent is None:
        return None
    if first and (ev.event_type == "PROTEST" or ev.acled_type in ("Protests", "Riots")) and ev.event_type != "ASSAULT":
        return 5 if (ev.mode in ("riot", "vandalize") or ev.acled_type == "Riots") else 6
    code = _inter_by_sector().get(ent.sector or "") or (_STATE if _bare_state(ent) else None)
    here = ev.location.country if ev.location else None
    if code == _STATE and ent.country and here and ent.country != here:
        return 8  # state forces acting outside their own country: ACLED's external forces
    return code


# ACLED names state, protester and civilian actors by their role and country ("Military Forces of Pakistan",
# "Protesters (Bangladesh)"); named groups (rebels, militias, organisations) keep their own name.
_ACLED_NAME = {
    "MIL": "Military Forces of {country}", "COP": "Police Forces of {country}", "GOV": "Government of {country}",
    "LEG": "Government of {country}", "JUD": "Government of {country}", "SPY": "Government of {country}",
    "PRT": "Protesters ({country})",
    **dict.fromkeys(("CVL", "JRN", "MED", "EDU", "REL", "REF", "BUS", "LAB", "ELI"), "Civilians ({country})"),
}
_INTER_NAME = {5: "Rioters ({country})", 6: "Protesters ({country})"}
# Where ACLED's country names differ from pycountry's (ACLED's country list).
_ACLED_COUNTRY = {
    "COD": "Democratic Republic of Congo", "COG": "Republic of Congo", "CIV": "Ivory Coast", "PSE": "Palestine",
    "CZE": "Czech Republic", "TUR": "Turkey", "RUS": "Russia", "BRN": "Brunei", "CPV": "Cape Verde",
    "SWZ": "eSwatini", "TLS": "East Timor", "VAT": "Vatican City", "FSM": "Micronesia", "GMB": "Gambia",
}


def acled_country(iso3: str | None) -> tuple[str | None, int | None]:
    """(ACLED's country name, ISO 3166 numeric) for an ISO3 code.

    >>> acled_country("COD"), acled_country("KEN")
    (('Democratic Republic of Congo', 180), ('Kenya', 404))
    """
    name, numeric = _country(iso3)
    return (_ACLED_COUNTRY.get((iso3 or "").upper(), name) if name else None), numeric


def acled_actor(ent: Entity, inter: int | None = None) -> str:
    """An actor's name in ACLED's style, from the resolved entity: by role and country for state forces,
    protesters, rioters and civilians ("Police Forces of Pakistan", "Protesters (Kenya)"); else the resolved
    name; an unresolved mention only when nothing else is known.

    >>> acled_actor(Entity(text="the army", country="PAK", sector="MIL"))
    'Military Forces of Pakistan'
    >>> acled_actor(Entity(text="demonstrators", country="BGD", sector="PRT"), inter=5)
    'Rioters (Bangladesh)'
    >>> acled_actor(Entity(text="the BLA", name="Baloch Liberation Army", country="PAK", sector="REB"))
    'Baloch Liberation Army'
    """
    country = acled_country(ent.country)[0]
    pattern = _INTER_NAME.get(inter or 0) or _ACLED_NAME.get(ent.sector or "")
    if country and pattern:
        return pattern.format(country=country)
    if country and _bare_state(ent):  # a state named bare ("Ethiopia", "the two countries", "Tehran")
        return f"Government of {country}"
    return ent.name or ent.text


def _bare_state(ent: Entity) -> bool:
    """A country acting as a whole: an ISO country, no sector, and no name of its own but the country's."""
    if ent.sector or not _country(ent.country)[0]:
        return False
    if not ent.name:
        return True
    from .filters import country_names

    return country_names().get(re.sub(r"[^a-z0-9]+", " ", ent.name.lower()).strip()) == ent.country


def _event_country(ev: Event) -> str | None:
    """Where the event happened, as an ISO3 code: the place's country, else the first recipient's, else the first
    actor's (only ISO countries: IGO, NGO … are no place)."""
    if ev.location and _country(ev.location.country)[0]:
        return ev.location.country
    for ent in (*ev.recipient, *ev.actor):
        if _country(ent.country)[0]:
            return ent.country
    return None


def acled_row(ev: Event, source: str | None = None) -> dict[str, Any]:
    """One event as an ACLED row (ACLED column name -> value; blank where detente does not know).

    ``fatalities`` is 0 when no death is reported (ACLED's convention); ``inter2`` is 0 when there is no second
    actor; ``country``/``iso`` come from the place, else from the recipient or actor (``geo_precision`` 3 then).
    """
    a1 = ev.actor[0] if ev.actor else None
    a2 = ev.recipient[0] if ev.recipient else None
    i1, i2 = _inter(a1, ev, first=True), _inter(a2, ev, first=False)
    if i1 is not None and a2 is None:
        interaction: str | None = f"{i1}0"
        i2 = 0
    elif i1 is not None and i2 is not None:
        interaction = "".join(str(i) for i in sorted((i1, i2)))
    else:
        interaction = None
    disorder = _disorder().get((ev.acled_type or "", ev.acled_subtype or "")) or _disorder().get(
        (ev.acled_type or "", ""))
    loc = ev.location
    where = _event_country(ev)
    name, numeric = acled_country(where)
    on_place = loc is not None and loc.country == where
    geo = _GEO_PRECISION.get(loc.precision or "") if on_place and loc else None
    if geo is None and where:
        geo = 3  # only the country is known
    killed = ev.toll.killed if ev.toll else None
    civ = (disorder or "").startswith("Political violence") and any(
        _inter(r, ev, first=False) == 7 for r in ev.recipient)
    host = urlsplit(ev.url).hostname if ev.url else None
    values: dict[str, Any] = {
        "id": ev.id, "date": ev.date, "year": ev.date.year if ev.date else None,
        "time_precision": _TIME_PRECISION.get(ev.date_precision or "day") if ev.date else None,
        "disorder_type": disorder, "acled_type": ev.acled_type, "acled_subtype": ev.acled_subtype,
        "actor1": acled_actor(a1, i1) if a1 else None,
        "assoc_actor_1": _assoc(ev.actor[1:], a1, i1), "inter1": i1,
        "actor2": acled_actor(a2, i2) if a2 else None,
        "assoc_actor_2": _assoc(ev.recipient[1:], a2, i2), "inter2": i2,
        "interaction": interaction, "civilian_targeting": "Civilian targeting" if civ else None,
        "iso_numeric": numeric, "country_name": name,
        "location_admin1": loc.admin1 if on_place and loc else None,
        "location_name": loc.name if on_place and loc else None,
        "location_lat": loc.lat if on_place and loc else None, "location_lon": loc.lon if on_place and loc else None,
        "geo_precision": geo,
        "source": source or host, "evidence_text": ev.evidence.text,
        "killed_best": killed.best if killed and killed.best is not None else 0,
        "tags": f"detente modality: {ev.modality.value}" if ev.modality != Modality.asserted else None,
    }
    return {col: values.get(src) if src else None for col, src in acled_columns()}


def _assoc(ents: Sequence[Entity], main: Entity | None, inter: int | None) -> str | None:
    """Associated actors: the other entities of a side, ACLED-named, without repeating the main actor's name."""
    first = acled_actor(main, inter) if main else None
    names = [n for n in dict.fromkeys(acled_actor(e) for e in ents) if n != first]
    return "; ".join(names) or None


def _write_acled(events: Iterable[Event], fh: IO[str], sources: Mapping[str, str] | None) -> int:
    """ACLED-style CSV: only dated events with an ACLED type that are reported as having happened."""
    cols = [c for c, _ in acled_columns()]
    w = csv.writer(fh)
    w.writerow(cols)
    n = 0
    for ev in events:
        if not ev.acled_type or ev.modality in _NOT_HAPPENED or ev.date is None:
            continue
        row = acled_row(ev, (sources or {}).get(ev.article_id))
        w.writerow([_cell(row[c]) for c in cols])
        n += 1
    return n


# --- entry point -------------------------------------------------------------------------------------------------
_WRITERS: dict[str, Callable[..., int]] = {
    "csv": _write_csv, "jsonl": _write_jsonl, "parquet": _write_parquet, "geojson": _write_geojson,
    "plover": _write_plover,
}


def export(events: Iterable[Event], path_or_stream: str | os.PathLike[str] | IO[Any], fmt: str, *,
           sources: Mapping[str, str] | None = None) -> int:
    """Write ``events`` to a file path or an open stream in format ``fmt``; returns the number of events written.

    Parameters
    ----------
    events
        Any iterable of Event (consumed once, streamed).
    path_or_stream
        A path, or an open text stream (binary stream for parquet). Streams are not closed.
    fmt
        csv | jsonl | parquet | geojson | plover | acled. ``acled`` writes only events that have an ACLED type and
        are not negated, hypothetical or future, so the count can be lower than the input.
    sources
        Article id -> outlet name, for ACLED's ``source`` column (else the URL's host).
    """
    fmt = (fmt or "").lower()
    if fmt not in FORMATS:
        raise DetenteError("E209", fmt=fmt, allowed=", ".join(FORMATS))
    binary = fmt == "parquet"
    if binary and isinstance(path_or_stream, io.TextIOBase):
        raise DetenteError("E210", fmt=fmt)
    with _Target(path_or_stream, binary=binary) as fh:
        if fmt == "acled":
            return _write_acled(events, fh, sources)
        return _WRITERS[fmt](events, fh)
