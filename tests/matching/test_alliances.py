"""Alliance proposals: the right teams on small graphs, a brute-force twin for chain coverage,
limits, determinism, and never a delisted studio."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.file_store import FileStore
from graph.model import AllianceKind, Project, StudioLevel, StudioStatus
from ingest import synthetic
from ingest.pipeline import ingest
from matching.alliances import AllianceFormer, Limits, parse_needs
from matching.suggest import Suggester

from .worlds import base, projection, studio


def _former(tmp_path: Path, extra: list[Any], **kwargs: object) -> AllianceFormer:
    proj = projection(tmp_path, [*base(), *extra])
    return AllianceFormer(Suggester().fit(proj), proj, **kwargs)  # type: ignore[arg-type]


def test_a_project_needing_three_segments_gets_the_smallest_team(tmp_path: Path) -> None:
    former = _former(
        tmp_path,
        [
            studio("both", segment_ids=("c/a", "c/b"), employer_id="e1"),
            studio("a-only", segment_ids=("c/a",), employer_id="e2", leader_id="w-national"),
            studio("b-only", segment_ids=("c/b",), employer_id="e3"),
            studio("c-only", segment_ids=("c/c",), employer_id="e4"),
            Project(
                id="p", name="三环节攻关", chain_id="c", segment_ids=("c/a", "c/b", "c/c"), capabilities="焊接机器人"
            ),
        ],
    )
    p = former.project_team("p")
    assert p is not None
    assert p.members == ("both", "c-only")
    assert p.covered == ("c/a", "c/b", "c/c")
    assert p.uncovered == ("能力:焊接机器人",)
    assert p.score == 0.75 and p.kind is AllianceKind.PROJECT and p.project_id == "p"
    assert any("焊接机器人" in r for r in p.reasons)


def test_a_studio_already_on_the_project_is_preferred_and_leads(tmp_path: Path) -> None:
    former = _former(
        tmp_path,
        [
            Project(id="p", name="攻关", segment_ids=("c/a", "c/b")),
            studio("a1", segment_ids=("c/a",), employer_id="e1", leader_id="w-national"),
            studio("a2", segment_ids=("c/a",), employer_id="e2", project_ids=("p",)),
            studio("b1", segment_ids=("c/b",), employer_id="e3"),
        ],
    )
    p = former.project_team("p")
    assert p is not None and p.members == ("a2", "b1") and p.lead == "a2"


def test_a_chain_alliance_covers_every_segment_that_has_a_studio_and_names_the_rest(tmp_path: Path) -> None:
    former = _former(
        tmp_path,
        [
            studio("a1", segment_ids=("c/a",), employer_id="e1"),
            studio("a2", segment_ids=("c/a",), employer_id="e2", leader_id="w-national"),
            studio("b1", segment_ids=("c/b",), employer_id="e3", expertise="刻蚀工艺", needs="硅片材料"),
            studio("c1", segment_ids=("c/c",), employer_id="e4"),
            studio("gone", segment_ids=("c/d",), status=StudioStatus.DELISTED),
        ],
    )
    p = former.chain_team("c")
    assert p is not None
    assert set(p.covered) == {"c/a", "c/b", "c/c"} and p.uncovered == ("c/d",)
    assert len(p.members) == 3 and "gone" not in p.members
    assert p.lead == "a2"  # the national model worker leads (Article 7)
    assert p.score == 0.75


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.lists(st.sampled_from(["c/a", "c/b", "c/c", "c/d"]), min_size=1, max_size=3, unique=True),
        min_size=1,
        max_size=7,
    ),
    st.integers(min_value=2, max_value=4),
)
def test_chain_coverage_is_at_least_1_minus_1_over_e_of_the_best_team(
    tmp_path_factory: pytest.TempPathFactory, segment_sets: list[list[str]], budget: int
) -> None:
    studios = [studio(f"s{i}", segment_ids=tuple(s), employer_id=f"e{i % 4 + 1}") for i, s in enumerate(segment_sets)]
    limits = Limits(min_size=2, max_size=budget)
    former = _former(tmp_path_factory.mktemp("w"), studios, limits=limits)
    # the brute-force twin: the most segments any team of `budget` studios covers
    size = min(budget, len(segment_sets))
    best = max(
        len(set().union(*(segment_sets[i] for i in team)))
        for team in itertools.combinations(range(len(segment_sets)), size)
    )
    p = former.chain_team("c")
    assert p is not None and len(p.members) <= budget
    assert len(p.covered) >= (1 - 1 / 2.718281828) * best
    if budget >= 4:  # one studio per segment is always enough to cover all there is
        assert set(p.covered) == set().union(*segment_sets)


def _synthetic_store(tmp_path: Path, n: int, seed: int = 7) -> FileStore:
    roster = synthetic.generate(n, seed=seed)
    path = tmp_path / "roster.xlsx"
    synthetic.write_xlsx(roster, path)
    store = FileStore(tmp_path / "graph.json")
    assert ingest([path], store).ok
    return store


@pytest.fixture(scope="module")
def synthetic_projection(tmp_path_factory: pytest.TempPathFactory) -> object:
    store = _synthetic_store(tmp_path_factory.mktemp("syn"), 600)
    # delist a tenth of the studios, so that the rule is tested where it matters
    for s in store.list_studios()[::10]:
        store.delist(s.id, "测试")
    return store.projection()


def test_proposals_are_deterministic_bounded_and_never_include_delisted_studios(synthetic_projection: object) -> None:
    proj = synthetic_projection
    limits = Limits(min_size=5, max_size=12)
    first = AllianceFormer(Suggester().fit(proj), proj, limits=limits, seed=3).form()  # type: ignore[arg-type]
    again = AllianceFormer(Suggester().fit(proj), proj, limits=limits, seed=3).form()  # type: ignore[arg-type]
    assert [p.to_json() for p in first.proposals] == [p.to_json() for p in again.proposals]
    kinds = {p.kind for p in first.proposals}
    assert kinds == {AllianceKind.SAME_TRADE, AllianceKind.SAME_INDUSTRY, AllianceKind.CHAIN, AllianceKind.PROJECT}
    status = {s.id: s.status for s in proj.studios}  # type: ignore[attr-defined]
    assert sum(1 for s in status.values() if s is StudioStatus.DELISTED) >= 50
    for p in first.proposals:
        assert all(status[m] is StudioStatus.ACTIVE for m in p.members), p.name
        assert p.lead in p.members
        assert 0.0 <= p.score <= 1.0 and p.reasons
        if p.kind in (AllianceKind.SAME_TRADE, AllianceKind.SAME_INDUSTRY):
            assert 5 <= len(p.members) <= 12
    # one community per studio and kind
    for kind in (AllianceKind.SAME_TRADE, AllianceKind.SAME_INDUSTRY):
        members = [m for p in first.proposals if p.kind is kind for m in p.members]
        assert len(members) == len(set(members))


def test_same_trade_alliances_share_their_trade_and_lead_with_national_workers(synthetic_projection: object) -> None:
    proj = synthetic_projection
    suggester = Suggester().fit(proj)  # type: ignore[arg-type]
    former = AllianceFormer(suggester, proj)  # type: ignore[arg-type]
    studios = {s.id: s for s in proj.studios}  # type: ignore[attr-defined]
    workers = {w.id: w for w in proj.workers}  # type: ignore[attr-defined]
    proposals = former.communities(AllianceKind.SAME_TRADE)
    assert proposals
    for p in proposals:
        trade = p.details["group"]
        assert all(trade in (studios[m].trade_codes or studios[m].inferred_trade_codes) for m in p.members)
        national = [m for m in p.members if workers[studios[m].leader_id].honour_level.value == "national"]
        if national:
            assert p.lead in national


def test_limits_per_studio_and_per_alliance_hold(synthetic_projection: object) -> None:
    proj = synthetic_projection
    limits = Limits(max_per_studio=1, min_districts=2, min_employers=3)
    report = AllianceFormer(Suggester().fit(proj), proj, limits=limits).form()  # type: ignore[arg-type]
    load: dict[str, int] = {}
    for a in proj.alliances:  # type: ignore[attr-defined]
        if a.is_live:
            for m in a.member_ids:
                load[m] = load.get(m, 0) + 1
    for p in report.proposals:
        assert p.details["districts"] >= 2 and p.details["employers"] >= 3
        for m in p.members:
            load[m] = load.get(m, 0) + 1
    over = {m for m, n in load.items() if n > 1}
    stored_over = {m for a in proj.alliances if a.is_live for m in a.member_ids}  # type: ignore[attr-defined]
    assert over <= stored_over  # only studios the stored alliances already put over the limit
    assert not any(m in over for p in report.proposals for m in p.members)
    assert report.left_out


def test_formed_alliances_keep_their_members_out_unless_asked(tmp_path: Path) -> None:
    from graph.model import Alliance, AllianceStatus

    extra = [
        studio("a1", segment_ids=("c/a",), employer_id="e1"),
        studio("a2", segment_ids=("c/a",), employer_id="e2"),
        studio("b1", segment_ids=("c/b",), employer_id="e3"),
        Alliance(
            id="old",
            name="旧联盟",
            kind=AllianceKind.CHAIN,
            status=AllianceStatus.FORMED,
            chain_id="c",
            member_ids=("a1", "b1"),
        ),
    ]
    p = _former(tmp_path / "x", extra).chain_team("c")
    assert p is not None and p.members == ("a2",)
    q = _former(tmp_path / "y", extra, include_allied=True).chain_team("c")
    assert q is not None and "b1" in q.members


def test_parse_needs_reads_trades_and_capabilities() -> None:
    assert parse_needs("需要车工、焊工等工种；航天、表面处理等能力") == (["车工", "焊工"], ["航天", "表面处理"])
    assert parse_needs("焊接机器人编程，缺陷检测以及封装可靠性") == ([], ["焊接机器人编程", "缺陷检测", "封装可靠性"])
    assert parse_needs("") == ([], [])


def test_limits_reject_impossible_bounds() -> None:
    with pytest.raises(ValueError, match="min_size"):
        Limits(min_size=10, max_size=5)
    with pytest.raises(ValueError, match="min_size"):
        Limits(min_size=1)


def test_proposal_ids_are_stable_and_become_proposed_alliances(tmp_path: Path) -> None:
    former = _former(
        tmp_path,
        [
            studio("a1", segment_ids=("c/a",), employer_id="e1", level=StudioLevel.MUNICIPAL),
            studio("b1", segment_ids=("c/b",), employer_id="e2"),
        ],
    )
    p = former.chain_team("c")
    assert p is not None
    alliance = p.to_alliance()
    assert alliance.id == p.id == former.chain_team("c").id  # type: ignore[union-attr]
    assert alliance.status.value == "proposed" and alliance.member_ids == ("a1", "b1")
    assert alliance.uncovered == ("c/c", "c/d") and alliance.lead_studio_id == "a1"
