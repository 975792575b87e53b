"""``alliances users …`` at the command line, and ``alliances serve --workers 2``: a session signed in
through one worker is honoured by the other, and a write through one is seen by the other."""

from __future__ import annotations

import contextlib
import json
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from api.cli import app
from graph.file_store import FileStore
from graph.keys import create_key
from graph.model import AuditEntry, Role, User
from tests.graph.sample import records

runner = CliRunner()
PASSWORD = "命令行开设的长密码 2026"


@pytest.fixture
def store_path(tmp_path: Path) -> str:
    path = tmp_path / "graph.json"
    FileStore(path).write([r for r in records() if not isinstance(r, User)])
    return str(path)


def test_users_create_list_reset_disable_at_the_command_line(store_path: str) -> None:
    made = runner.invoke(app, ["--store", store_path, "users", "create", "pd.cli", "--role", "union", "--union",
                               "u-pd", "--name", "浦东·命令行", "--password-stdin", "--by", "管理员甲"],
                         input=PASSWORD + "\n")  # fmt: skip
    assert made.exit_code == 0, made.output
    assert PASSWORD not in made.output
    listed = runner.invoke(app, ["--store", store_path, "users", "list", "--json"])
    [row] = json.loads(listed.output)
    assert row["id"] == "pd.cli" and row["union_id"] == "u-pd" and "password_hash" not in row
    reset = runner.invoke(app, ["--store", store_path, "users", "reset", "pd.cli", "--json"])
    one_time = json.loads(reset.output)["one_time_password"]
    assert reset.exit_code == 0 and len(one_time) == 12
    off = runner.invoke(app, ["--store", store_path, "users", "disable", "pd.cli"])
    again = runner.invoke(app, ["--store", store_path, "users", "disable", "pd.cli"])
    assert off.exit_code == 0 and again.exit_code == 5 and "已停用" in again.output
    short = runner.invoke(app, ["--store", store_path, "users", "create", "pd.short", "--role", "municipal",
                                "--password-stdin"], input="short\n")  # fmt: skip
    assert short.exit_code == 6 and "至少" in short.output
    entries = [e for e in FileStore(Path(store_path)).list(AuditEntry) if e.subject_key == "pd.cli"]
    assert sorted((e.action, e.actor) for e in entries) == [
        ("user.create", "管理员甲"),
        ("user.disable", f"cli:{_login()}"),
        ("user.reset", f"cli:{_login()}"),
    ]


def _login() -> str:
    import getpass

    return os.environ.get("ALLIANCES_ACTOR", "").removeprefix("cli:") or getpass.getuser()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def _serve(store: str, workers: int) -> Iterator[str]:
    port = _free_port()
    env = {**os.environ, "ALLIANCES_CONSOLE_INSECURE_COOKIE": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "api.cli", "--store", store, "serve", "--port", str(port),
                             "--workers", str(workers), "--cache-seconds", "600"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{base}/health", timeout=5).status_code == 200:
                    break
            time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=60)


def _fresh(base: str, cookies: dict[str, str] | None = None) -> httpx.Client:
    """A client on a new connection each time: the workers share one socket, so new connections
    are spread over them."""
    return httpx.Client(base_url=base, cookies=cookies, headers={"Connection": "close"}, timeout=60)


def test_two_workers_share_sessions_and_see_each_others_writes(store_path: str) -> None:
    from services import accounts
    from services.policy import Actor

    store = FileStore(Path(store_path))
    accounts.create_user(store, Actor.operator("setup"), "admin", Role.MUNICIPAL, password=PASSWORD)
    token = create_key(store, "脚本", Role.MUNICIPAL)[1]
    with _serve(store_path, workers=2) as base:
        with _fresh(base) as c:
            form = c.get("/console/signin")
            csrf = re.search(r'name="csrf" value="([^"]+)"', form.text)
            assert csrf, form.text[:300]
            data = {"csrf": csrf[1], "login": "admin", "password": PASSWORD, "next": "/console/"}
            done = c.post("/console/signin", headers={"origin": base}, follow_redirects=False, data=data)
            assert done.status_code == 303, done.text[:300]
            signed_by = done.headers["x-alliances-worker"]
            session = c.cookies.get("alliances_session")
        assert session
        served: dict[str, int] = {}
        for _ in range(200):
            with _fresh(base, {"alliances_session": session}) as c:
                page = c.get("/console/studios", follow_redirects=False)
            served[page.headers["x-alliances-worker"]] = page.status_code
            if len(served) > 1:
                break
        assert len(served) == 2, f"both workers answered: {served}"
        assert set(served.values()) == {200}, served
        assert any(pid != signed_by for pid in served)

        headers = {"X-API-Key": token}
        partner = None
        seen: set[str] = set()
        for _ in range(200):  # warm both workers' fits, and learn s1's partner
            with _fresh(base) as c:
                got = c.get("/studios/s1/suggestions?include_allied=true", headers=headers)
            seen.add(got.headers["x-alliances-worker"])
            partner = partner or got.json()[0]["partner_id"]
            if len(seen) == 2:
                break
        assert partner and len(seen) == 2
        with _fresh(base) as c:
            gone = c.post(f"/studios/{partner}/delist", headers=headers, json={"reason": "领衔人调离"})
        assert gone.status_code == 200, gone.text
        answered: set[str] = set()
        for _ in range(200):
            with _fresh(base) as c:
                after = c.get("/studios/s1/suggestions?include_allied=true", headers=headers)
            assert partner not in {s["partner_id"] for s in after.json()}
            answered.add(after.headers["x-alliances-worker"])
            if len(answered) == 2:
                break
        assert len(answered) == 2
