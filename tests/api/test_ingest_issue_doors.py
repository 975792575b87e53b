"""The doors for rows without a leader, trades read by a near match and likely duplicates: the CLI's
``ingest`` (warnings printed, ``--accept-new``) and ``eligibility`` (领衔人：未登记), ``POST /ingest``
(``accept_new``, ``warnings``, ``likely_duplicates``) and the console's studio and upload pages."""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

import api.cli  # noqa: F401 - registers the commands on the app
from api.app import create_app
from api.cli_common import app
from graph.file_store import FileStore
from graph.keys import create_key
from graph.model import Role, Studio
from graph.store import BaseStore
from ingest.roster import derive_id

from .conftest import _as
from .test_console import BASE, ORIGIN, sign_in

runner = CliRunner()
HEADER = ["工作室名称", "领衔人", "所在单位", "工种"]


def _csv(path: Path, rows: list[list[str]]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


def _bytes(rows: list[list[str]], header: list[str] = HEADER) -> bytes:
    lines = [",".join(header), *(",".join(r) for r in rows)]
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def test_the_cli_prints_near_match_warnings_and_writes(tmp_path: Path) -> None:
    store = str(tmp_path / "g.json")
    roster = _csv(tmp_path / "r.csv", [["放疗中心劳模创新工作室", "", "上海市质子重离子医院", "软件工程技术人员"]])
    result = runner.invoke(app, ["--store", store, "ingest", "--no-classify", str(roster)], env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    assert "1 warning(s), to check / 1 条提示，请核对" in result.output
    assert "trade '软件工程技术人员' read as 计算机软件工程技术人员 (2-02-10-03)" in result.output
    assert "工种「软件工程技术人员」按「计算机软件工程技术人员」(2-02-10-03) 读取" in result.output
    assert "written / 已写入" in result.output


def test_the_cli_refuses_a_likely_duplicate_unless_accept_new(tmp_path: Path) -> None:
    store = str(tmp_path / "g.json")
    first = _csv(tmp_path / "a.csv", [["张华劳模创新工作室", "张华", "上海市电力公司", ""]])
    assert runner.invoke(app, ["--store", store, "ingest", "--no-classify", str(first)]).exit_code == 0
    again = _csv(tmp_path / "b.csv", [["张华劳模创新工作室", "李四", "上海市第六人民医院", ""]])
    refused = runner.invoke(app, ["--store", store, "ingest", "--no-classify", str(again), "--json"])
    assert refused.exit_code == 6
    body = json.loads(refused.stdout)
    assert not body["written"]
    [dup] = body["likely_duplicates"]
    assert (dup["row"], dup["name"], dup["stored_id"]) == (
        2,
        "张华劳模创新工作室",
        derive_id("st", "张华劳模创新工作室", "上海市电力公司"),
    )
    assert FileStore(Path(store)).count_studios() == 1
    shown = runner.invoke(app, ["--store", store, "ingest", "--no-classify", str(again)], env={"COLUMNS": "250"})
    assert shown.exit_code == 6 and "--accept-new" in shown.output and "可能是已登记的工作室" in shown.output
    accepted = runner.invoke(app, ["--store", store, "ingest", "--no-classify", "--accept-new", str(again), "--json"])
    assert accepted.exit_code == 0, accepted.output
    assert json.loads(accepted.stdout)["kinds"]["Studio"]["created"] == 1
    assert FileStore(Path(store)).count_studios() == 2


def test_eligibility_shows_an_unrecorded_leader(tmp_path: Path) -> None:
    store = str(tmp_path / "g.json")
    roster = _csv(tmp_path / "r.csv", [["放疗中心劳模创新工作室", "", "上海市质子重离子医院", ""]])
    assert runner.invoke(app, ["--store", store, "ingest", "--no-classify", str(roster)]).exit_code == 0
    sid = derive_id("st", "放疗中心劳模创新工作室", "上海市质子重离子医院")
    shown = runner.invoke(app, ["--store", store, "eligibility", sid, "--year", "2025"], env={"COLUMNS": "200"})
    assert shown.exit_code == 0, shown.output
    assert "领衔人：未登记" in shown.stdout
    assert "资料不全" in shown.stdout and "未登记领衔人" in shown.stdout
    named = runner.invoke(app, ["--store", store, "eligibility", sid, "--year", "2025", "--json"])
    assert json.loads(named.stdout)["conditions"][0]["verdict"] == "unknown"


def test_post_ingest_reports_warnings_and_likely_duplicates_and_takes_accept_new(api: Any) -> None:
    client, store, tokens = api
    headers = _as(tokens, "municipal")
    first = [["张华劳模创新工作室", "张华", "上海市电力公司", "高级焊工"]]
    done = client.post("/ingest", headers=headers, files={"files": ("a.csv", _bytes(first), "text/csv")})
    body = done.json()
    assert done.status_code == 200 and body["written"], body
    assert body["warning_count"] == 1
    assert body["warnings"][0]["file"] == "a.csv"
    assert body["warnings"][0]["message"] == "trade '高级焊工' read as 焊工 (6-18-02-04)"
    renamed = [["张华劳模创新工作室", "张华", "国网上海市电力公司", ""]]
    same = client.post("/ingest", headers=headers, files={"files": ("b.csv", _bytes(renamed), "text/csv")}).json()
    assert same["ok"] and same["kinds"]["Studio"]["created"] == 0 and same["likely_duplicates"] == []
    other = [["张华劳模创新工作室", "李四", "上海市第六人民医院", ""]]
    before = len(store.list(Studio))
    refused = client.post("/ingest", headers=headers, files={"files": ("c.csv", _bytes(other), "text/csv")}).json()
    assert not refused["ok"] and not refused["written"]
    assert [d["stored_name"] for d in refused["likely_duplicates"]] == ["张华劳模创新工作室"]
    assert refused["likely_duplicates"][0]["file"] == "c.csv"
    assert len(store.list(Studio)) == before
    accepted = client.post(
        "/ingest", headers=headers, params={"accept_new": True}, files={"files": ("c.csv", _bytes(other), "text/csv")}
    ).json()
    assert accepted["ok"] and accepted["written"] and accepted["kinds"]["Studio"]["created"] == 1
    assert len(store.list(Studio)) == before + 1


@pytest.fixture
def console(setting: tuple[str, BaseStore]) -> Iterator[tuple[TestClient, BaseStore, dict[str, str]]]:
    """The console over the sample records and one studio without a leader (s-none)."""
    target, store = setting
    store.write([Studio(id="s-none", name="放疗中心劳模创新工作室", union_id="u-pd", employer_id=None)])
    tokens = {"municipal": create_key(store, "市总工会·管理员", Role.MUNICIPAL)[1]}
    with TestClient(create_app(target, cache_seconds=0), base_url=BASE, raise_server_exceptions=False) as client:
        yield client, store, tokens


def test_the_console_shows_an_unrecorded_leader(console: Any) -> None:
    client, _, tokens = console
    sign_in(client, tokens["municipal"])
    page = client.get("/console/studios/s-none")
    assert page.status_code == 200, page.text
    assert re.search(r"<dt>领衔人</dt><dd>未登记</dd>", page.text)
    led = client.get("/console/studios/s1")
    assert led.status_code == 200 and not re.search(r"<dt>领衔人</dt><dd>未登记</dd>", led.text)


def test_the_console_upload_takes_accept_new(console: Any) -> None:
    client, store, tokens = console
    csrf = sign_in(client, tokens["municipal"])
    header = ["工作室名称", "领衔人", "所在单位", "所属工会"]
    rows = [["张江放疗中心劳模创新工作室", "", "上海市质子重离子医院", "浦东新区总工会"]]
    upload = client.post(
        "/console/ingest",
        data={"csrf": csrf},
        headers=ORIGIN,
        files={"files": ("名单.csv", _bytes(rows, header), "text/csv")},
    )
    assert upload.status_code == 200 and "已写入" in upload.text, upload.text
    assert 'name="accept_new"' in upload.text
    other = [["张江放疗中心劳模创新工作室", "", "上海市第六人民医院", "浦东新区总工会"]]
    refused = client.post(
        "/console/ingest",
        data={"csrf": csrf},
        headers=ORIGIN,
        files={"files": ("名单.csv", _bytes(other, header), "text/csv")},
    )
    assert refused.status_code == 422 and "可能是已登记的工作室" in refused.text
    moved = derive_id("st", "张江放疗中心劳模创新工作室", "上海市第六人民医院")
    assert not store.get_many(Studio, [moved])
    accepted = client.post(
        "/console/ingest",
        data={"csrf": csrf, "accept_new": "1"},
        headers=ORIGIN,
        files={"files": ("名单.csv", _bytes(other, header), "text/csv")},
    )
    assert accepted.status_code == 200 and "已写入" in accepted.text
    assert store.get(Studio, moved).leader_id is None
    assert "提示（已写入，请核对）" in accepted.text and "已按新工作室写入" in accepted.text
