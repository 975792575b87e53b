"""Articles 3, 6–10 as checks: each rule on small built cases, boundaries included."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from graph.file_store import FileStore
from graph.lifecycle import (
    Action,
    Records,
    Verdict,
    apply_assessment,
    assess,
    eligibility,
    funding_checks,
    ledger_of,
    naming_candidates,
)
from graph.model import (
    Alliance,
    AllianceKind,
    AllianceStatus,
    AuditEntry,
    Employer,
    Funding,
    FundingSource,
    LedgerEntry,
    LedgerKind,
    ModelWorker,
    Record,
    Studio,
    StudioLevel,
    StudioStatus,
    Union,
    WorkerStatus,
)
from graph.store import BaseStore

YEAR = 2025


def _world(*records: Record) -> list[Record]:
    return [
        Union(id="u1", name="浦东新区总工会"),
        Employer(id="e1", name="甲公司"),
        ModelWorker(id="w-nat", name="甲", honours=("全国劳动模范",)),
        ModelWorker(id="w-sh", name="乙", honours=("上海市五一劳动奖章",)),
        ModelWorker(id="w-low", name="丙", honours=("公司先进个人",)),
        ModelWorker(id="w-none", name="丁"),
        *records,
    ]


def _studio(sid: str, **fields: Any) -> Studio:
    data: dict[str, Any] = {
        "id": sid, "name": f"{sid}劳模创新工作室", "leader_id": "w-sh", "employer_id": "e1", "union_id": "u1",
        "founded_year": 2008, "venue": "实训楼301室，120平方米", "funds_per_year": 50_000, "project_ids": (),
    }  # fmt: skip
    data.update(fields)
    return Studio.model_validate(data)


def _result(sid: str, n: int = 1, **fields: Any) -> LedgerEntry:
    data: dict[str, Any] = {
        "id": f"lg-{sid}-{n}", "studio_id": sid, "kind": LedgerKind.RESULT, "year": 2024,
        "title": "焊接工艺改进", "benefit": "年节约成本50万元", "recognised_project": True,
    }  # fmt: skip
    data.update(fields)
    return LedgerEntry.model_validate(data)


def _records(tmp_path: Path, *records: Record) -> Records:
    store = FileStore(tmp_path / "g.json")
    store.write(_world(*records))
    return Records(store.projection())


def _verdicts(records: Records, sid: str, year: int = YEAR) -> list[Verdict]:
    return [c.verdict for c in eligibility(records, sid, year).conditions]


def test_a_complete_studio_meets_all_five_conditions_with_evidence(tmp_path: Path) -> None:
    records = _records(tmp_path, _studio("s"), _result("s"))
    check = eligibility(records, "s", YEAR)
    assert check.verdict is Verdict.MET
    assert [c.number for c in check.conditions] == [1, 2, 3, 4, 5]
    evidence = " ".join(c.evidence for c in check.conditions)
    assert "上海市五一劳动奖章" in evidence and "焊接工艺改进" in evidence and "50,000" in evidence


@pytest.mark.parametrize(
    ("leader", "verdict"),
    [("w-nat", Verdict.MET), ("w-sh", Verdict.MET), ("w-low", Verdict.NOT_MET), ("w-none", Verdict.UNKNOWN),
     (None, Verdict.UNKNOWN)],
)  # fmt: skip
def test_condition_1_the_leaders_honour(tmp_path: Path, leader: str | None, verdict: Verdict) -> None:
    records = _records(tmp_path, _studio("s", leader_id=leader))
    assert _verdicts(records, "s")[0] is verdict


@pytest.mark.parametrize(
    "honour",
    ["全国五一劳动奖章", "上海市劳动模范", "上海市 劳动模范", "全国劳模", "中央企业劳动模范", "上海市先进工作者"],
)
def test_honours_written_as_free_text_variants_count(tmp_path: Path, honour: str) -> None:
    records = _records(tmp_path, ModelWorker(id="w-x", name="戊", honours=(honour,)), _studio("s", leader_id="w-x"))
    assert _verdicts(records, "s")[0] is Verdict.MET


@pytest.mark.parametrize(
    ("fields", "verdict"),
    [
        ({"founded_year": 2023}, Verdict.MET),  # two years before the end of 2025
        ({"founded_year": 2024}, Verdict.UNKNOWN),  # exactly one year by the year: depends on the day
        ({"founded_year": 2025}, Verdict.NOT_MET),
        ({"founded_year": 2024, "founded_on": "2024-12-31"}, Verdict.NOT_MET),  # exactly one year: not more
        ({"founded_year": 2024, "founded_on": "2024-12-30"}, Verdict.MET),  # one year and a day
        ({"founded_year": None, "named_year": 2020}, Verdict.MET),
        ({"founded_year": None}, Verdict.UNKNOWN),
    ],
)
def test_condition_2_more_than_one_year_of_running(tmp_path: Path, fields: dict[str, Any], verdict: Verdict) -> None:
    records = _records(tmp_path, _studio("s", **fields))
    assert _verdicts(records, "s")[1] is verdict


def test_conditions_3_and_4_projects_and_results_with_benefits(tmp_path: Path) -> None:
    records = _records(
        tmp_path,
        _studio("none"),
        _studio("bare-results"),
        _result("bare-results", benefit="", benefit_amount=None, recognised_project=False),
        _studio("money"),
        _result("money", benefit="", benefit_amount=12.5, recognised_project=False),
        _studio("later"),
        _result("later", year=2026),
    )
    assert _verdicts(records, "none")[2:4] == [Verdict.UNKNOWN, Verdict.UNKNOWN]
    assert _verdicts(records, "bare-results")[2:4] == [Verdict.UNKNOWN, Verdict.NOT_MET]
    assert _verdicts(records, "money")[3] is Verdict.MET
    assert _verdicts(records, "later")[2:4] == [Verdict.UNKNOWN, Verdict.UNKNOWN]  # after the year assessed


@pytest.mark.parametrize(
    ("venue", "funds", "verdict"),
    [("实训室", 10_000, Verdict.MET), ("无", 10_000, Verdict.NOT_MET), ("实训室", 0, Verdict.NOT_MET),
     ("", 10_000, Verdict.UNKNOWN), ("实训室", None, Verdict.UNKNOWN)],
)  # fmt: skip
def test_condition_5_venue_and_funds(tmp_path: Path, venue: str, funds: int | None, verdict: Verdict) -> None:
    records = _records(tmp_path, _studio("s", venue=venue, funds_per_year=funds))
    assert _verdicts(records, "s")[4] is verdict


@pytest.mark.parametrize(
    ("status", "status_year", "action"),
    [
        (WorkerStatus.RETIRED, 2025, Action.DELIST),  # retired mid-year: delisted at that year's assessment
        (WorkerStatus.RETIRED, 2026, None),  # retires after the year assessed
        (WorkerStatus.DECEASED, None, Action.DELIST),  # when is not recorded: the status is current
        (WorkerStatus.LEFT, 2020, Action.DELIST),
        (WorkerStatus.SERVING, None, None),
    ],
)
def test_assessment_delists_when_the_leader_is_gone(
    tmp_path: Path, status: WorkerStatus, status_year: int | None, action: Action | None
) -> None:
    records = _records(
        tmp_path,
        ModelWorker(id="w-x", name="戊", honours=("全国劳动模范",), status=status, status_year=status_year),
        _studio("s", leader_id="w-x"),
        _result("s"),
    )
    findings = {f.studio_id: f for f in assess(records, YEAR).findings}
    assert (findings["s"].action if "s" in findings else None) is action
    if action is Action.DELIST:
        assert any("领衔人" in r for r in findings["s"].reasons)


def test_assessment_flags_first_then_delists_and_asks_for_missing_data(tmp_path: Path) -> None:
    records = _records(
        tmp_path,
        _studio("fails", venue="无"),
        _result("fails"),
        _studio("fails-again", venue="无", status=StudioStatus.FLAGGED),
        _result("fails-again"),
        _studio("unknown"),
        _studio("fine"),
        _result("fine"),
        _studio("gone", status=StudioStatus.DELISTED),
        _studio("future", named_year=2026, founded_year=2026),
    )
    assessment = assess(records, YEAR)
    actions = {f.studio_id: f.action for f in assessment.findings}
    assert actions == {"fails-again": Action.DELIST, "fails": Action.FLAG, "unknown": Action.COMPLETE}
    assert assessment.assessed == 4  # not the delisted one, nor the one named after the year
    headers, rows = assessment.table()
    assert headers[:2] == ["工作室编号", "工作室名称"] and len(rows) == 3
    assert rows[0][0] == "fails-again"  # delistings first


def test_applying_the_assessment_changes_statuses_with_an_audit_trail_and_leaves_alliances(store: BaseStore) -> None:
    store.write(
        _world(
            ModelWorker(
                id="w-old", name="己", honours=("全国劳动模范",), status=WorkerStatus.RETIRED, status_year=2025
            ),
            _studio("retired", leader_id="w-old"),
            _studio("fails", venue="无"),
            _studio("a"),
            _studio("b"),
            Alliance(
                id="al",
                name="联盟",
                kind=AllianceKind.SAME_TRADE,
                status=AllianceStatus.FORMED,
                member_ids=("retired", "a", "b"),
            ),
        )
    )
    assessment = assess(Records(store.projection()), YEAR)
    assert apply_assessment(store, assessment, actor="浦东新区总工会", dry_run=True) == ["retired", "fails"]
    assert store.get(Studio, "retired").status is StudioStatus.ACTIVE  # a dry run writes nothing
    changed = apply_assessment(store, assessment, actor="浦东新区总工会")
    assert changed == ["retired", "fails"]
    retired = store.get(Studio, "retired")
    assert retired.status is StudioStatus.DELISTED and retired.delisted_year == YEAR
    assert "退休" in retired.status_reason
    assert store.get(Studio, "fails").status is StudioStatus.FLAGGED
    alliance = store.get(Alliance, "al")
    assert alliance.member_ids == ("a", "b") and alliance.former_member_ids == ("retired",)
    audit = {e.subject_key: e for e in store.list(AuditEntry)}
    assert audit["retired"].action == "studio.delist" and audit["retired"].actor == "浦东新区总工会"
    assert audit["fails"].action == "studio.flag"
    # applying again changes nothing
    assert apply_assessment(store, assess(Records(store.projection()), YEAR), actor="x") == ["fails"]


def test_delisted_studios_drop_out_of_suggestions_at_once(store: BaseStore) -> None:
    from matching.suggest import Suggester

    store.write(
        _world(
            ModelWorker(id="w-old", name="己", status=WorkerStatus.DECEASED),
            _studio("gone", leader_id="w-old", trade_codes=(), expertise="数控车削工艺"),
            _studio("stays", expertise="数控车削加工"),
        )
    )
    apply_assessment(store, assess(Records(store.projection()), YEAR), actor="x")
    suggester = Suggester().fit(store.projection())
    assert not suggester.features_.live[suggester.features_.row["gone"]]


def test_naming_candidates_national_first_then_results(tmp_path: Path) -> None:
    district = {"level": StudioLevel.DISTRICT}
    records = _records(
        tmp_path,
        _studio("nat", leader_id="w-nat", named_year=2023, **district),
        _studio("rich", named_year=2022, **district),
        _result("rich", 1),
        _result("rich", 2, title="另一项成果"),
        _studio("poor", named_year=2021, **district),
        _studio("new", named_year=2025, **district),  # running less than a year since naming
        _studio("exactly-one", named_year=2024, **district),  # named the year before: one year, eligible
        _studio("city", named_year=2010, level=StudioLevel.MUNICIPAL),
        _studio("failing", named_year=2020, venue="无", **district),
        _studio("delisted", named_year=2020, status=StudioStatus.DELISTED, **district),
    )
    ranked = naming_candidates(records, YEAR)
    assert [c.studio_id for c in ranked] == ["nat", "rich", "poor", "exactly-one"]
    assert ranked[0].national_leader and ranked[1].results == 2
    assert [c.studio_id for c in naming_candidates(records, YEAR, quota=2)] == ["nat", "rich"]


def test_funding_match_shortfalls(tmp_path: Path) -> None:
    records = _records(
        tmp_path,
        _studio("matched"),
        _studio("short"),
        _studio("unmatched"),
        Funding(id="f1", studio_id="matched", year=2023, source=FundingSource.MUNICIPAL, amount=20_000),
        Funding(id="f2", studio_id="matched", year=2023, source=FundingSource.UNION, amount=25_000),
        Funding(id="f3", studio_id="short", year=2023, source=FundingSource.MUNICIPAL, amount=20_000),
        Funding(id="f4", studio_id="short", year=2024, source=FundingSource.UNION, amount=10_000),
        Funding(id="f5", studio_id="unmatched", year=2024, source=FundingSource.MUNICIPAL, amount=20_000),
        Funding(id="f6", studio_id="unmatched", year=2024, source=FundingSource.EMPLOYER, amount=30_000),
    )
    checks = {c.studio_id: c for c in funding_checks(records)}
    assert checks["matched"].shortfall == 0
    assert checks["short"].shortfall == 10_000
    assert checks["unmatched"].shortfall == 20_000 and checks["unmatched"].employer == 30_000
    assert {c.studio_id: c.shortfall for c in funding_checks(records, 2023)} == {"matched": 0, "short": 20_000}


def test_ledgers_are_listed_per_studio_newest_first(tmp_path: Path) -> None:
    records = _records(
        tmp_path,
        _studio("s"),
        _result("s", 1, year=2022),
        _result("s", 2, year=2024),
        LedgerEntry(id="act", studio_id="s", kind=LedgerKind.ACTIVITY, year=2023, title="高师带徒结对"),
    )
    assert [e.id for e in ledger_of(records, "s")] == ["lg-s-2", "act", "lg-s-1"]
    assert [e.id for e in ledger_of(records, "s", LedgerKind.ACTIVITY)] == ["act"]
    with pytest.raises(KeyError):
        ledger_of(records, "nobody")
