"""Console sessions that survive a restart and are shared by every worker: signed, server-checked
state, nothing kept in a process's memory.

The session cookie holds who signed in (an account or an API key), when (``issued``), when last seen,
and a random nonce, signed with HMAC-SHA256 under a secret kept in the store
(:class:`graph.model.ServerSecret`, made once). Every request checks, against the store:

- the signature, the idle time and the absolute time (both settings: ``ALLIANCES_SESSION_IDLE_MINUTES``,
  default 480, and ``ALLIANCES_SESSION_MAX_HOURS``, default 24, or ``alliances serve`` options);
- that the account is enabled (or the key not revoked), and that the session began after the
  account's or key's ``sessions_after`` — so signing out, a password change, a reset and disabling end
  sessions at once, in every worker.

A cookie is re-signed with a new "last seen" at most once a minute. The CSRF token of a session's
forms is derived from its nonce, so it needs no storage either.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import time
from dataclasses import dataclass, replace

from graph.model import ApiKey, AuditEntry, ServerSecret, User, moment_of, now
from graph.store import BaseStore

from .accounts import actor_of
from .policy import Actor

IDLE_ENV = "ALLIANCES_SESSION_IDLE_MINUTES"
MAX_ENV = "ALLIANCES_SESSION_MAX_HOURS"
REFRESH_SECONDS = 60
_SECRET_ID = "console-sessions"  # noqa: S105 (the id of the record, not a secret)


@dataclass(frozen=True)
class SessionSettings:
    idle_seconds: float = 8 * 3600
    max_seconds: float = 24 * 3600

    @classmethod
    def from_env(cls) -> SessionSettings:
        idle = float(os.environ.get(IDLE_ENV) or 480) * 60
        most = float(os.environ.get(MAX_ENV) or 24) * 3600
        if idle <= 0 or most <= 0:
            raise ValueError(f"{IDLE_ENV} and {MAX_ENV} must be positive")
        return cls(idle, most)


@dataclass(frozen=True)
class Session:
    kind: str
    """``user`` (an account) or ``key`` (an API key)."""
    subject: str
    issued: int
    """Microseconds since the epoch."""
    seen: int
    nonce: str
    csrf: str
    cookie: str
    refreshed: bool = False
    """The cookie was re-signed for this request (the response sets it)."""


def _micros() -> int:
    return time.time_ns() // 1000


def _iso_micros(text: str) -> int:
    return int(moment_of(text).timestamp() * 1_000_000)


def _secret(store: BaseStore) -> bytes:
    """The store's session secret, made on first use (read each time: one lookup by key, so a store
    cleared or replaced under a running server never signs with a stale secret)."""
    stored = store.get_many(ServerSecret, [_SECRET_ID]).get(_SECRET_ID)
    if stored is None:
        store.write([ServerSecret(id=_SECRET_ID, value=secrets.token_hex(32), created_at=now())])
        stored = store.get(ServerSecret, _SECRET_ID)  # another worker may have written first: use what is kept
    return bytes.fromhex(stored.value)


def _sign(secret: bytes, body: str) -> str:
    return base64.urlsafe_b64encode(hmac.new(secret, body.encode(), hashlib.sha256).digest()).decode().rstrip("=")


def _encode(secret: bytes, kind: str, subject: str, issued: int, seen: int, nonce: str) -> Session:
    payload = json.dumps([1, kind, subject, issued, seen, nonce], separators=(",", ":"), ensure_ascii=True)
    body = base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")
    csrf = _sign(secret, f"csrf|{nonce}")
    return Session(kind, subject, issued, seen, nonce, csrf, f"{body}.{_sign(secret, body)}")


def open_session(store: BaseStore, kind: str, subject: str) -> Session:
    """A new session for an account (``user``) or an API key (``key``)."""
    stamp = _micros()
    return _encode(_secret(store), kind, subject, stamp, stamp, secrets.token_urlsafe(18))


def read_session(store: BaseStore, cookie: str | None, settings: SessionSettings) -> Session | None:
    """The session a cookie holds, when its signature is good and it has not timed out."""
    if not cookie or len(cookie) > 1000 or cookie.count(".") != 1:
        return None
    body, mac = cookie.split(".")
    secret = _secret(store)
    if not hmac.compare_digest(mac, _sign(secret, body)):
        return None
    try:
        version, kind, subject, issued, seen, nonce = json.loads(
            base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        )
    except (ValueError, TypeError):
        return None
    stamp = _micros()
    if version != 1 or kind not in ("user", "key") or not isinstance(issued, int) or not isinstance(seen, int):
        return None
    if stamp - seen > settings.idle_seconds * 1e6 or stamp - issued > settings.max_seconds * 1e6:
        return None
    session = Session(kind, str(subject), issued, seen, str(nonce), _sign(secret, f"csrf|{nonce}"), cookie)
    if stamp - seen > REFRESH_SECONDS * 1e6:
        session = replace(_encode(secret, kind, session.subject, issued, stamp, session.nonce), refreshed=True)
    return session


@dataclass(frozen=True)
class SignedIn:
    """Who a live session speaks for: the actor, and the account (``None`` for an API key)."""

    actor: Actor
    user: User | None
    key: ApiKey | None


def signed_in(store: BaseStore, session: Session) -> SignedIn | None:
    """The account or key of a session, when it may still act: enabled (not revoked), and the
    session began after its ``sessions_after``."""
    if session.kind == "user":
        user = store.get_many(User, [session.subject]).get(session.subject)
        if user is None or user.disabled_at is not None or _ended(user.sessions_after, session):
            return None
        return SignedIn(actor_of(user), user, None)
    key = store.get_many(ApiKey, [session.subject]).get(session.subject)
    if key is None or key.revoked_at is not None or _ended(key.sessions_after, session):
        return None
    return SignedIn(Actor.of_key(key), None, key)


def _ended(after: str | None, session: Session) -> bool:
    return after is not None and session.issued <= _iso_micros(after)


def end_key_sessions(store: BaseStore, key: ApiKey) -> None:
    """Signing out of a console session opened with an API key ends every such session of the key."""
    at = now()
    store.write([key.model_copy(update={"sessions_after": at}),
                 AuditEntry.of(f"{key.name} ({key.id})", "signout", "ApiKey", key.id, at=at)])  # fmt: skip
