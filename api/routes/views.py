"""The network views as HTML pages (the same pages ``alliances view`` writes), served with a
Content-Security-Policy that lets nothing load or connect: the pages are self-contained."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from graph.errors import NotFound

from ..deps import CacheDep, CallerDep

router = APIRouter(prefix="/views", tags=["views"])

CSP = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; "
    "connect-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'"
)


def _page(html: str) -> HTMLResponse:
    return HTMLResponse(html, headers={"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff"})


@router.get("/network", response_class=HTMLResponse, summary="Overview of every live studio")
def network(
    cache: CacheDep, caller: CallerDep, color_by: Literal["industry", "district", "community"] = "industry"
) -> HTMLResponse:
    from visualizations.page import render
    from visualizations.views import network_view

    html = cache(("view", "network", color_by), lambda p, s: render(network_view(s, p, colour_by=color_by)))
    return _page(html)


@router.get("/{kind}/{key}", response_class=HTMLResponse, summary="A studio, alliance or chain view")
def view(kind: Literal["studio", "alliance", "chain"], key: str, cache: CacheDep, caller: CallerDep) -> HTMLResponse:
    from matching.gaps import GapRadar
    from visualizations.page import render
    from visualizations.views import alliance_view, chain_view, studio_view

    def make(projection: Any, suggester: Any) -> str:
        if kind == "studio":
            page = studio_view(suggester, projection, key)
        elif kind == "alliance":
            page = alliance_view(suggester, projection, key)
        else:
            page = chain_view(GapRadar(suggester, projection).report(key), projection, key)
        return render(page)

    try:
        html: str = cache(("view", kind, key), make)
    except KeyError:
        raise NotFound(kind.capitalize(), key) from None
    return _page(html)
