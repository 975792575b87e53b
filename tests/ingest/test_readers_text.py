"""Pasted text (``.txt``): a naming notice copied from a web page, read line by line; a ``.txt``
with a CSV header is still read as CSV. Files are written here, in a temporary folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.file_store import FileStore
from graph.model import Employer, Studio, Union

from .notice_files import load, names_and_employers, one_line, rows_read

DISTRICT_NOTICE = """附件
2021年度嘉定职工科技创新英才工作室名单
(5个)
安亭镇(2个)
张建华创新工作室 (上海示例车轮制造有限公司)
李秀英创新工作室 (上海示例经济发展有限公司)
马陆镇(2个)
王志强创新工作室 (上海示例实业有限公司)
赵丽娟创新工作室（上海示例微电子（集团）有限公司）
江川路街道(1个)
孙建国创新工作室 (上海示例电力修造有限公司)
"""


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def test_a_district_notice_gives_each_studio_its_employer_and_town(tmp_path: Path) -> None:
    path = write(tmp_path / "嘉定.txt", DISTRICT_NOTICE)
    read = rows_read(path)
    assert [(number, values["name"], values["employer"], extra) for _, number, values, extra in read] == [
        (5, "张建华创新工作室", "上海示例车轮制造有限公司", {"所在街镇": "安亭镇"}),
        (6, "李秀英创新工作室", "上海示例经济发展有限公司", {"所在街镇": "安亭镇"}),
        (8, "王志强创新工作室", "上海示例实业有限公司", {"所在街镇": "马陆镇"}),
        (9, "赵丽娟创新工作室", "上海示例微电子（集团）有限公司", {"所在街镇": "马陆镇"}),
        (11, "孙建国创新工作室", "上海示例电力修造有限公司", {"所在街镇": "江川路街道"}),
    ]


@pytest.mark.parametrize(
    ("line", "name", "employer"),
    [
        ("1、张建华劳模创新工作室　上海示例车轮制造有限公司", "张建华劳模创新工作室", "上海示例车轮制造有限公司"),
        ("2. 李秀英创新工作室 上海示例精密模具有限公司", "李秀英创新工作室", "上海示例精密模具有限公司"),
        ("（3）王志强技能大师工作室\t上海示例液压气动有限公司", "王志强技能大师工作室", "上海示例液压气动有限公司"),
        ("4 赵丽娟劳模创新工作室(上海示例微电子有限公司)", "赵丽娟劳模创新工作室", "上海示例微电子有限公司"),
        ("孙建国工作室（上海示例（集团）有限公司）", "孙建国工作室", "上海示例（集团）有限公司"),
        ("周海燕创新工作室    上海示例船舶有限公司", "周海燕创新工作室", "上海示例船舶有限公司"),
        ("上海示例汽车有限公司 吴国庆创新工作室", "吴国庆创新工作室", "上海示例汽车有限公司"),
        ("12．郑晓东工作室　上海示例港务有限公司", "郑晓东工作室", "上海示例港务有限公司"),
    ],
)
def test_numbered_and_unnumbered_lines_with_each_separator(tmp_path: Path, line: str, name: str, employer: str) -> None:
    path = write(tmp_path / "notice.txt", f"2024年命名名单\n{line}\n")
    assert names_and_employers(path) == [(name, employer)]


def test_titles_counts_and_other_lines_are_skipped(tmp_path: Path) -> None:
    text = (
        "附件：\n上海市总工会关于命名2024年度劳模创新工作室的决定\n（共 2 个）\n\n"
        "各区局（产业）工会：\n经研究，决定命名以下工作室。\n"
        "1、张建华劳模创新工作室　上海示例车轮制造有限公司\n"
        "2、李秀英创新工作室　上海示例精密模具有限公司\n"
        "特此通知。\n2024年12月30日\n"
    )
    path = write(tmp_path / "决定.txt", text)
    assert [(number, values["name"]) for _, number, values, _ in rows_read(path)] == [
        (7, "张建华劳模创新工作室"),
        (8, "李秀英创新工作室"),
    ]


def test_headings_set_district_union_town_and_group_for_the_lines_below(tmp_path: Path) -> None:
    text = (
        "一、市级机关（1个）\n"
        "1、张建华劳模创新工作室　上海示例车轮制造有限公司\n"
        "二、区局（产业）工会\n"
        "上海市示例机电工会\n"
        "2、李秀英创新工作室　上海示例精密模具有限公司\n"
        "浦东新区\n"
        "张江镇\n"
        "3、王志强技能大师工作室　上海示例液压气动有限公司\n"
        "嘉定区\n"
        "4、赵丽娟劳模创新工作室　上海示例微电子有限公司\n"
    )
    path = write(tmp_path / "notice.txt", text)
    read = [(v["name"], v["union"] or None, v["district"] or None, extra) for _, _, v, extra in rows_read(path)]
    assert read == [
        ("张建华劳模创新工作室", None, None, {"分组": "市级机关"}),
        ("李秀英创新工作室", "上海市示例机电工会", None, {"分组": "区局（产业）工会"}),
        ("王志强技能大师工作室", None, "浦东新区", {"分组": "区局（产业）工会", "所在街镇": "张江镇"}),
        ("赵丽娟劳模创新工作室", None, "嘉定区", {"分组": "区局（产业）工会"}),
    ]


def test_a_space_separated_table_is_read_by_its_header(tmp_path: Path) -> None:
    text = (
        "2024年上海市劳模创新工作室命名名单\n"
        "序号 工作室名称 领衔人 所在单位\n"
        "1 张建华劳模创新工作室 张建华 上海示例车轮制造有限公司\n"
        "2　李秀英创新工作室　李秀英　上海示例精密模具有限公司\n"
    )
    path = write(tmp_path / "table.txt", text)
    assert [(v["seq"], v["name"], v["leader"], v["employer"]) for _, _, v, _ in rows_read(path)] == [
        ("1", "张建华劳模创新工作室", "张建华", "上海示例车轮制造有限公司"),
        ("2", "李秀英创新工作室", "李秀英", "上海示例精密模具有限公司"),
    ]


@pytest.mark.parametrize("delimiter", [",", "\t"])
def test_a_txt_with_a_csv_header_is_read_as_csv_even_below_a_title(tmp_path: Path, delimiter: str) -> None:
    header = delimiter.join(["工作室名称", "领衔人", "所在单位"])
    row = delimiter.join(["张建华劳模创新工作室", "张建华", "上海示例车轮制造有限公司"])
    path = write(tmp_path / "export.txt", f"2024年命名名单\n{header}\n{row}\n")
    read = rows_read(path)
    assert [(n, v["name"], v["leader"], v["employer"]) for _, n, v, _ in read] == [
        (3, "张建华劳模创新工作室", "张建华", "上海示例车轮制造有限公司")
    ]


def test_gbk_text_and_radicals_are_read_as_the_characters_they_stand_for(tmp_path: Path) -> None:
    gbk = write(tmp_path / "gbk.txt", "1、张建华劳模创新工作室　上海示例车轮制造有限公司\n", encoding="gbk")
    assert names_and_employers(gbk) == [("张建华劳模创新工作室", "上海示例车轮制造有限公司")]
    radicals = write(tmp_path / "web.txt", "1、⻓江⼯程创新⼯作室　上海⻓江⻋辆有限公司\n")
    assert names_and_employers(radicals) == [("长江工程创新工作室", "上海长江车辆有限公司")]


def test_a_line_naming_a_studio_without_employer_is_reported_at_its_line(tmp_path: Path) -> None:
    path = write(tmp_path / "notice.txt", "名单\n1、张建华劳模创新工作室　上海示例有限公司\n2、李秀英创新工作室\n")
    report = load(tmp_path / "graph.json", path)
    assert not report.ok and not report.written
    assert [(p.row, p.column) for p in report.problems] == [(3, "所在单位")]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("通知\n请各单位于月底前报送材料。\n联系人：张三\n".encode(), "no studio found"),
        (b"\x00\x01\x02binary" * 10, "binary"),
    ],
)
def test_a_text_naming_no_studio_is_refused_in_one_line(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "notes.txt"
    path.write_bytes(content)
    report = load(tmp_path / "graph.json", path)
    assert message in one_line(report, path)


def test_a_leaderless_notice_loads_and_loading_it_again_changes_nothing(tmp_path: Path) -> None:
    """Needs the optional leader column (being made at the same time): rows without a leader load
    with no LED_BY."""
    text = "附件\n2024年命名名单\n上海市示例机电工会（2个）\n" + DISTRICT_NOTICE.split("安亭镇(2个)\n", 1)[1]
    path = write(tmp_path / "notice.txt", text)
    store_path = tmp_path / "graph.json"
    first = load(store_path, path)
    assert first.ok, [p.describe() for p in first.problems]
    assert first.kinds["Studio"].created == 5
    store = FileStore(store_path)
    studios = {s.name: s for s in store.list(Studio)}
    assert studios["王志强创新工作室"].extra == {"所在街镇": "马陆镇"}
    assert {store.get(Employer, s.employer_id or "").name for s in studios.values()} >= {"上海示例实业有限公司"}
    assert all(s.leader_id is None for s in studios.values())
    second = load(store_path, path)
    assert second.ok and all(k.created == 0 and k.updated == 0 for k in second.kinds.values())


def test_a_notice_with_leaders_loads_with_its_headings_and_again_changes_nothing(tmp_path: Path) -> None:
    text = (
        "2024年上海市劳模创新工作室命名名单\n"
        "上海市示例机电工会（2个）\n"
        "序号 工作室名称 领衔人 所在单位\n"
        "1 张建华劳模创新工作室 张建华 上海示例车轮制造有限公司\n"
        "2 李秀英创新工作室 李秀英 上海示例精密模具有限公司\n"
        "浦东新区总工会（1个）\n"
        "3 赵丽娟劳模创新工作室 赵丽娟 上海示例微电子有限公司\n"
    )
    path = write(tmp_path / "notice.txt", text)
    store_path = tmp_path / "graph.json"
    first = load(store_path, path)
    assert first.ok, [p.describe() for p in first.problems]
    assert first.kinds["Studio"].created == 3
    store = FileStore(store_path)
    union_of = {s.name: store.get(Union, s.union_id or "").name for s in store.list(Studio)}
    assert union_of == {
        "张建华劳模创新工作室": "上海市示例机电工会",
        "李秀英创新工作室": "上海市示例机电工会",
        "赵丽娟劳模创新工作室": "浦东新区总工会",
    }
    assert {s.name: s.district for s in store.list(Studio)}["赵丽娟劳模创新工作室"] == "浦东新区"
    assert all(s.leader_id for s in store.list(Studio))
    before = store.projection()
    second = load(store_path, path)
    assert second.ok and all(k.created == 0 and k.updated == 0 for k in second.kinds.values())
    assert FileStore(store_path).projection() == before
