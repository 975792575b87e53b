"""The reference taxonomies shipped with the product, as records ready to write to any store.

- ``industries.csv``: GB/T 4754-2017 sections, divisions, and the groups and classes the key chains
  need (``code,name,level,parent``);
- ``trades.csv``: trades (工种), keyed by their 2022 national occupation code where one exists
  (``code,name,occupation_code,category,aliases``);
- ``chains.json``: Shanghai's "3+6" key industry chains, their segments, the industry classes of each
  segment, and ``SUPPLIES`` edges upstream → downstream.

Each file names its source in its header. ``alliances init`` loads all three with one write.
"""

from __future__ import annotations

import csv
import io
import json
from functools import cache
from importlib import resources
from typing import Any

from ..model import Chain, Industry, IndustryLevel, Record, Segment, Supplies, Trade


def _read(name: str) -> str:
    return resources.files(__name__).joinpath(name).read_text(encoding="utf-8")


def _csv_rows(name: str) -> list[dict[str, str]]:
    lines = [line for line in _read(name).splitlines() if not line.startswith("#")]
    return list(csv.DictReader(io.StringIO("\n".join(lines))))


def source_of(name: str) -> str:
    """The source a data file names in its header."""
    if name.endswith(".json"):
        return str(json.loads(_read(name))["source"])
    return " ".join(line.lstrip("# ").strip() for line in _read(name).splitlines() if line.startswith("#"))


@cache
def industries() -> tuple[Industry, ...]:
    return tuple(
        Industry(code=r["code"], name=r["name"], level=IndustryLevel(r["level"]), parent_code=r["parent"] or None)
        for r in _csv_rows("industries.csv")
    )


@cache
def trades() -> tuple[Trade, ...]:
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
