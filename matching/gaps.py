"""The gap radar: every chain's blank spots (空白点), weak segments and barriers, who could fill
them, what-ifs, and coverage over the years.

For every chain and segment: the live studios working in it (entered, plus those whose segment was
inferred, counted apart), national-level leaders among them, live alliances touching it, and a
status: ``gap`` (no studio), ``weak`` (fewer than ``weak_below``), ``covered``. A ``SUPPLIES`` edge
whose two segments both have studios but that no collaboration and no formed alliance crosses is a
``barrier`` (a proposal closes nothing until it is accepted; a what-if's alliance counts as
formed). For each key project: the segments, trades and capabilities no live studio meets.

For each gap or weak segment, the existing studios best placed to fill it, scored
``0.5·proximity + 0.3·expertise + 0.2·industry`` (proximity: the strongest ``SUPPLIES`` path
within two hops from one of the studio's segments; expertise: cosine of its expertise with the
segment's name and keywords; industry: 1 if its industry class is one of the segment's, 0.75 same
group, 0.5 same division). For each barrier, the strongest chain-partner pairs across it.

Everything is read from one projection through a fitted :class:`Suggester`: counts are sparse
matrix products (``O(studios + collaborations)``), candidates one matrix-vector product per gap.
Rows are ranked by chain priority (1 first: the key industries of high-end manufacturing), then
gap, barrier, weak, covered, then upstream to downstream.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

import networkx as nx
import numpy as np
import scipy.sparse as sp

from graph.exclusion import exclusion_of
from graph.labels import GAP_STATUS_ZH
from graph.model import (
    Alliance,
    AllianceKind,
    AllianceStatus,
    Chain,
    Segment,
    Stage,
    Studio,
    StudioStatus,
    this_year,
)
from graph.store import Projection

from .alliances import project_needs
from .suggest import Suggester
from .text import PhraseIndex


class GapStatus(StrEnum):
    GAP = "gap"  # 空白点
    BARRIER = "barrier"  # 壁垒
    WEAK = "weak"  # 薄弱
    COVERED = "covered"  # 已覆盖


SEVERITY = {GapStatus.GAP: 0, GapStatus.BARRIER: 1, GapStatus.WEAK: 2, GapStatus.COVERED: 3}
STAGE_ORDER = {Stage.UPSTREAM.value: 0, Stage.MIDSTREAM.value: 1, Stage.DOWNSTREAM.value: 2}


@dataclass(frozen=True)
class RadarSettings:
    """- ``weak_below``: a segment with fewer live studios than this is ``weak`` (default 3).
    - ``candidates``: studios (or pairs, for a barrier) proposed per gap (default 5).
    - ``count_inferred``: count studios whose segment was inferred (default True)."""

    weak_below: int = 3
    candidates: int = 5
    count_inferred: bool = True


@dataclass(frozen=True)
class Candidate:
    studio_id: str
    name: str
    score: float
    reasons: tuple[str, ...]
    partner_id: str | None = None
    """For a barrier: the studio on the other side."""
    partner_name: str | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"studio_id": self.studio_id, "name": self.name, "score": self.score}
        if self.partner_id:
            out |= {"partner_id": self.partner_id, "partner_name": self.partner_name}
        return out | {"reasons": list(self.reasons)}


@dataclass(frozen=True)
class GapRow:
    """One segment of a chain, or (``status == barrier``) one ``SUPPLIES`` edge."""

    chain: str
    chain_name: str
    priority: int
    segment: str
    segment_name: str
    status: GapStatus
    studios: int
    inferred: int = 0
    national_leaders: int = 0
    alliances: int = 0
    stage: str = ""
    downstream: str | None = None
    downstream_name: str | None = None
    candidates: tuple[Candidate, ...] = ()

    @property
    def key(self) -> str:
        return f"{self.segment}->{self.downstream}" if self.downstream else self.segment

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "chain": self.chain,
            "chain_name": self.chain_name,
            "priority": self.priority,
            "segment": self.segment,
            "segment_name": self.segment_name,
            "status": self.status.value,
            "status_zh": GAP_STATUS_ZH[self.status.value],
            "studios": self.studios,
            "inferred": self.inferred,
            "national_leaders": self.national_leaders,
            "alliances": self.alliances,
            "stage": self.stage,
        }
        if self.downstream:
            out |= {"downstream": self.downstream, "downstream_name": self.downstream_name}
        return out | {"candidates": [c.to_json() for c in self.candidates]}


@dataclass(frozen=True)
class ChainCoverage:
    chain: str
    name: str
    priority: int
    segments: int
    covered: int
    weak: int
    gaps: int
    barriers: int

    @property
    def coverage(self) -> float:
        return round(self.covered / self.segments, 4) if self.segments else 0.0

    def to_json(self) -> dict[str, Any]:
        return {**vars(self), "coverage": self.coverage}


@dataclass(frozen=True)
class ProjectGap:
    project: str
    name: str
    chain: str | None
    needs: int
    uncovered: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {**vars(self), "uncovered": list(self.uncovered)}


@dataclass
class GapReport:
    chains: list[ChainCoverage]
    rows: list[GapRow]
    projects: list[ProjectGap]

    def row(self, key: str) -> GapRow:
        return next(r for r in self.rows if r.key == key)

    def to_json(self) -> dict[str, Any]:
        return {
            "chains": [c.to_json() for c in self.chains],
            "gaps": [r.to_json() for r in self.rows],
            "projects": [p.to_json() for p in self.projects],
        }


class GapRadar:
    """The radar over one projection (see the module docs).

    Parameters
    ----------
    suggester:
        Fitted on ``projection``.
    projection:
        The graph.
    settings:
        :class:`RadarSettings`.
    """

    def __init__(self, suggester: Suggester, projection: Projection, settings: RadarSettings | None = None) -> None:
        self.suggester = suggester
        self.projection = projection
        self.settings = settings or RadarSettings()
        self.f = suggester.features_
        f = self.f
        stage_of = {s.id: s.stage.value for s in projection.segments}
        self._stage = [stage_of.get(g, "") for g in f.segment_ids]
        """Each segment column's stage (upstream, midstream, downstream)."""
        formed = [a for a in projection.alliances if a.status is AllianceStatus.FORMED]
        pairs = [(f.row[m], k) for k, a in enumerate(formed) for m in a.member_ids if m in f.row]
        rows_, cols_ = (np.array(x, dtype=np.int64) for x in zip(*pairs, strict=True)) if pairs else (
            np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64))  # fmt: skip
        self._formed = sp.csr_matrix((np.ones(len(rows_)), (rows_, cols_)), shape=(f.n, max(len(formed), 1)))
        """Studios × formed alliances: a proposal crosses no barrier until it is accepted."""

    def report(self, chain: str | None = None, *, with_candidates: bool = True, projects: bool = True) -> GapReport:
        """Rows, chain summaries and (with ``projects``) project needs; ``with_candidates`` adds the
        studios best placed to fill each gap and bridge each barrier."""
        f = self.f
        chains = sorted(self.projection.chains, key=lambda c: (c.priority, c.id))
        if chain is not None:
            chains = [c for c in chains if c.id == chain]
            if not chains:
                raise KeyError(chain)
        counts = self._counts()
        segments_of = {c.id: self._ordered_segments(c.id) for c in chains}
        rows: list[GapRow] = []
        summaries: list[ChainCoverage] = []
        for c in chains:
            statuses = {j: self._status(int(counts.studios[j])) for j in segments_of[c.id]}
            barriers = self._barrier_rows(c, statuses, counts)
            rows += [self._segment_row(c, j, status, counts) for j, status in statuses.items()] + barriers
            summaries.append(_chain_coverage(c, statuses, len(barriers)))
        position = {f.segment_ids[j]: k for ids in segments_of.values() for k, j in enumerate(ids)}
        rows.sort(key=lambda r: (r.priority, r.chain, SEVERITY[r.status], position[r.segment], r.downstream or ""))
        if with_candidates:
            rows = [self._with_candidates(r) for r in rows]
        return GapReport(summaries, rows, self._projects(chain) if projects else [])

    # -- counting --------------------------------------------------------------------------------------
    def _counts(self) -> _SegmentCounts:
        """What the rows count, per segment column, over the studios counted (live; inferred ones
        only with ``count_inferred``)."""
        f = self.f
        counted = f.live & (~f.segments_inferred if not self.settings.count_inferred else True)
        seg = f.segments
        return _SegmentCounts(
            studios=_column_sums(seg, counted),
            inferred=_column_sums(seg, counted & f.segments_inferred),
            national=_column_sums(seg, counted & f.national_leader),
            touching=np.asarray(((seg[counted].T @ self._formed[counted]) > 0).sum(axis=1)).ravel(),
            crossing=self._crossings(counted),
        )

    def _status(self, studios: int) -> GapStatus:
        """A segment's status by its number of studios: gap (none), weak (below ``weak_below``), covered."""
        if studios == 0:
            return GapStatus.GAP
        return GapStatus.WEAK if studios < self.settings.weak_below else GapStatus.COVERED

    def _segment_row(self, c: Chain, j: int, status: GapStatus, counts: _SegmentCounts) -> GapRow:
        """The row of segment column ``j`` of chain ``c``."""
        f = self.f
        return GapRow(
            chain=c.id,
            chain_name=c.name,
            priority=c.priority,
            segment=f.segment_ids[j],
            segment_name=f.segment_names[j],
            status=status,
            studios=int(counts.studios[j]),
            inferred=int(counts.inferred[j]),
            national_leaders=int(counts.national[j]),
            alliances=int(counts.touching[j]),
            stage=self._stage[j],
        )

    def _barrier_rows(self, c: Chain, statuses: dict[int, GapStatus], counts: _SegmentCounts) -> list[GapRow]:
        """A row for each ``SUPPLIES`` edge inside chain ``c`` (its segments: ``statuses``) with studios
        at both ends and no tie across, in edge order."""
        f = self.f
        studios = counts.studios
        return [
            GapRow(
                chain=c.id,
                chain_name=c.name,
                priority=c.priority,
                segment=f.segment_ids[g],
                segment_name=f.segment_names[g],
                status=GapStatus.BARRIER,
                studios=int(studios[g] + studios[h]),
                stage=self._stage[g],
                downstream=f.segment_ids[h],
                downstream_name=f.segment_names[h],
            )
            for g, h in sorted(e for e in f.supplies if e[0] in statuses and e[1] in statuses)
            if studios[g] and studios[h] and not counts.crossing[g, h]
        ]

    def segment_order(self, chain: str) -> list[str]:
        """The chain's segment ids upstream → downstream (the order a radar reads in)."""
        return [self.f.segment_ids[j] for j in self._ordered_segments(chain)]

    def _ordered_segments(self, chain: str) -> list[int]:
        """The chain's segment columns upstream → downstream: by stage, then by SUPPLIES order."""
        f = self.f
        cols = [j for j, c in enumerate(f.segment_chain) if c == chain]
        graph: nx.DiGraph[int] = nx.DiGraph()
        graph.add_nodes_from(cols)
        graph.add_edges_from(e for e in f.supplies if e[0] in graph and e[1] in graph)
        try:
            ordered = nx.lexicographical_topological_sort(graph, key=lambda j: f.segment_ids[j])
            rank = {j: k for k, j in enumerate(ordered)}
        except nx.NetworkXUnfeasible:  # a cycle: fall back on ids
            rank = {j: k for k, j in enumerate(sorted(cols, key=lambda j: f.segment_ids[j]))}
        return sorted(cols, key=lambda j: (STAGE_ORDER.get(self._stage[j], 1), rank[j], f.segment_ids[j]))

    def _crossings(self, counted: np.ndarray) -> Any:
        """``out[g, h]`` true when a collaboration or a live alliance joins a studio of g and one of h."""
        f = self.f
        seg = f.segments.multiply(counted[:, None]).tocsr()
        collab = (seg.T @ f.collaborations @ seg) > 0
        allied = self._formed.multiply(counted[:, None]).tocsr()
        seg_alliance = (seg.T @ allied) > 0
        together = (seg_alliance.astype(np.float64) @ seg_alliance.T.astype(np.float64)) > 0
        out = (collab + together).toarray() > 0
        return out | out.T

    # -- candidates ------------------------------------------------------------------------------------
    def _with_candidates(self, row: GapRow) -> GapRow:
        if row.status is GapStatus.BARRIER:
            return replace(row, candidates=self._bridges(row.segment, row.downstream or ""))
        if row.status in (GapStatus.GAP, GapStatus.WEAK):
            return replace(row, candidates=self._fillers(row.segment))
        return row

    def _fillers(self, segment: str) -> tuple[Candidate, ...]:
        f = self.f
        j = f.segment_ids.index(segment)
        seg = next(s for s in self.projection.segments if s.id == segment)
        proximity = self.suggester.segment_reach_[j]
        # how much of the segment's name or of any one of its keywords a studio's expertise holds
        asks = f.text.needs([seg.name, *seg.keywords])
        text = np.clip((f.offers @ asks.T).toarray().max(axis=1, initial=0.0), 0.0, 1.0)
        industry = self._industry_match(seg)
        score = np.round(0.5 * proximity + 0.3 * text + 0.2 * industry, 4)
        inside = np.zeros(f.n, dtype=bool)
        inside[f.segments[:, j].nonzero()[0]] = True
        key = np.where(f.live & ~inside & (score > 0), score, -np.inf)
        out = []
        for i in _best(key, self.settings.candidates):
            zh = []
            if proximity[i] > 0:
                near = self._nearest_segment(i, j)
                zh.append(f"位于相邻环节{near}（链路强度 {proximity[i]:.2f}）")
            if text[i] > 0.05:
                zh.append(f"专长与该环节相似度 {text[i]:.2f}")
            if industry[i] > 0:
                code = f.industry[i] or ""
                zh.append(f"行业匹配：{f.industry_names.get(code, code)}（{industry[i]:.2f}）")
            if f.national_leader[i]:
                zh.append("全国劳模领衔")
            out.append(Candidate(f.ids[i], f.names[i], float(score[i]), tuple(zh)))
        return tuple(out)

    def _industry_match(self, seg: Segment) -> np.ndarray:
        f = self.f
        out = np.zeros(f.n)
        codes = set(seg.industry_codes)
        if not codes:
            return out
        groups = {c[:3] for c in codes if len(c) == 4}
        divisions = {c[:2] for c in codes if len(c) >= 2 and c[:2].isdigit()}
        for i, code in enumerate(f.industry):
            if not code:
                continue
            if code in codes:
                out[i] = 1.0
            elif code[:3] in groups:
                out[i] = 0.75
            elif code[:2] in divisions:
                out[i] = 0.5
        return out

    def _nearest_segment(self, i: int, j: int) -> str:
        f = self.f
        both = self.suggester.reach_.either_way()
        own = self.suggester._segment_rows[i]
        best = max(own, key=lambda g: (both[j, g], -g)) if own else None
        return f.segment_names[best] if best is not None else ""

    def _bridges(self, upstream: str, downstream: str) -> tuple[Candidate, ...]:
        f = self.f
        g, h = f.segment_ids.index(upstream), f.segment_ids.index(downstream)
        rows_g = self._strongest(np.flatnonzero(f.live & (f.segments[:, g].toarray().ravel() > 0)))
        rows_h = self._strongest(np.flatnonzero(f.live & (f.segments[:, h].toarray().ravel() > 0)))
        if not len(rows_g) or not len(rows_h):
            return ()
        scores = self.suggester.pair_scores(rows_g, rows_h, AllianceKind.CHAIN)
        flat = np.argsort(-scores, axis=None, kind="stable")[: self.settings.candidates]
        out = []
        for idx in flat:
            a, b = np.unravel_index(idx, scores.shape)
            i, k = int(rows_g[a]), int(rows_h[b])
            if scores[a, b] <= 0:
                break
            zh = (
                f"{f.names[i]}（{f.segment_names[g]}）→ {f.names[k]}（{f.segment_names[h]}）",
                f"上下游配对得分 {scores[a, b]:.2f}",
            )
            out.append(Candidate(f.ids[i], f.names[i], round(float(scores[a, b]), 4), zh, f.ids[k], f.names[k]))
        return tuple(out)

    def _strongest(self, rows: np.ndarray, cap: int = 400) -> np.ndarray:
        """At most ``cap`` of ``rows``: national leaders, then higher levels, then by id."""
        if len(rows) <= cap:
            return rows
        f = self.f
        order = np.lexsort((rows, f.level[rows], ~f.national_leader[rows]))
        return np.sort(rows[order[:cap]])

    # -- projects --------------------------------------------------------------------------------------
    def _projects(self, chain: str | None) -> list[ProjectGap]:
        f = self.f
        projects = [p for p in self.projection.projects if chain is None or p.chain_id == chain]
        if not projects:
            return []
        phrases = PhraseIndex().fit([s.expertise for s in self.projection.studios])
        out = []
        for p in sorted(projects, key=lambda p: p.id):
            elements, covers = project_needs(f, p, phrases)
            uncovered = tuple(e for e in elements if not any(f.live[i] for i in covers[e]))
            out.append(ProjectGap(p.id, p.name, p.chain_id, len(elements), uncovered))
        return out


@dataclass(frozen=True)
class _SegmentCounts:
    """Per segment column: the studios counted, those of them whose segment was inferred, those led
    by a national model worker, and the formed alliances touching it; ``crossing[g, h]``: whether a
    collaboration or a formed alliance joins a studio of g and one of h."""

    studios: np.ndarray
    inferred: np.ndarray
    national: np.ndarray
    touching: np.ndarray
    crossing: np.ndarray


def _chain_coverage(c: Chain, statuses: dict[int, GapStatus], barriers: int) -> ChainCoverage:
    """The summary of chain ``c`` from its segments' statuses and its number of barriers."""
    return ChainCoverage(
        chain=c.id,
        name=c.name,
        priority=c.priority,
        segments=len(statuses),
        covered=sum(1 for s in statuses.values() if s is not GapStatus.GAP),
        weak=sum(1 for s in statuses.values() if s is GapStatus.WEAK),
        gaps=sum(1 for s in statuses.values() if s is GapStatus.GAP),
        barriers=barriers,
    )


def _column_sums(matrix: sp.csr_matrix, rows: np.ndarray) -> np.ndarray:
    return np.asarray(matrix[np.flatnonzero(rows)].sum(axis=0)).ravel()


def _best(key: np.ndarray, k: int) -> list[int]:
    finite = np.flatnonzero(np.isfinite(key))
    order = np.lexsort((finite, -key[finite]))
    return [int(x) for x in finite[order][:k]]


# -- what-if ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Scenario:
    """Changes to try, none written: alliances formed, studios named in a segment, studios delisted.

    ``name_in`` pairs are (studio id, segment id); a studio id not in the graph stands for a
    newly named studio with no other ties.
    """

    form: tuple[tuple[str, ...], ...] = ()
    name_in: tuple[tuple[str, str], ...] = ()
    delist: tuple[str, ...] = ()

    def apply(self, projection: Projection, year: int | None = None) -> Projection:
        """The projection as it would be; an alliance formed takes only the studios that take part in
        matching in ``year`` (default this year; Article 9)."""
        year = this_year() if year is None else year
        workers = {w.id: w for w in projection.workers}
        studios = {s.id: s for s in projection.studios}
        segments = {s.id for s in projection.segments}
        for sid in self.delist:
            if sid not in studios:
                raise KeyError(sid)
            studios[sid] = studios[sid].model_copy(update={"status": StudioStatus.DELISTED})
        for sid, seg in self.name_in:
            if seg not in segments:
                raise KeyError(seg)
            old = studios.get(sid) or Studio(id=sid, name=sid)
            studios[sid] = old.model_copy(
                update={"segment_ids": tuple(sorted({*old.segment_ids, seg})), "status": StudioStatus.ACTIVE}
            )
        alliances = list(projection.alliances)
        for k, members in enumerate(self.form):
            missing = [m for m in members if m not in studios]
            if missing:
                raise KeyError(missing[0])
            live = tuple(sorted(m for m in members if exclusion_of(studios[m], workers.get(studios[m].leader_id or ""),
                                                                   year) is None))  # fmt: skip
            alliances.append(
                Alliance.model_construct(
                    id=f"what-if-{k}",
                    name="what-if",
                    kind=AllianceKind.CHAIN,
                    status=AllianceStatus.FORMED,
                    member_ids=live,
                )
            )
        return replace(
            projection,
            studios=tuple(sorted(studios.values(), key=lambda s: s.id)),
            alliances=tuple(alliances),
        )


@dataclass
class WhatIf:
    """Before and after: coverage per chain, and every segment or barrier whose status changed."""

    before: GapReport
    after: GapReport
    changes: list[dict[str, Any]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        after = {c.chain: c for c in self.after.chains}
        return {
            "chains": [
                {
                    "chain": c.chain,
                    "name": c.name,
                    "coverage_before": c.coverage,
                    "coverage_after": after[c.chain].coverage,
                    "gaps_before": c.gaps,
                    "gaps_after": after[c.chain].gaps,
                    "barriers_before": c.barriers,
                    "barriers_after": after[c.chain].barriers,
                }
                for c in self.before.chains
            ],
            "changes": self.changes,
        }


def what_if(
    suggester: Suggester,
    projection: Projection,
    scenario: Scenario,
    *,
    chain: str | None = None,
    settings: RadarSettings | None = None,
) -> WhatIf:
    """The radar before and after ``scenario`` (nothing is written). A scenario changes no text, so
    the text model and the studios' text vectors are reused: the answer costs one feature build
    without text, not a full fit."""
    before = GapRadar(suggester, projection, settings).report(chain, with_candidates=False, projects=False)
    changed = scenario.apply(projection, suggester.year)
    after_suggester = Suggester(
        suggester.weights, text=suggester.features_.text, block=suggester.block, year=suggester.year
    )
    after_suggester.fit(changed, fit_text=False, reuse=suggester.features_)  # a scenario changes no text
    after = GapRadar(after_suggester, changed, settings).report(chain, with_candidates=False, projects=False)
    old = {r.key: r for r in before.rows}
    new = {r.key: r for r in after.rows}
    changes = []
    for key in sorted(old.keys() | new.keys()):
        a, b = old.get(key), new.get(key)
        was = a.status.value if a else "none"
        now = b.status.value if b else "none"
        if was != now or (a and b and a.studios != b.studios):
            r = b or a
            assert r is not None
            changes.append(
                {
                    "chain": r.chain,
                    "segment": r.segment,
                    **({"downstream": r.downstream} if r.downstream else {}),
                    "before": was,
                    "after": now,
                    "studios_before": a.studios if a else 0,
                    "studios_after": b.studios if b else 0,
                }
            )
    return WhatIf(before, after, changes)


# -- over time -------------------------------------------------------------------------------------------
def coverage_by_year(projection: Projection, years: Sequence[int] | None = None) -> dict[str, dict[int, int]]:
    """For each chain, how many of its segments had a live studio in each year.

    A studio counts from its ``named_year`` until the year before its ``delisted_year``; a
    delisted studio with no ``delisted_year`` counts until last year; one with no ``named_year``
    counts only in the current year. Segments are entered or, failing that, inferred ones.
    """
    current = this_year()
    named = [s.named_year for s in projection.studios if s.named_year]
    if years is None:
        years = list(range(min(named), current + 1)) if named else [current]
    chain_of = {g.id: g.chain_id for g in projection.segments}
    counts: dict[str, dict[int, int]] = {c.id: {} for c in projection.chains}
    for year in years:
        covered: dict[str, set[str]] = {c: set() for c in counts}
        for s in projection.studios:
            start = s.named_year if s.named_year else current
            end = (s.delisted_year or current) - 1 if s.status is StudioStatus.DELISTED else current
            if not start <= year <= end:
                continue
            for g in s.effective_segments:
                if g in chain_of:
                    covered[chain_of[g]].add(g)
        for c in counts:
            counts[c][year] = len(covered[c])
    return counts


def segment_totals(projection: Projection) -> Counter[str]:
    """Segments per chain."""
    return Counter(g.chain_id for g in projection.segments)
