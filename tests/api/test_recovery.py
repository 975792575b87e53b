"""Neo4j stops under a running app: requests answer 503 with Retry-After, and when the server is
back the same app answers again, without a restart. Uses its own server so that the shared test
database is not disturbed."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from graph import server
from graph.keys import create_key
from graph.model import Role
from graph.neo4j_store import Neo4jStore
from tests.graph.sample import records

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.neo4j
def test_503_while_neo4j_is_down_then_recovery(neo4j_setting: object) -> None:
    home = ROOT / ".alliances" / "neo4j-recovery-test"
    try:
        info = server.start(home)
    except Exception as exc:  # the message says what is missing
        pytest.fail(f"could not start a second Neo4j for the recovery test: {exc}")
    try:
        with Neo4jStore(info.uri) as store:
            store.clear()
            store.write(records())
            _, token = create_key(store, "市总工会", Role.MUNICIPAL)
        headers = {"X-API-Key": token}
        with TestClient(create_app(f"{info.uri}?auth=none")) as client:
            assert client.get("/studios/s1", headers=headers).status_code == 200
            server.stop(home)
            down = client.get("/studios/s1", headers=headers)
            assert down.status_code == 503, down.text
            assert down.headers["retry-after"] == "5"
            assert client.get("/health").status_code == 503
            server.start(home, port=info.port)
            back = client.get("/studios/s1", headers=headers)
            assert back.status_code == 200 and back.json()["name"] == "李斌劳模创新工作室"
            assert client.get("/health").json()["status"] == "ok"
    finally:
        server.stop(home)
