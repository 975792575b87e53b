"""Dependencies every route shares: the store, the fitted models, and the caller behind the key."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from graph.keys import verify
from graph.model import ApiKey, AuditEntry, Role, Studio
from graph.store import BaseStore, Projection

from .app import Cache, Forbidden, Models, Unauthorized

_header = APIKeyHeader(name="X-API-Key", auto_error=False, description="An API key: `sa_<id>_<secret>`")
_bearer = HTTPBearer(auto_error=False, description="The same key as a bearer token")


def get_store(request: Request) -> BaseStore:
    return request.app.state.holder.get()  # type: ignore[no-any-return]


StoreDep = Annotated[BaseStore, Depends(get_store)]


def get_models(request: Request, store: StoreDep) -> tuple[Projection, Any]:
    models: Models = request.app.state.models
    return models.get(store)


ModelsDep = Annotated[tuple[Projection, Any], Depends(get_models)]


def get_cache(request: Request, store: StoreDep) -> Cache:
    """``cache(key, make)``: a result computed once per fit of the models (gap reports, views), all
    from the one fit current when the request began."""
    models: Models = request.app.state.models
    return models.cache(store)


CacheDep = Annotated[Cache, Depends(get_cache)]


def get_latest_models(request: Request, store: StoreDep) -> tuple[Projection, Any]:
    """The last fitted models at once (refit in the background when stale): for the web console."""
    models: Models = request.app.state.models
    return models.get(store, wait=False)


LatestModelsDep = Annotated[tuple[Projection, Any], Depends(get_latest_models)]


def get_latest_cache(request: Request, store: StoreDep) -> Cache:
    models: Models = request.app.state.models
    return models.cache(store, wait=False)


LatestCacheDep = Annotated[Cache, Depends(get_latest_cache)]


@dataclass(frozen=True)
class Caller:
    """Who is asking: the key's id and name (for the audit trail), its role and its scope."""

    key: ApiKey

    @property
    def actor(self) -> str:
        return f"{self.key.name} ({self.key.id})"

    def can_write_studio(self, studio: Studio) -> bool:
        if self.key.role is Role.MUNICIPAL:
            return True
        if self.key.role is Role.UNION:
            return studio.union_id == self.key.union_id
        return False

    def can_edit_profile(self, studio: Studio) -> bool:
        """Expertise and needs: the studio itself, its union, the municipal union."""
        return self.can_write_studio(studio) or (self.key.role is Role.STUDIO and self.key.studio_id == studio.id)

    def require_municipal(self) -> None:
        if self.key.role is not Role.MUNICIPAL:
            raise Forbidden("only the municipal union's keys may do this / 仅市总工会可以执行此操作")


def get_caller(
    store: StoreDep,
    header: Annotated[str | None, Depends(_header)],
    bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Caller:
    token = header or (bearer.credentials if bearer else None)
    if not token:
        raise Unauthorized("an API key is required (X-API-Key header) / 需要 API 密钥")
    key = verify(store, token)
    if key is None:
        raise Unauthorized("the API key is not valid or was revoked / API 密钥无效或已吊销")
    return Caller(key)


CallerDep = Annotated[Caller, Depends(get_caller)]


def audit_entry(caller: Caller, action: str, label: str, key: str, note: str = "") -> AuditEntry:
    """An audit-trail entry for a write by ``caller``: who (the key), what, when."""
    return AuditEntry.of(caller.actor, action, label, key, note[:2000])


def record(store: BaseStore, caller: Caller, action: str, label: str, key: str, note: str = "") -> None:
    """Write an audit-trail entry on its own (when the change itself was written elsewhere)."""
    store.write([audit_entry(caller, action, label, key, note)])
