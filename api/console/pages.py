"""The web console's pages (``/console/…``), in Chinese, for people who never open a terminal.

Pages read the matching models without waiting for a refit (:class:`services.fits.Models`, ``wait=False``):
after a write they show the last fit while a new one runs in the background, and every record a
page is about (a studio, an alliance, a proposal) is read from the store itself. Downloads wait for
the current fit: a file someone keeps must reflect every write made before it.

Each page signs its visitor in through the session cookie and then calls the same services as the
JSON API and the command line (:mod:`services`), as the same :class:`services.policy.Actor`: a page
can do exactly what the visitor's key can do over the API, and the checks that say no are the same
code. Forms are posted with the
session's CSRF token; what-if and filters are plain GETs (they change nothing).
"""

from __future__ import annotations

import hmac
import json
import math
import re
import secrets
from typing import Annotated, Any, Literal, TypeVar
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response

from graph.alliances import history
from graph.errors import Forbidden, Invalid, NotFound, SignInLocked, Unauthorized, ValidationError
from graph.exclusion import exclusion_of
from graph.lifecycle import Action, Assessment, eligibility, ledger_of
from graph.model import (
    Alliance,
    AllianceAction,
    AllianceKind,
    AllianceStatus,
    ModelWorker,
    Role,
    Studio,
    StudioLevel,
    StudioStatus,
    Union,
    WorkerStatus,
    this_year,
)
from graph.store import BaseStore, StudioFilter
from matching.gaps import GapRadar, Scenario
from services import accounts
from services import alliances as alliance_service
from services import studios as studio_service
from services.audit import audit_trail
from services.fits import Cache, Fit
from services.lifecycle import apply_year, assessment_of, funding_of, naming_of, records_of
from services.partners import partners
from services.policy import (
    ALLIANCE_DECIDE,
    ALLIANCE_PROPOSE,
    ASSESSMENT_APPLY,
    LEADER_CHANGE,
    OWN_ACCOUNT,
    ROSTER_LOAD,
    STUDIO_CREATE,
    STUDIO_DELIST,
    STUDIO_PROFILE,
    Actor,
    may_decide,
    may_edit_profile,
    may_write_studio,
)
from services.rosters import MAX_BYTES, load_uploads, upload_problems
from services.sessions import end_key_sessions, open_session
from services.views import ColourBy, ViewKind, draw
from visualizations.page import render

from .. import exports
from ..deps import CacheDep, FitDep, LatestCacheDep, LatestFitDep, StoreDep, wrote
from ..guards import open_to_anyone, requires
from ..responses import view_page
from . import charts
from .render import HEADERS, STATIC, VENDOR, page
from .session import (
    COOKIE,
    SIGNIN_COOKIE,
    ConsoleRoute,
    Visitor,
    VisitorDep,
    checked_form,
    safe_next,
    same_origin,
    settings_of,
)
from .summaries import Directory, chain_coverage, dashboard

router = APIRouter(prefix="/console", include_in_schema=False, route_class=ConsoleRoute)

PAGE_SIZE = 50
MAX_FILES = 5
Format = Literal["csv", "xlsx", "json"]
_SAFE_FILENAME = re.compile(r"[^A-Za-z0-9_.-]+")
_SPLIT = re.compile(r"[\s,，、;；]+")
T = TypeVar("T")


def _directory(cache: Cache) -> Directory:
    records = records_of(cache)
    return cache(("console", "directory"), lambda fit: Directory.of(fit.projection, records))


def _coverage(cache: Cache, directory: Directory) -> tuple[list[int], dict[str, list[float]]]:
    return cache(("console", "coverage"), lambda fit: chain_coverage(fit.projection, directory))


def _dashboard(cache: Cache, directory: Directory) -> dict[str, Any]:
    coverage = _coverage(cache, directory)
    return cache(("console", "dashboard"), lambda fit: dashboard(fit.projection, fit.suggester, directory, coverage))


def _alliance_page(store: BaseStore, ids: list[str], page_no: int, size: int) -> tuple[list[Alliance], dict[str, int]]:
    """One page of alliances: ids from the last fit (in order), records from the store (current)."""
    shown, paging = _page_of(ids, page_no, size)
    found = store.get_many(Alliance, shown)
    return [found[i] for i in shown if i in found], paging


def _secure(request: Request) -> bool:
    """``Secure`` cookies: always, except that a browser only keeps them over HTTPS or on this machine;
    ``ALLIANCES_CONSOLE_INSECURE_COOKIE=1`` drops the flag for a plain-HTTP intranet (not advised)."""
    return not request.app.state.insecure_cookie


def _pages(total: int, page_no: int, size: int = PAGE_SIZE) -> dict[str, int]:
    last = max(1, math.ceil(total / size))
    return {"page": min(max(1, page_no), last), "last": last, "total": total, "size": size}


def _page_of(items: list[T], page_no: int, size: int = PAGE_SIZE) -> tuple[list[T], dict[str, int]]:
    """One page of ``items`` (page numbers past the end show the last page), and its pager."""
    paging = _pages(len(items), page_no, size)
    return items[(paging["page"] - 1) * size : paging["page"] * size], paging


def _query(request: Request, **changes: Any) -> str:
    """The current query string with ``changes`` (for pagination links)."""
    params = {k: v for k, v in request.query_params.multi_items() if k not in changes}
    params.update({k: str(v) for k, v in changes.items() if v is not None})
    return "?" + urlencode(params)


def _download(data: bytes, fmt: str, stem: str) -> Response:
    name = _SAFE_FILENAME.sub("_", stem)[:100] + f".{fmt}"
    media = exports.MEDIA_TYPES.get(fmt, "application/json; charset=utf-8")
    disposition = f"attachment; filename=\"{name}\"; filename*=UTF-8''{quote(name)}"
    return Response(data, media_type=media, headers={**HEADERS, "Content-Disposition": disposition})


def _table_download(table: exports.Table, raw: Any, fmt: str, stem: str) -> Response:
    if fmt == "json":
        return _download(json.dumps(raw, ensure_ascii=False, indent=2).encode(), fmt, stem)
    return _download(table.encode(fmt), fmt, stem)


# -- signing in and out ------------------------------------------------------------------------------------
@router.get("/signin", response_class=HTMLResponse)
def signin_form(request: Request, next: str | None = None, failed: bool = False, key: bool = False) -> HTMLResponse:
    return _signin_page(request, safe_next(next), failed=failed, with_key=key)


def _signin_page(request: Request, next_path: str, *, failed: bool = False, with_key: bool = False,
                 locked: str = "", login: str = "", status: int = 200) -> HTMLResponse:  # fmt: skip
    token = secrets.token_urlsafe(24)
    response = page(request, "signin.html", http_status=status, title="登录", visitor=None, next=next_path,
                    csrf=token, failed=failed, with_key=with_key, locked=locked, login=login)  # fmt: skip
    response.set_cookie(SIGNIN_COOKIE, token, max_age=1800, httponly=True, secure=_secure(request), samesite="strict",
                        path="/console/")  # fmt: skip
    return response


def _address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def signed_in_response(request: Request, store: StoreDep, kind: str, subject: str, target: str) -> Response:
    """Open a session for an account or key and send the browser on to ``target``."""
    session = open_session(store, kind, subject)
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(COOKIE, session.cookie, max_age=int(settings_of(request).max_seconds), httponly=True,
                        secure=_secure(request), samesite="strict", path="/")  # fmt: skip
    response.delete_cookie(SIGNIN_COOKIE, path="/console/")
    return response


@router.post("/signin")
@open_to_anyone
async def signin(request: Request, store: StoreDep) -> Response:
    form = await request.form(max_files=0, max_fields=10)
    posted, expected = form.get("csrf"), request.cookies.get(SIGNIN_COOKIE)
    if (not same_origin(request) or not isinstance(posted, str) or not expected
            or not hmac.compare_digest(posted, expected)):  # fmt: skip
        raise Forbidden("the sign-in form has expired; reload it / 登录表单已过期，请刷新后重试")
    next_path = safe_next(str(form.get("next") or ""))
    token, login, password = (str(form.get(f) or "")[:500] for f in ("key", "login", "password"))
    with_key = bool(token)
    try:
        if with_key:
            key = accounts.sign_in_with_key(store, token, _address(request))
            return signed_in_response(request, store, "key", key.id, next_path)
        user = accounts.sign_in(store, login, password, _address(request))
    except SignInLocked as exc:
        return _signin_page(request, next_path, with_key=with_key, locked=str(exc).split(" / ")[-1], login=login,
                            status=429)  # fmt: skip
    except Unauthorized:
        return _signin_page(request, next_path, failed=True, with_key=with_key, login=login, status=401)
    target = f"/console/password?{urlencode({'next': next_path})}" if user.must_change else next_path
    return signed_in_response(request, store, "user", user.id, target)


@router.post("/signout")
@requires(OWN_ACCOUNT)
async def signout(request: Request, visitor: VisitorDep, store: StoreDep) -> Response:
    """Sign out: every session of this account (or of this key) ends, in every worker."""
    await checked_form(request, visitor, max_files=0, max_fields=5)
    if visitor.user is not None:
        accounts.sign_out(store, visitor.user)
    elif visitor.actor.key is not None:
        end_key_sessions(store, visitor.actor.key)
    response = RedirectResponse("/console/signin", status_code=303)
    response.delete_cookie(COOKIE, path="/", secure=_secure(request), httponly=True, samesite="strict")
    return response


@router.get("/static/vendor/{name}")
def vendor(name: str) -> Response:
    """The front-end packages of package.json, as installed by npm (never from a CDN)."""
    path = VENDOR.get(name)
    if path is None or not path.is_file():
        raise NotFound("Asset", name)
    return FileResponse(path, media_type="text/javascript", headers={"Cache-Control": "public, max-age=86400",
                                                                     "X-Content-Type-Options": "nosniff"})  # fmt: skip


# -- home --------------------------------------------------------------------------------------------------
@router.get("/", response_class=HTMLResponse)
def home(request: Request, visitor: VisitorDep, cache: LatestCacheDep, store: StoreDep) -> HTMLResponse:
    directory = _directory(cache)
    summary = _dashboard(cache, directory)
    mine = None
    actor = visitor.actor
    if actor.role is Role.STUDIO and actor.studio_id:
        mine = store.get_many(Studio, [actor.studio_id]).get(actor.studio_id)
    union_count = None
    if actor.role is Role.UNION and actor.union_id:
        union_count = store.count_studios(StudioFilter(union=actor.union_id))
    return page(request, "home.html", summary=summary, directory=directory, mine=mine, union_count=union_count,
                title="首页")  # fmt: skip


# -- studios -----------------------------------------------------------------------------------------------
@router.get("/studios", response_class=HTMLResponse)
def studio_list(
    request: Request,
    visitor: VisitorDep,
    store: StoreDep,
    cache: LatestCacheDep,
    q: Annotated[str, Query(max_length=100)] = "",
    union: str | None = None,
    district: str = "",
    industry: str = "",
    trade: str = "",
    chain: str = "",
    status: StudioStatus | Literal[""] = "",
    level: StudioLevel | Literal[""] = "",
    page_no: Annotated[int, Query(alias="page", ge=1, le=100_000)] = 1,
) -> HTMLResponse:
    directory = _directory(cache)
    if union is None:  # a union officer starts on the own union's studios (全部 shows every studio)
        union = visitor.actor.union_id or "" if visitor.actor.role is Role.UNION else ""
    where = StudioFilter(
        union or None,
        district or None,
        trade or None,
        industry or None,
        None,
        chain or None,
        status or None,
        level or None,
        q.strip() or None,
    )
    paging = _pages(store.count_studios(where), page_no)
    rows = store.list_studios(where, limit=PAGE_SIZE, offset=(paging["page"] - 1) * PAGE_SIZE)
    filters = {"q": q, "union": union, "district": district, "industry": industry, "trade": trade, "chain": chain,
               "status": status, "level": level}  # fmt: skip
    return page(request, "studios.html", title="工作室", rows=rows, paging=paging, filters=filters,
                directory=directory, query=lambda **c: _query(request, **c))  # fmt: skip


def _suggestions(fit: Fit, studio_id: str, store: BaseStore) -> list[dict[str, Any]]:
    return [s.to_json() for s in partners(fit, studio_id, top=10, store=store).all()]


NEW_STUDIO_FIELDS = ("id", "name", "union_id", "district", "level", "named_year", "industry_code", "trade_codes",
                     "expertise", "needs")  # fmt: skip


def _new_studio_page(request: Request, visitor: Visitor, store: BaseStore, given: dict[str, str],
                     problems: list[str], status: int = 200) -> HTMLResponse:  # fmt: skip
    """The form of a new studio: a union officer creates studios of the own union only."""
    unions = {u.id: u.name for u in store.list(Union)}
    if visitor.actor.role is Role.UNION:
        unions = {k: v for k, v in unions.items() if k == visitor.actor.union_id}
    return page(request, "studio_new.html", http_status=status, title="新建工作室", given=given, unions=unions,
                problems=problems)  # fmt: skip


@router.get("/studios/new", response_class=HTMLResponse)
def studio_new_form(request: Request, visitor: VisitorDep, store: StoreDep) -> HTMLResponse:
    STUDIO_CREATE.check(visitor.actor)
    return _new_studio_page(request, visitor, store, dict.fromkeys(NEW_STUDIO_FIELDS, ""), [])


@router.post("/studios/new", response_class=HTMLResponse)
@requires(STUDIO_CREATE)
async def studio_new(request: Request, visitor: VisitorDep, store: StoreDep) -> Response:
    """Create a studio as ``POST /studios`` does (audited); the form comes back with its problems."""
    form = await checked_form(request, visitor, max_files=0, max_fields=20)
    given = {f: str(form.get(f) or "").strip() for f in NEW_STUDIO_FIELDS}
    fields: dict[str, Any] = {k: v or None for k, v in given.items() if k not in ("trade_codes", "expertise", "needs")}
    fields.update(expertise=given["expertise"], needs=given["needs"],
                  trade_codes=[c for c in _SPLIT.split(given["trade_codes"]) if c])  # fmt: skip
    try:
        created = studio_service.create_studio(store, visitor.actor, studio_service.studio_from(fields))
    except ValidationError as exc:
        problems = [p.message_zh or p.message for p in exc.problems]
        return _new_studio_page(request, visitor, store, given, problems, 422)
    wrote(request)
    return RedirectResponse(f"/console/studios/{quote(created.id)}?created=1", status_code=303)


@router.get("/studios/{studio_id}", response_class=HTMLResponse)
def studio_page(
    request: Request,
    studio_id: str,
    visitor: VisitorDep,
    store: StoreDep,
    fit: LatestFitDep,
    cache: LatestCacheDep,
) -> HTMLResponse:
    studio = store.get(Studio, studio_id)
    directory = _directory(cache)
    leader = store.get_many(ModelWorker, [studio.leader_id]).get(studio.leader_id) if studio.leader_id else None
    excluded = exclusion_of(studio, leader, this_year())
    suggestions = (
        _suggestions(fit, studio_id, store) if excluded is None and studio_id in fit.suggester.features_.row else []
    )
    by_kind: dict[str, list[dict[str, Any]]] = {}
    for s in suggestions:
        by_kind.setdefault(s["kind"], []).append(s)
    near = store.neighbourhood(Studio, studio_id, depth=1, limit=5000)  # its alliances, as they are now
    linked = store.get_many(Alliance, [n.key for _, n in near.nodes if n.label == "Alliance"])
    alliances = sorted(
        (a for a in linked.values() if studio_id in a.member_ids or studio_id in a.former_member_ids),
        key=lambda a: (a.status is not AllianceStatus.FORMED, a.name),
    )
    records = directory.records
    known = studio_id in records.studios
    year = this_year() - 1
    return page(
        request,
        "studio.html",
        title=studio.name,
        studio=studio,
        directory=directory,
        by_kind=by_kind,
        alliances=alliances,
        collaborations=sorted(directory.collaborations.get(studio_id, []), key=lambda c: -c.year)[:50],
        ledger=ledger_of(records, studio_id)[:50] if known else [],
        eligibility=eligibility(records, studio_id, year) if known else None,
        year=year,
        can_edit=may_edit_profile(visitor.actor, studio),
        can_delist=may_write_studio(visitor.actor, studio) and studio.status is not StudioStatus.DELISTED,
        can_change_leader=may_write_studio(visitor.actor, studio),
        leader=leader,
        excluded=excluded,
        this_year=this_year(),
    )


@router.get("/studios/{studio_id}/suggestions/download")
def suggestions_download(
    studio_id: str, visitor: VisitorDep, fit: FitDep, store: StoreDep, format: Format = "xlsx"
) -> Response:
    store.get(Studio, studio_id)
    found = _suggestions(fit, studio_id, store)
    return _table_download(exports.suggestions_table(found), found, format, f"suggestions-{studio_id}")


@router.get("/studios/{studio_id}/edit", response_class=HTMLResponse)
def studio_edit_form(request: Request, studio_id: str, visitor: VisitorDep, store: StoreDep) -> HTMLResponse:
    studio = store.get(Studio, studio_id)
    if not may_edit_profile(visitor.actor, studio):
        raise Forbidden(
            f"this key may not edit studio {studio_id} / 该密钥无权修改此工作室（只能修改本工作室或本工会的工作室）"
        )
    return page(request, "studio_edit.html", title=f"修改：{studio.name}", studio=studio, problems=[])


@router.post("/studios/{studio_id}/edit", response_class=HTMLResponse)
@requires(STUDIO_PROFILE, record="studio_id")
async def studio_edit(request: Request, studio_id: str, visitor: VisitorDep, store: StoreDep) -> Response:
    form = await checked_form(request, visitor, max_files=0, max_fields=10)
    studio = store.get(Studio, studio_id)
    changes = {f: str(form.get(f) or "") for f in ("expertise", "needs") if f in form}
    try:
        studio_service.update_studio(store, visitor.actor, studio_id, changes)
    except ValidationError as exc:
        problems = [p.message_zh or p.message for p in exc.problems]
        edited = studio.model_copy(update=changes)
        return page(request, "studio_edit.html", http_status=422, title=f"修改：{studio.name}", studio=edited,
                    problems=problems)  # fmt: skip
    wrote(request)
    return RedirectResponse(f"/console/studios/{quote(studio_id)}?saved=1", status_code=303)


@router.post("/studios/{studio_id}/delist")
@requires(STUDIO_DELIST, record="studio_id")
async def studio_delist(request: Request, studio_id: str, visitor: VisitorDep, store: StoreDep) -> Response:
    """Delist a studio (摘牌, Article 9) as ``POST /studios/{id}/delist`` does: its union or the
    municipal union, with a reason; it leaves its live alliances in the same write."""
    form = await checked_form(request, visitor, max_files=0, max_fields=10)
    done = studio_service.delist_studio(store, visitor.actor, studio_id, str(form.get("reason") or "")[:2000])
    wrote(request, {studio_id: done.exclusion} if done.exclusion else None)
    return RedirectResponse(f"/console/studios/{quote(studio_id)}?delisted=1", status_code=303)


@router.post("/studios/{studio_id}/leader")
@requires(LEADER_CHANGE, record="studio_id")
async def studio_leader(request: Request, studio_id: str, visitor: VisitorDep, store: StoreDep) -> Response:
    """Record the leader's death, retirement or departure with its year, or a new leader, as
    ``POST /studios/{id}/leader`` does (its union or the municipal union; audited)."""
    form = await checked_form(request, visitor, max_files=0, max_fields=10)
    what = str(form.get("what") or "")
    year_text = str(form.get("year") or "").strip()
    if what == "new":
        name = str(form.get("new_leader") or "").strip()
        if not name:
            raise Invalid("give the new leader's name / 请填写新的领衔人姓名")
        honours = tuple(h for h in re.split(r"[;；、,，\s]+", str(form.get("honours") or "")) if h)
        change = studio_service.appoint_leader(store, visitor.actor, studio_id, name[:200], honours[:20])
    else:
        if what not in {s.value for s in WorkerStatus}:
            raise Invalid("choose what happened to the leader / 请选择领衔人变动情况")
        if year_text and not year_text.isdigit():
            raise Invalid(f"{year_text!r} is not a year / 「{year_text}」不是年份")
        year = int(year_text) if year_text else None
        change = studio_service.record_leader_status(store, visitor.actor, studio_id, WorkerStatus(what), year)
    wrote(request, dict.fromkeys(change.studio_ids, change.exclusion) if change.exclusion else None)
    return RedirectResponse(f"/console/studios/{quote(studio_id)}?leader=1", status_code=303)


# -- alliances ---------------------------------------------------------------------------------------------
def _may_decide(store: BaseStore, actor: Actor, alliances: list[Alliance]) -> dict[str, bool]:
    """Whether ``actor`` may decide on each alliance (:func:`services.policy.may_decide`), its
    members read from the store in one call."""
    members = store.get_many(Studio, sorted({m for a in alliances for m in a.member_ids}))
    return {a.id: may_decide(actor, [members[m] for m in a.member_ids if m in members]) for a in alliances}


@router.get("/proposals", response_class=HTMLResponse)
def proposals(
    request: Request,
    visitor: VisitorDep,
    store: StoreDep,
    cache: LatestCacheDep,
    kind: AllianceKind | Literal[""] = "",
    page_no: Annotated[int, Query(alias="page", ge=1, le=100_000)] = 1,
    formed: int | None = None,
) -> HTMLResponse:
    directory = _directory(cache)
    ids = directory.alliance_ids(AllianceStatus.PROPOSED.value, kind)
    shown, paging = _alliance_page(store, ids, page_no, 20)
    shown = [a for a in shown if a.status is AllianceStatus.PROPOSED]  # decided since the last fit
    return page(request, "proposals.html", title="联盟建议审核", rows=shown, paging=paging, kind=kind,
                directory=directory, may_decide=_may_decide(store, visitor.actor, shown),
                formed=formed, query=lambda **c: _query(request, **c))  # fmt: skip


@router.post("/proposals", response_class=HTMLResponse)
@requires(ALLIANCE_PROPOSE)
async def propose(request: Request, visitor: VisitorDep, store: StoreDep, fit: FitDep) -> Response:
    form = await checked_form(request, visitor, max_files=0, max_fields=10)
    kinds = [AllianceKind(k) for k in form.getlist("kinds") if k in {x.value for x in AllianceKind}]
    if not kinds:
        raise Invalid("choose at least one kind / 请至少选择一种联盟类型")
    done = alliance_service.propose(store, visitor.actor, fit, alliance_service.ProposalRequest(kinds=kinds))
    if done.saved.created:
        wrote(request)
    created = len(done.saved.created)
    return RedirectResponse(f"/console/proposals?formed={created}", status_code=303)


@router.get("/proposals/download")
def proposals_download(visitor: VisitorDep, store: StoreDep, cache: CacheDep, format: Format = "xlsx") -> Response:
    directory = _directory(cache)
    found = [a.model_dump(mode="json") for a in store.list(Alliance) if a.status is AllianceStatus.PROPOSED]
    names = {m: directory.name(m) for a in found for m in a["member_ids"]}
    return _table_download(exports.alliances_table(found, names), found, format, "alliance-proposals")


@router.get("/alliances", response_class=HTMLResponse)
def alliance_list(
    request: Request,
    visitor: VisitorDep,
    store: StoreDep,
    cache: LatestCacheDep,
    status: AllianceStatus | Literal[""] = "",
    kind: AllianceKind | Literal[""] = "",
    page_no: Annotated[int, Query(alias="page", ge=1, le=100_000)] = 1,
) -> HTMLResponse:
    ids = _directory(cache).alliance_ids(status, kind)
    shown, paging = _alliance_page(store, ids, page_no, PAGE_SIZE)
    return page(request, "alliances.html", title="联盟", rows=shown, paging=paging, status=status, kind=kind,
                query=lambda **c: _query(request, **c))  # fmt: skip


@router.get("/alliances/{alliance_id}", response_class=HTMLResponse)
def alliance_page(
    request: Request, alliance_id: str, visitor: VisitorDep, store: StoreDep, cache: LatestCacheDep
) -> HTMLResponse:
    alliance = store.get(Alliance, alliance_id)
    directory = _directory(cache)
    members = store.get_many(Studio, [*alliance.member_ids, *alliance.former_member_ids])
    return page(request, "alliance.html", title=alliance.name, alliance=alliance, members=members,
                events=history(store, alliance_id), directory=directory,
                may_decide=_may_decide(store, visitor.actor, [alliance])[alliance.id])  # fmt: skip


@router.post("/alliances/{alliance_id}/{action}")
@requires(ALLIANCE_DECIDE, record="alliance_id")
async def alliance_decide(
    request: Request,
    alliance_id: str,
    action: Literal["accept", "reject", "dissolve"],
    visitor: VisitorDep,
    store: StoreDep,
) -> Response:
    form = await checked_form(request, visitor, max_files=0, max_fields=10)
    decision = {
        "accept": AllianceAction.ACCEPTED,
        "reject": AllianceAction.REJECTED,
        "dissolve": AllianceAction.DISSOLVED,
    }
    alliance_service.decide_alliance(
        store, visitor.actor, alliance_id, decision[action], str(form.get("note") or "")[:2000]
    )
    wrote(request)
    back = str(form.get("back") or "")
    target = back if back.startswith("/console/proposals") else f"/console/alliances/{quote(alliance_id)}"
    return RedirectResponse(safe_next(target), status_code=303)


# -- chains and gaps ---------------------------------------------------------------------------------------
@router.get("/chains", response_class=HTMLResponse)
def chain_list(request: Request, visitor: VisitorDep, cache: LatestCacheDep) -> HTMLResponse:
    directory = _directory(cache)
    summary = _dashboard(cache, directory)
    return page(request, "chains.html", title="产业链缺口", summary=summary, directory=directory)


def _what_if(fit: Fit, directory: Directory, chain: str, form: list[str], name_in: list[str], delist: str) -> Any:
    """The what-if of the chain page: studios may be typed by id or by exact name."""
    teams = [tuple(directory.studio_id(m) for m in _SPLIT.split(team) if m) for team in form]
    pairs = tuple((sid, segment) for sid, segment in (p.split("@", 1) for p in name_in if "@" in p))
    scenario = Scenario(form=tuple(t for t in teams if t), name_in=pairs,
                        delist=tuple(directory.studio_id(d) for d in _SPLIT.split(delist) if d))  # fmt: skip
    return alliance_service.try_scenario(fit, scenario, chain=chain).to_json()


@router.get("/chains/{chain_id}", response_class=HTMLResponse)
def chain_page(
    request: Request,
    chain_id: str,
    visitor: VisitorDep,
    cache: LatestCacheDep,
    fit: LatestFitDep,
    form: Annotated[list[str], Query(max_length=200)] = [],  # noqa: B006 - FastAPI reads the default, never mutates it
    name_in: Annotated[list[str], Query(max_length=200)] = [],  # noqa: B006
    delist: Annotated[str, Query(max_length=2000)] = "",
) -> HTMLResponse:
    directory = _directory(cache)
    if chain_id not in directory.chains:
        raise NotFound("Chain", chain_id)
    report = alliance_service.gaps_json(cache, chain_id)
    trying = bool(form or name_in or delist.strip())
    result = _what_if(fit, directory, chain_id, form, name_in, delist) if trying else None
    years, coverage = _coverage(cache, directory)
    chain = directory.chains[chain_id]
    coverage_chart = charts.lines(f"{chain.name}：环节覆盖率（%）", years, {chain.name: coverage.get(chain_id, [])})
    segments = cache(("console", "order", chain_id),
                     lambda fit: GapRadar(fit.suggester, fit.projection).segment_order(chain_id))  # fmt: skip
    order = {g: n for n, g in enumerate(segments)}
    rows = sorted(report["gaps"], key=lambda r: (order.get(r["segment"], 0), bool(r.get("downstream")),
                                                 order.get(r.get("downstream") or "", 0)))  # fmt: skip
    return page(request, "chain.html", title=f"{chain.name}缺口雷达", chain=chain, report=report, rows=rows,
                result=result,
                chosen={"form": form, "name_in": name_in, "delist": delist}, directory=directory,
                years=years, coverage=coverage.get(chain_id, []), coverage_chart=coverage_chart)  # fmt: skip


@router.get("/chains/{chain_id}/download")
def chain_download(chain_id: str, visitor: VisitorDep, cache: CacheDep, format: Format = "xlsx") -> Response:
    report = alliance_service.gaps_json(cache, chain_id)
    return _table_download(exports.gaps_table(report), report, format, f"gaps-{chain_id}")


# -- rosters -----------------------------------------------------------------------------------------------
@router.get("/ingest", response_class=HTMLResponse)
def ingest_form(request: Request, visitor: VisitorDep) -> HTMLResponse:
    ROSTER_LOAD.check(visitor.actor)
    return page(request, "ingest.html", title="名单导入", report=None, refused=[], limit=MAX_BYTES // 2**20)


@router.post("/ingest", response_class=HTMLResponse)
@requires(ROSTER_LOAD)
async def ingest_upload(request: Request, visitor: VisitorDep, store: StoreDep) -> HTMLResponse:
    declared = request.headers.get("content-length")
    if declared is None or not declared.isdigit() or int(declared) > MAX_FILES * MAX_BYTES + 2**20:
        why = f"上传内容过大或长度未知：每个文件不超过 {MAX_BYTES // 2**20} MiB，最多 {MAX_FILES} 个"
        return page(request, "ingest.html", http_status=413, title="名单导入", report=None,
                    limit=MAX_BYTES // 2**20, refused=[why])  # fmt: skip
    form = await checked_form(request, visitor, max_files=MAX_FILES, max_fields=10)
    uploads: list[tuple[str, bytes]] = []
    for item in form.getlist("files"):
        if isinstance(item, str):
            continue
        uploads.append((item.filename or "upload", await item.read(MAX_BYTES + 1)))
    uploads = [(n, d) for n, d in uploads if n or d]
    refused = [f"{p.file}：{p.message_zh}" if p.file else p.message_zh for p in upload_problems(uploads)]
    if refused:
        return page(request, "ingest.html", http_status=422, title="名单导入", report=None, refused=refused,
                    limit=MAX_BYTES // 2**20)  # fmt: skip
    dry_run, accept_new = form.get("dry_run") == "1", form.get("accept_new") == "1"
    loaded = await run_in_threadpool(load_uploads, store, visitor.actor, uploads, dry_run=dry_run,
                                     accept_new=accept_new, workers=request.app.state.uploads)  # fmt: skip
    if loaded.written:
        wrote(request)
    report = loaded.to_json()
    status = 200 if not report["problems"] else 422
    return page(request, "ingest.html", http_status=status, title="名单导入", report=report, refused=[],
                limit=MAX_BYTES // 2**20)  # fmt: skip


# -- the yearly assessment ---------------------------------------------------------------------------------
def _assessment(cache: Cache, year: int, union: str) -> tuple[Assessment, Directory]:
    directory = _directory(cache)
    result = assessment_of(cache, year)
    if union:
        from dataclasses import replace

        studios = directory.studios
        result = replace(result, findings=[f for f in result.findings if studios[f.studio_id].union_id == union])
    return result, directory


@router.get("/assessment", response_class=HTMLResponse)
def assessment_page(
    request: Request,
    visitor: VisitorDep,
    cache: LatestCacheDep,
    year: Annotated[int | None, Query(ge=1949, le=2100)] = None,
    union: str | None = None,
    page_no: Annotated[int, Query(alias="page", ge=1, le=100_000)] = 1,
    applied: int | None = None,
) -> HTMLResponse:
    year = year or this_year() - 1
    if union is None:  # a union's officer sees the union's own studios first
        union = visitor.actor.union_id or "" if visitor.actor.role is Role.UNION else ""
    result, directory = _assessment(cache, year, union)
    counts = {a.value: sum(1 for f in result.findings if f.action is a) for a in Action}
    shown, paging = _page_of(result.findings, page_no, 100)
    return page(request, "assessment.html", title=f"{year} 年度考核", result=result, counts=counts, shown=shown,
                paging=paging, year=year, union=union, directory=directory, applied=applied,
                query=lambda **c: _query(request, **c),
                years=list(range(this_year() - 1, this_year() - 8, -1)))  # fmt: skip


@router.get("/assessment/download")
def assessment_download(
    visitor: VisitorDep,
    cache: CacheDep,
    year: Annotated[int | None, Query(ge=1949, le=2100)] = None,
    union: str = "",
    format: Format = "xlsx",
) -> Response:
    year = year or this_year() - 1
    result, _ = _assessment(cache, year, union)
    table = exports.assessment_table(*result.table())
    return _table_download(table, result.to_json(), format, f"assessment-{year}" + (f"-{union}" if union else ""))


@router.post("/assessment/apply")
@requires(ASSESSMENT_APPLY)
async def assessment_apply(request: Request, visitor: VisitorDep, store: StoreDep) -> Response:
    form = await checked_form(request, visitor, max_files=0, max_fields=10)
    year = str(form.get("year") or "")
    if not year.isdigit() or form.get("confirm") != "1":
        raise Invalid("tick the confirmation box to apply the assessment / 请勾选确认后再执行")
    _, changed = apply_year(store, visitor.actor, int(year))
    wrote(request)
    return RedirectResponse(f"/console/assessment?year={int(year)}&applied={len(changed)}", status_code=303)


# -- naming and funding (Articles 6–7, 10) -----------------------------------------------------------------
def _naming(cache: Cache, year: int, quota: int) -> list[dict[str, Any]]:
    return [c.to_json() for c in naming_of(cache, year, quota)]


def _funding(cache: Cache, year: int | None, union: str, short_only: bool) -> list[dict[str, Any]]:
    studios = records_of(cache).studios
    return [
        c.to_json()
        for c in funding_of(cache, year)
        if (not union or studios[c.studio_id].union_id == union) and (c.shortfall or not short_only)
    ]


YearOption = Annotated[int | None, Query(ge=1949, le=2100)]
AnyYear = Annotated[str, Query(max_length=4, pattern=r"^(\d{4})?$", description="A year, or empty for all")]


@router.get("/naming", response_class=HTMLResponse)
def naming_page(
    request: Request,
    visitor: VisitorDep,
    cache: LatestCacheDep,
    year: YearOption = None,
    quota: Annotated[int, Query(ge=1, le=10_000)] = 100,
) -> HTMLResponse:
    year = year or this_year()
    rows = _naming(cache, year, quota)
    return page(request, "naming.html", title=f"{year} 年市级命名候选", rows=rows, year=year, quota=quota,
                years=list(range(this_year() + 1, this_year() - 6, -1)))  # fmt: skip


@router.get("/naming/download")
def naming_download(
    visitor: VisitorDep,
    cache: CacheDep,
    year: YearOption = None,
    quota: Annotated[int, Query(ge=1, le=10_000)] = 100,
    format: Format = "xlsx",
) -> Response:
    year = year or this_year()
    rows = _naming(cache, year, quota)
    return _table_download(exports.naming_table(rows), rows, format, f"naming-{year}")


@router.get("/funding", response_class=HTMLResponse)
def funding_page(
    request: Request,
    visitor: VisitorDep,
    cache: LatestCacheDep,
    year: AnyYear = "",
    union: str | None = None,
    short: bool = False,
    page_no: Annotated[int, Query(alias="page", ge=1, le=100_000)] = 1,
) -> HTMLResponse:
    if union is None:  # a union's officer sees the union's own studios first
        union = visitor.actor.union_id or "" if visitor.actor.role is Role.UNION else ""
    rows = _funding(cache, int(year) if year else None, union, short)
    shown, paging = _page_of(rows, page_no, 100)
    totals = {k: sum(r[k] for r in rows) for k in ("municipal", "union", "employer", "shortfall")}
    return page(request, "funding.html", title="经费配套", rows=shown, paging=paging, totals=totals,
                year=int(year) if year else None,
                union=union, short=short, short_count=sum(1 for r in rows if r["shortfall"]),
                directory=_directory(cache), query=lambda **c: _query(request, **c),
                years=list(range(this_year(), this_year() - 8, -1)))  # fmt: skip


@router.get("/funding/download")
def funding_download(
    visitor: VisitorDep,
    cache: CacheDep,
    year: AnyYear = "",
    union: str = "",
    short: bool = False,
    format: Format = "xlsx",
) -> Response:
    rows = _funding(cache, int(year) if year else None, union, short)
    return _table_download(exports.funding_table(rows), rows, format, f"funding-{year or 'all'}")


# -- audit -------------------------------------------------------------------------------------------------
@router.get("/audit", response_class=HTMLResponse)
def audit_page(
    request: Request,
    visitor: VisitorDep,
    store: StoreDep,
    subject: Annotated[str, Query(max_length=200)] = "",
    page_no: Annotated[int, Query(alias="page", ge=1, le=100_000)] = 1,
) -> HTMLResponse:
    entries = audit_trail(store, visitor.actor, subject=subject or None)
    shown, paging = _page_of(entries, page_no)
    return page(request, "audit.html", title="审计日志", rows=shown, paging=paging, subject=subject,
                query=lambda **c: _query(request, **c))  # fmt: skip


# -- embedded network views --------------------------------------------------------------------------------
@router.get("/views/network", response_class=HTMLResponse)
def network_view(visitor: VisitorDep, cache: LatestCacheDep, color_by: ColourBy = "industry") -> HTMLResponse:
    return view_page(cache(("view", "network", color_by), lambda fit: render(draw(fit, "network", colour_by=color_by))))


@router.get("/views/{kind}/{key}", response_class=HTMLResponse)
def embedded_view(
    kind: Literal["studio", "alliance", "chain"], key: str, visitor: VisitorDep, cache: LatestCacheDep
) -> HTMLResponse:
    chosen: ViewKind = kind
    return view_page(cache(("view", kind, key), lambda fit: render(draw(fit, chosen, key))))


def mount(app: Any) -> None:
    """The console on ``app``: ``/`` sends a browser to it; its own style sheet and script are static."""
    from fastapi.staticfiles import StaticFiles

    from . import accounts as accounts_pages

    def root() -> RedirectResponse:
        return RedirectResponse("/console/", status_code=307)

    app.add_api_route("/", root, methods=["GET"], include_in_schema=False)

    def warm(cache: Cache) -> None:
        """What the home page and the assessment page (on the year it opens on) ask for first."""
        _dashboard(cache, _directory(cache))
        assessment_of(cache, this_year() - 1)

    app.state.models.warmers.append(warm)

    async def resign_session(request: Request, call_next: Any) -> Response:
        """A session seen again after a while goes back with a cookie that says so (idle time)."""
        response: Response = await call_next(request)
        cookie = getattr(request.state, "session_cookie", None)
        if cookie and "set-cookie" not in response.headers:
            response.set_cookie(COOKIE, cookie, max_age=int(settings_of(request).max_seconds), httponly=True,
                                secure=_secure(request), samesite="strict", path="/")  # fmt: skip
        return response

    app.middleware("http")(resign_session)
    app.include_router(router)
    app.include_router(accounts_pages.router)
    app.mount("/console/static", StaticFiles(directory=STATIC), name="console-static")
