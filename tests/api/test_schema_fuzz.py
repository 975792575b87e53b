"""schemathesis against the OpenAPI schema: whatever the generated requests, no 5xx (the store is
the sample graph in the embedded store; the key is the municipal union's, so every route runs)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from api.app import create_app
from graph.file_store import FileStore
from graph.keys import create_key
from graph.model import Role
from tests.graph.sample import records

_home = Path(tempfile.mkdtemp(prefix="alliances-fuzz-"))
_store = FileStore(_home / "graph.json")
_store.write(records())
_, TOKEN = create_key(_store, "市总工会·测试", Role.MUNICIPAL)
app = create_app(str(_home / "graph.json"), cache_seconds=0)
schema = schemathesis.openapi.from_asgi("/openapi.json", app)


@schema.parametrize()
@settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_errors(case: Any) -> None:
    case.call_and_validate(headers={"X-API-Key": TOKEN}, checks=[not_a_server_error])
