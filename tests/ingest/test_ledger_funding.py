"""Ledgers (台帐, Article 8) and funding (经费, Article 10) in, and the studio columns that go with
them (成立日期, 固定场所, 专项经费, 领衔人状态年份): every format, every error class, idempotency.

Fixture files are made here, by the tests, in a temporary folder.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import pytest

from graph.model import Funding, FundingSource, LedgerEntry, LedgerKind, ModelWorker, Studio
from graph.store import BaseStore
from ingest.columns import SheetKind, sheet_kind_by_headers
from ingest.roster import derive_id
from ingest.synthetic import (
    FUNDING_HEADERS,
    LEDGER_HEADERS,
    STUDIO_HEADERS,
    generate,
    write_csv,
    write_json,
    write_xlsx,
)

from .test_ingest import HEADERS, ROWS, problems, run, workbook
from .test_ingest import write_csv as write_rows

LEDGER = ["工作室", "台帐类型", "年份", "日期", "名称", "内容", "经济社会效益", "效益金额（万元）", "创新类型",
          "获奖情况", "认定攻关项目"]  # fmt: skip
FUNDING = ["工作室", "年份", "资助来源", "金额（元）", "备注"]


def by_title(store: BaseStore) -> dict[str, LedgerEntry]:
    return {e.title: e for e in store.list(LedgerEntry)}


def funding_of(store: BaseStore, studio_id: str) -> list[tuple[int, FundingSource, int]]:
    return sorted((f.year, f.source, f.amount) for f in store.list(Funding) if f.studio_id == studio_id)


# ---------------------------------------------------------------- reading


def test_ledger_and_funding_sheets_of_a_workbook(store: BaseStore, tmp_path: Path) -> None:
    path = workbook(
        tmp_path / "roster.xlsx",
        {
            "工作室": [HEADERS, *ROWS],
            "台帐": [
                LEDGER,
                ["SH001", "活动", 2024, dt.datetime(2024, 5, 1), "数控车工技能培训班", "培训职工30人次", "", "", "", "",
                 ""],
                ["王晓芳劳模创新工作室", "成果", 2023, "2023/11/8", "刻蚀腔体清洗工艺优化", "", "年节约成本12.5万元",
                 "12.5", "技术创新", "上海市职工优秀创新成果奖", "是"],
                ["SH003", "成员发展", 2022, "", "张莉晋升主管护师", "", "", "", "", "", ""],
            ],
            "经费": [
                FUNDING,
                ["SH002", 2019, "市总工会", 20000, "市级命名一次性资助"],
                ["SH002", 2019, "区局（产业）工会", "1万", "配套"],
                ["李斌劳模创新工作室", 2024, "所在单位", "200,000", ""],
            ],
        },
    )  # fmt: skip
    report = run(store, path)
    assert report.ok, report.problems
    assert report.rows == {"studios": 3, "ledger": 3, "funding": 3}
    assert report.kinds["LedgerEntry"].created == 3
    assert report.kinds["Funding"].created == 3
    entries = by_title(store)
    training = entries["数控车工技能培训班"]
    assert (training.studio_id, training.kind, training.year, training.date) == (
        "SH001",
        LedgerKind.ACTIVITY,
        2024,
        "2024-05-01",
    ), "an Excel date cell is a date"
    assert training.detail == "培训职工30人次"
    result = entries["刻蚀腔体清洗工艺优化"]
    assert result.studio_id == "SH002", "a studio named by its exact name"
    assert result.kind is LedgerKind.RESULT and result.date == "2023-11-08"
    assert result.benefit == "年节约成本12.5万元" and result.benefit_amount == 12.5
    assert result.innovation_type == "技术创新" and result.award == "上海市职工优秀创新成果奖"
    assert result.recognised_project is True
    member = entries["张莉晋升主管护师"]
    assert member.kind is LedgerKind.MEMBER and member.date is None and member.recognised_project is False
    assert funding_of(store, "SH002") == [(2019, FundingSource.MUNICIPAL, 20000), (2019, FundingSource.UNION, 10000)]
    assert funding_of(store, "SH001") == [(2024, FundingSource.EMPLOYER, 200_000)]
    counts = store.counts()
    assert counts["IN_LEDGER_OF"] == 3 and counts["FUNDS"] == 3


def test_csv_files_with_chinese_headers_in_gb18030(store: BaseStore, tmp_path: Path) -> None:
    roster = write_rows(tmp_path / "roster.csv", HEADERS, ROWS)
    ledger = write_rows(
        tmp_path / "ledger.csv",
        ["工作室编号", "台帐类型", "年度", "日期", "标题", "详情", "效益", "效益金额", "创新类型", "获奖",
         "是否认定项目"],
        [
            ["SH001", "活动", "2024", "2024/5/1", "师带徒结对签约", "签订师徒协议5对", "", "", "", "", ""],
            ["SH001", "activity", "2024", "2024年6月18日", "液压件技术交流会", "", "", "", "", "", ""],
            ["SH002", "创新成果", "2024", "45413", "晶圆缺陷检测改进", "", "良率提升", "8万元", "技术创新", "", "否"],
            ["SH002", "result", "", "2023-03-01", "EDA 工具适配", "", "", "", "", "", "yes"],
        ],
        encoding="gb18030",
    )  # fmt: skip
    funding = write_rows(
        tmp_path / "funding.csv",
        ["工作室名称", "年份", "来源", "金额", "备注"],
        [
            ["王晓芳劳模创新工作室", "2020", "市总", "2万", ""],
            ["王晓芳劳模创新工作室", "2020", "浦东新区总工会", "20,000", "1:1 配套"],
            ["赵建国工作室", "2021年", "企业", "¥50,000.00", "设备购置"],
        ],
        encoding="gb18030",
    )
    report = run(store, roster, ledger, funding)
    assert report.ok, report.problems
    entries = by_title(store)
    assert entries["师带徒结对签约"].date == "2024-05-01"
    assert entries["液压件技术交流会"].date == "2024-06-18"
    detect = entries["晶圆缺陷检测改进"]
    assert detect.date == "2024-05-01", "an Excel day number exported to CSV"
    assert detect.benefit_amount == 8.0 and detect.kind is LedgerKind.RESULT and not detect.recognised_project
    eda = entries["EDA 工具适配"]
    assert eda.year == 2023, "an empty year is taken from the date"
    assert eda.recognised_project
    assert funding_of(store, "SH002") == [(2020, FundingSource.MUNICIPAL, 20000), (2020, FundingSource.UNION, 20000)]
    assert funding_of(store, "SH003") == [(2021, FundingSource.EMPLOYER, 50000)]


def test_the_sheet_or_file_name_says_which_ledger(store: BaseStore, tmp_path: Path) -> None:
    header = ["工作室", "年份", "名称"]
    path = workbook(
        tmp_path / "ledgers.xlsx",
        {
            "工作室": [HEADERS, *ROWS],
            "活动台帐": [header, ["SH001", 2024, "技能比武"]],
            "成果台账": [header, ["SH001", 2024, "液压阀改进"]],
            "成员发展台帐": [header, ["SH001", 2024, "王强晋升技师"]],
        },
    )
    csv_path = write_rows(tmp_path / "2024年创新成果台帐.csv", header, [["SH002", "2024", "刻蚀工艺优化"]])
    report = run(store, path, csv_path)
    assert report.ok, report.problems
    kinds = {title: e.kind for title, e in by_title(store).items()}
    assert kinds == {
        "技能比武": LedgerKind.ACTIVITY,
        "液压阀改进": LedgerKind.RESULT,
        "王强晋升技师": LedgerKind.MEMBER,
        "刻蚀工艺优化": LedgerKind.RESULT,
    }


def test_ledger_and_funding_headers_are_not_taken_for_other_sheets() -> None:
    assert sheet_kind_by_headers(LEDGER) is SheetKind.LEDGER
    assert sheet_kind_by_headers(["工作室", "年份", "名称"]) is SheetKind.LEDGER
    assert sheet_kind_by_headers(FUNDING) is SheetKind.FUNDING
    assert sheet_kind_by_headers(["工作室名称", "年度", "来源", "金额"]) is SheetKind.FUNDING
    assert sheet_kind_by_headers(["工作室A", "工作室B", "年份", "内容"]) is SheetKind.COLLABORATIONS
    assert sheet_kind_by_headers(["项目名称", "产业链", "年份"]) is SheetKind.PROJECTS
    assert sheet_kind_by_headers(["序号", "工作室名称", "领衔人", "所在单位", "推荐单位"]) is SheetKind.STUDIOS
    assert sheet_kind_by_headers(list(STUDIO_HEADERS)) is SheetKind.STUDIOS


# ---------------------------------------------------------------- every error class


def _ledger_row(**cells: str) -> list[str]:
    row = dict.fromkeys(LEDGER, "") | {"工作室": "SH001", "台帐类型": "活动", "年份": "2024", "名称": "培训"}
    return [(row | cells)[h] for h in LEDGER]


def _funding_row(**cells: str) -> list[str]:
    row = dict.fromkeys(FUNDING, "") | {
        "工作室": "SH001",
        "年份": "2024",
        "资助来源": "所在单位",
        "金额（元）": "20000",
    }
    return [(row | cells)[h] for h in FUNDING]


@pytest.mark.parametrize(
    ("header", "rows", "expected"),
    [
        (LEDGER, [_ledger_row(工作室="")], (2, "工作室", "studio is required")),
        (LEDGER, [_ledger_row(名称="")], (2, "名称", "title is required")),
        (LEDGER, [_ledger_row(年份="")], (2, "年份", "year is required")),
        (LEDGER, [_ledger_row(年份="去年")], (2, "年份", "not a year")),
        (LEDGER, [_ledger_row(年份="1900")], (2, "年份", "outside")),
        (LEDGER, [_ledger_row(日期="2024-13-01")], (2, "日期", "not a calendar day")),
        (LEDGER, [_ledger_row(日期="五一")], (2, "日期", "not a date")),
        (LEDGER, [_ledger_row(日期="2023-05-01")], (2, "日期", "not in the year 2024")),
        (LEDGER, [_ledger_row(台帐类型="会议")], (2, "台帐类型", "unknown ledger kind")),
        (LEDGER, [_ledger_row(台帐类型="")], (2, "台帐类型", "ledger kind is required")),
        (LEDGER, [_ledger_row(**{"效益金额（万元）": "很多"})], (2, "效益金额（万元）", "not an amount")),
        (LEDGER, [_ledger_row(**{"效益金额（万元）": "-3"})], (2, "效益金额（万元）", "negative")),
        (LEDGER, [_ledger_row(认定攻关项目="也许")], (2, "认定攻关项目", "not yes or no")),
        (LEDGER, [_ledger_row(工作室="SH999")], (2, "工作室", "no studio with this id or name")),
        (LEDGER, [_ledger_row(), _ledger_row(工作室="李斌劳模创新工作室")], (3, "工作室", "appears twice")),
        (["编号", *LEDGER], [["L1", *_ledger_row()], ["L1", *_ledger_row(名称="交流")]], (3, "编号", "appears twice")),
        (FUNDING, [_funding_row(工作室="")], (2, "工作室", "studio is required")),
        (FUNDING, [_funding_row(年份="")], (2, "年份", "year is required")),
        (FUNDING, [_funding_row(年份="2099")], (2, "年份", "outside")),
        (FUNDING, [_funding_row(资助来源="")], (2, "资助来源", "source is required")),
        (FUNDING, [_funding_row(资助来源="银行")], (2, "资助来源", "unknown funding source")),
        (FUNDING, [_funding_row(**{"金额（元）": ""})], (2, "金额（元）", "amount is required")),
        (FUNDING, [_funding_row(**{"金额（元）": "两万"})], (2, "金额（元）", "not an amount")),
        (FUNDING, [_funding_row(**{"金额（元）": "-20000"})], (2, "金额（元）", "negative")),
        (FUNDING, [_funding_row(**{"金额（元）": "100.5"})], (2, "金额（元）", "whole number of yuan")),
        (FUNDING, [_funding_row(工作室="不存在的工作室")], (2, "工作室", "no studio with this id or name")),
        (FUNDING, [_funding_row(), _funding_row(**{"金额（元）": "2万"})], (3, "工作室", "appears twice")),
    ],
)  # fmt: skip
def test_each_bad_cell_is_named_and_the_store_is_left_as_it_was(
    store: BaseStore, tmp_path: Path, header: list[str], rows: list[list[str]], expected: tuple[int, str, str]
) -> None:
    assert run(store, write_rows(tmp_path / "good.csv", HEADERS, ROWS)).ok
    before = store.projection()
    good_ledger = write_rows(tmp_path / "ok-ledger.csv", LEDGER, [_ledger_row(名称="另一条")])
    report = run(store, good_ledger, write_rows(tmp_path / "bad.csv", header, rows))
    assert not report.ok and not report.written
    row, column, text = expected
    assert any(p.row == row and p.column == column and text in p.message for p in report.problems), problems(report)
    assert all(p.file and p.file.endswith("bad.csv") and p.message_zh for p in report.problems), problems(report)
    assert store.projection() == before


def test_a_ledger_sheet_whose_kind_disagrees_with_its_name_is_refused(store: BaseStore, tmp_path: Path) -> None:
    run(store, write_rows(tmp_path / "good.csv", HEADERS, ROWS))
    path = workbook(
        tmp_path / "bad.xlsx", {"活动台帐": [["工作室", "台帐类型", "年份", "名称"], ["SH001", "成果", 2024, "改进"]]}
    )
    report = run(store, path)
    assert problems(report) == [(2, "台帐类型", "a result entry in the activity ledger sheet '活动台帐'")]
    assert report.problems[0].sheet == "活动台帐"
    assert store.counts()["LedgerEntry"] == 0


def test_a_name_two_studios_share_must_be_given_as_an_id(store: BaseStore, tmp_path: Path) -> None:
    twins = write_rows(
        tmp_path / "twins.csv",
        ["工作室名称", "领衔人", "所在单位"],
        [["张华创新工作室", "张华", "上海港"], ["张华创新工作室", "张华", "上海地铁"]],
    )
    assert run(store, twins).ok
    before = store.projection()
    ledger = write_rows(tmp_path / "ledger.csv", LEDGER, [_ledger_row(工作室="张华创新工作室")])
    funding = write_rows(tmp_path / "funding.csv", FUNDING, [_funding_row(工作室="张华创新工作室")])
    report = run(store, ledger, funding)
    assert [(p.file, p.row, p.column) for p in report.problems] == [
        (str(ledger), 2, "工作室"),
        (str(funding), 2, "工作室"),
    ]
    assert all("several studios have this name" in p.message for p in report.problems)
    assert store.projection() == before
    one = derive_id("st", "张华创新工作室", "上海港")
    assert run(store, write_rows(tmp_path / "by-id.csv", LEDGER, [_ledger_row(工作室=one)])).ok


# ---------------------------------------------------------------- idempotency


def test_ingesting_twice_changes_nothing_and_an_edit_updates(store: BaseStore, tmp_path: Path) -> None:
    roster = write_rows(tmp_path / "roster.csv", HEADERS, ROWS)
    ledger_rows = [_ledger_row(), _ledger_row(台帐类型="成果", 名称="液压阀改进", 日期="2024/3/2", 认定攻关项目="是")]
    ledger = write_rows(tmp_path / "ledger.csv", LEDGER, ledger_rows)
    funding = write_rows(
        tmp_path / "funding.csv",
        ["编号", *FUNDING],
        [["F1", *_funding_row()], ["", *_funding_row(资助来源="市总工会")]],
    )
    first = run(store, roster, ledger, funding)
    assert first.ok, first.problems
    counts = store.counts()
    assert counts["LedgerEntry"] == 2 and counts["Funding"] == 2
    again = run(store, roster, ledger, funding)
    assert again.ok
    assert all(k.created == 0 and k.updated == 0 for k in again.kinds.values()), again.kinds
    assert store.counts() == counts
    entry = by_title(store)["液压阀改进"]
    assert entry.id == derive_id("lg", "SH001", "result", "2024", "液压阀改进", "2024-03-02")
    # the detail is not part of a derived id, the amount is part of no given id: edits update
    ledger_rows[1] = _ledger_row(
        台帐类型="成果", 名称="液压阀改进", 日期="2024-03-02", 内容="降低泄漏", 认定攻关项目="是"
    )
    edited_ledger = write_rows(tmp_path / "ledger2.csv", LEDGER, ledger_rows)
    edited_funding = write_rows(tmp_path / "funding2.csv", ["编号", *FUNDING],
                                [["F1", *_funding_row(**{"金额（元）": "30000"})]])  # fmt: skip
    report = run(store, edited_ledger, edited_funding)
    assert report.ok, report.problems
    assert (report.kinds["LedgerEntry"].updated, report.kinds["LedgerEntry"].unchanged) == (1, 1)
    assert report.kinds["Funding"].updated == 1
    assert by_title(store)["液压阀改进"].detail == "降低泄漏"
    assert store.get(Funding, "F1").amount == 30000
    assert store.counts() == counts


def test_the_template_has_ledger_and_funding_sheets_with_drop_downs(store: BaseStore, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from ingest.template import write_template

    path = write_template(tmp_path / "template.xlsx")
    wb = load_workbook(path)
    for title, column, choices in (("台帐", "台帐类型", ["活动", "成果", "成员发展"]),
                                   ("经费", "资助来源", ["市总工会", "区局（产业）工会", "所在单位"])):  # fmt: skip
        ws = wb[title]
        headers = [c.value for c in ws[1]]
        letter = ws.cell(row=1, column=headers.index(column) + 1).column_letter
        (formula,) = [dv.formula1 for dv in ws.data_validations.dataValidation if str(dv.sqref).startswith(letter)]
        sheet, cells = str(formula).lstrip("=").split("!")
        first, last = (int(ref.lstrip("$ABCDEFGHIJKLMNOPQRSTUVWXYZ")) for ref in cells.split(":"))
        col = cells.split("$")[1]
        assert [wb[sheet][f"{col}{r}"].value for r in range(first, last + 1)] == choices
        assert ws[1][headers.index(column)].comment is not None, "the English name is in the note"
    assert [c.value for c in wb["工作室"][1]][-4:] == STUDIO_EXTRA
    wb["工作室"].append(["X1", "测试工作室", "测试", "", "在职", "测试单位"])
    wb["台帐"].append(["", "X1", "活动", 2024, "2024-05-01", "技能培训"])
    wb["经费"].append(["", "测试工作室", 2024, "市总工会", 20000])
    wb.save(path)
    report = run(store, path)
    assert report.ok, report.problems
    assert [e.title for e in store.list(LedgerEntry)] == ["技能培训"]
    assert funding_of(store, "X1") == [(2024, FundingSource.MUNICIPAL, 20000)]


# ---------------------------------------------------------------- the studio columns

STUDIO_EXTRA = ["成立日期", "固定场所", "专项经费（元/年）", "领衔人状态年份"]


def test_founding_day_venue_funds_and_the_leaders_status_year(store: BaseStore, tmp_path: Path) -> None:
    rows = [row[:] for row in ROWS]
    rows[1][10] = ""  # 成立年份 empty: the day gives it
    extra = [["2008年3月5日", "技术中心3楼", "5万", ""], ["2015/6/1", "无", "0", ""], ["", "", "", "2023"]]
    path = write_rows(
        tmp_path / "roster.csv", HEADERS + STUDIO_EXTRA, [r + e for r, e in zip(rows, extra, strict=True)]
    )
    report = run(store, path)
    assert report.ok, report.problems
    s1, s2, s3 = (store.get(Studio, i) for i in ("SH001", "SH002", "SH003"))
    assert (s1.founded_on, s1.founded_year, s1.venue, s1.funds_per_year) == ("2008-03-05", 2008, "技术中心3楼", 50000)
    assert (s2.founded_on, s2.founded_year, s2.venue, s2.funds_per_year) == ("2015-06-01", 2015, "无", 0)
    assert (s3.founded_on, s3.venue, s3.funds_per_year) == (None, "", None)
    leader = store.get(ModelWorker, s3.leader_id or "")
    assert (leader.status.value, leader.status_year) == ("retired", 2023)
    # a file without those columns leaves them alone, and so does ingesting the same file again
    before = store.projection()
    assert run(store, write_rows(tmp_path / "plain.csv", HEADERS, ROWS)).ok
    assert run(store, path).ok
    assert store.projection() == before
    # a status given without its year keeps the stored year
    status_only = write_rows(tmp_path / "status.csv", ["编号", "工作室名称", "领衔人", "领衔人状态", "所在单位"],
                             [["SH003", "赵建国工作室", "赵建国", "退休", "上海市第一人民医院"]])  # fmt: skip
    assert run(store, status_only).ok
    assert store.get(ModelWorker, s3.leader_id or "").status_year == 2023
    back = write_rows(tmp_path / "back.csv", ["编号", "工作室名称", "领衔人", "领衔人状态", "所在单位"],
                      [["SH003", "赵建国工作室", "赵建国", "在职", "上海市第一人民医院"]])  # fmt: skip
    assert run(store, back).ok
    assert store.get(ModelWorker, s3.leader_id or "").status_year is None, "a serving leader has no year of leaving"


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        ({"成立年份": "2018", "成立日期": "2019-01-01"}, ("成立日期", "founding year is 2018")),
        ({"成立日期": "2019-02-30"}, ("成立日期", "not a calendar day")),
        ({"专项经费（元/年）": "-1"}, ("专项经费（元/年）", "negative")),
        ({"专项经费（元/年）": "很多"}, ("专项经费（元/年）", "not an amount")),
        ({"领衔人状态": "在职", "领衔人状态年份": "2020"}, ("领衔人状态年份", "the leader is serving")),
        ({"领衔人状态年份": "前年"}, ("领衔人状态年份", "not a year")),
    ],
)
def test_bad_studio_columns_are_named(
    store: BaseStore, tmp_path: Path, cells: dict[str, str], expected: tuple[str, str]
) -> None:
    header = ["工作室名称", "领衔人", "所在单位", "领衔人状态", "成立年份", *STUDIO_EXTRA]
    row = dict.fromkeys(header, "") | {"工作室名称": "甲", "领衔人": "张", "所在单位": "乙", "领衔人状态": "退休"}
    report = run(store, write_rows(tmp_path / "bad.csv", header, [[(row | cells)[h] for h in header]]))
    column, text = expected
    assert any(p.row == 2 and p.column == column and text in p.message for p in report.problems), problems(report)
    assert store.count_studios() == 0


def test_a_founding_year_that_contradicts_the_stored_day_is_refused(store: BaseStore, tmp_path: Path) -> None:
    header = ["编号", "工作室名称", "领衔人", "所在单位"]
    assert run(
        store, write_rows(tmp_path / "a.csv", [*header, "成立日期"], [["X1", "甲", "张", "乙", "2019-04-01"]])
    ).ok
    assert store.get(Studio, "X1").founded_year == 2019
    before = store.projection()
    report = run(store, write_rows(tmp_path / "b.csv", [*header, "成立年份"], [["X1", "甲", "张", "乙", "2017"]]))
    assert [(p.row, p.column) for p in report.problems] == [(2, "成立年份")], problems(report)
    assert "founding day 2019-04-01" in report.problems[0].message
    assert store.projection() == before


# ---------------------------------------------------------------- the synthetic roster


OLD_SHEETS_SHA256 = "d9960e96b55e749c33d1a15a32e8307de534e1c27ccd87fcabe72bbfbdea72f4"
"""``generate(320, seed=2019)``'s studios (17 columns), projects, collaborations and alliances as they
were before ledgers and funding were generated: those come from a second stream and change nothing."""


def test_the_new_sheets_leave_the_old_ones_as_they_were() -> None:
    roster = generate(320, seed=2019)
    old = dict(roster.sheets())
    del old["台帐"], old["经费"]
    old["工作室"] = [{h: row[h] for h in STUDIO_HEADERS[:17]} for row in roster.studios]
    digest = hashlib.sha256(json.dumps(old, ensure_ascii=False, sort_keys=True).encode()).hexdigest()
    assert digest == OLD_SHEETS_SHA256


def test_the_synthetic_roster_has_ledgers_and_article_10_funding() -> None:
    roster = generate(320, seed=2019)
    assert roster == generate(320, seed=2019)
    ids = {s["编号"] for s in roster.studios}
    names = {s["工作室名称"] for s in roster.studios}
    assert all(list(e) == list(LEDGER_HEADERS) and (e["工作室"] in ids or e["工作室"] in names) for e in roster.ledger)
    assert {e["台帐类型"] for e in roster.ledger} == {"活动", "成果", "成员发展"}
    assert 0.2 * len(ids) < len({e["工作室"] for e in roster.ledger}) < 0.6 * len(ids)
    assert all(list(f) == list(FUNDING_HEADERS) for f in roster.funding)
    municipal = {f["工作室"] for f in roster.funding if f["资助来源"] in {"市总工会", "市总"}}
    level = {s[k]: s["命名级别"] for s in roster.studios for k in ("编号", "工作室名称")}
    assert municipal and all(level[m] == "市级" for m in municipal)
    matches = [f for f in roster.funding if f["资助来源"] not in {"市总工会", "市总", "所在单位", "单位", "企业"}]
    assert {f["金额（元）"] for f in matches} >= {"20000", "10000"}, "a union match that is sometimes short"
    for column in ("成立日期", "固定场所", "专项经费（元/年）"):
        filled = sum(1 for s in roster.studios if s[column])
        assert 0.1 * len(ids) < filled < 0.9 * len(ids), column
    assert all(s["领衔人状态"] != "在职" for s in roster.studios if s["领衔人状态年份"])


def test_the_synthetic_roster_round_trips_through_every_writer(store: BaseStore, tmp_path: Path) -> None:
    roster = generate(60, seed=3, ledger_share=0.5)
    assert roster.ledger and roster.funding
    write_xlsx(roster, tmp_path / "roster.xlsx")
    report = run(store, tmp_path / "roster.xlsx")
    assert report.ok, report.problems[:5]
    counts = store.counts()
    assert counts["LedgerEntry"] == len(roster.ledger) and counts["Funding"] == len(roster.funding)
    dated = [s for s in roster.studios if s["成立日期"]]
    assert all(store.get(Studio, s["编号"]).founded_on for s in dated)
    projection = store.projection()
    again = run(store, tmp_path / "roster.xlsx")
    assert all(k.created == 0 and k.updated == 0 for k in again.kinds.values())
    # the same roster as JSON, and as one CSV per sheet, is the same graph
    write_json(roster, tmp_path / "roster.json")
    assert run(store, tmp_path / "roster.json").kinds["LedgerEntry"].unchanged == len(roster.ledger)
    paths = []
    for name, rows in (("studios", roster.studios), ("台帐", roster.ledger), ("经费", roster.funding)):
        write_csv(rows, tmp_path / f"{name}.csv", encoding="gb18030")
        paths.append(tmp_path / f"{name}.csv")
    csv_report = run(store, *paths)
    assert csv_report.ok, csv_report.problems[:5]
    assert all(k.created == 0 and k.updated == 0 for k in csv_report.kinds.values())
    assert store.projection() == projection
