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
from graph.model import AllianceKind, AllianceStatus, Studio, StudioStatus
from graph.store import Projection
from matching.gaps import STATUS_ZH, GapReport, GapStatus
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


def _studio_tip(s: Studio, names: dict[str, dict[str, str]]) -> str:
    lines = [s.name, f"编号：{s.id}"]
    if s.district:
        lines.append(f"所在区：{s.district}")
    trades = [names["trade"].get(c, c) for c in (s.trade_codes or s.inferred_trade_codes)]
    if trades:
        lines.append("工种：" + "、".join(trades))
    industry = s.industry_code or s.inferred_industry_code
    if industry:
        lines.append(f"行业：{names['industry'].get(industry, industry)}")
    segments = [names["segment"].get(g, g) for g in (s.segment_ids or s.inferred_segment_ids)]
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


def _names(projection: Projection) -> dict[str, dict[str, str]]:
    return {
        "trade": {t.code: t.name for t in projection.trades},
        "industry": {i.code: i.name for i in projection.industries},
        "segment": {g.id: g.name for g in projection.segments},
        "chain": {c.id: c.name for c in projection.chains},
        "union": {u.id: u.name for u in projection.unions},
    }


def _label(name: str, n: int = 14) -> str:
    return _short(name, n)


# -- studio --------------------------------------------------------------------------------------------
def studio_view(suggester: Suggester, projection: Projection, studio_id: str, *, top: int = 5) -> View:
    """A studio with its top partners of every kind, its live alliances and its collaborations."""
    studios = {s.id: s for s in projection.studios}
    if studio_id not in studios:
        raise KeyError(studio_id)
    names = _names(projection)
    me = studios[studio_id]
    net = _network()
    net.add_node(
        me.id,
        label=_label(me.name, 18),
        name=me.name,
        color=CENTRE,
        shape="star",
        size=34,
        tip=_studio_tip(me, names),
        kind="本工作室",
        always=True,
    )
    found = {k: suggester.suggest(studio_id, k, top) for k in KINDS} if me.status is StudioStatus.ACTIVE else {}
    first_kind: dict[str, AllianceKind] = {}
    for kind in KINDS:
        for x in found.get(kind, []):
            first_kind.setdefault(x.partner_id, kind)
    collaborations: dict[str, list[int]] = defaultdict(list)
    for c in projection.collaborations:
        if studio_id in (c.studio_a, c.studio_b):
            collaborations[c.studio_b if c.studio_a == studio_id else c.studio_a].append(c.year)
    others = sorted(set(first_kind) | set(collaborations))
    for other in others:
        partner = studios[other]
        best = first_kind.get(other)
        net.add_node(
            other,
            label=_label(partner.name),
            name=partner.name,
            color=KIND_COLOUR[best] if best else GREY,
            size=18,
            tip=_studio_tip(partner, names),
            kind=KIND_ZH[best] if best else "过往合作",
        )
    for kind in KINDS:
        for x in found.get(kind, []):
            net.add_edge(
                studio_id,
                x.partner_id,
                color=KIND_COLOUR[kind],
                width=1 + 4 * x.score,
                label=f"{x.score:.2f}",
                tip=f"{KIND_ZH[kind]} · 得分 {x.score:.2f}\n" + "\n".join(x.reasons),
            )
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
    legend = [LegendItem("本工作室", CENTRE, "dot")]
    legend += [LegendItem(f"{KIND_ZH[k]}伙伴", KIND_COLOUR[k]) for k in KINDS]
    legend += [LegendItem("过往合作", GREY, "line", dashed=True), LegendItem("所在联盟", ALLIANCE, "diamond")]
    subtitle = f"{me.id} · {me.district or ''} · 每类前 {top} 名伙伴，连线粗细与数字为匹配得分，悬停查看理由"
    notes = [] if me.status is StudioStatus.ACTIVE else [f"该工作室状态为 {me.status.value}，不推荐伙伴（第九条）"]
    return View(net, f"{me.name} · 合作伙伴网络", subtitle, legend, {"伙伴类型": "kind"}, notes)


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
    colour = {"trade": "#4c78a8", "industry": "#54a24b", "segment": "#f58518"}
    added: set[str] = set()
    for m in members:
        s = studios[m]
        lead = m == alliance.lead_studio_id
        net.add_node(
            m,
            label=_label(s.name),
            name=s.name,
            color=CENTRE if lead else "#2f6690",
            shape="star" if lead else "dot",
            size=28 if lead else 20,
            tip=_studio_tip(s, names) + ("\n建议牵头" if lead else ""),
            district=s.district or "",
            always=False,
        )
    for m in members:
        s = studios[m]
        attributes = [("trade", c, names["trade"].get(c, c)) for c in (s.trade_codes or s.inferred_trade_codes)]
        industry = s.industry_code or s.inferred_industry_code
        if industry:
            attributes.append(("industry", industry, names["industry"].get(industry, industry)))
        attributes += [("segment", g, names["segment"].get(g, g)) for g in (s.segment_ids or s.inferred_segment_ids)]
        for what, key, label in attributes:
            node = f"{what}:{key}"
            if node not in added:
                added.add(node)
                zh = {"trade": "工种", "industry": "行业", "segment": "产业链环节"}[what]
                net.add_node(
                    node, label=_label(label, 12), color=colour[what], shape="box", tip=f"{zh}：{label}", always=True
                )
            net.add_edge(m, node, color=colour[what], arrows="", width=1)
    if len(members) >= 2:
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
                    net.add_edge(
                        members[i],
                        members[j],
                        color="#7f7f7f",
                        arrows="",
                        width=1 + 4 * float(best[i, j]),
                        label=f"{best[i, j]:.2f}",
                        tip=f"{why[i, j]} · 得分 {best[i, j]:.2f}",
                    )
    legend = [
        LegendItem("建议牵头", CENTRE),
        LegendItem("成员工作室", "#2f6690"),
        LegendItem("工种", colour["trade"], "box"),
        LegendItem("行业", colour["industry"], "box"),
        LegendItem("产业链环节", colour["segment"], "box"),
        LegendItem("成员间联系（得分）", "#7f7f7f", "line"),
    ]
    status = {"proposed": "提议中", "formed": "已组建", "rejected": "未采纳", "dissolved": "已解散"}[
        alliance.status.value
    ]
    subtitle = (
        f"{alliance.id} · {KIND_ZH.get(alliance.kind, alliance.kind.value)}联盟 · {status} · {len(members)} 家成员"
    )
    notes = list(alliance.reasons)
    if alliance.former_member_ids:
        notes.append("已退出：" + "、".join(studios[m].name if m in studios else m for m in alliance.former_member_ids))
    return View(net, alliance.name, subtitle, legend, {"区": "district"}, notes)


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
    studios_in: dict[str, list[Studio]] = defaultdict(list)
    for s in sorted(projection.studios, key=lambda s: s.id):
        if s.status is StudioStatus.ACTIVE:
            for g in s.segment_ids or s.inferred_segment_ids:
                studios_in[g].append(s)
    net = _network("760px", physics=False)
    positions = _chain_positions([r.segment for r in segments], projection)
    for r in segments:
        x, y = positions[r.segment]
        colour = {GapStatus.GAP: GAP, GapStatus.WEAK: WEAK, GapStatus.COVERED: COVERED}[r.status]
        label = f"{r.segment_name}\n{r.studios} 家 · {STATUS_ZH[r.status]}"
        lines = [
            f"{r.segment_name}（{STATUS_ZH[r.status]}）",
            f"工作室 {r.studios} 家（其中推断 {r.inferred} 家）",
            f"全国劳模领衔 {r.national_leaders} 家",
            f"已组建联盟 {r.alliances} 个",
        ]
        if r.candidates:
            lines.append("建议填补：" + "、".join(c.name for c in r.candidates[:3]))
        net.add_node(
            r.segment,
            label=label,
            shape="box",
            x=x,
            y=y,
            physics=False,
            color=colour,
            borderWidth=3 if r.status is GapStatus.GAP else 1,
            shapeProperties={"borderDashes": [6, 4]} if r.status is GapStatus.GAP else {},
            font={"size": 16, "color": "#ffffff" if r.status is not GapStatus.WEAK else "#1f2933"},
            tip="\n".join(lines),
            status=STATUS_ZH[r.status],
            always=True,
        )
        members = studios_in.get(r.segment, [])
        for k, s in enumerate(members[:per_segment]):
            node = f"{r.segment}|{s.id}"
            net.add_node(
                node,
                label=_label(s.name, 8),
                name=s.name,
                x=x + int((k % 4 - 1.5) * 105),
                y=y + 75 + (k // 4) * 70,
                physics=False,
                size=10,
                color="#2f6690",
                tip=_studio_tip(s, names),
                status=STATUS_ZH[r.status],
            )
            net.add_edge(r.segment, node, color="#c5ced8", arrows="", width=1)
        if len(members) > per_segment:
            node = f"{r.segment}|more"
            net.add_node(
                node,
                label=f"另有 {len(members) - per_segment} 家",
                shape="text",
                x=x,
                y=y + 75 + 2 * 70,
                physics=False,
                tip=f"{r.segment_name}共 {len(members)} 家工作室",
                status=STATUS_ZH[r.status],
            )
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
            color=GAP if barrier else "#52606d",
            width=4 if barrier else 2,
            dashes=barrier,
            label="壁垒" if barrier else f"{e.weight:.1f}",
            tip=tip,
            arrows="to",
        )
    legend = [
        LegendItem("已覆盖环节", COVERED, "box"),
        LegendItem("薄弱环节", WEAK, "box"),
        LegendItem("空白环节", GAP, "box"),
        LegendItem("工作室", "#2f6690"),
        LegendItem("上下游供给", "#52606d", "line"),
        LegendItem("壁垒", GAP, "line", dashed=True),
    ]
    subtitle = (
        f"{chain.covered}/{chain.segments} 个环节有工作室 · 空白 {chain.gaps} · 薄弱 {chain.weak} · "
        f"壁垒 {chain.barriers} · 从左到右为上游 → 下游"
    )
    return View(net, f"{chain.name}产业链 · 环节覆盖与壁垒", subtitle, legend, {"环节状态": "status"})


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
    chosen = np.array(rows, dtype=np.int64)
    src, dst, val = suggester.neighbours(AllianceKind.SAME_TRADE, k, chosen) if len(chosen) else ([], [], [])
    edges: dict[tuple[int, int], float] = {}
    for a, b, w in zip(np.asarray(src).tolist(), np.asarray(dst).tolist(), np.asarray(val).tolist(), strict=True):
        pair = (a, b) if a < b else (b, a)
        edges[pair] = max(w, edges.get(pair, 0.0))
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
        s = studios[f.ids[i]]
        extra: dict[str, Any] = {}
        if fixed:
            extra = {"x": positions[i][0], "y": positions[i][1], "physics": False}
        net.add_node(
            s.id,
            label=_label(s.name, 10),
            name=s.name,
            color=colour[group[i]],
            size=8 if fixed else 12,
            tip=_studio_tip(s, names) + f"\n{field_name}：{group[i]}",
            group_value=group[i],
            **extra,
        )
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
    legend = [LegendItem(f"{g}（{sizes[g]}）", colour[g]) for g in ranked[: len(PALETTE)]]
    if len(ranked) > len(PALETTE):
        legend.append(LegendItem(f"其他 {len(ranked) - len(PALETTE)} 组", GREY))
    subtitle = f"{len(rows)} 个工作室，按{field_name}着色；连线为最相近的同工种伙伴" + (
        "（已预先布局，物理模拟关闭）" if fixed else ""
    )
    return View(net, "劳模创新工作室网络总览", subtitle, legend, {field_name: "group_value"})


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
