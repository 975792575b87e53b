"""The synthetic roster generator (``ingest.synthetic``) and the sample files made with it.

Every value a generated row holds must resolve exactly against the shipped taxonomies (by code, id
or exact name), and each studio's label must say what its row says. The committed samples must be
what ``samples/make_samples.py`` makes. No timing here: performance is measured on demand.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter
from pathlib import Path

import pytest
from openpyxl import load_workbook

from graph import taxonomy
from graph.model import HonourLevel, honour_level
from ingest.synthetic import (
    ALLIANCE_HEADERS,
    COLLABORATION_HEADERS,
    DISTRICTS,
    NAMING_LIST_HEADERS,
    NOTE_SHEET,
    PROJECT_HEADERS,
    SHEETS,
    STUDIO_HEADERS,
    Roster,
    generate,
    naming_list,
    write_csv,
    write_json,
    write_xlsx,
)

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
SAMPLE_XLSX = SAMPLES / "shanghai-roster-illustrative.xlsx"
SAMPLE_NAMING_LIST = SAMPLES / "naming-list-2024-illustrative.csv"
REGENERATE = "run `python samples/make_samples.py` to regenerate the samples"

LEVELS = {"全国", "市级", "区局级", "企业级"}
STATUSES = {"在职", "退休", "离职", "已故"}
KINDS = {"同工种", "同行业", "跨领域", "产业链"}


# ---------------------------------------------------------------- resolving values the way a reader must


def _unique_names(pairs: list[tuple[str, str]]) -> dict[str, str]:
    counts = Counter(name for _, name in pairs)
    return {name: key for key, name in pairs if counts[name] == 1}


TRADE_BY_CODE = {t.code: t.code for t in taxonomy.trades()}
TRADE_BY_NAME = _unique_names([(t.code, t.name) for t in taxonomy.trades()])
INDUSTRY_BY_CODE = {i.code: i.code for i in taxonomy.industries()}
# The generator names an industry only where its name is unique among the industries it draws on.
INDUSTRY_BY_NAME = _unique_names([(i.code, i.name) for i in taxonomy.generator_industries()])
SEGMENTS = {s.id: s for s in taxonomy.segments()}
SEGMENT_BY_NAME = _unique_names([(s.id, s.name) for s in taxonomy.segments()])
CHAIN_BY_KEY = {c.id: c.id for c in taxonomy.chains()} | {c.name: c.id for c in taxonomy.chains()}


def _trade(value: str) -> str:
    code = TRADE_BY_CODE.get(value) or TRADE_BY_NAME.get(value)
    assert code, f"工种 {value!r} resolves to no trade (by code or exact name)"
    return code


def _industry(value: str) -> str:
    code = INDUSTRY_BY_CODE.get(value) or INDUSTRY_BY_NAME.get(value)
    assert code, f"行业 {value!r} resolves to no single industry (by code or exact name)"
    return code


def _segment(value: str) -> str:
    seg = value if value in SEGMENTS else SEGMENT_BY_NAME.get(value)
    assert seg, f"产业链环节 {value!r} resolves to no segment (by id or exact name)"
    return seg


def _items(cell: str) -> list[str]:
    return [item for item in cell.split(";") if item]


# ---------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def sample() -> Roster:
    """The roster behind the committed sample workbook."""
    return generate(320, seed=2019)


@pytest.fixture(scope="module")
def big() -> Roster:
    return generate(5000, seed=11)


# ---------------------------------------------------------------- determinism


def test_the_same_seed_gives_the_same_roster() -> None:
    first, second = generate(400, seed=7), generate(400, seed=7)
    assert first == second
    assert json.dumps(first.labels, sort_keys=True) == json.dumps(second.labels, sort_keys=True)
    other = generate(400, seed=8)
    assert other.studios != first.studios


def test_written_files_are_the_same_bytes_every_time(tmp_path: Path) -> None:
    roster = generate(60, seed=3)
    for name in ("a", "b"):
        write_xlsx(roster, tmp_path / f"{name}.xlsx", note="generate(60, seed=3)")
        write_json(roster, tmp_path / f"{name}.json")
        write_csv(roster.studios, tmp_path / f"{name}.csv", encoding="gb18030")
    for ext in ("xlsx", "json", "csv"):
        assert (tmp_path / f"a.{ext}").read_bytes() == (tmp_path / f"b.{ext}").read_bytes(), ext


def test_counts_follow_the_arguments() -> None:
    roster = generate(100, seed=5, projects=30, collaborations=40, alliances=8)
    assert (len(roster.studios), len(roster.projects), len(roster.collaborations), len(roster.alliances)) == (
        100,
        30,
        40,
        8,
    )
    assert set(roster.labels) == {s["编号"] for s in roster.studios}


@pytest.mark.parametrize("n", [0, 1, 2, 5, 17])
def test_tiny_rosters_are_consistent(n: int) -> None:
    roster = generate(n, seed=1)
    assert len(roster.studios) == n
    ids = {s["编号"] for s in roster.studios}
    assert all({c["工作室A"], c["工作室B"]} <= ids for c in roster.collaborations)
    assert all(set(_items(a["成员"])) <= ids for a in roster.alliances)


def test_a_negative_count_is_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        generate(-1)


# ---------------------------------------------------------------- the sample's coverage claims


def test_the_sample_covers_districts_trades_chains_and_kinds(sample: Roster) -> None:
    studios = sample.studios
    assert len(studios) >= 300
    assert {s["所在区"] for s in studios} == set(DISTRICTS)
    assert len({t for s in studios for t in _items(s["工种"])}) >= 30
    chains = {SEGMENTS[seg].chain_id for label in sample.labels.values() for seg in label["segments"]}
    assert chains == {c.id for c in taxonomy.chains()}
    industry_unions = {s["所属工会"] for s in studios if not s["所属工会"].endswith("区总工会")}
    assert len(industry_unions) >= 5, industry_unions
    statuses = Counter(s["领衔人状态"] for s in studios)
    assert statuses["退休"] >= 2 and statuses["在职"] >= 0.9 * len(studios)
    assert len(sample.projects) >= 12
    assert len(sample.collaborations) >= 150
    assert len({c["年份"] for c in sample.collaborations}) >= 5
    assert len(sample.alliances) >= 8
    assert {a["类型"] for a in sample.alliances} == KINDS


def test_most_studios_are_in_a_chain_and_services_are_not(sample: Roster) -> None:
    in_chain = [s for s in sample.studios if s["产业链环节"]]
    assert len(in_chain) > len(sample.studios) / 2
    nursing = [s for s in sample.studios if s["工种"].split(";")[0] in {"护士", "内科护士", "外科护士", "急诊护士"}]
    teaching = [s for s in sample.studios if "教师" in s["工种"]]
    assert all(not s["产业链环节"] for s in teaching)
    assert not nursing or sum(1 for s in nursing if not s["产业链环节"]) >= len(nursing) / 2


def test_a_few_big_trades_dominate(big: Roster) -> None:
    counts = Counter(_items(s["工种"])[0] for s in big.studios)
    top = [name for name, _ in counts.most_common(5)]
    assert "电工" in top[:3] and "焊工" in top
    assert sum(c for _, c in counts.most_common(5)) >= 0.2 * len(big.studios)
    assert len(counts) >= 150  # and a long tail


def test_national_honours_are_rarer_than_municipal(big: Roster) -> None:
    levels = Counter(honour_level(_items(s["领衔人荣誉"])) for s in big.studios)
    assert levels[HonourLevel.NATIONAL] < levels[HonourLevel.PROVINCIAL]
    assert levels[HonourLevel.PROVINCIAL] > 0.7 * len(big.studios)
    assert 0 < levels[HonourLevel.OTHER] + levels[HonourLevel.NONE] < 0.1 * len(big.studios)
    not_serving = sum(1 for s in big.studios if s["领衔人状态"] != "在职")
    assert 0.015 * len(big.studios) < not_serving < 0.06 * len(big.studios)


# ---------------------------------------------------------------- every value resolves


def test_studio_rows_hold_valid_values(big: Roster) -> None:
    ids = [s["编号"] for s in big.studios]
    assert len(set(ids)) == len(ids) and all(re.fullmatch(r"SH\d{6}", i) for i in ids)
    names = [s["工作室名称"] for s in big.studios]
    assert len(set(names)) == len(names), "studio names must be unique"
    assert len({(s["工作室名称"], s["所在单位"]) for s in big.studios}) == len(names)
    for s in big.studios:
        assert list(s) == list(STUDIO_HEADERS)
        assert s["工作室名称"].startswith(s["领衔人"]) or s["领衔人"] in s["工作室名称"]
        assert s["工作室名称"].endswith(("劳模创新工作室", "技能大师工作室", "创新工作室"))
        assert s["所在区"] in DISTRICTS
        assert s["命名级别"] in LEVELS and s["领衔人状态"] in STATUSES
        named, founded = int(s["命名年份"]), int(s["成立年份"])
        assert 2005 <= named <= 2025 and 2000 <= founded <= named
        assert 1 <= int(s["团队人数"]) <= 10_000
        assert s["所属工会"].endswith("工会")
        assert 1 <= len(_items(s["工种"])) <= 2
        for value in _items(s["工种"]):
            _trade(value)
        _industry(s["行业"])
        for value in _items(s["产业链环节"]):
            _segment(value)


def test_employers_keep_one_district_and_one_union(big: Roster) -> None:
    seen: dict[str, tuple[str, str, str]] = {}
    for s in big.studios:
        facts = (s["所在区"], s["所属工会"], big.labels[s["编号"]]["industry"])
        assert seen.setdefault(s["所在单位"], facts) == facts, s["所在单位"]
    assert len(seen) < len(big.studios) * 0.8, "big employers host several studios"


def test_labels_say_what_the_rows_say(big: Roster) -> None:
    for s in big.studios:
        label = big.labels[s["编号"]]
        assert set(label) == {"industry", "trades", "segments"}
        assert label["trades"] == [_trade(v) for v in _items(s["工种"])]
        assert label["industry"] == _industry(s["行业"])
        assert label["segments"] == [_segment(v) for v in _items(s["产业链环节"])]
        if label["segments"]:
            assert label["industry"] in SEGMENTS[label["segments"][0]].industry_codes


def test_rows_mix_codes_with_names(big: Roster) -> None:
    industries = [s["行业"] for s in big.studios]
    assert any(v.isdigit() for v in industries) and any(not v.isdigit() for v in industries)
    segments = [v for s in big.studios for v in _items(s["产业链环节"])]
    assert any("/" in v for v in segments) and any("/" not in v for v in segments)


def test_needs_point_to_other_fields_and_along_the_chain(big: Roster) -> None:
    chained = [s for s in big.studios if s["产业链环节"]]
    along = [s for s in chained if "上游" in s["攻关需求"] or "下游" in s["攻关需求"]]
    assert len(along) > 0.3 * len(chained)
    expertise = {s["技术专长"] for s in big.studios}
    assert len(expertise) > 0.5 * len(big.studios), "expertise text should vary"
    asking = [s for s in big.studios if s["攻关需求"].startswith("需要")]
    assert len(asking) > 0.3 * len(big.studios)


def test_projects_name_their_chain_and_its_segments(big: Roster) -> None:
    names = [p["项目名称"] for p in big.projects]
    assert len(set(names)) == len(names)
    assert "28纳米集成电路工艺良率提升攻关" in names
    for p in big.projects:
        assert list(p) == list(PROJECT_HEADERS)
        chain = CHAIN_BY_KEY[p["产业链"]]
        segs = [_segment(v) for v in _items(p["产业链环节"])]
        assert segs and all(SEGMENTS[s].chain_id == chain for s in segs)
        assert p["所需能力"] and p["牵头工会"].endswith("工会")
    assert {CHAIN_BY_KEY[p["产业链"]] for p in big.projects} == {c.id for c in taxonomy.chains()}


def test_collaborations_join_two_known_studios_once_a_year(big: Roster) -> None:
    by_id = {s["编号"]: s for s in big.studios}
    keys = set()
    for c in big.collaborations:
        assert list(c) == list(COLLABORATION_HEADERS)
        a, b, year = c["工作室A"], c["工作室B"], int(c["年份"])
        assert a in by_id and b in by_id and a < b
        assert 2016 <= year <= 2025
        assert year >= int(by_id[a]["成立年份"]) and year >= int(by_id[b]["成立年份"])
        assert c["合作内容"]
        keys.add((a, b, year))
    assert len(keys) == len(big.collaborations)
    same_chain = sum(
        1
        for c in big.collaborations
        if {SEGMENTS[s].chain_id for s in big.labels[c["工作室A"]]["segments"]}
        & {SEGMENTS[s].chain_id for s in big.labels[c["工作室B"]]["segments"]}
    )
    assert same_chain > 0.3 * len(big.collaborations), "biased toward the same chain"


def test_alliances_have_three_to_fifteen_known_members_of_their_kind(big: Roster) -> None:
    by_id = {s["编号"]: s for s in big.studios}
    names = [a["联盟名称"] for a in big.alliances]
    assert len(set(names)) == len(names)
    for a in big.alliances:
        assert list(a) == list(ALLIANCE_HEADERS)
        members = _items(a["成员"])
        assert 3 <= len(members) <= 15 and len(set(members)) == len(members)
        assert all(m in by_id for m in members)
        assert all(int(by_id[m]["命名年份"]) <= int(a["成立年份"]) <= 2025 for m in members)
        labels = [big.labels[m] for m in members]
        if a["类型"] == "同工种":
            assert set.intersection(*(set(label["trades"]) for label in labels))
        elif a["类型"] == "同行业":
            assert len({label["industry"] for label in labels}) == 1
        elif a["类型"] == "产业链":
            chains = [{SEGMENTS[s].chain_id for s in label["segments"]} for label in labels]
            assert set.intersection(*chains)
            assert len({s for label in labels for s in label["segments"]}) >= 2
        else:
            assert len({tuple(label["trades"]) for label in labels}) >= 3


# ---------------------------------------------------------------- writers


def test_xlsx_has_the_notice_first_then_one_sheet_per_kind(tmp_path: Path) -> None:
    roster = generate(40, seed=9)
    path = tmp_path / "roster.xlsx"
    write_xlsx(roster, path, note="generate(40, seed=9)")
    workbook = load_workbook(path, read_only=True)
    try:
        assert workbook.sheetnames == [NOTE_SHEET, *SHEETS]
        notice = [cell for row in workbook[NOTE_SHEET].iter_rows(values_only=True) for cell in row if cell]
        assert "示例数据，纯属虚构，并非真实名单" in notice
        assert any("generate(40, seed=9)" in str(cell) for cell in notice)
        rows = list(workbook["工作室"].iter_rows(values_only=True))
        assert list(rows[0]) == list(STUDIO_HEADERS)
        assert len(rows) == 41
        assert isinstance(rows[1][STUDIO_HEADERS.index("命名年份")], int)
    finally:
        workbook.close()


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_round_trips_in_each_encoding(tmp_path: Path, encoding: str) -> None:
    roster = generate(30, seed=4)
    path = tmp_path / "studios.csv"
    write_csv(roster.studios, path, encoding=encoding)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") == (encoding == "utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(raw.decode(encoding), newline="")))
    assert rows == roster.studios


def test_json_keeps_chinese_keys_unescaped(tmp_path: Path) -> None:
    roster = generate(20, seed=4)
    path = tmp_path / "roster.json"
    write_json(roster, path)
    text = path.read_text(encoding="utf-8")
    assert "工作室名称" in text and "\\u" not in text
    data = json.loads(text)
    assert list(data) == ["studios", "projects", "collaborations", "alliances", "ledger", "funding"]
    assert data["studios"] == roster.studios and data["alliances"] == roster.alliances
    assert data["ledger"] == roster.ledger and data["funding"] == roster.funding


def test_naming_list_has_new_studios_only() -> None:
    roster = generate(200, seed=2)
    rows = naming_list(25, seed=3, exclude=roster)
    assert len(rows) == 25
    assert all(list(r) == list(NAMING_LIST_HEADERS) for r in rows)
    assert [r["序号"] for r in rows] == [str(i) for i in range(1, 26)]
    taken = {s["工作室名称"] for s in roster.studios}
    assert not taken & {r["工作室名称"] for r in rows}


# ---------------------------------------------------------------- the committed samples


def test_the_sample_workbook_is_what_the_generator_makes(sample: Roster) -> None:
    assert SAMPLE_XLSX.is_file(), REGENERATE
    workbook = load_workbook(SAMPLE_XLSX, read_only=True)
    try:
        assert workbook.sheetnames == [NOTE_SHEET, *SHEETS]
        for title, rows in sample.sheets().items():
            cells = list(workbook[title].iter_rows(values_only=True))
            read = [{h: "" if v is None else str(v) for h, v in zip(cells[0], row, strict=True)} for row in cells[1:]]
            assert read == rows, f"sheet {title} differs from generate(320, seed=2019): {REGENERATE}"
    finally:
        workbook.close()


def test_the_sample_naming_list_is_a_bare_gb18030_list(sample: Roster) -> None:
    assert SAMPLE_NAMING_LIST.is_file(), REGENERATE
    raw = SAMPLE_NAMING_LIST.read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")  # really GB18030, as a clerk's Excel export
    rows = list(csv.reader(io.StringIO(raw.decode("gb18030"), newline="")))
    assert rows[0] == list(NAMING_LIST_HEADERS)
    assert len(rows) == 41
    assert [r[0] for r in rows[1:]] == [str(i) for i in range(1, 41)]
    assert not {r[1] for r in rows[1:]} & {s["工作室名称"] for s in sample.studios}
    assert all(r[4].endswith("工会") for r in rows[1:])
    assert [dict(zip(rows[0], r, strict=True)) for r in rows[1:]] == naming_list(40, seed=2024, exclude=sample), (
        REGENERATE
    )
