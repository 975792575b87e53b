"""The four views in headless Chromium: drawn, offline, in Chinese, and safe against hostile names."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from api.cli import app
from graph import taxonomy
from graph.file_store import FileStore
from graph.model import (
    Alliance,
    AllianceKind,
    AllianceStatus,
    Collaboration,
    Employer,
    ModelWorker,
    Record,
    Studio,
)
from graph.store import Projection
from matching.gaps import GapRadar
from matching.suggest import KINDS, Suggester
from visualizations.page import render, script_json, vis_assets
from visualizations.views import PHYSICS_LIMIT, alliance_view, chain_view, network_view, studio_view

from .browser import live_server, look

HOSTILE = [
    "<img src=x onerror=alert(1)>",
    "</script><script>alert(2)</script>",
    '"><svg onload=alert(3)>',
    "<b onmouseover=alert(4)>悬停</b>",
]


def _records() -> list[Record]:
    """A small IC-chain world in which studios, a district, an employer and expertise are hostile."""
    out: list[Record] = [*taxonomy.reference_records()]
    out.append(Employer(id="e-bad", name=HOSTILE[2]))
    out.append(Employer(id="e-ok", name="上海华虹宏力半导体制造有限公司"))
    out.append(ModelWorker(id="w-nat", name="李斌", honours=("全国劳动模范",)))
    segments = ["ic/design", "ic/wafer-fab", "ic/packaging-test", "ic/equipment", "ic/materials"]
    names = [*HOSTILE, "李斌劳模创新工作室", "王晓芳劳模创新工作室", "晶圆缺陷检测创新工作室", "封装可靠性工作室"]
    for i, name in enumerate(names):
        out.append(
            Studio(
                id=f"s{i}",
                name=name,
                district=HOSTILE[0] if i == 0 else ("浦东新区" if i % 2 else "闵行区"),
                employer_id="e-bad" if i < 2 else "e-ok",
                leader_id="w-nat" if i == 4 else None,
                trade_codes=("6-18-01-01",) if i % 2 else ("6-18-01-05",),
                industry_code="3973",
                segment_ids=(segments[i % len(segments)],),
                expertise=("晶圆刻蚀工艺；缺陷检测 " + HOSTILE[1]) if i < 4 else "晶圆刻蚀工艺；缺陷检测；封装可靠性",
                needs="光刻胶国产化；良率提升",
            )
        )
    out.append(Collaboration(studio_a="s0", studio_b="s4", year=2023, title=HOSTILE[3]))
    out.append(
        Alliance(id="al-x", name=HOSTILE[1] + "联盟", kind=AllianceKind.CHAIN, status=AllianceStatus.FORMED,
                 member_ids=("s0", "s4", "s5"), lead_studio_id="s4", chain_id="ic")
    )  # fmt: skip
    return out


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Projection, Suggester]:
    path = tmp_path_factory.mktemp("views") / "graph.json"
    store = FileStore(path)
    store.write(_records())
    projection = store.projection()
    return path, projection, Suggester().fit(projection)


def _page(tmp_path: Path, html: str, name: str) -> str:
    path = tmp_path / f"{name}.html"
    path.write_text(html, encoding="utf-8")
    return path.as_uri()


def _static_checks(html: str) -> None:
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", html), "a resource from the network"
    for hostile in HOSTILE:
        assert hostile not in html, f"{hostile!r} pasted into the page unescaped"
    # vis-network, the JSON data block, the page's own script (and what vis-network's code itself says)
    assert html.count("<script") == 3 + vis_assets()[0].count("<script")


def _browser_checks(seen: Any, nodes: int, edges: int) -> None:
    assert seen.drawn
    assert (seen.nodes, seen.edges) == (nodes, edges)
    assert seen.external == [], seen.external
    assert seen.console_errors == [] and seen.page_errors == [], (seen.console_errors, seen.page_errors)
    assert seen.dialogs == [], "a hostile name ran as script"
    assert seen.images == 0, "a hostile name became an element"


def test_studio_view_shows_partners_of_every_kind_safely(world: Any, tmp_path: Path) -> None:
    _, projection, suggester = world
    view = studio_view(suggester, projection, "s0", top=3)
    html = render(view)
    _static_checks(html)
    partners = {x.partner_id for k in KINDS for x in suggester.suggest("s0", k, 3)}
    ids = {n["id"] for n in view.network.nodes}
    assert {"s0", "s4", "alliance:al-x"} | partners <= ids  # itself, its collaborator, its alliance
    seen = look(_page(tmp_path, html, "studio"), "studio.png", search="img", hover_node="s0")
    _browser_checks(seen, len(ids), len(view.network.edges))
    assert HOSTILE[0] in seen.text  # the title and the search result show the name as text
    assert HOSTILE[0] in seen.found
    assert HOSTILE[0] in seen.tooltip and "晶圆刻蚀工艺" in seen.tooltip
    assert "同工种伙伴" in seen.legend and any(o.startswith("伙伴类型：") for o in seen.filter_options)


def test_alliance_view_shows_members_and_their_ties(world: Any, tmp_path: Path) -> None:
    _, projection, suggester = world
    view = alliance_view(suggester, projection, "al-x")
    html = render(view)
    _static_checks(html)
    members = {n["id"] for n in view.network.nodes if not str(n["id"]).count(":")}
    assert members == {"s0", "s4", "s5"}
    seen = look(_page(tmp_path, html, "alliance"), "alliance.png")
    _browser_checks(seen, len(view.network.nodes), len(view.network.edges))
    assert HOSTILE[1] + "联盟" in seen.text  # the alliance's hostile name, as the page title text
    assert f"区：{HOSTILE[0]}" in seen.filter_options  # a hostile district, as a menu entry


def test_chain_view_lays_out_segments_and_marks_gaps_and_barriers(world: Any, tmp_path: Path) -> None:
    _, projection, suggester = world
    report = GapRadar(suggester, projection).report("ic")
    view = chain_view(report, projection, "ic")
    html = render(view)
    _static_checks(html)
    nodes = {n["id"]: n for n in view.network.nodes}
    segments = [g.id for g in projection.segments if g.chain_id == "ic"]
    assert set(segments) <= set(nodes)
    gaps = {r.segment for r in report.rows if r.status.value == "gap"}
    assert gaps and all(nodes[g]["status"] == "空白" for g in gaps)
    # upstream segments sit left of what they supply
    for e in projection.supplies:
        if e.upstream_id in nodes and e.downstream_id in nodes:
            assert nodes[e.upstream_id]["x"] < nodes[e.downstream_id]["x"]
    barriers = [r for r in report.rows if r.status.value == "barrier"]
    assert sum(1 for e in view.network.edges if e.get("label") == "壁垒") == len(barriers)
    seen = look(_page(tmp_path, html, "chain"), "chain.png")
    _browser_checks(seen, len(nodes), len(view.network.edges))
    assert "空白环节" in seen.legend and "集成电路" in seen.text


@pytest.mark.parametrize("colour_by", ["industry", "district", "community"])
def test_network_overview_colours_filters_and_searches(world: Any, tmp_path: Path, colour_by: str) -> None:
    _, projection, suggester = world
    view = network_view(suggester, projection, colour_by=colour_by)
    html = render(view)
    _static_checks(html)
    live = sum(1 for s in projection.studios if s.status.value == "active")
    seen = look(_page(tmp_path, html, f"network-{colour_by}"), f"network-{colour_by}.png", search="劳模")
    _browser_checks(seen, live, len(view.network.edges))
    assert "李斌劳模创新工作室" in seen.found
    if colour_by == "district":
        assert any(HOSTILE[0] in item for item in seen.legend)


def test_pages_are_deterministic(world: Any) -> None:
    _, projection, suggester = world
    for make in (
        lambda: studio_view(suggester, projection, "s4"),
        lambda: alliance_view(suggester, projection, "al-x"),
        lambda: chain_view(GapRadar(suggester, projection).report("ic"), projection, "ic"),
        lambda: network_view(suggester, projection, colour_by="community"),
    ):
        assert render(make()) == render(make())


def test_script_json_cannot_close_the_script_element() -> None:
    text = script_json({"name": "</script><!-- \u2028 & >"})
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text


def test_a_5000_studio_overview_is_laid_out_here_and_draws(tmp_path: Path) -> None:
    from ingest.synthetic import records as roster

    store = FileStore(tmp_path / "big.json")
    store.write(taxonomy.reference_records())
    store.write(roster(5_000, seed=3))
    projection = store.projection()
    suggester = Suggester().fit(projection)
    view = network_view(suggester, projection)
    assert len(view.network.nodes) == 5_000 > PHYSICS_LIMIT
    assert all(n["physics"] is False and "x" in n for n in view.network.nodes)
    html = render(view)
    seen = look(_page(tmp_path, html, "network-5000"), "network-5000.png", timeout_ms=120_000)
    _browser_checks(seen, 5_000, len(view.network.edges))


def test_view_command_writes_each_kind(world: Any, tmp_path: Path) -> None:
    path, _, _ = world
    runner = CliRunner()
    for args in (["studio", "s4"], ["alliance", "al-x"], ["chain", "ic"], ["network", "--color-by", "district"]):
        out = tmp_path / f"{args[0]}.html"
        result = runner.invoke(app, ["--store", str(path), "view", *args, "--out", str(out)])
        assert result.exit_code == 0, result.output
        _static_checks(out.read_text(encoding="utf-8"))
    missing = runner.invoke(app, ["--store", str(path), "view", "studio", "nobody", "--out", str(tmp_path / "x.html")])
    assert missing.exit_code == 4
    assert runner.invoke(app, ["--store", str(path), "view", "chain", "--out", str(tmp_path / "y.html")]).exit_code == 2


@pytest.fixture
def live_api(world: Any) -> Any:
    """The real app on a loopback port (uvicorn in a thread), with a studio key."""
    from api.app import create_app
    from graph.keys import create_key
    from graph.model import Role

    path, _, _ = world
    _, token = create_key(FileStore(path), "测试工作室", Role.STUDIO, studio_id="s4")
    with live_server(create_app(str(path))) as base:
        yield base, token


def test_views_open_from_the_live_api(live_api: Any, world: Any) -> None:
    base, token = live_api
    _, projection, suggester = world
    expected = {
        "studio/s0": studio_view(suggester, projection, "s0"),
        "alliance/al-x": alliance_view(suggester, projection, "al-x"),
        "chain/ic": chain_view(GapRadar(suggester, projection).report("ic"), projection, "ic"),
        "network": network_view(suggester, projection),
    }
    for path, view in expected.items():
        seen = look(f"{base}/views/{path}", f"api-{path.replace('/', '-')}.png", headers={"X-API-Key": token})
        _browser_checks(seen, len(view.network.nodes), len(view.network.edges))
    assert HOSTILE[0] in look(f"{base}/views/studio/s0", "api-studio-again.png", headers={"X-API-Key": token}).text
