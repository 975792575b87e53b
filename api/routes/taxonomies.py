"""The reference taxonomies: trades, industries (a tree by parent code), chains with their segments
and ``SUPPLIES`` edges."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from graph.model import Chain, Industry, Segment, Supplies, Trade

from ..deps import ActorDep, StoreDep
from ..guards import GuardedRoute

router = APIRouter(prefix="/taxonomies", tags=["taxonomies"], route_class=GuardedRoute)


class TradePublic(BaseModel):
    code: str
    name: str
    occupation_code: str | None = None
    category: str = ""


class IndustryPublic(BaseModel):
    code: str
    name: str
    level: str
    parent_code: str | None = None


class IndustryNode(BaseModel):
    """An industry with the industries under it (section → division → group → class)."""

    code: str
    name: str
    level: str
    children: list[IndustryNode] = []


class SegmentPublic(BaseModel):
    id: str
    name: str
    stage: str
    industry_codes: list[str]


class SupplyPublic(BaseModel):
    upstream_id: str
    downstream_id: str
    weight: float


class ChainPublic(BaseModel):
    id: str
    name: str
    tier: str
    priority: int
    segments: list[SegmentPublic]
    supplies: list[SupplyPublic]


@router.get("/trades", response_model=list[TradePublic], summary="Trades (工种)")
def trades(store: StoreDep, actor: ActorDep) -> list[TradePublic]:
    return [TradePublic(**t.model_dump(mode="json", include=set(TradePublic.model_fields))) for t in store.list(Trade)]


@router.get("/industries", response_model=list[IndustryPublic], summary="GB/T 4754-2017 industries, parent first")
def industries(store: StoreDep, actor: ActorDep) -> list[IndustryPublic]:
    rows = sorted(store.list(Industry), key=lambda i: (len(i.code), i.code))
    return [IndustryPublic(**i.model_dump(mode="json", include=set(IndustryPublic.model_fields))) for i in rows]


@router.get("/industries/tree", response_model=list[IndustryNode], summary="GB/T 4754-2017 as a tree of sections")
def industry_tree(store: StoreDep, actor: ActorDep) -> list[IndustryNode]:
    rows = sorted(store.list(Industry), key=lambda i: (len(i.code), i.code))
    nodes = {i.code: IndustryNode(code=i.code, name=i.name, level=i.level.value) for i in rows}
    roots: list[IndustryNode] = []
    for i in rows:
        parent = nodes.get(i.parent_code or "")
        (parent.children if parent is not None else roots).append(nodes[i.code])
    return roots


@router.get("/chains", response_model=list[ChainPublic], summary="Chains with segments and SUPPLIES edges")
def chains(store: StoreDep, actor: ActorDep) -> list[ChainPublic]:
    segments = store.list(Segment)
    supplies = [e for e in store.links(Supplies) if isinstance(e, Supplies)]
    chain_of = {g.id: g.chain_id for g in segments}
    out = []
    for c in sorted(store.list(Chain), key=lambda c: (c.priority, c.id)):
        out.append(
            ChainPublic(
                id=c.id,
                name=c.name,
                tier=c.tier.value,
                priority=c.priority,
                segments=[
                    SegmentPublic(id=g.id, name=g.name, stage=g.stage.value, industry_codes=list(g.industry_codes))
                    for g in segments
                    if g.chain_id == c.id
                ],
                supplies=[
                    SupplyPublic(upstream_id=e.upstream_id, downstream_id=e.downstream_id, weight=e.weight)
                    for e in supplies
                    if chain_of.get(e.upstream_id) == c.id
                ],
            )
        )
    return out
