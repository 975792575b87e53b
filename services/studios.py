"""Studios: create, edit, delist (摘牌, Article 9), and what happens to their leaders (领衔人).

Every job checks the actor first (:mod:`services.policy`), then validates, then writes the change and
its :class:`AuditEntry` in one all-or-nothing write. A studio delisted leaves its live alliances in
that same write (:meth:`graph.store.BaseStore.write` does it for every path).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError as PydanticError

from graph.errors import Conflict, Invalid, Problem, ValidationError
from graph.exclusion import Exclusion, exclusion_of, leader_exclusion
from graph.labels import WORKER_STATUS_ZH
from graph.model import (
    Alliance,
    AuditEntry,
    Employer,
    ModelWorker,
    Studio,
    StudioStatus,
    WorkerStatus,
    this_year,
)
from graph.store import BaseStore

from .policy import (
    LEADER_CHANGE,
    STUDIO_CREATE,
    STUDIO_DELIST,
    STUDIO_EDIT,
    STUDIO_PROFILE,
    Actor,
    may_write_studio,
    require,
)

PROFILE_FIELDS = frozenset({"expertise", "needs"})
"""What a studio may change about itself."""


def studio_from(data: dict[str, Any]) -> Studio:
    """A studio record from fields a person gave; invalid fields are one :class:`ValidationError`
    naming each (nothing is written)."""
    try:
        return Studio.model_validate(data)
    except PydanticError as exc:
        raise ValidationError([
            Problem(f"{e['msg']}", f"字段 {'.'.join(str(p) for p in e['loc']) or '工作室'} 无效：{e['msg']}",
                    column=".".join(str(p) for p in e["loc"]) or None, value=_plain(e.get("input")))
            for e in exc.errors()
        ]) from None  # fmt: skip


def _plain(value: Any) -> Any:
    return value if isinstance(value, str | int | float | bool | type(None)) else str(value)


def _audit(actor: Actor, action: str, studio_id: str, note: str = "") -> AuditEntry:
    return AuditEntry.of(actor.name, action, "Studio", studio_id, note[:2000])


def create_studio(store: BaseStore, actor: Actor, studio: Studio) -> Studio:
    """Create ``studio`` (a union: of its own union only); a studio id that exists is a conflict."""
    STUDIO_CREATE.check(actor)
    require(may_write_studio(actor, studio), "a union creates studios of its own union only / 只能新建本工会的工作室")
    if store.get_many(Studio, [studio.id]):
        raise Conflict(f"studio {studio.id} exists already / 工作室编号已存在")
    store.write([studio, _audit(actor, "studio.create", studio.id, studio.name)])
    return studio


def update_studio(store: BaseStore, actor: Actor, studio_id: str, changes: dict[str, Any]) -> Studio:
    """Change some fields of a studio: its expertise and needs (the studio itself, its union, the
    municipal union), or anything else (its union, the municipal union)."""
    (STUDIO_PROFILE if set(changes) <= PROFILE_FIELDS else STUDIO_EDIT).check(actor, store, studio_id)
    studio = store.get(Studio, studio_id)
    updated = studio_from({**studio.model_dump(), **changes})
    store.write([updated, _audit(actor, "studio.update", studio_id, "、".join(sorted(changes)))])
    return updated


@dataclass(frozen=True)
class Delisting:
    studio: Studio
    left_alliances: tuple[str, ...]
    """The live alliances the studio was a member of, and left."""
    exclusion: Exclusion | None


def delist_studio(store: BaseStore, actor: Actor, studio_id: str, reason: str) -> Delisting:
    """Delist a studio (摘牌, Article 9) with a reason: its union or the municipal union; a studio
    delisted already is a conflict."""
    STUDIO_DELIST.check(actor, store, studio_id)
    studio = store.get(Studio, studio_id)
    if studio.status is StudioStatus.DELISTED:
        raise Conflict(f"studio {studio_id} is delisted already / 该工作室已摘牌")
    if not reason.strip():
        raise Invalid("say why the studio is delisted / 请填写摘牌理由")
    near = store.neighbourhood(Studio, studio_id, depth=1, limit=5000)
    live = store.get_many(Alliance, [n.key for _, n in near.nodes if n.label == "Alliance"])
    left = tuple(sorted(a.id for a in live.values() if a.is_live and studio_id in a.member_ids))
    delisted = studio.delisted(reason)
    store.write([delisted, _audit(actor, "studio.delist", studio_id, reason)])
    return Delisting(delisted, left, exclusion_of(delisted, None, this_year()))


# -- leaders (领衔人), Article 9 -----------------------------------------------------------------------
@dataclass(frozen=True)
class LeaderChange:
    """What a leader change wrote: the leader record, every studio it leads (matching leaves out, or
    takes back, all of them), why they are left out now (or None), and the audit entry."""

    leader: ModelWorker
    studio_ids: tuple[str, ...]
    exclusion: Exclusion | None
    audit: AuditEntry


def _studio_and_leader(store: BaseStore, actor: Actor, studio_id: str) -> tuple[Studio, ModelWorker | None]:
    LEADER_CHANGE.check(actor, store, studio_id)
    studio = store.get(Studio, studio_id)
    leaders = store.get_many(ModelWorker, [studio.leader_id]) if studio.leader_id else {}
    return studio, leaders.get(studio.leader_id or "")


def _led_by(store: BaseStore, worker_id: str, studio: Studio) -> tuple[str, ...]:
    """Every studio ``worker_id`` leads (a leader may lead more than one): the leader's neighbourhood."""
    around = store.neighbourhood(ModelWorker, worker_id, depth=1)
    return tuple(sorted({ref.key for _, ref in around.nodes if ref.label == "Studio"} | {studio.id}))


def record_leader_status(
    store: BaseStore, actor: Actor, studio_id: str, status: WorkerStatus, year: int | None, *, note: str = ""
) -> LeaderChange:
    """Record that the leader of ``studio_id`` died, retired or left in ``year`` (or serves again:
    ``serving`` clears the year). Article 9 acts on it at once: every studio the leader leads takes
    no part in matching from then on. A studio with no recorded leader, or a record that says so
    already, is a conflict; a death or departure in the future is invalid."""
    studio, leader = _studio_and_leader(store, actor, studio_id)
    if leader is None:
        raise Conflict(f"studio {studio_id} has no recorded leader: record a new leader instead / "
                       "该工作室未登记领衔人，请登记新的领衔人")  # fmt: skip
    if status is WorkerStatus.SERVING:
        year = None
    elif year is not None and not 1949 <= year <= this_year() + (1 if status is WorkerStatus.RETIRED else 0):
        raise ValidationError(Problem(
            f"year {year} is not possible for this change (a death or departure is not in the future)",
            f"年份 {year} 不合理（去世或离职不能晚于今年，退休最晚为明年）", column="year", value=year))  # fmt: skip
    if leader.status is status and leader.status_year == year:
        zh = WORKER_STATUS_ZH[status]
        raise Conflict(f"{leader.name} is recorded as {status.value} already / 领衔人{leader.name}已登记为{zh}")
    updated = ModelWorker.model_validate({**leader.model_dump(), "status": status, "status_year": year})
    when = f"{year} 年" if year else ""
    text = f"领衔人{leader.name}：{WORKER_STATUS_ZH[leader.status]} → {when}{WORKER_STATUS_ZH[status]}"
    audit = _audit(actor, "leader.status", studio.id, text + (f"；{note}" if note else ""))
    store.write([updated, audit])
    return LeaderChange(updated, _led_by(store, leader.id, studio), leader_exclusion(updated, this_year()), audit)


def appoint_leader(
    store: BaseStore, actor: Actor, studio_id: str, name: str, honours: tuple[str, ...] = (), *, note: str = ""
) -> LeaderChange:
    """Record ``name`` as the new, serving leader of ``studio_id`` (the studio takes part in matching
    again if its leader was all that kept it out); the earlier leader's record is kept as it was.
    The leader's id is derived as a roster's would be (name and employer), so that next year's list
    names the same person."""
    from ingest.roster import derive_id
    from ingest.text import fold

    studio, before = _studio_and_leader(store, actor, studio_id)
    name = fold(name)
    if not name:
        raise Invalid("give the new leader's name / 请填写新的领衔人姓名")
    employer = store.get_many(Employer, [studio.employer_id or ""]).get(studio.employer_id or "")
    worker_id = derive_id("mw", name, employer.name if employer else "")
    if studio.leader_id == worker_id:
        raise Conflict(f"{name} leads this studio already / {name}已是该工作室的领衔人")
    stored = store.get_many(ModelWorker, [worker_id]).get(worker_id)
    if stored is not None and stored.status is not WorkerStatus.SERVING:
        raise Conflict(f"{name} is recorded as {stored.status.value} / {name}已登记为{WORKER_STATUS_ZH[stored.status]}")
    honours = tuple(dict.fromkeys((*(stored.honours if stored else ()), *(fold(h) for h in honours if fold(h)))))
    merged = (ModelWorker(id=worker_id, name=name, honours=honours) if stored is None
              else ModelWorker.model_validate({**stored.model_dump(), "name": name, "honours": honours}))  # fmt: skip
    was = before.name if before else "未登记"
    audit = _audit(actor, "leader.appoint", studio.id, f"领衔人：{was} → {name}" + (f"；{note}" if note else ""))
    store.write([merged, studio.model_copy(update={"leader_id": worker_id}), audit])
    return LeaderChange(merged, (studio.id,), None, audit)
