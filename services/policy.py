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

The writes the doors offer are :class:`Permission` s, one per job (the table at the end of this
module): the roles that may ever do it and, for a job on one stored record, the rule on that record.
A door declares one on each write route and checks it from the actor and the record its path names
before it reads anything sent with the request; the service checks the same permission again (the
command line calls services with no door in front).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
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
    MUNICIPAL_ONLY.check(actor)


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


# -- the permissions the doors declare on their writes ----------------------------------------------
EVERY_ROLE = frozenset(Role)
UNIONS = frozenset({Role.MUNICIPAL, Role.UNION})
"""The municipal union and the district and industry unions."""
MUNICIPAL = frozenset({Role.MUNICIPAL})
_ROLE_ZH = {Role.MUNICIPAL: "市总工会", Role.UNION: "工会", Role.STUDIO: "工作室"}

Scope = Callable[[Actor, BaseStore, str], bool]
"""A rule on one stored record, given its id: reads the record (:class:`graph.errors.NotFound` when
there is none) and says whether the actor may act on it."""


def writes_studio(actor: Actor, store: BaseStore, studio_id: str) -> bool:
    return may_write_studio(actor, store.get(Studio, studio_id))


def edits_profile(actor: Actor, store: BaseStore, studio_id: str) -> bool:
    return may_edit_profile(actor, store.get(Studio, studio_id))


def decides_alliance(actor: Actor, store: BaseStore, alliance_id: str) -> bool:
    members = store.get(Alliance, alliance_id).member_ids
    return may_decide(actor, store.get_many(Studio, list(members)).values())


@dataclass(frozen=True)
class Permission:
    """One job a door lets an actor do, decided from the actor and the id of the record it is about
    alone: ``roles`` that may ever do it, and ``scope``, the rule on that record (``None`` when the
    job is about no one stored record, or when what it is about is only known from what was sent:
    a new studio's union, a roster's studios — the service decides those after reading)."""

    what: str
    what_zh: str
    roles: frozenset[Role]
    scope: Scope | None = None

    def denial(self, actor: Actor, store: BaseStore | None = None, key: str | None = None) -> str | None:
        """Why ``actor`` may not do this to the record ``key`` (``English / 中文``), or ``None``.
        A scoped permission reads the record from ``store`` once the role allows it."""
        subject = f"{self.what} {key}" if key is not None else self.what
        if actor.role not in self.roles:
            if self.roles == MUNICIPAL:
                return f"only the municipal union may {subject} / 仅市总工会可以{self.what_zh}"
            return f"a {actor.role.value} key may not {subject} / {_ROLE_ZH[actor.role]}密钥不能{self.what_zh}"
        if self.scope is None:
            return None
        if store is None or key is None:
            raise TypeError(f"the permission to {self.what} is about one record: give the store and its id")
        return None if self.scope(actor, store, key) else f"this key may not {subject} / 该密钥无权{self.what_zh}"

    def check(self, actor: Actor, store: BaseStore | None = None, key: str | None = None) -> None:
        """Raise :class:`Forbidden` unless ``actor`` may do this (to the record ``key``)."""
        why = self.denial(actor, store, key)
        if why is not None:
            raise Forbidden(why)


MUNICIPAL_ONLY = Permission("do this", "执行此操作", MUNICIPAL)
STUDIO_CREATE = Permission("create studios", "新建工作室", UNIONS)
"""The new studio's union is in what was sent: the service checks it is the actor's own."""
STUDIO_PROFILE = Permission("edit studio", "修改此工作室", EVERY_ROLE, edits_profile)
"""A studio's expertise and needs (any other field: :data:`STUDIO_EDIT`)."""
STUDIO_EDIT = Permission("edit the name, district or members of studio", "修改此工作室的名称、区域或人数", UNIONS,
                         writes_studio)  # fmt: skip
STUDIO_DELIST = Permission("delist studio", "摘牌此工作室", UNIONS, writes_studio)
LEADER_CHANGE = Permission("change the leader of studio", "登记此工作室的领衔人变动", UNIONS, writes_studio)
ALLIANCE_PROPOSE = Permission("propose alliances", "生成联盟建议", MUNICIPAL)
ALLIANCE_DECIDE = Permission("decide on alliance", "审核此联盟（市总工会或有成员工作室的工会方可）", UNIONS,
                             decides_alliance)  # fmt: skip
WHAT_IF = Permission("try a what-if", "进行推演", EVERY_ROLE)
"""Writes nothing: every key may."""
ASSESSMENT_APPLY = Permission("apply the yearly assessment", "执行年度考核", MUNICIPAL)
ROSTER_LOAD = Permission("load rosters", "导入名单", UNIONS)
"""Which studios a roster holds is in the files: the service refuses those of other unions row by row."""
ACCOUNTS = Permission("manage accounts and keys", "管理账户和密钥", MUNICIPAL)
OWN_ACCOUNT = Permission("sign out or change the own password", "退出登录或修改自己的密码", EVERY_ROLE)
