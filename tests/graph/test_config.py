"""The one store setting: --store / ALLIANCES_STORE."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.config import DEFAULT_STORE_PATH, parse_store_setting
from graph.errors import ConfigurationError, StoreUnavailable
from graph.file_store import FileStore


def test_nothing_set_means_the_embedded_store_under_dot_alliances() -> None:
    setting = parse_store_setting(None, env={})
    assert setting.kind == "file"
    assert setting.target == str(DEFAULT_STORE_PATH.absolute())


def test_the_environment_is_read_when_no_option_is_given(tmp_path: Path) -> None:
    setting = parse_store_setting(None, env={"ALLIANCES_STORE": str(tmp_path / "x.json")})
    assert (setting.kind, setting.target) == ("file", str(tmp_path / "x.json"))
    option_wins = parse_store_setting(str(tmp_path / "y.json"), env={"ALLIANCES_STORE": "bolt://h:1"})
    assert option_wins.target == str(tmp_path / "y.json")


def test_a_folder_means_the_store_file_inside_it(tmp_path: Path) -> None:
    assert parse_store_setting(str(tmp_path), env={}).target == str(tmp_path / "graph.json")
    assert isinstance(parse_store_setting(str(tmp_path), env={}).open(), FileStore)


def test_neo4j_uris_take_credentials_from_the_environment() -> None:
    setting = parse_store_setting("bolt://db.example:7687", env={"NEO4J_USER": "union", "NEO4J_PASSWORD": "s3cret"})
    assert (setting.kind, setting.target, setting.auth) == ("neo4j", "bolt://db.example:7687", ("union", "s3cret"))
    default_user = parse_store_setting("neo4j+s://x.databases.neo4j.io", env={"NEO4J_PASSWORD": "p"})
    assert default_user.auth == ("neo4j", "p")
    assert parse_store_setting("bolt://h:1?auth=none", env={}).auth is None
    assert parse_store_setting("bolt://h:1", env={"NEO4J_AUTH": "none"}).auth is None
    db = parse_store_setting("neo4j://h:1?auth=none&database=studios", env={})
    assert (db.target, db.database) == ("neo4j://h:1", "studios")


def test_credentials_never_appear_in_the_target_or_in_errors() -> None:
    setting = parse_store_setting("bolt://u:pw@h:7687", env={})
    assert setting.target == "bolt://h:7687"
    assert setting.auth == ("u", "pw")
    assert "pw" not in setting.describe()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("http://localhost:7474", "unknown scheme 'http'"),
        ("bolt://", "no host"),
        ("bolt://h:notaport?auth=none", "bad port"),
        ("bolt://h:7687", "no Neo4j password"),
    ],
)
def test_wrong_settings_are_one_clear_error(value: str, message: str) -> None:
    with pytest.raises(ConfigurationError, match=message):
        parse_store_setting(value, env={})


def test_an_unreachable_server_is_store_unavailable_not_a_traceback() -> None:
    with pytest.raises(StoreUnavailable, match=r"not reachable .*Connection refused"):
        parse_store_setting("bolt://127.0.0.1:1?auth=none", env={}).open()
