"""Who may do what: every role rule of the product, written once.

An :class:`Actor` is whoever acts — an API key, a console visitor signed in with one, or the operator
at the command line — with a name for the audit trail and a role with its scope (Articles 13–17):

- the **municipal union** (市总工会) may do everything;
- a **district or industry union** (区局（产业）工会) writes its own studios — creates, edits, delists
  them, records their leaders' changes, loads their rosters — and decides on alliances that hold
  one of them; it reads everything;
- a **studio** (工作室) edits its own expertise and needs, and reads.

Each check returns a bool or raises :class:`graph.errors.Forbidden` with a message in English and
Chinese; services call them before they validate or write anything.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from graph.errors import Forbidden, Problem
from graph.model import Alliance, ApiKey, Funding, LedgerEntry, Role, Studio
from graph.store import BaseStore, GraphBatch


@dataclass(frozen=True)
class Actor:
    """Who acts: ``name`` goes into the audit trail; ``role`` and its scope decide what is allowed."""

    name: str
    role: Role
    union_id: str | None = None
    studio_id: str | None = None
    key: ApiKey | None = None
    """The API key it acts with, when it acts with one."""

    @classmethod
    def of_key(cls, key: ApiKey) -> Actor:
        return cls(f"{key.name} ({key.id})", key.role, key.union_id, key.studio_id, key)

    @classmethod
    def operator(cls, name: str) -> Actor:
        """The person at the command line of the server: the municipal union's operator."""
        return cls(name, Role.MUNICIPAL)

    @property
    def is_municipal(self) -> bool:
        return self.role is Role.MUNICIPAL


def may_write_studio(actor: Actor, studio: Studio) -> bool:
    """Create, edit, delist a studio, record its leader's changes: its union or the municipal union."""
    return actor.is_municipal or (actor.role is Role.UNION and studio.union_id == actor.union_id)


def may_edit_profile(actor: Actor, studio: Studio) -> bool:
    """A studio's expertise and needs: the studio itself, its union, the municipal union."""
    return may_write_studio(actor, studio) or (actor.role is Role.STUDIO and actor.studio_id == studio.id)


def may_decide(actor: Actor, members: Iterable[Studio]) -> bool:
    """Accept, reject or dissolve an alliance: the municipal union, or a union with a member."""
    return actor.is_municipal or (actor.role is Role.UNION and any(may_write_studio(actor, s) for s in members))


def require(allowed: bool, message: str) -> None:
    """Raise :class:`Forbidden` with ``message`` (``English / 中文``) unless ``allowed``."""
    if not allowed:
        raise Forbidden(message)


def require_municipal(actor: Actor) -> None:
    require(actor.is_municipal, "only the municipal union may do this / 仅市总工会可以执行此操作")


def require_union_or_municipal(actor: Actor, what: str, what_zh: str) -> None:
    require(actor.role is not Role.STUDIO, f"a studio key may not {what} / 工作室密钥不能{what_zh}（请联系所属工会）")


def roster_scope_problems(actor: Actor, batch: GraphBatch, store: BaseStore) -> list[Problem]:
    """What a roster holds outside the actor's scope: a union loads only its own union's studios,
    and ledgers, funding and alliances about them. Nothing for the municipal union."""
    if actor.is_municipal:
        return []
    mine = actor.union_id
    studios: dict[str, Studio] = {s.key: s for s in batch.nodes.get("Studio", []) if isinstance(s, Studio)}
    problems = [
        Problem(f"studio {s.id} belongs to union {s.union_id}, not to this key's union {mine}",
                f"工作室 {s.name} 不属于本工会", value=s.name)
        for s in studios.values()
        if s.union_id != mine
    ]  # fmt: skip
    owned = [r for label in ("LedgerEntry", "Funding") for r in batch.nodes.get(label, [])]
    referred = {r.studio_id for r in owned if isinstance(r, LedgerEntry | Funding)} - set(studios)
    stored = store.get_many(Studio, sorted(referred)) if referred else {}
    union_of = {k: s.union_id for k, s in {**stored, **studios}.items()}
    for r in owned:
        if isinstance(r, LedgerEntry | Funding) and union_of.get(r.studio_id) != mine:
            problems.append(Problem(f"{r.label} {r.id} is about studio {r.studio_id} of another union",
                                    f"记录 {r.id} 属于其他工会的工作室", value=r.studio_id))  # fmt: skip
    for a in batch.nodes.get("Alliance", []):
        if not isinstance(a, Alliance):
            continue
        members = {**store.get_many(Studio, [m for m in a.member_ids if m not in studios]), **studios}
        if not any(members.get(m) is not None and members[m].union_id == mine for m in a.member_ids):
            problems.append(Problem(f"alliance {a.id} has no studio of this key's union",
                                    f"联盟 {a.name} 不含本工会的工作室", value=a.name))  # fmt: skip
    return problems
