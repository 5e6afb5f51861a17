"""The actor knowledge base: reading the data files, validating rows, building the lookup index.

Three kinds of table, told apart by their header (see docs/actors.md for every column):

- **country aliases** (``country, alias, kind, sector, case_sensitive, notes``): names, demonyms, capitals and seats;
- **roles** (``term, sector, strength, case_sensitive, notes``): agent words and titles ("troops", "foreign minister");
- **actors** (``id, name, aliases, cs_aliases, country, sector, type, office, valid_from, valid_to, wikidata, notes``):
  IGOs, armed groups, bodies and office holders, one row per validity period.

Files are read in order; a later file overrides an earlier one: an actor ``id`` is replaced as a whole (all its rows),
a country alias or a role term is replaced by key. Country names also come from pycountry (not hand-typed).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from ..errors import DetenteError
from ..schema import Sector
from .actors_text import key, surface_key

COUNTRY_COLUMNS = ("country", "alias", "kind", "sector", "case_sensitive", "notes")
ROLE_COLUMNS = ("term", "sector", "strength", "case_sensitive", "notes")
ACTOR_COLUMNS = ("id", "name", "aliases", "cs_aliases", "country", "sector", "type", "office", "valid_from",
                 "valid_to", "wikidata", "notes")
CODE_COLUMNS = ("code", "name", "notes")
COUNTRY_KINDS = frozenset({"name", "adj", "seat"})
# strong/weak: a sector word; state/generic: a bare state or group noun; former: "former", "ousted" (the role after
# it is an elite's); place: "State", "province", "county" (the capitalised name before it is a place)
ROLE_STRENGTHS = frozenset({"strong", "weak", "state", "generic", "former", "place"})
SECTORS = frozenset(s.value for s in Sector)
SUFFIXES = (".tsv", ".csv", ".jsonl")
SHIPPED = "detente.data.actors"


@dataclass(frozen=True, slots=True)
class Term:
    """What one alias means. ``kind`` is country | adj | seat | role | actor."""

    kind: str
    country: str | None = None
    sector: str | None = None
    strength: str = ""
    actor: str | None = None
    label: str | None = None


@dataclass(frozen=True, slots=True)
class ActorRow:
    """One validity period of a named actor."""

    id: str
    name: str
    country: str | None
    sector: str | None
    type: str
    office: str | None
    valid_from: dt.date | None
    valid_to: dt.date | None  # exclusive: the first day the row no longer holds
    wikidata: str | None

    def valid_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day < self.valid_to)

    @property
    def kb_id(self) -> str:
        return self.wikidata or f"detente:{self.id}"


@dataclass(slots=True)
class _Layer:
    """What the files say, before indexing; later files write over earlier ones."""

    codes: dict[str, str] = field(default_factory=dict)
    country_names: dict[str, str] = field(default_factory=dict)
    countries: dict[tuple[tuple[str, ...], bool], Term] = field(default_factory=dict)
    roles: dict[tuple[tuple[str, ...], bool], Term] = field(default_factory=dict)
    actors: dict[str, list[ActorRow]] = field(default_factory=dict)
    actor_aliases: dict[str, list[tuple[str, bool]]] = field(default_factory=dict)


@dataclass(slots=True)
class ActorIndex:
    """The built lookup structures. Keys are token tuples from :mod:`detente.resolve.actors_text`."""

    ci: dict[tuple[str, ...], list[Term]]
    cs: dict[tuple[str, ...], list[Term]]
    first_ci: dict[str, int]  # first token -> longest alias length starting with it
    first_cs: dict[str, int]
    actors: dict[str, list[ActorRow]]
    country_names: dict[str, str]
    codes: frozenset[str]

    @property
    def size(self) -> int:
        return len(self.ci) + len(self.cs)


# --------------------------------------------------------------------------------------------------- reading files


def _rows(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (line number, row) from a TSV, CSV or JSONL file; ``#`` lines and blank lines are skipped."""
    try:
        handle = path.open(encoding="utf-8", newline="")
    except OSError as exc:
        raise DetenteError("E301", path=str(path), detail=exc.strerror or str(exc)) from exc
    with handle:
        if path.suffix == ".jsonl":
            for n, line in enumerate(handle, 1):
                if not line.strip() or line.lstrip().startswith("#"):
                    continue
                try:
                    obj = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise DetenteError("E303", path=str(path), line=n, detail=f"not JSON ({exc.msg})") from exc
                if not isinstance(obj, dict):
                    raise DetenteError("E303", path=str(path), line=n, detail="a line must be a JSON object")
                yield n, {str(k): "" if v is None else "|".join(v) if isinstance(v, list) else str(v)
                          for k, v in obj.items()}
            return
        delimiter = "\t" if path.suffix == ".tsv" else ","
        lines = ((n, line) for n, line in enumerate(handle, 1) if line.strip() and not line.startswith("#"))
        numbered = list(lines)
        reader = csv.DictReader((line for _, line in numbered), delimiter=delimiter)
        for (n, _), row in zip(numbered[1:], reader):
            yield n, {k.strip(): (v or "").strip() for k, v in row.items() if k is not None}


def _kind_of(columns: Iterable[str], path: Path) -> str:
    cols = set(columns)
    if "id" in cols:
        return "actors"
    if "term" in cols:
        return "roles"
    if "alias" in cols and "country" in cols:
        return "countries"
    if "code" in cols:
        return "codes"
    raise DetenteError("E302", path=str(path), found=", ".join(sorted(cols)) or "nothing")


def _date(value: str, path: Path, line: int, column: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise DetenteError("E303", path=str(path), line=line, detail=f"{column} {value!r} is not YYYY-MM-DD") from exc


def _flag(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "y"}


def _looks_like_acronym(alias: str) -> bool:
    """Short all-capital or dotted aliases ("US", "U.S.", "IS", "AU") are matched case-sensitively.

    >>> _looks_like_acronym("U.S."), _looks_like_acronym("NATO"), _looks_like_acronym("Iran")
    (True, True, False)
    """
    bare = alias.replace(".", "").replace(" ", "")
    return ("." in alias and bare.isalpha()) or (bare.isupper() and len(bare) <= 5)


def _split(value: str) -> list[str]:
    return [a.strip() for a in value.split("|") if a.strip()]


class _Reader:
    def __init__(self) -> None:
        self.layer = _Layer()
        self.explicit_roles: set[tuple[tuple[str, ...], bool]] = set()

    def check_country(self, code: str, path: Path, line: int) -> str | None:
        code = code.strip().upper()
        if not code:
            return None
        if code not in self.layer.codes:
            raise DetenteError("E303", path=str(path), line=line,
                               detail=f"country {code!r} is neither ISO 3166-1 alpha-3 nor a code in codes.tsv")
        return code

    @staticmethod
    def check_sector(value: str, path: Path, line: int) -> str | None:
        value = value.strip().upper()
        if not value:
            return None
        if value not in SECTORS:
            raise DetenteError("E303", path=str(path), line=line,
                               detail=f"sector {value!r} is not one of {', '.join(sorted(SECTORS))}")
        return value

    def add_pycountry(self) -> None:
        import pycountry

        for c in pycountry.countries:
            code = c.alpha_3
            self.layer.codes[code] = c.name
            label = getattr(c, "common_name", None) or c.name
            self.layer.country_names[code] = label
            for name in {c.name, getattr(c, "common_name", None), getattr(c, "official_name", None)}:
                if not name:
                    continue
                if "," in name:  # "Korea, Republic of" -> "Republic of Korea"
                    head, _, tail = name.partition(",")
                    name = f"{tail.strip()} {head.strip()}"
                name = name.split(" (")[0]
                self.layer.countries[(key(name), False)] = Term("country", code, None, label=label)

    def read(self, path: Path) -> None:
        rows = list(_rows(path))
        if not rows:
            return
        kind = _kind_of(rows[0][1].keys(), path)
        getattr(self, f"_read_{kind}")(rows, path)

    def _read_codes(self, rows: list[tuple[int, dict[str, str]]], path: Path) -> None:
        for _, row in rows:
            code = row.get("code", "").strip().upper()
            if code:
                self.layer.codes[code] = row.get("name", "") or code
                self.layer.country_names.setdefault(code, row.get("name", "") or code)

    def _read_countries(self, rows: list[tuple[int, dict[str, str]]], path: Path) -> None:
        for line, row in rows:
            code = self.check_country(row.get("country", ""), path, line)
            alias = row.get("alias", "")
            kind = row.get("kind", "").strip().lower() or "name"
            if not code or not alias:
                raise DetenteError("E303", path=str(path), line=line, detail="country and alias are required")
            if kind not in COUNTRY_KINDS:
                raise DetenteError("E303", path=str(path), line=line,
                                   detail=f"kind {kind!r} is not one of {', '.join(sorted(COUNTRY_KINDS))}")
            sector = self.check_sector(row.get("sector", ""), path, line) or ("GOV" if kind == "seat" else None)
            cs = _flag(row.get("case_sensitive", "")) or _looks_like_acronym(alias)
            k = surface_key(alias) if cs else key(alias)
            # A hand row replaces the automatic one whatever its case flag.
            self.layer.countries.pop((key(alias), False), None)
            label = self.layer.country_names.get(code, code)
            self.layer.countries[(k, cs)] = Term("country" if kind == "name" else kind, code, sector, label=label)
            if kind == "adj" and not cs:
                # The people: "Palestinians", "Israelis", "Afghans" (not "Chinese", "Swiss", "Lao").
                plural = _demonym_plural(alias)
                if plural and (key(plural), False) not in self.layer.countries:
                    self.layer.countries[(key(plural), False)] = Term("adj", code, None, label=label)

    def _read_roles(self, rows: list[tuple[int, dict[str, str]]], path: Path) -> None:
        for line, row in rows:
            term = row.get("term", "")
            if not term:
                raise DetenteError("E303", path=str(path), line=line, detail="term is required")
            strength = row.get("strength", "").strip().lower() or "strong"
            if strength not in ROLE_STRENGTHS:
                raise DetenteError("E303", path=str(path), line=line,
                                   detail=f"strength {strength!r} is not one of {', '.join(sorted(ROLE_STRENGTHS))}")
            sector = self.check_sector(row.get("sector", ""), path, line)
            cs = _flag(row.get("case_sensitive", ""))
            t = Term("role", None, sector, strength, label=term)
            k = surface_key(term) if cs else key(term)
            self.layer.roles[(k, cs)] = t
            self.explicit_roles.add((k, cs))
            if not cs:
                plural = key(_plurals(term)[1])
                if (plural, False) not in self.explicit_roles:  # an explicit row for the plural wins
                    self.layer.roles[(plural, False)] = t

    def _read_actors(self, rows: list[tuple[int, dict[str, str]]], path: Path) -> None:
        fresh: dict[str, list[ActorRow]] = {}
        aliases: dict[str, list[tuple[str, bool]]] = {}
        for line, row in rows:
            ident = row.get("id", "").strip()
            name = row.get("name", "").strip()
            if not ident or not name:
                raise DetenteError("E303", path=str(path), line=line, detail="id and name are required")
            valid_from = _date(row.get("valid_from", ""), path, line, "valid_from")
            valid_to = _date(row.get("valid_to", ""), path, line, "valid_to")
            if valid_from and valid_to and valid_to <= valid_from:
                raise DetenteError("E303", path=str(path), line=line, detail="valid_to must be after valid_from")
            wikidata = row.get("wikidata", "").strip() or None
            if wikidata and not (wikidata[0] == "Q" and wikidata[1:].isdigit()):
                raise DetenteError("E303", path=str(path), line=line, detail=f"wikidata {wikidata!r} is not a QID")
            fresh.setdefault(ident, []).append(ActorRow(
                id=ident, name=name,
                country=self.check_country(row.get("country", ""), path, line),
                sector=self.check_sector(row.get("sector", ""), path, line),
                type=row.get("type", "").strip().lower() or "actor",
                office=row.get("office", "").strip() or None,
                valid_from=valid_from, valid_to=valid_to, wikidata=wikidata,
            ))
            seen = aliases.setdefault(ident, [])
            for alias in [name, *_split(row.get("aliases", ""))]:
                entry = (alias, _looks_like_acronym(alias))
                if entry not in seen:
                    seen.append(entry)
            for alias in _split(row.get("cs_aliases", "")):
                if (alias, True) not in seen:
                    seen.append((alias, True))
        for ident, rws in fresh.items():
            rws.sort(key=lambda r: r.valid_from or dt.date.min)
            self.layer.actors[ident] = rws
            self.layer.actor_aliases[ident] = aliases[ident]


def _demonym_plural(adj: str) -> str | None:
    """The people's plural of a demonym; None when it takes no -s ("Chinese", "Swiss", "French").

    >>> _demonym_plural("Israeli"), _demonym_plural("Chinese")
    ('Israelis', None)
    """
    low = adj.lower()
    if low.endswith(("ese", "ss", "sh", "ch", "x")) or not low[-1:].isalpha():
        return None
    if low.endswith("man"):
        return adj[:-3] + "men"
    return adj + "s"


def _plurals(term: str) -> list[str]:
    """The term and its regular English plural(s); the last word is inflected."""
    head, _, last = term.rpartition(" ")
    prefix = f"{head} " if head else ""
    low = last.lower()
    if low.endswith("man"):
        plural = last[:-3] + "men"
    elif low.endswith(("s", "x", "ch", "sh")):
        plural = last + "es"
    elif low.endswith("y") and low[-2:-1] not in {"a", "e", "o", "u"}:
        plural = last[:-1] + "ies"
    else:
        plural = last + "s"
    return [term, prefix + plural]


def _expand(paths: Sequence[str | Path]) -> list[Path]:
    out: list[Path] = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            out.extend(sorted(f for f in path.iterdir() if f.suffix in SUFFIXES and f.is_file()))
        elif path.is_file():
            if path.suffix not in SUFFIXES:
                raise DetenteError("E304", path=str(path), allowed=", ".join(SUFFIXES))
            out.append(path)
        else:
            raise DetenteError("E301", path=str(path), detail="no such file or directory")
    return out


def shipped_files() -> list[Path]:
    """The knowledge-base files that ship with detente, in load order (codes, countries, roles, actors)."""
    root = resources.files(SHIPPED)
    order = {"codes": 0, "countries": 1, "roles": 2}
    files = [Path(str(f)) for f in root.iterdir() if f.name.endswith(SUFFIXES)]
    if not files:
        raise DetenteError("E003", path=str(root))
    return sorted(files, key=lambda f: (order.get(f.stem, 3), f.name))


_SHIPPED_INDEX: dict[tuple, ActorIndex] = {}


def build_index(extra_paths: Sequence[str | Path] = ()) -> ActorIndex:
    """Read the shipped knowledge base, then ``extra_paths`` (files or directories) in order, and index it all.

    The index of the shipped tables alone is built once per process (keyed by the files' sizes and times) and shared
    by every resolver without user tables: it is only read after it is built.
    """
    if not extra_paths:
        files = shipped_files()
        stamp = tuple((str(f), f.stat().st_mtime_ns, f.stat().st_size) for f in files)
        hit = _SHIPPED_INDEX.get(stamp)
        if hit is None:
            hit = _build_index(())
            _SHIPPED_INDEX.clear()
            _SHIPPED_INDEX[stamp] = hit
        return hit
    return _build_index(extra_paths)


def _build_index(extra_paths: Sequence[str | Path]) -> ActorIndex:
    reader = _Reader()
    reader.add_pycountry()
    for path in [*shipped_files(), *_expand(extra_paths)]:
        reader.read(path)
    layer = reader.layer
    ci: dict[tuple[str, ...], list[Term]] = {}
    cs: dict[tuple[str, ...], list[Term]] = {}

    def put(k: tuple[str, ...], case: bool, term: Term) -> None:
        if not k:
            return
        bucket = (cs if case else ci).setdefault(k, [])
        if term not in bucket:
            bucket.append(term)

    for (k, case), term in layer.countries.items():
        put(k, case, term)
    for (k, case), term in layer.roles.items():
        put(k, case, term)
    for ident, aliases in layer.actor_aliases.items():
        rows = layer.actors[ident]
        label = rows[-1].name
        for alias, case in aliases:
            put(surface_key(alias) if case else key(alias), case, Term("actor", actor=ident, label=label))
    # Named actors first, then countries, then roles: the resolver reads a bucket in this order.
    rank = {"actor": 0, "country": 1, "seat": 1, "adj": 2, "role": 3}
    for bucket in (*ci.values(), *cs.values()):
        bucket.sort(key=lambda t: rank[t.kind])
    first_ci: dict[str, int] = {}
    for k in ci:
        first_ci[k[0]] = max(first_ci.get(k[0], 0), len(k))
    first_cs: dict[str, int] = {}
    for k in cs:
        first_cs[k[0]] = max(first_cs.get(k[0], 0), len(k))
    return ActorIndex(ci=ci, cs=cs, first_ci=first_ci, first_cs=first_cs, actors=layer.actors,
                      country_names=layer.country_names, codes=frozenset(layer.codes))
