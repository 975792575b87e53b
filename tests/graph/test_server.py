"""Tests of graph/server.py: the project's own Neo4j server.

The unit tests need neither Java nor Maven (a fake ``mvn`` stands in where one is needed). The one
test marked ``neo4j_server`` assembles, starts and stops a real Neo4j Community server in a
temporary home (about 15-30 s on a warm Maven cache).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import stat
import subprocess
import sys
import xml.etree.ElementTree as ET
from importlib import resources
from pathlib import Path

import pytest

from graph import server
from graph.errors import ServerError

PASSWORD = "test-password-1"


def _parse_conf(path: Path) -> list[tuple[str, str]]:
    pairs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            key, _, value = line.partition("=")
            pairs.append((key, value))
    return pairs


# --------------------------------------------------------------------------------------------------
# Configuration
# --------------------------------------------------------------------------------------------------


def test_settings_keep_the_server_on_loopback_with_bolt_only(tmp_path: Path) -> None:
    settings = dict(server.neo4j_settings(tmp_path, 7999, auth=False))
    assert settings["server.default_listen_address"] == "127.0.0.1"
    assert settings["server.bolt.listen_address"] == "127.0.0.1:7999"
    assert settings["server.bolt.enabled"] == "true"
    assert settings["server.http.enabled"] == "false"
    assert settings["server.https.enabled"] == "false"
    assert settings["dbms.usage_report.enabled"] == "false"
    assert settings["dbms.security.auth_enabled"] == "false"
    assert settings["db.tx_log.rotation.retention_policy"] == "1 files"


def test_settings_put_every_directory_under_home(tmp_path: Path) -> None:
    settings = dict(server.neo4j_settings(tmp_path, 7999, auth=True))
    directories = {key: value for key, value in settings.items() if key.startswith("server.directories.")}
    assert set(directories) == {
        "server.directories.data",
        "server.directories.logs",
        "server.directories.plugins",
        "server.directories.import",
        "server.directories.run",
    }
    for value in directories.values():
        assert Path(value).is_absolute()
        assert Path(value).parent == tmp_path
    assert settings["dbms.security.auth_enabled"] == "true"


def test_settings_set_memory_explicitly(tmp_path: Path) -> None:
    settings = dict(server.neo4j_settings(tmp_path, 7999, auth=False, heap="512m", pagecache="64m"))
    assert settings["server.memory.heap.initial_size"] == "512m"
    assert settings["server.memory.heap.max_size"] == "512m"
    assert settings["server.memory.pagecache.size"] == "64m"


@pytest.mark.parametrize("size", ["", "1 g", "-1g", "0", "lots", "1gb", "1g\nserver.x=1"])
def test_settings_refuse_a_malformed_size(tmp_path: Path, size: str) -> None:
    with pytest.raises(ServerError, match="size"):
        server.neo4j_settings(tmp_path, 7999, auth=False, heap=size)
    with pytest.raises(ServerError, match="size"):
        server.neo4j_settings(tmp_path, 7999, auth=False, pagecache=size)


def test_settings_pass_the_jvm_flags_neo4j_needs(tmp_path: Path) -> None:
    flags = [
        value for key, value in server.neo4j_settings(tmp_path, 7999, auth=False) if key == "server.jvm.additional"
    ]
    assert "--add-opens=java.base/java.nio=ALL-UNNAMED" in flags
    assert "--add-opens=java.base/java.io=ALL-UNNAMED" in flags
    assert "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED" in flags
    assert len(flags) == len(set(flags))


def test_internal_shutdown_setting_only_for_5x(tmp_path: Path) -> None:
    key = "internal.dbms.bolt.netty_server_shutdown_quiet_period"
    assert key in dict(server.neo4j_settings(tmp_path, 7999, auth=False, version="5.26.16"))
    assert key not in dict(server.neo4j_settings(tmp_path, 7999, auth=False, version="2025.10.1"))


def test_write_config_round_trips_and_overwrites(tmp_path: Path) -> None:
    conf = server.write_config(tmp_path, 7001, auth=True, heap="2g")
    assert conf == tmp_path / "conf" / "neo4j.conf"
    assert _parse_conf(conf) == server.neo4j_settings(tmp_path, 7001, auth=True, heap="2g")
    server.write_config(tmp_path, 7002, auth=False)
    again = dict(_parse_conf(conf))
    assert again["server.bolt.listen_address"] == "127.0.0.1:7002"
    assert again["dbms.security.auth_enabled"] == "false"
    assert not list(conf.parent.glob("*.tmp"))


def test_render_config_refuses_line_breaks() -> None:
    with pytest.raises(ServerError):
        server.render_config([("server.bolt.listen_address", "127.0.0.1:1\ndbms.security.auth_enabled=false")])


# --------------------------------------------------------------------------------------------------
# Ports, home, records
# --------------------------------------------------------------------------------------------------


def test_free_port_can_be_bound_on_loopback() -> None:
    port = server.free_port()
    assert 1024 <= port <= 65535
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", port))


def test_free_ports_differ_while_one_is_held() -> None:
    held = server.free_port()
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", held))
        probe.listen()
        assert server.free_port() != held


def test_start_refuses_a_port_in_use(tmp_path: Path) -> None:
    lib = tmp_path / f"lib-{server.DEFAULT_VERSION}"
    lib.mkdir()
    (lib / server.MARKER).write_text("{}")
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        with pytest.raises(ServerError, match="in use"):
            server.start(tmp_path, port=taken.getsockname()[1])


def test_default_home_follows_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(server.HOME_ENV, str(tmp_path / "elsewhere"))
    assert server.default_home() == tmp_path / "elsewhere"
    monkeypatch.delenv(server.HOME_ENV)
    monkeypatch.chdir(tmp_path)
    assert server.default_home() == tmp_path / ".alliances" / "neo4j"


def _write_record(home: Path, pid: int) -> Path:
    record = home / "run" / "server.json"
    record.parent.mkdir(parents=True, exist_ok=True)
    record.write_text(json.dumps({"pid": pid, "port": 7999, "version": "5.26.16", "auth": False}))
    return record


def test_nothing_running_without_a_record(tmp_path: Path) -> None:
    assert server.status(tmp_path) is None
    assert server.stop(tmp_path) is False


def test_a_dead_pid_is_a_stale_record(tmp_path: Path) -> None:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    record = _write_record(tmp_path, child.pid)
    assert server.status(tmp_path) is None
    assert not record.exists()
    _write_record(tmp_path, child.pid)
    assert server.stop(tmp_path) is False
    assert not record.exists()


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="the pid-reuse guard reads /proc")
def test_a_reused_pid_is_not_taken_for_neo4j(tmp_path: Path) -> None:
    record = _write_record(tmp_path, os.getpid())  # alive, but not a Neo4j of this home
    assert server.status(tmp_path) is None
    assert not record.exists()


def test_a_garbled_record_is_removed(tmp_path: Path) -> None:
    record = tmp_path / "run" / "server.json"
    record.parent.mkdir(parents=True)
    record.write_text("{not json")
    assert server.status(tmp_path) is None
    assert not record.exists()


# --------------------------------------------------------------------------------------------------
# Assembly, with a fake mvn
# --------------------------------------------------------------------------------------------------


def test_the_pom_ships_as_package_data() -> None:
    text = resources.files("graph.neo4j_server").joinpath("pom.xml").read_text(encoding="utf-8")
    ns = {"m": "http://maven.apache.org/POM/4.0.0"}
    project = ET.fromstring(text)
    assert project.findtext("m:packaging", namespaces=ns) == "pom"
    assert project.findtext("m:properties/m:neo4j.version", namespaces=ns) == server.DEFAULT_VERSION
    artifacts = {d.findtext("m:artifactId", namespaces=ns) for d in project.iterfind("m:dependencies/m:dependency", ns)}
    assert artifacts == {"neo4j", "neo4j-bolt"}


def _fake_mvn(bin_dir: Path, body: str) -> None:
    """Put an ``mvn`` on PATH that runs ``body`` (sh) with $OUT set from -DoutputDirectory."""
    bin_dir.mkdir(parents=True, exist_ok=True)
    script = bin_dir / "mvn"
    script.write_text(
        "#!/bin/sh\n"
        'for arg in "$@"; do case "$arg" in -DoutputDirectory=*) OUT="${arg#-DoutputDirectory=}";; esac; done\n'
        'echo "$@" >> "$(dirname "$0")/calls"\n' + body
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR)


def _calls(bin_dir: Path) -> list[str]:
    calls = bin_dir / "calls"
    return calls.read_text().splitlines() if calls.exists() else []


def test_assemble_names_what_to_install_without_maven(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda _name: None)
    with pytest.raises(ServerError, match="install Maven"):
        server.assemble(tmp_path)


def test_assemble_lays_jars_once_and_keeps_maven_out_of_the_source_tree(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bin_dir = tmp_path / "bin"
    _fake_mvn(bin_dir, 'mkdir -p "$OUT" && touch "$OUT/neo4j-9.9.9.jar" "$OUT/other-1.jar"\n')
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    home = tmp_path / "home"
    (home / ".lib-9.9.9.partial").mkdir(parents=True)  # leftover of an interrupted run
    (home / ".lib-9.9.9.partial" / "junk.jar").touch()

    lib = server.assemble(home, "9.9.9")

    assert lib == home / "lib-9.9.9"
    assert sorted(p.name for p in lib.glob("*.jar")) == ["neo4j-9.9.9.jar", "other-1.jar"]
    assert json.loads((lib / server.MARKER).read_text())["jars"] == 2
    assert not (home / ".lib-9.9.9.partial").exists()
    (call,) = _calls(bin_dir)
    assert f"-f {home / 'assembly' / 'pom.xml'}" in call
    assert "-Dneo4j.version=9.9.9" in call
    assert (home / "assembly" / "pom.xml").is_file()
    assert server.assemble(home, "9.9.9") == lib  # the marker answers; mvn is not run again
    assert len(_calls(bin_dir)) == 1


def test_assemble_reports_the_tail_of_a_failing_maven(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bin_dir = tmp_path / "bin"
    _fake_mvn(
        bin_dir,
        'mkdir -p "$OUT" && touch "$OUT/half.jar"\n'
        "i=0; while [ $i -lt 100 ]; do echo line $i; i=$((i+1)); done\n"
        "echo '[ERROR] Could not resolve org.neo4j:neo4j:jar:0.0.0' >&2; exit 1\n",
    )
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    home = tmp_path / "home"
    with pytest.raises(ServerError) as failure:
        server.assemble(home, "0.0.0")
    assert "Could not resolve org.neo4j:neo4j:jar:0.0.0" in str(failure.value)
    assert "line 99" in str(failure.value)
    assert "line 0\n" not in str(failure.value)  # only the tail
    assert not (home / "lib-0.0.0").exists()
    assert not (home / ".lib-0.0.0.partial").exists()
    with pytest.raises(ServerError):  # a failed run is redone, not remembered as done
        server.assemble(home, "0.0.0")
    assert len(_calls(bin_dir)) == 2


def test_assemble_refuses_a_strange_version(tmp_path: Path) -> None:
    with pytest.raises(ServerError, match="version"):
        server.assemble(tmp_path, "5.26; rm -rf /")


# --------------------------------------------------------------------------------------------------
# The real server
# --------------------------------------------------------------------------------------------------


def _pid_gone(pid: int) -> bool:
    """Whether ``pid`` has exited (a zombie nobody reaped yet counts as gone)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    stat_file = Path(f"/proc/{pid}/stat")
    return stat_file.is_file() and stat_file.read_text().rsplit(")", 1)[1].split()[0] == "Z"


@pytest.mark.neo4j_server
def test_a_real_server_starts_with_auth_answers_and_stops(tmp_path: Path) -> None:
    from neo4j import GraphDatabase
    from neo4j.exceptions import AuthError

    home = tmp_path / "neo4j"
    info = server.start(home, password=PASSWORD, heap="512m", pagecache="64m", timeout=120)
    try:
        assert info.uri == f"bolt://127.0.0.1:{info.port}"
        assert info.auth is True
        assert info.version == server.DEFAULT_VERSION
        jvm_pid = int((home / "run" / "neo4j.pid").read_text().strip())

        with GraphDatabase.driver(info.uri, auth=("neo4j", "not-the-password")) as wrong, pytest.raises(AuthError):
            wrong.verify_connectivity()
        with GraphDatabase.driver(info.uri, auth=("neo4j", PASSWORD)) as driver:
            records, _, _ = driver.execute_query("CALL dbms.components() YIELD name, versions, edition")
        (component,) = records
        assert component["name"] == "Neo4j Kernel"
        assert component["edition"] == "community"
        assert component["versions"][0].startswith("5.26.")

        assert server.status(home) == info
        assert server.start(home, password=PASSWORD) == info  # idempotent: nothing new launched …
        assert int((home / "run" / "neo4j.pid").read_text().strip()) == jvm_pid  # … the same JVM runs
    finally:
        stopped = server.stop(home)
    assert stopped is True
    assert _pid_gone(info.pid)
    assert _pid_gone(jvm_pid)
    assert server.status(home) is None
    assert server.stop(home) is False
