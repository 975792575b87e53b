"""Roster uploads loaded in worker processes, so that a hostile file cannot stall the server.

Reading and validating a roster is Python from end to end (openpyxl, pdfplumber, the roster builder,
the classifier) and holds the GIL: in a thread of the server, a workbook of three million rows slows
every other answer for minutes, and on the event loop it stops them. :class:`UploadWorkers` runs
:func:`services.rosters.load_files` in a small pool of processes instead.

- **The whole load runs in the worker** (read, validate, write, audit), against the worker's own
  store opened from the server's store setting: the one all-or-nothing write with its audit entry
  is the command line's, unchanged. Handing back plain rows would leave the roster builder and the
  classifier (Python that holds the GIL) in the server; handing back the finished batch would need
  the pipeline's tail written twice. The file store already serves several processes (``serve
  --workers``, the command line): a writer takes the file's lock and reloads first, and after a
  worker wrote, the server's store reloads the file on its next read (forced here, in the uploading
  request's thread) while the door refits the models as after any write. A worker holds its own
  copy of an embedded store (about 2 GiB at 150,000 studios; Neo4j costs nothing).
- **Start**: processes come from a fork server (never a fork of the threaded server) that imports
  the readers once, when the app starts; a worker opens its store and builds the classifier's
  tables when first needed, then serves one load after another at a lower CPU priority.
- **Limits**: a load still reading after ``seconds`` is killed; a worker may take ``memory_mib``
  more address space than it had warmed up (``RLIMIT_AS``); either ends in a refusal that names
  the file, and a fresh worker takes the next upload. Past the reading, the write is left to end.
- **Admission**: at most ``per_account`` uploads of one account at once, and at most twice the
  pool (at least four) in all, loading or waiting for a worker; the next is refused at once
  (:class:`UploadsBusy`, HTTP 429), never queued.
- Uploaded bytes reach a worker as the caller's temporary files, never through the pipe.
- **Fallback**: with ``processes=0``, or where no worker can start or open the same store, the load
  runs in the caller's thread (logged): off the event loop, but sharing the GIL, with neither limit.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import signal
import threading
import time
import traceback
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.context import ForkServerContext
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

from graph.config import StoreSetting, parse_store_setting
from graph.errors import AlliancesError, ConfigurationError, Problem, StoreUnavailable, UploadsBusy, ValidationError
from graph.store import BaseStore
from ingest.pipeline import IngestReport

from .policy import Actor
from .rosters import load_files

log = logging.getLogger("alliances.uploads")

PROCESSES_ENV = "ALLIANCES_UPLOAD_PROCESSES"
PER_ACCOUNT_ENV = "ALLIANCES_UPLOADS_PER_ACCOUNT"
SECONDS_ENV = "ALLIANCES_UPLOAD_SECONDS"
MEMORY_ENV = "ALLIANCES_UPLOAD_MEMORY_MIB"

PRELOAD = ("services.upload_workers", "ingest.readers", "ingest.text_reader", "ingest.docx_reader", "ingest.xls_reader",
           "ingest.pdf_reader", "ingest.classify", "openpyxl", "pdfplumber", "xlrd", "docx")  # fmt: skip
"""Imported once by the fork server, so that every worker starts with the readers loaded (the last
four are what the readers import when they first read such a file)."""

NICENESS = 10
"""Workers yield the CPU to the server's own answers."""

START_SECONDS = 300.0
"""How long a new worker may take to open its store (tens of seconds for an embedded store of
150,000 studios) and warm up."""

_SETTINGS_PREFIXES = ("ALLIANCES_", "NEO4J_")
_PHASES = {
    "reading": ("reading the rows", "读取各行"),
    "resolving": ("checking the rows against the store", "与已存数据核对"),
    "writing": ("writing", "写入"),
}


@dataclass(frozen=True)
class UploadLimits:
    """How uploads are loaded; every field a setting (``from_env``).

    processes:
        Worker processes (``ALLIANCES_UPLOAD_PROCESSES``, 2); 0 loads in the server's threads.
    per_account:
        Uploads of one account loaded at once (``ALLIANCES_UPLOADS_PER_ACCOUNT``, 2).
    seconds:
        How long a load may read before it is stopped (``ALLIANCES_UPLOAD_SECONDS``, 600).
    memory_mib:
        Address space a load may add to a warmed worker (``ALLIANCES_UPLOAD_MEMORY_MIB``, 2048); 0: no cap.
    """

    processes: int = 2
    per_account: int = 2
    seconds: float = 600.0
    memory_mib: int = 2048

    def __post_init__(self) -> None:
        if self.processes < 0 or self.per_account < 1 or self.seconds <= 0 or self.memory_mib < 0:
            raise ConfigurationError(
                f"upload limits out of range: {self} (processes >= 0, per_account >= 1, seconds > 0, memory_mib >= 0)"
            )

    @property
    def in_all(self) -> int:
        """Uploads the server loads or queues at once: twice the pool, and at least four."""
        return 2 * max(self.processes, 2)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> UploadLimits:
        env = os.environ if env is None else env
        values: dict[str, Any] = {}
        for name, variable, kind in (("processes", PROCESSES_ENV, int), ("per_account", PER_ACCOUNT_ENV, int),
                                     ("seconds", SECONDS_ENV, float), ("memory_mib", MEMORY_ENV, int)):  # fmt: skip
            raw = env.get(variable, "").strip()
            if raw:
                try:
                    values[name] = kind(raw)
                except ValueError:
                    raise ConfigurationError(f"{variable}={raw!r}: not a number") from None
        return cls(**values)


@dataclass(frozen=True)
class _Job:
    actor: Actor
    paths: list[Path]
    dry_run: bool
    accept_new: bool
    shown: dict[str, str] | None
    env: dict[str, str]
    """The server's settings as they are now (a worker forked from the fork server has its own)."""


# -- in the worker ------------------------------------------------------------------------------------------
def _serve(conn: Connection, setting: StoreSetting, memory_mib: int) -> None:
    """A worker's life: open the store and warm up, then one load per message until told to stop, the
    server goes, or a load runs out of memory."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the server's; it stops its workers
    with contextlib.suppress(OSError):
        os.nice(NICENESS)
    try:
        store = setting.open(retry_seconds=1.0, connection_timeout=3.0)
        from ingest.pipeline import default_classifier

        default_classifier()
    except Exception as exc:
        conn.send(("unready", f"{type(exc).__name__}: {exc}"))
        return
    try:
        _cap_memory(memory_mib)
        conn.send(("ready", store.location))
        while True:
            try:
                job = conn.recv()
            except EOFError:
                return
            if job is None or not _run(conn, store, job):
                return
    finally:
        store.close()


def _cap_memory(memory_mib: int) -> None:
    """``RLIMIT_AS``: the address space the warmed worker has, plus ``memory_mib`` (Linux; elsewhere,
    where the address space cannot be read, no cap)."""
    statm = Path("/proc/self/statm")
    if not memory_mib or not statm.exists():
        return
    import resource

    size = int(statm.read_text().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = size + memory_mib * 2**20
    resource.setrlimit(resource.RLIMIT_AS, (limit if hard == resource.RLIM_INFINITY else min(limit, hard), hard))


def _run(conn: Connection, store: BaseStore, job: _Job) -> bool:
    """One load; its report (or what stopped it) to the server. False: the worker must end."""
    for name in [n for n in os.environ if n.startswith(_SETTINGS_PREFIXES) and n not in job.env]:
        del os.environ[name]
    os.environ.update(job.env)
    try:
        report = load_files(store, job.actor, job.paths, dry_run=job.dry_run, accept_new=job.accept_new,
                            shown=job.shown, on_phase=lambda phase: conn.send(("phase", phase)))  # fmt: skip
    except MemoryError:
        conn.send(("memory", None))
        return False
    except ValidationError as exc:
        conn.send(("error", (type(exc), str(exc), exc.problems)))
    except AlliancesError as exc:
        conn.send(("error", (type(exc), str(exc), [])))
    except Exception:
        conn.send(("failed", traceback.format_exc()))
    else:
        conn.send(("done", report))
    return True


# -- in the server ------------------------------------------------------------------------------------------
@dataclass
class _Worker:
    process: BaseProcess
    conn: Connection
    location: str = ""
    """The store it opened, as :attr:`BaseStore.location` names it."""

    def stop(self, *, kill: bool = False) -> None:
        if not kill:
            with contextlib.suppress(OSError):
                self.conn.send(None)
            self.process.join(2.0)
        if self.process.is_alive():
            self.process.kill()
            self.process.join(5.0)
        self.conn.close()

    def how_it_ended(self) -> str:
        self.process.join(1.0)
        code = self.process.exitcode
        if code is None:
            return "still running"
        return f"signal {-code}" if code < 0 else f"exit code {code}"


@dataclass
class _Answer:
    """What came back from a worker: ``kind`` is done, error, failed, memory, timeout or died."""

    kind: str
    payload: Any
    phase: str

    @property
    def worker_lives(self) -> bool:
        return self.kind in ("done", "error", "failed")


def _rebuilt(cls: type[AlliancesError], message: str, problems: list[Problem]) -> AlliancesError:
    """A worker's domain error, raised again in the server with its class and message."""
    if issubclass(cls, ValidationError):
        return cls(problems)
    error = cls.__new__(cls)
    AlliancesError.__init__(error, message)
    return error


def _refusal(paths: Sequence[Path], dry_run: bool, en: str, zh: str) -> IngestReport:
    """A load that did not end: one problem a file, nothing written."""
    problems = [Problem(en, zh, file=str(p)) for p in paths]
    return IngestReport([str(p) for p in paths], dry_run, problems=problems, problem_count=len(problems))


@dataclass
class UploadWorkers:
    """The upload workers of one server process, for the store ``setting`` (a path or a bolt:// URI,
    ``None``: ``ALLIANCES_STORE``). :meth:`start` and :meth:`close` go with the app's lifespan;
    :meth:`admitted` and :meth:`load_files` with each upload (:func:`services.rosters.load_uploads`)."""

    setting: str | None
    limits: UploadLimits = field(default_factory=UploadLimits.from_env)
    """Read at each upload (a test may change them between two)."""
    _workers: list[_Worker] = field(default_factory=list)
    _idle: list[_Worker] = field(default_factory=list)
    _starting: int = 0
    _accounts: Counter[str] = field(default_factory=Counter)
    _closed: bool = False
    _changed: threading.Condition = field(default_factory=threading.Condition)

    def start(self) -> None:
        """At start-up: the fork server, which imports the readers once (in the background)."""
        with self._changed:
            self._closed = False
        if not self.limits.processes:
            return
        from multiprocessing import forkserver

        _context()
        try:
            forkserver.ensure_running()
        except OSError as exc:
            log.warning("the upload workers' fork server did not start: %s", exc)

    def close(self) -> None:
        """At shutdown: idle workers are told to stop; a load still running is killed (its upload is
        refused)."""
        with self._changed:
            self._closed = True
            idle, busy = list(self._idle), [w for w in self._workers if w not in self._idle]
            self._workers.clear()
            self._idle.clear()
            self._changed.notify_all()
        for worker in idle:
            worker.stop()
        for worker in busy:
            worker.process.kill()

    def pids(self) -> list[int]:
        """The worker processes started and not yet stopped (idle or loading)."""
        with self._changed:
            return [w.process.pid for w in self._workers if w.process.pid is not None]

    @contextlib.contextmanager
    def admitted(self, actor: Actor) -> Iterator[None]:
        """One upload of ``actor`` being loaded; :class:`UploadsBusy` at once when that would be one
        too many for the account, or for the server (:attr:`UploadLimits.in_all`)."""
        most = self.limits.per_account
        with self._changed:
            if self._accounts[actor.name] >= most:
                raise UploadsBusy(
                    f"this account already has {most} upload(s) being loaded; send the next one when one has "
                    f"finished / 该账号已有 {most} 个上传正在处理，请等其中一个完成后再上传"
                )
            if self._accounts.total() >= self.limits.in_all:
                raise UploadsBusy(
                    "the server is loading as many uploads as it takes at once; try again in a minute / "
                    "服务器同时处理的上传已达上限，请稍后再试"
                )
            self._accounts[actor.name] += 1
        try:
            yield
        finally:
            with self._changed:
                self._accounts[actor.name] -= 1
                if self._accounts[actor.name] <= 0:
                    del self._accounts[actor.name]

    def load_files(
        self,
        store: BaseStore,
        actor: Actor,
        paths: Sequence[Path],
        *,
        dry_run: bool = False,
        accept_new: bool = False,
        shown: dict[str, str] | None = None,
        on_phase: Callable[[str], None] | None = None,
    ) -> IngestReport:
        """:func:`services.rosters.load_files` in a worker (the same report; ``on_phase`` is called in
        this thread), or in this thread where no worker can load into ``store``. Blocks while the
        pool is busy; call it off the event loop."""

        def here(why: str | None) -> IngestReport:
            if why:
                log.warning("loading %s in the server's thread: %s", ", ".join(map(str, paths)), why)
            return load_files(store, actor, paths, dry_run=dry_run, accept_new=accept_new, shown=shown,
                              on_phase=on_phase)  # fmt: skip

        if not self.limits.processes:
            return here(None)
        worker = self._acquire()
        if worker is None:
            return here("no upload worker could start")
        if worker.location != store.location:
            self._release(worker, lives=True)
            return here(f"the upload workers open {worker.location}, not {store.location}")
        answer = _Answer("died", "not sent", "reading")
        try:
            job = _Job(actor, list(paths), dry_run, accept_new, shown,
                       {n: v for n, v in os.environ.items() if n.startswith(_SETTINGS_PREFIXES)})  # fmt: skip
            answer = self._exchange(worker, job, on_phase)
        finally:
            self._release(worker, lives=answer.worker_lives)
        return self._outcome(store, answer, paths, dry_run)

    def _acquire(self) -> _Worker | None:
        """An idle worker, a new one when the pool has room (None: it could not start), or the next
        to come free."""
        with self._changed:
            while True:
                if self._closed:
                    raise StoreUnavailable("the server is stopping / 服务器正在停止")
                while self._idle:
                    worker = self._idle.pop()
                    if worker.process.is_alive():
                        return worker
                    self._workers.remove(worker)
                    worker.conn.close()
                if len(self._workers) + self._starting < self.limits.processes:
                    self._starting += 1
                    break
                self._changed.wait()
        started: _Worker | None = None
        try:
            started = self._spawn()
        finally:
            with self._changed:
                self._starting -= 1
                if started is not None:
                    self._workers.append(started)
                self._changed.notify()
        return started

    def _spawn(self) -> _Worker | None:
        """A worker that has opened its store and warmed up, or None (logged)."""
        try:
            context = _context()
            ours, theirs = context.Pipe()
            process = context.Process(target=_serve, args=(theirs, parse_store_setting(self.setting),
                                      self.limits.memory_mib), name="alliances-upload", daemon=True)  # fmt: skip
            process.start()
            theirs.close()
        except Exception as exc:  # whatever stops a process from starting, the upload loads in this thread
            log.warning("an upload worker could not start: %s", exc)
            return None
        worker = _Worker(process, ours)
        try:
            ready = ours.recv() if ours.poll(START_SECONDS) else ("unready", f"not ready after {START_SECONDS:g} s")
        except (EOFError, OSError):
            ready = ("unready", worker.how_it_ended())
        if ready[0] != "ready":
            log.warning("an upload worker did not start: %s", ready[1])
            worker.stop(kill=True)
            return None
        worker.location = ready[1]
        return worker

    def _release(self, worker: _Worker, *, lives: bool) -> None:
        with self._changed:
            keep = lives and not self._closed and worker in self._workers
            if keep:
                self._idle.append(worker)
            elif worker in self._workers:
                self._workers.remove(worker)
            self._changed.notify()
        if not keep:
            worker.stop(kill=True)

    def _exchange(self, worker: _Worker, job: _Job, on_phase: Callable[[str], None] | None) -> _Answer:
        """Send ``job`` and wait for its end: killed when still reading after the time limit."""
        deadline = time.monotonic() + self.limits.seconds
        phase = "reading"
        try:
            worker.conn.send(job)
            while True:
                wait = None if phase == "writing" else max(0.0, deadline - time.monotonic())
                if not worker.conn.poll(wait):
                    worker.process.kill()
                    return _Answer("timeout", None, phase)
                kind, payload = worker.conn.recv()
                if kind != "phase":
                    return _Answer(kind, payload, phase)
                phase = payload
                if on_phase is not None:
                    on_phase(payload)
        except (EOFError, OSError):
            return _Answer("died", worker.how_it_ended(), phase)

    def _outcome(self, store: BaseStore, answer: _Answer, paths: Sequence[Path], dry_run: bool) -> IngestReport:
        if answer.kind == "done":
            report: IngestReport = answer.payload
            if report.written:  # another process wrote: this store reloads now, not in the next request
                store.counts()
            return report
        if answer.kind == "error":
            raise _rebuilt(*answer.payload)
        if answer.kind == "failed":
            log.error("an upload worker failed:\n%s", answer.payload)
            raise RuntimeError("loading an upload failed in its worker (the traceback is in the server's log)")
        return _refusal(paths, dry_run, *self._why(answer, dry_run))

    def _why(self, answer: _Answer, dry_run: bool) -> tuple[str, str]:
        """Why a load did not end (English, Chinese), and how far it got."""
        doing, doing_zh = _PHASES.get(answer.phase, _PHASES["reading"])
        if answer.phase == "writing" and not dry_run:
            return ("the process loading the upload stopped while writing; a write is all or nothing, so the store "
                    "holds all of this upload or none of it: see the audit trail",
                    "写入时处理进程中止；写入要么全部完成、要么完全没有，请查看操作记录确认是否已写入")  # fmt: skip
        if answer.kind == "timeout":
            limit = f"{self.limits.seconds:g}"
            return (f"stopped after {limit} s, the time one upload may take, while {doing}; nothing was written",
                    f"处理超过单次上传的时限 {limit} 秒（{doing_zh}时），已停止，未写入任何数据")  # fmt: skip
        if answer.kind == "memory":
            mib = self.limits.memory_mib
            return (f"stopped: it needed more than the {mib} MiB of memory one upload may take, while {doing}; "
                    "nothing was written",
                    f"处理所需内存超过单次上传的上限 {mib} MiB（{doing_zh}时），已停止，未写入任何数据")  # fmt: skip
        return (f"the process loading the upload ended unexpectedly ({answer.payload}) while {doing}; nothing was "
                f"written", f"处理上传的进程意外终止（{answer.payload}，{doing_zh}时），未写入任何数据")  # fmt: skip


def _context() -> ForkServerContext:
    """The fork-server context, with the readers to preload (set before the fork server starts)."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(list(PRELOAD))
    return context
