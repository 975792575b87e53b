"""``alliances view studio|alliance|chain|network``: a network view as one standalone HTML file."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from .cli_common import StoreOption, _store, app, err, out


class ViewKind(StrEnum):
    STUDIO = "studio"
    ALLIANCE = "alliance"
    CHAIN = "chain"
    NETWORK = "network"


class ColourBy(StrEnum):
    INDUSTRY = "industry"
    DISTRICT = "district"
    COMMUNITY = "community"


@app.command("view")
def view_command(
    kind: Annotated[ViewKind, typer.Argument(help="studio | alliance | chain | network")],
    key: Annotated[str | None, typer.Argument(help="The studio, alliance or chain id (none for network).")] = None,
    out_file: Annotated[Path, typer.Option("--out", help="The HTML file to write.")] = Path("view.html"),
    store: StoreOption = None,
    top: Annotated[int, typer.Option(min=1, max=50, help="Studio view: partners per kind.")] = 5,
    colour_by: Annotated[
        ColourBy, typer.Option("--color-by", help="Network view: colour studios by.")
    ] = ColourBy.INDUSTRY,
    limit: Annotated[int | None, typer.Option(min=1, help="Network view: at most this many studios.")] = None,
) -> None:
    """Draw a network view (网络视图) as a standalone HTML page that works offline."""
    from graph.model import RankingModel
    from matching.gaps import GapRadar
    from matching.tune import latest, suggester_for
    from visualizations.page import render
    from visualizations.views import alliance_view, chain_view, network_view, studio_view

    if kind is not ViewKind.NETWORK and not key:
        err.print(f"error: say which {kind.value} to draw")
        raise typer.Exit(2)
    with _store(store) as st:
        projection = st.projection()
        suggester = suggester_for(latest(st.list(RankingModel))).fit(projection)
    try:
        if kind is ViewKind.STUDIO:
            view = studio_view(suggester, projection, suggester.features_.ids[suggester.studio_row(key or "")], top=top)
        elif kind is ViewKind.ALLIANCE:
            view = alliance_view(suggester, projection, key or "")
        elif kind is ViewKind.CHAIN:
            view = chain_view(GapRadar(suggester, projection).report(key), projection, key or "")
        else:
            view = network_view(suggester, projection, colour_by=colour_by.value, limit=limit)
    except KeyError:
        err.print(f"error: no {kind.value} {key!r} / 没有找到")
        raise typer.Exit(4) from None
    out_file.parent.mkdir(parents=True, exist_ok=True)
    out_file.write_text(render(view), encoding="utf-8")
    out.print(f"{view.title}: {len(view.network.nodes)} nodes, {len(view.network.edges)} edges → {out_file}")
