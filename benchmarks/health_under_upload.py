"""``/health`` while hostile roster uploads are being refused, beside ``/health`` at rest, in one run.

For each way of loading uploads, a fresh ``alliances serve`` (one uvicorn worker, loopback, a free
port) over an embedded store holding the illustrative Shanghai roster (360 studios) and three API
keys; after a warm-up (one ``/health``, one small dry-run upload):

1. at rest: ``--probes`` sequential ``GET /health`` on one keep-alive connection, ``--pause`` apart;
2. hostile: three uploads sent at once (two by one key, one by another), each a file made here
   under ``/tmp`` (kept between runs):

   - ``roster-3m.xlsx``: a correct header, then 3,000,000 rows of the same studio (about 2 MB);
   - ``one-line-40mb.csv``: a correct header, then one line of 40 MB;
   - ``one-line-40mb.txt``: pasted text, one line of 40 MB;

   and ``/health`` probed the same way until all three are answered or ``--window`` seconds pass (a
   probe still unanswered then counts with the time it had waited: a lower bound, shown with ≥).

The ways, all in the same run:

- ``baseline``: the tree at ``--baseline`` (default ``HEAD``: the last commit, exported with ``git
  archive``), which loads uploads in the request's own handler, on the event loop;
- ``threads``: this tree with ``ALLIANCES_UPLOAD_PROCESSES=0`` (off the event loop, in the server's
  threads, sharing its GIL);
- ``workers``: this tree as it ships (two upload worker processes) with
  ``ALLIANCES_UPLOAD_SECONDS=--limit`` so that the 3-million-row workbook is refused within the window.

Peak RSS is the server's with all its descendants (upload workers, fork server), sampled every 0.2 s.

    python benchmarks/health_under_upload.py [--probes 300] [--pause 0.02] [--window 150] [--limit 60]

Prints a Markdown section for ``benchmarks/RESULTS.md`` (``--append`` appends it).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import http.client
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # this tree's packages, before an installed copy of the project

from benchmarks.bench_api import free_port, pct  # noqa: E402
from benchmarks.bench_store import append_results, machine  # noqa: E402
from tests.ingest import hostile_files as hostile  # noqa: E402

HOSTILE = Path(tempfile.gettempdir()) / "alliances-hostile-uploads"
HEADER = ["工作室名称", "领衔人", "所在单位", "所属工会", "所在区"]
WAYS = ("baseline", "threads", "workers")


# -- the hostile files -----------------------------------------------------------------------------------
def one_line(path: Path, megabytes: int, *, header: bool) -> Path:
    """A text file of one line of ``megabytes`` MB (under a CSV header when ``header``)."""
    with open(path, "wb") as fh:
        if header:
            fh.write((",".join(HEADER) + "\r\n").encode())
        fh.write(("甲" * (megabytes * 2**20 // 3)).encode())
        fh.write(b"\r\n")
    return path


def hostile_files() -> list[Path]:
    """The three hostile files, made once under the temporary folder."""
    HOSTILE.mkdir(exist_ok=True)
    made: list[tuple[Path, Callable[[Path], Path]]] = [
        (HOSTILE / "roster-3m.xlsx", lambda p: hostile.xlsx_roster(p, 3_000_000)),
        (HOSTILE / "one-line-40mb.csv", lambda p: one_line(p, 40, header=True)),
        (HOSTILE / "one-line-40mb.txt", lambda p: one_line(p, 40, header=False)),
    ]
    for path, make in made:
        if not path.exists():
            make(path.with_suffix(".part" + path.suffix)).rename(path)
    return [path for path, _ in made]


# -- a server --------------------------------------------------------------------------------------------
def export_tree(revision: str, into: Path) -> Path:
    """The project's files at ``revision`` (``git archive``: the repository is only read)."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", "--format=tar", revision],
                             check=True, capture_output=True).stdout  # fmt: skip
    into.mkdir(parents=True)
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into


def cli(*args: str) -> str:
    """``alliances …`` of this tree; its output."""
    done = subprocess.run([sys.executable, "-m", "api.cli", *args], cwd=ROOT, check=True, capture_output=True,
                          text=True, env=dict(os.environ, PYTHONPATH=str(ROOT)))  # fmt: skip
    return done.stdout


def prepared_store(folder: Path) -> tuple[Path, list[str]]:
    """A store file with the illustrative roster and three municipal keys (their tokens)."""
    store = folder / "graph.json"
    cli("--store", str(store), "ingest", str(ROOT / "samples" / "shanghai-roster-illustrative.xlsx"))
    tokens = []
    for name in ("基准·甲", "基准·乙", "基准·丙"):
        made = cli("--store", str(store), "keys", "create", "--name", name, "--role", "municipal", "--json")
        tokens.append(json.loads(made)["token"])
    return store, tokens


@contextlib.contextmanager
def serving(tree: Path, store: Path, env: dict[str, str]) -> Iterator[tuple[str, int]]:
    """``alliances serve`` from ``tree`` on ``store``; (base URL, pid) once /health answers. Stopped
    with its whole process group at the end (a blocked event loop does not stop on SIGTERM)."""
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "api.cli", "--store", str(store), "serve", "--port", str(port)],
                            cwd=tree, env={**os.environ, "PYTHONPATH": str(tree), **env}, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{base}/health", timeout=5).status_code == 200:
                    break
            if proc.poll() is not None:
                raise RuntimeError(f"the server from {tree} exited with {proc.returncode}")
            time.sleep(0.2)
        yield base, proc.pid
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)  # upload workers left behind by a killed server


# -- measuring -------------------------------------------------------------------------------------------
@dataclass
class Upload:
    """One hostile upload and how it was answered."""

    path: Path
    token: str
    seconds: float | None = None
    status: int | None = None
    said: str = ""

    def send(self, base: str, timeout: float) -> None:
        started = time.perf_counter()
        try:
            with open(self.path, "rb") as fh:
                answer = httpx.post(f"{base}/ingest", headers={"X-API-Key": self.token}, timeout=timeout,
                                    files={"files": (self.path.name, fh, "application/octet-stream")})  # fmt: skip
            self.status = answer.status_code
            body = answer.json()
            problems = body.get("problems") or [body.get("error", {})]
            count = body.get("problem_count", "")
            self.said = f"{count} problem(s): {problems[0].get('message', '')}" if count else str(problems[0])
        except httpx.HTTPError as exc:
            self.said = f"no answer ({type(exc).__name__})"
        self.seconds = time.perf_counter() - started


def probe(base: str, pause: float, deadline: float, *, count: int | None = None,
          until: threading.Event | None = None) -> tuple[list[float], int]:  # fmt: skip
    """Sequential ``GET /health`` on one keep-alive connection, ``pause`` apart, until ``count`` probes,
    ``until`` is set or ``deadline``; the latencies (ms) and how many were still unanswered at the
    deadline (counted with the time they had waited)."""
    host, port = base.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=max(0.1, deadline - time.perf_counter()))
    latencies: list[float] = []
    try:
        while time.perf_counter() < deadline and not (until is not None and until.is_set()):
            if count is not None and len(latencies) >= count:
                break
            started = time.perf_counter()
            if conn.sock is not None:
                conn.sock.settimeout(max(0.1, deadline - started))
            try:
                conn.request("GET", "/health")
                conn.getresponse().read()
            except (TimeoutError, OSError):
                latencies.append((time.perf_counter() - started) * 1000)
                return latencies, 1
            latencies.append((time.perf_counter() - started) * 1000)
            time.sleep(pause)
    finally:
        conn.close()
    return latencies, 0


@dataclass
class PeakRss:
    """The largest summed RSS of a process and all its descendants, sampled in a thread."""

    pid: int
    peak_kib: int = 0
    _stop: threading.Event = field(default_factory=threading.Event)

    def _sample(self) -> None:
        while not self._stop.wait(0.2):
            parents: dict[int, int] = {}
            rss: dict[int, int] = {}
            for entry in Path("/proc").iterdir():
                if entry.name.isdigit():
                    with contextlib.suppress(OSError, ValueError, IndexError):
                        status = (entry / "status").read_text()
                        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
                        parents[int(entry.name)] = int(fields["PPid"])
                        rss[int(entry.name)] = int(fields.get("VmRSS", "0 kB").split()[0])
            tree, grew = {self.pid}, True
            while grew:
                more = {p for p, parent in parents.items() if parent in tree} - tree
                tree |= more
                grew = bool(more)
            self.peak_kib = max(self.peak_kib, sum(rss.get(p, 0) for p in tree))

    @contextlib.contextmanager
    def running(self) -> Iterator[PeakRss]:
        sampler = threading.Thread(target=self._sample, daemon=True)
        sampler.start()
        try:
            yield self
        finally:
            self._stop.set()
            sampler.join()


@dataclass
class Outcome:
    way: str
    rest: list[float]
    hostile: list[float]
    unanswered: int
    uploads: list[Upload]
    peak_mib: float


def settle(base: str, token: str) -> None:
    """Warm the server up: one small dry-run upload (a worker starts), then a request that waits for
    the matching models' fit, and a pause for the console's results computed after it."""
    Upload(ROOT / "samples" / "naming-list-2024-illustrative.csv", token).send(base, 120)
    key = {"X-API-Key": token}
    first = httpx.get(f"{base}/studios", params={"limit": 1}, headers=key, timeout=120).json()["items"][0]["id"]
    httpx.get(f"{base}/studios/{first}/suggestions", params={"top": 1}, headers=key, timeout=600).raise_for_status()
    time.sleep(3.0)


def measure(
    way: str, tree: Path, store: Path, tokens: list[str], files: list[Path], args: argparse.Namespace
) -> Outcome:
    """One way: a server, its /health at rest, then under the three hostile uploads."""
    env = {"threads": {"ALLIANCES_UPLOAD_PROCESSES": "0"}, "workers": {"ALLIANCES_UPLOAD_SECONDS": str(args.limit)}}
    folder = Path(tempfile.mkdtemp(prefix=f"alliances-bench-{way}-"))
    try:
        copy = shutil.copy(store, folder / "graph.json")
        with serving(tree, Path(copy), env.get(way, {})) as (base, pid):
            settle(base, tokens[2])
            rest, _ = probe(base, args.pause, time.perf_counter() + 600, count=args.probes)
            uploads = [Upload(files[0], tokens[0]), Upload(files[1], tokens[0]), Upload(files[2], tokens[1])]
            done = threading.Event()
            senders = [threading.Thread(target=u.send, args=(base, args.window + 60), daemon=True) for u in uploads]

            def watch() -> None:
                for sender in senders:
                    sender.join()
                done.set()

            with PeakRss(pid).running() as peak:
                for sender in senders:
                    sender.start()
                threading.Thread(target=watch, daemon=True).start()
                hostile, unanswered = probe(base, args.pause, time.perf_counter() + args.window, until=done)
        return Outcome(way, rest, hostile, unanswered, uploads, peak.peak_kib / 1024)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# -- the report ------------------------------------------------------------------------------------------
def report(outcomes: list[Outcome], args: argparse.Namespace, files: list[Path]) -> list[str]:
    sizes = ", ".join(f"`{f.name}` {f.stat().st_size / 2**20:.1f} MiB" for f in files)
    lines = [
        "",
        f"## /health during hostile uploads ({dt.date.today().isoformat()})",
        "",
        f"Machine: {machine()}. `python benchmarks/health_under_upload.py --probes {args.probes} --pause "
        f"{args.pause} --window {args.window:g} --limit {args.limit:g}`: for each way, `alliances serve` (one "
        "uvicorn worker) from its own tree on a copy of one store (the illustrative roster, 360 studios), "
        "warmed up (a small dry-run upload, the models fitted, 3 s to settle); "
        f"{args.probes} sequential `GET /health` at rest, then the same "
        f"probes while three hostile uploads are sent at once (two by one key, one by another: {sizes}), "
        f"until all three are answered or {args.window:g} s pass. `baseline` is `{args.baseline}` "
        "(loads in the request handler, on the event loop); `threads` is this tree with "
        "`ALLIANCES_UPLOAD_PROCESSES=0`; `workers` this tree as it ships (2 upload processes) with "
        f"`ALLIANCES_UPLOAD_SECONDS={args.limit:g}`. Peak RSS: the server and all its descendants.",
        "",
        "| way | /health at rest p50 / p95 | during hostile uploads p50 / p95 / max (probes) | p95 / rest p95 "
        "| peak RSS |",
        "|---|---|---|---|---|",
    ]
    for o in outcomes:
        lower = "≥ " if o.unanswered else ""
        stuck = f", {o.unanswered} unanswered at the end" if o.unanswered else ""
        ratio = pct(o.hostile, 95) / pct(o.rest, 95)
        lines.append(f"| {o.way} | {pct(o.rest, 50):.1f} / {pct(o.rest, 95):.1f} ms | {pct(o.hostile, 50):.1f} / "
                     f"{lower}{pct(o.hostile, 95):.1f} / {lower}{max(o.hostile):,.1f} ms ({len(o.hostile)}{stuck}) "
                     f"| {lower}{ratio:,.1f}× | {o.peak_mib:,.0f} MiB |")  # fmt: skip
    lines += ["", "| way | upload | answered after | status | first problem |", "|---|---|---|---|---|"]
    for o in outcomes:
        for u in o.uploads:
            after = f"{u.seconds:.1f} s" if u.status is not None and u.seconds is not None else "—"
            lines.append(f"| {o.way} | `{u.path.name}` | {after} | {u.status or '—'} | {u.said[:160]} |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--probes", type=int, default=300)
    parser.add_argument("--pause", type=float, default=0.02, help="seconds between two probes")
    parser.add_argument("--window", type=float, default=150.0, help="longest time to probe under the uploads")
    parser.add_argument("--limit", type=float, default=60.0, help="ALLIANCES_UPLOAD_SECONDS for the workers")
    parser.add_argument("--baseline", default="HEAD", help="the revision that loads in the handler")
    parser.add_argument("--ways", default=",".join(WAYS))
    parser.add_argument("--append", action="store_true", help="append the section to benchmarks/RESULTS.md")
    args = parser.parse_args()
    files = hostile_files()
    with tempfile.TemporaryDirectory(prefix="alliances-bench-") as tmp:
        store, tokens = prepared_store(Path(tmp))
        trees = {"baseline": export_tree(args.baseline, Path(tmp) / "baseline"), "threads": ROOT, "workers": ROOT}
        outcomes = [measure(way, trees[way], store, tokens, files, args) for way in args.ways.split(",")]
    lines = report(outcomes, args, files)
    print("\n".join(lines))
    if args.append:
        append_results(lines)


if __name__ == "__main__":
    main()
