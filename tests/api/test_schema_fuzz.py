"""schemathesis against the OpenAPI schema: whatever the generated requests, no 5xx (the store is
the sample graph in the embedded store; the key is the municipal union's, so every route runs)."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from api.app import create_app
from graph.file_store import FileStore
from graph.keys import create_key
from graph.model import Role
from tests.graph.sample import records

# Only the OpenAPI document is read at import, to parametrize one test per operation: FastAPI builds
# it from the routes (no store is opened, no request is served). The store, the key and the app that
# answers the requests are made by the fixture below.
schema = schemathesis.openapi.from_dict(create_app(None).openapi())


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> tuple[FastAPI, str]:
    """An app on a store file holding the sample graph, and a municipal key to it."""
    path = tmp_path_factory.mktemp("alliances-fuzz") / "graph.json"
    store = FileStore(path)
    store.write(records())
    _, token = create_key(store, "市总工会·测试", Role.MUNICIPAL)
    return create_app(str(path), cache_seconds=0), token


@schema.parametrize()
@settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_errors(case: Any, served: tuple[FastAPI, str]) -> None:
    app, token = served
    case.call_and_validate(app=app, headers={"X-API-Key": token}, checks=[not_a_server_error])
