"""Hostile rosters: the time and peak memory to refuse each kind, beside today's code path, and a
long fuzz campaign of every reader.

For each hostile kind (``tests/ingest/hostile_files.py`` builds them, here at full size, under a
temporary folder, never in the repository) the whole pipeline is run on it in a child process
(``ingest(..., dry_run=True, classify=False)`` on an empty file store): its wall time, its peak RSS
(the child's alone) and what it reported. With ``--baseline DIR`` the same child runs with another
checkout first on the path (today's code: ``git worktree add --detach DIR HEAD``), capped at
``--baseline-seconds`` and ``--baseline-gib`` of address space, so that a baseline that would run
for an hour or fill the machine is stopped and said to be.

The fuzz campaign feeds every reader ``--fuzz N`` mutated files (``tests/ingest/fuzz_files.py``,
seeded, so a run can be repeated) within the small limits the fuzz tests use, and counts the
files tried, read, refused and crashed; a crash's file is kept under the temporary folder.

    python benchmarks/hostile.py [--baseline /tmp/base] [--fuzz 2000] [--only KIND,...] [--no-append]

Results are appended to ``benchmarks/RESULTS.md``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from random import Random
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.ingest import hostile_files as hostile  # noqa: E402

try:
    from benchmarks.bench_store import append_results, machine
except ModuleNotFoundError:  # run as a script
    from bench_store import append_results, machine  # type: ignore[no-redef]

Maker = Callable[[Path], Path]


def _roster(path: Path) -> Path:
    from ingest import synthetic

    synthetic.write_xlsx(synthetic.generate(20_000, seed=2019), path)
    return path


KINDS: dict[str, tuple[str, str, Maker]] = {
    "control-roster": ("roster.xlsx", "control, not hostile: a generated roster of 20,000 studios, six sheets",
                       _roster),
    "xlsx-3m-rows": ("rows.xlsx", ".xlsx, correct header, then 3,000,000 rows (one studio repeated)",
                     lambda p: hostile.xlsx_roster(p, 3_000_000)),
    "xlsx-3m-distinct": ("distinct.xlsx", ".xlsx, correct header, then 3,000,000 different studios",
                         lambda p: hostile.xlsx_roster(p, 3_000_000, distinct=True)),
    "xlsx-header-lacking": ("lacking.xlsx", ".xlsx, header lacking 所在单位, then 1,500,000 rows",
                            lambda p: hostile.xlsx_roster(p, 1_500_000, header=("工作室名称", "领衔人"))),
    "xlsx-header-lacking-distinct": ("lacking-distinct.xlsx",
                                     ".xlsx, header lacking 所在单位, then 1,500,000 different studios",
                                     lambda p: hostile.xlsx_roster(p, 1_500_000, header=("工作室名称", "领衔人"),
                                                                   distinct=True)),
    "txt-100mb-line": ("line.txt", ".txt, one line of 100 MB", lambda p: hostile.text_line(p, 100)),
    "pdf-10000-pages": ("pages.pdf", ".pdf of 10,000 pages", lambda p: hostile.pdf_pages(p, 10_000)),
    "pdf-busy-page": ("busy.pdf", ".pdf, one page of 2,000,000 characters",
                      lambda p: hostile.pdf_busy_page(p, 2_000_000)),
    "pdf-stream-bomb": ("bomb.pdf", ".pdf, a content stream inflating to 2 GiB",
                        lambda p: hostile.pdf_stream_bomb(p, 2048)),
    "docx-1m-cells": ("cells.docx", ".docx, one table of 1,000,000 cells",
                      lambda p: hostile.docx_cells(p, 1_000_000)),
    "xlsx-laughs": ("laughs.xlsx", ".xlsx, billion laughs (entity expansion) in the sheet", hostile.xlsx_laughs),
    "docx-laughs": ("laughs.docx", ".docx, billion laughs in the document", hostile.docx_laughs),
    "xlsx-nested": ("nested.xlsx", ".xlsx, a cell nesting 1,000,000 elements",
                    lambda p: hostile.xlsx_nested(p, 1_000_000)),
    "docx-nested": ("nested.docx", ".docx, tables nested 100,000 deep", lambda p: hostile.docx_nested(p, 100_000)),
    "xlsx-zip-bomb": ("bomb.xlsx", ".xlsx zip bomb: a sheet inflating to 1 GiB",
                      lambda p: hostile.xlsx_zip_bomb(p, 1024)),
    "docx-zip-bomb": ("bomb.docx", ".docx zip bomb: 1 GiB of empty paragraphs",
                      lambda p: hostile.docx(p, [b"<w:p/>" * 1_000_000] * 180)),
    "json-nested": ("nested.json", ".json nested 100,000 deep", lambda p: hostile.json_nested(p, 100_000)),
    "json-huge": ("huge.json", ".json of 2,000,000 rows", lambda p: hostile.json_rows(p, 2_000_000)),
}  # fmt: skip

CHILD = """
import json, sys, tempfile
from pathlib import Path
from graph.file_store import FileStore
from ingest.pipeline import ingest
with tempfile.TemporaryDirectory() as tmp:
    report = ingest([sys.argv[1]], FileStore(Path(tmp) / "graph.json"), dry_run=True, classify=False)
first = report.problems[0] if report.problems else None
print(json.dumps({"problems": report.problem_count, "rows": report.rows,
                  "first": first.message[:160] if first else ""}))
"""


def run_child(path: Path, tree: Path, seconds: float | None, gib: float | None) -> dict[str, Any]:
    """Ingest ``path`` with ``tree`` first on the path, in a child process: seconds, peak RSS (MiB)
    and what it reported, or how it ended (a traceback's last line, a timeout, out of memory)."""

    def cap() -> None:
        if gib is not None:
            limit = int(gib * (1 << 30))
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    env = {**os.environ, "PYTHONPATH": str(tree)}
    start = time.perf_counter()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        child = subprocess.Popen([sys.executable, "-c", CHILD, str(path)], stdout=out, stderr=err, env=env,
                                 cwd=tree, preexec_fn=cap)  # fmt: skip
        status, usage, timed_out = 0, None, False
        while True:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            if seconds is not None and time.perf_counter() - start > seconds:
                child.kill()
                _, status, usage = os.wait4(child.pid, 0)
                timed_out = True
                break
            time.sleep(0.05)
        elapsed = time.perf_counter() - start
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(errors="replace"), err.read().decode(errors="replace")
    result: dict[str, Any] = {"seconds": elapsed, "rss_mib": usage.ru_maxrss / 1024 if usage else 0.0}
    if timed_out:
        result["ended"] = f"stopped after {seconds:.0f} s"
    elif os.waitstatus_to_exitcode(status) != 0 or not stdout.strip():
        last = [line for line in stderr.strip().splitlines() if line.strip()][-1:] or ["(no output)"]
        memory = "MemoryError" in stderr or "Cannot allocate" in stderr
        result["ended"] = f"out of memory at {gib} GiB" if memory else f"crashed: {last[0][:140]}"
    else:
        result.update(json.loads(stdout.strip().splitlines()[-1]))
    return result


def describe(result: dict[str, Any]) -> str:
    if "ended" in result:
        return str(result["ended"])
    rows = sum(result["rows"].values())
    what = f"{result['problems']:,} problem(s)" + (f", {rows:,} rows read" if rows else "")
    return f"{what}; first: {result['first'][:110]}" if result["first"] else what


def hostile_table(folder: Path, kinds: list[str], baseline: Path | None, seconds: float, gib: float) -> list[str]:
    lines = [
        "| hostile file | size | refused in | peak RSS | what the report says "
        "| today: time | today: peak RSS | today: outcome |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for kind in kinds:
        name, label, make = KINDS[kind]
        path = folder / name
        made = time.perf_counter()
        make(path)
        print(f"{kind}: made {path.stat().st_size / 2**20:,.1f} MiB in {time.perf_counter() - made:.0f} s", flush=True)
        new = run_child(path, ROOT, None, None)
        print(f"  new: {new}", flush=True)
        old: dict[str, Any] = {}
        if baseline is not None:
            old = run_child(path, baseline, seconds, gib)
            print(f"  today: {old}", flush=True)
        size = path.stat().st_size
        shown = f"{size / 2**20:,.1f} MB" if size >= 2**20 else f"{size / 1024:,.0f} KB"
        today = f"{old['seconds']:.1f} s | {old['rss_mib']:,.0f} MiB | {describe(old)}" if old else "– | – | –"
        lines.append(f"| {label} | {shown} | {new['seconds']:.2f} s | {new['rss_mib']:,.0f} MiB | "
                     f"{describe(new)} | {today} |".replace("\n", " "))  # fmt: skip
        path.unlink()
    return lines


def fuzz_campaign(folder: Path, per_reader: int, seed: int) -> list[str]:
    """``per_reader`` mutated files per reader, within the fuzz tests' limits: counts, and each
    crash (exception type and where it was raised), its file kept for a look."""
    from tests.ingest.fuzz_files import SUFFIXES, mutant, outcome, seeds

    folder.mkdir(parents=True, exist_ok=True)
    seed_files = seeds(folder)
    lines = [
        "| reader | files tried | read to rows | refused | crashed | slowest file | time |",
        "|---|---|---|---|---|---|---|",
    ]
    findings: list[str] = []
    for suffix in SUFFIXES:
        rnd = Random(f"{seed}{suffix}")
        counts: Counter[str] = Counter()
        slowest = 0.0
        start = time.perf_counter()
        for n in range(per_reader):
            data = mutant(rnd.choice(seed_files[suffix]), suffix, rnd)
            path = folder / f"fuzz{suffix}"
            path.write_bytes(data)
            began = time.perf_counter()
            try:
                counts[outcome(path)] += 1
            except Exception as exc:
                counts["crashed"] += 1
                kept = folder / f"crash-{suffix[1:]}-{n}{suffix}"
                kept.write_bytes(data)
                where = traceback.extract_tb(exc.__traceback__)[-1]
                findings.append(f"{suffix} #{n}: {type(exc).__name__}: {str(exc)[:100]} "
                                f"({Path(where.filename).name}:{where.lineno}) kept as {kept}")  # fmt: skip
            slowest = max(slowest, time.perf_counter() - began)
        took = time.perf_counter() - start
        print(f"fuzz {suffix}: {dict(counts)} slowest {slowest:.2f} s, {took:.0f} s", flush=True)
        lines.append(f"| {suffix} | {per_reader:,} | {counts['rows']:,} | {counts['refused']:,} | "
                     f"{counts['crashed']:,} | {slowest:.2f} s | {took:.0f} s |")  # fmt: skip
    return lines + (
        [""] + [f"- {f}" for f in findings] if findings else ["", "No crash: every file was read or refused."]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", type=Path, help="a checkout of today's code, run on the same files")
    parser.add_argument("--baseline-seconds", type=float, default=300.0)
    parser.add_argument("--baseline-gib", type=float, default=6.0)
    parser.add_argument("--only", default="", help="comma-separated hostile kinds (default: all; none: only fuzz)")
    parser.add_argument("--fuzz", type=int, default=2_000, help="files per reader in the fuzz campaign (0: none)")
    parser.add_argument("--seed", type=int, default=20)
    parser.add_argument("--no-append", action="store_true")
    args = parser.parse_args()
    kinds = [] if args.only == "none" else [k for k in args.only.split(",") if k] or list(KINDS)
    started = time.strftime("%H:%M UTC", time.gmtime())
    with tempfile.TemporaryDirectory(prefix="hostile-") as tmp:
        folder = Path(tmp)
        table = hostile_table(folder, kinds, args.baseline, args.baseline_seconds, args.baseline_gib) if kinds else []
        fuzz = fuzz_campaign(folder / "fuzz", args.fuzz, args.seed) if args.fuzz else []
    text = "\n".join(
        [
            f"## Hostile rosters: time and memory to refuse, and the readers fuzzed — {dt.date.today().isoformat()}",
            f"Machine: {machine()}. Run started {started}; load average (1 min) at the end "
            f"{os.getloadavg()[0]:.2f}.",
            "Each file ingested by `ingest(dry_run=True, classify=False)` in a child process (Python start-up "
            "included; peak RSS of the child alone), with the default limits (`ingest/limits.py`). "
            + (f"Today's code path: the same child with a checkout of HEAD first on the path, stopped after "
               f"{args.baseline_seconds:.0f} s or at {args.baseline_gib} GiB of address space."
               if args.baseline else ""),
            "",
            *table,
            "",
            *( [f"Fuzz campaign: {args.fuzz:,} mutated files per reader (seed {args.seed}), limits of the fuzz tests "
                "(`tests/ingest/fuzz_files.py`, `SMALL`).", "", *fuzz] if fuzz else []),
        ]
    )  # fmt: skip
    print(text)
    if not args.no_append:
        append_results(["", *text.splitlines()])


if __name__ == "__main__":
    main()
