"""Roster uploads loaded in worker processes (:mod:`services.upload_workers`): the same report and
the same store as loading in the server; a load past its time or memory limit, or whose worker
dies, refused clearly while the next upload loads; at most so many uploads per account (429) while
other accounts' pass; and the event loop free while a load runs.

A load is held in progress, with no timing involved, by holding the embedded store's write lock
(``<file>.lock``): the worker reads and validates, then waits for the lock to write."""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import re
import tempfile
import threading
import time
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from graph.errors import ConfigurationError, UploadsBusy
from graph.file_store import FileStore
from graph.keys import create_key
from graph.model import LINK_KINDS, NODE_KINDS, AuditEntry, Role, Studio
from graph.store import BaseStore
from services.policy import Actor
from services.rosters import load_uploads
from services.upload_workers import UploadLimits, UploadWorkers
from tests.graph.sample import records

from .conftest import _as
from .test_console import BASE, ORIGIN, sign_in

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ("naming-list-2024-illustrative.csv", "shanghai-roster-illustrative.xlsx")
HEADER = "工作室名称,领衔人,所在单位,所属工会,所在区\r\n"
OPERATOR = Actor.operator("运营·王五")
WAIT = 60.0
"""Bound on waiting for an event that must come (a guard against a hang, never a measurement)."""


def _roster(*rows: str) -> bytes:
    return (HEADER + "".join(r + "\r\n" for r in rows)).encode("utf-8")


ONE = _roster("丙劳模创新工作室,赵三,丙公司,闵行区总工会,闵行区")


def _samples() -> list[tuple[str, bytes]]:
    return [(name, (ROOT / "samples" / name).read_bytes()) for name in SAMPLES]


def _snapshot(store: BaseStore) -> dict[str, list[Any]]:
    """Every record, audit entries without their moment (and the id made from it)."""
    out: dict[str, list[Any]] = {}
    for kind in NODE_KINDS:
        dumped = [r.model_dump(mode="json") for r in store.list(kind)]
        if kind is AuditEntry:
            dumped = [{k: v for k, v in d.items() if k not in ("id", "at")} for d in dumped]
        out[kind.label] = sorted(dumped, key=repr)
    for link_kind in LINK_KINDS:
        out[link_kind.label] = sorted((r.model_dump(mode="json") for r in store.links(link_kind)), key=repr)
    return out


def _gone(pids: list[int]) -> bool:
    """Whether none of ``pids`` is a live process any more."""
    alive = []
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, 0)
            alive.append(pid)
    return not alive


@pytest.fixture
def spool(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The folder uploads are saved in while they load."""
    folder = tmp_path / "spool"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def _saved(spool: Path) -> list[Path]:
    return list(spool.glob("alliances-upload-*"))


def _until(condition: Any, what: str) -> None:
    end = time.monotonic() + WAIT
    while not condition():
        assert time.monotonic() < end, f"never happened: {what}"
        time.sleep(0.01)


@contextlib.contextmanager
def _write_lock(path: Path) -> Iterator[None]:
    """Hold the embedded store's write lock: a load reads and validates, then waits to write."""
    fd = os.open(path.with_name(path.name + ".lock"), os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


@pytest.fixture
def pool(tmp_path: Path) -> Iterator[tuple[UploadWorkers, FileStore]]:
    """One worker on a store file holding the sample graph."""
    store = FileStore(tmp_path / "graph.json")
    store.write(records())
    workers = UploadWorkers(str(store.path), UploadLimits(processes=1))
    workers.start()
    yield workers, store
    workers.close()


def test_a_worker_loads_an_upload_as_the_server_would(
    setting: tuple[str, BaseStore], caplog: pytest.LogCaptureFixture
) -> None:
    """The same report and the same store (both stores), for a dry run and for a write."""
    target, store = setting
    workers = UploadWorkers(target, UploadLimits(processes=1))
    outcomes: list[tuple[dict[str, Any], dict[str, Any], dict[str, list[Any]]]] = []
    try:
        for through in (None, workers):
            store.clear()
            store.write(records())
            tried = load_uploads(store, OPERATOR, _samples(), dry_run=True, workers=through)
            loaded = load_uploads(store, OPERATOR, _samples(), dry_run=False, workers=through)
            outcomes.append((tried.to_json(), loaded.to_json(), _snapshot(store)))
        assert len(workers.pids()) == 1
    finally:
        workers.close()
    assert not any("in the server's thread" in r.getMessage() for r in caplog.records)
    (dry, done, stored), (dry_w, done_w, stored_w) = outcomes
    assert done["ok"] and done["written"] and done["rows"]["studios"] == 360
    assert dry_w == dry and done_w == done
    assert stored_w == stored
    notes = [e["note"] for e in stored_w["AuditEntry"] if e["action"] == "ingest"]
    assert len(notes) == 1 and notes[0].startswith("、".join(SAMPLES))


def test_a_load_past_its_time_limit_is_stopped_and_the_next_one_loads(
    pool: tuple[UploadWorkers, FileStore], spool: Path
) -> None:
    workers, store = pool
    workers.limits = replace(workers.limits, seconds=0.25)
    before = _snapshot(store)
    many = _roster(*["甲劳模创新工作室,张一,甲公司,闵行区总工会,闵行区"] * 200_000)  # a minute's read at least
    report = load_uploads(store, OPERATOR, [("很长的名单.csv", many)], dry_run=False, workers=workers)
    assert not report.ok and not report.written and report.files == ["很长的名单.csv"]
    (problem,) = report.problems
    assert problem.file == "很长的名单.csv"
    assert (
        problem.message
        == "stopped after 0.25 s, the time one upload may take, while reading the rows; nothing was written"
    )
    assert problem.message_zh == "处理超过单次上传的时限 0.25 秒（读取各行时），已停止，未写入任何数据"
    assert _snapshot(store) == before and not _saved(spool)
    workers.limits = replace(workers.limits, seconds=600)
    after = load_uploads(store, OPERATOR, [("名单.csv", ONE)], dry_run=False, workers=workers)
    assert after.ok and after.written and any(s.name == "丙劳模创新工作室" for s in store.list(Studio))


def test_a_load_over_its_memory_cap_is_stopped_and_the_next_one_loads(
    pool: tuple[UploadWorkers, FileStore], spool: Path
) -> None:
    workers, store = pool
    workers.limits = replace(workers.limits, memory_mib=16)  # for the workers started from now on
    # 30 MB of JSON, inside every reader limit but parsed whole: far more than 16 MiB once read
    rows = json.dumps(
        [{"工作室名称": f"甲{n}工作室", "所在单位": "乙公司"} for n in range(150_000)] * 3, ensure_ascii=False
    )
    report = load_uploads(store, OPERATOR, [("名单.json", rows.encode())], dry_run=True, workers=workers)
    (problem,) = report.problems
    assert problem.file == "名单.json" and not report.written
    assert problem.message == (
        "stopped: it needed more than the 16 MiB of memory one upload may take, while reading the rows; "
        "nothing was written"
    )
    assert problem.message_zh == "处理所需内存超过单次上传的上限 16 MiB（读取各行时），已停止，未写入任何数据"
    assert not _saved(spool)
    workers.limits = replace(workers.limits, memory_mib=2048)
    after = load_uploads(store, OPERATOR, [("名单.csv", ONE)], dry_run=False, workers=workers)
    assert after.ok and after.written


def test_a_worker_killed_mid_load_is_reported_and_replaced(pool: tuple[UploadWorkers, FileStore], spool: Path) -> None:
    workers, store = pool
    before = _snapshot(store)
    writing = threading.Event()
    with ThreadPoolExecutor(1) as run, _write_lock(store.path):
        pending = run.submit(
            workers.load_files,
            store,
            OPERATOR,
            [_saved_file(spool, ONE)],
            on_phase=lambda phase: writing.set() if phase == "writing" else None,
        )
        assert writing.wait(WAIT)
        (killed,) = workers.pids()
        os.kill(killed, 9)
        report = pending.result(WAIT)
    (problem,) = report.problems
    assert problem.message.startswith("the process loading the upload stopped while writing; a write is all or nothing")
    assert problem.message_zh.startswith("写入时处理进程中止")
    assert _snapshot(store) == before  # the lock was held until the worker was gone
    after = load_uploads(store, OPERATOR, [("名单.csv", ONE)], dry_run=False, workers=workers)
    assert after.ok and after.written
    assert _gone([killed]) and len(workers.pids()) == 1


def _saved_file(folder: Path, data: bytes) -> Path:
    path = folder / "名单.csv"
    path.write_bytes(data)
    return path


def test_a_store_the_workers_cannot_open_is_loaded_in_the_thread(
    pool: tuple[UploadWorkers, FileStore], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A store other than the one the workers open (their setting names another file): the load runs
    in the caller's thread, and the log says why."""
    workers, _ = pool
    other = FileStore(tmp_path / "other.json")
    other.write(records())
    with caplog.at_level(logging.WARNING, logger="alliances.uploads"):
        report = load_uploads(other, OPERATOR, [("名单.csv", ONE)], dry_run=False, workers=workers)
    assert report.ok and report.written and any(s.name == "丙劳模创新工作室" for s in other.list(Studio))
    (said,) = [r.getMessage() for r in caplog.records if "in the server's thread" in r.getMessage()]
    assert str(other.path) in said and str(tmp_path / "graph.json") in said


def test_the_server_takes_so_many_uploads_in_all_then_refuses_at_once() -> None:
    workers = UploadWorkers(None, UploadLimits(processes=1, per_account=1))
    with contextlib.ExitStack() as taken:
        for n in range(workers.limits.in_all):
            taken.enter_context(workers.admitted(Actor.operator(f"账号{n}")))
        with pytest.raises(UploadsBusy) as refused:
            taken.enter_context(workers.admitted(Actor.operator("又一个账号")))
        assert str(refused.value) == ("the server is loading as many uploads as it takes at once; try again in a "
                                      "minute / 服务器同时处理的上传已达上限，请稍后再试")  # fmt: skip
        assert refused.value.http_status == 429
    with workers.admitted(Actor.operator("又一个账号")):  # all were let go
        assert workers.limits.in_all == 4


def test_upload_limits_are_read_from_the_environment() -> None:
    env = {"ALLIANCES_UPLOAD_PROCESSES": "3", "ALLIANCES_UPLOADS_PER_ACCOUNT": "1"}
    limits = UploadLimits.from_env({**env, "ALLIANCES_UPLOAD_SECONDS": "90", "ALLIANCES_UPLOAD_MEMORY_MIB": "512"})
    assert limits == UploadLimits(processes=3, per_account=1, seconds=90.0, memory_mib=512)
    assert UploadLimits.from_env({}) == UploadLimits(processes=2, per_account=2, seconds=600.0, memory_mib=2048)
    with pytest.raises(ConfigurationError, match="ALLIANCES_UPLOAD_SECONDS='soon'"):
        UploadLimits.from_env({"ALLIANCES_UPLOAD_SECONDS": "soon"})
    with pytest.raises(ConfigurationError, match="out of range"):
        UploadLimits.from_env({"ALLIANCES_UPLOADS_PER_ACCOUNT": "0"})


# -- through the doors ---------------------------------------------------------------------------------------
@pytest.fixture
def served(tmp_path: Path, spool: Path) -> Iterator[tuple[TestClient, FileStore, dict[str, str]]]:
    """The app on a store file with the sample graph: two worker processes, one upload per account."""
    store = FileStore(tmp_path / "graph.json")
    store.write(records())
    tokens = {
        "municipal": create_key(store, "市总工会·管理员", Role.MUNICIPAL)[1],
        "union": create_key(store, "浦东新区总工会·张三", Role.UNION, union_id="u-pd")[1],
    }
    app = create_app(str(store.path), cache_seconds=0, uploads=UploadLimits(processes=2, per_account=1))
    with TestClient(app, base_url=BASE) as client:
        yield client, store, tokens
        pids = app.state.uploads.pids()
        assert pids
    assert _gone(pids)  # the app's shutdown stopped its workers


def _upload(client: TestClient, token: str, data: bytes, **params: Any) -> Any:
    return client.post("/ingest", headers={"X-API-Key": token}, params=params,
                       files={"files": ("名单.csv", data, "text/csv")})  # fmt: skip


def test_an_account_past_its_limit_is_refused_at_once_while_others_load(served: Any, spool: Path) -> None:
    client, store, tokens = served
    with ThreadPoolExecutor(1) as run, _write_lock(store.path):
        first = run.submit(_upload, client, tokens["municipal"], ONE)
        _until(lambda: _saved(spool), "the first upload is being loaded")
        again = _upload(client, tokens["municipal"], ONE, dry_run=True)
        other = _upload(client, tokens["union"], _roster("丁劳模创新工作室,钱四,丁公司,浦东新区总工会,浦东新区"),
                        dry_run=True)  # fmt: skip
        assert not first.done()
    assert again.status_code == 429, again.text
    assert again.headers["retry-after"] == str(UploadsBusy.retry_after)
    error = again.json()["error"]
    assert error["code"] == "busy"
    assert (
        error["message"] == "this account already has 1 upload(s) being loaded; send the next one when one has finished"
    )
    assert error["message_zh"] == "该账号已有 1 个上传正在处理，请等其中一个完成后再上传"
    assert other.status_code == 200 and other.json()["ok"], other.text
    assert first.result(WAIT).json()["written"]
    assert _upload(client, tokens["municipal"], ONE, dry_run=True).status_code == 200


def _console_upload(client: TestClient, csrf: str, data: bytes) -> Any:
    return client.post("/console/ingest", data={"csrf": csrf}, headers=ORIGIN,
                       files={"files": ("名单.csv", data, "text/csv")})  # fmt: skip


@pytest.mark.parametrize("door", ["api", "console"])
def test_the_server_answers_while_an_upload_loads(served: Any, spool: Path, door: str) -> None:
    """``/health`` answers while a load waits in its worker, before that load ends."""
    client, store, tokens = served
    if door == "console":
        csrf = sign_in(client, tokens["municipal"])
    with ThreadPoolExecutor(2) as run, _write_lock(store.path):
        loading: Future[Any] = (run.submit(_upload, client, tokens["municipal"], ONE) if door == "api"
                                else run.submit(_console_upload, client, csrf, ONE))  # fmt: skip
        _until(lambda: _saved(spool), "the upload is being loaded")
        health = run.submit(client.get, "/health").result(WAIT)
        assert health.status_code == 200 and health.json()["status"] == "ok"
        assert not loading.done() and not any(s.name == "丙劳模创新工作室" for s in store.list(Studio))
    answer = loading.result(WAIT)
    assert answer.status_code == 200, answer.text
    assert answer.json()["written"] if door == "api" else "已写入" in answer.text
    assert any(s.name == "丙劳模创新工作室" for s in store.list(Studio)) and not _saved(spool)
    assert re.search(r"丙劳模创新工作室", client.get("/studios", headers=_as(tokens, "municipal")).text)
