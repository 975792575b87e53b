"""Backup and move (services.backup and ``alliances export|import``): the illustrative Shanghai roster
goes from the file store to Neo4j and back, and from Neo4j to the file store and back, and every
export holds the same records in the same order, audit entries aside; keys exported without their
secrets come in locked; only the municipal union may export or import; the commands end to end."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import orjson
import pytest
from typer.testing import CliRunner

from api.cli import app
from graph import keys as graph_keys
from graph.errors import Conflict, DamagedExport, Forbidden
from graph.file_store import FileStore
from graph.model import Alliance, ApiKey, AuditEntry, Role, Union, UnionKind
from graph.neo4j_store import Neo4jStore
from graph.store import BaseStore
from ingest.pipeline import ingest
from services import keys
from services.backup import export_store, import_store
from services.policy import Actor
from services.studios import delist_studio

ROOT = Path(__file__).resolve().parents[2]
ROSTER = ROOT / "samples" / "shanghai-roster-illustrative.xlsx"
OPERATOR = Actor.operator("运营·王五")
runner = CliRunner()


def _fill(store: BaseStore) -> str:
    """The sample roster, a union key (its token returned) and a delisted alliance member (so that
    alliance events and former members are in the store too)."""
    assert ingest([ROSTER], store).ok
    union = next(u for u in store.list(Union) if u.kind is UnionKind.DISTRICT)
    _, token = keys.create_key(store, OPERATOR, f"{union.name}·信息员", Role.UNION, union_id=union.id)
    alliance = next(a for a in store.list(Alliance) if a.is_live and len(a.member_ids) >= 3)
    delist_studio(store, OPERATOR, alliance.member_ids[0], "领衔人调离")
    return token


@pytest.fixture(scope="module")
def roster_file(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    path = tmp_path_factory.mktemp("roster") / "graph.json"
    return path, _fill(FileStore(path))


@pytest.fixture
def roster(roster_file: tuple[Path, str], tmp_path: Path) -> tuple[FileStore, str]:
    """A fresh copy of the filled file store, and its key's token."""
    path = tmp_path / "source" / "graph.json"
    path.parent.mkdir()
    shutil.copy(roster_file[0], path)
    return FileStore(path), roster_file[1]


def _lines(path: Path) -> list[bytes]:
    return path.read_bytes().splitlines(keepends=True)


def _body(path: Path, *leave_out: str) -> list[bytes]:
    """The record lines, audit entries (and ``leave_out`` kinds) aside, byte for byte."""
    out = ("AuditEntry", *leave_out)
    return [line for line in _lines(path)[1:-1] if orjson.loads(line)["kind"] not in out]


def _audit_ids(path: Path) -> set[str]:
    return {orjson.loads(line)["record"]["id"] for line in _lines(path)[1:-1] if b'"kind":"AuditEntry"' in line}


def _counts(path: Path) -> dict[str, int]:
    counts = orjson.loads(_lines(path)[0])["counts"]
    return {**counts["nodes"], **counts["links"]}


# -- round trips across the two stores ----------------------------------------------------------
@pytest.mark.neo4j
@pytest.mark.parametrize("with_secrets", [True, False], ids=["with-secrets", "without-secrets"])
def test_file_to_neo4j_to_file_keeps_every_record_in_order(
    roster: tuple[FileStore, str], neo4j_store: Neo4jStore, tmp_path: Path, with_secrets: bool
) -> None:
    source, token = roster
    first, second = tmp_path / "from-file.jsonl", tmp_path / "from-neo4j.jsonl"
    export_store(source, OPERATOR, first, with_secrets=with_secrets)
    imported = import_store(neo4j_store, OPERATOR, first)
    assert neo4j_store.stats.transactions == 1, "records and the import's audit entry in one transaction"
    export_store(neo4j_store, OPERATOR, second, with_secrets=with_secrets)
    assert len(_body(first)) > 4_000
    if with_secrets:
        assert _body(second) == _body(first)
        assert graph_keys.verify(neo4j_store, token) is not None
    else:
        assert _body(second, "ApiKey") == _body(first, "ApiKey")
        assert graph_keys.verify(neo4j_store, token) is None
        assert all(k.revoked_at is not None for k in neo4j_store.list(ApiKey))
    assert _audit_ids(second) == _audit_ids(first) | {imported.audit.id}
    assert _counts(second) == {**_counts(first), "AuditEntry": _counts(first)["AuditEntry"] + 1}


@pytest.mark.neo4j
def test_neo4j_to_file_to_neo4j_keeps_every_record_in_order(neo4j_store: Neo4jStore, tmp_path: Path) -> None:
    token = _fill(neo4j_store)
    target = FileStore(tmp_path / "moved" / "graph.json")
    exports = [tmp_path / f"export-{n}.jsonl" for n in (1, 2, 3)]
    export_store(neo4j_store, OPERATOR, exports[0], with_secrets=True)
    import_store(target, OPERATOR, exports[0])
    assert target.stats.transactions == 1
    export_store(target, OPERATOR, exports[1], with_secrets=True)
    neo4j_store.clear()
    import_store(neo4j_store, OPERATOR, exports[1])
    export_store(neo4j_store, OPERATOR, exports[2], with_secrets=True)
    assert _body(exports[0]) == _body(exports[1]) == _body(exports[2])
    assert orjson.loads(_lines(exports[0])[0])["store"]["kind"] == "neo4j"
    assert orjson.loads(_lines(exports[1])[0])["store"]["kind"] == "file"
    assert graph_keys.verify(target, token) is not None and graph_keys.verify(neo4j_store, token) is not None


def test_keys_exported_without_secrets_come_in_revoked_and_their_tokens_fail(
    roster: tuple[FileStore, str], tmp_path: Path
) -> None:
    source, token = roster
    path = tmp_path / "backup.jsonl"
    export_store(source, OPERATOR, path)
    target = FileStore(tmp_path / "target.json")
    summary = import_store(target, OPERATOR, path)
    assert summary.locked == {"ApiKey": 1}
    assert graph_keys.verify(source, token) is not None and graph_keys.verify(target, token) is None
    (key,) = target.list(ApiKey)
    assert key.revoked_at == summary.audit.at and key.digest != source.list(ApiKey)[0].digest
    again = tmp_path / "again.jsonl"
    export_store(target, OPERATOR, again)
    assert _body(again, "ApiKey") == _body(path, "ApiKey")


# -- audit and policy ------------------------------------------------------------------------------
def test_export_and_import_are_audited_with_their_actor(roster: tuple[FileStore, str], tmp_path: Path) -> None:
    source, _ = roster
    path = tmp_path / "nightly.jsonl"
    exported = export_store(source, OPERATOR, path)
    entry = next(e for e in source.list(AuditEntry) if e.action == "store.export")
    assert entry == exported.audit and entry.actor == "运营·王五" and entry.subject_key == "nightly.jsonl"
    assert f"{exported.records:,} records" in entry.note and exported.sha256[:16] in entry.note
    target = FileStore(tmp_path / "target.json")
    imported = import_store(target, Actor.operator("运营·李四"), path)
    assert target.stats.transactions == 1, "the audit entry is committed with the records"
    stored = next(e for e in target.list(AuditEntry) if e.action == "store.import")
    assert stored == imported.audit and stored.actor == "运营·李四" and "exported" in stored.note


def test_only_the_municipal_union_may_export_or_import(roster: tuple[FileStore, str], tmp_path: Path) -> None:
    source, _ = roster
    union = Actor("浦东新区总工会·信息员", Role.UNION, union_id="u-pd")
    before = source.counts()
    with pytest.raises(Forbidden):
        export_store(source, union, tmp_path / "mine.jsonl")
    assert not (tmp_path / "mine.jsonl").exists() and source.counts() == before
    path = tmp_path / "backup.jsonl"
    export_store(source, OPERATOR, path)
    target = FileStore(tmp_path / "target.json")
    with pytest.raises(Forbidden):
        import_store(target, union, path)
    assert sum(target.counts().values()) == 0


def test_a_damaged_file_leaves_the_target_empty_and_a_full_one_is_refused(
    roster: tuple[FileStore, str], tmp_path: Path
) -> None:
    source, _ = roster
    path = tmp_path / "backup.jsonl"
    export_store(source, OPERATOR, path)
    lines = _lines(path)
    path.write_bytes(b"".join(lines[:2000]))
    target = FileStore(tmp_path / "target.json")
    with pytest.raises(DamagedExport) as caught:
        import_store(target, OPERATOR, path)
    assert caught.value.problems[0].row == 2001 and sum(target.counts().values()) == 0
    assert not target.path.exists()
    path.write_bytes(b"".join(lines))
    with pytest.raises(Conflict):
        import_store(source, OPERATOR, path)


# -- the commands ----------------------------------------------------------------------------------
def test_the_commands_export_and_import_end_to_end(roster: tuple[FileStore, str], tmp_path: Path) -> None:
    source, _ = roster
    path = tmp_path / "backup.jsonl"
    proc = subprocess.run(
        [sys.executable, "-m", "api.cli", "--store", str(source.path), "export", str(path), "--by", "运营·王五"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr
    assert "records written to" in proc.stdout and "secrets left out" in proc.stdout
    target = tmp_path / "target.json"
    result = runner.invoke(app, ["--store", str(target), "import", str(path), "--by", "运营·李四", "--json"])
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    assert answer["records"] == orjson.loads(_lines(path)[0])["records"] and answer["locked"] == {"ApiKey": 1}
    assert answer["audit"]["action"] == "store.import" and answer["audit"]["actor"] == "运营·李四"
    shown = runner.invoke(app, ["--store", str(target), "import", str(path)])
    assert shown.exit_code == Conflict.exit_code and "not empty" in shown.output
    again = runner.invoke(app, ["--store", str(target), "export", str(tmp_path / "again.jsonl"), "--with-secrets"])
    assert again.exit_code == 0 and "secrets included" in again.output
    assert _body(tmp_path / "again.jsonl", "ApiKey") == _body(path, "ApiKey")


def test_the_import_command_names_the_line_of_a_cut_file_and_exits_6(
    roster: tuple[FileStore, str], tmp_path: Path
) -> None:
    source, _ = roster
    path = tmp_path / "backup.jsonl"
    assert runner.invoke(app, ["--store", str(source.path), "export", str(path)]).exit_code == 0
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    cut_at = path.read_bytes().count(b"\n") + 1
    target = tmp_path / "target.json"
    result = runner.invoke(app, ["--store", str(target), "import", str(path)])
    assert result.exit_code == DamagedExport.exit_code == 6
    assert f"row {cut_at}: the line is cut short" in result.output and "文件在行中被截断" in result.output
    assert not target.exists()


@pytest.mark.neo4j
def test_moving_to_neo4j_as_the_readme_says(
    roster: tuple[FileStore, str], neo4j_setting: tuple[str, tuple[str, str] | None], tmp_path: Path
) -> None:
    source, _ = roster
    uri, auth = neo4j_setting
    path = tmp_path / "move.jsonl"
    assert runner.invoke(app, ["export", str(path)], env={"ALLIANCES_STORE": str(source.path)}).exit_code == 0
    credentials = {"NEO4J_AUTH": "none"} if auth is None else {"NEO4J_USER": auth[0], "NEO4J_PASSWORD": auth[1]}
    env = {"ALLIANCES_STORE": uri, **credentials}
    with Neo4jStore(uri, auth) as neo:
        neo.clear()
        result = runner.invoke(app, ["import", str(path), "--json"], env=env)
        assert result.exit_code == 0, result.output
        counts = neo.counts()
    assert counts["Studio"] == _counts(path)["Studio"] == 320
    assert counts["AuditEntry"] == _counts(path)["AuditEntry"] + 1
