"""Studios: list with filters and pagination, search by name, get, edit, and suggested partners."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field

from graph.errors import Invalid
from graph.exclusion import exclusion_of, leaders_of
from graph.model import AllianceKind, ModelWorker, Studio, StudioLevel, StudioStatus, WorkerStatus, this_year
from graph.store import BaseStore, StudioFilter
from services import studios as service
from services.partners import partners
from services.policy import LEADER_CHANGE, STUDIO_CREATE, STUDIO_DELIST, STUDIO_PROFILE

from ..deps import ActorDep, FitDep, StoreDep, wrote
from ..guards import GuardedRoute, requires

router = APIRouter(prefix="/studios", tags=["studios"], route_class=GuardedRoute)


class ExclusionPublic(BaseModel):
    """Why a studio takes no part in matching (Article 9)."""

    code: str
    reason: str
    reason_en: str


class StudioPublic(BaseModel):
    id: str
    name: str
    status: StudioStatus
    status_reason: str = ""
    level: StudioLevel | None = None
    named_year: int | None = None
    founded_year: int | None = None
    district: str | None = None
    expertise: str = ""
    needs: str = ""
    members: int | None = None
    leader_id: str | None = None
    employer_id: str | None = None
    union_id: str | None = None
    trade_codes: list[str] = []
    industry_code: str | None = None
    segment_ids: list[str] = []
    project_ids: list[str] = []
    inferred_industry_code: str | None = None
    inferred_trade_codes: list[str] = []
    inferred_segment_ids: list[str] = []
    inferred_confidence: float | None = None
    excluded: ExclusionPublic | None = None
    """Why the studio takes no part in matching this year (Article 9), or null."""

    @classmethod
    def of(cls, s: Studio, leader: ModelWorker | None = None) -> StudioPublic:
        data = s.model_dump(mode="json")
        why = exclusion_of(s, leader, this_year())
        data["excluded"] = ExclusionPublic(**why.to_json()) if why else None
        return cls(**{k: v for k, v in data.items() if k in cls.model_fields})

    @classmethod
    def many(cls, store: BaseStore, studios: list[Studio]) -> list[StudioPublic]:
        """Studios with their Article 9 exclusions, their leaders read in one call."""
        leaders = leaders_of(store, studios)
        return [cls.of(s, leaders.get(s.leader_id or "")) for s in studios]


class StudioPage(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[StudioPublic]


class StudioUpdate(BaseModel):
    """Fields a caller may change. A studio's own key may change ``expertise`` and ``needs`` only."""

    model_config = {"extra": "forbid"}

    expertise: str | None = Field(default=None, max_length=20_000)
    needs: str | None = Field(default=None, max_length=20_000)
    name: str | None = Field(default=None, min_length=1, max_length=500)
    district: str | None = Field(default=None, max_length=500)
    members: int | None = Field(default=None, ge=1, le=10_000)


class SuggestionPublic(BaseModel):
    partner_id: str
    partner_name: str
    kind: AllianceKind
    score: float
    components: dict[str, float]
    reasons: list[str]
    reasons_en: list[str]
    same_employer: bool


@router.get("", response_model=StudioPage, summary="Studios matching every filter given (名称 search included)")
def list_studios(
    store: StoreDep,
    actor: ActorDep,
    name: Annotated[str | None, Query(max_length=200, description="Part of the name, e.g. 李斌")] = None,
    union: str | None = None,
    district: str | None = None,
    trade: str | None = None,
    industry: Annotated[str | None, Query(description="GB/T 4754 code; includes the codes below it")] = None,
    segment: str | None = None,
    chain: str | None = None,
    status: StudioStatus | None = None,
    level: StudioLevel | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> StudioPage:
    where = StudioFilter(union, district, trade, industry, segment, chain, status, level, name)
    total = store.count_studios(where)
    items = StudioPublic.many(store, store.list_studios(where, limit=limit, offset=offset))
    return StudioPage(total=total, limit=limit, offset=offset, items=items)


@router.get("/{studio_id}", response_model=StudioPublic, summary="One studio")
def get_studio(studio_id: str, store: StoreDep, actor: ActorDep) -> StudioPublic:
    return StudioPublic.many(store, [store.get(Studio, studio_id)])[0]


@router.patch("/{studio_id}", response_model=StudioPublic, summary="Edit a studio (its own key: expertise and needs)")
@requires(STUDIO_PROFILE, record="studio_id")
def update_studio(
    studio_id: str, body: StudioUpdate, store: StoreDep, actor: ActorDep, request: Request
) -> StudioPublic:
    updated = service.update_studio(store, actor, studio_id, body.model_dump(exclude_unset=True))
    wrote(request)
    return StudioPublic.many(store, [updated])[0]


@router.get("/{studio_id}/suggestions", response_model=list[SuggestionPublic], summary="Article 12 partners")
def suggestions(
    studio_id: str,
    fit: FitDep,
    actor: ActorDep,
    store: StoreDep,
    kind: AllianceKind | None = None,
    top: Annotated[int, Query(ge=1, le=100)] = 10,
    include_allied: Annotated[bool, Query(description="Keep partners already in a live alliance")] = False,
) -> list[SuggestionPublic]:
    found = partners(fit, studio_id, [kind] if kind else None, top, include_allied=include_allied, store=store).all()
    return [
        SuggestionPublic(**{f: data[f] for f in SuggestionPublic.model_fields}) for data in (s.to_json() for s in found)
    ]


class StudioCreate(BaseModel):
    """A new studio. A union key creates studios of its own union only."""

    model_config = {"extra": "forbid"}

    id: str = Field(min_length=1, max_length=200, pattern=r"^[^\s]+$")
    name: str = Field(min_length=1, max_length=500)
    union_id: str | None = None
    district: str | None = None
    level: StudioLevel | None = None
    named_year: int | None = Field(default=None, ge=1949, le=2100)
    expertise: str = ""
    needs: str = ""
    trade_codes: list[str] = []
    industry_code: str | None = None
    segment_ids: list[str] = []


class Delisting(BaseModel):
    model_config = {"extra": "forbid"}

    reason: str = Field(min_length=1, max_length=2000)


@router.post("", response_model=StudioPublic, status_code=201, summary="Create a studio")
@requires(STUDIO_CREATE)
def create_studio(body: StudioCreate, request: Request, store: StoreDep, actor: ActorDep) -> StudioPublic:
    studio = service.create_studio(store, actor, Studio.model_validate(body.model_dump()))
    wrote(request)  # an unknown union, trade, industry or segment was a 422 naming it
    return StudioPublic.of(studio)


@router.post("/{studio_id}/delist", response_model=StudioPublic, summary="Delist a studio (摘牌, Article 9)")
@requires(STUDIO_DELIST, record="studio_id")
def delist_studio(studio_id: str, body: Delisting, request: Request, store: StoreDep, actor: ActorDep) -> StudioPublic:
    done = service.delist_studio(store, actor, studio_id, body.reason)  # it leaves its live alliances too
    wrote(request, {studio_id: done.exclusion} if done.exclusion else None)
    return StudioPublic.of(done.studio)


class LeaderChangeRequest(BaseModel):
    """A leader's death, retirement or departure with its year, or a new leader (one of the two)."""

    model_config = {"extra": "forbid"}

    status: WorkerStatus | None = None
    year: int | None = Field(default=None, ge=1949, le=2100)
    new_leader: str | None = Field(default=None, min_length=1, max_length=200)
    honours: list[Annotated[str, Field(min_length=1, max_length=200)]] = Field(default=[], max_length=20)
    note: str = Field(default="", max_length=2000)


class LeaderChangePublic(BaseModel):
    leader_id: str
    leader_name: str
    leader_status: WorkerStatus
    leader_status_year: int | None
    studios: list[str]
    """Every studio the leader leads: left out of matching at once when the leader is gone."""


@router.post(
    "/{studio_id}/leader",
    response_model=LeaderChangePublic,
    summary="Record a leader's death, retirement or departure, or a new leader (领衔人变动, Article 9)",
)
@requires(LEADER_CHANGE, record="studio_id")
def change_leader(
    studio_id: str, body: LeaderChangeRequest, request: Request, store: StoreDep, actor: ActorDep
) -> LeaderChangePublic:
    if (body.status is None) == (body.new_leader is None):
        raise Invalid("give either status (with year) or new_leader / 请给出领衔人状态（及年份）或新的领衔人之一")
    if body.new_leader is not None:
        change = service.appoint_leader(store, actor, studio_id, body.new_leader, tuple(body.honours), note=body.note)
    else:
        assert body.status is not None
        change = service.record_leader_status(store, actor, studio_id, body.status, body.year, note=body.note)
    wrote(request, dict.fromkeys(change.studio_ids, change.exclusion) if change.exclusion else None)
    return LeaderChangePublic(
        leader_id=change.leader.id,
        leader_name=change.leader.name,
        leader_status=change.leader.status,
        leader_status_year=change.leader.status_year,
        studios=list(change.studio_ids),
    )
