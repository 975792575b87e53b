"""Alliances and gaps (read side): alliances with their history, the gap radar per chain."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field

from graph.alliances import decide, history, save_proposals
from graph.errors import NotFound
from graph.model import Alliance, AllianceAction, AllianceKind, AllianceStatus, Role, Studio

from ..app import Forbidden, Invalid
from ..deps import CacheDep, CallerDep, ModelsDep, StoreDep, record
from ..schemas import AllianceDetail, AlliancePublic, GapReport, ProposalReport, WhatIfResult

router = APIRouter(tags=["alliances and gaps"])


@router.get("/alliances", response_model=list[AlliancePublic], summary="Alliances, optionally by status and kind")
def list_alliances(
    store: StoreDep, caller: CallerDep, status: AllianceStatus | None = None, kind: AllianceKind | None = None
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
def get_alliance(alliance_id: str, store: StoreDep, caller: CallerDep) -> dict[str, Any]:
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
    caller: CallerDep,
    chain: str | None = None,
    weak_below: Annotated[int, Query(ge=1, le=1000)] = 3,
    candidates: Annotated[int, Query(ge=0, le=50)] = 5,
) -> dict[str, Any]:
    from matching.gaps import GapRadar, RadarSettings

    def make(projection: Any, suggester: Any) -> dict[str, Any]:
        settings = RadarSettings(weak_below=weak_below, candidates=candidates)
        return GapRadar(suggester, projection, settings).report(chain).to_json()

    try:
        result: dict[str, Any] = cache(("gaps", chain, weak_below, candidates), make)
    except KeyError:
        raise NotFound("Chain", chain or "") from None
    return result


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
def propose(
    body: ProposalRequest, request: Request, store: StoreDep, models: ModelsDep, caller: CallerDep
) -> dict[str, Any]:
    from matching.alliances import FORM_KINDS, AllianceFormer, FormReport, Limits

    caller.require_municipal()
    projection, suggester = models
    try:
        limits = Limits(
            min_size=body.min_size,
            max_size=body.max_size,
            per_segment=body.per_segment,
            max_per_studio=body.max_per_studio,
            min_districts=body.min_districts,
            min_employers=body.min_employers,
        )
    except ValueError as exc:
        raise Invalid(str(exc)) from None
    former = AllianceFormer(suggester, projection, limits=limits, seed=body.seed)
    try:
        if body.chain or body.project:
            report = FormReport([])
            one = (
                former.chain_team(body.chain, report) if body.chain else former.project_team(body.project or "", report)
            )
            report.proposals = [one] if one is not None and len(one.members) >= 2 else []
        else:
            kinds = [k for k in (body.kinds or FORM_KINDS) if k in FORM_KINDS]
            report = former.form(kinds)
    except KeyError as exc:
        raise NotFound("Chain or project", str(exc.args[0])) from None
    saved = save_proposals(store, [p.to_alliance() for p in report.proposals], actor=caller.actor, dry_run=body.dry_run)
    if saved.created and not body.dry_run:
        record(store, caller, "alliance.propose", "Alliance", saved.created[0], f"{len(saved.created)} 个联盟建议")
        request.app.state.models.invalidate()
    data = report.to_json()
    for p in data["proposals"]:
        p["saved"] = "existing" if p["id"] in saved.existing else ("would-create" if body.dry_run else "created")
    return data


def decide_alliance(
    alliance_id: str, action: AllianceAction, body: Decision, request: Request, store: Any, caller: Any
) -> dict[str, Any]:
    alliance = store.get(Alliance, alliance_id)
    if caller.key.role is not Role.MUNICIPAL:
        members = store.get_many(Studio, list(alliance.member_ids))
        if caller.key.role is not Role.UNION or not any(caller.can_write_studio(s) for s in members.values()):
            raise Forbidden(
                "only the municipal union, or a union with a member studio, decides on an alliance / 无权决定此联盟"
            )
    updated = decide(store, alliance_id, action, actor=caller.actor, note=body.note)
    record(store, caller, f"alliance.{action.value}", "Alliance", alliance_id, body.note)
    request.app.state.models.invalidate()
    return updated.model_dump(mode="json")


@router.post(
    "/alliances/{alliance_id}/accept",
    response_model=AlliancePublic,
    summary="Accept a proposal: the alliance is formed",
)
def accept(alliance_id: str, body: Decision, request: Request, store: StoreDep, caller: CallerDep) -> dict[str, Any]:
    return decide_alliance(alliance_id, AllianceAction.ACCEPTED, body, request, store, caller)


@router.post("/alliances/{alliance_id}/reject", response_model=AlliancePublic, summary="Reject a proposal")
def reject(alliance_id: str, body: Decision, request: Request, store: StoreDep, caller: CallerDep) -> dict[str, Any]:
    return decide_alliance(alliance_id, AllianceAction.REJECTED, body, request, store, caller)


@router.post("/alliances/{alliance_id}/dissolve", response_model=AlliancePublic, summary="Dissolve a formed alliance")
def dissolve(alliance_id: str, body: Decision, request: Request, store: StoreDep, caller: CallerDep) -> dict[str, Any]:
    return decide_alliance(alliance_id, AllianceAction.DISSOLVED, body, request, store, caller)


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
def what_if_route(body: WhatIfRequest, models: ModelsDep, caller: CallerDep) -> dict[str, Any]:
    from matching.gaps import RadarSettings, Scenario, what_if

    if not (body.form or body.name_in or body.delist):
        raise Invalid("say what to try: form, name_in or delist")
    projection, suggester = models
    scenario = Scenario(form=tuple(tuple(m) for m in body.form), name_in=tuple(body.name_in), delist=tuple(body.delist))
    try:
        result = what_if(
            suggester, projection, scenario, chain=body.chain, settings=RadarSettings(weak_below=body.weak_below)
        )
    except KeyError as exc:
        raise NotFound("Studio, segment or chain", str(exc.args[0])) from None
    return result.to_json()
