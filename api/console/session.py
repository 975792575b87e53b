"""Console sign-in: an account (login name and password) or an API key is exchanged for a session,
kept in a ``Secure``, ``HttpOnly``, ``SameSite=Strict`` cookie; every form carries the session's CSRF
token.

Sessions are signed, server-checked state (:mod:`services.sessions`): nothing lives in a process's
memory, so they survive ``alliances serve`` restarting and every worker of ``--workers N`` accepts
them. Signing out, a password change, a reset or disabling the account (or revoking the key) ends
them at once. The cookie never holds a password or a key.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import Depends, Request
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from graph.errors import AlliancesError, Forbidden
from graph.model import User
from services.policy import Actor
from services.sessions import Session, SessionSettings, read_session, signed_in

from ..deps import StoreDep, get_store
from ..guards import GuardedRoute

COOKIE = "alliances_session"
SIGNIN_COOKIE = "alliances_signin"
PASSWORD_PATHS = frozenset({"/console/password", "/console/signout"})
"""The only pages an account with a one-time password may open before it changes it."""


class SignInRequired(AlliancesError):
    """No session, or an expired one, or its account was disabled or its key revoked: the console
    sends the browser to the sign-in page (``next`` says where to come back to)."""

    http_status = 303
    code = "sign-in"

    def __init__(self, next_path: str = "/console/", target: str = "/console/signin") -> None:
        super().__init__("sign in first / 请先登录")
        self.next_path = next_path
        self.target = target


def settings_of(request: Request) -> SessionSettings:
    settings: SessionSettings = request.app.state.session_settings
    return settings


@dataclass(frozen=True)
class Visitor:
    """A signed-in console user: the actor (as the API sees its key or account), the session (for
    its CSRF token) and the account (``None`` when signed in with an API key)."""

    actor: Actor
    session: Session
    user: User | None = None


def get_visitor(request: Request, store: StoreDep) -> Visitor:
    """The signed-in visitor (:class:`SignInRequired` without a live session): found once per request,
    by a form's gate (:class:`ConsoleRoute`) or by the page."""
    known = getattr(request.state, "visitor", None)
    if isinstance(known, Visitor):
        return known
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    session = read_session(store, request.cookies.get(COOKIE), settings_of(request))
    who = signed_in(store, session) if session is not None else None
    if session is None or who is None:
        raise SignInRequired(here)
    if session.refreshed:
        request.state.session_cookie = session.cookie
    if who.user is not None and who.user.must_change and request.url.path not in PASSWORD_PATHS:
        raise SignInRequired(here, target="/console/password")
    visitor = Visitor(who.actor, session, who.user)
    request.state.visitor = visitor
    return visitor


VisitorDep = Annotated[Visitor, Depends(get_visitor)]


class ConsoleRoute(GuardedRoute):
    """A console route: a form's permission is checked for the signed-in visitor before the form is
    read, so before its CSRF token (:func:`checked_form`). Both refusals are 403 and a page on
    another site cannot read either; checking the role first leaves the body of a forbidden post
    unread (an upload is never parsed) and tells the visitor the true reason."""

    async def actor_of(self, request: Request) -> Actor:
        visitor = await run_in_threadpool(lambda: get_visitor(request, get_store(request)))
        return visitor.actor


def same_origin(request: Request) -> bool:
    """A form posted from our own pages: its ``Origin`` (or, failing that, ``Referer``) names this
    host. Browsers send one of them with every POST."""
    source = request.headers.get("origin") or request.headers.get("referer")
    if not source or source == "null":
        return False
    parts = urlsplit(source)
    return (parts.scheme, parts.netloc) == (request.url.scheme, request.url.netloc)


async def checked_form(request: Request, visitor: Visitor, **limits: int) -> FormData:
    """The posted form, after checking that it came from our pages and carries the session's CSRF
    token; :class:`Forbidden` otherwise (nothing is done)."""
    form = await request.form(**limits)
    token = form.get("csrf")
    if not same_origin(request) or not isinstance(token, str) or not hmac.compare_digest(token, visitor.session.csrf):
        raise Forbidden(
            "the form has expired or came from another site; reload the page / 表单已过期或来源不明，请刷新页面后重试"
        )
    return form


def safe_next(path: str | None) -> str:
    """Where to go after signing in: a console path of ours, never another site."""
    if path and path.startswith("/console/") and not path.startswith("//") and "\\" not in path:
        return path
    return "/console/"
