"""The network views (网络视图): a studio with its partners, an alliance, a chain with its gaps, and
the overview of every live studio — drawn on a :class:`services.fits.Fit`, as one self-contained
HTML page each (the CLI writes it to a file, the API and the console serve it)."""

from __future__ import annotations

from typing import Literal

from graph.errors import Invalid, NotFound
from matching.gaps import GapRadar
from visualizations.page import View
from visualizations.views import alliance_view, chain_view, network_view, studio_view

from .fits import Fit

ViewKind = Literal["studio", "alliance", "chain", "network"]
ColourBy = Literal["industry", "district", "community"]


def draw(
    fit: Fit,
    kind: ViewKind,
    key: str | None = None,
    *,
    top: int = 5,
    colour_by: ColourBy = "industry",
    limit: int | None = None,
) -> View:
    """The view of one studio (by id or exact name), alliance or chain, or the network of every live
        studio (``key`` unused). An unknown key is :class:`NotFound`. ``visualizations.page.render`` makes
    it one standalone HTML page that works offline."""
    suggester, projection = fit.suggester, fit.projection
    if kind == "network":
        return network_view(suggester, projection, colour_by=colour_by, limit=limit)
    if not key:
        raise Invalid(f"say which {kind} to draw / 请指明要绘制的对象")
    try:
        if kind == "studio":
            return studio_view(suggester, projection, suggester.features_.ids[suggester.studio_row(key)], top=top)
        if kind == "alliance":
            return alliance_view(suggester, projection, key)
        return chain_view(GapRadar(suggester, projection).report(key), projection, key)
    except KeyError:
        raise NotFound(kind.capitalize(), key) from None
    except ValueError as exc:  # a name several studios share
        raise Invalid(str(exc)) from None
