"""One job, three doors: the same scenario run through the command line, the JSON API and the web
console — create a studio, edit it, delist it, delist it again (refused), propose alliances, accept
one, dissolve it — leaves the same store and the same audit trail (action, subject, note), each
entry by that door's actor, and is refused the same way at the same step."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from api.app import create_app
from api.cli import app as cli
from graph.errors import Conflict
from graph.file_store import FileStore
from graph.keys import create_key
from graph.model import Alliance, AllianceEvent, AuditEntry, Role, Studio
from tests.graph.sample import records

NEW = {
    "id": "n1",
    "name": "新建测试劳模创新工作室",
    "union_id": "u-pd",
    "district": "浦东新区",
    "industry_code": "3973",
    "trade_codes": ["6-18-01-01"],
    "expertise": "晶圆刻蚀工艺",
    "needs": "良率提升",
}
EDIT = {"expertise": "晶圆刻蚀与清洗工艺", "needs": "缺陷检测与良率提升"}
REASON = "领衔人调离，经审核摘牌"
BASE = "https://testserver"
ORIGIN = {"origin": BASE}


@dataclass
class Outcome:
    """What a door did: the store it wrote, the actor it wrote as, how it refused the second
    delisting, and the alliance it accepted and dissolved."""

    store: FileStore
    actor: str
    refusal: Any
    alliance_id: str


def _fresh(tmp_path: Path, door: str) -> tuple[Path, FileStore, str]:
    path = tmp_path / door / "graph.json"
    path.parent.mkdir()
    store = FileStore(path)
    store.write(records())
    _, token = create_key(store, "市总工会·管理员", Role.MUNICIPAL)
    return path, store, token


def _through_cli(tmp_path: Path) -> Outcome:
    path, store, _ = _fresh(tmp_path, "cli")
    runner = CliRunner()

    def run(*args: str, code: int = 0) -> Any:
        result = runner.invoke(cli, ["--store", str(path), *args, "--by", "运营·王五"])
        assert result.exit_code == code, result.output
        return result

    create = ["studios", "create", NEW["id"], "--name", NEW["name"], "--union", NEW["union_id"]]
    create += ["--district", NEW["district"], "--industry", NEW["industry_code"], "--trade", NEW["trade_codes"][0]]
    run(*create, "--expertise", NEW["expertise"], "--needs", NEW["needs"])
    run("studios", "edit", "n1", "--expertise", EDIT["expertise"], "--needs", EDIT["needs"])
    run("studios", "delist", "n1", "--reason", REASON)
    again = run("studios", "delist", "n1", "--reason", REASON, code=Conflict.exit_code)
    formed = json.loads(run("form", "--json").stdout)
    chosen = sorted(p["id"] for p in formed["proposals"] if p["saved"] == "created")[0]
    run("alliance", "accept", chosen)
    run("alliance", "dissolve", chosen)
    return Outcome(store, "运营·王五", ("exit", again.exit_code, "已摘牌" in again.output), chosen)


def _through_api(tmp_path: Path) -> Outcome:
    path, store, token = _fresh(tmp_path, "api")
    key = {"X-API-Key": token}
    with TestClient(create_app(str(path), cache_seconds=0)) as client:

        def call(method: str, url: str, body: dict[str, Any], status: int = 200) -> Any:
            answer = client.request(method, url, json=body, headers=key)
            assert answer.status_code == status, answer.text
            return answer.json()

        call("POST", "/studios", NEW, 201)
        call("PATCH", "/studios/n1", EDIT)
        call("POST", "/studios/n1/delist", {"reason": REASON})
        again = call("POST", "/studios/n1/delist", {"reason": REASON}, 409)["error"]
        formed = call("POST", "/alliances/proposals", {})
        chosen = sorted(p["id"] for p in formed["proposals"] if p["saved"] == "created")[0]
        call("POST", f"/alliances/{chosen}/accept", {})
        call("POST", f"/alliances/{chosen}/dissolve", {})
    actor = next(e.actor for e in store.list(AuditEntry) if e.action == "studio.create")
    return Outcome(store, actor, ("http", again["status"], "已摘牌" in again["message_zh"]), chosen)


def _through_console(tmp_path: Path) -> Outcome:
    path, store, token = _fresh(tmp_path, "console")
    with TestClient(create_app(str(path), cache_seconds=0), base_url=BASE) as client:
        csrf = _sign_in(client, token)

        def post(url: str, form: dict[str, Any], status: int = 303) -> Any:
            answer = client.post(url, data={"csrf": csrf, **form}, headers=ORIGIN, follow_redirects=False)
            assert answer.status_code == status, answer.text
            return answer

        post("/console/studios/new", {**NEW, "trade_codes": "、".join(NEW["trade_codes"])})
        post("/console/studios/n1/edit", EDIT)
        post("/console/studios/n1/delist", {"reason": REASON})
        again = post("/console/studios/n1/delist", {"reason": REASON}, 409)
        before = {a.id for a in store.list(Alliance)}
        post("/console/proposals", {"kinds": ["project", "chain", "same-trade", "same-industry"]})
        chosen = sorted({a.id for a in store.list(Alliance)} - before)[0]
        post(f"/console/alliances/{chosen}/accept", {"note": ""})
        post(f"/console/alliances/{chosen}/dissolve", {"note": ""})
        assert "出错了" in again.text and "Traceback" not in again.text
    actor = next(e.actor for e in store.list(AuditEntry) if e.action == "studio.create")
    return Outcome(store, actor, ("page", again.status_code, "已摘牌" in again.text), chosen)


def _sign_in(client: TestClient, token: str) -> str:
    form = client.get("/console/signin")
    csrf = re.search(r'name="csrf" value="([^"]+)"', form.text)
    assert csrf, form.text
    client.post("/console/signin", data={"csrf": csrf[1], "key": token, "next": "/console/"}, headers=ORIGIN)
    found = re.search(r'name="csrf" value="([^"]+)"', client.get("/console/").text)
    assert found, "not signed in"
    return found[1]


DOORS: dict[str, Callable[[Path], Outcome]] = {"cli": _through_cli, "api": _through_api, "console": _through_console}


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Outcome]:
    return {name: door(tmp_path_factory.mktemp(name)) for name, door in DOORS.items()}


def _written(outcome: Outcome) -> list[AuditEntry]:
    """The audit entries the scenario wrote, in the order written (not the sample's, not the key's,
    not the console's signing in, which only that door has)."""
    seeded = {r.id for r in records() if isinstance(r, AuditEntry)}
    entries = sorted(outcome.store.list(AuditEntry), key=lambda e: (e.at, e.id))
    return [e for e in entries if e.action not in ("key.create", "signin") and e.id not in seeded]


def _trail(outcome: Outcome) -> list[tuple[str, str, str, str]]:
    return [(e.action, e.subject_label, e.subject_key, e.note) for e in _written(outcome)]


def test_every_door_leaves_the_same_studios_and_alliances(outcomes: dict[str, Outcome]) -> None:
    cli_store = outcomes["cli"].store
    studios = {s.id: s.model_dump() for s in cli_store.list(Studio)}
    new = studios["n1"]
    assert new["status"] == "delisted" and new["status_reason"] == REASON and new["expertise"] == EDIT["expertise"]
    for name in ("api", "console"):
        assert {s.id: s.model_dump() for s in outcomes[name].store.list(Studio)} == studios, name
    alliances = {name: {a.id: (a.status, a.member_ids, a.former_member_ids) for a in o.store.list(Alliance)}
                 for name, o in outcomes.items()}  # fmt: skip
    assert alliances["api"] == alliances["cli"] == alliances["console"]
    assert len({o.alliance_id for o in outcomes.values()}) == 1
    assert alliances["cli"][outcomes["cli"].alliance_id][0].value == "dissolved"


def test_every_door_audits_the_same_steps_as_its_own_actor(outcomes: dict[str, Outcome]) -> None:
    trails = {name: _trail(o) for name, o in outcomes.items()}
    assert trails["api"] == trails["cli"] == trails["console"]
    assert [a for a, *_ in trails["cli"]] == [
        "studio.create",
        "studio.update",
        "studio.delist",
        "alliance.propose",
        "alliance.accepted",
        "alliance.dissolved",
    ]
    for name, o in outcomes.items():
        assert {e.actor for e in _written(o)} == {o.actor}, name
        events = [e for e in o.store.list(AllianceEvent) if e.alliance_id == o.alliance_id]
        assert {e.actor for e in events} == {o.actor}, name
        assert sorted(e.action.value for e in events) == ["accepted", "dissolved", "proposed"]


def test_the_second_delisting_is_refused_by_every_door(outcomes: dict[str, Outcome]) -> None:
    assert outcomes["cli"].refusal == ("exit", Conflict.exit_code, True)
    assert outcomes["api"].refusal == ("http", 409, True)
    assert outcomes["console"].refusal == ("page", 409, True)


def test_the_command_line_names_its_actor_by_option_then_environment_then_login(tmp_path: Path) -> None:
    import getpass

    path, store, _ = _fresh(tmp_path, "actor")
    runner = CliRunner()
    for studio, args, env, expected in [
        ("s1", ["--by", "张三"], {"ALLIANCES_ACTOR": "李四"}, "张三"),
        ("s2", [], {"ALLIANCES_ACTOR": "李四"}, "李四"),
        ("s3", [], {"ALLIANCES_ACTOR": ""}, f"cli:{getpass.getuser()}"),
    ]:
        result = runner.invoke(cli, ["--store", str(path), "studios", "edit", studio, "--needs", "新需求", *args],
                               env=env)  # fmt: skip
        assert result.exit_code == 0, result.output
        entry = next(e for e in store.list(AuditEntry) if e.subject_key == studio)
        assert entry.actor == expected
