"""Article 9 in matching: a studio whose leader is recorded as deceased, left or retired (in or before
the year) is never suggested, proposed, listed as a gap filler or offered as a barrier-bridging
partner, whatever its status field says; flagged and delisted studios neither. The studio itself is
told why."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from graph.exclusion import ExclusionCode
from graph.model import (
    AllianceKind,
    Industry,
    IndustryLevel,
    ModelWorker,
    StudioStatus,
    Trade,
    WorkerStatus,
)
from matching.alliances import AllianceFormer, Limits
from matching.gaps import GapRadar, GapStatus, RadarSettings, Scenario, what_if
from matching.suggest import KINDS, Suggester

from .worlds import base, projection, studio

YEAR = 2026


def _leaders() -> list[Any]:
    return [
        ModelWorker(id="w-late", name="已故劳模", honours=("全国劳动模范",), status=WorkerStatus.DECEASED,
                    status_year=2024),
        ModelWorker(id="w-retired", name="退休劳模", honours=("全国劳动模范",), status=WorkerStatus.RETIRED,
                    status_year=YEAR),
        ModelWorker(id="w-left", name="离职劳模", status=WorkerStatus.LEFT),  # no year: counts as now
        ModelWorker(id="w-later", name="明年退休", status=WorkerStatus.RETIRED, status_year=YEAR + 1),
        ModelWorker(id="w-serving", name="在职劳模", honours=("上海市劳动模范",)),
    ]  # fmt: skip


def _extra_taxonomy() -> list[Any]:
    return [
        Industry(code="Q", name="卫生和社会工作", level=IndustryLevel.SECTION),
        Industry(code="84", name="卫生", level=IndustryLevel.DIVISION, parent_code="Q"),
        Trade(code="T3", name="护士"),
    ]


def _welders(tmp_path: Path) -> Suggester:
    """The issue's five-studio roster: the late leader's welding studio is the best match on paper."""
    p = projection(
        tmp_path,
        [
            *base(),
            *_leaders(),
            studio("me", trade_codes=("T2",), expertise="管道焊接工艺", employer_id="e1", leader_id="w-serving"),
            studio("late", trade_codes=("T2",), expertise="管道焊接工艺", employer_id="e2", leader_id="w-late"),
            studio("ok", trade_codes=("T2",), expertise="薄板焊接", employer_id="e3", leader_id="w-later"),
            studio("left", trade_codes=("T2",), expertise="管道焊接工艺", employer_id="e4", leader_id="w-left"),
            studio(
                "flag", trade_codes=("T2",), expertise="管道焊接工艺", employer_id="e4", status=StudioStatus.FLAGGED
            ),
        ],
    )
    return Suggester(year=YEAR).fit(p)


def test_a_late_leaders_studio_is_never_a_same_trade_partner(tmp_path: Path) -> None:
    s = _welders(tmp_path)
    partners = [x.partner_id for x in s.suggest("me", AllianceKind.SAME_TRADE, 10)]
    assert partners == ["ok"]  # a retirement next year waits for its year


def test_the_excluded_studio_is_told_why_and_gets_no_partners(tmp_path: Path) -> None:
    s = _welders(tmp_path)
    late, left, flagged = s.exclusion("late"), s.exclusion("left"), s.exclusion("flag")
    assert late is not None and late.code is ExclusionCode.LEADER_DECEASED
    assert "2024" in late.reason and "去世" in late.reason and "第九条" in late.reason
    assert "died in 2024" in late.reason_en
    assert left is not None and left.code is ExclusionCode.LEADER_LEFT and "离职" in left.reason
    assert flagged is not None and flagged.code is ExclusionCode.FLAGGED
    assert s.exclusion("me") is None and s.exclusion("ok") is None
    for kind in KINDS:
        assert s.suggest("late", kind, 10) == []


def test_the_year_decides_a_retirement(tmp_path: Path) -> None:
    p = projection(tmp_path, [*base(), *_leaders(),
                              studio("a", trade_codes=("T2",), employer_id="e1"),
                              studio("b", trade_codes=("T2",), employer_id="e2", leader_id="w-retired")])  # fmt: skip
    assert [x.partner_id for x in Suggester(year=YEAR - 1).fit(p).suggest("a", AllianceKind.SAME_TRADE)] == ["b"]
    assert Suggester(year=YEAR).fit(p).suggest("a", AllianceKind.SAME_TRADE) == []


def _every_kind(tmp_path: Path, leader: str) -> Suggester:
    """A world where ``x`` would be the top partner of ``me`` of every kind, led by ``leader``."""
    records = [
        *base(),
        *_leaders(),
        *_extra_taxonomy(),
        studio("me", trade_codes=("T2",), industry_code="3973", segment_ids=("c/b",), employer_id="e1",
               expertise="晶圆刻蚀焊接", needs="护理机器人", leader_id="w-serving"),
        studio("x", trade_codes=("T2",), industry_code="3973", segment_ids=("c/a",), employer_id="e2",
               expertise="晶圆刻蚀焊接", needs="晶圆刻蚀", leader_id=leader),
        studio("care", trade_codes=("T3",), industry_code="84", employer_id="e3",
               expertise="护理机器人", needs="晶圆刻蚀焊接", leader_id=leader),
        studio("y", trade_codes=("T2",), industry_code="3974", segment_ids=("c/c",), employer_id="e4",
               expertise="焊接", needs="刻蚀", leader_id="w-serving"),
    ]  # fmt: skip
    return Suggester(year=YEAR).fit(projection(tmp_path, records))


@pytest.mark.parametrize("kind", KINDS)
def test_no_kind_suggests_an_excluded_studio(tmp_path: Path, kind: AllianceKind) -> None:
    serving = [x.partner_id for x in _every_kind(tmp_path / "a", "w-serving").suggest("me", kind, 10)]
    assert {"x", "care"} & set(serving), f"the world must make an excluded studio a {kind} partner"
    gone = [x.partner_id for x in _every_kind(tmp_path / "b", "w-late").suggest("me", kind, 10)]
    assert not {"x", "care"} & set(gone)
    everyone = dict(_every_kind(tmp_path / "c", "w-left").suggest_all(kind, 10))
    assert not {"x", "care"} & {x.partner_id for found in everyone.values() for x in found}


def _form(tmp_path: Path, late: str, retired: str) -> list[Any]:
    p = projection(
        tmp_path,
        [
            *base(),
            *_leaders(),
            studio("late", trade_codes=("T2",), expertise="管道焊接", employer_id="e1", leader_id=late),
            studio("retired", trade_codes=("T2",), expertise="管道焊接", employer_id="e2", leader_id=retired),
            *(
                studio(f"w{i}", trade_codes=("T2",), expertise="管道焊接", employer_id=f"e{i}", leader_id="w-serving")
                for i in range(1, 5)
            ),
        ],
    )
    former = AllianceFormer(Suggester(year=YEAR).fit(p), p, limits=Limits(min_size=2))
    return former.form([AllianceKind.SAME_TRADE]).proposals


def test_form_never_proposes_or_lets_lead_an_excluded_studio(tmp_path: Path) -> None:
    # with national model workers serving, their studios are in and lead (Article 7) …
    serving = _form(tmp_path / "a", "w-national", "w-national")
    assert any(p.lead in {"late", "retired"} for p in serving)
    # … and once one has died and the other retired, neither is proposed, let alone as lead
    gone = _form(tmp_path / "b", "w-late", "w-retired")
    assert gone
    for proposal in gone:
        assert not {"late", "retired"} & set(proposal.members)
        assert proposal.lead not in {"late", "retired"}


def _gap_world(tmp_path: Path, leader: str) -> tuple[GapRadar, Any]:
    p = projection(
        tmp_path,
        [
            *base(),
            *_leaders(),
            studio("up", segment_ids=("c/a",), employer_id="e1", expertise="硅片", leader_id="w-serving"),
            studio("up-gone", segment_ids=("c/a",), employer_id="e2", expertise="硅片提纯", leader_id=leader),
            studio("mid", segment_ids=("c/b",), employer_id="e3", expertise="刻蚀", leader_id="w-serving"),
            studio("down-gone", segment_ids=("c/c",), employer_id="e4", expertise="封装", leader_id=leader),
        ],
    )
    return GapRadar(Suggester(year=YEAR).fit(p), p, RadarSettings(weak_below=1)), p


def test_gap_fillers_and_barrier_partners_leave_excluded_studios_out(tmp_path: Path) -> None:
    serving, _ = _gap_world(tmp_path / "a", "w-serving")
    report = serving.report("c")
    assert report.row("c/c").status is GapStatus.COVERED
    assert any("up-gone" in (c.studio_id, c.partner_id) for c in report.row("c/a->c/b").candidates)

    gone, _ = _gap_world(tmp_path / "b", "w-late")
    report = gone.report("c")
    # the only studio of c/c is led by a late leader: c/c is a gap, and it fills nothing
    assert report.row("c/c").status is GapStatus.GAP
    everyone = {c.studio_id for r in report.rows for c in r.candidates} | {
        c.partner_id for r in report.rows for c in r.candidates if c.partner_id
    }
    assert not {"up-gone", "down-gone"} & everyone
    barrier = report.row("c/a->c/b")
    assert barrier.status is GapStatus.BARRIER and barrier.candidates
    assert {(c.studio_id, c.partner_id) for c in barrier.candidates} == {("up", "mid")}


def test_what_if_forms_no_alliance_with_an_excluded_studio(tmp_path: Path) -> None:
    radar, p = _gap_world(tmp_path, "w-late")
    suggester = radar.suggester
    # an alliance of the late leader's studio and mid closes nothing: it has no live member upstream
    closed_by_gone = what_if(suggester, p, Scenario(form=(("up-gone", "mid"),)), chain="c")
    assert closed_by_gone.after.row("c/a->c/b").status is GapStatus.BARRIER
    closed = what_if(suggester, p, Scenario(form=(("up", "mid"),)), chain="c")
    assert "c/a->c/b" not in {r.key for r in closed.after.rows if r.status is GapStatus.BARRIER}
