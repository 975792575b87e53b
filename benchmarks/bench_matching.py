"""Matching at scale, beside a straightforward networkx approach, and a backtest of quality.

1. **Scale**: a generated roster of N studios (default 150,000) is ingested into a FileStore; then
   ``Suggester.fit`` on its projection, one studio's top-10 of each kind (median of 50 studios),
   and top-10 of every kind for all studios, with the peak RSS of matching (the high-water mark is
   reset once the roster is in) and of the ingest before it; each code path in its own child
   process (``--baseline-rev``: also a git revision's).
2. **Side by side at 5,000 studios**: the same same-trade and chain top-10s computed the
   straightforward way (networkx bipartite neighbourhoods and ``single_source_shortest_path_length``,
   a Python loop over candidate pairs scoring each with the same components) against the fast path;
   the two must agree, and the ratio of their times is reported.
3. **Backtest** on the illustrative sample: collaborations of the last two years are hidden; from
   what came before, each studio's top-10 is compared with the partners it really worked with
   afterwards (hits@10, MRR), per kind and combined, beside random, same-employer and networkx
   Adamic–Adar on the collaboration graph.

    python benchmarks/bench_matching.py [--studios 150000] [--side 5000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np

from graph.file_store import FileStore
from graph.model import AllianceKind
from graph.store import Projection
from ingest import synthetic
from ingest.pipeline import ingest
from matching.suggest import KINDS, NEED_SHARE, ROUND, Suggester

try:
    from benchmarks.bench_store import append_results, machine
except ModuleNotFoundError:  # run as a script
    from bench_store import append_results, machine  # type: ignore[no-redef]

ROOT = Path(__file__).resolve().parents[1]


def projection_of(n: int, tmp: Path) -> Projection:
    path = tmp / f"roster-{n}.csv"
    roster = synthetic.generate(n, seed=2019)
    synthetic.write_csv(roster.studios, path)
    store = FileStore(tmp / f"g-{n}.json")
    assert ingest([path], store).ok
    return store.projection()


def scale(n: int, lines: list[str], baseline_rev: str | None = None) -> None:
    """Each code path in a child process of its own (this tree's; with ``baseline_rev`` also that
    revision's), one after the other on the same generated roster, with its peak RSS."""
    runs: list[tuple[str, dict[str, Any]]] = [("this tree", measured(None, n))]
    if baseline_rev:
        runs.append((f"revision {baseline_rev}", measured(baseline_rev, n)))
    for name, r in runs:
        lines.append(f"\n{name}: {n:,} generated studios (ingest into a FileStore and projection: "
                     f"{r['load']:.0f} s; Suggester.fit: {r['fit']:.1f} s).\n")  # fmt: skip
        lines.append("| kind | one studio's top-10 (median of 50) | p95 | all studios' top-10 | suggestions |")
        lines.append("|---|---|---|---|---|")
        for kind, k in r["kinds"].items():
            lines.append(f"| {kind} | {k['median_ms']:.0f} ms | {k['p95_ms']:.0f} ms | {k['all_s']:.0f} s "
                         f"| {k['suggestions']:,} |")  # fmt: skip
        every = sum(k["all_s"] for k in r["kinds"].values())
        lines.append(f"\nAll four kinds, every studio's top-10: {every:.0f} s. Peak RSS of matching (fit and "
                     f"every kind): {r['peak_rss_mib']:,.0f} MiB; of generating and ingesting the roster before "
                     f"it: {r['ingest_peak_rss_mib']:,.0f} MiB.")  # fmt: skip
        print("\n".join(lines[-8:]), flush=True)


_CHILD = """
import json, random, resource, statistics, sys, tempfile, time
from pathlib import Path
from benchmarks.bench_matching import projection_of
from matching.suggest import KINDS, Suggester
n = int(sys.argv[1])
t = time.perf_counter()
with tempfile.TemporaryDirectory() as tmp:
    projection = projection_of(n, Path(tmp))
load = time.perf_counter() - t
def peak_mib():  # the high-water mark of this process's resident memory (Linux), else ru_maxrss
    try:
        return next(int(x.split()[1]) for x in open("/proc/self/status") if x.startswith("VmHWM")) / 1024
    except (OSError, StopIteration):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
ingest_peak = peak_mib()
try:  # the peak of matching alone: reset the mark once the roster is in (Linux; else the run's)
    open("/proc/self/clear_refs", "w").write("5")
except OSError:
    pass
t = time.perf_counter()
s = Suggester().fit(projection)
out = {"load": load, "fit": time.perf_counter() - t, "kinds": {}}
sample = random.Random(1).sample(s.features_.ids, 50)
for kind in KINDS:
    times = []
    for sid in sample:
        t0 = time.perf_counter()
        s.suggest(sid, kind, 10)
        times.append(time.perf_counter() - t0)
    t0 = time.perf_counter()
    total = sum(len(found) for _, found in s.suggest_all(kind, 10))
    out["kinds"][kind.value] = {"median_ms": statistics.median(times) * 1000,
                                "p95_ms": sorted(times)[int(0.95 * len(times)) - 1] * 1000,
                                "all_s": time.perf_counter() - t0, "suggestions": total}
    print(kind.value, round(out["kinds"][kind.value]["all_s"], 1), file=sys.stderr, flush=True)
out["peak_rss_mib"] = peak_mib()
out["ingest_peak_rss_mib"] = ingest_peak
print(json.dumps(out))
"""


def measured(rev: str | None, n: int) -> dict[str, Any]:
    """:data:`_CHILD` run from this tree (``rev=None``) or from an archive of git revision ``rev``."""
    import json
    import os
    import subprocess
    import sys
    import tarfile

    with tempfile.TemporaryDirectory() as tmp:
        src = ROOT
        if rev is not None:
            archive = Path(tmp) / "src.tar"
            with open(archive, "wb") as fh:
                subprocess.run(["git", "-C", str(ROOT), "archive", rev], stdout=fh, check=True)
            src = Path(tmp) / "src"
            with tarfile.open(archive) as tar:
                tar.extractall(src, filter="data")
        done = subprocess.run([sys.executable, "-c", _CHILD, str(n)], cwd=src, stdout=subprocess.PIPE, text=True,
                              env={**os.environ, "PYTHONPATH": str(src)})  # fmt: skip
        if done.returncode:  # its traceback went to stderr
            raise SystemExit(f"the measured run of {rev or 'this tree'} failed ({done.returncode})")
        result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def networkx_same_trade_and_chain(s: Suggester, k: int) -> dict[tuple[str, str], list[str]]:
    """The straightforward way: graph neighbourhoods and a Python loop over candidate pairs."""
    f = s.features_
    w_trade = s.weights.of(AllianceKind.SAME_TRADE)
    w_chain = s.weights.of(AllianceKind.CHAIN)
    bipartite = nx.Graph()
    for i in range(f.n):
        for t in f.trades[i].indices:
            bipartite.add_edge(("s", i), ("t", int(t)))
    segments = nx.DiGraph()
    for (g, h), w in f.supplies.items():
        segments.add_edge(g, h, weight=w)
    in_segment: dict[int, list[int]] = defaultdict(list)
    for i in range(f.n):
        for g in f.segments[i].indices:
            in_segment[int(g)].append(i)
    out: dict[tuple[str, str], list[str]] = {}
    for i in range(f.n):
        if not f.live[i]:
            continue
        scored: list[tuple[float, float, int]] = []
        if ("s", i) in bipartite:
            candidates = {j for t in bipartite[("s", i)] for (_, j) in bipartite[t]} - {i}
            mine = set(f.trades[i].indices)
            for j in candidates:
                if not f.live[j] or _allied(f, i, j):
                    continue
                theirs = set(f.trades[j].indices)
                text = min(1.0, max(0.0, _dot(f.expertise, i, f.expertise, j)))
                collab = 1.0 if f.collaborations[i, j] else 0.0
                score = round(w_trade["text"] * text + w_trade["trades"] * len(mine & theirs) / len(mine | theirs)
                              + w_trade["collaboration"] * collab, ROUND)  # fmt: skip
                scored.append((score + (0 if _same_employer(f, i, j) else 2), score, j))
        out[(f.ids[i], "same-trade")] = [f.ids[j] for _, _, j in sorted(scored, key=lambda x: (-x[0], x[2]))[:k]]
        scored = []
        strength: dict[int, float] = {}
        for g in f.segments[i].indices:
            g = int(g)
            if g not in segments:
                continue
            for graph in (segments, segments.reverse(copy=False)):
                for h, hops in nx.single_source_shortest_path_length(graph, g, cutoff=2).items():
                    if h != g and hops:
                        value = float(max(s.reach_.strength[g, h], s.reach_.strength[h, g]))
                        for j in in_segment[h]:
                            strength[j] = max(strength.get(j, 0.0), value)
        for j, value in strength.items():
            if j == i or not f.live[j] or _allied(f, i, j) or value <= 0:
                continue
            text = min(1.0, max(0.0, _dot(f.expertise, i, f.expertise, j)))
            ab = f.text.calibrated_one(min(1.0, max(0.0, _dot(f.needs, i, f.offers, j))))
            ba = f.text.calibrated_one(min(1.0, max(0.0, _dot(f.needs, j, f.offers, i))))
            comp = NEED_SHARE * ab + (1.0 - NEED_SHARE) * ba
            collab = 1.0 if f.collaborations[i, j] else 0.0
            score = round(w_chain["chain"] * value + w_chain["complement"] * comp + w_chain["text"] * text
                          + w_chain["collaboration"] * collab, ROUND)  # fmt: skip
            scored.append((score + (0 if _same_employer(f, i, j) else 2), score, j))
        out[(f.ids[i], "chain")] = [f.ids[j] for _, _, j in sorted(scored, key=lambda x: (-x[0], x[2]))[:k]]
    return out


def _dot(a: Any, i: int, b: Any, j: int) -> float:
    """Row i of a · row j of b, two sparse rows as plain dicts (the straightforward way)."""
    lo, hi = a.indptr[i], a.indptr[i + 1]
    left = dict(zip(a.indices[lo:hi], a.data[lo:hi], strict=True))
    lo, hi = b.indptr[j], b.indptr[j + 1]
    return float(sum(v * left.get(c, 0.0) for c, v in zip(b.indices[lo:hi], b.data[lo:hi], strict=True)))


def _allied(f: Any, i: int, j: int) -> bool:
    return bool(set(f.alliances[i].indices) & set(f.alliances[j].indices))


def _same_employer(f: Any, i: int, j: int) -> bool:
    return bool(f.employer[i] >= 0 and f.employer[i] == f.employer[j])


def side_by_side(n: int, lines: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        projection = projection_of(n, Path(tmp))
    s = Suggester().fit(projection)
    t0 = time.perf_counter()
    fast = {}
    for kind in (AllianceKind.SAME_TRADE, AllianceKind.CHAIN):
        for sid, found in s.suggest_all(kind, 10):
            if s.features_.live[s.features_.row[sid]]:
                fast[(sid, kind.value)] = [x.partner_id for x in found]
    t_fast = time.perf_counter() - t0
    t0 = time.perf_counter()
    slow = networkx_same_trade_and_chain(s, 10)
    t_slow = time.perf_counter() - t0
    agree = sum(1 for key, ids in fast.items() if slow.get(key) == ids)
    lines.append(
        f"\nSide by side, {n:,} studios, same-trade + chain top-10 for every studio: fast path {t_fast:.1f} s, "
        f"networkx neighbourhoods + Python pair loop {t_slow:.1f} s: **{t_slow / t_fast:.0f}× faster**; "
        f"identical top-10 lists: {agree:,} of {len(fast):,}."
    )
    print(lines[-1], flush=True)


def backtest(lines: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        store = FileStore(Path(tmp) / "g.json")
        assert ingest([ROOT / "samples" / "shanghai-roster-illustrative.xlsx"], store).ok
        full = store.projection()
    cut = max(c.year for c in full.collaborations) - 1
    past = tuple(c for c in full.collaborations if c.year < cut)
    future: dict[str, set[str]] = defaultdict(set)
    for c in full.collaborations:
        if c.year >= cut:
            future[c.studio_a].add(c.studio_b)
            future[c.studio_b].add(c.studio_a)
    known = {(c.studio_a, c.studio_b) for c in past}
    for a in list(future):
        future[a] = {b for b in future[a] if (min(a, b), max(a, b)) not in known}
    future = {a: bs for a, bs in future.items() if bs}
    projection = Projection(**{**full.__dict__, "collaborations": past})
    s = Suggester().fit(projection)
    ids = s.features_.ids
    rankings: dict[str, dict[str, list[str]]] = {}
    for kind in KINDS:
        rankings[kind.value] = {
            sid: [x.partner_id for x in found] for sid, found in s.suggest_all(kind, 50, include_allied=True)
        }
    combined: dict[str, list[str]] = {}
    for sid in future:
        best: dict[str, float] = {}
        for kind in KINDS:
            for x in s.suggest(sid, kind, 50, include_allied=True):
                best[x.partner_id] = max(best.get(x.partner_id, 0.0), x.score)
        combined[sid] = [p for p, _ in sorted(best.items(), key=lambda t: (-t[1], t[0]))]
    rankings["combined (max over kinds)"] = combined
    rng = random.Random(3)
    rankings["baseline: random"] = {sid: rng.sample([x for x in ids if x != sid], 50) for sid in future}
    employer = {st.id: st.employer_id for st in projection.studios}
    rankings["baseline: same employer"] = {
        sid: sorted(x for x in ids if x != sid and employer[x] and employer[x] == employer[sid])[:50] for sid in future
    }
    g = nx.Graph()
    g.add_nodes_from(ids)
    g.add_edges_from((c.studio_a, c.studio_b) for c in past)
    adamic: dict[str, list[str]] = {}
    for sid in future:
        pairs = nx.adamic_adar_index(g, [(sid, x) for x in ids if x != sid and not g.has_edge(sid, x)])
        adamic[sid] = [v for _, v, p in sorted(pairs, key=lambda t: (-t[2], t[1])) if p > 0][:50]
    rankings["baseline: Adamic–Adar on past collaborations"] = adamic
    lines.append(
        f"\nBacktest on the illustrative sample: collaborations from {cut} on hidden "
        f"({sum(map(len, future.values())) // 2} new pairs, {len(future)} studios with one); "
        "suggestions from the years before. "
        "hits@10 = share of those studios with a real future partner in their top 10; MRR over their real partners "
        "(rank within the top 50, else 0).\n"
    )
    lines.append("| ranking | hits@10 | MRR |")
    lines.append("|---|---|---|")
    for name, ranking in rankings.items():
        hits, rr = 0, []
        for sid, partners in future.items():
            ranked = ranking.get(sid, [])
            hits += any(p in ranked[:10] for p in partners)
            for p in partners:
                rr.append(1.0 / (ranked.index(p) + 1) if p in ranked else 0.0)
        lines.append(f"| {name} | {hits / len(future):.2f} | {np.mean(rr):.3f} |")
        print(lines[-1], flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--studios", type=int, default=150_000)
    parser.add_argument("--side", type=int, default=5_000)
    parser.add_argument("--skip-scale", action="store_true")
    parser.add_argument("--only-scale", action="store_true", help="skip the backtest and the side-by-side")
    parser.add_argument(
        "--baseline-rev", help="also run this git revision's code path on the same roster (e.g. d98f5f8)"
    )
    args = parser.parse_args()
    lines = [f"\n## Matching — {dt.date.today().isoformat()}", f"Machine: {machine()}."]
    if not args.only_scale:
        backtest(lines)
        side_by_side(args.side, lines)
    if not args.skip_scale:
        scale(args.studios, lines, args.baseline_rev)
    append_results(lines)


if __name__ == "__main__":
    main()
