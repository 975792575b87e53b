"""A studio without a leader under the rules: Article 3's condition 1 is ``unknown`` (资料不全), never
``not met``; Article 9 has no leader to delist the studio for; a leaderless list row, ingested, gives
exactly that."""

from __future__ import annotations

import csv
from pathlib import Path

from graph.file_store import FileStore
from graph.lifecycle import Action, Records, Verdict, assess, eligibility, naming_candidates
from graph.model import Employer, LedgerEntry, LedgerKind, ModelWorker, Studio, StudioLevel, Union, WorkerStatus
from ingest.pipeline import ingest
from ingest.roster import derive_id

YEAR = 2025


def _studio(sid: str, leader_id: str | None, **fields: object) -> Studio:
    return Studio.model_validate(
        {
            "id": sid,
            "name": f"{sid}中心劳模创新工作室",
            "leader_id": leader_id,
            "employer_id": "e1",
            "union_id": "u1",
            "level": StudioLevel.DISTRICT,
            "named_year": 2020,
            "founded_year": 2018,
            "venue": "实训楼301室",
            "funds_per_year": 50_000,
            **fields,
        }
    )


def _result(sid: str) -> LedgerEntry:
    return LedgerEntry(
        id=f"lg-{sid}",
        studio_id=sid,
        kind=LedgerKind.RESULT,
        year=2024,
        title="自动焊工艺改进",
        benefit="年节约成本50万元",
        recognised_project=True,
    )


def _records(tmp_path: Path, *records: object) -> Records:
    store = FileStore(tmp_path / "g.json")
    store.write(
        [
            Union(id="u1", name="浦东新区总工会"),
            Employer(id="e1", name="甲公司"),
            ModelWorker(
                id="w-gone", name="乙", honours=("上海市劳动模范",), status=WorkerStatus.RETIRED, status_year=2024
            ),
            *records,  # type: ignore[list-item]
        ]
    )
    return Records(store.projection())


def test_condition_1_without_a_leader_is_unknown_with_its_evidence(tmp_path: Path) -> None:
    records = _records(tmp_path, _studio("s", None), _result("s"))
    check = eligibility(records, "s", YEAR)
    first = check.conditions[0]
    assert (first.number, first.verdict, first.evidence) == (1, Verdict.UNKNOWN, "未登记领衔人")
    assert first.to_json()["verdict_zh"] == "资料不全"
    assert [c.verdict for c in check.conditions[1:]] == [Verdict.MET] * 4
    assert check.verdict is Verdict.UNKNOWN  # never not met for want of a leader


def test_the_assessment_asks_for_data_and_never_delists_for_a_missing_leader(tmp_path: Path) -> None:
    records = _records(tmp_path, _studio("s", None), _result("s"), _studio("t", "w-gone"), _result("t"))
    found = {f.studio_id: f for f in assess(records, YEAR).findings}
    assert found["s"].action is Action.COMPLETE
    assert found["s"].reasons == ("第三条第1项资料不全：未登记领衔人",)
    assert found["t"].action is Action.DELIST  # a leader who retired is another matter (Article 9)


def test_a_leaderless_studio_that_fails_a_condition_is_flagged_not_delisted(tmp_path: Path) -> None:
    records = _records(tmp_path, _studio("s", None, venue="无"), _result("s"))
    (finding,) = assess(records, YEAR).findings
    assert finding.action is Action.FLAG
    assert not any("领衔人" in r and "第九条" in r for r in finding.reasons)


def test_a_leaderless_studio_is_a_naming_candidate_without_national_priority(tmp_path: Path) -> None:
    records = _records(tmp_path, _studio("s", None), _result("s"))
    (candidate,) = naming_candidates(records, YEAR)
    assert candidate.studio_id == "s" and not candidate.national_leader
    assert candidate.verdict is Verdict.UNKNOWN


def test_an_ingested_leaderless_row_is_unknown_for_condition_1(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(
            [["工作室名称", "领衔人", "所在单位"], ["放疗中心劳模创新工作室", "", "上海市质子重离子医院"]]
        )
    store = FileStore(tmp_path / "g.json")
    assert ingest([path], store, classify=False).ok
    records = Records(store.projection())
    sid = derive_id("st", "放疗中心劳模创新工作室", "上海市质子重离子医院")
    assert records.leader(records.studios[sid]) is None
    first = eligibility(records, sid, YEAR).conditions[0]
    assert (first.verdict, first.evidence) == (Verdict.UNKNOWN, "未登记领衔人")
