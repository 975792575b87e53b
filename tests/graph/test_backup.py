"""The export format (graph.backup): what a file holds and in which order, and every way a damaged
file is refused — each at its line, in English and Chinese, the target store left empty, on both
stores."""

from __future__ import annotations

import hashlib
import importlib.metadata
from pathlib import Path

import orjson
import pytest

from graph import backup, keys
from graph.backup import FORMAT, KIND_ORDER, check_of, export_store, import_export, read_export
from graph.errors import Conflict, DamagedExport
from graph.file_store import FileStore
from graph.model import KIND_BY_LABEL, LINK_KINDS, NODE_KINDS, ApiKey, AuditEntry, Role, Studio
from graph.schema import SPECS
from graph.store import BaseStore

from .sample import records

AT = "2026-12-01T02:00:00Z"


@pytest.fixture
def source(tmp_path: Path) -> tuple[FileStore, str]:
    """The sample graph (every kind) with one live key, and that key's token."""
    store = FileStore(tmp_path / "source" / "graph.json")
    store.write(records())
    _, token = keys.create_key(store, "市总工会·备份", Role.MUNICIPAL, actor="test")
    return store, token


@pytest.fixture
def exported(source: tuple[FileStore, str], tmp_path: Path) -> Path:
    path = tmp_path / "backup.jsonl"
    export_store(source[0], path, actor="运营·王五", at=AT)
    return path


def _lines(path: Path) -> list[bytes]:
    return path.read_bytes().splitlines(keepends=True)


def _items(path: Path) -> list[dict]:
    return [orjson.loads(line) for line in _lines(path)]


def _reseal(lines: list[bytes]) -> list[bytes]:
    """Lines with every check and the end line's digest made right again (a deliberate forgery)."""
    header = orjson.loads(lines[0])
    header.pop("check")
    header["check"] = check_of(header)
    out = [orjson.dumps(header) + b"\n"]
    for raw in lines[1:-1]:
        item = orjson.loads(raw)
        item["check"] = check_of([item["kind"], item["record"]])
        out.append(orjson.dumps(item) + b"\n")
    digest = hashlib.sha256(b"".join(out)).hexdigest()
    return [*out, orjson.dumps({"end": FORMAT, "records": header["records"], "sha256": digest}) + b"\n"]


def _line_of(path: Path, kind: str, key: str | None = None) -> int:
    """The 1-based line number of the first record of ``kind`` (with ``key``)."""
    for number, item in enumerate(_items(path), start=1):
        if item.get("kind") == kind and (key is None or item["record"].get(SPECS[kind].key) == key):
            return number
    raise AssertionError(f"no {kind} {key} line")


def _node_total(store: BaseStore) -> int:
    return sum(n for label, n in store.counts().items() if label in SPECS)


def _refused(store: BaseStore, path: Path) -> DamagedExport:
    with pytest.raises(DamagedExport) as caught:
        import_export(store, path, actor="运营·王五")
    assert sum(store.counts().values()) == 0, "the target store must be left untouched"
    for problem in caught.value.problems:
        assert problem.file == str(path) and problem.row is not None
        assert any("\u4e00" <= ch <= "\u9fff" for ch in problem.message_zh), problem
    return caught.value


# -- the format -----------------------------------------------------------------------------------
def test_the_header_names_format_versions_store_secrets_and_counts(source: tuple[FileStore, str], exported: Path):
    store, _ = source
    header = _items(exported)[0]
    assert header["format"] == "studio-alliances-export" and header["format_version"] == 1
    assert header["product_version"] == importlib.metadata.version("studio-alliances")
    assert header["exported_at"] == "2026-12-01T02:00:00.000000Z"
    assert header["store"] == {"kind": "file", "location": store.location}
    assert header["secrets"] is False and "revoked" in header["locked_on_import"]
    declared = {k.label: sorted(k.secret_fields) for k in NODE_KINDS if k.secret_fields}
    assert header["secret_fields"] == declared and declared["ApiKey"] == ["digest"]
    counts = store.counts()
    # the export's own audit entry is written after the file, so the file holds one fewer
    assert header["counts"]["nodes"] == {k.label: counts[k.label] - (k is AuditEntry) for k in NODE_KINDS}
    assert header["counts"]["links"] == {k.label: counts[k.label] for k in LINK_KINDS}
    assert header["records"] == len(_lines(exported)) - 2 and header["lines"] == len(_lines(exported))
    assert header["check"] == check_of({k: v for k, v in header.items() if k != "check"})


def test_records_come_kind_by_kind_sorted_by_key_each_as_the_store_holds_it(
    source: tuple[FileStore, str], tmp_path: Path
) -> None:
    store, _ = source
    path = tmp_path / "with-secrets.jsonl"
    export_store(store, path, actor="test", with_secrets=True, at=AT)
    body = _items(path)[1:-1]
    assert [item["kind"] for item in body] == sorted((item["kind"] for item in body), key=KIND_ORDER.index)
    for kind in NODE_KINDS:
        rows = [item for item in body if item["kind"] == kind.label]
        assert [kind.model_validate(item["record"]) for item in rows] == [
            r for r in store.list(kind) if not (kind is AuditEntry and r.action == "store.export")
        ]
    for link_kind in LINK_KINDS:
        rows = [item for item in body if item["kind"] == link_kind.label]
        assert [link_kind.model_validate(item["record"]) for item in rows] == store.links(link_kind)
    assert all(item["check"] == check_of([item["kind"], item["record"]]) for item in body)


def test_the_end_line_holds_the_count_and_the_digest_of_every_line_above(exported: Path) -> None:
    lines = _lines(exported)
    end = orjson.loads(lines[-1])
    assert end == {"end": FORMAT, "records": len(lines) - 2, "sha256": hashlib.sha256(b"".join(lines[:-1])).hexdigest()}


def test_secrets_are_left_out_unless_asked(source: tuple[FileStore, str], exported: Path, tmp_path: Path) -> None:
    keys_out = [item["record"] for item in _items(exported) if item.get("kind") == "ApiKey"]
    assert keys_out and all("digest" not in k for k in keys_out)
    assert b"0" * 64 not in exported.read_bytes()  # the sample key's digest
    path = tmp_path / "with-secrets.jsonl"
    export_store(source[0], path, actor="test", with_secrets=True)
    header, *body = _items(path)
    assert header["secrets"] is True and header["locked_on_import"] is None
    assert all(len(item["record"]["digest"]) == 64 for item in body if item.get("kind") == "ApiKey")


def test_an_export_is_written_whole_and_audited(source: tuple[FileStore, str], exported: Path) -> None:
    entry = next(e for e in source[0].list(AuditEntry) if e.action == "store.export")
    assert (entry.actor, entry.subject_label, entry.subject_key) == ("运营·王五", "ExportFile", "backup.jsonl")
    assert entry.at == "2026-12-01T02:00:00.000000Z" and "secrets left out" in entry.note
    assert [p.name for p in exported.parent.iterdir() if p.name.startswith(".backup")] == []  # no temporary file


# -- import --------------------------------------------------------------------------------------
def _secret_kinds(store: BaseStore) -> dict[str, int]:
    """How many records of each kind with secrets the store holds."""
    return {k.label: n for k in NODE_KINDS if k.secret_fields and (n := len(store.list(k)))}


def test_an_import_holds_every_record_and_locks_those_whose_secrets_were_left_out(
    source: tuple[FileStore, str], exported: Path, store: BaseStore
) -> None:
    original, token = source
    summary = import_export(store, exported, actor="运营·李四", at="2026-12-02T08:00:00+08:00")
    assert summary.locked == _secret_kinds(original) and summary.locked["ApiKey"] == 2
    for kind in NODE_KINDS:
        if kind is not AuditEntry and not kind.secret_fields:
            assert store.list(kind) == original.list(kind), kind.label
    for link_kind in LINK_KINDS:
        assert store.links(link_kind) == original.links(link_kind)
    for kind in (k for k in NODE_KINDS if k.secret_fields):
        before = {r.key: r for r in original.list(kind)}
        for record in store.list(kind):
            # every secret replaced by a fresh random value nobody holds; nothing else changed but a
            # key's revocation
            hidden = dict.fromkeys(kind.secret_fields, "") | ({"revoked_at": None} if kind is ApiKey else {})
            for name in kind.secret_fields:
                fresh = getattr(record, name)
                assert fresh != getattr(before[record.key], name) and len(fresh) == 64, (kind.label, name)
            assert record.model_copy(update=hidden) == before[record.key].model_copy(update=hidden)
    for key in store.list(ApiKey):
        assert key.revoked_at == "2026-12-02T00:00:00.000000Z"
    assert keys.verify(original, token) is not None and keys.verify(store, token) is None
    audit = [e for e in store.list(AuditEntry) if e.action == "store.import"]
    assert len(audit) == 1 and audit[0].actor == "运营·李四" and "ApiKey" in audit[0].note


def test_with_secrets_the_same_token_works_in_the_new_store(
    source: tuple[FileStore, str], tmp_path: Path, store: BaseStore
) -> None:
    original, token = source
    path = tmp_path / "with-secrets.jsonl"
    export_store(original, path, actor="test", with_secrets=True)
    summary = import_export(store, path, actor="test")
    assert summary.locked == {}
    assert store.list(ApiKey) == original.list(ApiKey)
    assert keys.verify(store, token) is not None


def test_a_non_empty_store_is_refused_and_left_as_it_was(exported: Path, store: BaseStore) -> None:
    store.write([Studio(id="x1", name="已有的工作室")])
    before = store.counts()
    with pytest.raises(Conflict, match="not empty") as caught:
        import_export(store, exported, actor="test")
    assert "空的存储" in str(caught.value)
    assert store.counts() == before


# -- refusals: each names its line, the target stays empty ------------------------------------------
def test_a_file_cut_mid_line_is_refused_at_that_line(exported: Path, store: BaseStore) -> None:
    lines = _lines(exported)
    number = _line_of(exported, "Studio", "s2")
    exported.write_bytes(b"".join(lines[: number - 1]) + lines[number - 1][:40])
    refused = _refused(store, exported)
    assert refused.problems[0].row == number
    assert "cut mid-line" in refused.problems[0].message and "截断" in refused.problems[0].message_zh
    assert f"row {number}" in str(refused)


def test_a_file_cut_between_lines_is_refused_where_its_header_counts_say_lines_are_missing(
    exported: Path, store: BaseStore
) -> None:
    number = _line_of(exported, "Studio", "s3")
    exported.write_bytes(b"".join(_lines(exported)[: number - 1]))
    refused = _refused(store, exported)
    assert [p.row for p in refused.problems] == [number]
    assert "without its end line: it was cut short" in refused.problems[0].message
    assert "Studio 2/4, Alliance 0/2" in refused.problems[0].message


def test_a_file_that_lost_only_its_end_line_is_refused(exported: Path, store: BaseStore) -> None:
    lines = _lines(exported)
    exported.write_bytes(b"".join(lines[:-1]))
    refused = _refused(store, exported)
    assert [p.row for p in refused.problems] == [len(lines)]
    assert "cut short" in refused.problems[0].message


def test_an_edited_line_is_refused_at_that_line(exported: Path, store: BaseStore) -> None:
    lines = _lines(exported)
    number = _line_of(exported, "Studio", "s1")
    lines[number - 1] = lines[number - 1].replace("李斌劳模创新工作室".encode(), "改名的工作室".encode())
    exported.write_bytes(b"".join(lines))
    refused = _refused(store, exported)
    assert [p.row for p in refused.problems] == [number]
    assert "changed after export" in refused.problems[0].message and "被修改" in refused.problems[0].message_zh


def test_an_edit_with_its_check_forged_is_caught_by_the_end_line(exported: Path, store: BaseStore) -> None:
    lines = _lines(exported)
    number = _line_of(exported, "Studio", "s1")
    item = orjson.loads(lines[number - 1])
    item["record"]["name"] = "改名的工作室"
    item["check"] = check_of([item["kind"], item["record"]])
    lines[number - 1] = orjson.dumps(item) + b"\n"
    exported.write_bytes(b"".join(lines))
    refused = _refused(store, exported)
    assert [p.row for p in refused.problems] == [len(lines)]
    assert "SHA-256 does not match" in refused.problems[0].message


def test_an_unknown_kind_is_refused_at_its_line(exported: Path, store: BaseStore) -> None:
    lines = _lines(exported)
    number = _line_of(exported, "Studio")
    alien = {"kind": "Spaceship", "record": {"id": "x"}, "check": check_of(["Spaceship", {"id": "x"}])}
    lines.insert(number - 1, orjson.dumps(alien) + b"\n")
    exported.write_bytes(b"".join(_reseal(lines)))
    refused = _refused(store, exported)
    assert refused.problems[0].row == number and "unknown kind 'Spaceship'" in refused.problems[0].message


def test_a_line_taken_out_of_the_middle_is_refused_where_its_kind_ends(exported: Path, store: BaseStore) -> None:
    lines = _lines(exported)
    number = _line_of(exported, "Studio", "s2")
    first_after = _line_of(exported, "Alliance") - 1  # once the s2 line is gone
    del lines[number - 1]
    exported.write_bytes(b"".join(lines))
    refused = _refused(store, exported)
    assert refused.problems[0].row == first_after
    assert "Studio: 3 record(s) read where the header announces 4" in refused.problems[0].message


def test_lines_moved_out_of_key_order_are_refused(exported: Path, store: BaseStore) -> None:
    lines = _lines(exported)
    number = _line_of(exported, "Studio", "s1")
    lines[number - 1], lines[number] = lines[number], lines[number - 1]
    exported.write_bytes(b"".join(_reseal(lines)))
    refused = _refused(store, exported)
    assert refused.problems[0].row == number + 1 and "not in key order" in refused.problems[0].message


def test_a_record_its_model_refuses_is_named_with_the_reason(exported: Path, store: BaseStore) -> None:
    lines = _lines(exported)
    number = _line_of(exported, "Studio", "s1")
    item = orjson.loads(lines[number - 1])
    item["record"]["members"] = -3
    lines[number - 1] = orjson.dumps(item) + b"\n"
    exported.write_bytes(b"".join(_reseal(lines)))
    refused = _refused(store, exported)
    assert refused.problems[0].row == number
    assert "not a valid Studio record: members" in refused.problems[0].message


def test_a_reference_to_a_node_the_file_lacks_is_refused(exported: Path, store: BaseStore) -> None:
    lines = _lines(exported)
    number = _line_of(exported, "Studio", "s1")
    item = orjson.loads(lines[number - 1])
    item["record"]["employer_id"] = "e-nowhere"
    lines[number - 1] = orjson.dumps(item) + b"\n"
    exported.write_bytes(b"".join(_reseal(lines)))
    refused = _refused(store, exported)
    assert refused.problems[0].row == number and "unknown Employer 'e-nowhere'" in refused.problems[0].message


def test_a_live_alliance_holding_a_delisted_studio_is_refused(exported: Path, store: BaseStore) -> None:
    lines = _lines(exported)
    number = _line_of(exported, "Alliance", "a1")
    item = orjson.loads(lines[number - 1])
    item["record"]["member_ids"] = [*item["record"]["member_ids"], "s4"]
    lines[number - 1] = orjson.dumps(item) + b"\n"
    exported.write_bytes(b"".join(_reseal(lines)))
    refused = _refused(store, exported)
    assert refused.problems[0].row == number and "delisted" in refused.problems[0].message


def test_a_secret_in_a_file_that_says_it_has_none_is_refused(exported: Path, store: BaseStore) -> None:
    lines = _lines(exported)
    number = _line_of(exported, "ApiKey")
    item = orjson.loads(lines[number - 1])
    item["record"]["digest"] = "a" * 64
    lines[number - 1] = orjson.dumps(item) + b"\n"
    exported.write_bytes(b"".join(_reseal(lines)))
    refused = _refused(store, exported)
    assert refused.problems[0].row == number and "secret field(s) ['digest']" in refused.problems[0].message


def test_a_store_file_or_a_newer_format_is_refused_at_line_1(
    source: tuple[FileStore, str], exported: Path, store: BaseStore
) -> None:
    refused = _refused(store, source[0].path)
    assert refused.problems[0].row == 1 and "not a studio-alliances export" in refused.problems[0].message
    lines = _lines(exported)
    header = orjson.loads(lines[0])
    header["format_version"] = 2
    lines[0] = orjson.dumps(header) + b"\n"
    exported.write_bytes(b"".join(_reseal(lines)))
    refused = _refused(store, exported)
    assert refused.problems[0].row == 1 and "format version 2" in refused.problems[0].message


def test_reading_alone_validates_without_a_store(source: tuple[FileStore, str], exported: Path) -> None:
    contents = read_export(exported, at=AT)
    assert len(contents.records) == contents.header["records"]
    assert [r.label for r in contents.records][:1] == ["Industry"]
    assert all(isinstance(r, KIND_BY_LABEL[r.label]) for r in contents.records)
    assert contents.locked == _secret_kinds(source[0])
    assert backup.store_kind(FileStore(exported.with_suffix(".json"))) == "file"
