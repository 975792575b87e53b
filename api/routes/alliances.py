"""Alliances and gaps: alliances with their history, proposals and decisions, the gap radar per
chain, what-ifs. The jobs are :mod:`services.alliances`'; this module is the JSON door onto them."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field

from graph.alliances import history
from graph.model import Alliance, AllianceAction, AllianceKind, AllianceStatus
from graph.store import BaseStore
from matching.gaps import Scenario
from services import alliances as service
from services.policy import ALLIANCE_DECIDE, ALLIANCE_PROPOSE, WHAT_IF, Actor

from ..deps import ActorDep, CacheDep, FitDep, StoreDep, wrote
from ..guards import GuardedRoute, requires
from ..schemas import AllianceDetail, AlliancePublic, GapReport, ProposalReport, WhatIfResult

router = APIRouter(tags=["alliances and gaps"], route_class=GuardedRoute)


@router.get("/alliances", response_model=list[AlliancePublic], summary="Alliances, optionally by status and kind")
def list_alliances(
    store: StoreDep, actor: ActorDep, status: AllianceStatus | None = None, kind: AllianceKind | None = None
) -> list[dict[str, Any]]:
    return [
        a.model_dump(mode="json")
        for a in store.list(Alliance)
        if (status is None or a.status is status) and (kind is None or a.kind is kind)
    ]


@router.get(
    "/alliances/{alliance_id}",
    response_model=AllianceDetail,
    summary="One alliance with its history (who did what, when)",
)
def get_alliance(alliance_id: str, store: StoreDep, actor: ActorDep) -> dict[str, Any]:
    alliance = store.get(Alliance, alliance_id)
    return {
        **alliance.model_dump(mode="json"),
        "history": [e.model_dump(mode="json") for e in history(store, alliance_id)],
    }


@router.get(
    "/gaps",
    response_model=GapReport,
    summary="The gap radar: gaps, weak segments, barriers, fill candidates, project needs",
)
def gaps(
    cache: CacheDep,
    actor: ActorDep,
    chain: str | None = None,
    weak_below: Annotated[int, Query(ge=1, le=1000)] = 3,
    candidates: Annotated[int, Query(ge=0, le=50)] = 5,
) -> dict[str, Any]:
    return service.gaps_json(cache, chain, weak_below=weak_below, candidates=candidates)


class ProposalRequest(BaseModel):
    """What to propose: kinds (default all four), or one chain, or one project; limits as the CLI's."""

    model_config = {"extra": "forbid"}

    kinds: list[AllianceKind] | None = None
    chain: str | None = None
    project: str | None = None
    min_size: int = Field(default=5, ge=2, le=1000)
    max_size: int = Field(default=30, ge=2, le=1000)
    per_segment: int = Field(default=1, ge=1, le=100)
    max_per_studio: int | None = Field(default=None, ge=1)
    min_districts: int = Field(default=1, ge=1)
    min_employers: int = Field(default=1, ge=1)
    seed: int = 0
    dry_run: bool = False


class Decision(BaseModel):
    model_config = {"extra": "forbid"}

    note: str = Field(default="", max_length=2000)


@router.post(
    "/alliances/proposals",
    response_model=ProposalReport,
    summary="Compute alliance proposals and store them as proposed (municipal)",
)
@requires(ALLIANCE_PROPOSE)
def propose(body: ProposalRequest, request: Request, store: StoreDep, fit: FitDep, actor: ActorDep) -> dict[str, Any]:
    limits = service.limits_of(body.min_size, body.max_size, body.per_segment, body.max_per_studio,
                               body.min_districts, body.min_employers)  # fmt: skip
    asked = service.ProposalRequest(body.kinds, body.chain, body.project, limits, body.seed)
    done = service.propose(store, actor, fit, asked, dry_run=body.dry_run)
    if done.saved.created and not body.dry_run:
        wrote(request)
    data = done.report.to_json()
    for p in data["proposals"]:
        p["saved"] = done.state(p["id"])
    return data


def _decide(alliance_id: str, action: AllianceAction, body: Decision, request: Request, store: BaseStore,
            actor: Actor) -> dict[str, Any]:  # fmt: skip
    updated = service.decide_alliance(store, actor, alliance_id, action, body.note)
    wrote(request)
    return updated.model_dump(mode="json")


@router.post(
    "/alliances/{alliance_id}/accept",
    response_model=AlliancePublic,
    summary="Accept a proposal: the alliance is formed",
)
@requires(ALLIANCE_DECIDE, record="alliance_id")
def accept(alliance_id: str, body: Decision, request: Request, store: StoreDep, actor: ActorDep) -> dict[str, Any]:
    return _decide(alliance_id, AllianceAction.ACCEPTED, body, request, store, actor)


@router.post("/alliances/{alliance_id}/reject", response_model=AlliancePublic, summary="Reject a proposal")
@requires(ALLIANCE_DECIDE, record="alliance_id")
def reject(alliance_id: str, body: Decision, request: Request, store: StoreDep, actor: ActorDep) -> dict[str, Any]:
    return _decide(alliance_id, AllianceAction.REJECTED, body, request, store, actor)


@router.post("/alliances/{alliance_id}/dissolve", response_model=AlliancePublic, summary="Dissolve a formed alliance")
@requires(ALLIANCE_DECIDE, record="alliance_id")
def dissolve(alliance_id: str, body: Decision, request: Request, store: StoreDep, actor: ActorDep) -> dict[str, Any]:
    return _decide(alliance_id, AllianceAction.DISSOLVED, body, request, store, actor)


class WhatIfRequest(BaseModel):
    model_config = {"extra": "forbid"}

    form: list[list[str]] = []
    name_in: list[tuple[str, str]] = []
    delist: list[str] = []
    chain: str | None = None
    weak_below: int = Field(default=3, ge=1)


@router.post(
    "/what-if", response_model=WhatIfResult, summary="Which gaps and barriers open or close if … (writes nothing)"
)
@requires(WHAT_IF)
def what_if_route(body: WhatIfRequest, fit: FitDep, actor: ActorDep) -> dict[str, Any]:
    scenario = Scenario(form=tuple(tuple(m) for m in body.form), name_in=tuple(body.name_in), delist=tuple(body.delist))
    return service.try_scenario(fit, scenario, chain=body.chain, weak_below=body.weak_below).to_json()
