"""The plain twin of the fast path: every pair scored in a Python loop, straight from the rules as
the module docs of ``matching.suggest`` state them. Slow and obvious on purpose."""

from __future__ import annotations

from typing import Any

from graph.model import AllianceKind, StudioStatus, WorkerStatus
from graph.store import Projection
from matching.suggest import ROUND, Filters, Suggester


def _dot(a: Any, b: Any) -> float:
    """The dot product of two sparse rows, term by term."""
    theirs = dict(zip(b.indices.tolist(), b.data.tolist(), strict=True))
    return float(sum(v * theirs.get(c, 0.0) for c, v in zip(a.indices.tolist(), a.data.tolist(), strict=True)))


def _clip(x: float) -> float:
    return min(1.0, max(0.0, x))


def reference_live(projection: Projection, year: int) -> set[str]:
    """Article 9, straight from the rule: active studios whose leader, if any, is serving, or left
    after ``year``; a departure with no year counts as now."""
    workers = {w.id: w for w in projection.workers}
    out = set()
    for studio in projection.studios:
        leader = workers.get(studio.leader_id or "")
        gone = (
            leader is not None
            and leader.status is not WorkerStatus.SERVING
            and (leader.status_year is None or leader.status_year <= year)
        )
        if studio.status is StudioStatus.ACTIVE and not gone:
            out.add(studio.id)
    return out


def reference_top(
    s: Suggester,
    studio: str,
    kind: AllianceKind,
    k: int,
    filters: Filters | None = None,
    include_allied: bool = False,
    *,
    live: set[str],
) -> list[tuple[str, float]]:
    filters = filters or Filters()
    f = s.features_
    i = f.row[studio]
    weights = s.weights.of(kind)
    trades = [set(f.trades[r].indices) for r in range(f.n)]
    segments = [set(f.segments[r].indices) for r in range(f.n)]
    alliances = [set(f.alliances[r].indices) for r in range(f.n)]
    strength = s.reach_.strength
    if f.ids[i] not in live:
        return []
    found: list[tuple[int, float, float]] = []  # (row, score, ranking key)
    for j in range(f.n):
        if j == i or f.ids[j] not in live:
            continue
        if not include_allied and alliances[i] & alliances[j]:
            continue
        if filters.district is not None and (f.district[j] < 0 or f.district_names[f.district[j]] != filters.district):
            continue
        if filters.union is not None and (f.union[j] < 0 or f.union_ids[f.union[j]] != filters.union):
            continue
        if filters.level is not None and (f.level[j] < 0 or f.level_names[f.level[j]] != filters.level):
            continue
        comps: dict[str, float] = {}
        text = _clip(_dot(f.expertise[i], f.expertise[j]))
        ab = float(f.text.calibrated(_clip(_dot(f.needs[i], f.offers[j]))))
        ba = float(f.text.calibrated(_clip(_dot(f.needs[j], f.offers[i]))))
        complement = 0.9 * ab + 0.1 * ba
        collaboration = 1.0 if f.collaborations[i, j] > 0 else 0.0
        shared = trades[i] & trades[j]
        if kind is AllianceKind.SAME_TRADE:
            if not shared:
                continue
            comps = {"text": text, "trades": len(shared) / len(trades[i] | trades[j]), "collaboration": collaboration}
        elif kind is AllianceKind.SAME_INDUSTRY:
            if f.industry_division[i] < 0 or f.industry_division[i] != f.industry_division[j]:
                continue
            if f.industry_class[i] >= 0 and f.industry_class[i] == f.industry_class[j]:
                taxonomy = 1.0
            elif f.industry_group[i] >= 0 and f.industry_group[i] == f.industry_group[j]:
                taxonomy = 0.75
            else:
                taxonomy = 0.5
            comps = {"taxonomy": taxonomy, "text": text, "collaboration": collaboration}
        elif kind is AllianceKind.CROSS_FIELD:
            a, b = f.industry_section[i], f.industry_section[j]
            if a < 0 or b < 0 or a == b or shared or complement < s.weights.min_complement:
                continue
            comps = {"complement": complement, "collaboration": collaboration}
        else:
            best = 0.0
            for g in segments[i]:
                for h in segments[j]:
                    if g != h:
                        best = max(best, strength[g, h], strength[h, g])
            if best <= 0:
                continue
            comps = {"chain": best, "complement": complement, "text": text, "collaboration": collaboration}
        score = round(sum(weights[c] * comps[c] for c in weights), ROUND)
        same_employer = f.employer[i] >= 0 and f.employer[i] == f.employer[j]
        found.append((j, score, score + (0.0 if same_employer else 2.0)))
    found.sort(key=lambda t: (-t[2], t[0]))
    return [(f.ids[j], score) for j, score, _ in found[:k]]
