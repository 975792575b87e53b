"""API keys (for machines and scripts): created and revoked by the municipal union, audited in the
same write (:mod:`graph.keys` keeps only a digest of each secret)."""

from __future__ import annotations

from graph import keys
from graph.model import ApiKey, Role
from graph.store import BaseStore

from .policy import ACCOUNTS, Actor


def create_key(
    store: BaseStore, actor: Actor, name: str, role: Role, *, union_id: str | None = None, studio_id: str | None = None
) -> tuple[ApiKey, str]:
    """A new key and its token (shown once)."""
    ACCOUNTS.check(actor)
    return keys.create_key(store, name, role, union_id=union_id, studio_id=studio_id, actor=actor.name)


def revoke_key(store: BaseStore, actor: Actor, key_id: str) -> ApiKey:
    ACCOUNTS.check(actor)
    return keys.revoke(store, key_id, actor=actor.name)


def list_keys(store: BaseStore, actor: Actor) -> list[ApiKey]:
    ACCOUNTS.check(actor)
    return sorted(store.list(ApiKey), key=lambda k: k.created_at)
