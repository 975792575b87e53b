"""``alliances view studio|alliance|chain|network``: a network view as one standalone HTML file."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from .cli_common import StoreOption, _store, app, out


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
    from services.fits import fit_once
    from services.views import draw
    from visualizations.page import render

    with _store(store) as st:
        fit = fit_once(st)
        view = draw(fit, kind.value, key, top=top, colour_by=colour_by.value, limit=limit)
    out_file.parent.mkdir(parents=True, exist_ok=True)
    out_file.write_text(render(view), encoding="utf-8")
    out.print(f"{view.title}: {len(view.network.nodes)} nodes, {len(view.network.edges)} edges → {out_file}")
