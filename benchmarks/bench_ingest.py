"""Ingest throughput: the whole pipeline (``alliances ingest``) beside a bare baseline, same rows.

For each size N (default 10,000 and 150,000 generated studios, ``ingest.synthetic``):

- **pipeline**: ``alliances ingest roster.csv --json`` in a child process (read, fold, resolve,
  validate, classify, diff, write), on a store that already holds the taxonomies; peak RSS of the
  child is its memory.
- **baseline**: the same CSV rows written with no validation and no classification: for Neo4j,
  plain driver ``UNWIND … MERGE`` batches of 5,000 (studios, leaders, employers, unions, and their
  LED_BY / HOSTED_BY / BELONGS_TO / PRACTISES / IN_INDUSTRY / WORKS_IN relationships, trades and
  segments matched by name); for the file store, a networkx graph built from the rows and saved
  with orjson, fsync and rename.

    python benchmarks/bench_ingest.py [--sizes 10000,150000] [--neo4j bolt://…] [--no-neo4j]

Results are appended to ``benchmarks/RESULTS.md``.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import networkx as nx
import orjson
from neo4j import GraphDatabase

from graph import server, taxonomy
from graph.file_store import FileStore
from graph.model import Employer, ModelWorker, Record, Studio, Union
from graph.neo4j_store import Neo4jStore
from ingest import synthetic
from ingest.pipeline import ingest
from ingest.text import split_list

try:
    from benchmarks.bench_store import append_results, machine
except ModuleNotFoundError:  # run as a script
    from bench_store import append_results, machine  # type: ignore[no-redef]

ROOT = Path(__file__).resolve().parents[1]
BATCH = 5_000


def run_pipeline(csv_path: Path, store: str, env: dict[str, str]) -> tuple[float, float, dict[str, Any]]:
    """(seconds, peak RSS MiB of that child alone, report) of ``alliances ingest`` in a child process."""
    start = time.perf_counter()
    with tempfile.TemporaryFile() as errors:
        child = subprocess.Popen(
            [sys.executable, "-m", "api.cli", "--store", store, "ingest", str(csv_path), "--json"],
            stdout=subprocess.PIPE, stderr=errors, env=env, cwd=ROOT,
        )  # fmt: skip
        assert child.stdout is not None
        output = child.stdout.read()
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
        elapsed = time.perf_counter() - start
        if child.returncode != 0:
            errors.seek(0)
            raise SystemExit(f"ingest failed: {output[-2000:]!r} {errors.read()[-2000:]!r}")
    return elapsed, usage.ru_maxrss / 1024, json.loads(output)


def rows_of(csv_path: Path) -> list[dict[str, str]]:
    with open(csv_path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def baseline_neo4j(uri: str, csv_path: Path) -> float:
    """Seconds to write the rows with plain UNWIND batches (taxonomies already loaded)."""
    start = time.perf_counter()
    rows = rows_of(csv_path)
    studios = [
        {
            "id": r["编号"], "name": r["工作室名称"], "leader": r["领衔人"], "employer": r["所在单位"],
            "union": r["所属工会"], "district": r["所在区"], "expertise": r["技术专长"], "needs": r["攻关需求"],
            "trades": split_list(r["工种"]), "industry": r["行业"], "segments": split_list(r["产业链环节"]),
        }
        for r in rows
    ]  # fmt: skip
    # names to keys with plain dicts (no folding, no checks), so every MATCH uses a unique index
    trades = {t.name: t.code for t in taxonomy.trades()}
    industries = {i.name: i.code for i in taxonomy.industries()} | {i.code: i.code for i in taxonomy.industries()}
    segments = {g.name: g.id for g in taxonomy.segments()} | {g.id: g.id for g in taxonomy.segments()}
    for row in studios:
        row["trades"] = [trades.get(t, t) for t in row["trades"]]
        row["industry"] = [industries[row["industry"]]] if row["industry"] in industries else []
        row["segments"] = [segments.get(g, g) for g in row["segments"]]
    statements = [
        "UNWIND $rows AS r MERGE (s:Studio {id: r.id}) SET s.name = r.name, s.district = r.district, "
        "s.expertise = r.expertise, s.needs = r.needs",
        "UNWIND $rows AS r MERGE (w:ModelWorker {id: r.leader + '|' + r.employer}) SET w.name = r.leader",
        "UNWIND $rows AS r MERGE (e:Employer {id: r.employer}) SET e.name = r.employer",
        "UNWIND $rows AS r WITH r WHERE r.union <> '' MERGE (u:Union {id: r.union}) SET u.name = r.union",
        "UNWIND $rows AS r MATCH (s:Studio {id: r.id}) MATCH (w:ModelWorker {id: r.leader + '|' + r.employer}) "
        "MERGE (s)-[:LED_BY]->(w)",
        "UNWIND $rows AS r MATCH (s:Studio {id: r.id}) MATCH (e:Employer {id: r.employer}) MERGE (s)-[:HOSTED_BY]->(e)",
        "UNWIND $rows AS r MATCH (s:Studio {id: r.id}) MATCH (u:Union {id: r.union}) MERGE (s)-[:BELONGS_TO]->(u)",
        "UNWIND $rows AS r MATCH (s:Studio {id: r.id}) UNWIND r.trades AS tc MATCH (t:Trade {code: tc}) "
        "MERGE (s)-[:PRACTISES]->(t)",
        "UNWIND $rows AS r MATCH (s:Studio {id: r.id}) UNWIND r.industry AS ic MATCH (i:Industry {code: ic}) "
        "MERGE (s)-[:IN_INDUSTRY]->(i)",
        "UNWIND $rows AS r MATCH (s:Studio {id: r.id}) UNWIND r.segments AS sg MATCH (g:Segment {id: sg}) "
        "MERGE (s)-[:WORKS_IN]->(g)",
    ]
    with GraphDatabase.driver(uri, auth=None) as driver, driver.session() as session:
        for statement in statements:
            for i in range(0, len(studios), BATCH):
                chunk = studios[i : i + BATCH]
                session.execute_write(lambda tx, q=statement, c=chunk: tx.run(q, rows=c).consume())
    return time.perf_counter() - start


def baseline_file(csv_path: Path, out: Path) -> float:
    start = time.perf_counter()
    g: nx.MultiDiGraph[tuple[str, str]] = nx.MultiDiGraph()
    for r in rows_of(csv_path):
        s = ("Studio", r["编号"])
        g.add_node(s, name=r["工作室名称"], district=r["所在区"], expertise=r["技术专长"], needs=r["攻关需求"])
        g.add_edge(s, ("ModelWorker", r["领衔人"] + "|" + r["所在单位"]), key="LED_BY")
        g.add_edge(s, ("Employer", r["所在单位"]), key="HOSTED_BY")
        if r["所属工会"]:
            g.add_edge(s, ("Union", r["所属工会"]), key="BELONGS_TO")
        for t in split_list(r["工种"]):
            g.add_edge(s, ("Trade", t), key="PRACTISES")
        if r["行业"]:
            g.add_edge(s, ("Industry", r["行业"]), key="IN_INDUSTRY")
        for seg in split_list(r["产业链环节"]):
            g.add_edge(s, ("Segment", seg), key="WORKS_IN")
    data = {
        "nodes": [[n[0], n[1], a] for n, a in g.nodes(data=True)],
        "relationships": [[k, u[0], u[1], v[0], v[1]] for u, v, k in g.edges(keys=True)],
    }
    tmp = out.with_suffix(".tmp")
    with open(tmp, "wb") as fh:
        fh.write(orjson.dumps(data))
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, out)
    return time.perf_counter() - start


def store_write_unvalidated(csv_path: Path, store: FileStore) -> float:
    """Seconds to write the rows through the store's own write path, records made without any
    validation (``model_construct``) and names mapped to keys with plain dicts."""
    start = time.perf_counter()
    trades = {t.name: t.code for t in taxonomy.trades()}
    industries = {i.name: i.code for i in taxonomy.industries()} | {i.code: i.code for i in taxonomy.industries()}
    segments = {g.name: g.id for g in taxonomy.segments()} | {g.id: g.id for g in taxonomy.segments()}
    employers: dict[str, Employer] = {}
    unions: dict[str, Union] = {}
    records: list[Record] = []
    for r in rows_of(csv_path):
        employers.setdefault(r["所在单位"], Employer.model_construct(id=r["所在单位"], name=r["所在单位"]))
        if r["所属工会"]:
            unions.setdefault(
                r["所属工会"], Union.model_construct(id=r["所属工会"], name=r["所属工会"], parent_id=None)
            )
        leader = ModelWorker.model_construct(id=r["领衔人"] + "|" + r["所在单位"], name=r["领衔人"])
        records.append(leader)
        records.append(
            Studio.model_construct(
                id=r["编号"], name=r["工作室名称"], leader_id=leader.id, employer_id=r["所在单位"],
                union_id=r["所属工会"] or None, district=r["所在区"] or None,
                trade_codes=tuple(trades.get(t, t) for t in split_list(r["工种"])),
                industry_code=industries.get(r["行业"]),
                segment_ids=tuple(segments.get(g, g) for g in split_list(r["产业链环节"])),
                expertise=r["技术专长"], needs=r["攻关需求"],
            )
        )  # fmt: skip
    store.write([*employers.values(), *unions.values(), *records])
    return time.perf_counter() - start


def pipeline_in_process(csv_path: Path, store: FileStore) -> float:
    start = time.perf_counter()
    assert ingest([csv_path], store).ok
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,150000")
    parser.add_argument("--neo4j", default=None)
    parser.add_argument("--no-neo4j", action="store_true")
    args = parser.parse_args()
    lines = [
        f"\n## Ingest throughput — {dt.date.today().isoformat()}",
        f"Machine: {machine()}.",
        "Rows: `ingest.synthetic.generate(N, seed=2019)` studios sheet as UTF-8 CSV. Pipeline = `alliances ingest "
        "--json` in a child process (classification on, Python start-up included); baseline = same rows, "
        "no validation, names mapped to keys with plain dicts, MERGE by key (see script).",
        "",
        "| store | studios | pipeline | baseline | pipeline / baseline throughput | pipeline peak RSS |",
        "|---|---|---|---|---|---|",
    ]
    home = ROOT / ".alliances" / "neo4j-bench"
    uri, started = args.neo4j, False
    if uri is None and not args.no_neo4j:
        uri, started = server.start(home, heap="2g", pagecache="1g").uri, True
    env = dict(os.environ, NEO4J_AUTH="none")
    try:
        for n in (int(s) for s in args.sizes.split(",")):
            with tempfile.TemporaryDirectory() as tmp:
                csv_path = Path(tmp) / "roster.csv"
                synthetic.write_csv(synthetic.generate(n, seed=2019).studios, csv_path)
                store_path = Path(tmp) / "graph.json"
                FileStore(store_path).write(taxonomy.reference_records())
                t_pipe, rss, report = run_pipeline(csv_path, str(store_path), env)
                t_base = baseline_file(csv_path, Path(tmp) / "baseline.json")
                lines.append(
                    f"| FileStore | {n:,} | {t_pipe:.1f} s ({n / t_pipe:,.0f} rows/s) | {t_base:.1f} s "
                    f"({n / t_base:,.0f} rows/s) | {t_base / t_pipe:.0%} | {rss:,.0f} MiB |"
                )
                print(lines[-1], flush=True)
                assert report["kinds"]["Studio"]["created"] == n
                for name in ("own-a.json", "own-b.json"):
                    FileStore(Path(tmp) / name).write(taxonomy.reference_records())
                t_in = pipeline_in_process(csv_path, FileStore(Path(tmp) / "own-a.json"))
                t_own = store_write_unvalidated(csv_path, FileStore(Path(tmp) / "own-b.json"))
                lines.append(
                    f"| FileStore, both in-process; baseline = the store's own write of unvalidated records | {n:,} "
                    f"| {t_in:.1f} s ({n / t_in:,.0f} rows/s) | {t_own:.1f} s ({n / t_own:,.0f} rows/s) "
                    f"| {t_own / t_in:.0%} | |"
                )
                print(lines[-1], flush=True)
                if uri:
                    with Neo4jStore(uri) as neo:
                        neo.clear()
                        neo.write(taxonomy.reference_records())
                    t_pipe, rss, report = run_pipeline(csv_path, uri, env)
                    with Neo4jStore(uri) as neo:
                        neo.clear()
                        neo.write(taxonomy.reference_records())
                    t_base = baseline_neo4j(uri, csv_path)
                    with Neo4jStore(uri) as neo:
                        neo.clear()
                    lines.append(
                        f"| Neo4jStore | {n:,} | {t_pipe:.1f} s ({n / t_pipe:,.0f} rows/s) | {t_base:.1f} s "
                        f"({n / t_base:,.0f} rows/s) | {t_base / t_pipe:.0%} | {rss:,.0f} MiB |"
                    )
                    print(lines[-1], flush=True)
    finally:
        if started:
            server.stop(home)
    append_results(lines)


if __name__ == "__main__":
    main()
