"""How records map onto the graph: the fixed allow-list of labels, relationship types and properties.

Both stores use these specs, so they store exactly the same nodes, properties and relationships.
Labels and relationship types never come from input: Cypher is built only from the constants here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import Enum
from functools import cached_property
from typing import Any

from .model import (
    LINK_KINDS,
    NODE_KINDS,
    Alliance,
    AllianceEvent,
    ApiKey,
    AuditEntry,
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
    RankingModel,
    Segment,
    ServerSecret,
    SignInGuard,
    Studio,
    Supplies,
    Trade,
    Union,
    User,
)

Props = dict[str, Any]
"""A node's or relationship's properties as stored: scalars and lists of scalars only."""


@dataclass(frozen=True)
class RelSpec:
    """A relationship a node record owns, held in one of its fields as a key or a tuple of keys.

    ``incoming`` relationships point at the owner: ``Alliance.member_ids`` is stored as
    ``(Studio)-[:MEMBER_OF]->(Alliance)``.
    """

    field: str
    type: str
    target: str
    many: bool
    incoming: bool = False


@dataclass(frozen=True)
class NodeSpec:
    kind: type[Node]
    rels: tuple[RelSpec, ...] = ()

    @property
    def label(self) -> str:
        return self.kind.label

    @property
    def key(self) -> str:
        return self.kind.key_field

    @cached_property
    def fields(self) -> frozenset[str]:
        return frozenset(self.kind.model_fields)

    @cached_property
    def prop_fields(self) -> tuple[str, ...]:
        owned = {r.field for r in self.rels}
        return tuple(f for f in self.kind.model_fields if f not in owned)

    def to_props(self, record: Node) -> Props:
        """The node's stored properties: enums as values, tuples as lists, nothing empty or None."""
        props: Props = {}
        for name in self.prop_fields:
            value = _to_storage(getattr(record, name))
            if value is not None and value != [] and value != "":
                props[name] = value
        props[self.key] = record.key
        return props

    def to_targets(self, record: Node) -> dict[str, list[str]]:
        """For each owned relationship field, the sorted keys it points at."""
        targets: dict[str, list[str]] = {}
        for rel in self.rels:
            value = getattr(record, rel.field)
            keys = list(value) if rel.many else ([] if value is None else [value])
            targets[rel.field] = sorted(keys)
        return targets

    def from_storage(self, props: Props, targets: dict[str, list[str]]) -> Node:
        fields = self.fields
        data: dict[str, Any] = {k: v for k, v in props.items() if k in fields}
        if "extra" in data and isinstance(data["extra"], str):
            data["extra"] = json.loads(data["extra"])
        for rel in self.rels:
            keys = sorted(targets.get(rel.field, []))
            data[rel.field] = tuple(keys) if rel.many else (keys[0] if keys else None)
        return self.kind.model_validate(data)


@dataclass(frozen=True)
class LinkSpec:
    kind: type[Link]
    source: str
    target: str

    @property
    def type(self) -> str:
        return self.kind.label

    @property
    def source_key(self) -> str:
        return SPECS[self.source].key

    @property
    def target_key(self) -> str:
        return SPECS[self.target].key

    @property
    def merge_fields(self) -> tuple[str, ...]:
        return self.kind.merge_fields

    @cached_property
    def fields(self) -> frozenset[str]:
        return frozenset(self.kind.model_fields)

    @cached_property
    def prop_fields(self) -> tuple[str, ...]:
        ends = {self.kind.from_field, self.kind.to_field}
        return tuple(f for f in self.kind.model_fields if f not in ends)

    def to_props(self, record: Link) -> Props:
        props: Props = {}
        for name in self.prop_fields:
            value = _to_storage(getattr(record, name))
            if value is not None and value != "":
                props[name] = value
        return props

    def from_storage(self, source_key: str, target_key: str, props: Props) -> Link:
        fields = self.fields
        data = {k: v for k, v in props.items() if k in fields}
        data[self.kind.from_field] = source_key
        data[self.kind.to_field] = target_key
        return self.kind.model_validate(data)


def _to_storage(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, tuple):
        return [_to_storage(v) for v in value]
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True) if value else None
    return value


SPECS: dict[str, NodeSpec] = {
    spec.label: spec
    for spec in (
        NodeSpec(Industry, (RelSpec("parent_code", "SUBCLASS_OF", "Industry", many=False),)),
        NodeSpec(Trade),
        NodeSpec(Chain),
        NodeSpec(
            Segment,
            (
                RelSpec("chain_id", "PART_OF", "Chain", many=False),
                RelSpec("industry_codes", "IN_INDUSTRY", "Industry", many=True),
            ),
        ),
        NodeSpec(Union, (RelSpec("parent_id", "PART_OF", "Union", many=False),)),
        NodeSpec(Employer, (RelSpec("industry_code", "IN_INDUSTRY", "Industry", many=False),)),
        NodeSpec(ModelWorker),
        NodeSpec(
            Project,
            (
                RelSpec("chain_id", "ALONG", "Chain", many=False),
                RelSpec("segment_ids", "SPANS", "Segment", many=True),
                RelSpec("lead_union_id", "BELONGS_TO", "Union", many=False),
            ),
        ),
        NodeSpec(
            Studio,
            (
                RelSpec("leader_id", "LED_BY", "ModelWorker", many=False),
                RelSpec("employer_id", "HOSTED_BY", "Employer", many=False),
                RelSpec("union_id", "BELONGS_TO", "Union", many=False),
                RelSpec("trade_codes", "PRACTISES", "Trade", many=True),
                RelSpec("industry_code", "IN_INDUSTRY", "Industry", many=False),
                RelSpec("segment_ids", "WORKS_IN", "Segment", many=True),
                RelSpec("project_ids", "CONTRIBUTES_TO", "Project", many=True),
                RelSpec("inferred_industry_code", "INFERRED_IN_INDUSTRY", "Industry", many=False),
                RelSpec("inferred_trade_codes", "INFERRED_PRACTISES", "Trade", many=True),
                RelSpec("inferred_segment_ids", "INFERRED_WORKS_IN", "Segment", many=True),
            ),
        ),
        NodeSpec(
            Alliance,
            (
                RelSpec("member_ids", "MEMBER_OF", "Studio", many=True, incoming=True),
                RelSpec("former_member_ids", "WAS_MEMBER_OF", "Studio", many=True, incoming=True),
                RelSpec("chain_id", "ALONG", "Chain", many=False),
                RelSpec("project_id", "FOR_PROJECT", "Project", many=False),
            ),
        ),
        NodeSpec(AllianceEvent, (RelSpec("alliance_id", "ABOUT", "Alliance", many=False),)),
        NodeSpec(LedgerEntry, (RelSpec("studio_id", "IN_LEDGER_OF", "Studio", many=False),)),
        NodeSpec(Funding, (RelSpec("studio_id", "FUNDS", "Studio", many=False),)),
        NodeSpec(AuditEntry),
        NodeSpec(
            ApiKey,
            (
                RelSpec("union_id", "FOR_UNION", "Union", many=False),
                RelSpec("studio_id", "FOR_STUDIO", "Studio", many=False),
            ),
        ),
        NodeSpec(RankingModel),
        NodeSpec(
            User,
            (
                RelSpec("union_id", "FOR_UNION", "Union", many=False),
                RelSpec("studio_id", "FOR_STUDIO", "Studio", many=False),
            ),
        ),
        NodeSpec(SignInGuard),
        NodeSpec(ServerSecret),
    )
}
"""Node specs by label, in dependency order (a kind only points at kinds before it, or itself)."""

LINK_SPECS: dict[str, LinkSpec] = {
    spec.type: spec
    for spec in (
        LinkSpec(Supplies, "Segment", "Segment"),
        LinkSpec(Collaboration, "Studio", "Studio"),
    )
}

LABELS: frozenset[str] = frozenset(SPECS)
REL_TYPES: frozenset[str] = frozenset({r.type for s in SPECS.values() for r in s.rels} | set(LINK_SPECS))

INDEXED_PROPS: dict[str, tuple[str, ...]] = {
    "Studio": ("status", "district", "level", "named_year"),
    "Alliance": ("status", "kind"),
    "AllianceEvent": ("at",),
    "LedgerEntry": ("year", "kind"),
    "Funding": ("year", "source"),
    "AuditEntry": ("at", "subject_key"),
    "Segment": ("stage",),
    "Industry": ("level",),
}
"""Range indexes the Neo4j store creates besides the key constraints."""

TEXT_INDEXED: dict[str, tuple[str, ...]] = {
    "Studio": ("name",),
    "ModelWorker": ("name",),
    "Employer": ("name",),
}
"""Text indexes (for ``CONTAINS`` search on Chinese names)."""


def check_label(label: str) -> str:
    """Return ``label`` if it is on the allow-list; anything else is a programming error."""
    if label not in LABELS:
        raise ValueError(f"unknown label {label!r}")
    return label


def check_rel_type(rel_type: str) -> str:
    if rel_type not in REL_TYPES:
        raise ValueError(f"unknown relationship type {rel_type!r}")
    return rel_type


assert tuple(SPECS) == tuple(k.label for k in NODE_KINDS), "specs must follow NODE_KINDS order"
assert tuple(LINK_SPECS) == tuple(k.label for k in LINK_KINDS)
