"""Disasters and accidents are not attacks: "a volcano erupted, killing five" holds no ASSAULT.

The trigger lexicon and the classifier read harm ("killed", "destroyed", "explosion") as violence. A sentence that
names a hazard (earthquake, flood, gas leak, boiler explosion, road accident … ``data/detect/hazards.tsv``) and
no sign of an attacker (bomb, gunmen, militants, troops, arson …) reports a disaster, which PLOVER does not code;
the coder drops the ASSAULT events it would otherwise read there (unless they name a human actor).
"""

from __future__ import annotations

import functools
import re
from importlib import resources

from ..errors import DetenteError

PATH = resources.files("detente") / "data" / "detect" / "hazards.tsv"


def _pattern(terms: list[str]) -> re.Pattern[str]:
    alts = sorted((re.escape(t.rstrip("*")) + (r"\w*" if t.endswith("*") else "") for t in terms), key=len,
                  reverse=True)
    return re.compile(r"\b(?:" + "|".join(alts) + r")\b", re.I)


@functools.lru_cache(maxsize=1)
def _lexicon() -> tuple[re.Pattern[str], re.Pattern[str]]:
    try:
        text = PATH.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise DetenteError("E003", path=str(PATH)) from exc
    kinds: dict[str, list[str]] = {"hazard": [], "attack": []}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#") or line.startswith("kind\t"):
            continue
        kind, _, term = line.partition("\t")
        if kind not in kinds or not term.strip():
            raise DetenteError("E606", path=str(PATH), line="?", detail=f"bad row {line!r}")
        kinds[kind].append(term.strip().lower())
    return _pattern(kinds["hazard"]), _pattern(kinds["attack"])


def reads_as_hazard(text: str) -> bool:
    """Whether a sentence reports a disaster or accident and no attack.

    >>> reads_as_hazard("At least five people were killed after a volcano erupted off the coast.")
    True
    >>> reads_as_hazard("A bomb blast started a fire that killed three.")
    False
    >>> reads_as_hazard("Troops killed five rebels.")
    False
    """
    hazard, attack = _lexicon()
    return bool(hazard.search(text)) and not attack.search(text)
