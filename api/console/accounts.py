"""The console's account pages: 修改密码 for everyone with an account, and 账户管理 for the municipal
union's administrator (accounts and API keys). Thin doors onto :mod:`services.accounts` and
:mod:`services.keys`; a one-time password or a new key is shown once, on the answer to the form that
made it, and never again."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from graph.errors import AlliancesError, Conflict, NotFound, Unauthorized, ValidationError
from graph.model import Role, Union
from services import accounts
from services import keys as key_service
from services.policy import ACCOUNTS, OWN_ACCOUNT

from ..deps import StoreDep
from ..guards import requires
from .pages import signed_in_response
from .render import page
from .session import ConsoleRoute, VisitorDep, checked_form, safe_next

router = APIRouter(prefix="/console", include_in_schema=False, route_class=ConsoleRoute)
NO_STORE = {"Cache-Control": "no-store"}


def _problems(exc: AlliancesError) -> list[str]:
    if isinstance(exc, ValidationError):
        return [p.message_zh or p.message for p in exc.problems]
    return [str(exc).split(" / ")[-1]]


# -- one's own password ------------------------------------------------------------------------------
@router.get("/password", response_class=HTMLResponse)
def password_form(request: Request, visitor: VisitorDep, next: str | None = None) -> HTMLResponse:
    return _password_page(request, visitor, safe_next(next), [])


def _password_page(request: Request, visitor: VisitorDep, next_path: str, problems: list[str],
                   status: int = 200) -> HTMLResponse:  # fmt: skip
    return page(request, "password.html", http_status=status, title="修改密码", visitor=visitor, next=next_path,
                problems=problems)  # fmt: skip


@router.post("/password", response_class=HTMLResponse)
@requires(OWN_ACCOUNT)
async def change_password(request: Request, visitor: VisitorDep, store: StoreDep) -> Response:
    """Change one's password; every session of the account ends, and this browser signs in anew."""
    form = await checked_form(request, visitor, max_files=0, max_fields=10)
    next_path = safe_next(str(form.get("next") or ""))
    if visitor.user is None:
        return _password_page(request, visitor, next_path, ["使用 API 密钥登录时没有密码可改。"], 400)
    old, new, again = (str(form.get(f) or "")[:500] for f in ("old", "new", "again"))
    if new != again:
        return _password_page(request, visitor, next_path, ["两次输入的新密码不一致。"], 422)
    try:
        user = accounts.change_password(store, visitor.user.id, old, new)
    except (Unauthorized, ValidationError) as exc:
        return _password_page(request, visitor, next_path, _problems(exc), 422)
    return signed_in_response(request, store, "user", user.id, next_path + ("&" if "?" in next_path else "?") +
                              "password=changed")  # fmt: skip


# -- the administrator's page ------------------------------------------------------------------------
def _accounts_page(request: Request, visitor: VisitorDep, store: StoreDep, *, problems: list[str] | None = None,
                   shown: dict[str, str] | None = None, status: int = 200, given: dict[str, str] | None = None
                   ) -> HTMLResponse:  # fmt: skip
    ACCOUNTS.check(visitor.actor)
    response = page(request, "accounts.html", http_status=status, title="账户管理", visitor=visitor,
                    users=accounts.list_users(store, visitor.actor), keys=key_service.list_keys(store, visitor.actor),
                    unions=sorted(store.list(Union), key=lambda u: u.id), problems=problems or [], shown=shown,
                    given=given or {}, done=request.query_params.get("done", ""))  # fmt: skip
    response.headers.update(NO_STORE)
    return response


@router.get("/accounts", response_class=HTMLResponse)
def accounts_page(request: Request, visitor: VisitorDep, store: StoreDep) -> HTMLResponse:
    return _accounts_page(request, visitor, store)


def _scope(form_role: str, union: str, studio: str) -> tuple[Role, str | None, str | None]:
    role = Role(form_role) if form_role in {r.value for r in Role} else Role.STUDIO
    return role, (union or None) if role is Role.UNION else None, (studio or None) if role is Role.STUDIO else None


@router.post("/accounts/users", response_class=HTMLResponse)
@requires(ACCOUNTS)
async def create_user(request: Request, visitor: VisitorDep, store: StoreDep) -> Response:
    """Open an account with a one-time password, shown once on the answer."""
    form = await checked_form(request, visitor, max_files=0, max_fields=10)
    given = {f: str(form.get(f) or "").strip()[:200] for f in ("login", "name", "role", "union", "studio")}
    role, union_id, studio_id = _scope(given["role"], given["union"], given["studio"])
    try:
        user, one_time = accounts.create_user(store, visitor.actor, given["login"], role, name=given["name"],
                                              union_id=union_id, studio_id=studio_id)  # fmt: skip
    except (ValidationError, Conflict, NotFound) as exc:
        return _accounts_page(request, visitor, store, problems=_problems(exc), status=422, given=given)
    shown = {"what": "account", "login": user.id, "secret": one_time or ""}
    return _accounts_page(request, visitor, store, shown=shown)


@router.post("/accounts/users/{login}/{action}", response_class=HTMLResponse)
@requires(ACCOUNTS)
async def change_user(request: Request, login: str, action: str, visitor: VisitorDep, store: StoreDep) -> Response:
    """Disable, enable or reset an account (a reset shows its one-time password once)."""
    await checked_form(request, visitor, max_files=0, max_fields=5)
    try:
        if action == "reset":
            user, one_time = accounts.reset_user(store, visitor.actor, login)
            return _accounts_page(
                request, visitor, store, shown={"what": "reset", "login": user.id, "secret": one_time}
            )
        if action == "disable":
            accounts.disable_user(store, visitor.actor, login)
        elif action == "enable":
            accounts.enable_user(store, visitor.actor, login)
        else:
            raise NotFound("action", action)
    except (Conflict, NotFound) as exc:
        return _accounts_page(request, visitor, store, problems=_problems(exc), status=409)
    return RedirectResponse(f"/console/accounts?{urlencode({'done': f'{action}:{login}'})}", status_code=303)


@router.post("/accounts/keys", response_class=HTMLResponse)
@requires(ACCOUNTS)
async def create_key(request: Request, visitor: VisitorDep, store: StoreDep) -> Response:
    """Issue an API key (for machines and scripts); its token is shown once."""
    form = await checked_form(request, visitor, max_files=0, max_fields=10)
    given = {f: str(form.get(f) or "").strip()[:200] for f in ("key_name", "key_role", "key_union", "key_studio")}
    role, union_id, studio_id = _scope(given["key_role"], given["key_union"], given["key_studio"])
    try:
        key, token = key_service.create_key(store, visitor.actor, given["key_name"] or "console key", role,
                                            union_id=union_id, studio_id=studio_id)  # fmt: skip
    except (ValidationError, NotFound, ValueError) as exc:
        problems = _problems(exc) if isinstance(exc, AlliancesError) else [f"密钥信息不合规：{exc}"]
        return _accounts_page(request, visitor, store, problems=problems, status=422, given=given)
    return _accounts_page(request, visitor, store, shown={"what": "key", "login": key.id, "secret": token})


@router.post("/accounts/keys/{key_id}/revoke", response_class=HTMLResponse)
@requires(ACCOUNTS)
async def revoke_key(request: Request, key_id: str, visitor: VisitorDep, store: StoreDep) -> Response:
    await checked_form(request, visitor, max_files=0, max_fields=5)
    try:
        key_service.revoke_key(store, visitor.actor, key_id)
    except (Conflict, NotFound) as exc:
        return _accounts_page(request, visitor, store, problems=_problems(exc), status=409)
    return RedirectResponse(f"/console/accounts?{urlencode({'done': f'revoke:{key_id}'})}", status_code=303)
