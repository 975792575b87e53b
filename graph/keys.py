"""API keys: created with a random secret shown once, kept as a SHA-256 digest, revoked in place.

A token reads ``sa_<key id>_<secret>``; checking one is a lookup by id and a constant-time compare
of digests. Creating and revoking are audited like every other write.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from .errors import Conflict, NotFound
from .model import ApiKey, AuditEntry, Role, Studio, Union, now
from .store import BaseStore

PREFIX = "sa"


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_key(
    store: BaseStore,
    name: str,
    role: Role | str,
    *,
    union_id: str | None = None,
    studio_id: str | None = None,
    actor: str = "cli",
) -> tuple[ApiKey, str]:
    """A new key and its token (shown once; only its digest is stored)."""
    role = Role(role)
    if union_id is not None:
        store.get(Union, union_id)  # NotFound for an unknown union
    if studio_id is not None:
        store.get(Studio, studio_id)
    key_id = f"k{secrets.token_hex(6)}"
    secret = secrets.token_urlsafe(32)
    at = now()
    key = ApiKey(
        id=key_id, name=name, role=role, union_id=union_id, studio_id=studio_id, digest=_digest(secret), created_at=at
    )
    audit = AuditEntry.of(actor, "key.create", "ApiKey", key_id, f"{name} ({role.value})", at=at)
    store.write([key, audit])
    return key, f"{PREFIX}_{key_id}_{secret}"


def verify(store: BaseStore, token: str) -> ApiKey | None:
    """The live key a token belongs to, or ``None`` (malformed, unknown, wrong secret or revoked)."""
    parts = token.strip().split("_", 2)
    if len(parts) != 3 or parts[0] != PREFIX or not parts[1] or not parts[2]:
        return None
    found = store.get_many(ApiKey, [parts[1]]).get(parts[1])
    if found is None or found.revoked_at is not None:
        return None
    return found if hmac.compare_digest(found.digest, _digest(parts[2])) else None


def revoke(store: BaseStore, key_id: str, *, actor: str = "cli") -> ApiKey:
    key = store.get_many(ApiKey, [key_id]).get(key_id)
    if key is None:
        raise NotFound("ApiKey", key_id)
    if key.revoked_at is not None:
        raise Conflict(f"key {key_id} was revoked at {key.revoked_at}")
    at = now()
    revoked = key.model_copy(update={"revoked_at": at})
    audit = AuditEntry.of(actor, "key.revoke", "ApiKey", key_id, key.name, at=at)
    store.write([revoked, audit])
    return revoked
