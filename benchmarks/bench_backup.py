"""Backup and move: ``alliances export`` and ``alliances import`` on the sample and a synthetic store.

Each step runs as the user runs it, ``python -m api.cli … export|import FILE`` in a child process
(so the times include starting Python and opening the store, and the peak RSS is that child's own):

- **sample**: the illustrative Shanghai roster (``samples/shanghai-roster-illustrative.xlsx``) ingested
  into a file store; export it, import it into an empty file store, and with ``--neo4j`` import it
  into Neo4j and export it from there;
- **N studios** (default 150,000): ``ingest.synthetic.records(N, collaborations=N // 2)`` and the
  taxonomies written to a file store as ``benchmarks/bench_store.py`` does; the same steps.

    python benchmarks/bench_backup.py [--sizes 150000] [--neo4j bolt://… [--neo4j-up-to 20000]]

Neo4j is left out unless ``--neo4j`` names a server with authentication off; its database is
cleared, and synthetic stores above ``--neo4j-up-to`` studios are measured on the file store only
(to keep a shared server's use short). Results are appended to ``benchmarks/RESULTS.md``, with the
1-minute load average before and after.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from graph import taxonomy
from graph.file_store import FileStore
from graph.neo4j_store import Neo4jStore
from graph.schema import SPECS
from ingest import synthetic
from ingest.pipeline import ingest

try:
    from benchmarks.bench_store import append_results, machine
except ModuleNotFoundError:  # run as a script
    from bench_store import append_results, machine  # type: ignore[no-redef]

ROOT = Path(__file__).resolve().parents[1]


def run(store: str, *args: str) -> tuple[float, float]:
    """(seconds, peak RSS MiB of that child alone) of one ``alliances`` command."""
    env = {**os.environ, "NEO4J_AUTH": "none", "PYTHONPATH": str(ROOT)}
    start = time.perf_counter()
    with tempfile.TemporaryFile() as output:
        child = subprocess.Popen(
            [sys.executable, "-m", "api.cli", "--store", store, *args, "--by", "bench"],
            stdout=output, stderr=output, env=env, cwd=ROOT,
        )  # fmt: skip
        _, status, usage = os.wait4(child.pid, 0)
        elapsed = time.perf_counter() - start
        if os.waitstatus_to_exitcode(status) != 0:
            output.seek(0)
            raise SystemExit(f"{args[0]} failed: {output.read()[-2000:]!r}")
    return elapsed, usage.ru_maxrss / 1024


def bench(name: str, source: FileStore, neo4j: str | None, folder: Path, lines: list[str]) -> None:
    counts = source.counts()
    nodes = sum(n for label, n in counts.items() if label in SPECS)
    first = folder / f"{name}.jsonl"
    t_export, m_export = run(str(source.path), "export", str(first))
    size = first.stat().st_size / 1e6
    records = first.read_bytes().count(b"\n") - 2
    t_import, m_import = run(str(folder / f"{name}-copy.json"), "import", str(first))
    row = (
        f"| {name} | {counts['Studio']:,} | {records:,} ({nodes:,} nodes) | {size:,.0f} MB "
        f"| {t_export:.1f} s, {m_export:,.0f} MiB | {t_import:.1f} s, {m_import:,.0f} MiB |"
    )
    if neo4j:
        with Neo4jStore(neo4j) as neo:
            neo.clear()
        t_neo_import, m_neo_import = run(neo4j, "import", str(first))
        t_neo_export, m_neo_export = run(neo4j, "export", str(folder / f"{name}-neo4j.jsonl"))
        row += f" {t_neo_import:.1f} s, {m_neo_import:,.0f} MiB | {t_neo_export:.1f} s, {m_neo_export:,.0f} MiB |"
        with Neo4jStore(neo4j) as neo:
            neo.clear()
    else:
        row += " — | — |"
    lines.append(row)
    print(row, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="150000")
    parser.add_argument("--neo4j", default=None, help="bolt:// URI of a server with auth off (cleared)")
    parser.add_argument("--neo4j-up-to", type=int, default=20_000, help="largest synthetic store also run on Neo4j")
    args = parser.parse_args()
    lines = [
        f"\n## Backup and move (export / import) — {dt.date.today().isoformat()}",
        f"Machine: {machine()}.",
        "Each step is `python -m api.cli … export|import FILE` in a child process (Python start and store "
        "opening included), with that child's peak RSS. Import goes into an empty store; secrets left out. "
        "Synthetic stores as in `bench_store.py` (taxonomies, `ingest.synthetic.records(n, collaborations=n // 2)`).",
        "",
        "| store | studios | records | file | export from file store | import into file store "
        "| import into Neo4j | export from Neo4j |",
        "|---|---|---|---|---|---|---|---|",
    ]
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        sample = FileStore(folder / "sample.json")
        assert ingest([ROOT / "samples" / "shanghai-roster-illustrative.xlsx"], sample).ok
        bench("sample", sample, args.neo4j, folder, lines)
        for n in (int(s) for s in args.sizes.split(",") if s):
            store = FileStore(folder / f"synthetic-{n}.json")
            store.write(taxonomy.reference_records())
            store.write(synthetic.records(n, collaborations=n // 2))
            bench(f"synthetic {n:,}", store, args.neo4j if n <= args.neo4j_up_to else None, folder, lines)
    lines += ["", f"1-minute load average {load:.1f} → {os.getloadavg()[0]:.1f} over the run (a shared machine)."]
    append_results(lines)


if __name__ == "__main__":
    main()
