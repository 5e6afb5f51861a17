#!/usr/bin/env python3
"""Rebuild ``src/detente/data/actors/office_holders_cameo.tsv`` from the CAMEO CountryInfo actor dictionary.

Source: ``Phoenix.Countries.actors.txt`` in the openeventdata/petrarch2 repository (MIT licence), a TABARI-format
actor dictionary generated from the Computational Event Data System project's ``CountryInfo.140130.txt``
(30 January 2014). It lists heads of state and government, ministers, military and security chiefs and other
national office holders of every country with CAMEO codes and validity dates, e.g.::

    SERGEY_LAVROV_  # CountryInfo.txt
    +SERGEY_VIKTOROVICH_LAVROV_
    +LAVROV
        [RUSGOV >20040309]

Only the **data** is read (no code is used). Only dated office holders are kept (entries with dated codes or marked as
coming from CountryInfo, and only their periods with a role): the country sections (place-name lists) and
institution entries, whose aliases include bare generic words ("SENATE", "CENTRAL_COMMAND"), are left to the
hand-written tables. A few kept entries are bodies (a liberation army, a parliament): typed "group", not "person".

Conversions (see docs/actors.md, "CAMEO CountryInfo office holders"):

- code ``CCCSSS...``: CCC the country (CAMEO codes mapped to ISO 3166-1 alpha-3: TMP→TLS, KSV→XKX, KNT→KNA;
  historical states DDR/SUN/YUG/CSK/SCG/USR and IGO codes are skipped), SSS the primary role → sector
  (GOV, MIL, SPY, COP, JUD, LEG, OPP, REB, ELI …; secondary roles such as the MIL of ``GOVMIL`` are dropped);
- dates ``YYMMDD`` (YY ≤ 30 → 20YY, as in TABARI) or ``YYYYMMDD``; ``A-B`` is a period, ``>A`` from A, ``<B``
  until B, none = always (a default row, usually ELI). The source's end day is the last day in office; detente's
  ``valid_to`` is exclusive, so one day is added;
- an open-ended period (``>A``) ends at the dictionary's date (2014-01-30; 2015-03-01 for the few periods added by
  hand after it) unless ``--keep-open``: the source does not know who left office after that, and a former minister is ELI, not GOV (the resolver gives ELI, confidence 0.7,
  for a date after every period of a person);
- names: ``SERGEY_LAVROV_`` → "Sergey Lavrov"; multi-word aliases are matched ignoring case; one-word aliases
  ("LAVROV") only with a capital ("Lavrov"), only when no other person has them, and not when the word is a first
  name of anyone in the dictionary ("Hassan", "Ali");
- people whose name or alias is already a hand-written actor (office_holders.tsv, armed_groups.tsv, igos.tsv) or
  a country name, demonym or role word of the knowledge base are left out or lose that alias: the hand tables win;
- people whose every period ended before ``--since`` (default 1945-01-01) are left out.

Usage::

    python scripts/build_actor_kb.py --source /path/to/petrarch2/.git          # a git dir (reads HEAD)
    python scripts/build_actor_kb.py --source Phoenix.Countries.actors.txt --commit <sha>
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import subprocess
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from detente.resolve.actors_kb import _looks_like_acronym, build_index  # noqa: E402
from detente.resolve.actors_text import key, surface_key  # noqa: E402
from detente.schema import Sector  # noqa: E402

SOURCE_PATH = "petrarch2/data/dictionaries/Phoenix.Countries.actors.txt"
GROUPS_PATH = "petrarch2/data/dictionaries/Phoenix.MilNonState.actors.txt"
GROUPS_OUT = ROOT / "src" / "detente" / "data" / "actors" / "armed_groups_cameo.tsv"
SOURCE_REPO = "https://github.com/openeventdata/petrarch2"
SOURCE_DATE = dt.date(2014, 1, 30)  # "Generated at: Thu Jan 30 16:06:18 2014" from CountryInfo.140130.txt
LAST_EDIT = dt.date(2015, 3, 1)  # a few entries were added by hand later; the latest date in the file is 2015-02
ORG_WORDS = frozenset({"army", "party", "front", "movement", "council", "liberation", "republic", "union", "assembly",
                       "government", "parliament", "kammer", "volkskammer", "forces", "organization", "congress",
                       "committee", "league", "alliance", "brigade", "brigades", "ministry", "court"})
OUT = ROOT / "src" / "detente" / "data" / "actors" / "office_holders_cameo.tsv"

COUNTRY_MAP = {"TMP": "TLS", "KSV": "XKX", "KNT": "KNA", "ROM": "ROU", "ZAR": "COD"}
SKIP_COUNTRIES = frozenset({"DDR", "SUN", "YUG", "CSK", "SCG", "USR", "FRY", "IGO", "IMG", "SRP", "KRJ", "FRN"})
SECTORS = frozenset(s.value for s in Sector)
# CAMEO role codes that are not detente sectors
ROLE_MAP = {"HLH": "MED", "MNC": "BUS", "HRI": "NGO", "AGR": "CVL", "DEV": "GOV", "ENV": "GOV", "UAF": "UAF"}
PERSON_TYPES_KEPT = frozenset({"GOV", "MIL", "SPY", "COP", "JUD", "LEG", "OPP", "REB", "ELI", "PTY", "BUS", "MED",
                               "EDU", "REL", "LAB", "CVL", "NGO"})
_CODE = re.compile(r"\[([A-Z]{3})([A-Z]{0,9})\s*([<>]?)\s*([0-9]{6,8})?(?:\s*-\s*([0-9]{6,8}))?\s*\]")
_SMALL = frozenset({"al", "el", "bin", "ibn", "bint", "van", "von", "der", "de", "da", "du", "la", "le", "di",
                    "del", "dos", "das", "y", "ul", "ud", "ur", "ad", "ar", "as", "at", "az", "an"})


@dataclass
class Entry:
    name: str
    aliases: list[str] = field(default_factory=list)
    codes: list[tuple[str, str | None, dt.date | None, dt.date | None]] = field(default_factory=list)
    person: bool = False
    comment: str = ""


def read_source(source: Path, commit: str | None, path: str = SOURCE_PATH) -> tuple[str, str]:
    """The dictionary text and the commit it came from (a git dir is read with ``git show``)."""
    if source.is_dir():
        rev = commit or "HEAD"
        sha = subprocess.run(["git", "--git-dir", str(source), "rev-parse", rev], check=True, capture_output=True,
                             text=True).stdout.strip()
        text = subprocess.run(["git", "--git-dir", str(source), "show", f"{sha}:{path}"], check=True,
                              capture_output=True, text=True).stdout
        return text, sha
    if path != SOURCE_PATH:
        source = source.with_name(Path(path).name)
    return source.read_text(encoding="utf-8", errors="replace"), commit or "unknown"


def parse_date(s: str | None) -> dt.date | None:
    if not s:
        return None
    try:
        if len(s) > 7:
            return dt.date(int(s[:4]), int(s[4:6]), int(s[6:8]))
        yy = int(s[:2])
        return dt.date(2000 + yy if yy <= 30 else 1900 + yy, int(s[2:4]), int(s[4:6]))
    except ValueError:
        return None


def pretty(raw: str) -> str:
    """``SERGEY_VIKTOROVICH_LAVROV_`` → "Sergey Viktorovich Lavrov"; ``ABU_BAKR_AL-BAGHDADI`` → "Abu Bakr al-Baghdadi"."""
    words = [w for w in raw.strip().strip("_").split("_") if w]
    out = []
    for i, w in enumerate(words):
        parts = []
        for p in w.split("-"):
            low = p.lower()
            if i > 0 and low in _SMALL:
                parts.append(low)
            elif low.startswith("mc") and len(low) > 3:
                parts.append("Mc" + low[2:].capitalize())
            elif "." in low:  # initials: K.R. -> K.R.
                parts.append(low.upper() if len(low.replace(".", "")) <= 3 else low.capitalize())
            elif "'" in low:  # O'Brien, but People's
                parts.append("'".join(x if len(x) < 2 and j else x.capitalize() for j, x in enumerate(low.split("'"))))
            else:
                parts.append(low.capitalize())
        out.append("-".join(parts))
    return " ".join(out)


def parse(text: str) -> list[Entry]:
    """The dictionary's entries: a name line, ``+alias`` lines, ``[CODE dates]`` lines."""
    entries: list[Entry] = []
    cur: Entry | None = None
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        body, _, comment = stripped.partition("#")
        body = body.strip()
        if not body:
            continue
        if body.startswith("["):
            if cur is None:
                continue
            for m in _CODE.finditer(body):
                cc, role, op, d1, d2 = m.groups()
                a, b = parse_date(d1), parse_date(d2)
                if op == "<":
                    start, end = None, a
                elif op == ">" or (d1 and not d2):
                    start, end = a, None
                else:
                    start, end = a, b
                cur.codes.append((cc, role[:3] or None, start, end))
                if d1:
                    cur.person = True
            continue
        if body.startswith("+"):
            if cur is not None:
                cur.aliases.append(body[1:].strip())
            continue
        # a new entry; "NAME_ [CCC]" on one line is a country section: never a person
        cur = Entry(name=body.split("[")[0].strip(), comment=comment.strip())
        cur.person = "CountryInfo" in comment
        if "[" in body:
            cur.person = False
            cur.codes.append(("", None, None, None))
        entries.append(cur)
    return [e for e in entries if e.person and e.codes]


def rows_for(e: Entry, since: dt.date, keep_open: bool) -> list[tuple[str, str | None, dt.date | None, dt.date | None]]:
    out = []
    for cc, role, start, end in e.codes:
        if not cc or cc in SKIP_COUNTRIES:
            continue
        cc = COUNTRY_MAP.get(cc, cc)
        sector = role if role in SECTORS else ROLE_MAP.get(role or "")
        if sector is None:
            continue  # no role, or a territory code in the role place ([GBRVGB]): not a person's period
        if sector and sector not in PERSON_TYPES_KEPT:
            continue
        if end is not None:
            end = end + dt.timedelta(days=1)  # source: last day in office; detente: first day out
        if start is not None and end is not None and end <= start:
            continue
        if start is not None and end is None and not keep_open:
            end = SOURCE_DATE if start < SOURCE_DATE else LAST_EDIT
            if end <= start:
                continue
        out.append((cc, sector, start, end))
    return periods(out, since) if out else []


Row = tuple[str, str, "dt.date | None", "dt.date | None"]


def periods(rows: list[Row], since: dt.date) -> list[Row]:
    """Non-overlapping periods, as the knowledge base wants them.

    Dated periods are sorted by start; where two overlap the later one wins (the earlier ends when it starts). An
    undated code (the source's default, usually ELI) fills the time before, between and after the dated periods.
    Adjacent periods with the same country and sector are merged. People whose dated periods all ended before
    ``since`` are left out.

    >>> d = dt.date
    >>> periods([("RUS", "GOV", d(1994, 9, 22), d(2004, 7, 13)), ("RUS", "GOV", d(2004, 3, 9), d(2014, 1, 30)),
    ...          ("RUS", "ELI", None, None)], d(1945, 1, 1))  # doctest: +NORMALIZE_WHITESPACE
    [('RUS', 'ELI', None, datetime.date(1994, 9, 22)),
     ('RUS', 'GOV', datetime.date(1994, 9, 22), datetime.date(2014, 1, 30)),
     ('RUS', 'ELI', datetime.date(2014, 1, 30), None)]
    """
    dated = sorted({r for r in rows if r[2] is not None or r[3] is not None},
                   key=lambda r: (r[2] or dt.date.min, r[3] or dt.date.max))
    default = [r for r in rows if r[2] is None and r[3] is None]
    if not dated:
        return default[-1:]
    if all(r[3] is not None and r[3] < since for r in dated):
        return []
    clean: list[Row] = []
    for cc, sector, start, end in dated:
        if clean:
            pcc, psec, pstart, pend = clean[-1]
            if start is None or (pstart is not None and start <= pstart):
                clean.pop()  # starts no later than the previous one: the later row in the file wins
            elif pend is None or pend > start:
                clean[-1] = (pcc, psec, pstart, start)
        clean.append((cc, sector, start, end))
    out: list[Row] = []
    fill = default[-1] if default else None
    for cc, sector, start, end in clean:
        prev_end = out[-1][3] if out else None
        if fill is not None and start is not None and (not out or (prev_end is not None and prev_end < start)):
            out.append((fill[0], fill[1], prev_end, start))
        out.append((cc, sector, start, end))
    if fill is not None and out[-1][3] is not None:
        out.append((fill[0], fill[1], out[-1][3], None))
    merged: list[Row] = []
    for r in out:
        if merged and merged[-1][:2] == r[:2] and merged[-1][3] == r[2]:
            merged[-1] = (r[0], r[1], merged[-1][2], r[3])
        else:
            merged.append(r)
    return merged


# Countries where people carry two surnames, the second (maternal) one often left out in news: "Oscar Arias Sanchez"
# is "Oscar Arias". Portuguese-speaking countries are not here: there the last surname is the one kept.
TWO_SURNAMES = frozenset({"ARG", "BOL", "CHL", "COL", "CRI", "CUB", "DOM", "ECU", "ESP", "GTM", "HND", "MEX", "NIC",
                          "PAN", "PER", "PRY", "SLV", "URY", "VEN", "PRI", "GNQ"})


def derived_aliases(name: str, country: str, first_names: Counter) -> list[str]:
    """Forms of a name that news uses and the dictionary does not list.

    - "K.R. Narayanan" is also "K. R. Narayanan" and "K R Narayanan";
    - in :data:`TWO_SURNAMES` countries a name of three or more words without its last (maternal) surname
      ("Oscar Arias Sanchez" → "Oscar Arias"), unless the word before it is a first name ("Juan Manuel Santos").

    >>> derived_aliases("Oscar Arias Sanchez", "CRI", Counter({"juan": 3, "manuel": 2}))
    ['Oscar Arias']
    >>> derived_aliases("Juan Manuel Santos", "COL", Counter({"juan": 3, "manuel": 2}))
    []
    >>> derived_aliases("K.R. Narayanan", "IND", Counter())
    ['K. R. Narayanan']
    """
    out = []
    words = name.split()
    if words and re.fullmatch(r"(?:[A-Z]\.){2,3}", words[0]):
        out.append(" ".join([" ".join(c + "." for c in words[0].replace(".", "")), *words[1:]]))
    if country in TWO_SURNAMES and len(words) >= 3:
        penult = words[-2].lower()
        if penult not in _SMALL and first_names[penult] == 0 and len(penult) > 2:
            out.append(" ".join(words[:-1]))
    return out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--source", required=True, type=Path, help="petrarch2 git dir, or the .actors.txt file")
    ap.add_argument("--commit", help="commit to read (git dir) or to record (file)")
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--groups-out", type=Path, default=GROUPS_OUT, help="armed groups table (Phoenix MilNonState)")
    ap.add_argument("--since", type=dt.date.fromisoformat, default=dt.date(1945, 1, 1),
                    help="leave out people whose every period ended before this day")
    ap.add_argument("--keep-open", action="store_true", help="keep open-ended periods open (default: end 2014-01-30)")
    args = ap.parse_args(argv)

    text, sha = read_source(args.source, args.commit)
    entries = parse(text)

    # What the hand-written knowledge base already knows (everything but the file this script writes).
    hand = build_index_without(args.out)
    taken_ci = set(hand.ci)
    taken_cs = set(hand.cs)

    people = []
    for e in entries:
        rows = rows_for(e, args.since, args.keep_open)
        if rows:
            people.append((e, rows))

    # one-word aliases: unique to one person, not anyone's first name
    first_names = Counter()
    single = Counter()
    for e, _ in people:
        for a in [e.name, *e.aliases]:
            words = [w for w in a.strip("_").split("_") if w]
            if len(words) > 1:
                first_names[words[0].lower()] += 1
            elif words:
                single[words[0].lower()] += 1
    alias_owner: dict[tuple[str, ...], set[int]] = defaultdict(set)
    for n, (e, rows) in enumerate(people):
        for a in [e.name, *e.aliases]:
            alias_owner[key(pretty(a))].add(n)
        for a in derived_aliases(pretty(e.name), rows[-1][0], first_names):
            alias_owner[key(a)].add(n)

    lines = []
    seen_ids: Counter[str] = Counter()
    kept = dropped = 0
    is_description = descriptive(hand)
    for n, (e, rows) in enumerate(people):
        name = pretty(e.name)
        if not name or key(name) in taken_ci or len(key(name)) < 2 or is_description(key(name), rows[-1][0]):
            dropped += 1
            continue
        multi, cs = [], []
        for a in [*e.aliases, *derived_aliases(name, rows[-1][0], first_names)]:
            p = pretty(a) if "_" in a or a.isupper() else a
            k = key(p)
            if not k or p == name or k in taken_ci or alias_owner[k] != {n} or is_description(k, rows[-1][0]):
                continue
            if len(k) > 1:
                if p not in multi:
                    multi.append(p)
            else:
                w = k[0]
                if (len(w) >= 4 and w.isalpha() and single[w] == 1 and first_names[w] == 0
                        and surface_key(p) not in taken_cs and not _looks_like_acronym(p) and p not in cs):
                    cs.append(p)
        kind = "group" if ORG_WORDS & set(key(name)) else "person"
        base = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")
        seen_ids[base] += 1
        ident = f"ci_{base}" if seen_ids[base] == 1 else f"ci_{base}_{seen_ids[base]}"
        for i, (cc, sector, start, end) in enumerate(rows):
            lines.append("\t".join([
                ident, name, "|".join(multi) if i == 0 else "", "|".join(cs) if i == 0 else "", cc, sector or "",
                kind, "", start.isoformat() if start else "", end.isoformat() if end else "", "", ""]))
        kept += 1

    header = [
        "# detente actor KB: national office holders with CAMEO codes and dates, generated by scripts/build_actor_kb.py",
        f"# from {SOURCE_REPO} {SOURCE_PATH} at commit {sha}",
        "# (CountryInfo.140130.txt, Computational Event Data System project; MIT licence, (c) 2014 Open Event Data",
        "# Alliance). Facts as of 2014-01-30; open periods end then. Do not edit: rebuild, or override in a user table.",
        "id\tname\taliases\tcs_aliases\tcountry\tsector\ttype\toffice\tvalid_from\tvalid_to\twikidata\tnotes",
    ]
    args.out.write_text("\n".join(header + lines) + "\n", encoding="utf-8")
    print(f"{args.out}: {kept} people, {len(lines)} rows ({dropped} left out: name already in the KB); "
          f"{args.out.stat().st_size / 1e6:.2f} MB; source commit {sha}")
    groups_text, _ = read_source(args.source, sha if args.source.is_dir() else args.commit, GROUPS_PATH)
    build_groups(groups_text, sha, args.groups_out)


def build_groups(text: str, sha: str, out: Path) -> None:
    """``armed_groups_cameo.tsv`` from Phoenix.MilNonState.actors.txt: non-state armed groups (START TOPS names).

    ``NAME [CCCREB]`` then ``+alias`` lines. The country is the code's first three letters when they are an ISO
    country; regional and transnational codes (IMG, INT, MEA, SAS, WEU …) become IMG. The sector is the code's role
    when it is a detente sector, else REB. Groups whose name or alias the hand tables already have are left out.
    """
    import pycountry

    iso = {c.alpha_3 for c in pycountry.countries}
    hand = build_index_without(out)
    taken = set(hand.ci) | {tuple(k) for k in hand.cs}
    groups: list[tuple[str, list[str], str, str]] = []
    cur: list | None = None
    for line in text.splitlines():
        body = line.split("#", 1)[0].strip()
        if not body:
            continue
        if body.startswith("+"):
            if cur is not None:
                cur[1].append(body[1:].strip())
            continue
        m = re.match(r"^([^\[]+?)\s*\[([A-Z]{3})([A-Z]{0,9})\]", body)
        if not m:
            cur = None
            continue
        cc, rest = COUNTRY_MAP.get(m.group(2), m.group(2)), m.group(3)
        country = cc if cc in iso else "IMG"
        sector = rest[:3] if rest[:3] in SECTORS and rest[:3] not in ("IGO", "NGO") else "REB"
        cur = [m.group(1), [], country, sector]
        groups.append(cur)  # type: ignore[arg-type]
    owners: dict[tuple[str, ...], int] = Counter()
    for raw, aliases, _, _ in groups:
        for a in {key(group_name(x)) for x in [raw, *aliases]}:
            owners[a] += 1
    lines, seen = [], Counter()
    is_description = descriptive(hand)
    for raw, aliases, country, sector in groups:
        name = group_name(raw)
        k = key(name)
        if not k or k in taken or surface_key(name) in taken or is_description(k, country):
            continue
        keep, cs = [], []
        acronym = re.search(r"\(([A-Z][A-Z0-9-]{1,7})\)_*$", raw)
        for a in [*aliases, *([acronym.group(1)] if acronym else [])]:
            p = group_name(a)
            ka = key(p)
            if not ka or ka == k or ka in taken or surface_key(p) in taken or owners[ka] > 1:
                continue
            if is_description(ka, country):
                continue
            if _looks_like_acronym(p):
                if len(p.replace("-", "")) >= 3 and p not in cs:
                    cs.append(p)
            elif len(ka) > 1 and p not in keep:
                keep.append(p)
        base = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")[:60]
        seen[base] += 1
        ident = f"tops_{base}" if seen[base] == 1 else f"tops_{base}_{seen[base]}"
        lines.append("\t".join([ident, name, "|".join(keep), "|".join(cs), country, sector, "group", "", "", "", "",
                                ""]))
    header = [
        "# detente actor KB: non-state armed groups, generated by scripts/build_actor_kb.py from",
        f"# {SOURCE_REPO} {GROUPS_PATH} at commit {sha}",
        "# (Phoenix MNSA actor file, names from the START TOPS database; MIT licence, (c) 2014 Open Event Data",
        "# Alliance). Undated. Do not edit: rebuild, or override in a user table (hand tables win on name clashes).",
        "id\tname\taliases\tcs_aliases\tcountry\tsector\ttype\toffice\tvalid_from\tvalid_to\twikidata\tnotes",
    ]
    out.write_text("\n".join(header + lines) + "\n", encoding="utf-8")
    print(f"{out}: {len(lines)} groups; {out.stat().st_size / 1e6:.2f} MB")


def group_name(raw: str) -> str:
    """``ADEN_ABYAN_ISLAMIC_ARMY_(AAIA)_`` → "Aden Abyan Islamic Army"; ``FMLN-FDR`` stays an acronym."""
    raw = re.sub(r"_*\([^)]*\)_*", "_", raw).strip("_ ")
    if re.fullmatch(r"[A-Z0-9-]{2,8}", raw):
        return raw
    return pretty(raw)


COMMON = frozenset("the of and a an in for to de la le al el new old great first second national peoples".split())


def descriptive(hand) -> "Callable[[tuple[str, ...], str], bool]":
    """A test for aliases that are descriptions, not names: every word a role, country or common word ("The People
    And The Soldiers", "Syrian Mujahideen" for a group coded Belgian), unless a country word in it is the actor's
    own country ("Syrian National Council" SYR). Such aliases would capture ordinary phrases."""
    words: dict[str, set[str]] = {}
    for k, terms in hand.ci.items():
        if len(k) == 1:
            for t in terms:
                if t.kind in ("role", "country", "adj", "seat"):
                    words.setdefault(k[0], set())
                    if t.country:
                        words[k[0]].add(t.country)

    def test(k: tuple[str, ...], country: str) -> bool:
        if not all(w in words or w in COMMON for w in k):
            return False
        return not any(country in words.get(w, ()) for w in k)

    return test


def build_index_without(out: Path):
    """The shipped knowledge base without the generated tables (so a rebuild does not see its previous output)."""
    import detente.resolve.actors_kb as kb

    original = kb.shipped_files
    generated = {OUT.name, GROUPS_OUT.name, out.name}
    try:
        kb.shipped_files = lambda: [f for f in original() if f.name not in generated]
        return build_index()
    finally:
        kb.shipped_files = original


if __name__ == "__main__":
    main()
