"""Excel 97-2003 ``.xls`` (BIFF8) lists: a merged title row above the header, merged district cells
carried down, numbers without ``.0``, dates as ISO dates, hidden sheets skipped; broken and
password-protected workbooks refused in one line. Workbooks are made here with xlwt."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from graph.file_store import FileStore
from graph.model import Studio

from .notice_files import STUDIOS, load, one_line, rows_read, with_filepass, xls_bytes

HEADER = ["序号", "所在区", "工作室名称", "领衔人", "所在单位", "成立日期", "团队人数"]


def _list(path: Path) -> Path:
    rows: list[list[object]] = [
        ["2024年上海市劳模创新工作室命名名单", None, None, None, None, None, None],
        list(HEADER),
    ]
    for index, studio in enumerate(STUDIOS, start=1):
        names = [studio[h] for h in ("所在区", "工作室名称", "领衔人", "所在单位")]
        rows.append([index, *names, dt.date(2020, index, 1), 10.0 + index])
    path.write_bytes(
        xls_bytes(
            {
                "命名名单": rows,
                "lists": [["下拉选项"], ["市级"]],
                "另一表": [["序号", "工作室名称", "所在单位"], [1, "孙建国工作室", "上海示例船舶有限公司"]],
            },
            {"命名名单": [(0, 0, 0, 6), (2, 3, 1, 1)]},
        )
    )
    return path


def test_title_row_merged_district_numbers_and_dates(tmp_path: Path) -> None:
    read = rows_read(_list(tmp_path / "名单.xls"))
    named = [(s, n, v) for s, n, v, _ in read if s == "命名名单"]
    assert [
        (n, v["seq"], v["district"], v["name"], v["employer"], v["founded_on"], v["members"]) for _, n, v in named
    ] == [
        (3, "1", "嘉定区", "张建华劳模创新工作室", "上海示例车轮制造有限公司", "2020-01-01", "11"),
        (4, "2", "嘉定区", "李秀英创新工作室", "上海示例精密模具有限公司", "2020-02-01", "12"),
        (5, "3", "浦东新区", "王志强技能大师工作室", "上海示例液压气动有限公司", "2020-03-01", "13"),
        (6, "4", "浦东新区", "赵丽娟劳模创新工作室", "上海示例微电子（集团）有限公司", "2020-04-01", "14"),
    ]


def test_every_sheet_with_studios_is_read(tmp_path: Path) -> None:
    read = rows_read(_list(tmp_path / "名单.xls"))
    assert [s for s, *_ in read].count("命名名单") == 4
    assert [(v["name"], v["employer"]) for s, _, v, _ in read if s == "另一表"] == [
        ("孙建国工作室", "上海示例船舶有限公司")
    ]
    assert "lists" not in {s for s, *_ in read}


def test_broken_encrypted_and_misnamed_workbooks_are_refused_in_one_line(tmp_path: Path) -> None:
    good = _list(tmp_path / "good.xls").read_bytes()
    truncated = tmp_path / "truncated.xls"
    truncated.write_bytes(good[:1500])
    encrypted = tmp_path / "encrypted.xls"
    encrypted.write_bytes(with_filepass(good))
    not_ole = tmp_path / "export.xls"
    not_ole.write_text("<html><table><tr><td>工作室名称</td></tr></table></html>", encoding="utf-8")
    store_path = tmp_path / "graph.json"
    for path, words in [
        (truncated, "not a readable Excel 97-2003 .xls workbook"),
        (encrypted, "password-protected"),
        (not_ole, "not an Excel 97-2003 .xls workbook"),
    ]:
        assert words in one_line(load(store_path, path), path)
    assert not store_path.exists() or FileStore(store_path).count_studios() == 0


def test_a_workbook_without_a_list_of_studios_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "说明.xls"
    path.write_bytes(xls_bytes({"说明": [["本表为示例"], ["没有名单"]]}, {}))
    assert "no sheet of studios" in one_line(load(tmp_path / "graph.json", path), path)


def test_an_xls_list_loads_into_the_store_and_again_changes_nothing(tmp_path: Path) -> None:
    path = _list(tmp_path / "名单.xls")
    store_path = tmp_path / "graph.json"
    first = load(store_path, path)
    assert first.ok, [p.describe() for p in first.problems]
    assert first.kinds["Studio"].created == 5
    studios = {s.name: s for s in FileStore(store_path).list(Studio)}
    assert studios["李秀英创新工作室"].district == "嘉定区"
    assert str(studios["李秀英创新工作室"].founded_on) == "2020-02-01"
    assert studios["王志强技能大师工作室"].members == 13
    before = FileStore(store_path).projection()
    second = load(store_path, path)
    assert second.ok and all(k.created == 0 and k.updated == 0 for k in second.kinds.values())
    assert FileStore(store_path).projection() == before
