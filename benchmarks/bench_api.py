"""Load on the HTTP API: latency percentiles and throughput of the suggestions and gaps endpoints.

For each size N and store (FileStore, and Neo4j unless ``--no-neo4j``), a synthetic roster
(``ingest.synthetic.records``) is written, ``alliances serve`` runs as its own process on
loopback, and this process drives it with C concurrent clients (threads, one HTTP/1.1 connection
each) for D seconds per endpoint after a warm-up (the first request fits the matching models):

- ``GET /studios/{random studio}/suggestions?kind=chain&top=10``
- ``GET /gaps?chain=ic&candidates=5``
- baseline in the same run: ``GET /health`` (a count query and no matching), to show what the
  matching costs on top of the HTTP and store round trip.

    python benchmarks/bench_api.py [--sizes 10000,150000] [--clients 8] [--seconds 20] [--no-neo4j]

Results are appended to ``benchmarks/RESULTS.md``.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

from graph import server, taxonomy
from graph.file_store import FileStore
from graph.keys import create_key
from graph.model import Role
from graph.neo4j_store import Neo4jStore
from graph.store import BaseStore
from ingest import synthetic

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


try:
    from benchmarks.bench_store import append_results, machine
except ModuleNotFoundError:  # run as a script
    from bench_store import append_results, machine  # type: ignore[no-redef]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def load(store: BaseStore, n: int) -> tuple[list[str], str]:
    store.write(taxonomy.reference_records())
    records = synthetic.records(n, seed=7, collaborations=n // 2)
    store.write(records)
    ids = [r.id for r in records if r.label == "Studio"]  # type: ignore[attr-defined]
    _, token = create_key(store, "bench", Role.MUNICIPAL)
    return ids, token


def drive(base: str, token: str, paths: list[str], clients: int, seconds: float) -> tuple[list[float], int]:
    """Latencies (s) of successful requests, and the count of failed ones."""
    latencies: list[float] = []
    failures = 0
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def worker(seed: int) -> None:
        nonlocal failures
        rng = random.Random(seed)
        with httpx.Client(base_url=base, headers={"X-API-Key": token}, timeout=120) as client:
            while time.perf_counter() < stop:
                start = time.perf_counter()
                response = client.get(rng.choice(paths))
                took = time.perf_counter() - start
                with lock:
                    if response.status_code == 200:
                        latencies.append(took)
                    else:
                        failures += 1

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, failures


def pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1] if len(values) > 1 else values[0]


@contextlib.contextmanager
def serve(setting: str, log: Path | None = None, cache_seconds: int = 36000) -> Iterator[str]:
    """``alliances serve`` on a free loopback port, its output in ``log``; the base URL once /health answers."""
    port = free_port()
    env = dict(os.environ, NEO4J_AUTH="none")
    with open(log or os.devnull, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "api.cli", "--store", setting, "serve", "--port", str(port),
             "--cache-seconds", str(cache_seconds)],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(600):
                try:
                    if httpx.get(f"{base}/health", timeout=5).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if proc.poll() is not None:
                    raise RuntimeError(f"the server exited with {proc.returncode}; see {log or 'its output'}")
                time.sleep(0.2)
            yield base
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=30)


def run(setting: str, store: BaseStore, n: int, clients: int, seconds: float, label: str) -> list[str]:
    ids, token = load(store, n)
    lines = []
    with serve(setting, cache_seconds=3600) as base:
        warm = time.perf_counter()
        httpx.get(f"{base}/gaps?chain=ic", headers={"X-API-Key": token}, timeout=600).raise_for_status()
        t_warm = time.perf_counter() - warm
        rng = random.Random(1)
        endpoints = {
            "GET /studios/{id}/suggestions?kind=chain&top=10": [
                f"/studios/{rng.choice(ids)}/suggestions?kind=chain&top=10" for _ in range(500)
            ],
            "GET /gaps?chain=ic&candidates=5": ["/gaps?chain=ic&candidates=5"],
            "GET /health (baseline)": ["/health"],
        }
        for name, paths in endpoints.items():
            lat, failed = drive(base, token, paths, clients, seconds)
            lines.append(
                f"| {label} | {n:,} | {name} | {len(lat) / seconds:,.1f}/s | {pct(lat, 50) * 1000:,.0f} ms "
                f"| {pct(lat, 95) * 1000:,.0f} ms | {pct(lat, 99) * 1000:,.0f} ms | {failed} | {t_warm:.1f} s |"
            )
            print(lines[-1], flush=True)
    return lines


def each_store(sizes: str, no_neo4j: bool) -> Iterator[tuple[str, BaseStore, int, str]]:
    """For each size (``"10000,150000"``): an empty FileStore in a temporary folder, then (unless
    ``no_neo4j``) the project's own Neo4j in ``.alliances/neo4j-bench``, cleared; yields the store
    setting, the store, the size and the store's label. Neo4j is stopped at the end."""
    home = ROOT / ".alliances" / "neo4j-bench"
    started = False
    try:
        for n in (int(s) for s in sizes.split(",")):
            with tempfile.TemporaryDirectory() as tmp:
                path = Path(tmp) / "graph.json"
                yield str(path), FileStore(path), n, "FileStore"
            if not no_neo4j:
                if not started:
                    info = server.start(home, heap="2g", pagecache="1g")
                    started = True
                neo = Neo4jStore(info.uri)
                neo.clear()
                try:
                    yield info.uri, neo, n, "Neo4jStore"
                finally:
                    neo.close()
    finally:
        if started:
            server.stop(home)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,150000")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--no-neo4j", action="store_true")
    args = parser.parse_args()
    lines = [
        f"\n## HTTP API under load — {dt.date.today().isoformat()}",
        f"Machine: {machine()}. `alliances serve` (uvicorn, one worker) in its own process; {args.clients} "
        f"concurrent clients (threads, keep-alive) in the benchmark process on loopback, {args.seconds:.0f} s per "
        "endpoint after a warm-up request (which fits the matching models; its time is the last column).",
        "",
        "| store | studios | endpoint | throughput | p50 | p95 | p99 | failed | warm-up |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for setting, store, n, label in each_store(args.sizes, args.no_neo4j):
        lines += run(setting, store, n, args.clients, args.seconds, label)
    append_results(lines)


if __name__ == "__main__":
    main()
