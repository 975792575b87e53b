"""Checks on the reference taxonomy data files in ``graph/taxonomy``.

They read the three files with the standard library only, so that a wrong code, name, parent or edge
is caught whatever the code that loads them does. ``industries.csv`` is compared, code by code and
name by name, with the official GB/T 4754-2017 list shipped in ``tests/data/gbt4754-2017.csv``.
"""

from __future__ import annotations

import csv
import json
import re
from collections import Counter
from functools import cache
from graphlib import CycleError, TopologicalSorter
from pathlib import Path
from typing import Any

import pytest

TAXONOMY = Path(__file__).resolve().parents[2] / "graph" / "taxonomy"
OFFICIAL_CSV = Path(__file__).resolve().parents[1] / "data" / "gbt4754-2017.csv"

LEVELS = ("section", "division", "group", "class")
CODE_PATTERNS = {
    "section": re.compile(r"^[A-T]$"),
    "division": re.compile(r"^\d{2}$"),
    "group": re.compile(r"^\d{3}$"),
    "class": re.compile(r"^\d{4}$"),
}
# Divisions whose every group and class the file must hold (the ones Shanghai's key chains need).
FULL_DIVISIONS = frozenset(
    {"17", "18", "19", "26", "27", "28", "29", "30", "31", "32", "33", "34", "35"}
    | {"36", "37", "38", "39", "40", "43", "44", "63", "64", "65", "73", "75", "84"}
)
REQUIRED_CLASSES = {
    "3973": "集成电路制造",
    "6520": "集成电路设计",
    "2720": "化学药品制剂制造",
    "3612": "新能源车整车制造",
}
# The reference CSV lists class 3741 飞机制造 as a second row for group 374 without its class
# code; GB/T 4754-2017 has class 3741 飞机制造 under group 374 航空、航天器及设备制造.
KNOWN_CSV_DEFECTS = {"3741": ("374", "飞机制造")}

CHAIN_IDS = ("ic", "biomed", "ai", "electronics", "health", "auto", "equipment", "materials", "fashion")
LEADING = {"ic", "biomed", "ai"}
STAGES = {"upstream": 0, "midstream": 1, "downstream": 2}
OCCUPATION_CODE = re.compile(r"^\d-\d{2}-\d{2}-\d{2}$")
PROJECT_CODE = re.compile(r"^SA-\d{3}$")


# ---------------------------------------------------------------- loading


def _read_taxonomy_csv(name: str) -> tuple[list[str], list[dict[str, str]]]:
    """The leading ``#`` comment lines and the data rows of a taxonomy CSV."""
    path = TAXONOMY / name
    assert path.is_file(), f"{path} is missing"
    raw = path.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf"), f"{name} starts with a UTF-8 BOM"
    lines = raw.decode("utf-8").splitlines()
    comments = [line for line in lines if line.startswith("#")]
    assert lines[: len(comments)] == comments, f"{name}: comment lines must all come before the header"
    rows = list(csv.DictReader(lines[len(comments) :]))
    return comments, rows


@cache
def industries() -> tuple[tuple[str, ...], tuple[dict[str, str], ...]]:
    comments, rows = _read_taxonomy_csv("industries.csv")
    return tuple(comments), tuple(rows)


@cache
def industry_by_code() -> dict[str, dict[str, str]]:
    return {row["code"]: row for row in industries()[1]}


@cache
def trades() -> tuple[tuple[str, ...], tuple[dict[str, str], ...]]:
    comments, rows = _read_taxonomy_csv("trades.csv")
    return tuple(comments), tuple(rows)


@cache
def chains_doc() -> dict[str, Any]:
    path = TAXONOMY / "chains.json"
    assert path.is_file(), f"{path} is missing"
    doc: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return doc


@cache
def official_rows() -> tuple[dict[str, str], ...]:
    """The rows of the reference CSV, past its leading ``#`` lines (which name its source)."""
    if not OFFICIAL_CSV.is_file():
        pytest.fail(f"the official GB/T 4754-2017 list is missing: expected {OFFICIAL_CSV}")
    lines = OFFICIAL_CSV.read_text(encoding="utf-8").splitlines()
    return tuple(csv.DictReader(line for line in lines if not line.startswith("#")))


@cache
def official() -> tuple[dict[str, tuple[str, str]], frozenset[tuple[str, str]]]:
    """(code -> (level, name), {(group, name)} of the repeated group rows) from the reference CSV."""
    level_names = dict(zip("1234", LEVELS, strict=True))
    columns = dict(zip("1234", ("section", "division", "group", "class"), strict=True))
    codes: dict[str, tuple[str, str]] = {}
    repeated: set[tuple[str, str]] = set()
    for row in official_rows():
        code = row[columns[row["level"]]]
        # Some official names carry a trailing space; the name is the text without it.
        name = row["name"].strip()
        if code in codes:
            repeated.add((code, name))
            continue
        codes[code] = (level_names[row["level"]], name)
    return codes, frozenset(repeated)


def _official_entry(code: str) -> tuple[str, str] | None:
    codes, repeated = official()
    if code in codes:
        return codes[code]
    if code in KNOWN_CSV_DEFECTS and KNOWN_CSV_DEFECTS[code] in repeated:
        return "class", KNOWN_CSV_DEFECTS[code][1]
    return None


def _segments() -> list[tuple[dict[str, Any], dict[str, Any]]]:
    return [(chain, seg) for chain in chains_doc()["chains"] for seg in chain["segments"]]


# ---------------------------------------------------------------- industries.csv


def test_industries_file_names_its_source() -> None:
    comments, rows = industries()
    assert comments, "industries.csv has no # comment lines naming its source"
    assert comments[0].startswith("# Source: GB/T 4754-2017 国民经济行业分类"), comments[0]
    assert any("第1号修改单" in line for line in comments), "the 2019 amendment is not named"
    assert any("subset" in line.lower() for line in comments), "no comment line says which subset is included"
    assert list(rows[0].keys()) == ["code", "name", "level", "parent"]


def test_the_shipped_official_list_names_its_source() -> None:
    lines = OFFICIAL_CSV.read_text(encoding="utf-8").splitlines()
    comments = [line for line in lines if line.startswith("#")]
    assert lines[: len(comments)] == comments, "comment lines must all come before the header"
    assert comments and comments[0].startswith("# Source: 国家统计局"), comments[:1]
    assert "GB/T 4754-2017" in comments[0] and "第1号修改单" in comments[0], comments[0]
    assert lines[len(comments)] == "level,section,division,group,class,name"


def test_industry_codes_are_unique_and_well_formed() -> None:
    rows = industries()[1]
    duplicates = [code for code, n in Counter(r["code"] for r in rows).items() if n > 1]
    assert not duplicates, f"codes listed more than once: {duplicates}"
    for row in rows:
        assert row["level"] in LEVELS, f"{row['code']}: unknown level {row['level']!r}"
        assert CODE_PATTERNS[row["level"]].match(row["code"]), f"{row['code']}: not a {row['level']} code"
        assert row["name"] == row["name"].strip() and row["name"], f"{row['code']}: empty or untrimmed name"


def test_every_industry_code_and_name_is_the_official_one() -> None:
    wrong = []
    for row in industries()[1]:
        entry = _official_entry(row["code"])
        if entry is None:
            wrong.append(f"{row['code']} {row['name']}: no such code in GB/T 4754-2017")
        elif entry != (row["level"], row["name"]):
            wrong.append(f"{row['code']}: file has {row['level']} {row['name']!r}, official is {entry[0]} {entry[1]!r}")
    assert not wrong, "\n".join(wrong)


def test_all_20_sections_and_97_divisions_are_present() -> None:
    codes, _ = official()
    have = industry_by_code()
    sections = sorted(c for c, row in have.items() if row["level"] == "section")
    divisions = sorted(c for c, row in have.items() if row["level"] == "division")
    assert sections == [chr(c) for c in range(ord("A"), ord("T") + 1)], f"sections: {sections}"
    assert len(divisions) == 97, f"{len(divisions)} divisions, not 97"
    official_divisions = sorted(c for c, (level, _) in codes.items() if level == "division")
    assert divisions == official_divisions, (
        f"missing: {sorted(set(official_divisions) - set(divisions))}, "
        f"extra: {sorted(set(divisions) - set(official_divisions))}"
    )


def test_chosen_divisions_are_complete() -> None:
    codes, _ = official()
    have = industry_by_code()
    expected = {c for c, (level, _) in codes.items() if level in ("group", "class") and c[:2] in FULL_DIVISIONS}
    expected |= {c for c, (g, _) in KNOWN_CSV_DEFECTS.items() if c[:2] in FULL_DIVISIONS and _official_entry(c)}
    missing = sorted(expected - set(have))
    assert not missing, f"groups/classes of the chosen divisions missing: {missing}"


def test_every_included_group_has_all_its_classes() -> None:
    codes, _ = official()
    have = industry_by_code()
    groups = [c for c, row in have.items() if row["level"] == "group"]
    for group in groups:
        official_classes = {c for c, (level, _) in codes.items() if level == "class" and c[:3] == group}
        official_classes |= {c for c in KNOWN_CSV_DEFECTS if c[:3] == group and _official_entry(c)}
        missing = sorted(official_classes - set(have))
        assert not missing, f"group {group} {have[group]['name']}: classes missing {missing}"


def test_parents_exist_and_are_one_level_up() -> None:
    have = industry_by_code()
    for code, row in have.items():
        level, parent = row["level"], row["parent"]
        if level == "section":
            assert parent == "", f"section {code} has parent {parent!r}"
            continue
        assert parent in have, f"{code} {row['name']}: parent {parent!r} is not in the file"
        parent_level = have[parent]["level"]
        if level == "division":
            assert parent_level == "section", f"division {code}: parent {parent} is a {parent_level}"
        elif level == "group":
            assert (parent, parent_level) == (code[:2], "division"), f"group {code}: parent {parent} ({parent_level})"
        elif code[:3] in have:
            assert (parent, parent_level) == (code[:3], "group"), f"class {code}: parent {parent}, not group {code[:3]}"
        else:
            # A group the standard does not subdivide is listed only as its class (group code + "0").
            assert code.endswith("0"), f"class {code}: its group {code[:3]} is not in the file"
            assert (parent, parent_level) == (code[:2], "division"), f"class {code}: parent {parent} ({parent_level})"


def test_divisions_sit_in_the_official_section() -> None:
    official_sections = {row["division"]: row["section"] for row in official_rows() if row["level"] == "2"}
    for code, row in industry_by_code().items():
        if row["level"] == "division":
            assert row["parent"] == official_sections[code], f"division {code} is under {row['parent']}"


@pytest.mark.parametrize(("code", "name"), sorted(REQUIRED_CLASSES.items()), ids=sorted(REQUIRED_CLASSES))
def test_required_classes_present(code: str, name: str) -> None:
    row = industry_by_code().get(code)
    assert row is not None, f"{code} {name} is missing"
    assert (row["level"], row["name"]) == ("class", name), f"{code}: {row}"


def test_aircraft_manufacturing_is_a_class_of_group_374() -> None:
    row = industry_by_code()["3741"]
    assert (row["name"], row["level"], row["parent"]) == ("飞机制造", "class", "374")
    assert industry_by_code()["374"]["name"] == "航空、航天器及设备制造"


# ---------------------------------------------------------------- trades.csv


def test_trades_file_names_its_source() -> None:
    comments, rows = trades()
    assert comments and comments[0].startswith("# Source:"), "trades.csv has no # Source line"
    assert "中华人民共和国职业分类大典（2022年版）" in comments[0], comments[0]
    assert list(rows[0].keys()) == ["code", "name", "occupation_code", "category", "aliases"]


def test_trades_count_and_uniqueness() -> None:
    rows = trades()[1]
    assert len(rows) >= 60, f"only {len(rows)} trades"
    for column in ("code", "name"):
        duplicates = [v for v, n in Counter(r[column] for r in rows).items() if n > 1]
        assert not duplicates, f"duplicate trade {column}s: {duplicates}"


def test_trade_codes() -> None:
    for row in trades()[1]:
        occupation = row["occupation_code"]
        if occupation:
            assert OCCUPATION_CODE.match(occupation), f"{row['name']}: bad occupation_code {occupation!r}"
            assert row["code"] == occupation, f"{row['name']}: code {row['code']} != occupation_code {occupation}"
        else:
            assert PROJECT_CODE.match(row["code"]), (
                f"{row['name']}: code {row['code']!r} is neither a 2022 code nor SA-NNN"
            )


def test_trade_names_categories_and_aliases() -> None:
    rows = trades()[1]
    names = {r["name"] for r in rows}
    seen: dict[str, str] = {}
    for row in rows:
        assert row["name"] and row["name"] == row["name"].strip(), f"{row['code']}: empty or untrimmed name"
        assert re.fullmatch(r"[a-z][a-z-]*", row["category"]), f"{row['name']}: category {row['category']!r}"
        aliases = [a for a in row["aliases"].split(";") if a] if row["aliases"] else []
        assert all(a == a.strip() for a in aliases), f"{row['name']}: untrimmed alias in {row['aliases']!r}"
        for alias in aliases:
            assert alias != row["name"], f"{row['name']}: alias repeats the name"
            assert alias not in names, f"{row['name']}: alias {alias!r} is another trade's name"
            assert alias not in seen, f"alias {alias!r} given to both {seen[alias]} and {row['name']}"
            seen[alias] = row["name"]


KEY_TRADES = [
    ("车工", "6-18-01-01"),
    ("焊工", "6-18-02-04"),
    ("电工", "6-31-01-03"),
    ("化工总控工", "6-11-01-03"),
    ("药物制剂工", "6-12-03-00"),
    ("半导体芯片制造工", "6-25-02-05"),
    ("汽车装调工", "6-22-02-01"),
    ("起重装卸机械操作工", "6-30-05-01"),
    ("人工智能工程技术人员", "2-02-38-01"),
    ("中式烹调师", "4-03-02-01"),
]


@pytest.mark.parametrize(("name", "code"), KEY_TRADES, ids=[code for _, code in KEY_TRADES])
def test_key_trades_have_their_2022_codes(name: str, code: str) -> None:
    by_name = {r["name"]: r for r in trades()[1]}
    assert name in by_name, f"trade {name} missing"
    assert by_name[name]["occupation_code"] == code, f"{name}: {by_name[name]['occupation_code']!r}, not {code}"


# ---------------------------------------------------------------- chains.json


def test_chains_document_shape() -> None:
    doc = chains_doc()
    assert "3+6" in doc["source"] and "own modelling" in doc["source"], "source must name 3+6 and the modelling"
    ids = [c["id"] for c in doc["chains"]]
    assert sorted(ids) == sorted(CHAIN_IDS), f"chain ids {ids}"
    priorities = sorted(c["priority"] for c in doc["chains"])
    assert priorities == list(range(1, 10)), f"priorities {priorities} are not 1..9"
    for chain in doc["chains"]:
        assert chain["tier"] == ("leading" if chain["id"] in LEADING else "key"), f"{chain['id']}: tier {chain['tier']}"
        assert chain["name"] and chain["name_en"], f"{chain['id']}: missing name"


def test_high_end_manufacturing_chains_come_first() -> None:
    by_priority = [c["id"] for c in sorted(chains_doc()["chains"], key=lambda c: c["priority"])]
    assert by_priority[:4] == ["ic", "biomed", "equipment", "auto"], by_priority


def test_segments() -> None:
    ids = [seg["id"] for _, seg in _segments()]
    duplicates = [i for i, n in Counter(ids).items() if n > 1]
    assert not duplicates, f"segment ids used twice: {duplicates}"
    for chain in chains_doc()["chains"]:
        count = len(chain["segments"])
        assert 5 <= count <= 12, f"chain {chain['id']} has {count} segments"
    for chain, seg in _segments():
        sid = seg["id"]
        assert re.fullmatch(rf"{chain['id']}/[a-z0-9-]+", sid), f"segment id {sid!r} not <chain>/<slug>"
        assert seg["name"] and seg["name_en"], f"{sid}: missing name"
        assert seg["stage"] in STAGES, f"{sid}: stage {seg['stage']!r}"
        keywords = seg["keywords"]
        assert 4 <= len(keywords) <= 12, f"{sid}: {len(keywords)} keywords"
        assert len(set(keywords)) == len(keywords), f"{sid}: repeated keyword"
        assert all(k and k == k.strip() for k in keywords), f"{sid}: empty or untrimmed keyword"


def test_segment_industries_are_classes_in_industries_csv() -> None:
    have = industry_by_code()
    for _, seg in _segments():
        assert seg["industries"], f"{seg['id']}: no industry"
        for code in seg["industries"]:
            assert code in have, f"{seg['id']}: industry {code} is not in industries.csv"
            assert have[code]["level"] == "class", f"{seg['id']}: {code} is a {have[code]['level']}, not a class"


def test_supplies_edges() -> None:
    for chain in chains_doc()["chains"]:
        segs = {seg["id"]: seg for seg in chain["segments"]}
        pairs = [(e["from"], e["to"]) for e in chain["supplies"]]
        assert len(set(pairs)) == len(pairs), f"{chain['id']}: an edge is listed twice"
        touched: set[str] = set()
        for edge in chain["supplies"]:
            start, end, weight = edge["from"], edge["to"], edge["weight"]
            label = f"{chain['id']}: {start} -> {end}"
            assert start in segs, f"{label}: {start} is not a segment of this chain"
            assert end in segs, f"{label}: {end} is not a segment of this chain"
            assert start != end, f"{label}: self loop"
            assert isinstance(weight, int | float) and not isinstance(weight, bool), f"{label}: weight {weight!r}"
            assert 0 < weight <= 1, f"{label}: weight {weight} not in (0, 1]"
            assert STAGES[segs[start]["stage"]] <= STAGES[segs[end]["stage"]], (
                f"{label}: goes from {segs[start]['stage']} back to {segs[end]['stage']}"
            )
            touched |= {start, end}
        lonely = sorted(set(segs) - touched)
        assert not lonely, f"{chain['id']}: segments on no edge: {lonely}"


def test_supplies_are_acyclic() -> None:
    for chain in chains_doc()["chains"]:
        graph: dict[str, set[str]] = {seg["id"]: set() for seg in chain["segments"]}
        for edge in chain["supplies"]:
            graph[edge["to"]].add(edge["from"])
        try:
            tuple(TopologicalSorter(graph).static_order())
        except CycleError as err:
            pytest.fail(f"{chain['id']}: supplies form a cycle {err.args[1]}")
