"""Recording what happened to a studio's leader (领衔人): a death, a retirement or a departure with
its year, or a new leader. Article 9 acts on it at once: from that write on, matching leaves out
every studio the leader led (:mod:`graph.exclusion`), and the next yearly assessment delists them
unless a new leader is recorded.

Each change is written together with its :class:`AuditEntry`, all or nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import Conflict, Problem, ValidationError
from .labels import WORKER_STATUS_ZH
from .model import AuditEntry, ModelWorker, Studio, WorkerStatus, this_year
from .store import BaseStore


@dataclass(frozen=True)
class LeaderChange:
    """What a change wrote: the leader record and every studio it leads (matching leaves out, or
    takes back, all of them)."""

    leader: ModelWorker
    studio_ids: tuple[str, ...]
    audit: AuditEntry


def _studio_and_leader(store: BaseStore, studio_id: str) -> tuple[Studio, ModelWorker | None]:
    studio = store.get(Studio, studio_id)
    leaders = store.get_many(ModelWorker, [studio.leader_id]) if studio.leader_id else {}
    return studio, leaders.get(studio.leader_id or "")


def _led_by(store: BaseStore, worker_id: str, studio: Studio) -> tuple[str, ...]:
    """Every studio ``worker_id`` leads (a leader may lead more than one): the leader's neighbourhood."""
    around = store.neighbourhood(ModelWorker, worker_id, depth=1)
    ids = {ref.key for _, ref in around.nodes if ref.label == "Studio"}
    return tuple(sorted(ids | {studio.id}))


def record_leader_status(
    store: BaseStore,
    studio_id: str,
    status: WorkerStatus,
    year: int | None,
    *,
    actor: str,
    note: str = "",
) -> LeaderChange:
    """Record that the leader of ``studio_id`` died, retired or left in ``year`` (or is serving again:
    ``status`` serving clears the year). Raises :class:`NotFound` for an unknown studio,
    :class:`Conflict` when the studio has no recorded leader or the record says so already, and
    :class:`ValidationError` for a year in the future of a death or departure."""
    studio, leader = _studio_and_leader(store, studio_id)
    if leader is None:
        raise Conflict(
            f"studio {studio_id} has no recorded leader: record a new leader instead / "
            "该工作室未登记领衔人，请登记新的领衔人"
        )
    if status is WorkerStatus.SERVING:
        year = None
    elif year is not None and (year < 1949 or year > this_year() + (1 if status is WorkerStatus.RETIRED else 0)):
        raise ValidationError(
            Problem(
                f"year {year} is not possible for this change (a death or departure is not in the future)",
                f"年份 {year} 不合理（去世或离职不能晚于今年，退休最晚为明年）",
                column="year",
                value=year,
            )
        )
    if leader.status is status and leader.status_year == year:
        zh = WORKER_STATUS_ZH[status]
        raise Conflict(f"{leader.name} is recorded as {status.value} already / 领衔人{leader.name}已登记为{zh}")
    updated = leader.model_copy(update={"status": status, "status_year": year})
    when = f"{year} 年" if year else ""
    text = f"领衔人{leader.name}：{WORKER_STATUS_ZH[leader.status]} → {when}{WORKER_STATUS_ZH[status]}"
    audit = AuditEntry.of(actor, "leader.status", "Studio", studio.id, (text + (f"；{note}" if note else ""))[:2000])
    store.write([ModelWorker.model_validate(updated.model_dump()), audit])
    return LeaderChange(updated, _led_by(store, leader.id, studio), audit)


def appoint_leader(
    store: BaseStore, studio_id: str, leader: ModelWorker, *, actor: str, note: str = ""
) -> LeaderChange:
    """Record ``leader`` as the new leader of ``studio_id`` (the studio takes part in matching again
    if its leader was all that kept it out). The earlier leader's record is kept as it was.
    Raises :class:`NotFound` for an unknown studio and :class:`Conflict` when ``leader`` leads it
    already or is not serving."""
    studio, before = _studio_and_leader(store, studio_id)
    if studio.leader_id == leader.id:
        raise Conflict(f"{leader.name} leads this studio already / {leader.name}已是该工作室的领衔人")
    if leader.status is not WorkerStatus.SERVING:
        raise Conflict(f"a new leader must be serving / 新的领衔人须为在职 (not {leader.status.value})")
    stored = store.get_many(ModelWorker, [leader.id]).get(leader.id)
    merged = leader if stored is None else stored.model_copy(
        update={"honours": tuple(dict.fromkeys((*stored.honours, *leader.honours))), "name": leader.name}
    )  # fmt: skip
    if merged.status is not WorkerStatus.SERVING:
        raise Conflict(f"{merged.name} is recorded as {merged.status.value} / {merged.name}已登记为"
                       f"{WORKER_STATUS_ZH[merged.status]}")  # fmt: skip
    was = before.name if before else "未登记"
    audit = AuditEntry.of(
        actor,
        "leader.appoint",
        "Studio",
        studio.id,
        (f"领衔人：{was} → {merged.name}" + (f"；{note}" if note else ""))[:2000],
    )
    store.write([ModelWorker.model_validate(merged.model_dump()), studio.model_copy(update={"leader_id": merged.id}),
                 audit])  # fmt: skip
    return LeaderChange(merged, (studio.id,), audit)
