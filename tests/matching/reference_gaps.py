"""The plain twin of the gap radar's statuses: straight from the records, in Python loops, as the
module docs of ``matching.gaps`` state the rules. Slow and obvious on purpose."""

from __future__ import annotations

from graph.model import AllianceStatus, StudioStatus
from graph.store import Projection


def radar_statuses(projection: Projection, weak_below: int = 3) -> dict[str, tuple[str, int]]:
    """``{segment id: (status, studios)}`` and ``{"up->down": ("barrier", studios at both ends)}``."""
    live = [s for s in projection.studios if s.status is StudioStatus.ACTIVE]
    in_segment: dict[str, set[str]] = {g.id: set() for g in projection.segments}
    for s in live:
        for g in s.segment_ids or s.inferred_segment_ids:
            if g in in_segment:
                in_segment[g].add(s.id)
    out: dict[str, tuple[str, int]] = {}
    for g, studios in in_segment.items():
        n = len(studios)
        out[g] = ("gap" if n == 0 else "weak" if n < weak_below else "covered", n)
    formed = [set(a.member_ids) for a in projection.alliances if a.status is AllianceStatus.FORMED]
    for edge in projection.supplies:
        up, down = in_segment[edge.upstream_id], in_segment[edge.downstream_id]
        if not up or not down:
            continue
        crossed = any(
            (c.studio_a in up and c.studio_b in down) or (c.studio_b in up and c.studio_a in down)
            for c in projection.collaborations
        ) or any(members & up and members & down for members in formed)
        if not crossed:
            out[f"{edge.upstream_id}->{edge.downstream_id}"] = ("barrier", len(up) + len(down))
    return out
