"""Fixtures for the HTTP tests: the app over each store, with one key of each role."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from graph.keys import create_key
from graph.model import Role
from graph.store import BaseStore
from tests.graph.sample import records


@pytest.fixture(params=["file", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def setting(request: pytest.FixtureRequest, tmp_path: Any) -> tuple[str, BaseStore]:
    if request.param == "file":
        from graph.file_store import FileStore

        path = tmp_path / "graph.json"
        store: BaseStore = FileStore(path)
        target = str(path)
    else:
        store = request.getfixturevalue("neo4j_store")
        uri, auth = request.getfixturevalue("neo4j_setting")
        target = uri if auth else f"{uri}?auth=none"
    store.write(records())
    return target, store


@pytest.fixture
def api(setting: tuple[str, BaseStore]) -> Iterator[tuple[TestClient, BaseStore, dict[str, str]]]:
    target, store = setting
    tokens = {
        "municipal": create_key(store, "市总工会·管理员", Role.MUNICIPAL)[1],
        "union": create_key(store, "浦东新区总工会·张三", Role.UNION, union_id="u-pd")[1],
        "studio": create_key(store, "李斌工作室", Role.STUDIO, studio_id="s1")[1],
    }
    with TestClient(create_app(target, cache_seconds=0)) as client:
        yield client, store, tokens


def _as(tokens: dict[str, str], who: str) -> dict[str, str]:
    return {"X-API-Key": tokens[who]}
