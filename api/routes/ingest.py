"""``POST /ingest``: roster files uploaded, validated and written all or nothing, as the CLI does;
``dry_run`` reports what would change. A union key may load only its own union's studios (and their
ledgers, funding and alliances); anything else is reported row by row and nothing is written."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Query, Request, UploadFile

from graph.errors import Problem
from graph.model import Alliance, Funding, LedgerEntry, Role, Studio
from graph.store import GraphBatch

from ..app import Forbidden, Invalid
from ..deps import Caller, CallerDep, StoreDep, record
from ..schemas import IngestResult

router = APIRouter(tags=["ingest"])

MAX_BYTES = 50 * 2**20
"""Largest upload accepted, per file."""

_SAFE = re.compile(r"[^\w.\-\u4e00-\u9fff]+")


def _scope_check(caller: Caller, store: Any) -> Any:
    def check(batch: GraphBatch) -> list[Problem]:
        mine = caller.key.union_id
        studios: dict[str, Studio] = {s.key: s for s in batch.nodes.get("Studio", [])}  # type: ignore[misc]
        problems = [
            Problem(
                f"studio {s.id} belongs to union {s.union_id}, not to this key's union {mine}",
                f"工作室 {s.name} 不属于本工会",
                value=s.name,
            )
            for s in studios.values()
            if s.union_id != mine
        ]
        owned = [r for label in ("LedgerEntry", "Funding") for r in batch.nodes.get(label, [])]
        referred = {r.studio_id for r in owned if isinstance(r, (LedgerEntry, Funding))} - set(studios)
        stored = store.get_many(Studio, sorted(referred)) if referred else {}
        union_of = {k: s.union_id for k, s in {**stored, **studios}.items()}
        for label in ("LedgerEntry", "Funding"):
            for r in batch.nodes.get(label, []):
                assert isinstance(r, (LedgerEntry, Funding))
                if union_of.get(r.studio_id) != mine:
                    problems.append(
                        Problem(
                            f"{label} {r.id} is about studio {r.studio_id} of another union",
                            f"记录 {r.id} 属于其他工会的工作室",
                            value=r.studio_id,
                        )
                    )
        for a in batch.nodes.get("Alliance", []):
            assert isinstance(a, Alliance)
            members = {**store.get_many(Studio, [m for m in a.member_ids if m not in studios]), **studios}
            if not any(members.get(m) is not None and members[m].union_id == mine for m in a.member_ids):
                problems.append(
                    Problem(
                        f"alliance {a.id} has no studio of this key's union",
                        f"联盟 {a.name} 不含本工会的工作室",
                        value=a.name,
                    )
                )
        return problems

    return check


@router.post(
    "/ingest",
    response_model=IngestResult,
    summary="Upload rosters (CSV, TXT, XLSX, XLS, DOCX, PDF, JSON): validated, then written all or nothing",
)
async def ingest_files(
    request: Request,
    store: StoreDep,
    caller: CallerDep,
    files: Annotated[list[UploadFile], File(description="One or more roster files")],
    dry_run: Annotated[bool, Query(description="Validate and report what would change; write nothing")] = False,
    accept_new: Annotated[
        bool, Query(description="Write rows that may be stored studios (likely_duplicates) as new studios")
    ] = False,
) -> dict[str, Any]:
    uploads = []
    for n, upload in enumerate(files):
        data = await upload.read(MAX_BYTES + 1)
        uploads.append((upload.filename or f"upload-{n}", data))
    body = load_rosters(store, caller, uploads, dry_run=dry_run, accept_new=accept_new)
    if body["written"]:
        request.app.state.models.invalidate()
    return body


def _content_problems(uploads: list[tuple[str, bytes]]) -> list[Problem]:
    """Uploads whose bytes cannot be what their names say (.docx a zip, .xls an OLE2 workbook, .pdf
    a PDF), reported like any other bad file, before anything is read."""
    from ingest.documents import sniff

    return [Problem(*why, file=name) for name, data in uploads if (why := sniff(Path(name).suffix, data[: 1 << 16]))]


def load_rosters(
    store: Any, caller: Caller, uploads: list[tuple[str, bytes]], *, dry_run: bool, accept_new: bool = False
) -> dict[str, Any]:
    """Validate uploaded files (name, bytes) and write them all or nothing, as ``alliances ingest``
    does; a union key may load only its own union's records. The report names the files as
    uploaded. Writes are audited. Shared by ``POST /ingest`` and the console's upload page."""
    from ingest.pipeline import ingest

    if caller.key.role is Role.STUDIO:
        raise Forbidden("a studio key cannot load rosters / 工作室密钥不能导入名单")
    if not uploads:
        raise Invalid("no file uploaded / 未上传文件")
    refused = _content_problems(uploads)
    if refused:
        from ingest.pipeline import IngestReport

        names = [name for name, _ in uploads]
        return IngestReport(names, dry_run, problems=refused, problem_count=len(refused)).to_json()
    with tempfile.TemporaryDirectory(prefix="alliances-upload-") as tmp:
        paths = []
        for n, (filename, data) in enumerate(uploads):
            name = _SAFE.sub("_", Path(filename).name)[:120] or f"upload-{n}"
            if len(data) > MAX_BYTES:
                raise Invalid(f"{name} is larger than {MAX_BYTES // 2**20} MiB / 文件过大")
            path = Path(tmp) / f"{n:02d}-{name}"
            path.write_bytes(data)
            paths.append(path)
        check = _scope_check(caller, store) if caller.key.role is Role.UNION else None
        report = ingest(paths, store, dry_run=dry_run, check=check, accept_new=accept_new)
    body = report.to_json()
    # the report names the files as uploaded, not as saved in the temporary folder
    uploaded = {str(p): Path(p.name[3:]).name for p in paths}
    body["files"] = [uploaded.get(f, f) for f in body["files"]]
    for problem in (*body["problems"], *body["warnings"], *body["likely_duplicates"]):
        problem["file"] = uploaded.get(problem["file"], problem["file"]) if problem["file"] else None
    if report.written:
        counts = "，".join(f"{k} +{v.created}/~{v.updated}" for k, v in report.kinds.items() if v.created or v.updated)
        record(
            store,
            caller,
            "ingest",
            "Upload",
            body["files"][0] if body["files"] else "upload",
            f"{'、'.join(body['files'])}：{counts}",
        )
    return body
