"""A long list of problems is reported briefly at every door: the command line, ``POST /ingest`` and
the console name the first 200 problems and count the rest by kind; a file over a limit is one line."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

import api.cli  # noqa: F401 - registers the commands on the app
from api.app import create_app
from api.cli_common import app
from graph.keys import create_key
from graph.model import Role
from graph.store import BaseStore

from .conftest import _as
from .test_console import BASE, ORIGIN, sign_in

runner = CliRunner()
HEADER = "工作室名称,领衔人,所在单位,所属工会\r\n"


def _repeated(rows: int) -> bytes:
    """One studio, ``rows`` times: every row after the first is 'the same studio appears twice'."""
    return (HEADER + "张江同一创新工作室,张三,上海示例有限公司,浦东新区总工会\r\n" * rows).encode()


def test_the_cli_prints_the_first_problems_and_counts_the_rest(tmp_path: Path) -> None:
    roster = tmp_path / "repeated.csv"
    roster.write_bytes(_repeated(501))
    store = str(tmp_path / "g.json")
    result = runner.invoke(app, ["--store", store, "ingest", "--no-classify", "--dry-run", str(roster)],
                           env={"COLUMNS": "250"})  # fmt: skip
    assert result.exit_code == 6
    assert "500 problem(s); nothing was written" in result.output
    assert result.output.count("the same studio appears twice") == 200
    assert "… and 300 more / 另有 300 条未列出:" in result.output
    assert "300 × rows that repeat another row / 重复的行 (duplicate)" in result.output


def test_the_cli_shows_a_file_over_a_limit_as_one_line(tmp_path: Path) -> None:
    roster = tmp_path / "repeated.csv"
    roster.write_bytes(_repeated(50))
    result = runner.invoke(app, ["--store", str(tmp_path / "g.json"), "ingest", "--no-classify", str(roster)],
                           env={"COLUMNS": "400", "ALLIANCES_LIMIT_ROWS": "20"})  # fmt: skip
    assert result.exit_code == 6
    assert "1 problem(s); nothing was written" in result.output
    assert "over the limit of 20 rows in a file (ALLIANCES_LIMIT_ROWS)" in result.output
    assert "same studio" not in result.output


def test_post_ingest_counts_problems_by_kind(api: Any) -> None:
    client, _, tokens = api
    done = client.post("/ingest", headers=_as(tokens, "municipal"), params={"dry_run": True},
                       files={"files": ("repeated.csv", _repeated(301), "text/csv")})  # fmt: skip
    body = done.json()
    assert done.status_code == 200 and not body["ok"], body
    assert body["problem_count"] == 300 and len(body["problems"]) == 200
    assert body["problems"][0]["kind"] == "duplicate" and body["problems"][0]["file"] == "repeated.csv"
    assert body["problem_kinds"] == [
        {"kind": "duplicate", "label": "rows that repeat another row", "label_zh": "重复的行", "count": 300,
         "shown": 200},
    ]  # fmt: skip


@pytest.fixture
def console(setting: tuple[str, BaseStore]) -> Iterator[tuple[TestClient, str]]:
    target, store = setting
    token = create_key(store, "市总工会·管理员", Role.MUNICIPAL)[1]
    with TestClient(create_app(target, cache_seconds=0), base_url=BASE, raise_server_exceptions=False) as client:
        yield client, token


def test_the_console_lists_the_first_problems_and_counts_the_rest(console: Any) -> None:
    client, token = console
    csrf = sign_in(client, token)
    page = client.post("/console/ingest", data={"csrf": csrf, "dry_run": "1"}, headers=ORIGIN,
                       files={"files": ("名单.csv", _repeated(251), "text/csv")})  # fmt: skip
    assert page.status_code == 422
    assert page.text.count("同一工作室在输入中出现两次") == 200
    assert "另有 50 处未列出，按类别：" in page.text
    assert "<tr><td>重复的行</td><td>250</td><td>50</td></tr>" in page.text
