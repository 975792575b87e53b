"""``POST /ingest``: roster files uploaded, validated and written all or nothing, as the CLI does;
``dry_run`` reports what would change. A union key may load only its own union's studios (and their
ledgers, funding and alliances); anything else is reported row by row and nothing is written. The
job is :func:`services.rosters.load_uploads`, run off the event loop in one of the server's upload
workers (:mod:`services.upload_workers`): a second upload while an account already has as many
being loaded as allowed is refused at once (429)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Query, Request, UploadFile
from fastapi.concurrency import run_in_threadpool

from services.policy import ROSTER_LOAD
from services.rosters import MAX_BYTES, load_uploads

from ..deps import ActorDep, StoreDep, wrote
from ..guards import GuardedRoute, requires
from ..schemas import IngestResult

router = APIRouter(tags=["ingest"], route_class=GuardedRoute)


@router.post(
    "/ingest",
    response_model=IngestResult,
    summary="Upload rosters (CSV, TXT, XLSX, XLS, DOCX, PDF, JSON): validated, then written all or nothing",
)
@requires(ROSTER_LOAD)
async def ingest_files(
    request: Request,
    store: StoreDep,
    actor: ActorDep,
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
    report = await run_in_threadpool(load_uploads, store, actor, uploads, dry_run=dry_run, accept_new=accept_new,
                                     workers=request.app.state.uploads)  # fmt: skip
    if report.written:
        wrote(request)
    return report.to_json()
