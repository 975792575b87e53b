"""Article 9 in matching: which studios are never suggested, proposed, listed as a gap filler or
offered as a barrier-bridging partner, and why.

A studio is left out when it is delisted or flagged (its status), or when its leader is recorded as
deceased, left or retired in or before the year asked about — whatever its status field says, since
the yearly assessment that would delist it may not have been applied yet. A status recorded with no
year counts as now. A studio with no recorded leader, or a serving one, is not left out for its leader.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from .labels import WORKER_LEFT_VERB_ZH
from .model import ModelWorker, Studio, StudioStatus, WorkerStatus

if TYPE_CHECKING:
    from .store import BaseStore


class ExclusionCode(StrEnum):
    DELISTED = "delisted"
    FLAGGED = "flagged"
    LEADER_DECEASED = "leader-deceased"
    LEADER_RETIRED = "leader-retired"
    LEADER_LEFT = "leader-left"


_LEADER_CODES = {
    WorkerStatus.DECEASED: ExclusionCode.LEADER_DECEASED,
    WorkerStatus.RETIRED: ExclusionCode.LEADER_RETIRED,
    WorkerStatus.LEFT: ExclusionCode.LEADER_LEFT,
}


@dataclass(frozen=True)
class Exclusion:
    """Why a studio takes no part in matching (Article 9), in Chinese and English."""

    code: ExclusionCode
    reason: str
    reason_en: str

    def to_json(self) -> dict[str, Any]:
        return {"code": self.code.value, "reason": self.reason, "reason_en": self.reason_en}


def exclusion_of(studio: Studio, leader: ModelWorker | None, year: int) -> Exclusion | None:
    """Why ``studio`` is left out of matching as of ``year``, or ``None`` when it takes part.

    >>> from graph.model import Studio, ModelWorker, WorkerStatus
    >>> late = ModelWorker(id="w", name="王师傅", status=WorkerStatus.DECEASED, status_year=2024)
    >>> exclusion_of(Studio(id="s", name="王师傅工作室", leader_id="w"), late, 2025).code
    <ExclusionCode.LEADER_DECEASED: 'leader-deceased'>
    """
    if studio.status is StudioStatus.DELISTED:
        why = f"（{studio.status_reason}）" if studio.status_reason else ""
        return Exclusion(ExclusionCode.DELISTED, f"已摘牌{why}（第九条），不参与伙伴推荐与联盟组建",
                         f"delisted (Article 9){': ' + studio.status_reason if studio.status_reason else ''}; "
                         "never suggested or proposed")  # fmt: skip
    if studio.status is StudioStatus.FLAGGED:
        return Exclusion(ExclusionCode.FLAGGED, "年度考核警示整改中（第九条），整改期间不参与伙伴推荐与联盟组建",
                         "flagged at the yearly assessment (Article 9); left out until it is cleared")  # fmt: skip
    return None if leader is None else leader_exclusion(leader, year)


def leader_exclusion(leader: ModelWorker, year: int) -> Exclusion | None:
    """Why every studio ``leader`` leads is left out as of ``year`` (Article 9), or ``None``."""
    if leader.has_left_by(year):
        what = WORKER_LEFT_VERB_ZH[leader.status]
        when = f"于 {leader.status_year} 年" if leader.status_year else ""
        when_en = f" in {leader.status_year}" if leader.status_year else ""
        return Exclusion(
            _LEADER_CODES[leader.status],
            f"领衔人{leader.name}已{when}{what}（第九条：领衔劳模去世、离职或退休的工作室应予摘牌），"
            "不参与伙伴推荐与联盟组建；如已更换领衔人，请登记新的领衔人",
            f"its leader {leader.name} {_EN[leader.status]}{when_en} (Article 9: such a studio must be delisted); "
            "never suggested or proposed — record a new leader if there is one",
        )
    return None


_EN = {WorkerStatus.DECEASED: "died", WorkerStatus.RETIRED: "retired", WorkerStatus.LEFT: "left"}


def leaders_of(store: BaseStore, studios: Iterable[Studio]) -> dict[str, ModelWorker]:
    """The stored leaders of ``studios``, by worker id, read in one call."""
    return store.get_many(ModelWorker, sorted({s.leader_id for s in studios if s.leader_id}))


def exclusions_now(store: BaseStore, studios: Iterable[Studio], year: int) -> dict[str, Exclusion]:
    """Why each of ``studios`` is left out of matching as of ``year``, as the store's records stand
    (their leaders read in one call); studios that take part are not in the answer."""
    studios = list(studios)
    leaders = leaders_of(store, studios)
    out: dict[str, Exclusion] = {}
    for s in studios:
        why = exclusion_of(s, leaders.get(s.leader_id or ""), year)
        if why is not None:
            out[s.id] = why
    return out
