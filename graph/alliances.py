"""An alliance's life: proposals saved, then accepted, rejected or dissolved, each step recorded.

``proposed`` → ``formed`` (accept) or ``rejected`` (reject); ``formed`` → ``dissolved`` (dissolve).
Every step writes the alliance and an :class:`graph.model.AllianceEvent` (who, what, when) in one
write; a step the status does not allow is a :class:`graph.errors.Conflict`. Delisted studios
leave live alliances inside :meth:`graph.store.BaseStore.write` itself, so no path skips it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .errors import Conflict
from .model import Alliance, AllianceAction, AllianceEvent, AllianceStatus, Record, now, this_year
from .store import BaseStore, event_id

TRANSITIONS: dict[AllianceAction, tuple[AllianceStatus, AllianceStatus]] = {
    AllianceAction.ACCEPTED: (AllianceStatus.PROPOSED, AllianceStatus.FORMED),
    AllianceAction.REJECTED: (AllianceStatus.PROPOSED, AllianceStatus.REJECTED),
    AllianceAction.DISSOLVED: (AllianceStatus.FORMED, AllianceStatus.DISSOLVED),
}
"""Decision → (the status it needs, the status it leaves)."""


@dataclass(frozen=True)
class SavedProposals:
    """What :func:`save_proposals` did: ids written, and ids left alone because they exist."""

    created: tuple[str, ...]
    existing: tuple[str, ...]


def save_proposals(
    store: BaseStore,
    proposals: Iterable[Alliance],
    *,
    actor: str,
    dry_run: bool = False,
    also: Callable[[tuple[str, ...]], Iterable[Record]] | None = None,
) -> SavedProposals:
    """Store computed proposals as ``proposed`` alliances, each with a ``proposed`` event.

    A proposal whose id is stored already (the same members proposed before, whatever became of
    it) is left as it is, so running the proposer twice changes nothing and never revives a
    rejected alliance. ``also(created ids)`` gives records written in the same write (the audit
    entry), when something is created.
    """
    wanted = {p.id: p for p in proposals}
    stored = store.get_many(Alliance, list(wanted))
    new = [p.model_copy(update={"status": AllianceStatus.PROPOSED}) for k, p in wanted.items() if k not in stored]
    at = now()
    events = [
        AllianceEvent(
            id=event_id(p.id, AllianceAction.PROPOSED, at),
            alliance_id=p.id,
            action=AllianceAction.PROPOSED,
            actor=actor,
            at=at,
            note=f"{len(p.member_ids)} 家工作室",
        )
        for p in new
    ]
    created = tuple(p.id for p in new)
    if new:
        store.write([*new, *events, *(also(created) if also else ())], dry_run=dry_run)
    return SavedProposals(created, tuple(sorted(stored)))


def decide(
    store: BaseStore,
    alliance_id: str,
    action: AllianceAction | str,
    *,
    actor: str,
    note: str = "",
    also: Iterable[Record] = (),
) -> Alliance:
    """Accept, reject or dissolve an alliance; returns it as stored afterwards. ``also`` are records
    written in the same write (the audit entry).

    Raises :class:`graph.errors.NotFound` for an unknown id and :class:`graph.errors.Conflict`
    when its status does not allow the step (accepting a rejected alliance, dissolving a proposal).
    """
    action = AllianceAction(action)
    if action not in TRANSITIONS:
        raise ValueError(f"{action.value} is not a decision; choose one of {[a.value for a in TRANSITIONS]}")
    alliance = store.get(Alliance, alliance_id)
    needed, after = TRANSITIONS[action]
    if alliance.status is not needed:
        raise Conflict(
            f"alliance {alliance_id} is {alliance.status.value}; only a {needed.value} alliance can be {action.value}"
        )
    if after is AllianceStatus.FORMED and len(alliance.member_ids) < 2:
        raise Conflict(f"alliance {alliance_id} has fewer than two live members and cannot be formed")
    update: dict[str, object] = {"status": after}
    if after is AllianceStatus.FORMED and alliance.founded_year is None:
        update["founded_year"] = this_year()
    updated = Alliance.model_validate({**alliance.model_dump(), **update})
    at = now()
    event = AllianceEvent(
        id=event_id(alliance_id, action, at),
        alliance_id=alliance_id,
        action=action,
        actor=actor,
        at=at,
        note=note.strip(),
    )
    store.write([updated, event, *also])
    return updated


def history(store: BaseStore, alliance_id: str) -> list[AllianceEvent]:
    """The alliance's events, oldest first."""
    graph = store.neighbourhood(Alliance, alliance_id, depth=1, limit=10_000)
    keys = [ref.key for _, ref in graph.nodes if ref.label == AllianceEvent.label]
    events = store.get_many(AllianceEvent, keys)
    return sorted(events.values(), key=lambda e: (e.at, e.id))
