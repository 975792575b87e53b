"""Whole alliances, proposed with a score and reasons (Article 12).

Three algorithm families, one per kind of alliance:

``same-trade`` / ``same-industry`` — community detection on the suggestion graph
    Every live studio's ``k`` best partners of that kind (:meth:`Suggester.neighbours`) make a
    weighted undirected graph. Studios are grouped by what the alliance shares (a trade: each
    studio joins the trade where most of its ties are; an industry: its GB/T 4754 division), and
    each group is split by Louvain modularity (``networkx.community.louvain_communities``, seeded,
    so the same input and seed give the same alliances). Communities over ``max_size`` are split
    again at a higher resolution (then, if need be, into even runs of a breadth-first order);
    communities under ``min_size`` join the neighbouring community they are most tied to when the
    result fits, and are left out otherwise. Cohesion = the members' mean pairwise suggestion
    score; the lead is the member led by a national model worker first (Article 7), then by the
    studio's level, then by its ties inside the alliance.
``chain`` — greedy maximum coverage with a tie-strength tie-break
    For a chain, pick at most ``max_size`` studios (``per_segment`` per segment) that cover as
    many of its segments as possible. Coverage is a monotone submodular function of the team, so
    the greedy choice (Nemhauser, Wolsey & Fisher 1978) covers at least ``1 − 1/e ≈ 63%`` of what
    the best team of the same size covers; with a budget of ``per_segment`` per segment it covers
    every segment any live studio works in. Among equal coverage gains the studio with the strongest
    chain-partner scores to members in the segments it supplies or is supplied by wins, then
    national leaders; a 1-swap local search then raises that tie strength without ever lowering
    coverage, so the guarantee stands.
``project`` — greedy set cover, then reverse delete
    A key project needs its segments and its capabilities (the ``；``-separated phrases of
    ``Project.capabilities``; a studio has one when its expertise contains at least 60% of the
    phrase's character bigrams). Greedy set cover takes the studio that covers most of what is still
    uncovered (ties: studios already contributing to the project, then the strongest ties to the
    team); its team is at most ``H(d) ≤ 1 + ln d`` times the smallest covering team (Chvátal 1979),
    ``d`` the most elements one studio covers. Members made redundant by later picks are dropped.

Limits apply to every kind: ``min_districts`` / ``min_employers`` per alliance (alliances exist to
cross units), and ``max_per_studio`` live alliances per studio, counting the stored ones (project
and chain proposals are served first, then the others by score). Delisted and flagged studios are
never proposed; studios in a *formed* alliance of the same kind (and chain or project) are not
proposed for another unless ``include_allied``.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import numpy as np

from graph.labels import STUDIO_LEVEL_ZH
from graph.model import Alliance, AllianceKind, AllianceStatus, Project, StudioLevel
from graph.store import Projection

from .features import StudioFeatures
from .suggest import Suggester
from .text import PhraseIndex

COMMUNITY_KINDS = (AllianceKind.SAME_TRADE, AllianceKind.SAME_INDUSTRY)
FORM_KINDS = (AllianceKind.PROJECT, AllianceKind.CHAIN, AllianceKind.SAME_TRADE, AllianceKind.SAME_INDUSTRY)
"""The kinds :meth:`AllianceFormer.form` proposes, in the order ``max_per_studio`` serves them."""

LEVEL_RANK = {StudioLevel.NATIONAL.value: 0, StudioLevel.MUNICIPAL.value: 1, StudioLevel.DISTRICT.value: 2}
_CLAUSES = re.compile(r"[;；。\n]+")
_ITEMS = re.compile(r"[,，、|/]+|以及")
CAPABILITY = "能力:"
"""Prefix of a capability among a project alliance's covered / uncovered elements."""
TRADE = "工种:"
"""Prefix of a trade a project needs among its covered / uncovered elements."""


def parse_needs(text: str) -> tuple[list[str], list[str]]:
    """A project's free-text needs as (trades, capability phrases).

    Clauses are split at ``；`` and line ends; a clause ending in 工种 lists trades, any other lists
    capabilities; items split at ``、，/`` and 以及, with 需要…等工种/等能力 framing removed.

    >>> parse_needs("需要车工、焊工等工种；航天、表面处理等能力")
    (['车工', '焊工'], ['航天', '表面处理'])
    """
    trades: list[str] = []
    phrases: list[str] = []
    for clause in _CLAUSES.split(text):
        clause = clause.strip().removeprefix("需要").removeprefix("具备").strip()
        is_trades = clause.endswith("工种")
        for suffix in ("等工种", "工种", "等能力", "能力", "等"):
            clause = clause.removesuffix(suffix)
        for item in _ITEMS.split(clause):
            item = item.strip()
            if item:
                (trades if is_trades else phrases).append(item)
    return list(dict.fromkeys(trades)), list(dict.fromkeys(phrases))


@dataclass(frozen=True)
class Limits:
    """Bounds on proposals; every parameter has a default.

    - ``min_size`` / ``max_size``: members of a same-trade or same-industry alliance (5–30);
      ``max_size`` also caps chain and project teams.
    - ``per_segment``: studios per segment a chain alliance aims for (1).
    - ``max_per_studio``: live alliances a studio may be in, stored ones included (no limit).
    - ``min_districts`` / ``min_employers``: least distinct districts / employers per alliance (1).
    """

    min_size: int = 5
    max_size: int = 30
    per_segment: int = 1
    max_per_studio: int | None = None
    min_districts: int = 1
    min_employers: int = 1

    def __post_init__(self) -> None:
        if not 2 <= self.min_size <= self.max_size:
            raise ValueError("sizes must satisfy 2 ≤ min_size ≤ max_size")
        if self.per_segment < 1 or (self.max_per_studio is not None and self.max_per_studio < 1):
            raise ValueError("per_segment and max_per_studio must be at least 1")
        if self.min_districts < 1 or self.min_employers < 1:
            raise ValueError("min_districts and min_employers must be at least 1")


@dataclass(frozen=True)
class Proposal:
    """One proposed alliance, explained."""

    kind: AllianceKind
    name: str
    members: tuple[str, ...]
    """Studio ids, sorted."""
    lead: str | None
    score: float
    reasons: tuple[str, ...]
    """Chinese, for union officers."""
    reasons_en: tuple[str, ...]
    covered: tuple[str, ...] = ()
    uncovered: tuple[str, ...] = ()
    chain_id: str | None = None
    project_id: str | None = None
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def id(self) -> str:
        """Stable for the same kind, scope and members: proposing twice gives the same id."""
        scope = self.chain_id or self.project_id or ""
        text = "|".join((self.kind.value, scope, *self.members))
        return f"al-{hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()[:12]}"

    def to_alliance(self) -> Alliance:
        return Alliance(
            id=self.id,
            name=self.name,
            kind=self.kind,
            status=AllianceStatus.PROPOSED,
            member_ids=self.members,
            lead_studio_id=self.lead,
            chain_id=self.chain_id,
            project_id=self.project_id,
            score=self.score,
            reasons=self.reasons,
            covered=self.covered,
            uncovered=self.uncovered,
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind.value,
            "name": self.name,
            "members": list(self.members),
            "lead": self.lead,
            "score": self.score,
            "covered": list(self.covered),
            "uncovered": list(self.uncovered),
            "reasons": list(self.reasons),
            "reasons_en": list(self.reasons_en),
            "chain_id": self.chain_id,
            "project_id": self.project_id,
            **({"details": self.details} if self.details else {}),
        }


@dataclass
class FormReport:
    """Proposals, and what was left out and why (counts of studios or groups by reason)."""

    proposals: list[Proposal]
    left_out: Counter[str] = field(default_factory=Counter)

    def to_json(self) -> dict[str, Any]:
        return {"proposals": [p.to_json() for p in self.proposals], "left_out": dict(sorted(self.left_out.items()))}


def project_needs(f: StudioFeatures, project: Project, phrases: PhraseIndex) -> tuple[list[str], dict[str, set[int]]]:
    """A project's needs, in order: its segment ids, ``工种:`` trades and ``能力:`` capabilities
    (:func:`parse_needs`), and for each the studio rows that meet it (a segment: studios working in
    it; a trade: studios practising it; a capability: expertise mentioning it, per ``phrases``,
    a :class:`PhraseIndex` fitted on the studios' expertise in row order)."""
    elements: list[str] = []
    covers: dict[str, set[int]] = {}
    segment_col = {g: j for j, g in enumerate(f.segment_ids)}
    by_segment = f.segments.tocsc()
    for seg in project.segment_ids:
        j = segment_col.get(seg)
        if j is not None:
            elements.append(seg)
            covers[seg] = set(by_segment.indices[by_segment.indptr[j] : by_segment.indptr[j + 1]].tolist())
    trades, capabilities = parse_needs(project.capabilities)
    trade_col = {name: j for j, name in enumerate(f.trade_names)}
    by_trade = f.trades.tocsc()
    for name in trades:
        j = trade_col.get(name)
        if j is None:
            capabilities.append(name)
            continue
        elements.append(TRADE + name)
        covers[TRADE + name] = set(by_trade.indices[by_trade.indptr[j] : by_trade.indptr[j + 1]].tolist())
    for phrase in dict.fromkeys(capabilities):
        elements.append(CAPABILITY + phrase)
        covers[CAPABILITY + phrase] = set(np.flatnonzero(phrases.matches(phrase)).tolist())
    return elements, covers


def describe_element(element: str, segment_names: dict[str, str]) -> str:
    """A covered/uncovered element in Chinese: a segment's name, a trade, or a capability."""
    if element.startswith(CAPABILITY):
        return element[len(CAPABILITY) :]
    if element.startswith(TRADE):
        return element[len(TRADE) :] + "工种"
    return segment_names.get(element, element)


class AllianceFormer:
    """Proposes alliances from a fitted :class:`Suggester` and the same projection.

    Parameters
    ----------
    suggester:
        Fitted on ``projection``.
    projection:
        The graph (chains, segments, projects, stored alliances).
    limits:
        :class:`Limits` (defaults: 5–30 members, no per-studio cap).
    k:
        Partners per studio in the suggestion graph communities are found in; default 10.
    resolution:
        Louvain resolution; higher gives smaller communities. Default 1.0.
    seed:
        Louvain's seed; the same seed and input give the same proposals. Default 0.
    include_allied:
        Also propose studios already in a formed alliance of the same kind; default False.
    """

    def __init__(
        self,
        suggester: Suggester,
        projection: Projection,
        *,
        limits: Limits | None = None,
        k: int = 10,
        resolution: float = 1.0,
        seed: int = 0,
        include_allied: bool = False,
    ) -> None:
        self.suggester = suggester
        self.projection = projection
        self.limits = limits or Limits()
        self.k = k
        self.resolution = resolution
        self.seed = seed
        self.include_allied = include_allied
        f = suggester.features_
        self.f = f
        self._level_rank = np.array(
            [LEVEL_RANK.get(f.level_names[c], 3) if c >= 0 else 4 for c in f.level], dtype=np.int64
        )
        self._segment_names = dict(zip(f.segment_ids, f.segment_names, strict=True))
        self._segments_of = [f.segments.indices[f.segments.indptr[i] : f.segments.indptr[i + 1]] for i in range(f.n)]
        self._phrases: PhraseIndex | None = None

    # -- public ------------------------------------------------------------------------------------------
    def form(self, kinds: Iterable[AllianceKind | str] = FORM_KINDS) -> FormReport:
        """Proposals of the given kinds for the whole graph, limits applied."""
        report = FormReport([])
        wanted = [AllianceKind(k) for k in kinds]
        raw: list[Proposal] = []
        for kind in FORM_KINDS:
            if kind not in wanted:
                continue
            if kind is AllianceKind.PROJECT:
                for project in self.projection.projects:
                    p = self.project_team(project.id, report)
                    if p is not None:
                        raw.append(p)
            elif kind is AllianceKind.CHAIN:
                for chain in sorted(self.projection.chains, key=lambda c: (c.priority, c.id)):
                    p = self.chain_team(chain.id, report)
                    if p is not None:
                        raw.append(p)
            else:
                raw.extend(self.communities(kind, report))
        report.proposals = self._apply_limits(raw, report)
        return report

    def communities(self, kind: AllianceKind | str, report: FormReport | None = None) -> list[Proposal]:
        """Same-trade or same-industry alliances: Louvain communities of the suggestion graph."""
        kind = AllianceKind(kind)
        if kind not in COMMUNITY_KINDS:
            raise ValueError(f"communities are for {[k.value for k in COMMUNITY_KINDS]}")
        report = report or FormReport([])
        f = self.f
        eligible = f.live & ~self._allied(kind)
        src, dst, val = self.suggester.neighbours(kind, self.k, rows=np.flatnonzero(eligible))
        keep = eligible[dst]
        src, dst, val = src[keep], dst[keep], val[keep]
        weights: dict[tuple[int, int], float] = {}
        for a, b, w in zip(src.tolist(), dst.tolist(), val.tolist(), strict=True):
            edge = (a, b) if a < b else (b, a)
            if w > weights.get(edge, 0.0):
                weights[edge] = w
        groups = self._groups(kind, eligible, weights)
        adjacency: dict[int, dict[int, float]] = defaultdict(dict)
        for (a, b), w in weights.items():
            adjacency[a][b] = w
            adjacency[b][a] = w
        out: list[Proposal] = []
        for group_key in sorted(groups):
            members = groups[group_key]
            graph: nx.Graph[int] = nx.Graph()
            graph.add_nodes_from(members)
            inside = set(members)
            graph.add_weighted_edges_from(
                (a, b, w) for a in members for b, w in sorted(adjacency[a].items()) if a < b and b in inside
            )
            for community in self._sized_communities(graph, report):
                out.append(self._community_proposal(kind, group_key, community, adjacency))
        return out

    def chain_team(self, chain_id: str, report: FormReport | None = None) -> Proposal | None:
        """The chain alliance for one chain (see the module docs); ``None`` if no studio works in it."""
        report = report or FormReport([])
        f = self.f
        segs = [j for j, c in enumerate(f.segment_chain) if c == chain_id]
        if not segs:
            raise KeyError(chain_id)
        seg_set = set(segs)
        eligible = f.live & ~self._allied(AllianceKind.CHAIN, chain_id=chain_id)
        cand = np.array(
            [i for i in np.flatnonzero(eligible) if seg_set.intersection(self._segments_of[i].tolist())],
            dtype=np.int64,
        )
        if not len(cand):
            report.left_out[f"chain {chain_id}: no live studio in any segment"] += 1
            return None
        r = self.limits.per_segment
        budget = min(self.limits.max_size, r * len(segs))
        cover = {int(i): [int(g) for g in self._segments_of[i] if g in seg_set] for i in cand}
        adjacent = self._adjacent_segments(segs)
        strength = 0.01 * f.national_leader[cand] + 0.001 * (4 - self._level_rank[cand])
        count: Counter[int] = Counter()
        team: list[int] = []
        ties = np.zeros(len(cand))
        chosen = np.zeros(len(cand), dtype=bool)
        while len(team) < budget:
            gain = np.array([sum(1 for g in cover[int(i)] if count[g] < r) for i in cand], dtype=np.float64)
            gain[chosen] = 0
            if gain.max() <= 0:
                break
            best = np.flatnonzero(gain == gain.max())
            order = np.lexsort((cand[best], -(ties[best] + strength[best])))
            pick = int(best[order[0]])
            chosen[pick] = True
            new = int(cand[pick])
            team.append(new)
            for g in cover[new]:
                count[g] += 1
            ties += self._chain_ties(cand, new, adjacent)
        team = self._improve_ties(team, cand, cover, adjacent, r)
        covered = sorted({g for i in team for g in cover[i]})
        uncovered = [g for g in segs if g not in covered]
        return self._chain_proposal(chain_id, segs, team, covered, uncovered, adjacent)

    def project_team(self, project_id: str, report: FormReport | None = None) -> Proposal | None:
        """The smallest strong team for a key project (see the module docs)."""
        report = report or FormReport([])
        f = self.f
        project = next((p for p in self.projection.projects if p.id == project_id), None)
        if project is None:
            raise KeyError(project_id)
        elements, covers = self._project_elements(project)
        if not elements:
            report.left_out[f"project {project_id}: names no segment or capability"] += 1
            return None
        eligible = f.live & ~self._allied(AllianceKind.PROJECT, project_id=project_id)
        cand = sorted(i for i in set().union(*covers.values()) if eligible[i]) if covers else []
        if not cand:
            report.left_out[f"project {project_id}: no live studio covers any need"] += 1
            return None
        has = {i: {e for e in elements if i in covers[e]} for i in cand}
        contributes = {f.row[s.id] for s in self.projection.studios if project_id in s.project_ids and s.id in f.row}
        cand_arr = np.array(cand, dtype=np.int64)
        bonus = np.array([0.5 if i in contributes else 0.0 for i in cand]) + 0.01 * f.national_leader[cand_arr]
        ties = np.zeros(len(cand))
        uncovered = set().union(*has.values())
        team: list[int] = []
        while uncovered and len(team) < self.limits.max_size:
            gain = np.array([len(has[i] & uncovered) for i in cand], dtype=np.float64)
            if gain.max() <= 0:
                break
            best = np.flatnonzero(gain == gain.max())
            order = np.lexsort((cand_arr[best], -(bonus[best] + ties[best])))
            new = int(cand_arr[best[order[0]]])
            team.append(new)
            uncovered -= has[new]
            ties += self._team_ties(cand_arr, new)
        # reverse delete: drop members whose needs the others all cover, weakest first
        for member in sorted(team, key=lambda i: (bonus[cand.index(i)], f.ids[i])):
            rest = [m for m in team if m != member]
            if rest and has[member] <= set().union(*(has[m] for m in rest)):
                team = rest
        covered = sorted(set().union(*(has[m] for m in team)), key=elements.index)
        missing = [e for e in elements if e not in covered]
        return self._project_proposal(project, team, covered, missing, has, contributes)

    # -- communities -----------------------------------------------------------------------------------
    def _groups(
        self, kind: AllianceKind, eligible: np.ndarray, weights: dict[tuple[int, int], float]
    ) -> dict[str, list[int]]:
        f = self.f
        groups: dict[str, list[int]] = defaultdict(list)
        if kind is AllianceKind.SAME_INDUSTRY:
            for i in np.flatnonzero(eligible):
                code = f.industry[i]
                if code and f.industry_division[i] >= 0:
                    groups[self.suggester._division_of(int(i))].append(int(i))
            return groups
        trades = self.suggester._trade_rows
        size = np.asarray(f.trades[eligible].sum(axis=0)).ravel()
        pull: dict[int, defaultdict[int, float]] = defaultdict(lambda: defaultdict(float))
        for (a, b), w in weights.items():
            for t in set(trades[a]) & set(trades[b]):
                pull[a][t] += w
                pull[b][t] += w
        for i in np.flatnonzero(eligible):
            own = trades[int(i)]
            if own:
                best = max(own, key=lambda t: (pull[int(i)][t], size[t], -t))
                groups[f.trade_codes[best]].append(int(i))
        return groups

    def _sized_communities(self, graph: nx.Graph[int], report: FormReport) -> list[list[int]]:
        lo, hi = self.limits.min_size, self.limits.max_size
        if graph.number_of_nodes() < lo:
            report.left_out["studios in a group smaller than min_size"] += graph.number_of_nodes()
            return []
        parts = self._split(graph, sorted(graph.nodes), self.resolution, depth=0)
        parts.sort(key=lambda p: (len(p), p[0]))
        sized = [p for p in parts if len(p) >= lo]
        small = [p for p in parts if len(p) < lo]
        for part in small:
            tie: Counter[int] = Counter()
            home = {n: k for k, p in enumerate(sized) for n in p}
            for node in part:
                for other, data in graph[node].items():
                    if other in home:
                        tie[home[other]] += data["weight"]
            target = next(
                (k for k, _ in sorted(tie.items(), key=lambda kv: (-kv[1], kv[0])) if len(sized[k]) + len(part) <= hi),
                None,
            )
            if target is None:
                report.left_out["studios in a community smaller than min_size"] += len(part)
            else:
                sized[target] = sorted(sized[target] + part)
        return sized

    def _split(self, graph: nx.Graph[int], nodes: list[int], resolution: float, depth: int) -> list[list[int]]:
        hi = self.limits.max_size
        if len(nodes) <= hi:
            return [nodes]
        sub = graph.subgraph(nodes)
        if depth < 4 and sub.number_of_edges():
            found = nx.community.louvain_communities(sub, weight="weight", resolution=resolution, seed=self.seed)
            parts = sorted((sorted(c) for c in found), key=lambda p: p[0])
            if len(parts) > 1:
                return [q for p in parts for q in self._split(graph, p, resolution * 2, depth + 1)]
            if depth > 0 or resolution < 16:
                return self._split(graph, nodes, resolution * 2, depth + 1)
        # even runs of a breadth-first order, so that each run stays as connected as it can
        order: list[int] = []
        seen: set[int] = set()
        for start in sorted(nodes, key=lambda n: (-sub.degree(n, weight="weight"), n)):
            if start in seen:
                continue
            for node in nx.bfs_tree(sub, start, sort_neighbors=sorted):
                if node not in seen:
                    seen.add(node)
                    order.append(node)
        pieces = -(-len(order) // hi)
        size = -(-len(order) // pieces)
        return [sorted(order[i : i + size]) for i in range(0, len(order), size)]

    def _community_proposal(
        self, kind: AllianceKind, group: str, rows: list[int], adjacency: dict[int, dict[int, float]]
    ) -> Proposal:
        f = self.f
        arr = np.array(rows, dtype=np.int64)
        pairs = self.suggester.pair_scores(arr, arr, kind)
        n = len(rows)
        cohesion = float((pairs.sum() - np.trace(pairs)) / (n * (n - 1)))
        inside = set(rows)
        internal = {i: sum(w for j, w in adjacency[i].items() if j in inside) for i in rows}
        total = sum(sum(adjacency[i].values()) for i in rows)
        share = sum(internal.values()) / total if total else 0.0
        lead = min(rows, key=lambda i: (not f.national_leader[i], self._level_rank[i], -internal[i], f.ids[i]))
        if kind is AllianceKind.SAME_TRADE:
            label = f.trade_names[f.trade_codes.index(group)]
            name = f"{label}同工种联盟"
            what_zh, what_en = f"成员均为{label}工种", f"all members practise {label} ({group})"
        else:
            label = f.industry_names.get(group, group)
            name = f"{label}同行业联盟"
            what_zh, what_en = f"成员均属{label}（{group}）大类", f"all members are in division {group} {label}"
        zh = [f"{what_zh}（{n} 家）", f"平均配对得分 {cohesion:.2f}；{share:.0%} 的最强联系在联盟内部"]
        en = [f"{what_en} ({n})", f"mean pair score {cohesion:.2f}; {share:.0%} of the strongest ties stay inside"]
        zh_more, en_more, details = self._spread(rows)
        zh += zh_more
        en += en_more
        zh.append(self._lead_reason(lead))
        en.append(f"lead: {f.ids[lead]}" + (" (national model worker)" if f.national_leader[lead] else ""))
        details.update(group=group, cohesion=round(cohesion, 4), internal_share=round(share, 4))
        return Proposal(
            kind=kind,
            name=f"{name}（{f.names[lead]}牵头）",
            members=tuple(sorted(f.ids[i] for i in rows)),
            lead=f.ids[lead],
            score=round(cohesion, 4),
            reasons=tuple(zh),
            reasons_en=tuple(en),
            details=details,
        )

    # -- chains ------------------------------------------------------------------------------------------
    def _adjacent_segments(self, segs: list[int]) -> dict[int, set[int]]:
        adjacent: dict[int, set[int]] = {g: set() for g in segs}
        for g, h in self.f.supplies:
            if g in adjacent and h in adjacent:
                adjacent[g].add(h)
                adjacent[h].add(g)
        return adjacent

    def _chain_ties(self, cand: np.ndarray, new: int, adjacent: dict[int, set[int]]) -> np.ndarray:
        """Each candidate's chain score with ``new``, where their segments are adjacent by SUPPLIES."""
        near = set().union(*(adjacent.get(int(g), set()) for g in self._segments_of[new]))
        touches = np.array([bool(near.intersection(self._segments_of[i].tolist())) for i in cand])
        out = np.zeros(len(cand))
        if touches.any():
            out[touches] = self.suggester.pair_scores(cand[touches], np.array([new]), AllianceKind.CHAIN)[:, 0]
        return out

    def _team_tie_total(self, team: list[int], adjacent: dict[int, set[int]]) -> float:
        arr = np.array(team, dtype=np.int64)
        scores = self.suggester.pair_scores(arr, arr, AllianceKind.CHAIN)
        total = 0.0
        for a in range(len(team)):
            near = set().union(*(adjacent.get(int(g), set()) for g in self._segments_of[team[a]]))
            for b in range(a + 1, len(team)):
                if near.intersection(self._segments_of[team[b]].tolist()):
                    total += float(scores[a, b])
        return total

    def _improve_ties(
        self, team: list[int], cand: np.ndarray, cover: dict[int, list[int]], adjacent: dict[int, set[int]], r: int
    ) -> list[int]:
        """1-swap local search: replace a member by a studio of the same segments when that raises the
        team's tie strength; coverage never drops. At most three passes."""
        if len(team) < 2:
            return team
        by_segments: dict[tuple[int, ...], list[int]] = defaultdict(list)
        for i in cand.tolist():
            by_segments[tuple(sorted(cover[i]))].append(i)
        best = self._team_tie_total(team, adjacent)
        for _ in range(3):
            improved = False
            for pos in range(len(team)):
                member = team[pos]
                for other in by_segments[tuple(sorted(cover[member]))][:50]:
                    if other in team:
                        continue
                    trial = [*team[:pos], other, *team[pos + 1 :]]
                    value = self._team_tie_total(trial, adjacent)
                    if value > best + 1e-9:
                        team, best, member, improved = trial, value, other, True
            if not improved:
                break
        return team

    def _chain_proposal(
        self,
        chain_id: str,
        segs: list[int],
        team: list[int],
        covered: list[int],
        uncovered: list[int],
        adjacent: dict[int, set[int]],
    ) -> Proposal:
        f = self.f
        chain_name = f.chain_names.get(chain_id, chain_id)
        lead = min(team, key=lambda i: (not f.national_leader[i], self._level_rank[i], f.ids[i]))
        edges = [(g, h) for (g, h) in f.supplies if g in adjacent and h in adjacent]
        in_seg = {g: [i for i in team if g in self._segments_of[i]] for g in segs}
        spanned, weak = 0, []
        tie_values = []
        for g, h in edges:
            if in_seg[g] and in_seg[h]:
                spanned += 1
                best = float(
                    self.suggester.pair_scores(np.array(in_seg[g]), np.array(in_seg[h]), AllianceKind.CHAIN).max()
                )
                tie_values.append(best)
                if best < 0.3:
                    weak.append(f"{f.segment_names[g]}→{f.segment_names[h]}")
        mean_tie = float(np.mean(tie_values)) if tie_values else 0.0
        score = len(covered) / len(segs)
        zh = [
            f"覆盖{chain_name}产业链 {len(covered)}/{len(segs)} 个环节",
            f"上下游衔接：{spanned}/{len(edges)} 条供给关系两端都有成员，平均衔接强度 {mean_tie:.2f}",
        ]
        en = [
            f"covers {len(covered)}/{len(segs)} segments of the {chain_id} chain",
            f"{spanned}/{len(edges)} SUPPLIES edges have members at both ends; mean tie {mean_tie:.2f}",
        ]
        if uncovered:
            zh.append("空白环节：" + "、".join(f.segment_names[g] for g in uncovered))
            en.append("uncovered: " + ", ".join(f.segment_ids[g] for g in uncovered))
        if weak:
            zh.append("衔接偏弱：" + "、".join(weak))
            en.append(f"{len(weak)} weak link(s)")
        zh_more, en_more, details = self._spread(team)
        zh += [*zh_more, self._lead_reason(lead)]
        en += [*en_more, f"lead: {f.ids[lead]}"]
        details.update(mean_tie=round(mean_tie, 4), supplies_spanned=spanned, supplies=len(edges))
        return Proposal(
            kind=AllianceKind.CHAIN,
            name=f"{chain_name}产业链上下游联盟",
            members=tuple(sorted(f.ids[i] for i in team)),
            lead=f.ids[lead],
            score=round(score, 4),
            reasons=tuple(zh),
            reasons_en=tuple(en),
            covered=tuple(f.segment_ids[g] for g in covered),
            uncovered=tuple(f.segment_ids[g] for g in uncovered),
            chain_id=chain_id,
            details=details,
        )

    # -- projects -----------------------------------------------------------------------------------------
    def _project_elements(self, project: Project) -> tuple[list[str], dict[str, set[int]]]:
        if self._phrases is None:
            self._phrases = PhraseIndex().fit([s.expertise for s in self.projection.studios])
        return project_needs(self.f, project, self._phrases)

    def _team_ties(self, cand: np.ndarray, new: int) -> np.ndarray:
        """How well each candidate would work with ``new``: complementarity, expertise and past work."""
        comps, _ = self.suggester.component_block(cand, AllianceKind.CHAIN, np.array([new]))
        return 0.4 * comps["complement"][:, 0] + 0.3 * comps["text"][:, 0] + 0.3 * comps["collaboration"][:, 0]

    def _project_proposal(
        self,
        project: Project,
        team: list[int],
        covered: list[str],
        missing: list[str],
        has: dict[int, set[str]],
        contributes: set[int],
    ) -> Proposal:
        f = self.f
        lead = min(team, key=lambda i: (i not in contributes, not f.national_leader[i], self._level_rank[i], f.ids[i]))
        total = len(covered) + len(missing)
        zh = [f"{len(team)} 家工作室覆盖项目「{project.name}」{len(covered)}/{total} 项需求"]
        en = [f"{len(team)} studios cover {len(covered)}/{total} needs of project {project.id}"]
        for i in sorted(team, key=lambda i: f.ids[i]):
            got = "、".join(self._element_zh(e) for e in sorted(has[i] & set(covered)))
            zh.append(f"{f.names[i]}：{got}" + ("（已参与该项目）" if i in contributes else ""))
        if missing:
            zh.append("尚未覆盖：" + "、".join(self._element_zh(e) for e in missing))
            en.append("uncovered: " + ", ".join(missing))
        zh_more, en_more, details = self._spread(team)
        zh += [*zh_more, self._lead_reason(lead)]
        en += [*en_more, f"lead: {f.ids[lead]}"]
        return Proposal(
            kind=AllianceKind.PROJECT,
            name=f"{project.name}联盟" if project.name.endswith("攻关") else f"{project.name}攻关联盟",
            members=tuple(sorted(f.ids[i] for i in team)),
            lead=f.ids[lead],
            score=round(len(covered) / total, 4),
            reasons=tuple(zh),
            reasons_en=tuple(en),
            covered=tuple(covered),
            uncovered=tuple(missing),
            chain_id=project.chain_id,
            project_id=project.id,
            details=details,
        )

    def _element_zh(self, element: str) -> str:
        return describe_element(element, self._segment_names)

    # -- shared --------------------------------------------------------------------------------------------
    def _allied(self, kind: AllianceKind, *, chain_id: str | None = None, project_id: str | None = None) -> np.ndarray:
        """Studios already in a formed alliance of ``kind`` (and that chain or project)."""
        f = self.f
        out = np.zeros(f.n, dtype=bool)
        if self.include_allied:
            return out
        for a in self.projection.alliances:
            if a.status is not AllianceStatus.FORMED or a.kind is not kind:
                continue
            if (chain_id and a.chain_id != chain_id) or (project_id and a.project_id != project_id):
                continue
            for m in a.member_ids:
                if m in f.row:
                    out[f.row[m]] = True
        return out

    def _spread(self, rows: Sequence[int]) -> tuple[list[str], list[str], dict[str, Any]]:
        f = self.f
        districts = {int(f.district[i]) for i in rows if f.district[i] >= 0}
        employers = {int(f.employer[i]) for i in rows if f.employer[i] >= 0}
        national = int(sum(bool(f.national_leader[i]) for i in rows))
        arr = np.array(rows, dtype=np.int64)
        collab = int(f.collaborations[arr][:, arr].sum() // 2)
        zh = [f"跨 {len(districts)} 个区、{len(employers)} 家单位；全国劳模领衔 {national} 家"]
        en = [f"{len(districts)} districts, {len(employers)} employers; {national} led by national model workers"]
        if collab:
            zh.append(f"成员之间已有 {collab} 次合作")
            en.append(f"{collab} past collaboration(s) among members")
        details = {"districts": len(districts), "employers": len(employers), "national_leaders": national}
        return zh, en, details

    def _lead_reason(self, lead: int) -> str:
        f = self.f
        level = f.level_names[f.level[lead]] if f.level[lead] >= 0 else ""
        why = (
            "全国劳模领衔，按第七条优先"
            if f.national_leader[lead]
            else f"{STUDIO_LEVEL_ZH.get(level, '')}工作室".strip()
        )
        return f"建议牵头：{f.names[lead]}（{why}）"

    def _apply_limits(self, proposals: list[Proposal], report: FormReport) -> list[Proposal]:
        lim = self.limits
        kept: list[Proposal] = []
        load: Counter[str] = Counter(m for a in self.projection.alliances if a.is_live for m in a.member_ids)
        order = {k: n for n, k in enumerate(FORM_KINDS)}
        for p in sorted(proposals, key=lambda p: (order[p.kind], -p.score, p.id)):
            if len(p.members) < 2:
                report.left_out[f"{p.kind.value}: fewer than two members"] += 1
                continue
            if lim.max_per_studio is not None:
                members = tuple(m for m in p.members if load[m] < lim.max_per_studio)
                if len(members) != len(p.members):
                    report.left_out["memberships over max_per_studio"] += len(p.members) - len(members)
                    floor = lim.min_size if p.kind in COMMUNITY_KINDS else 2
                    if len(members) < floor:
                        report.left_out[f"{p.kind.value}: too few members left under max_per_studio"] += 1
                        continue
                    p = self._rebuild(p, members)
            rows = [self.f.row[m] for m in p.members]
            _, _, details = self._spread(rows)
            if details["districts"] < lim.min_districts or details["employers"] < lim.min_employers:
                report.left_out[f"{p.kind.value}: too few districts or employers"] += 1
                continue
            for m in p.members:
                load[m] += 1
            kept.append(p)
        return kept

    def _rebuild(self, p: Proposal, members: tuple[str, ...]) -> Proposal:
        f = self.f
        lead = (
            p.lead
            if p.lead in members
            else min(members, key=lambda m: (not f.national_leader[f.row[m]], self._level_rank[f.row[m]], m))
        )
        note = f"（因单个工作室联盟数上限，{len(p.members) - len(members)} 家未列入）"
        return Proposal(
            kind=p.kind,
            name=p.name,
            members=members,
            lead=lead,
            score=p.score,
            reasons=(*p.reasons, note),
            reasons_en=(*p.reasons_en, f"{len(p.members) - len(members)} left out by max_per_studio"),
            covered=p.covered,
            uncovered=p.uncovered,
            chain_id=p.chain_id,
            project_id=p.project_id,
            details=p.details,
        )
