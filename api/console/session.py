"""Console sign-in: an API key is exchanged for a session, kept in a ``Secure``, ``HttpOnly``,
``SameSite=Strict`` cookie; every form carries the session's CSRF token.

Sessions live in the server's memory (one process serves the app): signing out, or revoking the key
(``alliances keys revoke``), ends them at once, and a restart signs everyone out. The cookie holds a
random 256-bit token and nothing else; the key itself is never stored in the browser.
"""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import Depends, Request
from starlette.datastructures import FormData

from graph.errors import AlliancesError, Forbidden
from graph.model import ApiKey
from services.policy import Actor

from ..deps import StoreDep

COOKIE = "alliances_session"
SIGNIN_COOKIE = "alliances_signin"
IDLE_SECONDS = 8 * 3600
"""A session unused this long ends (a working day)."""
MAX_SECONDS = 24 * 3600
"""A session ends this long after sign-in, used or not."""


class SignInRequired(AlliancesError):
    """No session, or an expired one, or its key was revoked: the console sends the browser to the
    sign-in page (``next`` says where to come back to)."""

    http_status = 303
    code = "sign-in"

    def __init__(self, next_path: str = "/console/") -> None:
        super().__init__("sign in first / 请先登录")
        self.next_path = next_path


@dataclass
class Session:
    token: str
    key_id: str
    csrf: str
    started: float
    seen: float


@dataclass
class Sessions:
    """The signed-in sessions of this process."""

    idle_seconds: float = IDLE_SECONDS
    max_seconds: float = MAX_SECONDS
    _by_token: dict[str, Session] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def open(self, key: ApiKey) -> Session:
        now = time.monotonic()
        session = Session(secrets.token_urlsafe(32), key.id, secrets.token_urlsafe(32), now, now)
        with self._lock:
            self._expire(now)
            self._by_token[session.token] = session
        return session

    def get(self, token: str | None) -> Session | None:
        if not token:
            return None
        now = time.monotonic()
        with self._lock:
            session = self._by_token.get(token)
            if session is None:
                return None
            if now - session.seen > self.idle_seconds or now - session.started > self.max_seconds:
                del self._by_token[token]
                return None
            session.seen = now
            return session

    def close(self, token: str | None) -> None:
        with self._lock:
            self._by_token.pop(token or "", None)

    def _expire(self, now: float) -> None:
        gone = [
            t
            for t, s in self._by_token.items()
            if now - s.seen > self.idle_seconds or now - s.started > self.max_seconds
        ]
        for t in gone:
            del self._by_token[t]


def sessions_of(request: Request) -> Sessions:
    sessions: Sessions = request.app.state.sessions
    return sessions


@dataclass(frozen=True)
class Visitor:
    """A signed-in console user: the actor (as the API sees its key) and the session (for its CSRF token)."""

    actor: Actor
    session: Session


def get_visitor(request: Request, store: StoreDep) -> Visitor:
    session = sessions_of(request).get(request.cookies.get(COOKIE))
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    if session is None:
        raise SignInRequired(here)
    key = store.get_many(ApiKey, [session.key_id]).get(session.key_id)
    if key is None or key.revoked_at is not None:
        sessions_of(request).close(session.token)
        raise SignInRequired(here)
    visitor = Visitor(Actor.of_key(key), session)
    request.state.visitor = visitor
    return visitor


VisitorDep = Annotated[Visitor, Depends(get_visitor)]


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
