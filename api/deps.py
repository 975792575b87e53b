"""What every route and page shares: the process's store, the fitted models, and the actor behind
the key (:class:`services.policy.Actor`), as FastAPI dependencies; and what a door does after a
write (the models refit; studios that stopped taking part in matching leave the current fit at once)."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from graph.config import parse_store_setting
from graph.errors import Unauthorized
from graph.exclusion import Exclusion
from graph.keys import verify
from graph.store import BaseStore
from services.fits import Cache, Fit, Models
from services.policy import Actor

_header = APIKeyHeader(name="X-API-Key", auto_error=False, description="An API key: `sa_<id>_<secret>`")
_bearer = HTTPBearer(auto_error=False, description="The same key as a bearer token")


@dataclass
class StoreHolder:
    """The process's one store, opened lazily so that an app started while Neo4j is down comes up
    and answers 503 until it is back."""

    setting: str | None
    _store: BaseStore | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def get(self) -> BaseStore:
        if self._store is None:
            with self._lock:
                if self._store is None:
                    self._store = parse_store_setting(self.setting).open(retry_seconds=1.0, connection_timeout=3.0)
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None


def get_store(request: Request) -> BaseStore:
    holder: StoreHolder = request.app.state.holder
    return holder.get()


StoreDep = Annotated[BaseStore, Depends(get_store)]


def models_of(request: Request) -> Models:
    models: Models = request.app.state.models
    return models


def get_fit(request: Request, store: StoreDep) -> Fit:
    """The current fit; waits for a refit after a write (the JSON API reflects every earlier write)."""
    return models_of(request).get(store)


FitDep = Annotated[Fit, Depends(get_fit)]


def get_cache(request: Request, store: StoreDep) -> Cache:
    """Results computed once per fit (gap reports, views), all from the fit current when the request
    began."""
    return models_of(request).cache(store)


CacheDep = Annotated[Cache, Depends(get_cache)]


def get_latest_fit(request: Request, store: StoreDep) -> Fit:
    """The last fit at once (refit in the background when stale): for the web console."""
    return models_of(request).get(store, wait=False)


LatestFitDep = Annotated[Fit, Depends(get_latest_fit)]


def get_latest_cache(request: Request, store: StoreDep) -> Cache:
    return models_of(request).cache(store, wait=False)


LatestCacheDep = Annotated[Cache, Depends(get_latest_cache)]


async def key_token(request: Request) -> str | None:
    """The API key a request carries: ``X-API-Key``, or ``Authorization: Bearer``."""
    header = await _header(request)
    bearer = await _bearer(request)
    return header or (bearer.credentials if bearer else None)


def actor_of_token(store: BaseStore, token: str | None) -> Actor:
    """The actor behind a key's token; :class:`Unauthorized` without one or for a bad one."""
    if not token:
        raise Unauthorized("an API key is required (X-API-Key header) / 需要 API 密钥")
    key = verify(store, token)
    if key is None:
        raise Unauthorized("the API key is not valid or was revoked / API 密钥无效或已吊销")
    return Actor.of_key(key)


def get_actor(
    request: Request,
    store: StoreDep,
    header: Annotated[str | None, Depends(_header)],
    bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Actor:
    """The actor behind the request's key: the one a write route's gate found already
    (:class:`api.guards.GuardedRoute`), else the key's."""
    gated = getattr(request.state, "actor", None)
    if isinstance(gated, Actor):
        return gated
    return actor_of_token(store, header or (bearer.credentials if bearer else None))


ActorDep = Annotated[Actor, Depends(get_actor)]


def wrote(request: Request, excluded: dict[str, Exclusion] | None = None) -> None:
    """After a write through a door: studios that stopped taking part in matching leave the current
    fit at once, and the next request that needs the models refits."""
    models = models_of(request)
    if excluded:
        models.exclude(excluded)
    models.invalidate()
