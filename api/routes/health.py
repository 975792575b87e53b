"""``GET /health``: is the store reachable, and what it holds (no key needed)."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from ..deps import StoreDep
from ..guards import GuardedRoute

router = APIRouter(tags=["health"], route_class=GuardedRoute)


class Health(BaseModel):
    status: str
    store: str
    counts: dict[str, int]

    model_config = {
        "json_schema_extra": {
            "examples": [{"status": "ok", "store": "bolt://127.0.0.1:7687", "counts": {"Studio": 360, "Alliance": 12}}]
        }
    }


@router.get("/health", response_model=Health, summary="Store reachability and counts (no key needed)")
def health(store: StoreDep) -> Health:
    return Health(status="ok", store=store.location, counts=store.counts())
