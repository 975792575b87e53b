"""Alliance lifecycle on both stores: decisions with history, and delisted studios leaving."""

from __future__ import annotations

import pytest

from graph.alliances import decide, history, save_proposals
from graph.errors import Conflict, NotFound
from graph.model import Alliance, AllianceAction, AllianceKind, AllianceStatus, Studio, StudioStatus, this_year
from graph.store import BaseStore

from .sample import records


@pytest.fixture
def loaded(store: BaseStore) -> BaseStore:
    store.write(records())
    return store


def test_accept_then_dissolve_records_who_and_when(loaded: BaseStore) -> None:
    formed = decide(loaded, "a2", "accepted", actor="市总工会·张三", note="同意组建")
    assert formed.status is AllianceStatus.FORMED
    assert formed.founded_year == this_year()
    assert loaded.get(Alliance, "a2") == formed
    dissolved = decide(loaded, "a2", AllianceAction.DISSOLVED, actor="市总工会·李四")
    assert dissolved.status is AllianceStatus.DISSOLVED
    steps = history(loaded, "a2")
    assert [(e.action, e.actor) for e in steps] == [
        (AllianceAction.ACCEPTED, "市总工会·张三"),
        (AllianceAction.DISSOLVED, "市总工会·李四"),
    ]
    assert steps[0].note == "同意组建"
    assert all(e.at.endswith("Z") for e in steps)


@pytest.mark.parametrize(
    ("alliance", "action"),
    [("a1", "accepted"), ("a1", "rejected"), ("a2", "dissolved")],
)
def test_a_step_the_status_does_not_allow_is_a_conflict_and_writes_nothing(
    loaded: BaseStore, alliance: str, action: str
) -> None:
    before, steps = loaded.get(Alliance, alliance), history(loaded, alliance)
    with pytest.raises(Conflict):
        decide(loaded, alliance, action, actor="x")
    assert loaded.get(Alliance, alliance) == before
    assert history(loaded, alliance) == steps


def test_unknown_alliance_is_not_found(loaded: BaseStore) -> None:
    with pytest.raises(NotFound):
        decide(loaded, "nope", "accepted", actor="x")


def test_a_delisted_studio_leaves_live_alliances_and_stays_in_history(loaded: BaseStore) -> None:
    loaded.delist("s3", "领衔人退休")
    assert loaded.get(Studio, "s3").delisted_year == this_year()
    chain = loaded.get(Alliance, "a1")
    assert chain.member_ids == ("s1", "s2")
    assert chain.former_member_ids == ("s3",)
    assert chain.status is AllianceStatus.FORMED
    project = loaded.get(Alliance, "a2")  # s1 and s3: one member left, so it is dissolved
    assert project.member_ids == ("s1",)
    assert project.status is AllianceStatus.DISSOLVED
    assert [e.action for e in history(loaded, "a1")] == [AllianceAction.ACCEPTED, AllianceAction.MEMBER_LEFT]
    for alliance_id in ("a1", "a2"):
        event = history(loaded, alliance_id)[-1]
        assert event.action is AllianceAction.MEMBER_LEFT
        assert event.actor == "system"
        assert event.studio_ids == ("s3",)
    # delisting again changes nothing more
    assert loaded.write([loaded.get(Studio, "s3")]).changed == 0


def test_the_lead_leaving_leaves_no_lead(loaded: BaseStore) -> None:
    loaded.delist("s1")
    chain = loaded.get(Alliance, "a1")
    assert chain.lead_studio_id is None
    assert chain.member_ids == ("s2", "s3")


def test_writing_a_live_alliance_with_a_delisted_member_keeps_it_out(loaded: BaseStore) -> None:
    assert loaded.get(Studio, "s4").status is StudioStatus.DELISTED
    alliance = Alliance(id="a9", name="测试联盟", kind=AllianceKind.SAME_TRADE, member_ids=("s1", "s3", "s4"))
    loaded.write([alliance])
    stored = loaded.get(Alliance, "a9")
    assert stored.member_ids == ("s1", "s3")
    assert stored.former_member_ids == ("s4",)


def test_saving_proposals_twice_changes_nothing_and_never_revives(loaded: BaseStore) -> None:
    proposal = Alliance(
        id="al-x", name="车工同工种联盟", kind=AllianceKind.SAME_TRADE, member_ids=("s1", "s3"), score=0.5
    )
    first = save_proposals(loaded, [proposal], actor="cli")
    assert first.created == ("al-x",)
    assert [e.action for e in history(loaded, "al-x")] == [AllianceAction.PROPOSED]
    decide(loaded, "al-x", "rejected", actor="cli")
    second = save_proposals(loaded, [proposal], actor="cli")
    assert second.created == () and second.existing == ("al-x",)
    assert loaded.get(Alliance, "al-x").status is AllianceStatus.REJECTED


def test_dry_run_proposals_write_nothing(loaded: BaseStore) -> None:
    proposal = Alliance(id="al-y", name="试", kind=AllianceKind.SAME_TRADE, member_ids=("s1", "s3"))
    save_proposals(loaded, [proposal], actor="cli", dry_run=True)
    with pytest.raises(NotFound):
        loaded.get(Alliance, "al-y")
