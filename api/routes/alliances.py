"""Alliances and gaps (read side): alliances with their history, the gap radar per chain."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from graph.alliances import history
from graph.errors import NotFound
from graph.model import Alliance, AllianceKind, AllianceStatus

from ..deps import CallerDep, ModelsDep, StoreDep

router = APIRouter(tags=["alliances and gaps"])


@router.get("/alliances", summary="Alliances, optionally by status and kind")
def list_alliances(
    store: StoreDep, caller: CallerDep, status: AllianceStatus | None = None, kind: AllianceKind | None = None
) -> list[dict[str, Any]]:
    return [
        a.model_dump(mode="json")
        for a in store.list(Alliance)
        if (status is None or a.status is status) and (kind is None or a.kind is kind)
    ]


@router.get("/alliances/{alliance_id}", summary="One alliance with its history (who did what, when)")
def get_alliance(alliance_id: str, store: StoreDep, caller: CallerDep) -> dict[str, Any]:
    alliance = store.get(Alliance, alliance_id)
    return {
        **alliance.model_dump(mode="json"),
        "history": [e.model_dump(mode="json") for e in history(store, alliance_id)],
    }


@router.get("/gaps", summary="The gap radar: gaps, weak segments, barriers, fill candidates, project needs")
def gaps(
    models: ModelsDep,
    caller: CallerDep,
    chain: str | None = None,
    weak_below: Annotated[int, Query(ge=1, le=1000)] = 3,
    candidates: Annotated[int, Query(ge=0, le=50)] = 5,
) -> dict[str, Any]:
    from matching.gaps import GapRadar, RadarSettings

    projection, suggester = models
    try:
        report = GapRadar(suggester, projection, RadarSettings(weak_below=weak_below, candidates=candidates)).report(
            chain
        )
    except KeyError:
        raise NotFound("Chain", chain or "") from None
    return report.to_json()
