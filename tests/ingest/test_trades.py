"""Trades as clerks write them: the whole 2022 classification, read by code, exact name, alias, then
an unambiguous near match (with a warning); only no match or a tie is an error; several trades in a
cell.

Fixture files are made here, in a temporary folder; the store is a ``FileStore`` there.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from graph import taxonomy
from graph.file_store import FileStore
from graph.model import Studio, Trade
from graph.taxonomy import Occupation
from ingest.normalise import Invalid, Reference, TradeMatchKind
from ingest.pipeline import ingest
from ingest.roster import derive_id
from ingest.text import key, split_list, split_trades

TRADES_CSV = Path(__file__).resolve().parents[2] / "graph" / "taxonomy" / "trades.csv"


def _curated_rows() -> list[dict[str, str]]:
    text = TRADES_CSV.read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO("\n".join(line for line in text.splitlines() if not line.startswith("#")))))


def _today() -> dict[str, str]:
    """What every code, name and alias of trades.csv resolved to before the whole classification
    was shipped: codes and names first, in file order, then aliases; the first trade wins."""
    rows = _curated_rows()
    out: dict[str, str] = {}
    for r in rows:
        out.setdefault(key(r["code"]), r["code"])
        out.setdefault(key(r["name"]), r["code"])
    for r in rows:
        for alias in (a.strip() for a in r["aliases"].split(";")):
            if alias:
                out.setdefault(key(alias), r["code"])
    return out


@pytest.fixture(scope="module")
def ref() -> Reference:
    return Reference()


def _csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


# -- what resolves today resolves the same way ---------------------------------------------------------


def test_every_curated_code_name_and_alias_resolves_as_before(ref: Reference) -> None:
    rows = _curated_rows()
    texts = [r["code"] for r in rows] + [r["name"] for r in rows]
    texts += [a.strip() for r in rows for a in r["aliases"].split(";") if a.strip()]
    today = _today()
    assert len(texts) > 900
    for text in texts:
        match = ref.match_trade(text)
        assert match.trade.code == today[key(text)], (text, match.trade.code, today[key(text)])
        assert match.kind is not TradeMatchKind.NEAR, text
        assert match.warning is None


def test_nursing_stays_the_curated_trade_not_a_tie_between_nurses(ref: Reference) -> None:
    assert ref.trade("护士").code == "SA-001"
    assert ref.trade("内科护士").code == "2-05-08-01"


# -- the whole classification ----------------------------------------------------------------------------


def test_every_2022_occupation_resolves_by_code_and_by_name(ref: Reference) -> None:
    occupations = [o for o in taxonomy.occupations() if o.level == "occupation"]
    assert len(occupations) == 1636
    curated_by_occupation = {t.occupation_code: t.code for t in taxonomy.curated_trades() if t.occupation_code}
    for o in occupations:
        expected = curated_by_occupation.get(o.code, o.code)
        assert ref.trade(o.code).code == expected, o.code
        assert ref.trade(o.name).code == expected, o.name


def test_an_occupation_outside_the_curated_list_is_a_trade_of_its_own(ref: Reference) -> None:
    match = ref.match_trade("碳排放管理员")
    assert (match.trade.code, match.kind) == ("4-09-07-04", TradeMatchKind.NAME)
    assert match.trade.occupation_code == "4-09-07-04"
    assert ref.match_trade("4-09-07-04").kind is TradeMatchKind.CODE
    assert ref.match_trade("碳排放管理师").kind is TradeMatchKind.ALIAS  # an alias the classification gives


def test_an_alias_of_a_curated_occupation_reads_as_the_curated_trade(ref: Reference) -> None:
    # 凉菜厨师 is not in trades.csv; the classification gives it for 中式烹调师, a curated trade
    match = ref.match_trade("凉菜厨师")
    assert (match.trade.code, match.trade.name, match.kind) == ("4-03-02-01", "中式烹调师", TradeMatchKind.ALIAS)


def test_a_curated_alias_wins_over_an_occupation_alias(ref: Reference) -> None:
    # 钻工 is trades.csv's alias of 钻床工 and the classification's alias of 地勘钻探工
    assert ref.trade("钻工").name == "钻床工"


def _occupation(code: str, name: str, *aliases: str) -> Occupation:
    return Occupation(code, "occupation", name, False, False, "", "", aliases)


def test_a_shared_alias_resolves_only_to_the_one_curated_trade_among_them() -> None:
    welder = Trade(code="6-18-02-04", name="焊工", occupation_code="6-18-02-04")
    cutter = Trade(code="6-18-02-05", name="机械加工材料切割工", occupation_code="6-18-02-05")
    sprayer = Trade(code="6-18-03-04", name="喷涂喷焊工", occupation_code="6-18-03-04")
    occupations = [
        _occupation("6-18-02-04", "焊工", "切割焊工"),
        _occupation("6-18-02-05", "机械加工材料切割工", "切割焊工"),
        _occupation("6-18-03-04", "喷涂喷焊工", "切割焊工"),
    ]
    one_curated = Reference(trades=[welder, cutter, sprayer], curated=[welder.code], occupations=occupations)
    match = one_curated.match_trade("切割焊工")
    assert (match.trade.code, match.kind) == ("6-18-02-04", TradeMatchKind.ALIAS)
    none_curated = Reference(trades=[welder, cutter, sprayer], curated=[], occupations=occupations)
    with pytest.raises(Invalid) as tie:
        none_curated.trade("切割焊工")
    assert tie.value.message == (
        "trade '切割焊工' matches several trades equally: 焊工 (6-18-02-04), 机械加工材料切割工 (6-18-02-05), "
        "喷涂喷焊工 (6-18-03-04); write one of them"
    )
    two_curated = Reference(
        trades=[welder, cutter, sprayer], curated=[welder.code, cutter.code], occupations=occupations
    )
    with pytest.raises(Invalid):
        two_curated.trade("切割焊工")


# -- near matches ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "name", "code"),
    [
        ("软件工程技术人员", "计算机软件工程技术人员", "2-02-10-03"),
        ("高级焊工", "焊工", "6-18-02-04"),
        ("焊工（高级）", "焊工", "6-18-02-04"),
        ("二级焊工", "焊工", "6-18-02-04"),
        ("电工高级技师", "电工", "6-31-01-03"),
        ("车床操作工", "车工", "6-18-01-01"),
        ("数控车床工", "车工", "6-18-01-01"),
        ("手工电焊工", "焊工", "6-18-02-04"),
        ("新能源汽车维修工", "汽车维修工", "4-12-01-01"),
        ("电工仪表维修工", "仪器仪表维修工", "6-31-01-04"),
    ],
)
def test_a_near_match_reads_the_trade_with_a_warning(ref: Reference, text: str, name: str, code: str) -> None:
    match = ref.match_trade(text)
    assert (match.trade.name, match.trade.code, match.kind) == (name, code, TradeMatchKind.NEAR)
    assert match.warning == (f"trade {text!r} read as {name} ({code})", f"工种「{text}」按「{name}」({code}) 读取")


def test_aliases_need_no_near_match(ref: Reference) -> None:
    for text, code in (("电焊工", "6-18-02-04"), ("数控车工", "6-18-01-01")):
        match = ref.match_trade(text)
        assert (match.trade.code, match.kind, match.warning) == (code, TradeMatchKind.ALIAS, None)


def test_two_equally_near_trades_are_an_error_naming_both(ref: Reference) -> None:
    with pytest.raises(Invalid) as tie:
        ref.trade("调试工")  # 电子调试工 (电子设备调试工) and 汽车调试工 (汽车装调工) both end in it, equally long
    assert tie.value.message == (
        "trade '调试工' matches several trades equally: 汽车装调工 (6-22-02-01), 电子设备调试工 (6-25-04-08); "
        "write one of them"
    )
    assert "汽车装调工（6-22-02-01）、电子设备调试工（6-25-04-08）" in tie.value.message_zh


def test_a_bare_worker_word_never_near_matches(ref: Reference) -> None:
    for text in ("操作工", "工程技术人员", "技术员"):
        with pytest.raises(Invalid) as unknown:
            ref.trade(text)
        assert unknown.value.message.startswith(f"unknown trade {text!r}"), unknown.value.message


def test_a_misspelling_is_still_an_error_naming_the_closest(ref: Reference) -> None:
    with pytest.raises(Invalid) as unknown:
        ref.trade("车公")
    assert unknown.value.message.startswith("unknown trade '车公'; closest: 车工")
    assert "最接近的有：车工" in unknown.value.message_zh


def test_near_matching_prefers_a_text_that_ends_the_other() -> None:
    lathe = Trade(code="6-18-01-01", name="车工", occupation_code="6-18-01-01")
    ends = Trade(code="X-1", name="数控车床调整工")
    starts = Trade(code="X-2", name="数控车工装调员")
    ref = Reference(trades=[lathe, ends, starts], occupations=[])
    # 数控车工 is in 数控车工装调员 (7 characters, not at its end) and ends with 车工 (2 of 4): the end wins
    assert ref.match_trade("数控车工").trade.code == "6-18-01-01"


# -- cells with several trades -------------------------------------------------------------------------


def test_split_trades_splits_on_the_usual_separators_and_slashes() -> None:
    assert split_trades("电工、焊工") == ["电工", "焊工"]
    assert split_trades("电工，焊工／车工;钳工；铣工 / 磨工,镗工") == [
        "电工",
        "焊工",
        "车工",
        "钳工",
        "铣工",
        "磨工",
        "镗工",
    ]
    assert split_list("产业链/环节") == ["产业链/环节"]  # the general list splitter keeps / (chain/segment)


def test_a_cell_with_several_trades_loads_them_all(tmp_path: Path) -> None:
    store = FileStore(tmp_path / "g.json")
    path = _csv(
        tmp_path / "trades.csv",
        ["工作室名称", "领衔人", "所在单位", "工种"],
        [
            ["甲劳模创新工作室", "甲", "上海电气", "电工、焊工"],
            ["乙劳模创新工作室", "乙", "上海电气", "车工/钳工／电焊工"],
            ["丙劳模创新工作室", "丙", "上海电气", "文学、艺术学研究人员"],
        ],
    )
    report = ingest([path], store, classify=False)
    assert report.ok, report.problems
    assert report.warning_count == 0
    trades = {s.name: s.trade_codes for s in store.list(Studio)}
    assert trades["甲劳模创新工作室"] == ("6-18-02-04", "6-31-01-03")
    assert trades["乙劳模创新工作室"] == ("6-18-01-01", "6-18-02-04", "6-20-01-01")
    assert trades["丙劳模创新工作室"] == ("2-01-10-00",)  # one occupation's name holds 、: kept whole


# -- end to end: warnings load, errors refuse -----------------------------------------------------------


def test_a_near_match_loads_with_a_warning_in_the_report(tmp_path: Path) -> None:
    store = FileStore(tmp_path / "g.json")
    path = _csv(
        tmp_path / "roster.csv",
        ["工作室名称", "领衔人", "所在单位", "工种"],
        [["张伟劳模创新工作室", "张伟", "上海宝信软件股份有限公司", "软件工程技术人员；高级焊工"]],
    )
    report = ingest([path], store, classify=False)
    assert report.ok and report.written, report.problems
    studio = store.get(Studio, derive_id("st", "张伟劳模创新工作室", "上海宝信软件股份有限公司"))
    assert studio.trade_codes == ("2-02-10-03", "6-18-02-04")
    assert report.warning_count == 2
    first, second = report.warnings
    assert (first.row, first.column, first.value) == (2, "工种", "软件工程技术人员")
    assert first.message == "trade '软件工程技术人员' read as 计算机软件工程技术人员 (2-02-10-03)"
    assert first.message_zh == "工种「软件工程技术人员」按「计算机软件工程技术人员」(2-02-10-03) 读取"
    assert second.message == "trade '高级焊工' read as 焊工 (6-18-02-04)"
    body = json.loads(json.dumps(report.to_json()))
    assert body["ok"] is True
    assert body["warning_count"] == 2
    assert body["warnings"][0]["message_zh"] == first.message_zh
    assert body["warnings"][0]["file"].endswith("roster.csv")
    assert body["problems"] == []


def test_a_roster_that_writes_an_unknown_or_tied_trade_is_refused_naming_the_closest(tmp_path: Path) -> None:
    store = FileStore(tmp_path / "g.json")
    path = _csv(
        tmp_path / "roster.csv",
        ["工作室名称", "领衔人", "所在单位", "工种"],
        [["甲劳模创新工作室", "甲", "乙公司", "车公"], ["丙劳模创新工作室", "丙", "乙公司", "调试工"]],
    )
    report = ingest([path], store, classify=False)
    assert not report.ok and not report.written
    assert [(p.row, p.column, p.value) for p in report.problems] == [(2, "工种", "车公"), (3, "工种", "调试工")]
    assert "closest: 车工" in report.problems[0].message
    assert "matches several trades equally" in report.problems[1].message
    assert store.count_studios() == 0


def test_the_store_holds_a_trade_for_every_occupation(tmp_path: Path) -> None:
    store = FileStore(tmp_path / "g.json")
    path = _csv(tmp_path / "r.csv", ["工作室名称", "领衔人", "所在单位"], [["甲工作室", "甲", "乙公司"]])
    assert ingest([path], store, classify=False).ok
    stored = {t.code for t in store.list(Trade)}
    assert {t.code for t in taxonomy.trades()} == stored
    assert "4-09-07-04" in stored and "SA-001" in stored
