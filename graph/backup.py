"""Backup and move: every record of a store in one versioned, store-neutral file, and back again.

An export is a UTF-8 file of JSON lines, one object a line:

1. the **header**::

       {"format": "studio-alliances-export", "format_version": 1, "product_version": "0.1.0",
        "exported_at": "2026-12-01T02:00:00.000000Z", "store": {"kind": "file", "location": "…"},
        "secrets": false, "secret_fields": {"ApiKey": ["digest"]}, "locked_on_import": "…",
        "counts": {"nodes": {"Industry": 1772, …}, "links": {"SUPPLIES": 120, …}},
        "records": 4876, "lines": 4878, "check": "…"}

2. one **record** a line, ``{"kind": "Studio", "record": {…}, "check": "…"}``: the nodes kind by kind
   in :data:`graph.model.NODE_KINDS` order (a kind only points at kinds before it, or at itself),
   each kind sorted by key, then the links in :data:`graph.model.LINK_KINDS` order, sorted by their
   identity. ``record`` is ``model_dump(mode="json")``: every field of the record (the relationships
   a node owns are its key fields), nothing about how either store keeps it;
3. the **end line**, ``{"end": "studio-alliances-export", "records": 4876, "sha256": "…"}``: the
   SHA-256 of every byte above it.

Every line but the end line carries ``check``, the first 16 hex digits of the SHA-256 of its content
(``[kind, record]``, or the header without ``check``) as canonical JSON (keys sorted, UTF-8). So an
import finds and names the line that fails: a line cut mid-way is not JSON or has no line end; an
edited line fails its check; a file cut cleanly between lines has no end line, and the header's
counts say which kind is short; a line taken out, added or moved breaks a kind's count, its key
order or the end line's digest.

**Secrets.** The fields a kind declares in ``secret_fields`` (an API key's ``digest``, an account's
password hash, the server's session secret) are left out unless asked (``with_secrets``), and the
header says so. A record imported without its secrets is *locked*: each secret field gets a fresh
random value nobody holds (64 hex digits), and an API key is revoked at the import time. No key,
password or session of the exported store works in the new one; an administrator makes new keys
and resets passwords. With ``with_secrets`` the file is as sensitive as the store itself.

**Import** loads a file into an *empty* store of either kind, all or nothing: every line is read
and validated first (JSON, known kind, the record valid for its model, kinds in order, keys
increasing, every reference to a node already read, no live alliance holding a delisted studio,
counts and digest as the header and end line say), then everything is written in one
:meth:`~graph.store.BaseStore.write`, with the import's own audit entry. The embedded store commits
that write as one file; Neo4j as one transaction up to ``max_transaction_rows`` rows (100,000) and in
several beyond, so a bigger import that fails part way is undone by clearing the store again (it was
empty).

Complexity: export and import are O(records) time; an export holds one kind's records at a time
(and writes them to a temporary file beside the target, then the header, the records and the end
line to the target, renamed into place); an import holds every record, as the one write needs.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.metadata
import os
import secrets
import tempfile
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import orjson
import pydantic

from .errors import AlliancesError, ConfigurationError, Conflict, DamagedExport, Problem, ValidationError
from .model import (
    KIND_BY_LABEL,
    LINK_KINDS,
    NODE_KINDS,
    Alliance,
    AuditEntry,
    Link,
    Node,
    Record,
    Studio,
    StudioStatus,
    Timestamp,
    now,
)
from .schema import LINK_SPECS, SPECS
from .store import BaseStore, GraphBatch

FORMAT = "studio-alliances-export"
FORMAT_VERSION = 1
CHECK_DIGITS = 16
KIND_ORDER: tuple[str, ...] = (*(k.label for k in NODE_KINDS), *(k.label for k in LINK_KINDS))
"""Every kind in the order an export lists them."""

LOCKED_ON_IMPORT = (
    "secrets left out: on import each secret field gets a fresh random value nobody holds and an API key "
    "is revoked, so no key, password or session of this store works in the new one"
)
REVOKED_ON_IMPORT: dict[str, str] = {"ApiKey": "revoked_at"}
"""Kinds that also record, in this field, that a record imported without its secrets has ended."""

_CHUNK = 1 << 20
_moment: pydantic.TypeAdapter[str] = pydantic.TypeAdapter(Timestamp)


def product_version() -> str:
    try:
        return importlib.metadata.version("studio-alliances")
    except importlib.metadata.PackageNotFoundError:  # pragma: no cover - run from a bare checkout
        return "unknown"


def secret_fields() -> dict[str, list[str]]:
    """Every kind with secrets, and its secret fields."""
    return {k.label: sorted(k.secret_fields) for k in NODE_KINDS if k.secret_fields}


def check_of(content: Any) -> str:
    """The ``check`` a line carries: the first 16 hex digits of SHA-256 of ``content`` as canonical
    JSON (``[kind, record]`` for a record line, the header without ``check`` for the header)."""
    return hashlib.sha256(orjson.dumps(content, option=orjson.OPT_SORT_KEYS)).hexdigest()[:CHECK_DIGITS]


def store_kind(store: BaseStore) -> str:
    return {"FileStore": "file", "Neo4jStore": "neo4j"}.get(type(store).__name__, type(store).__name__)


def _line(item: dict[str, Any]) -> bytes:
    return orjson.dumps(item) + b"\n"


def _secret_fields_of(kind: type[Record]) -> frozenset[str]:
    return kind.secret_fields if issubclass(kind, Node) else frozenset()


# -- what every store holds true, checked record by record in export order ------------------------
@dataclass
class _Consistency:
    """Kinds in export order, each kind's keys strictly increasing (so never twice), every reference
    to a node read before (a kind that points at itself: anywhere in that kind), and no live alliance
    holding a delisted studio (a store's write would take it out, so the import would differ)."""

    label: str | None = None
    position: int = -1
    last: Any = None
    counts: Counter[str] = field(default_factory=Counter)
    keys: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    pending: list[tuple[int, str, str, str]] = field(default_factory=list)
    """(line, owner key, field, key) of references into the kind being read, checked at its end."""
    delisted: set[str] = field(default_factory=set)

    def enter(self, label: str) -> list[tuple[str, str]]:
        """Start reading ``label`` (an entry of :data:`KIND_ORDER`, or ``"end"``); what is wrong."""
        position = KIND_ORDER.index(label) if label in KIND_ORDER else len(KIND_ORDER)
        if position <= self.position:
            return [
                (
                    f"{label} records after {self.label} records: the kinds are out of order",
                    f"{label} 记录出现在 {self.label} 记录之后：记录类型顺序不对",
                )
            ]
        self.label, self.position, self.last = label, position, None
        return []

    def close_kind(self) -> list[tuple[int, str, str]]:
        """References into the kind just read that it does not hold: (line, English, Chinese)."""
        label, found = self.label, []
        for line, owner, field_name, key in self.pending:
            if label is not None and key not in self.keys[label]:
                found.append(
                    (
                        line,
                        f"{label} {owner!r} refers to unknown {label} {key!r} ({field_name})",
                        f"{label} {owner!r} 引用了不存在的{label} {key!r}（{field_name}）",
                    )
                )
        self.pending = []
        return found

    def add(self, line: int, record: Record) -> tuple[str, str] | None:
        """Count ``record`` and keep its key (so that one bad line is one problem, not a cascade);
        what is wrong with it, if anything."""
        label = record.label
        order: Any = record.key if isinstance(record, Node) else record.identity if isinstance(record, Link) else None
        self.counts[label] += 1
        if isinstance(record, Node):
            self.keys[label].add(record.key)
        if isinstance(record, Studio) and record.status is StudioStatus.DELISTED:
            self.delisted.add(record.key)
        if self.last is not None and not order > self.last:
            what = "repeats" if order == self.last else "comes after"
            return (
                f"{label} {order!r} {what} {self.last!r}: records are not in key order (lines moved or repeated)",
                f"{label} {order!r} 的位置不对（行被移动或重复）",
            )
        self.last = order
        missing = self._missing(line, record)
        if missing:
            return missing
        if isinstance(record, Alliance) and record.is_live and set(record.member_ids) & self.delisted:
            held = sorted(set(record.member_ids) & self.delisted)
            return (
                f"live alliance {record.id!r} holds delisted studio(s) {held}, which no store keeps",
                f"存续联盟 {record.id!r} 含已摘牌的工作室 {held}",
            )
        return None

    def tolerate(self, label: str, data: dict[str, Any]) -> None:
        """Count a line that failed (its check, its model) and keep its key, so that what refers to
        it is not reported too."""
        self.counts[label] += 1
        key = data.get(SPECS[label].key) if label in SPECS else None
        if isinstance(key, str):
            self.keys[label].add(key)

    def _missing(self, line: int, record: Record) -> tuple[str, str] | None:
        if isinstance(record, Link):
            spec = LINK_SPECS[record.label]
            for target, key in ((spec.source, record.ends[0]), (spec.target, record.ends[1])):
                if key not in self.keys[target]:
                    return (
                        f"{record.label} {record.identity} refers to unknown {target} {key!r}",
                        f"{record.label} {record.identity} 引用了不存在的{target} {key!r}",
                    )
            return None
        assert isinstance(record, Node)
        for rel in SPECS[record.label].rels:
            value = getattr(record, rel.field)
            for key in value if rel.many else ([] if value is None else [value]):
                if rel.target == record.label:
                    self.pending.append((line, record.key, rel.field, key))
                elif key not in self.keys[rel.target]:
                    return (
                        f"{record.label} {record.key!r} refers to unknown {rel.target} {key!r} ({rel.field})",
                        f"{record.label} {record.key!r} 引用了不存在的{rel.target} {key!r}（{rel.field}）",
                    )
        return None


# -- export -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ExportSummary:
    """What an export wrote: the file, its header, its size and the end line's digest."""

    path: Path
    header: dict[str, Any]
    sha256: str
    size: int
    audit: AuditEntry | None = None

    @property
    def records(self) -> int:
        return int(self.header["records"])

    def to_json(self) -> dict[str, Any]:
        return {
            "file": str(self.path),
            "bytes": self.size,
            "sha256": self.sha256,
            "header": self.header,
            "audit": self.audit.model_dump(mode="json") if self.audit else None,
        }


def _records_of(store: BaseStore) -> Iterator[tuple[str, list[Record]]]:
    """Each kind's records, one kind at a time, in export order."""
    for kind in NODE_KINDS:
        yield kind.label, list(store.list(kind))
    for link_kind in LINK_KINDS:
        yield link_kind.label, list(store.links(link_kind))


def _write_body(store: BaseStore, fh: IO[bytes], with_secrets: bool) -> Counter[str]:
    """Write the record lines; the counts per kind. A torn read (a write landed between two kinds
    and left a reference the file cannot satisfy) is a :class:`Conflict`."""
    seen = _Consistency()
    problems: list[tuple[str, str]] = []
    for label, records in _records_of(store):
        problems += seen.enter(label)
        hidden = () if with_secrets else sorted(_secret_fields_of(KIND_BY_LABEL[label]))
        for record in records:
            found = seen.add(0, record)
            if found:
                problems.append(found)
            data = record.model_dump(mode="json")
            for name in hidden:
                data.pop(name, None)
            fh.write(_line({"kind": label, "record": data, "check": check_of([label, data])}))
        problems += [(en, zh) for _, en, zh in seen.close_kind()]
    if problems:
        en, zh = problems[0]
        raise Conflict(
            f"the store changed while it was exported ({en}); nothing was written: export again / "
            f"导出期间数据有变动（{zh}），未写出文件，请重新导出"
        )
    return seen.counts


def export_store(
    store: BaseStore, path: str | os.PathLike[str], *, actor: str, with_secrets: bool = False, at: str | None = None
) -> ExportSummary:
    """Write every record of ``store`` to ``path`` (see the module docs), then its audit entry
    (``store.export``, by ``actor``) to the store. The file appears whole or not at all: it is
    written beside ``path`` and renamed over it."""
    path = Path(path)
    at = _moment.validate_python(at or now())
    folder = path.absolute().parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder, prefix=f".{path.name}.", suffix=".body") as body:
            counts = _write_body(store, body, with_secrets)
            header = _header(store, counts, with_secrets, at)
            digest, size = _assemble(path, header, body)
    except OSError as exc:
        raise ConfigurationError(f"cannot write the export {path}: {exc.strerror or exc} / 无法写出导出文件") from exc
    note = f"{header['records']:,} records to {path} (sha256 {digest[:16]}…); " + (
        "secrets included / 含密钥" if with_secrets else "secrets left out / 不含密钥"
    )
    audit = AuditEntry.of(actor, "store.export", "ExportFile", path.name[:200], note, at=at)
    store.write([audit])
    return ExportSummary(path, header, digest, size, audit)


def _header(store: BaseStore, counts: Counter[str], with_secrets: bool, at: str) -> dict[str, Any]:
    total = sum(counts.values())
    header: dict[str, Any] = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "product_version": product_version(),
        "exported_at": at,
        "store": {"kind": store_kind(store), "location": store.location},
        "secrets": with_secrets,
        "secret_fields": secret_fields(),
        "locked_on_import": None if with_secrets else LOCKED_ON_IMPORT,
        "counts": {
            "nodes": {k.label: counts[k.label] for k in NODE_KINDS},
            "links": {k.label: counts[k.label] for k in LINK_KINDS},
        },
        "records": total,
        "lines": total + 2,
    }
    header["check"] = check_of(header)
    return header


def _assemble(path: Path, header: dict[str, Any], body: IO[bytes]) -> tuple[str, int]:
    """Header, record lines and end line into a temporary file beside ``path``, synced and renamed
    over it; the digest and the size."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    digest = hashlib.sha256()
    try:
        with open(tmp, "wb") as fh:
            head = _line(header)
            fh.write(head)
            digest.update(head)
            body.seek(0)
            while chunk := body.read(_CHUNK):
                fh.write(chunk)
                digest.update(chunk)
            fh.write(_line({"end": FORMAT, "records": header["records"], "sha256": digest.hexdigest()}))
            size = fh.tell()
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    with contextlib.suppress(OSError):
        fd = os.open(path.absolute().parent, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    return digest.hexdigest(), size


# -- import -------------------------------------------------------------------------------------
@dataclass
class ExportContents:
    """A validated export: its header, every record in file order, and per kind how many records
    were locked because their secrets were left out."""

    header: dict[str, Any]
    records: list[Record]
    locked: Counter[str]


@dataclass(frozen=True)
class ImportSummary:
    path: Path
    store: str
    header: dict[str, Any]
    kinds: dict[str, int]
    locked: dict[str, int]
    audit: AuditEntry

    @property
    def records(self) -> int:
        return sum(self.kinds.values())

    def to_json(self) -> dict[str, Any]:
        return {
            "file": str(self.path),
            "store": self.store,
            "records": self.records,
            "kinds": self.kinds,
            "locked": self.locked,
            "exported_at": self.header.get("exported_at"),
            "exported_from": self.header.get("store"),
            "product_version": self.header.get("product_version"),
            "secrets": self.header.get("secrets"),
            "audit": self.audit.model_dump(mode="json"),
        }


class _Reader:
    """Reads an export line by line and collects what is wrong, each problem at its line."""

    MAX_PROBLEMS = 100

    def __init__(self, path: Path, at: str) -> None:
        self.path, self.at = path, at
        self.name = str(path)
        self.problems: list[Problem] = []
        self.records: list[Record] = []
        self.locked: Counter[str] = Counter()
        self.seen = _Consistency()
        self.expected: dict[str, int] = {}
        self.header: dict[str, Any] = {}

    def problem(self, line: int, en: str, zh: str, value: Any = None) -> None:
        if len(self.problems) < self.MAX_PROBLEMS:
            self.problems.append(Problem(en, zh, file=self.name, row=line, value=value))

    def refuse(self, line: int, en: str, zh: str) -> DamagedExport:
        self.problem(line, en, zh)
        return DamagedExport(self.problems)

    # -- the header ---------------------------------------------------------------------------
    def read_header(self, raw: bytes) -> None:
        not_export = (
            "this is not a studio-alliances export (its first line is no export header)",
            "不是 studio-alliances 导出文件（第一行不是导出文件头）",
        )
        if not raw:
            raise self.refuse(1, "the file is empty: not a studio-alliances export", "文件为空，不是导出文件")
        if not raw.endswith(b"\n"):
            raise self.refuse(1, "the header line is cut short: the file was cut mid-line", "文件头不完整：文件被截断")
        try:
            header = orjson.loads(raw)
        except orjson.JSONDecodeError:
            raise self.refuse(1, *not_export) from None
        if not isinstance(header, dict) or header.get("format") != FORMAT:
            raise self.refuse(1, *not_export)
        version = header.get("format_version")
        if not isinstance(version, int) or version > FORMAT_VERSION:
            raise self.refuse(
                1,
                f"export format version {version!r}; this program reads up to {FORMAT_VERSION} "
                "(update studio-alliances)",
                f"导出格式版本 {version!r}，本程序只能读取 {FORMAT_VERSION} 及以下版本（请升级）",
            )
        if header.get("check") != check_of({k: v for k, v in header.items() if k != "check"}):
            raise self.refuse(
                1,
                "the header was changed after export (its check does not match)",
                "文件头在导出后被修改（校验值不符）",
            )
        counts = header.get("counts")
        nodes = counts.get("nodes") if isinstance(counts, dict) else None
        links = counts.get("links") if isinstance(counts, dict) else None
        if not isinstance(nodes, dict) or not isinstance(links, dict) or not isinstance(header.get("secrets"), bool):
            raise self.refuse(1, "the header lacks its counts or its secrets flag", "文件头缺少计数或密钥标记")
        expected = {**nodes, **links}
        unknown = sorted(set(expected) - set(KIND_ORDER))
        if unknown:
            raise self.refuse(
                1,
                f"the export holds kinds this program does not know: {unknown} (update studio-alliances)",
                f"导出文件含本程序不认识的记录类型：{unknown}（请升级）",
            )
        if not all(isinstance(n, int) and n >= 0 for n in expected.values()):
            raise self.refuse(1, "the header's counts are not whole numbers", "文件头的计数不是非负整数")
        self.header, self.expected = header, {k: int(v) for k, v in expected.items()}

    # -- record lines -------------------------------------------------------------------------
    def enter(self, line: int, label: str) -> None:
        """Move on to ``label`` (or ``"end"``): the kind before it and any kinds skipped must have
        as many records as the header says."""
        before = self.seen.label
        for ref_line, en, zh in self.seen.close_kind():
            self.problem(ref_line, en, zh)
        start = 0 if before is None else KIND_ORDER.index(before)
        stop = len(KIND_ORDER) if label == "end" else KIND_ORDER.index(label)
        for kind in KIND_ORDER[start:stop]:
            got, want = self.seen.counts[kind], self.expected.get(kind, 0)
            if got != want:
                self.problem(
                    line,
                    f"{kind}: {got:,} record(s) read where the header announces {want:,} "
                    "(lines taken out, added or cut off above this line)",
                    f"{kind}：读到 {got:,} 条记录，文件头为 {want:,} 条（此行之前有行被删除、增加或截断）",
                )
        for en, zh in self.seen.enter(label):
            self.problem(line, en, zh)

    def enter_if_new(self, line: int, kind: str) -> None:
        if kind != self.seen.label:
            self.enter(line, kind)

    def read_record(self, line: int, item: dict[str, Any]) -> None:
        kind, data, check = item.get("kind"), item.get("record"), item.get("check")
        if not isinstance(kind, str) or not isinstance(data, dict) or not isinstance(check, str):
            self.problem(line, "not a record line (kind, record, check)", "不是记录行（应含 kind、record、check）")
            return
        cls = KIND_BY_LABEL.get(kind)
        if check != check_of([kind, data]):
            self.problem(
                line, "the line was changed after export (its check does not match)", "该行在导出后被修改（校验值不符）"
            )
            if cls is not None:
                self.enter_if_new(line, kind)
                self.seen.tolerate(kind, data)
            return
        if cls is None:
            self.problem(line, f"unknown kind {kind!r}", f"未知的记录类型 {kind!r}", value=kind)
            return
        self.enter_if_new(line, kind)
        record = self.validate(line, cls, data)
        if record is None:
            self.seen.tolerate(kind, data)
            return
        found = self.seen.add(line, record)
        if found:
            self.problem(line, *found)
            return
        self.records.append(record)

    def validate(self, line: int, cls: type[Record], data: dict[str, Any]) -> Record | None:
        hidden = _secret_fields_of(cls)
        if hidden and not self.header["secrets"]:
            present = sorted(hidden & set(data))
            if present:
                self.problem(
                    line,
                    f"{cls.label} holds secret field(s) {present} though the header says secrets were left out",
                    f"文件头标明不含密钥，但该行含密钥字段 {present}",
                )
                return None
            data = {**data, **{name: secrets.token_hex(32) for name in hidden}}
            if cls.label in REVOKED_ON_IMPORT:
                revoked = REVOKED_ON_IMPORT[cls.label]
                data[revoked] = data.get(revoked) or self.at
        try:
            record = cls.model_validate(data)
        except pydantic.ValidationError as exc:
            detail = "; ".join(f"{'.'.join(map(str, e['loc'])) or cls.label}: {e['msg']}" for e in exc.errors()[:3])
            self.problem(line, f"not a valid {cls.label} record: {detail}", f"不是有效的{cls.label}记录：{detail}")
            return None
        if hidden and not self.header["secrets"]:
            self.locked[cls.label] += 1
        return record

    def cut_short(self, last: int) -> None:
        """The file ended after line ``last`` without its end line: say which kinds are short."""
        header, counts = self.header, self.seen.counts
        short = [f"{k} {counts[k]:,}/{n:,}" for k in KIND_ORDER if (n := self.expected.get(k, 0)) != counts[k]]
        self.problem(
            last + 1,
            f"the file ends after line {last:,} without its end line: it was cut short (the header announces "
            f"{header.get('records', 0):,} records in {header.get('lines', 0):,} lines; read/announced: "
            f"{', '.join(short) or 'all records, but no end line'})",
            f"文件在第 {last:,} 行后结束，缺少结尾行：文件被截断",
        )

    def read_end(self, line: int, item: dict[str, Any], digest: str) -> None:
        self.enter(line, "end")
        if item.get("end") != FORMAT or item.get("records") != self.header.get("records"):
            self.problem(line, "the end line does not match the header", "结尾行与文件头不符")
        elif item.get("sha256") != digest and not self.problems:  # else a consequence of those
            self.problem(
                line,
                "the file was changed after export (the end line's SHA-256 does not match)",
                "文件在导出后被修改（结尾行的 SHA-256 不符）",
            )
        if line != self.header.get("lines") and not self.problems:
            self.problem(
                line,
                f"the end line is line {line:,}; the header announces {self.header.get('lines')!r} lines",
                f"结尾行在第 {line:,} 行，与文件头所述行数不符",
            )


def read_export(path: str | os.PathLike[str], *, at: str | None = None) -> ExportContents:
    """Read and validate an export; the records it holds, in file order (see the module docs).

    Raises :class:`DamagedExport` naming the file and line of each problem (up to 100), or
    :class:`ValidationError` when the file cannot be read at all. ``at`` stamps records locked on
    import (default now).
    """
    path = Path(path)
    reader = _Reader(path, at or now())
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as fh:
            head = fh.readline()
            reader.read_header(head)
            digest.update(head)
            _read_lines(reader, fh, digest)
    except OSError as exc:
        raise ValidationError(
            Problem(f"cannot read the export: {exc.strerror or exc}", "无法读取导出文件", file=str(path))
        ) from exc
    if reader.problems:
        raise DamagedExport(reader.problems)
    return ExportContents(reader.header, reader.records, reader.locked)


def _read_lines(reader: _Reader, lines: Iterable[bytes], digest: Any) -> None:
    number, ended = 1, False
    for number, raw in enumerate(lines, start=2):
        if ended:
            reader.problem(number, "a line after the end line", "结尾行之后还有内容")
            return
        if not raw.endswith(b"\n"):
            reader.problem(
                number,
                "the line is cut short (no line end): the file was cut mid-line",
                "该行不完整（没有行尾）：文件在行中被截断",
            )
            return  # the end line is missing too, as a consequence
        try:
            item = orjson.loads(raw)
        except orjson.JSONDecodeError:
            reader.problem(number, "the line is not JSON: the file is damaged", "该行不是 JSON：文件已损坏")
            digest.update(raw)
            continue
        if isinstance(item, dict) and "end" in item:
            reader.read_end(number, item, digest.hexdigest())
            ended = True
            continue
        digest.update(raw)
        if not isinstance(item, dict):
            reader.problem(number, "not a record line", "不是记录行")
            continue
        reader.read_record(number, item)
    if not ended:
        reader.cut_short(number)


def _require_empty(store: BaseStore) -> None:
    counts = store.counts()
    held = {label: n for label, n in counts.items() if label in SPECS and n}
    if held:
        shown = ", ".join(f"{label} {n:,}" for label, n in sorted(held.items(), key=lambda kv: -kv[1])[:5])
        raise Conflict(
            f"{store.location} is not empty ({sum(held.values()):,} nodes: {shown}); an export is imported only "
            "into an empty store: a new file, or a cleared Neo4j database / "
            f"目标存储非空（{sum(held.values()):,} 个节点），导入只能写入空的存储"
        )


def import_export(
    store: BaseStore, path: str | os.PathLike[str], *, actor: str, at: str | None = None
) -> ImportSummary:
    """Load an export into the empty ``store``, all or nothing, with its audit entry
    (``store.import``, by ``actor``) in the same write (see the module docs).

    Raises :class:`Conflict` when the store holds anything, :class:`DamagedExport` for a file cut
    short or edited (the store untouched).
    """
    path = Path(path)
    at = _moment.validate_python(at or now())
    _require_empty(store)
    contents = read_export(path, at=at)
    header = contents.header
    locked = dict(sorted(contents.locked.items()))
    note = (
        f"{len(contents.records):,} records from {path}, exported {header.get('exported_at')} from the "
        f"{(header.get('store') or {}).get('kind', '?')} store (studio-alliances {header.get('product_version')})"
        + (f"; imported locked, secrets not exported: {locked}" if locked else "")
    )
    audit = AuditEntry.of(actor, "store.import", "ExportFile", path.name[:200], note, at=at)
    _require_empty(store)
    try:
        store.write(GraphBatch.of([*contents.records, audit]))
    except BaseException:
        _undo(store)
        raise
    kinds = Counter(r.label for r in contents.records)
    return ImportSummary(path, store.location, header, {k: kinds[k] for k in KIND_ORDER if kinds[k]}, locked, audit)


def _undo(store: BaseStore) -> None:
    """After a failed import into a store that was empty: make it empty again (a Neo4j write of more
    than one transaction may have committed some of it)."""
    with contextlib.suppress(AlliancesError):
        if any(n for label, n in store.counts().items() if label in SPECS):
            store.clear()
