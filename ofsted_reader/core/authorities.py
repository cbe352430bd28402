"""English local authorities as identities: one row of the bundled LA table per authority, and the rules that
map a name printed in a report to that row.

The table (`data/la-lookup.csv`, MIT, see `data/NOTICE.md`) gives each authority its Ofsted URN, DfE code,
region, type, population aged 0-25 and statistical neighbours. A report names its authority in many ways ("Halton
Borough Council", "the London Borough of Hammersmith and Fulham", "Inspection of Kent County Council children's
services", "Bristol City Council", "City of London"), so matching works on words: the printed text is normalised
(case, '&', punctuation, 'St.'), and every alias of every authority is looked for in it as a whole-word phrase; the
longest alias found wins, so "North Northamptonshire" beats "Northamptonshire" and "Derbyshire" never reads as
"Derby". Nothing here reads files other than the bundled table.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

# The names people use, where the ONS name is an index form ("Bristol, City of") or adds a word Ofsted never prints.
DISPLAY_NAMES = {
    "801": "Bristol",
    "810": "Kingston upon Hull",
    "822": "Bedford",
    "342": "St Helens",
}

# Further names for an authority, beyond the table's own aliases: how Ofsted and the councils print them.
EXTRA_ALIASES = {
    "201": ["City of London Corporation", "London Corporation", "Corporation of London"],
    "840": ["County Durham"],
    "884": ["County of Herefordshire"],
    "810": ["Hull City"],
    "839": ["Bournemouth Christchurch and Poole Council"],
}

# Authorities that no longer exist, and what took over their children's services.
SUCCESSORS = {
    "928": ["940", "941"],  # Northamptonshire -> North and West Northamptonshire (April 2021)
    "909": ["942", "943"],  # Cumbria -> Cumberland, Westmorland and Furness (April 2023)
    "836": ["839"],  # Poole -> Bournemouth, Christchurch and Poole (April 2019)
}


@dataclass(frozen=True)
class Authority:
    code: str  # DfE three-digit LA code: the key every layer uses
    name: str  # the one name shown everywhere
    urn: str
    ons_code: str
    region: str
    la_type: str
    population_0_25: int | None
    neighbours: tuple[str, ...] = ()  # DfE codes of the statistical neighbours
    previous_neighbours: tuple[str, ...] = ()
    aliases: tuple[str, ...] = field(default=(), compare=False)

    @property
    def defunct(self) -> bool:
        return self.code in SUCCESSORS

    @property
    def successors(self) -> list[Authority]:
        return [by_code(code) for code in SUCCESSORS.get(self.code, []) if by_code(code)]  # type: ignore[misc]


def normalise(text: str) -> str:
    """Words only: lower case, '&' as 'and', 'St.' as 'st', apostrophes dropped, other punctuation as spaces."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    text = text.replace("&", " and ")
    text = re.sub(r"['\u2019]", "", text)
    text = re.sub(r"[^a-z0-9]+", " ", text)
    return " ".join(text.split())


def _codes(text: str) -> tuple[str, ...]:
    return tuple(code.strip() for code in text.split(",") if code.strip())


def _alias_forms(name: str) -> list[str]:
    """'Bristol, City of' is printed 'Bristol', 'City of Bristol' and 'Bristol City'; 'Bedford Borough' as 'Bedford'."""
    forms = [name]
    match = re.match(r"^(.*), City of$", name)
    if match:
        forms += [match.group(1), f"City of {match.group(1)}", f"{match.group(1)} City"]
    if name.endswith(" Borough"):
        forms.append(name[: -len(" Borough")])
    return forms


@lru_cache(maxsize=1)
def _table() -> tuple[dict[str, Authority], dict[str, str]]:
    """({code: authority}, {normalised alias: code})."""
    text = resources.files("ofsted_reader.core").joinpath("data/la-lookup.csv").read_text(encoding="utf-8-sig")
    authorities: dict[str, Authority] = {}
    aliases: dict[str, str] = {}
    for row in csv.DictReader(text.splitlines()):
        code = row["la_code"].strip()
        ons_name = row["local_authority_ons_name"].strip()
        names = _alias_forms(ons_name)
        for extra in re.findall(r"[^\[\],]+", row.get("also_known_as") or ""):
            names += _alias_forms(extra.strip())
        names += [row.get("ltla23nm") or "", row.get("utla23nm") or ""]
        names += EXTRA_ALIASES.get(code, [])
        population = (row.get("ons_population_0-25") or "").strip()
        authority = Authority(
            code=code,
            name=DISPLAY_NAMES.get(code, ons_name),
            urn=row["urn"].strip(),
            ons_code=row["la_code_new"].strip(),
            region=row["region_name"].strip(),
            la_type=row["ons_la_type"].strip(),
            population_0_25=int(population) if population.isdigit() else None,
            neighbours=_codes(row.get("stat_neighbours") or ""),
            previous_neighbours=_codes(row.get("stat_neighbours_previous") or ""),
            aliases=tuple(sorted({normalise(n) for n in names if n.strip()})),
        )
        authorities[code] = authority
        for alias in authority.aliases:
            aliases.setdefault(alias, code)
    _add_short_forms(authorities, aliases)
    return authorities, aliases


def _add_short_forms(authorities: dict[str, Authority], aliases: dict[str, str]) -> None:
    """Names Ofsted prints short: 'East Riding' (of Yorkshire), 'Newcastle' (upon Tyne). A short form is the name
    before ' of ' (two words at least: 'Isle' of Wight is no name) or before ' upon ' (one word will do), and is
    taken only when no other authority's name gives it ('Kingston' is upon Hull and upon Thames)."""
    candidates: dict[str, set[str]] = {}
    for code, authority in authorities.items():
        for alias in authority.aliases:
            for joint, words in ((" of ", 2), (" upon ", 1)):
                head = alias.split(joint)[0]
                if joint in alias and len(head.split()) >= words and len(head) >= 5:
                    candidates.setdefault(head, set()).add(code)
    for short, codes in candidates.items():
        if len(codes) == 1 and short not in aliases:
            code = next(iter(codes))
            aliases[short] = code
            authority = authorities[code]
            authorities[code] = Authority(**{**authority.__dict__, "aliases": (*authority.aliases, short)})


def all_authorities() -> list[Authority]:
    return sorted(_table()[0].values(), key=lambda a: a.name.lower())


def alias_table() -> dict[str, str]:
    """Every normalised name and alias, with the DfE code of its authority."""
    return _table()[1]


def by_code(code: str | None) -> Authority | None:
    return _table()[0].get(code or "")


@lru_cache(maxsize=1)
def _alias_pattern() -> re.Pattern[str]:
    aliases = sorted(_table()[1], key=len, reverse=True)  # longest first: the regex takes the first alternative
    return re.compile(r"\b(" + "|".join(re.escape(a) for a in aliases) + r")\b")


def find_in(text: str) -> Authority | None:
    """The authority a piece of text names: the longest alias found in it as whole words, the earliest on a tie.

    'Halton Borough Council' -> Halton; 'Inspection of Kent County Council children's services' -> Kent;
    'the London Borough of Hammersmith and Fulham' -> Hammersmith and Fulham. None when no alias is there.
    """
    normal = normalise(text)
    best: tuple[int, int, str] | None = None
    pattern = _alias_pattern()
    position = 0
    while True:
        match = pattern.search(normal, position)
        if match is None:
            break
        key = (-len(match.group(1)), match.start(), match.group(1))
        if best is None or key < best:
            best = key
        position = match.start() + 1  # overlapping: 'north northamptonshire' must also be tried from 'north'
    if best is None:
        return None
    return by_code(_table()[1][best[2]])


def identify(name: str | None) -> Authority | None:
    """An authority from a name alone: an exact alias first, then the longest alias inside it."""
    if not name:
        return None
    exact = _table()[1].get(normalise(name))
    if exact:
        return by_code(exact)
    return find_in(name)
