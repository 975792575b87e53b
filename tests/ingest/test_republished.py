"""The same studio in next year's list: a row without 编号 that names a stored studio is recognised as
that studio (by folded name with the same leader or the same employer, employers compared after the
alias rule), not recorded as a new one; an uncertain match is listed for a person to confirm and
written as new only with ``accept_new``.

End to end through ``ingest.pipeline.ingest`` with a ``FileStore`` in a temporary folder.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from graph.file_store import FileStore
from graph.model import Employer, ModelWorker, Node, Studio
from ingest.pipeline import ingest
from ingest.roster import derive_id

HEADER = ["工作室名称", "领衔人", "所在单位", "命名年份"]
LIST_2022 = [
    ["张华劳模创新工作室", "张华", "上海市电力公司", "2022"],
    ["王晓芳劳模创新工作室", "王晓芳", "上海华力微电子有限公司", "2022"],
    ["陈敏创新工作室", "陈敏", "中芯国际集成电路制造（上海）有限公司", "2022"],
    ["放疗中心劳模创新工作室", "", "上海市质子重离子医院", "2022"],
    ["赵强劳模创新工作室", "赵强", "宝钢集团有限公司", "2022"],
]
# next year's list: the same studios, no 编号, some employers written differently
LIST_2023 = [
    ["张华劳模创新工作室", "张华", "国网上海市电力公司", "2023"],
    ["王晓芳劳模创新工作室", "王晓芳", "上海华力微电子有限公司", "2023"],
    ["陈敏创新工作室", "陈敏", "中芯国际集成电路制造有限公司", "2023"],
    ["放疗中心劳模创新工作室", "", "上海市质子重离子医院", "2023"],
    ["赵强劳模创新工作室", "赵强", "中国宝武钢铁集团有限公司", "2023"],
]


def _csv(path: Path, rows: Iterable[list[str]], header: list[str] = HEADER) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _loaded(tmp_path: Path) -> FileStore:
    store = FileStore(tmp_path / "g.json")
    report = ingest([_csv(tmp_path / "2022.csv", LIST_2022)], store, classify=False)
    assert report.ok and report.kinds["Studio"].created == 5, report.problems
    return store


def test_a_renamed_employer_is_recognised(tmp_path: Path) -> None:
    store = _loaded(tmp_path)
    stored_id = derive_id("st", "张华劳模创新工作室", "上海市电力公司")
    leader_id = store.get(Studio, stored_id).leader_id
    renamed = [["张华劳模创新工作室", "张华", "国网上海市电力公司", "2023"]]
    report = ingest([_csv(tmp_path / "renamed.csv", renamed)], store, classify=False)
    assert report.ok, report.problems
    assert report.kinds["Studio"].created == 0 and report.kinds["Studio"].updated == 1
    assert report.likely_duplicates == []
    assert store.count_studios() == 5
    assert not store.get_many(Studio, [derive_id("st", "张华劳模创新工作室", "国网上海市电力公司")])
    studio = store.get(Studio, stored_id)
    assert studio.named_year == 2023
    assert store.get(Employer, studio.employer_id or "").name == "国网上海市电力公司"
    assert studio.leader_id == leader_id  # the same person: the stored leader is kept
    assert [w.name for w in store.list(ModelWorker)].count("张华") == 1


def test_a_republished_list_changes_no_studio_count(tmp_path: Path) -> None:
    store = _loaded(tmp_path)
    ids = sorted(s.id for s in store.list(Studio))
    report = ingest([_csv(tmp_path / "2023.csv", LIST_2023)], store, classify=False)
    assert report.ok, report.problems
    assert report.kinds["Studio"].created == 0
    assert report.kinds["Studio"].updated == 5  # each named_year moved to 2023
    assert sorted(s.id for s in store.list(Studio)) == ids
    assert {s.named_year for s in store.list(Studio)} == {2023}
    again = ingest([_csv(tmp_path / "2023.csv", LIST_2023)], store, classify=False)
    assert again.ok and again.kinds["Studio"].created == again.kinds["Studio"].updated == 0


def test_a_studio_stored_under_its_id_is_recognised_by_a_list_without_ids(tmp_path: Path) -> None:
    store = FileStore(tmp_path / "g.json")
    with_ids = [["SH001", *LIST_2022[0]], ["SH002", *LIST_2022[1]]]
    assert ingest([_csv(tmp_path / "ids.csv", with_ids, ["编号", *HEADER])], store, classify=False).ok
    report = ingest([_csv(tmp_path / "2023.csv", LIST_2023[:2])], store, classify=False)
    assert report.ok, report.problems
    assert report.kinds["Studio"].created == 0
    assert sorted(s.id for s in store.list(Studio)) == ["SH001", "SH002"]
    assert store.get(Studio, "SH001").named_year == 2023


def test_the_same_name_at_another_employer_with_the_same_leader_is_certain(tmp_path: Path) -> None:
    store = _loaded(tmp_path)
    moved = [["王晓芳劳模创新工作室", "王晓芳", "上海华虹宏力半导体制造有限公司", "2023"]]
    report = ingest([_csv(tmp_path / "moved.csv", moved)], store, classify=False)
    assert report.ok, report.problems
    assert report.kinds["Studio"].created == 0
    assert store.count_studios() == 5


def _uncertain() -> list[list[str]]:
    return [
        ["张华劳模创新工作室", "李四", "上海市第六人民医院", "2023"],  # same name, another employer and leader
        ["放疗中心创新工作室", "", "上海市质子重离子医院", "2023"],  # same unit, no leader, the name differs slightly
    ]


def test_an_uncertain_match_is_listed_and_refused_without_accept_new(tmp_path: Path) -> None:
    store = _loaded(tmp_path)
    before = store.projection()
    report = ingest([_csv(tmp_path / "unsure.csv", _uncertain())], store, classify=False)
    assert not report.ok and not report.written
    assert store.projection() == before
    found = [(d.row, d.name, d.stored_id, d.stored_name, d.stored_employer) for d in report.likely_duplicates]
    assert found == [
        (
            2,
            "张华劳模创新工作室",
            derive_id("st", "张华劳模创新工作室", "上海市电力公司"),
            "张华劳模创新工作室",
            "上海市电力公司",
        ),
        (
            3,
            "放疗中心创新工作室",
            derive_id("st", "放疗中心劳模创新工作室", "上海市质子重离子医院"),
            "放疗中心劳模创新工作室",
            "上海市质子重离子医院",
        ),
    ]
    assert report.likely_duplicates[0].why == "the same name, with another employer and leader"
    assert report.likely_duplicates[1].why == (
        "the same employer, neither with a leader, and a name that differs only slightly"
    )
    assert [(p.row, p.column) for p in report.problems] == [(2, "工作室名称"), (3, "工作室名称")]
    first = report.problems[0]
    assert first.message.startswith(f"may be the stored studio {found[0][2]} 张华劳模创新工作室 (上海市电力公司)")
    assert "--accept-new" in first.message and "--accept-new" in first.message_zh
    body = json.loads(json.dumps(report.to_json()))
    assert [d["stored_id"] for d in body["likely_duplicates"]] == [found[0][2], found[1][2]]
    assert body["likely_duplicates"][0]["why"] == "the same name, with another employer and leader"
    assert set(body["likely_duplicates"][0]) >= {"row", "name", "stored_id", "stored_name", "why"}


def test_an_uncertain_match_is_written_as_new_with_accept_new(tmp_path: Path) -> None:
    store = _loaded(tmp_path)
    report = ingest([_csv(tmp_path / "unsure.csv", _uncertain())], store, classify=False, accept_new=True)
    assert report.ok and report.written, report.problems
    assert report.kinds["Studio"].created == 2
    assert store.count_studios() == 7
    assert len(report.likely_duplicates) == 2
    assert [(w.row, w.column) for w in report.warnings] == [(2, "工作室名称"), (3, "工作室名称")]
    assert report.warnings[0].message.startswith("written as a new studio (--accept-new)")
    new = store.get(Studio, derive_id("st", "张华劳模创新工作室", "上海市第六人民医院"))
    assert new.leader_id == derive_id("mw", "李四", "上海市第六人民医院")
    assert store.get(Studio, derive_id("st", "张华劳模创新工作室", "上海市电力公司")).named_year == 2022


def test_the_same_leader_and_employer_with_a_slightly_different_name_is_a_likely_duplicate(tmp_path: Path) -> None:
    store = _loaded(tmp_path)
    slightly = [["王晓芳创新工作室", "王晓芳", "上海华力微电子有限公司", "2023"]]
    report = ingest([_csv(tmp_path / "slightly.csv", slightly)], store, classify=False)
    assert not report.written
    [dup] = report.likely_duplicates
    assert (dup.stored_name, dup.why) == (
        "王晓芳劳模创新工作室",
        "the same leader and employer, with a name that differs only slightly",
    )
    assert dup.why_zh == "领衔人和所在单位相同，名称略有不同"


def test_a_different_studio_of_the_same_leader_is_not_a_duplicate(tmp_path: Path) -> None:
    store = _loaded(tmp_path)
    other = [["张华技能大师工作室", "张华", "国网上海市电力公司", "2023"]]  # not a studio-name variant
    report = ingest([_csv(tmp_path / "other.csv", other)], store, classify=False)
    assert report.ok and report.likely_duplicates == []
    assert report.kinds["Studio"].created == 1


class _CountingStore(FileStore):
    """Counts the store lookups recognition makes."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.calls: list[tuple[str, str]] = []

    def keys_by_name(self, kind: type[Node], names: Iterable[str]) -> dict[str, list[str]]:
        self.calls.append(("keys_by_name", kind.label))
        return super().keys_by_name(kind, names)

    def get_many(self, kind: type[Any], keys: Iterable[str]) -> dict[str, Any]:
        self.calls.append(("get_many", kind.label))
        return super().get_many(kind, keys)


def test_recognition_looks_up_all_rows_at_once(tmp_path: Path) -> None:
    store = _CountingStore(tmp_path / "g.json")
    first = [[f"第{i}劳模创新工作室", f"工{i}", "上海市电力公司", "2022"] for i in range(60)]
    assert ingest([_csv(tmp_path / "a.csv", first)], store, classify=False).ok
    store.calls.clear()
    renamed = [[f"第{i}劳模创新工作室", f"工{i}", "国网上海市电力公司", "2023"] for i in range(60)]
    report = ingest([_csv(tmp_path / "b.csv", renamed)], store, classify=False)
    assert report.ok and report.kinds["Studio"].created == 0
    assert store.calls.count(("keys_by_name", "Studio")) == 1
    assert store.calls.count(("get_many", "Studio")) <= 3  # the rows' ids, the candidates, and the write


def test_two_rows_recognised_as_one_stored_studio_are_the_same_studio_twice(tmp_path: Path) -> None:
    store = _loaded(tmp_path)
    twice = [
        ["张华劳模创新工作室", "张华", "国网上海市电力公司", "2023"],
        ["张华劳模创新工作室", "张华", "国网上海电力公司", "2023"],
    ]
    report = ingest([_csv(tmp_path / "twice.csv", twice)], store, classify=False)
    assert not report.written
    stored_id = derive_id("st", "张华劳模创新工作室", "上海市电力公司")
    assert [(p.row, p.message) for p in report.problems] == [
        (3, f"the same studio appears twice in the input (as {stored_id} too)")
    ]
