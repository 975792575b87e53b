"""Forming every alliance and the full gap radar at national scale, beside plain baselines.

For each size N (default 20,000 and 150,000 generated studios, ``ingest.synthetic`` with its
projects, collaborations and alliances, ingested into a FileStore):

- ``Suggester.fit`` on the projection;
- ``AllianceFormer.form()`` per kind (project, chain, same-trade, same-industry), with proposal
  counts and the share of live studios placed in a same-trade / same-industry alliance;
- the full gap radar (every chain, with candidates), one what-if (delisting one studio), and
  coverage by year;
- baselines in the same run: the radar's statuses from the plain twin in the tests
  (``tests/matching/reference_gaps.py``, Python loops over the records; the two must agree),
  and, at the smaller size, the community kNN graph built through the explained public path
  (``Suggester.suggest_all``) instead of ``Suggester.neighbours``.

Peak RSS of the process is reported. Results are appended to ``benchmarks/RESULTS.md``.

    python benchmarks/bench_alliances.py [--sizes 20000,150000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from graph.file_store import FileStore
from graph.model import AllianceKind, StudioStatus
from graph.store import Projection
from ingest import synthetic
from ingest.pipeline import ingest
from matching.alliances import FORM_KINDS, AllianceFormer
from matching.gaps import GapRadar, Scenario, coverage_by_year, what_if
from matching.suggest import Suggester

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.matching.reference_gaps import radar_statuses  # noqa: E402

try:
    from benchmarks.bench_store import append_results, machine
except ModuleNotFoundError:  # run as a script
    from bench_store import append_results, machine  # type: ignore[no-redef]


T = TypeVar("T")


def load(n: int, tmp: Path) -> Projection:
    roster = synthetic.generate(n, seed=2019)
    paths = []
    for sheet in ("studios", "projects", "collaborations", "alliances"):
        rows = getattr(roster, sheet)
        if rows:
            path = tmp / f"{sheet}.csv"
            synthetic.write_csv(rows, path)
            paths.append(path)
    store = FileStore(tmp / "graph.json")
    report = ingest(paths, store)
    assert report.ok, report.problems[:3]
    return store.projection()


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(job: Callable[[], T]) -> tuple[float, T]:
    start = time.perf_counter()
    value = job()
    return time.perf_counter() - start, value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="20000,150000")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    lines = [
        f"\n## Alliances and gap radar — {dt.date.today().isoformat()}",
        f"Machine: {machine()}.",
        "Roster: `ingest.synthetic.generate(N, seed=2019)` (studios, projects, collaborations, alliances) "
        "ingested into a FileStore; times in seconds, one process; default limits (5–30 members).",
        "",
        "| studios | fit | project | chain | same-trade | same-industry | proposals (placed in a community) "
        "| radar (with candidates) | statuses only | statuses, plain twin | twin / statuses | what-if "
        "| coverage by year | peak RSS |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    side: list[str] = []
    for n in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            projection = load(n, Path(tmp))
            t_fit, suggester = timed(lambda p=projection: Suggester().fit(p))
            former = AllianceFormer(suggester, projection)
            per_kind: dict[AllianceKind, float] = {}
            proposals = []
            for kind in FORM_KINDS:
                t, report = timed(lambda k=kind, f=former: f.form([k]))
                per_kind[kind] = t
                proposals.extend(report.proposals)
            live = sum(1 for s in projection.studios if s.status is StudioStatus.ACTIVE)
            placed = {
                kind: len({m for p in proposals if p.kind is kind for m in p.members})
                for kind in (AllianceKind.SAME_TRADE, AllianceKind.SAME_INDUSTRY)
            }
            t_radar, _ = timed(lambda s=suggester, p=projection: GapRadar(s, p).report())
            t_status, radar = timed(
                lambda s=suggester, p=projection: GapRadar(s, p).report(with_candidates=False, projects=False)
            )
            t_twin, twin = timed(lambda p=projection: radar_statuses(p))
            fast = {r.key: (r.status.value, r.studios) for r in radar.rows}
            assert fast == twin, "the radar and its plain twin disagree"
            victim = next(s.id for s in projection.studios if s.status is StudioStatus.ACTIVE)
            t_what, _ = timed(lambda s=suggester, p=projection, v=victim: what_if(s, p, Scenario(delist=(v,))))
            t_cov, _ = timed(lambda p=projection: coverage_by_year(p))
            counts = {k: sum(1 for p in proposals if p.kind is k) for k in FORM_KINDS}
            lines.append(
                f"| {n:,} | {t_fit:.1f} | {per_kind[AllianceKind.PROJECT]:.1f} | {per_kind[AllianceKind.CHAIN]:.1f} "
                f"| {per_kind[AllianceKind.SAME_TRADE]:.1f} | {per_kind[AllianceKind.SAME_INDUSTRY]:.1f} "
                f"| {counts[AllianceKind.PROJECT]} project, {counts[AllianceKind.CHAIN]} chain, "
                f"{counts[AllianceKind.SAME_TRADE]} same-trade ({placed[AllianceKind.SAME_TRADE] / live:.0%}), "
                f"{counts[AllianceKind.SAME_INDUSTRY]} same-industry ({placed[AllianceKind.SAME_INDUSTRY] / live:.0%}) "
                f"| {t_radar:.1f} | {t_status:.2f} | {t_twin:.2f} | {t_twin / t_status:.2f}× | {t_what:.1f} "
                f"| {t_cov:.1f} | {peak_rss_mib():,.0f} MiB |"
            )
            print(lines[-1], flush=True)
            if n == min(sizes):
                rows = [i for i in range(suggester.features_.n) if suggester.features_.live[i]]
                t_lean, _ = timed(lambda s=suggester, r=rows: s.neighbours(AllianceKind.SAME_TRADE, 10, r))
                t_full, _ = timed(
                    lambda s=suggester, r=rows: sum(
                        1 for _ in s.suggest_all(AllianceKind.SAME_TRADE, 10, include_allied=True, rows=r)
                    )
                )
                side.append(
                    f"\nSame-trade 10-nearest-partner graph at {n:,} studios: `Suggester.neighbours` {t_lean:.1f} s; "
                    f"through the explained `suggest_all` {t_full:.1f} s ({t_full / t_lean:.1f}× slower)."
                )
                print(side[-1], flush=True)
    append_results([*lines, *side])


if __name__ == "__main__":
    main()
