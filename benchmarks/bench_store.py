"""Store benchmark: batched writes, re-writes, projection and filtered listing on both stores.

Baseline in the same run: one ``MERGE`` per studio in its own transaction (the per-row round trip
the batched ``UNWIND`` path avoids), on the same server, for a sample of rows.

    python benchmarks/bench_store.py [--sizes 20000,150000] [--neo4j bolt://…] [--no-neo4j]

Without ``--neo4j`` it starts the project's own server in ``.alliances/neo4j-bench``. Results are
appended to ``benchmarks/RESULTS.md`` with the machine and date.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from neo4j import GraphDatabase

from graph import server, taxonomy
from graph.file_store import FileStore
from graph.model import StudioStatus
from graph.neo4j_store import Neo4jStore
from graph.store import BaseStore, StudioFilter
from ingest import synthetic

ROOT = Path(__file__).resolve().parents[1]


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def machine() -> str:
    mem = ""
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            mem = f", {int(fh.readline().split()[1]) / 1024 / 1024:.0f} GiB RAM"
    except OSError:
        pass
    cpu = ""
    try:
        with open("/proc/cpuinfo", encoding="ascii") as fh:
            cpu = next((line.split(":", 1)[1].strip() for line in fh if line.startswith("model name")), "")
    except OSError:
        pass
    return f"{platform.node()}: {os.cpu_count()} cores ({cpu}){mem}, Python {platform.python_version()}"


def append_results(lines: list[str]) -> None:
    """Append one run's section to ``benchmarks/RESULTS.md``."""
    with open(ROOT / "benchmarks" / "RESULTS.md", "a", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")


def bench_store(name: str, store: BaseStore, n: int, lines: list[str]) -> None:
    store.clear()
    store.write(taxonomy.reference_records())
    recs = synthetic.records(n, collaborations=n // 2)
    studios = sum(1 for r in recs if r.label == "Studio")
    store.stats.transactions = store.stats.queries = 0
    t_write, _ = timed(lambda: store.write(recs))
    tx, q = store.stats.transactions, store.stats.queries
    t_again, summary = timed(lambda: store.write(recs))
    t_proj, proj = timed(store.projection)
    where = StudioFilter(industry="C", status=StudioStatus.ACTIVE, district="浦东新区")
    t_list, listed = timed(lambda: store.list_studios(where, limit=50))
    t_count, count = timed(lambda: store.count_studios(where))
    lines.append(
        f"| {name} | {n:,} | {len(recs):,} | {t_write:.1f} s ({len(recs) / t_write:,.0f} rec/s) | {tx} / {q} "
        f"| {t_again:.1f} s (changed {summary.changed}) | {t_proj:.1f} s ({len(proj.studios):,} studios) "
        f"| {t_list * 1000:.0f} ms / {t_count * 1000:.0f} ms ({count:,}) |"
    )
    assert len(proj.studios) == studios and len(listed) <= 50
    print(lines[-1], flush=True)


def per_row_baseline(uri: str, n: int) -> float:
    """Rows per second with one auto-commit MERGE per studio (what batching avoids)."""
    recs = [r for r in synthetic.records(n) if r.label == "Studio"]
    with GraphDatabase.driver(uri, auth=None) as driver, driver.session() as session:
        session.run("MATCH (n:BaselineStudio) DETACH DELETE n").consume()
        session.run(
            "CREATE CONSTRAINT baseline_id IF NOT EXISTS FOR (n:BaselineStudio) REQUIRE n.id IS UNIQUE"
        ).consume()
        start = time.perf_counter()
        for r in recs:
            session.run("MERGE (s:BaselineStudio {id: $id}) SET s.name = $name", id=r.key, name=r.name).consume()
        elapsed = time.perf_counter() - start
        session.run("MATCH (n:BaselineStudio) DETACH DELETE n").consume()
        session.run("DROP CONSTRAINT baseline_id IF EXISTS").consume()
    return len(recs) / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="20000,150000")
    parser.add_argument("--neo4j", default=None, help="bolt:// URI of a server with auth off")
    parser.add_argument("--no-neo4j", action="store_true")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    lines = [
        f"\n## Store writes — {dt.date.today().isoformat()}",
        f"Machine: {machine()}.",
        "Synthetic records (`ingest.synthetic.records`): per studio a leader, 1–2 trades, a segment, an industry; "
        "a quarter as many employers; n/2 collaborations. Taxonomies loaded first.",
        "",
        "| store | studios | records | first write | transactions / statements | same write again "
        "| projection() | filtered list / count |",
        "|---|---|---|---|---|---|---|---|",
    ]
    home = ROOT / ".alliances" / "neo4j-bench"
    uri = args.neo4j
    started = False
    if uri is None and not args.no_neo4j:
        uri = server.start(home, heap="2g", pagecache="1g").uri
        started = True
    try:
        for n in sizes:
            with tempfile.TemporaryDirectory() as tmp:
                store = FileStore(Path(tmp) / "graph.json")
                bench_store("FileStore", store, n, lines)
                lines[-1] = lines[-1][:-1] + f" file {os.path.getsize(store.path) / 1e6:.0f} MB |"
            if uri:
                with Neo4jStore(uri) as neo:
                    bench_store("Neo4jStore", neo, n, lines)
        if uri:
            baseline_n = 2_000
            rate = per_row_baseline(uri, baseline_n)
            lines.append("")
            lines.append(
                f"Baseline, same server and run: one auto-commit MERGE per studio ({baseline_n:,} studios, "
                f"node and name only): {rate:,.0f} rows/s."
            )
            print(lines[-1])
    finally:
        if started:
            server.stop(home)
    append_results(lines)


if __name__ == "__main__":
    main()
