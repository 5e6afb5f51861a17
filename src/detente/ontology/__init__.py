"""The PLOVER ontology and its mappings to CAMEO, ACLED and CASE 2021, read from the CSV files beside this module.

Nothing is read at import: the tables load once, on first use, and stay cached. ``PLOVER_TYPES``, ``CONTEXTS``
and ``QUAD_NAMES`` are module attributes computed lazily (PEP 562). See docs/ontology.md for every mapping
decision.

>>> from detente import ontology
>>> ontology.type_info("ASSAULT").quad_class
4
>>> ontology.intensity("ACCUSE", "allege")
-3.5
>>> ontology.cameo_code("PROTEST", "demo")
'141'
>>> ontology.from_cameo("0231")
('REQUEST', 'assist')
>>> ontology.acled("ASSAULT", "aerial")
('Explosions/Remote violence', 'Air/drone strike')
>>> ontology.from_case2021("AIR_STRIKE")
('ASSAULT', 'aerial')
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from detente.errors import DetenteError

__all__ = [
    "PLOVER_TYPES", "CONTEXTS", "QUAD_NAMES", "TypeInfo", "ModeInfo", "AcledRule",
    "type_info", "modes", "mode_info", "quad_class", "intensity", "cameo_code", "acled", "not_acled_contexts",
    "argument_side", "types_where",
    "from_cameo", "from_case2021", "case2021_types", "case2021_labels", "case2021_code", "quad_name", "validate",
]

NONE_TYPE = "NONE"  # label of training negatives and of CASE classes with no PLOVER counterpart
_ANY = "*"  # internal marker: condition absent
_NO_MODE = "-"  # in acled_map.csv mode lists: matches mode None


@dataclass(frozen=True, slots=True)
class ModeInfo:
    """One PLOVER mode of one event type. ``intensity`` is the type's when the mode has none of its own."""

    event_type: str
    mode: str
    origin: str  # "plover" (PLOVER 2.0 manual) or "detente" (our extension)
    intensity: float
    cameo_code: str | None
    description: str


@dataclass(frozen=True, slots=True)
class TypeInfo:
    """One PLOVER event type: ``quad_class`` 1-4, ``intensity`` (-10…+10), its ``modes`` and CAMEO root."""

    event_type: str
    quad_class: int
    intensity: float
    recipient_required: bool
    symmetric: bool  # actor and recipient interchangeable (talks, agreements): scorers may read either way
    modes: tuple[str, ...]
    cameo_root: str
    cameo_default: str
    description: str
    # how the coder assembles an event of this type (docs/ontology.md):
    speech_act: bool = False  # said rather than done: the speaker is its source when no other source resolves
    material: bool = False  # a material act with victims (attacks, arrests): tolls, back-references, victims' places
    of_role: str | None = None  # "the X of Y" names Y as the "source" or the "target" (None: neither)
    clause_target: bool = False  # "demanded that Israel ease …": the subject of the complement clause is the target
    place_is_target: bool = False  # with no one else named, the place's country is on the receiving end
    state_sector: str = "GOV"  # the sector a bare state ("Pakistan") acts through as this type's actor
    default_source_sector: str | None = None  # the sector of a source phrase no table knows ("detainees protested")
    threat_mode: str | None = None  # the THREATEN mode of an announced act of this type


@dataclass(frozen=True, slots=True)
class AcledRule:
    """A row of acled_map.csv. Empty conditions (``None``) match anything; rules are tried in order."""

    rule: int
    event_type: str
    modes: frozenset[str | None] | None
    actor_sectors: frozenset[str] | None
    recipient_sectors: frozenset[str] | None
    context: frozenset[str] | None
    acled_event_type: str
    acled_sub_event_type: str


@dataclass(frozen=True, slots=True)
class _Convention:
    """A row of acled_conventions.csv: who an ACLED sub-event type needs on each side (None: anyone)."""

    sub_event_type: str
    actor: frozenset[str] | None
    recipient: frozenset[str] | None
    modes_excluded: frozenset[str]


@dataclass(frozen=True, slots=True)
class _Case:
    label: str
    acled: tuple[str, str] | None
    plover: tuple[str, str | None]
    also: frozenset[str]


class _Ontology:
    """All tables, loaded from the package's CSV files."""

    def __init__(self) -> None:
        modes_by_type: dict[str, list[str]] = {}
        self.modes: dict[tuple[str, str], ModeInfo] = {}
        type_rows = _read("plover_types.csv", ("event_type", "quad_class", "intensity", "recipient_required",
                                               "symmetric", "cameo_root", "cameo_default"))
        type_intensity = {r["event_type"]: _float(r, "intensity", "plover_types.csv") for r in type_rows}
        for line, r in enumerate(_read("plover_modes.csv", ("event_type", "mode", "origin", "cameo_code")), 2):
            t = r["event_type"]
            if t not in type_intensity:
                raise DetenteError("E606", path="plover_modes.csv", line=line, detail=f"unknown event type {t!r}")
            own = r.get("intensity") or ""
            info = ModeInfo(t, r["mode"], r["origin"], float(own) if own else type_intensity[t],
                            r["cameo_code"] or None, r.get("description", ""))
            self.modes[(t, r["mode"])] = info
            modes_by_type.setdefault(t, []).append(r["mode"])
        self.types: dict[str, TypeInfo] = {}
        for r in type_rows:
            t = r["event_type"]
            self.types[t] = TypeInfo(
                event_type=t, quad_class=int(r["quad_class"]), intensity=type_intensity[t],
                recipient_required=r["recipient_required"].strip().lower() == "true",
                symmetric=r["symmetric"].strip().lower() == "true",
                modes=tuple(modes_by_type.get(t, ())), cameo_root=r["cameo_root"],
                cameo_default=r["cameo_default"], description=r.get("description", ""),
                speech_act=_bool(r, "speech_act"), material=_bool(r, "material"), of_role=r.get("of_role") or None,
                clause_target=_bool(r, "clause_target"), place_is_target=_bool(r, "place_is_target"),
                state_sector=r.get("state_sector") or "GOV",
                default_source_sector=r.get("default_source_sector") or None,
                threat_mode=r.get("threat_mode") or None,
            )
        self.type_names: tuple[str, ...] = tuple(self.types)
        self.contexts: tuple[str, ...] = tuple(r["context"] for r in _read("plover_contexts.csv", ("context",)))
        self.context_set = frozenset(self.contexts)
        self.quad_names: dict[int, str] = {
            int(r["quad_class"]): r["name"] for r in _read("quad_classes.csv", ("quad_class", "name"))
        }
        self.cameo: dict[str, tuple[str, str | None] | None] = {}
        for r in _read("cameo_to_plover.csv", ("cameo", "event_type", "mode")):
            t, m = r["event_type"], r["mode"] or None
            self.cameo[r["cameo"]] = (t, m) if t else None
        groups = {r["group"]: frozenset(r["sectors"].split())
                  for r in _read("sector_groups.csv", ("group", "sectors"))}
        self.acled_rules: dict[str, tuple[AcledRule, ...]] = {}
        rules: dict[str, list[AcledRule]] = {}
        for line, r in enumerate(_read("acled_map.csv", ("rule", "event_type", "mode", "actor_sectors",
                                                         "recipient_sectors", "context", "acled_event_type",
                                                         "acled_sub_event_type")), 2):
            mode_set = None
            if r["mode"]:
                mode_set = frozenset(None if m == _NO_MODE else m for m in r["mode"].split("|"))
            rule = AcledRule(
                rule=int(r["rule"]), event_type=r["event_type"], modes=mode_set,
                actor_sectors=_sectors(r["actor_sectors"], groups, line),
                recipient_sectors=_sectors(r["recipient_sectors"], groups, line),
                context=frozenset(r["context"].split("|")) if r["context"] else None,
                acled_event_type=r["acled_event_type"], acled_sub_event_type=r["acled_sub_event_type"],
            )
            rules.setdefault(rule.event_type, []).append(rule)
        self.acled_rules = {t: tuple(sorted(rs, key=lambda x: x.rule)) for t, rs in rules.items()}
        self.conventions: tuple[_Convention, ...] = tuple(
            _Convention(r["sub_event_type"], _sectors(r["actor"], groups, line, "acled_conventions.csv"),
                        _sectors(r["recipient"], groups, line, "acled_conventions.csv"),
                        frozenset(m for m in r["modes_excluded"].split("|") if m))
            for line, r in enumerate(_read("acled_conventions.csv", ("sub_event_type", "actor", "recipient",
                                                                     "modes_excluded")), 2))
        self.case: dict[str, _Case] = {}
        self.case_by_subtype: dict[str, str] = {}
        for r in _read("case2021_labels.csv", ("label", "acled_event_type", "acled_sub_event_type", "event_type",
                                                "mode", "also")):
            pair = (r["acled_event_type"], r["acled_sub_event_type"]) if r["acled_sub_event_type"] else None
            self.case[r["label"]] = _Case(r["label"], pair, (r["event_type"], r["mode"] or None),
                                          frozenset(r["also"].split("|")) | {r["event_type"]})
            if pair:
                self.case_by_subtype.setdefault(pair[1], r["label"])
        self.argument_sides: dict[str, str] = {r["role"].lower(): r["side"]
                                               for r in _read("argument_roles.csv", ("role", "side"))}


def _read(name: str, required: tuple[str, ...]) -> list[dict[str, str]]:
    try:
        text = resources.files(__name__).joinpath(name).read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise DetenteError("E003", path=f"detente/ontology/{name}") from exc
    reader = csv.DictReader(text.splitlines())
    missing = [c for c in required if c not in (reader.fieldnames or ())]
    if missing:
        raise DetenteError("E606", path=name, line=1, detail=f"missing columns {missing}")
    rows = []
    for line, row in enumerate(reader, 2):
        row = {k: (v or "").strip() for k, v in row.items() if k is not None}
        if not all(row.get(c) or c in ("mode", "event_type", "intensity", "acled_event_type", "also",
                                        "acled_sub_event_type", "actor_sectors", "recipient_sectors", "context",
                                        "actor", "recipient", "modes_excluded",
                                        "cameo_code") for c in required):
            raise DetenteError("E606", path=name, line=line, detail=f"empty required field in {row}")
        rows.append(row)
    return rows


def _bool(row: dict[str, str], col: str) -> bool:
    return (row.get(col) or "").lower() == "true"


def _float(row: dict[str, str], col: str, path: str) -> float:
    try:
        return float(row[col])
    except ValueError as exc:
        raise DetenteError("E606", path=path, line="?", detail=f"{col}={row[col]!r} is not a number") from exc


def _sectors(cell: str, groups: dict[str, frozenset[str]], line: int,
             path: str = "acled_map.csv") -> frozenset[str] | None:
    if not cell:
        return None
    out: set[str] = set()
    for part in cell.split("|"):
        if part.startswith("@"):
            if part[1:] not in groups:
                raise DetenteError("E606", path=path, line=line, detail=f"unknown sector group {part}")
            out |= groups[part[1:]]
        else:
            out.add(part)
    return frozenset(out)


@lru_cache(maxsize=1)
def _ont() -> _Ontology:
    return _Ontology()


def __getattr__(name: str) -> Any:
    if name == "PLOVER_TYPES":
        return _ont().type_names
    if name == "CONTEXTS":
        return _ont().contexts
    if name == "QUAD_NAMES":
        return dict(_ont().quad_names)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# --- types and modes ---------------------------------------------------------------------------------------------

def type_info(event_type: str) -> TypeInfo:
    """The PLOVER type's record; raises ``DetenteError`` E600 for an unknown type.

    >>> type_info("AID").recipient_required
    True
    """
    try:
        return _ont().types[event_type]
    except (KeyError, TypeError):
        raise DetenteError("E600", value=event_type, allowed=", ".join(_ont().type_names)) from None


def modes(event_type: str) -> tuple[str, ...]:
    """The modes of ``event_type`` (empty for types without modes).

    >>> modes("CONSULT")
    ('visit', 'third-party', 'multilateral', 'phone')
    """
    return type_info(event_type).modes


def mode_info(event_type: str, mode: str) -> ModeInfo:
    """The record of one mode; E600/E601 when unknown."""
    info = type_info(event_type)
    try:
        return _ont().modes[(event_type, mode)]
    except (KeyError, TypeError):
        raise DetenteError("E601", value=mode, event_type=event_type,
                           allowed=", ".join(info.modes) or "(none: use mode=None)") from None


def quad_class(event_type: str) -> int:
    """1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict.

    >>> quad_class("SANCTION")
    4
    """
    return type_info(event_type).quad_class


def intensity(event_type: str, mode: str | None = None) -> float:
    """PLOVER intensity (-10 … +10) of the type, or of the mode where the mode has its own.

    >>> intensity("ASSAULT"), intensity("ASSAULT", "unconventional")
    (-9.0, -10.0)
    """
    if mode is None:
        return type_info(event_type).intensity
    return mode_info(event_type, mode).intensity


def cameo_code(event_type: str, mode: str | None = None) -> str | None:
    """The closest CAMEO code (a string, leading zeros kept) for a PLOVER type and mode.

    >>> cameo_code("RETREAT", "release"), cameo_code("AGREE")
    ('0841', '030')
    """
    if mode is None:
        return type_info(event_type).cameo_default
    return mode_info(event_type, mode).cameo_code or type_info(event_type).cameo_default


def quad_name(q: int) -> str:
    """Name of a quad class.

    >>> quad_name(3)
    'Verbal conflict'
    """
    try:
        return _ont().quad_names[int(q)]
    except (KeyError, TypeError, ValueError):
        raise DetenteError("E605", value=q) from None


def validate(event_type: str, mode: str | None = None, context: Iterable[str] = ()) -> None:
    """Raise ``DetenteError`` (E600 type, E601 mode, E602 context) naming the allowed values; else return None.

    >>> validate("PROTEST", "strike", ["economic"])
    >>> validate("PROTEST", "airstrike")
    Traceback (most recent call last):
    ...
    detente.errors.DetenteError: [E601] Unknown mode 'airstrike' for PROTEST. Allowed modes of PROTEST: demo, riot, strike, hunger, boycott, obstruct, vandalize.
    """
    if mode is None:
        type_info(event_type)
    else:
        mode_info(event_type, mode)
    if isinstance(context, str):
        context = (context,)
    ont = _ont()
    for c in context:
        if c not in ont.context_set:
            raise DetenteError("E602", value=c, allowed=", ".join(ont.contexts))


# --- CAMEO ---------------------------------------------------------------------------------------------------------

@lru_cache(maxsize=4096)
def from_cameo(code: str) -> tuple[str, str | None] | None:
    """PLOVER (type, mode) for a CAMEO event code, by longest matching prefix; None where PLOVER has no event.

    CAMEO 01 (statements) gives None except 018/019 (SUPPORT); CAMEO 02 (appeals) gives REQUEST.

    >>> from_cameo("193"), from_cameo("010"), from_cameo("1724")
    (('ASSAULT', 'firearms'), None, ('COERCE', 'martial-law'))
    """
    if not isinstance(code, str) or not code.isdigit() or not 2 <= len(code) <= 4:
        raise DetenteError("E603", value=code)
    table = _ont().cameo
    if code[:2] not in table:
        raise DetenteError("E603", value=code)
    for n in (4, 3, 2):
        key = code[:n]
        if len(key) == n and key in table:
            return table[key]
    return None  # pragma: no cover - the root is always present


# --- ACLED and CASE 2021 -------------------------------------------------------------------------------------------

def _match(cond: frozenset[str] | None, values: frozenset[str]) -> bool:
    return cond is None or not cond.isdisjoint(values)


@lru_cache(maxsize=8192)
def _acled(event_type: str, mode: str | None, actor: frozenset[str], recipient: frozenset[str],
           context: frozenset[str]) -> tuple[str, str] | None:
    for r in _ont().acled_rules.get(event_type, ()):
        if r.modes is not None and mode not in r.modes:
            continue
        if _match(r.actor_sectors, actor) and _match(r.recipient_sectors, recipient) and _match(r.context, context):
            # a rule without ACLED names says "not an ACLED event" (an arrest for ordinary crime)
            return (r.acled_event_type, r.acled_sub_event_type) if r.acled_event_type else None
    return None


def acled(event_type: str, mode: str | None = None, *, actor_sectors: Iterable[str] = (),
          recipient_sectors: Iterable[str] = (), context: Iterable[str] = ()) -> tuple[str, str] | None:
    """ACLED (event_type, sub_event_type) for a PLOVER event, by the first matching rule of acled_map.csv.

    Verbal types, AID, COOPERATE, CONCEDE and SANCTION give None. Sectors are PLOVER/CAMEO codes (MIL, REB, CVL…).

    >>> acled("ASSAULT", "firearms", actor_sectors=["MIL"], recipient_sectors=["REB"])
    ('Battles', 'Armed clash')
    >>> acled("ASSAULT", "firearms", actor_sectors=["REB"], recipient_sectors=["CVL"])
    ('Violence against civilians', 'Attack')
    >>> acled("CONSULT") is None
    True
    """
    if mode is not None:
        mode_info(event_type, mode)
    else:
        type_info(event_type)
    return _acled(event_type, mode, frozenset(actor_sectors), frozenset(recipient_sectors), frozenset(context))


@lru_cache(maxsize=1)
def types_where(attribute: str, value: Any = True) -> frozenset[str]:
    """The PLOVER types whose ``TypeInfo.<attribute>`` equals ``value`` (plover_types.csv).

    >>> sorted(types_where("material"))
    ['ASSAULT', 'COERCE']
    >>> sorted(types_where("of_role", "source"))
    ['AGREE', 'CONSULT', 'COOPERATE', 'MOBILIZE', 'PROTEST', 'SUPPORT']
    """
    return frozenset(t for t, info in _ont().types.items() if getattr(info, attribute) == value)


def argument_side(role: str) -> str | None:
    """Which side of a PLOVER event an argument role of the RAMS / WikiEvents (KAIROS) schemas is on: "source",
    "target", or None (a place, an instrument, a participant of either side) — argument_roles.csv.

    >>> argument_side("Attacker"), argument_side("victim"), argument_side("place")
    ('source', 'target', None)
    """
    return _ont().argument_sides.get(role.lower())


def not_acled_contexts() -> frozenset[str]:
    """The contexts of acled_map.csv's "not an ACLED event" rows (rules without ACLED names): ordinary crime,
    drugs, trafficking, disaster relief.

    >>> sorted(not_acled_contexts())
    ['crime', 'disasters', 'illegal_drugs', 'trafficking']
    """
    return frozenset(c for rules in _ont().acled_rules.values() for r in rules
                     if not r.acled_event_type and r.context for c in r.context)


def acled_conventions(mode: str | None = None, *, actor_sectors: Iterable[str | None] = (),
                      recipient_sectors: Iterable[str | None] = ()) -> frozenset[str]:
    """ACLED sub-event types an event's known actors (or mode) rule out, by acled_conventions.csv.

    A type is ruled out when the event's known actor sectors include none of the sectors the type needs (likewise
    for recipients), or when the event's mode is excluded. An unknown side (no sectors) rules nothing out.

    >>> out = acled_conventions(actor_sectors=["REB"], recipient_sectors=["CVL"])
    >>> "Government regains territory" in out, "Armed clash" in out, "Attack" in out
    (True, True, False)
    >>> acled_conventions("riot")
    frozenset({'Peaceful protest'})
    """
    actors = frozenset(s for s in actor_sectors if s)
    recipients = frozenset(s for s in recipient_sectors if s)
    return frozenset(
        c.sub_event_type for c in _ont().conventions
        if mode in c.modes_excluded
        or (c.actor is not None and actors and not actors & c.actor)
        or (c.recipient is not None and recipients and not recipients & c.recipient))


def _case(label: str) -> _Case:
    try:
        return _ont().case[label]
    except (KeyError, TypeError):
        raise DetenteError("E604", value=label, allowed=", ".join(_ont().case)) from None


def from_case2021(label: str) -> tuple[str, str | None]:
    """The PLOVER (type, mode) a CASE 2021 task 2 label most often corresponds to; ``("NONE", None)`` for
    classes with no PLOVER counterpart (disasters, ACLED "Other").

    >>> from_case2021("PEACE_PROTEST"), from_case2021("NATURAL_DISASTER")
    (('PROTEST', 'demo'), ('NONE', None))
    """
    return _case(label).plover


def case2021_types(label: str) -> frozenset[str]:
    """Every PLOVER type (or "NONE") an event under this CASE label may legitimately be coded as.

    >>> sorted(case2021_types("AGREEMENT"))
    ['AGREE', 'RETREAT']
    """
    return _case(label).also


def case2021_labels() -> tuple[str, ...]:
    """All 30 CASE 2021 task 2 labels (25 ACLED + 5 unseen)."""
    return tuple(_ont().case)


def case2021_code(event_type: str, mode: str | None, actor_sectors: Iterable[str] = (),
                  recipient_sectors: Iterable[str] = (), *, context: Iterable[str] = ()) -> str | None:
    """The CASE 2021 label of a PLOVER event via its ACLED sub-event type; None when ACLED has no class.

    >>> case2021_code("ASSAULT", "suicide-attack")
    'SUIC_BOMB'
    >>> case2021_code("COERCE", "arrest", ["COP"], ["PRT"])
    'PROTEST_WITH_INTER'
    """
    pair = acled(event_type, mode, actor_sectors=actor_sectors, recipient_sectors=recipient_sectors,
                 context=context)
    if pair is None:
        # CASE's classes outside ACLED (DIPLO, ATTRIB …): the label whose PLOVER reading is this type (and mode)
        unseen = [c for c in _ont().case.values() if c.acled is None and c.plover[0] == event_type]
        exact = [c for c in unseen if c.plover[1] in (None, mode)]
        return (exact or [None])[0].label if exact else None
    return _ont().case_by_subtype.get(pair[1])
