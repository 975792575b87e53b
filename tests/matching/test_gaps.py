"""The gap radar, what-ifs and coverage over time on small graphs with known answers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.model import Alliance, AllianceKind, AllianceStatus, Collaboration, Project, StudioStatus, this_year
from matching.gaps import GapRadar, GapStatus, RadarSettings, Scenario, coverage_by_year, what_if
from matching.suggest import Suggester

from .reference_gaps import radar_statuses
from .worlds import base, projection, studio


def _radar(tmp_path: Path, extra: list[Any], **settings: object) -> tuple[GapRadar, object]:
    proj = projection(tmp_path, [*base(), *extra])
    return GapRadar(Suggester().fit(proj), proj, RadarSettings(**settings)), proj  # type: ignore[arg-type]


def test_an_empty_segment_is_a_gap_and_its_neighbours_are_proposed_to_fill_it(tmp_path: Path) -> None:
    radar, _ = _radar(
        tmp_path,
        [
            studio("s-a", segment_ids=("c/a",), expertise="硅片材料提纯", employer_id="e1"),
            studio("s-c", segment_ids=("c/c",), expertise="芯片封装测试", employer_id="e2"),
            studio("s-d", segment_ids=("c/d",), expertise="设备维修", employer_id="e3"),
            studio("s-far", segment_ids=("z/a",), expertise="服装设计", employer_id="e4"),
        ],
        weak_below=2,
    )
    report = radar.report("c")
    b = report.row("c/b")
    assert b.status is GapStatus.GAP and b.studios == 0
    # c/a supplies c/b at 0.9, c/b supplies c/c at 0.8 and c/d at 0.6: that is the order
    assert [c.studio_id for c in b.candidates] == ["s-a", "s-c", "s-d"]
    assert all(c.reasons for c in b.candidates)
    assert report.row("c/a").status is GapStatus.WEAK  # one studio, below 2
    chain = report.chains[0]
    assert (chain.segments, chain.covered, chain.gaps, chain.weak) == (4, 3, 1, 3)
    # upstream to downstream, gaps first
    assert [r.segment for r in report.rows][:1] == ["c/b"]


def _two_ends(extra: list[Any] | None = None) -> list[Any]:
    return [
        studio("up1", segment_ids=("c/a",), employer_id="e1"),
        studio("up2", segment_ids=("c/a",), employer_id="e2"),
        studio("mid1", segment_ids=("c/b",), employer_id="e3"),
        studio("mid2", segment_ids=("c/b",), employer_id="e4"),
        *(extra or []),
    ]


def test_a_supplies_edge_with_studios_at_both_ends_and_nothing_across_is_a_barrier(tmp_path: Path) -> None:
    radar, _ = _radar(tmp_path, _two_ends(), weak_below=1)
    report = radar.report("c")
    barrier = report.row("c/a->c/b")
    assert barrier.status is GapStatus.BARRIER
    assert barrier.studios == 4
    pairs = {(c.studio_id, c.partner_id) for c in barrier.candidates}
    assert pairs <= {(u, m) for u in ("up1", "up2") for m in ("mid1", "mid2")} and pairs
    # edges towards empty segments are gaps, not barriers
    assert {r.key for r in report.rows if r.status is GapStatus.BARRIER} == {"c/a->c/b"}


@pytest.mark.parametrize(
    ("across", "still_barrier"),
    [
        (Collaboration(studio_a="up1", studio_b="mid2", year=2022), False),
        (
            Alliance(
                id="al", name="联", kind=AllianceKind.CHAIN, status=AllianceStatus.FORMED, member_ids=("up2", "mid1")
            ),
            False,
        ),
        (
            Alliance(
                id="al", name="联", kind=AllianceKind.CHAIN, status=AllianceStatus.PROPOSED, member_ids=("up2", "mid1")
            ),
            True,
        ),
        (Collaboration(studio_a="up1", studio_b="up2", year=2022), True),
    ],
)
def test_a_collaboration_or_formed_alliance_across_closes_the_barrier(
    tmp_path: Path, across: object, still_barrier: bool
) -> None:
    radar, _ = _radar(tmp_path, _two_ends([across]), weak_below=1)
    statuses = {r.key: r.status for r in radar.report("c").rows}
    assert ("c/a->c/b" in statuses) is still_barrier


def test_delisted_and_inferred_studios_are_counted_as_the_rules_say(tmp_path: Path) -> None:
    radar, _ = _radar(
        tmp_path,
        [
            studio("gone", segment_ids=("c/a",), status=StudioStatus.DELISTED),
            studio("guess", inferred_segment_ids=("c/c",), inferred_confidence=0.7),
            studio("real", segment_ids=("c/c",), leader_id="w-national"),
        ],
    )
    report = radar.report("c")
    assert report.row("c/a").status is GapStatus.GAP
    c = report.row("c/c")
    assert (c.studios, c.inferred, c.national_leaders) == (2, 1, 1)
    assert "gone" not in {x.studio_id for r in report.rows for x in r.candidates}


def test_projects_list_what_no_live_studio_meets(tmp_path: Path) -> None:
    radar, _ = _radar(
        tmp_path,
        [
            studio("s1", segment_ids=("c/a",), trade_codes=("T1",), expertise="晶圆缺陷检测算法"),
            Project(
                id="p",
                name="良率攻关",
                chain_id="c",
                segment_ids=("c/a", "c/b", "c/c"),
                capabilities="需要车工、焊工等工种；缺陷检测、封装可靠性等能力",
            ),
        ],
    )
    (project,) = radar.report().projects
    assert project.needs == 7
    assert project.uncovered == ("c/b", "c/c", "工种:焊工", "能力:封装可靠性")


def test_chains_are_ranked_by_priority(tmp_path: Path) -> None:
    radar, _ = _radar(tmp_path, [studio("s1", segment_ids=("z/a",))])
    report = radar.report()
    assert [c.chain for c in report.chains] == ["c", "z"]
    assert report.rows[0].chain == "c"
    data = report.to_json()
    assert {"chain", "segment", "status", "studios", "candidates"} <= set(data["gaps"][0])


def test_what_if_reports_what_opens_and_closes_and_writes_nothing(tmp_path: Path) -> None:
    proj = projection(tmp_path, [*base(), *_two_ends()])
    suggester = Suggester().fit(proj)
    scenario = Scenario(form=(("up1", "mid1"),), name_in=(("new-studio", "c/c"),), delist=("up2",))
    result = what_if(suggester, proj, scenario, chain="c", settings=RadarSettings(weak_below=1))
    changes = {(c["segment"], c.get("downstream")): (c["before"], c["after"]) for c in result.changes}
    assert changes[("c/a", "c/b")] == ("barrier", "none")  # the alliance crosses it
    assert changes[("c/c", None)] == ("gap", "covered")  # the newly named studio
    assert changes[("c/b", "c/c")] == ("none", "barrier")  # … which opens a new barrier
    chain = result.to_json()["chains"][0]
    assert (chain["coverage_before"], chain["coverage_after"]) == (0.5, 0.75)
    # the projection the radar was built on is unchanged
    assert {s.id: s.status for s in proj.studios}["up2"] is StudioStatus.ACTIVE
    assert len(proj.alliances) == 0


def test_delisting_the_only_studio_opens_a_gap(tmp_path: Path) -> None:
    proj = projection(tmp_path, [*base(), studio("only", segment_ids=("c/a",))])
    result = what_if(Suggester().fit(proj), proj, Scenario(delist=("only",)), chain="c")
    assert {(c["segment"], c["before"], c["after"]) for c in result.changes} == {("c/a", "weak", "gap")}


def test_what_if_refuses_unknown_studios_and_segments(tmp_path: Path) -> None:
    proj = projection(tmp_path, [*base(), studio("s1", segment_ids=("c/a",))])
    suggester = Suggester().fit(proj)
    with pytest.raises(KeyError):
        what_if(suggester, proj, Scenario(delist=("nobody",)))
    with pytest.raises(KeyError):
        what_if(suggester, proj, Scenario(name_in=(("s1", "c/nowhere"),)))


def test_coverage_by_year_follows_naming_and_delisting(tmp_path: Path) -> None:
    year = this_year()
    proj = projection(
        tmp_path,
        [
            *base(),
            studio("early", segment_ids=("c/a",), named_year=2015, status=StudioStatus.DELISTED, delisted_year=2020),
            studio("later", segment_ids=("c/b",), named_year=2018),
            studio("undated", segment_ids=("c/c",)),
        ],
    )
    counts = coverage_by_year(proj)["c"]
    assert min(counts) == 2015 and max(counts) == year
    assert counts[2014 + 1] == 1 and counts[2017] == 1
    assert counts[2018] == 2 and counts[2019] == 2
    assert counts[2020] == 1  # early left in 2020
    assert counts[year] == 2  # later + undated (counted in the current year only)


studio_strategy = st.fixed_dictionaries(
    {
        "segments": st.lists(st.sampled_from(["c/a", "c/b", "c/c", "c/d", "z/a"]), max_size=2, unique=True),
        "inferred": st.booleans(),
        "status": st.sampled_from([StudioStatus.ACTIVE] * 3 + [StudioStatus.DELISTED, StudioStatus.FLAGGED]),
    }
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(studio_strategy, min_size=1, max_size=10),
    st.lists(st.tuples(st.integers(0, 9), st.integers(0, 9)), max_size=6),
    st.lists(st.tuples(st.lists(st.integers(0, 9), min_size=2, max_size=4, unique=True), st.booleans()), max_size=3),
    st.integers(min_value=1, max_value=3),
)
def test_radar_statuses_equal_the_plain_twin(
    tmp_path_factory: pytest.TempPathFactory,
    studios: list[dict[str, Any]],
    collaborations: list[tuple[int, int]],
    alliances: list[tuple[list[int], bool]],
    weak_below: int,
) -> None:
    n = len(studios)
    records: list[Any] = [
        studio(
            f"s{i}",
            status=s["status"],
            **(
                {"inferred_segment_ids": tuple(s["segments"])}
                if s["inferred"]
                else {"segment_ids": tuple(s["segments"])}
            ),
        )
        for i, s in enumerate(studios)
    ]
    records += [
        Collaboration(studio_a=f"s{a % n}", studio_b=f"s{b % n}", year=2020)
        for a, b in collaborations
        if a % n != b % n
    ]
    records += [
        Alliance(
            id=f"al{k}",
            name="联",
            kind=AllianceKind.CHAIN,
            member_ids=tuple(f"s{m % n}" for m in members),
            status=AllianceStatus.FORMED if formed else AllianceStatus.PROPOSED,
        )
        for k, (members, formed) in enumerate(alliances)
    ]
    proj = projection(tmp_path_factory.mktemp("twin"), [*base(), *records])
    report = GapRadar(Suggester().fit(proj), proj, RadarSettings(weak_below=weak_below)).report(with_candidates=False)
    fast = {r.key: (r.status.value, r.studios) for r in report.rows}
    assert fast == radar_statuses(proj, weak_below)
