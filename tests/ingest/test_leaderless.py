"""Rows without a leader load: many studios are named after a team, a unit or a theme, and their
lists name no leader (…中心劳模创新工作室, …自动焊创新工作室). The studio has no ``LED_BY``.

End to end through ``ingest.pipeline.ingest`` with a ``FileStore`` in a temporary folder.
"""

from __future__ import annotations

import csv
from pathlib import Path

from graph.file_store import FileStore
from graph.model import ModelWorker, Studio
from ingest.pipeline import ingest
from ingest.roster import derive_id

HEADER = ["序号", "工作室名称", "领衔人", "所在单位", "推荐单位"]
NAMING_LIST = [
    ["1", "放疗中心劳模创新工作室", "", "上海市质子重离子医院", "上海市医务工会"],
    ["2", "船体自动焊创新工作室", "", "沪东中华造船（集团）有限公司", "中国船舶集团上海工会"],
    ["3", "李斌劳模创新工作室", "李斌", "上海电气液压气动有限公司", "上海市机电工会"],
]


def _csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def test_a_naming_list_with_leaderless_rows_loads(tmp_path: Path) -> None:
    store = FileStore(tmp_path / "g.json")
    report = ingest([_csv(tmp_path / "list.csv", HEADER, NAMING_LIST)], store, classify=False)
    assert report.ok and report.written, report.problems
    assert report.kinds["Studio"].created == 3
    assert report.kinds["ModelWorker"].created == 1  # only 李斌: a leaderless row makes no worker
    centre = store.get(Studio, derive_id("st", "放疗中心劳模创新工作室", "上海市质子重离子医院"))
    assert centre.leader_id is None
    weld = store.get(Studio, derive_id("st", "船体自动焊创新工作室", "沪东中华造船（集团）有限公司"))
    assert weld.leader_id is None
    li = store.get(Studio, derive_id("st", "李斌劳模创新工作室", "上海电气液压气动有限公司"))
    assert li.leader_id == derive_id("mw", "李斌", "上海电气液压气动有限公司")
    assert [w.name for w in store.list(ModelWorker)] == ["李斌"]
    led_by = [(a, b) for a, kind, b in _edges(store) if kind == "LED_BY"]
    assert led_by == [(li.id, li.leader_id)]


def _edges(store: FileStore) -> list[tuple[str, str, str]]:
    sub = store.neighbourhood(Studio, derive_id("st", "李斌劳模创新工作室", "上海电气液压气动有限公司"), depth=1)
    centre = store.neighbourhood(Studio, derive_id("st", "放疗中心劳模创新工作室", "上海市质子重离子医院"), depth=1)
    return [(r.start[1], r.type, r.end[1]) for r in (*sub.relationships, *centre.relationships)]


def test_a_sheet_without_a_leader_column_loads(tmp_path: Path) -> None:
    store = FileStore(tmp_path / "g.json")
    path = _csv(tmp_path / "bare.csv", ["工作室名称", "所在单位"], [["放疗中心劳模创新工作室", "上海市质子重离子医院"]])
    report = ingest([path], store, classify=False)
    assert report.ok, report.problems
    assert store.get(Studio, derive_id("st", "放疗中心劳模创新工作室", "上海市质子重离子医院")).leader_id is None


def test_a_list_without_the_leader_column_keeps_a_stored_leader(tmp_path: Path) -> None:
    store = FileStore(tmp_path / "g.json")
    assert ingest([_csv(tmp_path / "list.csv", HEADER, NAMING_LIST)], store, classify=False).ok
    li = derive_id("st", "李斌劳模创新工作室", "上海电气液压气动有限公司")
    again = _csv(
        tmp_path / "again.csv",
        ["工作室名称", "所在单位", "命名年份"],
        [["李斌劳模创新工作室", "上海电气液压气动有限公司", "2019"]],
    )
    report = ingest([again], store, classify=False)
    assert report.ok, report.problems
    studio = store.get(Studio, li)
    assert studio.named_year == 2019
    assert studio.leader_id == derive_id("mw", "李斌", "上海电气液压气动有限公司")


def test_leader_honours_or_status_on_a_leaderless_row_say_the_leader_is_missing(tmp_path: Path) -> None:
    store = FileStore(tmp_path / "g.json")
    path = _csv(
        tmp_path / "bad.csv",
        ["工作室名称", "领衔人", "领衔人荣誉", "领衔人状态", "所在单位"],
        [
            ["放疗中心劳模创新工作室", "", "上海市劳动模范", "", "上海市质子重离子医院"],
            ["船体自动焊创新工作室", "", "", "退休", "沪东中华造船（集团）有限公司"],
        ],
    )
    report = ingest([path], store, classify=False)
    assert not report.ok and not report.written
    assert [(p.row, p.column, p.value) for p in report.problems] == [
        (2, "领衔人荣誉", "上海市劳动模范"),
        (3, "领衔人状态", "退休"),
    ]
    assert all("no leader (领衔人) is named" in p.message for p in report.problems)
    assert report.problems[0].message_zh == "填写了领衔人荣誉，但未填写领衔人"
    assert store.count_studios() == 0


def test_the_same_leaderless_list_twice_changes_nothing(tmp_path: Path) -> None:
    store = FileStore(tmp_path / "g.json")
    path = _csv(tmp_path / "list.csv", HEADER, NAMING_LIST)
    assert ingest([path], store, classify=False).ok
    again = ingest([path], store, classify=False)
    assert again.ok
    assert again.kinds["Studio"].created == again.kinds["Studio"].updated == 0
    assert store.count_studios() == 3


def test_the_studio_name_and_employer_are_still_required(tmp_path: Path) -> None:
    store = FileStore(tmp_path / "g.json")
    path = _csv(tmp_path / "bad.csv", ["工作室名称", "领衔人", "所在单位"], [["放疗中心劳模创新工作室", "", ""]])
    report = ingest([path], store, classify=False)
    assert [(p.row, p.column, p.message) for p in report.problems] == [(2, "所在单位", "employer is required")]
