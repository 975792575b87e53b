"""Loading rosters (名单导入): files validated and written all or nothing (:func:`ingest.pipeline.ingest`),
a union only its own studios and what is about them (:func:`services.policy.roster_scope_problems`),
the load audited in the same write. The command line loads files from disk; the API and the console
load uploads, which are checked by content first and named in the report as they were uploaded.
"""

from __future__ import annotations

import contextlib
import re
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from graph.errors import Invalid, Problem
from graph.model import AuditEntry, Record
from graph.store import BaseStore, GraphBatch
from ingest.pipeline import IngestReport, ingest

from .policy import ROSTER_LOAD, Actor, roster_scope_problems

if TYPE_CHECKING:
    from .upload_workers import UploadWorkers

MAX_BYTES = 50 * 2**20
"""Largest upload accepted, per file."""

_SAFE = re.compile(r"[^\w.\-\u4e00-\u9fff]+")


def load_files(
    store: BaseStore,
    actor: Actor,
    paths: Sequence[Path],
    *,
    dry_run: bool = False,
    classify: bool = True,
    accept_new: bool = False,
    on_row: Callable[[], None] | None = None,
    on_phase: Callable[[str], None] | None = None,
    shown: dict[str, str] | None = None,
) -> IngestReport:
    """Validate ``paths`` and write them all or nothing, audited; ``shown`` renames files in the
    audit note (uploads saved under temporary names)."""
    ROSTER_LOAD.check(actor)

    def audit(batch: GraphBatch) -> list[Record]:
        names = [(shown or {}).get(str(p), Path(p).name) for p in paths]
        counts = "，".join(f"{label} {len(records)}" for label, records in sorted(batch.nodes.items()) if records)
        note = f"{'、'.join(names)}：{counts}"
        return [AuditEntry.of(actor.name, "ingest", "Upload", names[0] if names else "upload", note[:2000])]

    return ingest(
        paths, store, dry_run=dry_run, classify=classify, accept_new=accept_new, on_row=on_row, on_phase=on_phase,
        check=lambda batch: roster_scope_problems(actor, batch, store), also=None if dry_run else audit,
    )  # fmt: skip


UPLOAD_SUFFIXES = frozenset((".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".xls", ".docx", ".pdf", ".json"))
"""What a roster upload may be."""


def upload_problem(name: str, data: bytes) -> Problem | None:
    """Why an uploaded file is refused before it is read (its type, its size, bytes that cannot be
    what its name says: .xlsx and .docx a zip, .xls an OLE2 workbook, .pdf a PDF, text without NUL
    bytes), or None."""
    from ingest.documents import sniff

    suffix = Path(name).suffix.lower()
    head = data[: 1 << 16]
    if suffix not in UPLOAD_SUFFIXES:
        why = ("only .xlsx, .xls, .csv, .txt, .docx, .pdf or .json files are loaded",
               "只接受 .xlsx、.xls、.csv、.txt、.docx、.pdf 或 .json 文件")  # fmt: skip
    elif not data:
        why = ("the file is empty", "文件是空的")
    elif len(data) > MAX_BYTES:
        why = (f"the file is larger than {MAX_BYTES // 2**20} MiB", f"文件超过 {MAX_BYTES // 2**20} MiB")
    elif suffix in (".xlsx", ".xlsm") and not data.startswith(b"PK\x03\x04"):
        why = ("not an Excel workbook (.xlsx)", "不是 Excel 工作簿（.xlsx）")
    elif suffix in (".docx", ".xls", ".pdf"):
        found = sniff(suffix, head)
        if found is None:
            return None
        why = found
    elif suffix not in (".xlsx", ".xlsm") and b"\x00" in head:
        why = ("not a text file (CSV, TXT or JSON)", "不是文本文件（CSV、TXT 或 JSON）")
    else:
        return None
    return Problem(why[0], why[1], file=name)


def upload_problems(uploads: Sequence[tuple[str, bytes]]) -> list[Problem]:
    """:func:`upload_problem` of each upload; a list with no upload at all is one problem."""
    if not uploads:
        return [Problem("no file uploaded", "请选择要上传的文件")]
    return [p for name, data in uploads if (p := upload_problem(name, data))]


def load_uploads(
    store: BaseStore,
    actor: Actor,
    uploads: Sequence[tuple[str, bytes]],
    *,
    dry_run: bool,
    accept_new: bool = False,
    workers: UploadWorkers | None = None,
) -> IngestReport:
    """Uploaded files (name, bytes), checked by content and size, then loaded as :func:`load_files`
    does; the report names the files as uploaded, not as saved in the temporary folder. With
    ``workers`` (a server's), the load runs in one of its processes, at most so many at once per
    account (:class:`graph.errors.UploadsBusy` beyond); it blocks meanwhile, so a door
    calls it off the event loop."""
    ROSTER_LOAD.check(actor)
    if not uploads:
        raise Invalid("no file uploaded / 未上传文件")
    refused = upload_problems(uploads)
    if refused:
        return IngestReport([name for name, _ in uploads], dry_run, problems=refused, problem_count=len(refused))
    load = load_files if workers is None else workers.load_files
    admitted = workers.admitted(actor) if workers is not None else contextlib.nullcontext()
    with admitted, _saved(uploads) as uploaded:  # the account's turn first: nothing is saved for a refusal
        paths = [Path(p) for p in uploaded]
        report = load(store, actor, paths, dry_run=dry_run, accept_new=accept_new, shown=uploaded)
    report.files = [uploaded.get(f, f) for f in report.files]
    report.problems = [replace(p, file=uploaded.get(p.file or "", p.file)) for p in report.problems]
    report.warnings = [replace(p, file=uploaded.get(p.file or "", p.file)) for p in report.warnings]
    report.likely_duplicates = [replace(d, file=uploaded.get(d.file, d.file)) for d in report.likely_duplicates]
    return report


@contextlib.contextmanager
def _saved(uploads: Sequence[tuple[str, bytes]]) -> Iterator[dict[str, str]]:
    """The uploads saved in a temporary folder (removed afterwards, whatever happens): each saved
    path and the name it was uploaded as."""
    with tempfile.TemporaryDirectory(prefix="alliances-upload-") as tmp:
        uploaded: dict[str, str] = {}
        for n, (filename, data) in enumerate(uploads):
            name = _SAFE.sub("_", Path(filename).name)[:120] or f"upload-{n}"
            path = Path(tmp) / f"{n:02d}-{name}"
            path.write_bytes(data)
            uploaded[str(path)] = Path(path.name[3:]).name
        yield uploaded
