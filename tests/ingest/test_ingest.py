"""Ingest on both stores: every input format, every error class, all-or-nothing, idempotency.

Fixture files are made here, by the tests, in a temporary folder.
"""

from __future__ import annotations

import codecs
import csv
import json
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from graph.model import Alliance, AllianceKind, Collaboration, ModelWorker, Studio, StudioLevel, WorkerStatus
from graph.store import BaseStore, StudioFilter
from ingest.pipeline import IngestReport, ingest
from ingest.roster import derive_id

HEADERS = ["编号", "工作室名称", "领衔人", "领衔人荣誉", "领衔人状态", "所在单位", "所属工会", "所在区", "命名级别",
           "命名年份", "成立年份", "工种", "行业", "产业链环节", "技术专长", "攻关需求", "团队人数"]  # fmt: skip
ROWS = [
    ["SH001", "李斌劳模创新工作室", "李斌", "全国劳动模范;全国五一劳动奖章", "在职", "上海电气液压气动有限公司",
     "上海市机电工会", "闵行区", "全国", "2012", "2008", "车工", "3444", "equipment/components" if False else "",
     "数控加工；精密液压件", "机器视觉检测", "15"],
    ["SH002", "王晓芳劳模创新工作室", "王晓芳", "上海市劳动模范", "在职", "上海华力微电子有限公司", "浦东新区总工会",
     "浦东新区", "市级", "2019年", "2015", "", "集成电路制造", "ic/wafer-fab", "12英寸晶圆刻蚀工艺", "EDA 工具国产化",
     "20"],
    ["SH003", "赵建国工作室", "赵建国", "上海市五一劳动奖章", "退休", "上海市第一人民医院", "上海市医务工会", "虹口区",
     "区局级", "2016", "", "", "", "", "静脉治疗护理", "智能护理设备", "8"],
]  # fmt: skip


def write_csv(path: Path, header: list[str], rows: list[list[str]], encoding: str = "utf-8") -> Path:
    with open(path, "w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def workbook(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    wb = Workbook()
    first = True
    for title, rows in sheets.items():
        ws = wb.active if first else wb.create_sheet()
        assert ws is not None
        ws.title = title
        first = False
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


def run(store: BaseStore, *paths: Path, dry_run: bool = False) -> IngestReport:
    return ingest(paths, store, dry_run=dry_run, classify=False)


def problems(report: IngestReport) -> list[tuple[int | None, str | None, str]]:
    return [(p.row, p.column, p.message) for p in report.problems]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk"])
def test_csv_in_every_encoding_a_clerk_saves(store: BaseStore, tmp_path: Path, encoding: str) -> None:
    path = write_csv(tmp_path / "roster.csv", HEADERS, ROWS, encoding=encoding)
    report = run(store, path)
    assert report.ok, report.problems
    assert report.kinds["Studio"].created == 3
    s2 = store.get(Studio, "SH002")
    assert s2.name == "王晓芳劳模创新工作室"
    assert s2.named_year == 2019
    assert s2.level is StudioLevel.MUNICIPAL
    assert s2.industry_code == "3973"
    assert s2.segment_ids == ("ic/wafer-fab",)
    assert s2.district == "浦东新区"
    leader = store.get(ModelWorker, store.get(Studio, "SH003").leader_id or "")
    assert leader.status is WorkerStatus.RETIRED
    assert store.get(Studio, "SH001").trade_codes == ("6-18-01-01",)


def test_a_bare_published_naming_list_ingests_as_it_is(store: BaseStore, tmp_path: Path) -> None:
    path = tmp_path / "命名名单.csv"
    with open(path, "w", encoding="gb18030", newline="") as fh:
        fh.write("2024年上海市劳模创新工作室命名名单,,,,\n")  # a title row above the header, as published
        fh.write("序号,工作室名称,领衔人,所在单位,推荐单位\n")
        fh.write("1,张华劳模创新工作室,张华,上海地铁维护保障有限公司,上海市建设交通工会\n")
        fh.write("2,陈静创新工作室,陈静,上海市第六人民医院,徐汇区总工会\n")
    report = run(store, path)
    assert report.ok, report.problems
    studios = store.list(Studio)
    assert sorted(s.name for s in studios) == ["张华劳模创新工作室", "陈静创新工作室"]
    chen = next(s for s in studios if s.name == "陈静创新工作室")
    assert chen.id == derive_id("st", "陈静创新工作室", "上海市第六人民医院")
    assert chen.district == "徐汇区", "a district union names the district"
    assert store.count_studios(StudioFilter(union=chen.union_id)) == 1


def test_a_multi_sheet_workbook_with_projects_collaborations_and_alliances(store: BaseStore, tmp_path: Path) -> None:
    path = workbook(
        tmp_path / "roster.xlsx",
        {
            "说明": [["示例数据"]],
            "工作室": [HEADERS, *ROWS],
            "重点项目": [["项目名称", "产业链", "产业链环节", "所需能力", "牵头工会"],
                     ["28纳米良率攻关", "集成电路", "ic/wafer-fab", "缺陷检测；工艺整合", "浦东新区总工会"]],
            "合作记录": [["工作室A", "工作室B", "年份", "合作内容"],
                     ["SH001", "王晓芳劳模创新工作室", 2023, "联合攻关"]],
            "联盟": [["联盟名称", "类型", "成员", "成立年份"], ["液压与芯片跨界联盟", "跨领域", "SH001;SH002", 2024]],
        },
    )  # fmt: skip
    report = run(store, path)
    assert report.ok, report.problems
    assert report.rows == {"studios": 3, "projects": 1, "collaborations": 1, "alliances": 1}
    assert store.links(Collaboration) == [
        Collaboration(studio_a="SH001", studio_b="SH002", year=2023, title="联合攻关")
    ]
    alliance = store.list(Alliance)[0]
    assert alliance.kind is AllianceKind.CROSS_FIELD
    assert alliance.member_ids == ("SH001", "SH002")


def test_json_rows_with_english_headers(store: BaseStore, tmp_path: Path) -> None:
    path = tmp_path / "roster.json"
    rows = [{"name": "钱峰工作室", "leader": "钱峰", "employer": "宝山钢铁股份有限公司", "trades": ["焊工", "钳工"],
             "named_year": 2020, "members": 9}]  # fmt: skip
    path.write_text(json.dumps({"studios": rows}, ensure_ascii=False), encoding="utf-8")
    report = run(store, path)
    assert report.ok, report.problems
    studio = store.list(Studio)[0]
    assert studio.members == 9
    assert len(studio.trade_codes) == 2


def test_ingesting_twice_changes_nothing_and_an_edit_updates(store: BaseStore, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "roster.csv", HEADERS, ROWS)
    run(store, path)
    counts = store.counts()
    again = run(store, path)
    assert again.ok
    assert all(k.created == 0 and k.updated == 0 for k in again.kinds.values())
    assert store.counts() == counts
    edited = [row[:] for row in ROWS]
    edited[1][14] = "12英寸晶圆刻蚀与清洗工艺"
    report = run(store, write_csv(tmp_path / "roster2.csv", HEADERS, edited))
    assert report.kinds["Studio"].updated == 1
    assert report.kinds["Studio"].unchanged == 2
    assert store.get(Studio, "SH002").expertise == "12英寸晶圆刻蚀与清洗工艺"


def test_full_width_characters_and_stray_spaces_are_the_same_studio(store: BaseStore, tmp_path: Path) -> None:
    header = ["工作室名称", "领衔人", "所在单位", "团队人数"]
    run(store, write_csv(tmp_path / "a.csv", header, [["孙立劳模创新工作室", "孙立", "上海港", "12"]]))
    report = run(store, write_csv(tmp_path / "b.csv", [" 工作室 名称 ", "领衔人", "所在单位", "团队人数"],
                                  [["孙立劳模创新工作室 ", "孙　立", " 上海港", "１２人"]]))  # fmt: skip
    assert report.ok, report.problems
    assert report.kinds["Studio"].created == 0
    assert store.count_studios() == 1


def test_a_bare_list_never_wipes_what_a_richer_roster_gave(store: BaseStore, tmp_path: Path) -> None:
    run(store, write_csv(tmp_path / "rich.csv", HEADERS, ROWS))
    bare = write_csv(
        tmp_path / "bare.csv",
        ["工作室名称", "领衔人", "所在单位"],
        [["王晓芳劳模创新工作室", "王晓芳", "上海华力微电子有限公司"]],
    )
    # a bare row without 编号 derives its id from name + employer, a different key than SH002, but
    # the same name, leader and employer are recognised as the stored SH002 (the same studio next year)
    studios = store.count_studios()
    report = run(store, bare)
    assert report.ok
    assert report.kinds["Studio"].created == 0
    assert store.count_studios() == studios
    derived = derive_id("st", "王晓芳劳模创新工作室", "上海华力微电子有限公司")
    assert not store.get_many(Studio, [derived])
    with_id = write_csv(tmp_path / "bare2.csv", ["编号", "工作室名称", "领衔人", "所在单位"],
                        [["SH002", "王晓芳劳模创新工作室", "王晓芳", "上海华力微电子有限公司"]])  # fmt: skip
    assert run(store, with_id).kinds["Studio"].unchanged == 1
    kept = store.get(Studio, "SH002")
    assert kept.expertise == "12英寸晶圆刻蚀工艺"
    assert kept.industry_code == "3973"


@pytest.mark.parametrize(
    ("header", "rows", "expected"),
    [
        (["工作室名称", "领衔人"], [["甲", "张"]], (1, "所在单位", "required column")),
        (["工作室名称", "领衔人", "所在单位", "命名年份"], [["甲", "张", "乙", "1999"]],
         (2, "命名年份", "outside 2000")),
        (["工作室名称", "领衔人", "所在单位", "命名年份"], [["甲", "张", "乙", "今年"]], (2, "命名年份", "not a year")),
        (["工作室名称", "领衔人", "所在单位", "工种"], [["甲", "张", "乙", "车公"]], (2, "工种", "closest: 车工")),
        (["工作室名称", "领衔人", "所在单位", "行业"], [["甲", "张", "乙", "9999"]], (2, "行业", "unknown industry")),
        (["工作室名称", "领衔人", "所在单位", "所在区"], [["甲", "张", "乙", "浦西区"]],
         (2, "所在区", "unknown district")),
        (["工作室名称", "领衔人", "所在单位", "团队人数"], [["甲", "张", "乙", "-3"]], (2, "团队人数", "not a whole")),
        (["工作室名称", "领衔人", "所在单位"], [["甲", "张", "乙"], ["甲", "张", "乙"]], (3, "工作室名称", "twice")),
        (["工作室名称", "领衔人", "所在单位"], [["甲", "张", ""]], (2, "所在单位", "required")),
        (["工作室名称", "领衔人", "所在单位", "成立年份", "命名年份"], [["甲", "张", "乙", "2020", "2018"]],
         (2, "成立年份", "after it was named")),
    ],
)  # fmt: skip
def test_each_bad_cell_is_named_and_the_store_is_left_as_it_was(
    store: BaseStore, tmp_path: Path, header: list[str], rows: list[list[str]], expected: tuple[int, str, str]
) -> None:
    run(store, write_csv(tmp_path / "good.csv", HEADERS, ROWS))
    before = store.projection()
    report = run(store, write_csv(tmp_path / "bad.csv", header, rows))
    assert not report.ok
    assert not report.written
    row, column, text = expected
    assert any(p.row == row and p.column == column and text in p.message for p in report.problems), problems(report)
    assert all(p.file and p.file.endswith("bad.csv") and p.message_zh for p in report.problems)
    assert store.projection() == before


def test_a_dangling_collaboration_names_its_row(store: BaseStore, tmp_path: Path) -> None:
    run(store, write_csv(tmp_path / "good.csv", HEADERS, ROWS))
    before = store.projection()
    path = workbook(
        tmp_path / "collab.xlsx",
        {"合作记录": [["工作室A", "工作室B", "年份"], ["SH001", "SH002", 2022], ["SH001", "不存在的工作室", 2023]]},
    )
    report = run(store, path)
    assert problems(report) == [(3, "工作室B", "no studio with this id or name, in the file or the store")]
    assert report.problems[0].sheet == "合作记录"
    assert store.projection() == before


def test_good_rows_are_not_written_when_another_file_is_bad(store: BaseStore, tmp_path: Path) -> None:
    good = write_csv(tmp_path / "good.csv", HEADERS, ROWS)
    bad = write_csv(tmp_path / "bad.csv", ["工作室名称", "领衔人", "所在单位", "工种"], [["甲", "张", "乙", "车公"]])
    report = run(store, good, bad)
    assert not report.ok
    assert store.count_studios() == 0


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.csv", b"", "empty"),
        ("binary.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary"),
        ("latin.csv", "工作室名称,领衔人,所在单位\n".encode() + b"\xff\xfe\xfa\xfb\n", "neither UTF-8 nor GBK"),
        ("notes.csv", "只是一些说明文字\n没有表头\n".encode(), "no header row"),
        ("old.xls", b"\xd0\xcf\x11\xe0", ".xls"),
        ("fake.xlsx", b"this is not a zip", "not a readable .xlsx"),
        ("bad.json", b"{not json", "not valid JSON"),
        ("roster.pdf", b"%PDF-1.4", "not a readable PDF"),
    ],
)
def test_files_that_are_not_rosters_are_refused_clearly(
    store: BaseStore, tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    report = run(store, path)
    assert not report.ok
    assert message in report.problems[0].message, problems(report)
    assert report.problems[0].file == str(path)
    assert store.count_studios() == 0


def test_dry_run_reports_changes_and_writes_nothing(store: BaseStore, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "roster.csv", HEADERS, ROWS)
    report = run(store, path, dry_run=True)
    assert report.ok
    assert not report.written
    assert report.kinds["Studio"].created == 3
    assert store.counts()["Studio"] == 0
    assert store.counts()["Industry"] == 0


def test_the_template_round_trips(tmp_path: Path, store: BaseStore) -> None:
    from ingest.template import write_template

    path = write_template(tmp_path / "template.xlsx")
    wb = load_workbook(path)
    assert wb.sheetnames == ["说明", "lists", "工作室", "重点项目", "合作记录", "联盟", "台帐", "经费"]
    ws = wb["工作室"]
    headers = [c.value for c in ws[1]]
    assert headers[:3] == ["编号", "工作室名称", "领衔人"]
    lists = {str(dv.sqref).split(":")[0].rstrip("0123456789") for dv in ws.data_validations.dataValidation}
    assert len(lists) >= 5, "drop-downs on level, status, district, trade, industry, segment"
    ws.append(["", "测试工作室", "测试", "", "在职", "测试单位", "", "浦东新区", "市级", 2020])
    wb.save(path)
    report = run(store, path)
    assert report.ok, report.problems
    assert store.list(Studio)[0].district == "浦东新区"


def test_bom_and_gbk_detection_is_by_content_not_name(tmp_path: Path, store: BaseStore) -> None:
    path = tmp_path / "名单.txt"
    path.write_bytes(codecs.BOM_UTF8 + "工作室名称,领衔人,所在单位\n甲工作室,张三,乙公司\n".encode())
    assert run(store, path).ok
    assert store.list(Studio)[0].name == "甲工作室"


def test_bare_rows_get_inferred_labels_kept_apart_from_entered_ones(store: BaseStore, tmp_path: Path) -> None:
    bare = write_csv(
        tmp_path / "bare.csv",
        ["编号", "工作室名称", "领衔人", "所在单位", "技术专长"],
        [["X1", "周明劳模创新工作室", "周明", "上海华虹宏力半导体制造有限公司", "晶圆光刻工艺"]],
    )
    report = ingest([bare], store, classify=True)
    assert report.ok, report.problems
    assert report.inferred == 1
    studio = store.get(Studio, "X1")
    assert studio.industry_code is None, "nothing entered, nothing in the entered field"
    assert studio.inferred_industry_code == "3973"
    assert studio.inferred_segment_ids
    assert studio.inferred_confidence is not None and 0 < studio.inferred_confidence <= 1
    assert studio.inferred_basis
    assert store.counts()["INFERRED_IN_INDUSTRY"] == 1
    # the union later enters an industry: it is stored as entered, and the inference for it goes
    entered = write_csv(
        tmp_path / "entered.csv", ["编号", "工作室名称", "领衔人", "所在单位", "行业"],
        [["X1", "周明劳模创新工作室", "周明", "上海华虹宏力半导体制造有限公司", "6520"]],
    )  # fmt: skip
    assert ingest([entered], store, classify=True).ok
    studio = store.get(Studio, "X1")
    assert studio.industry_code == "6520"
    assert studio.inferred_industry_code is None
    assert studio.inferred_segment_ids, "segments are still not entered, so still inferred"


def test_a_union_named_in_a_roster_is_the_stored_union_of_that_name(store: BaseStore, tmp_path: Path) -> None:
    from graph.model import Union, UnionKind

    store.write([Union(id="u-pd", name="浦东新区总工会", kind=UnionKind.DISTRICT, district="浦东新区")])
    path = write_csv(tmp_path / "r.csv", ["工作室名称", "领衔人", "所在单位", "所属工会"],
                     [["张江芯片工艺创新工作室", "陈一", "上海华力微电子有限公司", "浦东新区总工会"],
                      ["徐汇工艺创新工作室", "王二", "上海某公司", "徐汇区总工会"]])  # fmt: skip
    assert run(store, path).written
    unions = {u.name: u.id for u in store.list(Union)}
    assert unions["浦东新区总工会"] == "u-pd"  # not a second union of the same name under a derived id
    assert unions["徐汇区总工会"] == derive_id("un", "徐汇区总工会")
    by_name = {s.name: s for s in store.list(Studio)}
    assert by_name["张江芯片工艺创新工作室"].union_id == "u-pd"
    assert by_name["张江芯片工艺创新工作室"].district == "浦东新区"
