"""Shared fixtures: one ``store`` fixture runs every contract test on both stores.

The Neo4j half needs a real server. ``ALLIANCES_TEST_NEO4J`` names one (a ``bolt://`` URI; its
credentials from ``NEO4J_USER``/``NEO4J_PASSWORD``, or ``NEO4J_AUTH=none``), as ``.ci/run`` does;
without it the suite starts the project's own server in ``.alliances/neo4j-test`` (assembling it
from Maven Central the first time) and stops it at the end. It is never skipped silently: if no
server can be had the Neo4j tests fail, unless ``ALLIANCES_SKIP_NEO4J=1`` asks to leave them out
(refused when ``CI=true``).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.config import parse_store_setting
from graph.file_store import FileStore
from graph.neo4j_store import Neo4jStore
from graph.store import BaseStore

ROOT = Path(__file__).resolve().parents[1]


def _truthy(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes"}


@pytest.fixture(scope="session")
def neo4j_setting() -> Iterator[tuple[str, tuple[str, str] | None]]:
    """(uri, auth) of a live Neo4j server for the whole session."""
    uri = os.environ.get("ALLIANCES_TEST_NEO4J", "").strip()
    if uri:
        setting = parse_store_setting(uri)
        yield setting.target, setting.auth
        return
    if _truthy("ALLIANCES_SKIP_NEO4J"):
        if _truthy("CI"):
            pytest.fail("ALLIANCES_SKIP_NEO4J is refused when CI=true: the Neo4j tests are mandatory")
        pytest.skip("ALLIANCES_SKIP_NEO4J=1: Neo4j tests left out on request")
    if _truthy("CI"):
        pytest.fail("CI=true but ALLIANCES_TEST_NEO4J is not set: .ci/run must start Neo4j first")
    from graph import server

    home = ROOT / ".alliances" / "neo4j-test"
    try:
        info = server.start(home)
    except Exception as exc:  # the message says what is missing (mvn, java, a port …)
        pytest.fail(f"could not start the project's Neo4j server for the tests: {exc}")
    try:
        yield info.uri, None
    finally:
        server.stop(home)


@pytest.fixture
def neo4j_store(neo4j_setting: tuple[str, tuple[str, str] | None]) -> Iterator[Neo4jStore]:
    uri, auth = neo4j_setting
    store = Neo4jStore(uri, auth)
    store.clear()
    store.stats.transactions = store.stats.queries = 0
    try:
        yield store
    finally:
        store.close()


@pytest.fixture
def file_store(tmp_path: Path) -> FileStore:
    return FileStore(tmp_path / "graph.json")


@pytest.fixture(params=["file", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def store(request: pytest.FixtureRequest) -> BaseStore:
    """Each contract test runs once per store."""
    if request.param == "file":
        return request.getfixturevalue("file_store")  # type: ignore[no-any-return]
    return request.getfixturevalue("neo4j_store")  # type: ignore[no-any-return]


@pytest.fixture
def reopen(request: pytest.FixtureRequest, tmp_path: Path) -> object:
    """A function that opens a second, independent handle on the same store."""

    def _reopen(store: BaseStore) -> BaseStore:
        if isinstance(store, FileStore):
            return FileStore(store.path)
        assert isinstance(store, Neo4jStore)
        uri, auth = request.getfixturevalue("neo4j_setting")
        return Neo4jStore(uri, auth)

    return _reopen
