"""The network views as HTML pages (the same pages ``alliances view`` writes), served with a
Content-Security-Policy that lets nothing load or connect: the pages are self-contained."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from services.views import ColourBy, draw
from visualizations.page import render

from ..deps import ActorDep, CacheDep
from ..guards import GuardedRoute
from ..responses import view_page

router = APIRouter(prefix="/views", tags=["views"], route_class=GuardedRoute)


@router.get("/network", response_class=HTMLResponse, summary="Overview of every live studio")
def network(cache: CacheDep, actor: ActorDep, color_by: ColourBy = "industry") -> HTMLResponse:
    return view_page(cache(("view", "network", color_by), lambda fit: render(draw(fit, "network", colour_by=color_by))))


@router.get("/{kind}/{key}", response_class=HTMLResponse, summary="A studio, alliance or chain view")
def view(kind: Literal["studio", "alliance", "chain"], key: str, cache: CacheDep, actor: ActorDep) -> HTMLResponse:
    return view_page(cache(("view", kind, key), lambda fit: render(draw(fit, kind, key))))
