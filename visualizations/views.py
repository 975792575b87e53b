"""The four network views, each a :class:`visualizations.page.View` built from matching results and
projection records (never from a store):

- :func:`studio_view`: a studio, its suggested partners coloured by Article 12 kind (edges carry the
  score; hovering shows the reasons), its live alliances and past collaborations;
- :func:`alliance_view`: an alliance's members with their trades, industries and segments, and the
  ties between members;
- :func:`chain_view`: a chain's segments left to right, upstream → downstream, studios under their
  segments, gaps (空白) and barriers (壁垒) drawn to stand out, with counts;
- :func:`network_view`: every live studio coloured by industry, district or community, with search
  and a filter; past ``PHYSICS_LIMIT`` studios the positions are computed here (grouped rings, no
  physics) so that a 5,000-studio page is interactive in seconds.

Every page is deterministic for the same input: nodes and edges are added in sorted order, and the
layout is either fixed positions or vis-network's layout with a fixed seed.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

import networkx as nx
import numpy as np
from pyvis.network import Network

from graph.labels import ALLIANCE_KIND_ZH as KIND_ZH
from graph.labels import GAP_STATUS_ZH
from graph.model import AllianceKind, AllianceStatus, Studio, StudioStatus
from graph.store import Projection
from matching.gaps import GapReport, GapRow, GapStatus
from matching.suggest import KINDS, Suggester

from .page import LegendItem, View

PHYSICS_LIMIT = 1_500
"""Above this many nodes the overview is laid out here and drawn with physics off."""

KIND_COLOUR = {
    AllianceKind.SAME_TRADE: "#1f77b4",
    AllianceKind.SAME_INDUSTRY: "#2ca02c",
    AllianceKind.CROSS_FIELD: "#9467bd",
    AllianceKind.CHAIN: "#ff7f0e",
}
CENTRE = "#c0392b"
ALLIANCE = "#8e6c3a"
GREY = "#9aa5b1"
GAP = "#d64545"
WEAK = "#f0b429"
COVERED = "#3e8e41"
MEMBER = "#2f6690"
"""A studio that is not the one a view is about: an alliance's member, a studio under its segment."""
TIE = "#7f7f7f"
SUPPLY = "#52606d"
STATUS_COLOUR = {GapStatus.GAP: GAP, GapStatus.WEAK: WEAK, GapStatus.COVERED: COVERED}
ATTRIBUTE_STYLE = {"trade": ("#4c78a8", "工种"), "industry": ("#54a24b", "行业"), "segment": ("#f58518", "产业链环节")}
"""Colour and Chinese name of each kind of attribute box (an alliance's trades, industries, segments)."""
PALETTE = (
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#17becf",
    "#bcbd22",
    "#393b79",
    "#637939",
    "#8c6d31",
    "#843c39",
    "#7b4173",
    "#3182bd",
    "#e6550d",
    "#31a354",
    "#756bb1",
)
"""Colours for groups (industries, districts, communities); the rest share grey."""

Names = dict[str, dict[str, str]]
"""Display names by kind of record (trade, industry, segment, chain, union), then by key."""


def _network(height: str = "720px", *, physics: bool = True, seed: int = 7) -> Network:
    net = Network(height=height, width="100%", directed=True, cdn_resources="in_line")
    net.set_options(
        "{"
        f'"layout": {{"randomSeed": {seed}, "improvedLayout": true}},'
        '"interaction": {"hover": true, "tooltipDelay": 150, "navigationButtons": false},'
        f'"physics": {{"enabled": {"true" if physics else "false"}, "solver": "barnesHut",'
        '"barnesHut": {"gravitationalConstant": -9000, "springLength": 200, "avoidOverlap": 0.4},'
        '"stabilization": {"enabled": true, "iterations": 300, "fit": true}},'
        '"edges": {"smooth": false, "font": {"size": 11, "align": "middle"}},'
        '"nodes": {"font": {"size": 14, "face": "Noto Sans CJK SC, Microsoft YaHei, sans-serif"}}'
        "}"
    )
    return net


def _studio_tip(s: Studio, names: Names) -> str:
    lines = [s.name, f"编号：{s.id}"]
    if s.district:
        lines.append(f"所在区：{s.district}")
    trades = [names["trade"].get(c, c) for c in s.effective_trades]
    if trades:
        lines.append("工种：" + "、".join(trades))
    industry = s.effective_industry
    if industry:
        lines.append(f"行业：{names['industry'].get(industry, industry)}")
    segments = [names["segment"].get(g, g) for g in s.effective_segments]
    if segments:
        lines.append("产业链环节：" + "、".join(segments))
    if s.expertise:
        lines.append("技术专长：" + _short(s.expertise, 80))
    if s.needs:
        lines.append("攻关需求：" + _short(s.needs, 80))
    if s.status is not StudioStatus.ACTIVE:
        lines.append(f"状态：{s.status.value}")
    return "\n".join(lines)


def _short(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _names(projection: Projection) -> Names:
    return {
        "trade": {t.code: t.name for t in projection.trades},
        "industry": {i.code: i.name for i in projection.industries},
        "segment": {g.id: g.name for g in projection.segments},
        "chain": {c.id: c.name for c in projection.chains},
        "union": {u.id: u.name for u in projection.unions},
    }


def _label(name: str, n: int = 14) -> str:
    return _short(name, n)


def _studio_node(
    net: Network,
    node: str,
    s: Studio,
    names: Names,
    *,
    colour: str,
    size: int,
    chars: int = 14,
    shape: str = "dot",
    note: str = "",
    place: tuple[int, int] | None = None,
    **fields: Any,
) -> None:
    """A studio as every view draws it: its name cut to ``chars``, its card (plus ``note``) as the
    tooltip; ``place`` pins it there (x, y, physics off); ``fields`` go on the node as given (the
    page's filter fields, ``always`` …). The page data keeps the keywords' order, so it is kept."""
    pinned: dict[str, Any] = {} if place is None else {"x": place[0], "y": place[1], "physics": False}
    net.add_node(
        node,
        label=_label(s.name, chars),
        name=s.name,
        **pinned,
        color=colour,
        shape=shape,
        size=size,
        tip=_studio_tip(s, names) + note,
        **fields,
    )


def _score_edge(net: Network, a: str, b: str, score: float, colour: str, tip: str, *, directed: bool = True) -> None:
    """A tie between two studios as thick as its score, the score written on it."""
    arrows: dict[str, str] = {} if directed else {"arrows": ""}
    net.add_edge(a, b, color=colour, **arrows, width=1 + 4 * score, label=f"{score:.2f}", tip=tip)


# -- studio --------------------------------------------------------------------------------------------
def studio_view(suggester: Suggester, projection: Projection, studio_id: str, *, top: int = 5) -> View:
    """A studio with its top partners of every kind, its live alliances and its collaborations."""
    studios = {s.id: s for s in projection.studios}
    if studio_id not in studios:
        raise KeyError(studio_id)
    names = _names(projection)
    me = studios[studio_id]
    net = _network()
    _studio_node(net, me.id, me, names, colour=CENTRE, size=34, chars=18, shape="star", kind="本工作室", always=True)
    found = {k: suggester.suggest(studio_id, k, top) for k in KINDS} if me.status is StudioStatus.ACTIVE else {}
    first_kind: dict[str, AllianceKind] = {}
    for kind in KINDS:
        for x in found.get(kind, []):
            first_kind.setdefault(x.partner_id, kind)
    collaborations = _collaborators(projection, studio_id)
    others = sorted(set(first_kind) | set(collaborations))
    for other in others:
        best = first_kind.get(other)
        _studio_node(net, other, studios[other], names, colour=KIND_COLOUR[best] if best else GREY, size=18,
                     kind=KIND_ZH[best] if best else "过往合作")  # fmt: skip
    for kind in KINDS:
        for x in found.get(kind, []):
            tip = f"{KIND_ZH[kind]} · 得分 {x.score:.2f}\n" + "\n".join(x.reasons)
            _score_edge(net, studio_id, x.partner_id, x.score, KIND_COLOUR[kind], tip)
    _collaboration_edges(net, studio_id, collaborations)
    _alliance_nodes(net, projection, studio_id, others)
    subtitle = f"{me.id} · {me.district or ''} · 每类前 {top} 名伙伴，连线粗细与数字为匹配得分，悬停查看理由"
    notes = [] if me.status is StudioStatus.ACTIVE else [f"该工作室状态为 {me.status.value}，不推荐伙伴（第九条）"]
    return View(net, f"{me.name} · 合作伙伴网络", subtitle, _studio_legend(), {"伙伴类型": "kind"}, notes)


def _collaborators(projection: Projection, studio_id: str) -> dict[str, list[int]]:
    """The studios ``studio_id`` worked with before, each with the years (in record order)."""
    out: dict[str, list[int]] = defaultdict(list)
    for c in projection.collaborations:
        if studio_id in (c.studio_a, c.studio_b):
            out[c.studio_b if c.studio_a == studio_id else c.studio_a].append(c.year)
    return out


def _collaboration_edges(net: Network, studio_id: str, collaborations: dict[str, list[int]]) -> None:
    """A dashed grey line to each past collaborator, labelled with the years."""
    for other, years in sorted(collaborations.items()):
        net.add_edge(
            studio_id,
            other,
            color=GREY,
            dashes=True,
            arrows="",
            label="、".join(map(str, sorted(years))),
            tip=f"过往合作：{'、'.join(map(str, sorted(years)))} 年",
        )


def _alliance_nodes(net: Network, projection: Projection, studio_id: str, others: list[str]) -> None:
    """The studio's live alliances as diamonds, tied to it and to the partners on the page in them."""
    live = sorted((a for a in projection.alliances if a.is_live and studio_id in a.member_ids), key=lambda a: a.id)
    for a in live:
        node = f"alliance:{a.id}"
        status = "已组建" if a.status is AllianceStatus.FORMED else "提议中"
        net.add_node(
            node,
            label=_label(a.name, 16),
            color=ALLIANCE,
            shape="diamond",
            size=20,
            kind="联盟",
            tip=f"{a.name}\n{KIND_ZH.get(a.kind, a.kind.value)}联盟 · {status} · {len(a.member_ids)} 家成员",
        )
        net.add_edge(studio_id, node, color=ALLIANCE, arrows="", tip=f"成员：{a.name}")
        for other in others:
            if other in a.member_ids:
                net.add_edge(other, node, color=ALLIANCE, arrows="", dashes=True, tip=f"同为成员：{a.name}")


def _studio_legend() -> list[LegendItem]:
    """The studio view's legend: the studio, its partners by kind, collaborations, alliances."""
    legend = [LegendItem("本工作室", CENTRE, "dot")]
    legend += [LegendItem(f"{KIND_ZH[k]}伙伴", KIND_COLOUR[k]) for k in KINDS]
    legend += [LegendItem("过往合作", GREY, "line", dashed=True), LegendItem("所在联盟", ALLIANCE, "diamond")]
    return legend


# -- alliance ------------------------------------------------------------------------------------------
def alliance_view(suggester: Suggester, projection: Projection, alliance_id: str) -> View:
    """An alliance's members, their trades, industries and segments, and the ties between them."""
    alliance = next((a for a in projection.alliances if a.id == alliance_id), None)
    if alliance is None:
        raise KeyError(alliance_id)
    studios = {s.id: s for s in projection.studios}
    names = _names(projection)
    members = [m for m in alliance.member_ids if m in studios]
    net = _network()
    for m in members:
        lead = m == alliance.lead_studio_id
        _studio_node(net, m, studios[m], names, colour=CENTRE if lead else MEMBER, size=28 if lead else 20,
                     shape="star" if lead else "dot", note="\n建议牵头" if lead else "",
                     district=studios[m].district or "", always=False)  # fmt: skip
    _attribute_nodes(net, [studios[m] for m in members], names)
    if len(members) >= 2:
        _member_ties(net, suggester, members)
    status = {"proposed": "提议中", "formed": "已组建", "rejected": "未采纳", "dissolved": "已解散"}[
        alliance.status.value
    ]
    subtitle = (
        f"{alliance.id} · {KIND_ZH.get(alliance.kind, alliance.kind.value)}联盟 · {status} · {len(members)} 家成员"
    )
    notes = list(alliance.reasons)
    if alliance.former_member_ids:
        notes.append("已退出：" + "、".join(studios[m].name if m in studios else m for m in alliance.former_member_ids))
    return View(net, alliance.name, subtitle, _alliance_legend(), {"区": "district"}, notes)


def _attributes(s: Studio, names: Names) -> list[tuple[str, str, str]]:
    """(kind, key, name) of a studio's trades, industry and segments, entered else inferred."""
    out = [("trade", c, names["trade"].get(c, c)) for c in s.effective_trades]
    industry = s.effective_industry
    if industry:
        out.append(("industry", industry, names["industry"].get(industry, industry)))
    out += [("segment", g, names["segment"].get(g, g)) for g in s.effective_segments]
    return out


def _attribute_nodes(net: Network, members: list[Studio], names: Names) -> None:
    """One box per trade, industry and segment of the members, each tied to the members that have it."""
    added: set[str] = set()
    for s in members:
        for what, key, label in _attributes(s, names):
            node = f"{what}:{key}"
            colour, zh = ATTRIBUTE_STYLE[what]
            if node not in added:
                added.add(node)
                net.add_node(
                    node, label=_label(label, 12), color=colour, shape="box", tip=f"{zh}：{label}", always=True
                )
            net.add_edge(s.id, node, color=colour, arrows="", width=1)


def _member_ties(net: Network, suggester: Suggester, members: list[str]) -> None:
    """Between every two members, their best score of the kinds that judge a team (same trade, same
    industry, chain), as a grey line."""
    rows = np.array([suggester.features_.row[m] for m in members])
    best = np.zeros((len(rows), len(rows)))
    why = np.full((len(rows), len(rows)), "", dtype=object)
    for kind in (AllianceKind.SAME_TRADE, AllianceKind.SAME_INDUSTRY, AllianceKind.CHAIN):
        scores = suggester.pair_scores(rows, rows, kind)
        better = scores > best
        best = np.where(better, scores, best)
        why = np.where(better, KIND_ZH[kind], why)
    for i in range(len(members)):
        for j in range(i + 1, len(members)):
            if best[i, j] > 0:
                tip = f"{why[i, j]} · 得分 {best[i, j]:.2f}"
                _score_edge(net, members[i], members[j], float(best[i, j]), TIE, tip, directed=False)


def _alliance_legend() -> list[LegendItem]:
    """The alliance view's legend: the lead, the members, the attribute boxes, the ties."""
    return [
        LegendItem("建议牵头", CENTRE),
        LegendItem("成员工作室", MEMBER),
        *(LegendItem(zh, colour, "box") for colour, zh in ATTRIBUTE_STYLE.values()),
        LegendItem("成员间联系（得分）", TIE, "line"),
    ]


# -- chain ---------------------------------------------------------------------------------------------
def chain_view(report: GapReport, projection: Projection, chain_id: str, *, per_segment: int = 8) -> View:
    """A chain upstream → downstream with its studios, gaps and barriers (from the gap radar)."""
    chain = next((c for c in report.chains if c.chain == chain_id), None)
    if chain is None:
        raise KeyError(chain_id)
    names = _names(projection)
    rows = [r for r in report.rows if r.chain == chain_id]
    segments = [r for r in rows if r.status is not GapStatus.BARRIER]
    barriers = {(r.segment, r.downstream) for r in rows if r.status is GapStatus.BARRIER}
    studios_in = _active_studios_by_segment(projection)
    net = _network("760px", physics=False)
    positions = _chain_positions([r.segment for r in segments], projection)
    for r in segments:
        _segment_node(net, r, positions[r.segment])
        _segment_studios(net, r, positions[r.segment], studios_in.get(r.segment, []), per_segment, names)
    _supply_edges(net, projection, positions, barriers, names)
    subtitle = (
        f"{chain.covered}/{chain.segments} 个环节有工作室 · 空白 {chain.gaps} · 薄弱 {chain.weak} · "
        f"壁垒 {chain.barriers} · 从左到右为上游 → 下游"
    )
    return View(net, f"{chain.name}产业链 · 环节覆盖与壁垒", subtitle, _chain_legend(), {"环节状态": "status"})


def _active_studios_by_segment(projection: Projection) -> dict[str, list[Studio]]:
    """The active studios of each segment (entered, else inferred), in id order."""
    out: dict[str, list[Studio]] = defaultdict(list)
    for s in sorted(projection.studios, key=lambda s: s.id):
        if s.status is StudioStatus.ACTIVE:
            for g in s.effective_segments:
                out[g].append(s)
    return out


def _segment_node(net: Network, r: GapRow, at: tuple[int, int]) -> None:
    """A segment as a box coloured by its status (a gap's border dashed), its counts as the tooltip."""
    x, y = at
    lines = [
        f"{r.segment_name}（{GAP_STATUS_ZH[r.status]}）",
        f"工作室 {r.studios} 家（其中推断 {r.inferred} 家）",
        f"全国劳模领衔 {r.national_leaders} 家",
        f"已组建联盟 {r.alliances} 个",
    ]
    if r.candidates:
        lines.append("建议填补：" + "、".join(c.name for c in r.candidates[:3]))
    net.add_node(
        r.segment,
        label=f"{r.segment_name}\n{r.studios} 家 · {GAP_STATUS_ZH[r.status]}",
        shape="box",
        x=x,
        y=y,
        physics=False,
        color=STATUS_COLOUR[r.status],
        borderWidth=3 if r.status is GapStatus.GAP else 1,
        shapeProperties={"borderDashes": [6, 4]} if r.status is GapStatus.GAP else {},
        font={"size": 16, "color": "#ffffff" if r.status is not GapStatus.WEAK else "#1f2933"},
        tip="\n".join(lines),
        status=GAP_STATUS_ZH[r.status],
        always=True,
    )


def _segment_studios(
    net: Network, r: GapRow, at: tuple[int, int], members: list[Studio], per_segment: int, names: Names
) -> None:
    """The first ``per_segment`` studios of a segment in rows of four under it, and how many more."""
    x, y = at
    for k, s in enumerate(members[:per_segment]):
        node = f"{r.segment}|{s.id}"
        place = (x + int((k % 4 - 1.5) * 105), y + 75 + (k // 4) * 70)
        _studio_node(net, node, s, names, colour=MEMBER, size=10, chars=8, place=place, status=GAP_STATUS_ZH[r.status])
        net.add_edge(r.segment, node, color="#c5ced8", arrows="", width=1)
    if len(members) > per_segment:
        net.add_node(
            f"{r.segment}|more",
            label=f"另有 {len(members) - per_segment} 家",
            shape="text",
            x=x,
            y=y + 75 + 2 * 70,
            physics=False,
            tip=f"{r.segment_name}共 {len(members)} 家工作室",
            status=GAP_STATUS_ZH[r.status],
        )


def _supply_edges(
    net: Network,
    projection: Projection,
    positions: dict[str, tuple[int, int]],
    barriers: set[tuple[str, str | None]],
    names: Names,
) -> None:
    """The ``SUPPLIES`` edges between the drawn segments, barriers red, thick and dashed."""
    supplies = sorted(
        (e for e in projection.supplies if e.upstream_id in positions and e.downstream_id in positions),
        key=lambda e: (e.upstream_id, e.downstream_id),
    )
    for e in supplies:
        barrier = (e.upstream_id, e.downstream_id) in barriers
        up, down = (
            names["segment"].get(e.upstream_id, e.upstream_id),
            names["segment"].get(e.downstream_id, e.downstream_id),
        )
        tip = f"{up} → {down}（供给强度 {e.weight:.2f}）"
        if barrier:
            tip += "\n壁垒：两端都有工作室，但没有合作或已组建联盟跨越"
        net.add_edge(
            e.upstream_id,
            e.downstream_id,
            color=GAP if barrier else SUPPLY,
            width=4 if barrier else 2,
            dashes=barrier,
            label="壁垒" if barrier else f"{e.weight:.1f}",
            tip=tip,
            arrows="to",
        )


def _chain_legend() -> list[LegendItem]:
    """The chain view's legend: segments by status, studios, supplies, barriers."""
    by_status = (GapStatus.COVERED, GapStatus.WEAK, GapStatus.GAP)
    return [
        *(LegendItem(f"{GAP_STATUS_ZH[g]}环节", STATUS_COLOUR[g], "box") for g in by_status),
        LegendItem("工作室", MEMBER),
        LegendItem("上下游供给", SUPPLY, "line"),
        LegendItem("壁垒", GAP, "line", dashed=True),
    ]


def _chain_positions(segments: list[str], projection: Projection) -> dict[str, tuple[int, int]]:
    """Segments left to right by their depth along ``SUPPLIES`` (longest path from the chain's
    sources: upstream first), stacked within a depth in stage then id order."""
    graph: nx.DiGraph[str] = nx.DiGraph()
    graph.add_nodes_from(segments)
    graph.add_edges_from(
        (e.upstream_id, e.downstream_id)
        for e in projection.supplies
        if e.upstream_id in graph and e.downstream_id in graph
    )
    stage = {g.id: ["upstream", "midstream", "downstream"].index(g.stage.value) for g in projection.segments}
    depth: dict[str, int] = {}
    try:
        for g in nx.lexicographical_topological_sort(graph):
            depth[g] = max((depth[u] + 1 for u in graph.predecessors(g)), default=0)
    except nx.NetworkXUnfeasible:  # a cycle: fall back on the stage
        depth = {g: stage.get(g, 1) for g in segments}
    out: dict[str, tuple[int, int]] = {}
    stacked: Counter[int] = Counter()
    for g in sorted(segments, key=lambda g: (depth[g], stage.get(g, 1), g)):
        out[g] = (depth[g] * 480, stacked[depth[g]] * 360)
        stacked[depth[g]] += 1
    return out


# -- overview ------------------------------------------------------------------------------------------
def network_view(
    suggester: Suggester,
    projection: Projection,
    *,
    colour_by: str = "industry",
    limit: int | None = None,
    k: int = 3,
    seed: int = 7,
) -> View:
    """Every live studio (or the first ``limit`` by id), coloured by ``industry`` (GB/T 4754
    section), ``district`` or ``community`` (Louvain on the same-trade suggestion graph, seeded), with
    each studio's ``k`` strongest same-trade ties as edges."""
    if colour_by not in ("industry", "district", "community"):
        raise ValueError("colour by industry, district or community")
    f = suggester.features_
    rows = [i for i in range(f.n) if f.live[i]]
    if limit is not None:
        rows = rows[:limit]
    edges = _same_trade_ties(suggester, rows, k)
    group = _groups(f, projection, rows, colour_by, edges, seed)
    sizes = Counter(group.values())
    ranked = [g for g, _ in sorted(sizes.items(), key=lambda kv: (-kv[1], kv[0]))]
    colour = {g: PALETTE[n] if n < len(PALETTE) else GREY for n, g in enumerate(ranked)}
    fixed = len(rows) > PHYSICS_LIMIT
    net = _network("820px", physics=not fixed, seed=seed)
    positions = _grouped_positions(rows, group, ranked) if fixed else {}
    studios = {s.id: s for s in projection.studios}
    names = _names(projection)
    field_name = {"industry": "行业门类", "district": "区", "community": "社群"}[colour_by]
    for i in rows:
        extra: dict[str, Any] = {"x": positions[i][0], "y": positions[i][1], "physics": False} if fixed else {}
        _studio_node(net, f.ids[i], studios[f.ids[i]], names, colour=colour[group[i]], size=8 if fixed else 12,
                     chars=10, note=f"\n{field_name}：{group[i]}", group_value=group[i], **extra)  # fmt: skip
    # pyvis's add_edge scans every edge so far (quadratic: 5.6 s for 15,000 edges); these pairs are
    # unique by construction and both ends were added above, so the edge records go in directly
    net.edges.extend(
        {
            "from": f.ids[a],
            "to": f.ids[b],
            "color": {"color": "#9aa5b1", "opacity": 0.25 if fixed else 0.6},
            "arrows": "",
            "width": 0.5 + 2 * w,
            "tip": f"同工种 · 得分 {w:.2f}",
        }
        for (a, b), w in sorted(edges.items())
    )
    subtitle = f"{len(rows)} 个工作室，按{field_name}着色；连线为最相近的同工种伙伴" + (
        "（已预先布局，物理模拟关闭）" if fixed else ""
    )
    return View(
        net, "劳模创新工作室网络总览", subtitle, _group_legend(sizes, ranked, colour), {field_name: "group_value"}
    )


def _same_trade_ties(suggester: Suggester, rows: list[int], k: int) -> dict[tuple[int, int], float]:
    """Each of ``rows``' ``k`` strongest same-trade ties, as (lower row, higher row) → score (the best
    of the two directions)."""
    chosen = np.array(rows, dtype=np.int64)
    src, dst, val = suggester.neighbours(AllianceKind.SAME_TRADE, k, chosen) if len(chosen) else ([], [], [])
    edges: dict[tuple[int, int], float] = {}
    for a, b, w in zip(np.asarray(src).tolist(), np.asarray(dst).tolist(), np.asarray(val).tolist(), strict=True):
        pair = (a, b) if a < b else (b, a)
        edges[pair] = max(w, edges.get(pair, 0.0))
    return edges


def _group_legend(sizes: Counter[str], ranked: list[str], colour: dict[str, str]) -> list[LegendItem]:
    """The overview's legend: each coloured group with its size, biggest first, and how many share grey."""
    legend = [LegendItem(f"{g}（{sizes[g]}）", colour[g]) for g in ranked[: len(PALETTE)]]
    if len(ranked) > len(PALETTE):
        legend.append(LegendItem(f"其他 {len(ranked) - len(PALETTE)} 组", GREY))
    return legend


def _groups(
    f: Any, projection: Projection, rows: Sequence[int], colour_by: str, edges: dict[tuple[int, int], float], seed: int
) -> dict[int, str]:
    if colour_by == "district":
        return {i: (f.district_names[f.district[i]] if f.district[i] >= 0 else "未填区") for i in rows}
    if colour_by == "industry":
        sections = {i.code: i.name for i in projection.industries if len(i.code) == 1}
        parents = {i.code: i.parent_code or "" for i in projection.industries}
        out = {}
        for i in rows:
            code = f.industry[i]
            section = _section_of(code, parents) if code else None
            out[i] = sections.get(section or "", "未分类")
        return out
    graph: nx.Graph[int] = nx.Graph()
    graph.add_nodes_from(rows)
    graph.add_weighted_edges_from((a, b, w) for (a, b), w in sorted(edges.items()))
    communities = nx.community.louvain_communities(graph, weight="weight", seed=seed)
    ordered = sorted((sorted(c) for c in communities), key=lambda c: (-len(c), c[0]))
    return {i: f"社群 {n + 1}" for n, members in enumerate(ordered) for i in members}


def _section_of(code: str, parents: dict[str, str]) -> str | None:
    """The GB/T 4754 section (门类 letter) above ``code``, following parent codes."""
    seen = 0
    while code in parents and parents[code] and seen < 5:
        code = parents[code]
        seen += 1
    return code if code in parents else None


def _grouped_positions(rows: Iterable[int], group: dict[int, str], ranked: list[str]) -> dict[int, tuple[int, int]]:
    """Each group a disc of studios on a golden-angle spiral; discs on a grid, biggest first."""
    members: dict[str, list[int]] = defaultdict(list)
    for i in sorted(rows):
        members[group[i]].append(i)
    out: dict[int, tuple[int, int]] = {}
    columns = max(1, math.ceil(math.sqrt(len(ranked))))
    spacing = 22
    radius = {g: spacing * math.sqrt(len(members[g])) for g in ranked}
    cell = 2 * max(radius.values(), default=100) + 120
    golden = math.pi * (3 - math.sqrt(5))
    for n, g in enumerate(ranked):
        cx, cy = (n % columns) * cell, (n // columns) * cell
        for k, i in enumerate(members[g]):
            r = spacing * math.sqrt(k + 0.5)
            out[i] = (int(cx + r * math.cos(k * golden)), int(cy + r * math.sin(k * golden)))
    return out
