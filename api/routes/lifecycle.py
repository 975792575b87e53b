"""Articles 3, 6–10 over HTTP: eligibility, the yearly assessment (applied by the municipal union),
naming candidates, ledgers, funding, and the audit trail (municipal union only)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field

from graph.errors import NotFound
from graph.lifecycle import eligibility, ledger_of
from graph.model import LedgerKind, this_year
from services.audit import audit_trail
from services.lifecycle import apply_year, assessment_of, funding_of, naming_of, records_of
from services.policy import ASSESSMENT_APPLY

from ..deps import ActorDep, CacheDep, StoreDep, wrote
from ..guards import GuardedRoute, requires
from ..schemas import (
    AppliedAssessment,
    AssessmentPublic,
    AuditEntryPublic,
    EligibilityPublic,
    FundingPublic,
    LedgerEntryPublic,
    NamingCandidate,
)

router = APIRouter(tags=["lifecycle"], route_class=GuardedRoute)

YearQuery = Annotated[int | None, Query(ge=1949, le=2100, description="Default: last year")]


@router.get(
    "/studios/{studio_id}/eligibility",
    response_model=EligibilityPublic,
    summary="Article 3's five conditions with their evidence",
)
def studio_eligibility(studio_id: str, cache: CacheDep, actor: ActorDep, year: YearQuery = None) -> dict[str, Any]:
    records = records_of(cache)
    if studio_id not in records.studios:
        raise NotFound("Studio", studio_id)
    return eligibility(records, studio_id, year or this_year() - 1).to_json()


@router.get(
    "/studios/{studio_id}/ledger",
    response_model=list[LedgerEntryPublic],
    summary="A studio's ledgers (Article 8), newest first",
)
def studio_ledger(
    studio_id: str, cache: CacheDep, actor: ActorDep, kind: LedgerKind | None = None
) -> list[dict[str, Any]]:
    try:
        return [e.model_dump(mode="json") for e in ledger_of(records_of(cache), studio_id, kind)]
    except KeyError:
        raise NotFound("Studio", studio_id) from None


@router.get(
    "/assessment",
    response_model=AssessmentPublic,
    summary="The yearly assessment (Article 9): studios to delist, flag, or complete",
)
def assessment(cache: CacheDep, actor: ActorDep, year: YearQuery = None) -> dict[str, Any]:
    return assessment_of(cache, year or this_year() - 1).to_json()


class ApplyAssessment(BaseModel):
    model_config = {"extra": "forbid"}

    year: int = Field(ge=1949, le=2100)


@router.post(
    "/assessment/apply",
    response_model=AppliedAssessment,
    summary="Flag and delist as the assessment says, audited (municipal)",
)
@requires(ASSESSMENT_APPLY)
def assessment_apply(body: ApplyAssessment, request: Request, store: StoreDep, actor: ActorDep) -> dict[str, Any]:
    _, changed = apply_year(store, actor, body.year)
    wrote(request)
    return {"year": body.year, "changed": changed}


@router.get("/naming", response_model=list[NamingCandidate], summary="Candidates for municipal naming (Articles 6–7)")
def naming(
    cache: CacheDep, actor: ActorDep, year: YearQuery = None, quota: Annotated[int, Query(ge=1, le=10_000)] = 100
) -> list[dict[str, Any]]:
    return [c.to_json() for c in naming_of(cache, year or this_year(), quota)]


@router.get("/funding", response_model=list[FundingPublic], summary="Funding and the 1:1 match (Article 10)")
def funding(cache: CacheDep, actor: ActorDep, year: YearQuery = None, short_only: bool = False) -> list[dict[str, Any]]:
    return [c.to_json() for c in funding_of(cache, year) if c.shortfall or not short_only]


@router.get("/audit", response_model=list[AuditEntryPublic], summary="The audit trail, newest first (municipal)")
def audit(
    store: StoreDep, actor: ActorDep, subject: str | None = None, limit: Annotated[int, Query(ge=1, le=10_000)] = 100
) -> list[dict[str, Any]]:
    return [e.model_dump(mode="json") for e in audit_trail(store, actor, subject=subject, limit=limit)]
