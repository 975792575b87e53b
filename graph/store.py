"""The store interface, :class:`BaseStore`, with the behaviour both stores share.

A store holds the studio graph. Two implementations behave identically (one contract test suite
runs against both): :class:`graph.neo4j_store.Neo4jStore`, the system of record, and
:class:`graph.file_store.FileStore`, the embedded default. The rest of the product types against
:class:`BaseStore` only.

Writes go through :meth:`BaseStore.write`, which takes a :class:`GraphBatch` of records of any
kinds and applies it all-or-nothing: references are checked first (every key a record points at
must be stored already or be part of the same batch), records equal to what is stored are skipped,
and the rest is written in one transaction, in bounded batches.
"""

from __future__ import annotations

import abc
import builtins
import hashlib
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

from .errors import DanglingReference, NotFound, Problem, ValidationError
from .model import (
    LINK_KINDS,
    NODE_KINDS,
    Alliance,
    AllianceAction,
    AllianceEvent,
    AllianceStatus,
    Chain,
    Collaboration,
    Employer,
    Funding,
    Industry,
    LedgerEntry,
    Link,
    ModelWorker,
    Node,
    Project,
    Record,
    Segment,
    Studio,
    StudioLevel,
    StudioStatus,
    Supplies,
    Trade,
    Union,
    now,
)
from .schema import LINK_SPECS, SPECS, LinkSpec, NodeSpec, Props

N = TypeVar("N", bound=Node)

DEFAULT_BATCH_SIZE = 5_000
"""Rows per ``UNWIND`` statement (Neo4j) and per applied chunk (FileStore)."""


@dataclass
class GraphBatch:
    """Records of any kinds to write together, all or nothing."""

    nodes: dict[str, list[Node]] = field(default_factory=lambda: defaultdict(list))
    links: dict[str, list[Link]] = field(default_factory=lambda: defaultdict(list))

    @classmethod
    def of(cls, records: Iterable[Record]) -> GraphBatch:
        batch = cls()
        batch.add(records)
        return batch

    def add(self, records: Iterable[Record]) -> GraphBatch:
        for record in records:
            if isinstance(record, Node):
                self.nodes[record.label].append(record)
            elif isinstance(record, Link):
                self.links[record.label].append(record)
            else:  # pragma: no cover - the type checker rules this out
                raise TypeError(f"not a record: {record!r}")
        return self

    def __len__(self) -> int:
        return sum(map(len, self.nodes.values())) + sum(map(len, self.links.values()))

    def deduplicated(self) -> GraphBatch:
        """The batch with exact repeats dropped; two different records with one key are an error."""
        out = GraphBatch()
        problems: list[Problem] = []
        for label, records in self.nodes.items():
            seen: dict[str, Node] = {}
            for record in records:
                earlier = seen.get(record.key)
                if earlier is None:
                    seen[record.key] = record
                elif earlier != record:
                    problems.append(
                        Problem(
                            f"two different {label} records with key {record.key!r} in one write",
                            f"同一次写入中有两条键为 {record.key!r} 的不同{label}记录",
                            value=record.key,
                        )
                    )
            out.nodes[label] = list(seen.values())
        for label, links in self.links.items():
            seen_links: dict[tuple[Any, ...], Link] = {}
            for link in links:
                prior = seen_links.get(link.identity)
                if prior is None:
                    seen_links[link.identity] = link
                elif prior != link:
                    problems.append(
                        Problem(
                            f"two different {label} records for {link.identity} in one write",
                            f"同一次写入中 {link.identity} 有两条不同的{label}记录",
                        )
                    )
            out.links[label] = list(seen_links.values())
        if problems:
            raise ValidationError(problems)
        return out


@dataclass(frozen=True)
class KindSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass(frozen=True)
class WriteSummary:
    """What a write did, per kind (label or relationship type)."""

    kinds: dict[str, KindSummary]

    @property
    def changed(self) -> int:
        return sum(k.created + k.updated for k in self.kinds.values())


@dataclass(frozen=True)
class StudioFilter:
    """Filters for :meth:`BaseStore.list_studios`; ``None`` means "any".

    ``industry`` matches the given GB/T 4754 code and every code below it (a division matches its
    classes); ``chain`` matches studios working in any segment of the chain; ``name`` is a substring.
    """

    union: str | None = None
    district: str | None = None
    trade: str | None = None
    industry: str | None = None
    segment: str | None = None
    chain: str | None = None
    status: StudioStatus | None = None
    level: StudioLevel | None = None
    name: str | None = None


@dataclass(frozen=True, order=True)
class NodeRef:
    label: str
    key: str
    name: str = ""


@dataclass(frozen=True, order=True)
class RelRef:
    start: tuple[str, str]
    type: str
    end: tuple[str, str]
    props: tuple[tuple[str, Any], ...] = ()


@dataclass(frozen=True)
class Subgraph:
    """A node's neighbourhood: nodes sorted by (hops, label, key), relationships among them sorted."""

    center: NodeRef
    nodes: tuple[tuple[int, NodeRef], ...]
    relationships: tuple[RelRef, ...]
    truncated: bool


@dataclass(frozen=True)
class Projection:
    """Everything matching needs, read in one call: every record of every kind, sorted by key.

    It is the product's analogue of a Neo4j GDS graph projection: matching turns it into arrays,
    sparse matrices and networkx graphs and never goes back to the store per node.
    """

    industries: tuple[Industry, ...]
    trades: tuple[Trade, ...]
    chains: tuple[Chain, ...]
    segments: tuple[Segment, ...]
    unions: tuple[Union, ...]
    employers: tuple[Employer, ...]
    workers: tuple[ModelWorker, ...]
    projects: tuple[Project, ...]
    studios: tuple[Studio, ...]
    alliances: tuple[Alliance, ...]
    supplies: tuple[Supplies, ...]
    collaborations: tuple[Collaboration, ...]
    ledger: tuple[LedgerEntry, ...] = ()
    funding: tuple[Funding, ...] = ()


def touches_projection(labels: Iterable[str]) -> bool:
    """Whether a write of these node labels or relationship types changes the projection."""
    return any(label in PROJECTION_FIELDS for label in labels)


PROJECTION_FIELDS: dict[str, str] = {
    "Industry": "industries",
    "Trade": "trades",
    "Chain": "chains",
    "Segment": "segments",
    "Union": "unions",
    "Employer": "employers",
    "ModelWorker": "workers",
    "Project": "projects",
    "Studio": "studios",
    "Alliance": "alliances",
    "LedgerEntry": "ledger",
    "Funding": "funding",
    "SUPPLIES": "supplies",
    "COLLABORATED_WITH": "collaborations",
}


@dataclass
class StoreStats:
    """Work a store has done, counted so that tests can prove writes are batched."""

    transactions: int = 0
    """Write transactions committed (Neo4j) or file commits (FileStore)."""
    queries: int = 0
    """Statements sent (Neo4j) or batches applied (FileStore)."""


class BaseStore(abc.ABC):
    """The shared half of both stores: validation, diffing and record conversion.

    Subclasses supply storage primitives working on stored properties (:data:`Props`), and the
    behaviour users see is decided here once.
    """

    def __init__(self, *, batch_size: int = DEFAULT_BATCH_SIZE) -> None:
        if batch_size < 1:
            raise ValueError("batch_size must be positive")
        self.batch_size = batch_size
        self.stats = StoreStats()

    # -- primitives -------------------------------------------------------------------------
    @property
    @abc.abstractmethod
    def location(self) -> str: ...

    @abc.abstractmethod
    def _fetch_nodes(self, spec: NodeSpec, keys: Sequence[str] | None) -> list[tuple[Props, dict[str, list[str]]]]:
        """Stored properties and owned-relationship targets of the nodes with ``keys`` (all if None)."""

    @abc.abstractmethod
    def _fetch_links(self, spec: LinkSpec) -> list[tuple[str, str, Props]]:
        """(source key, target key, properties) of every stored link of a kind."""

    @abc.abstractmethod
    def _existing_keys(self, label: str, keys: Sequence[str]) -> set[str]: ...

    @abc.abstractmethod
    def _keys_by_name(self, label: str, names: Sequence[str]) -> builtins.list[tuple[str, str]]:
        """(name, key) of every node of ``label`` whose name is one of ``names``."""

    @abc.abstractmethod
    def _apply(self, nodes: dict[str, list[tuple[Node, bool]]], links: dict[str, list[Link]]) -> None:
        """Write, in one transaction, nodes (record, existed before) and links, in dependency order."""

    @abc.abstractmethod
    def _studio_keys(self, where: StudioFilter, limit: int | None, offset: int) -> list[str]: ...

    @abc.abstractmethod
    def _count_studios(self, where: StudioFilter) -> int: ...

    @abc.abstractmethod
    def _neighbourhood(self, label: str, key: str, depth: int, limit: int) -> Subgraph: ...

    @abc.abstractmethod
    def _delete(self, label: str, keys: Sequence[str]) -> int: ...

    @abc.abstractmethod
    def _counts(self) -> dict[str, int]: ...

    @abc.abstractmethod
    def clear(self) -> None: ...

    @abc.abstractmethod
    def data_version(self) -> str:
        """A token that changes with every write that changes what :meth:`projection` reads (not with
        audit entries, accounts or keys), seen by every process that shares the store: a server's
        workers compare it with their fit's to know that another worker or a command wrote."""

    @abc.abstractmethod
    def close(self) -> None: ...

    # -- shared behaviour -------------------------------------------------------------------
    def write(self, batch: GraphBatch | Iterable[Record], *, dry_run: bool = False) -> WriteSummary:
        if not isinstance(batch, GraphBatch):
            batch = GraphBatch.of(batch)
        batch = self._leave_alliances(batch.deduplicated())
        self._check_references(batch)
        kinds: dict[str, KindSummary] = {}
        node_changes: dict[str, list[tuple[Node, bool]]] = {}
        for label in SPECS:
            records = batch.nodes.get(label, [])
            if not records:
                continue
            stored = self._get_many_by_label(label, [r.key for r in records])
            changes = [(r, r.key in stored) for r in records if stored.get(r.key) != r]
            node_changes[label] = changes
            created = sum(1 for _, existed in changes if not existed)
            kinds[label] = KindSummary(created, len(changes) - created, len(records) - len(changes))
        link_changes: dict[str, list[Link]] = {}
        for rel_type, spec in LINK_SPECS.items():
            links = batch.links.get(rel_type, [])
            if not links:
                continue
            stored_links = {link.identity: link for link in self._links_by_spec(spec)}
            changed = [link for link in links if stored_links.get(link.identity) != link]
            link_changes[rel_type] = changed
            created = sum(1 for link in changed if link.identity not in stored_links)
            kinds[rel_type] = KindSummary(created, len(changed) - created, len(links) - len(changed))
        if not dry_run and (any(node_changes.values()) or any(link_changes.values())):
            self._apply(node_changes, link_changes)
        return WriteSummary(kinds)

    def _leave_alliances(self, batch: GraphBatch) -> GraphBatch:
        """Article 9 in the graph: a delisted studio leaves every live alliance, in the same write.

        It moves to ``former_member_ids`` (kept as history), a lead that leaves leaves no lead, an
        alliance left with fewer than two members is dissolved, and each change is recorded as an
        :class:`AllianceEvent` by ``system``. Applies to stored alliances of studios this batch
        delists, and to alliances in this batch that list an already delisted studio as a member.
        """
        studios = {s.key: s for s in batch.nodes.get("Studio", []) if isinstance(s, Studio)}
        in_batch = {a.key: a for a in batch.nodes.get("Alliance", []) if isinstance(a, Alliance)}
        delisted = {k for k, s in studios.items() if s.status is StudioStatus.DELISTED}
        outside = {m for a in in_batch.values() if a.is_live for m in a.member_ids if m not in studios}
        if outside:
            stored = self._get_many_by_label("Studio", sorted(outside))
            delisted |= {k for k, s in stored.items() if isinstance(s, Studio) and s.status is StudioStatus.DELISTED}
        if not delisted:
            return batch
        candidates = dict(in_batch)
        if any(k in delisted for k in studios):
            for alliance in self.list(Alliance):
                candidates.setdefault(alliance.key, alliance)
        changed: list[Node] = []
        at = now()
        for alliance in candidates.values():
            leaving = sorted(set(alliance.member_ids) & delisted)
            if not alliance.is_live or not leaving:
                continue
            staying = tuple(m for m in alliance.member_ids if m not in delisted)
            status = alliance.status if len(staying) >= 2 else AllianceStatus.DISSOLVED
            changed.append(
                alliance.model_copy(
                    update={
                        "member_ids": staying,
                        "former_member_ids": tuple(sorted({*alliance.former_member_ids, *leaving})),
                        "lead_studio_id": alliance.lead_studio_id if alliance.lead_studio_id in staying else None,
                        "status": status,
                    }
                )
            )
            changed.append(
                AllianceEvent(
                    id=event_id(alliance.id, AllianceAction.MEMBER_LEFT, at, *leaving),
                    alliance_id=alliance.id,
                    action=AllianceAction.MEMBER_LEFT,
                    actor="system",
                    at=at,
                    studio_ids=tuple(leaving),
                    note="摘牌后退出联盟" + ("；成员不足两家，联盟解散" if status is not alliance.status else ""),
                )
            )
        if not changed:
            return batch
        out = GraphBatch()
        replaced = {r.key for r in changed if isinstance(r, Alliance)}
        for label, records in batch.nodes.items():
            out.nodes[label] = [r for r in records if label != "Alliance" or r.key not in replaced]
        out.links = batch.links
        return out.add(changed)

    def keys_by_name(self, kind: type[Node], names: Iterable[str]) -> dict[str, builtins.list[str]]:
        found: dict[str, builtins.list[str]] = {}
        for chunk in chunks(builtins.list(dict.fromkeys(names)), self.batch_size):
            for name, key in self._keys_by_name(kind.label, chunk):
                found.setdefault(name, []).append(key)
        return {name: sorted(keys) for name, keys in found.items()}

    def _check_references(self, batch: GraphBatch) -> None:
        wanted: dict[str, dict[str, list[tuple[str, str, str]]]] = defaultdict(dict)
        for label, records in batch.nodes.items():
            for rel in SPECS[label].rels:
                for record in records:
                    value = getattr(record, rel.field)
                    for target in value if rel.many else ([] if value is None else [value]):
                        wanted[rel.target].setdefault(target, []).append((label, record.key, rel.field))
        for rel_type, links in batch.links.items():
            spec = LINK_SPECS[rel_type]
            for link in links:
                source, target = link.ends
                wanted[spec.source].setdefault(source, []).append((rel_type, str(link.identity), spec.kind.from_field))
                wanted[spec.target].setdefault(target, []).append((rel_type, str(link.identity), spec.kind.to_field))
        problems: list[Problem] = []
        for target_label, refs in wanted.items():
            in_batch = {r.key for r in batch.nodes.get(target_label, [])}
            missing_keys = [k for k in refs if k not in in_batch]
            found: set[str] = set()
            for chunk in chunks(missing_keys, self.batch_size):
                found |= self._existing_keys(target_label, chunk)
            for key in missing_keys:
                if key in found:
                    continue
                for owner_label, owner_key, field_name in refs[key]:
                    problems.append(
                        Problem(
                            f"{owner_label} {owner_key!r} refers to unknown {target_label} {key!r}",
                            f"{owner_label} {owner_key!r} 引用了不存在的{target_label} {key!r}",
                            column=field_name,
                            value=key,
                            extra={"kind": owner_label, "key": owner_key, "target": target_label},
                        )
                    )
        if problems:
            raise DanglingReference(problems)

    def _get_many_by_label(self, label: str, keys: Sequence[str]) -> dict[str, Node]:
        spec = SPECS[label]
        out: dict[str, Node] = {}
        for chunk in chunks(list(keys), self.batch_size):
            for props, targets in self._fetch_nodes(spec, chunk):
                record = spec.from_storage(props, targets)
                out[record.key] = record
        return out

    def _links_by_spec(self, spec: LinkSpec) -> list[Link]:
        links = [spec.from_storage(s, t, p) for s, t, p in self._fetch_links(spec)]
        return sorted(links, key=lambda link: link.identity)

    def get(self, kind: type[N], key: str) -> N:
        found = self.get_many(kind, [key])
        if key not in found:
            raise NotFound(kind.label, key)
        return found[key]

    def get_many(self, kind: type[N], keys: Iterable[str]) -> dict[str, N]:
        return cast(dict[str, N], self._get_many_by_label(kind.label, list(dict.fromkeys(keys))))

    def list(self, kind: type[N], *, limit: int | None = None, offset: int = 0) -> list[N]:
        spec = SPECS[kind.label]
        records = sorted((spec.from_storage(p, t) for p, t in self._fetch_nodes(spec, None)), key=_by_key)
        end = None if limit is None else offset + limit
        return cast(list[N], records[offset:end])

    def list_studios(
        self, where: StudioFilter = StudioFilter(), *, limit: int | None = None, offset: int = 0
    ) -> builtins.list[Studio]:
        _check_page(limit, offset)
        keys = self._studio_keys(where, limit, offset)
        found = self.get_many(Studio, keys)
        return [found[k] for k in keys if k in found]

    def count_studios(self, where: StudioFilter = StudioFilter()) -> int:
        return self._count_studios(where)

    def links(self, kind: type[Link]) -> builtins.list[Link]:
        return self._links_by_spec(LINK_SPECS[kind.label])

    def neighbourhood(self, kind: type[Node], key: str, *, depth: int = 1, limit: int = 500) -> Subgraph:
        if depth not in (1, 2, 3):
            raise ValueError("depth must be 1, 2 or 3")
        if limit < 1:
            raise ValueError("limit must be positive")
        if not self._existing_keys(kind.label, [key]):
            raise NotFound(kind.label, key)
        return self._neighbourhood(kind.label, key, depth, limit)

    def delete(self, kind: type[Node], keys: Iterable[str]) -> int:
        return self._delete(kind.label, list(dict.fromkeys(keys)))

    def delist(self, studio_id: str, reason: str = "") -> Studio:
        updated = self.get(Studio, studio_id).delisted(reason)
        self.write([updated])
        return updated

    def counts(self) -> dict[str, int]:
        return self._counts()

    def projection(self) -> Projection:
        parts: dict[str, tuple[Any, ...]] = {}
        for kind in NODE_KINDS:
            if kind.label in PROJECTION_FIELDS:
                parts[PROJECTION_FIELDS[kind.label]] = tuple(self.list(kind))
        for link_kind in LINK_KINDS:
            parts[PROJECTION_FIELDS[link_kind.label]] = tuple(self.links(link_kind))
        return Projection(**parts)

    def __enter__(self) -> BaseStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def event_id(alliance_id: str, action: AllianceAction, at: str, *parts: str) -> str:
    """A deterministic id for an alliance event."""
    digest = hashlib.sha1("|".join((alliance_id, action.value, at, *parts)).encode(), usedforsecurity=False)
    return f"ev-{digest.hexdigest()[:16]}"


def _by_key(record: Node) -> str:
    return record.key


def _check_page(limit: int | None, offset: int) -> None:
    if limit is not None and limit < 0:
        raise ValueError("limit must not be negative")
    if offset < 0:
        raise ValueError("offset must not be negative")


def chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    """Consecutive slices of at most ``size`` items."""
    for start in range(0, len(items), size):
        yield items[start : start + size]
