"""Who may write, decided before anything sent with the request is read.

Every write route (POST, PUT, PATCH, DELETE) of the JSON API and of the console declares the
:class:`services.policy.Permission` it needs with :func:`requires`, under its route decorator::

    @router.post("/{studio_id}/delist", ...)
    @requires(STUDIO_DELIST, record="studio_id")
    def delist_studio(studio_id: str, body: Delisting, ...): ...

and its router builds it as a :class:`GuardedRoute` (the JSON API: the actor is the API key) or as
:class:`api.console.session.ConsoleRoute` (the actor is the signed-in account or key). Such a route
finds the actor and checks the permission — the actor's role, then the record the path names —
before FastAPI reads the body, so a caller that may not do a thing is answered 403 whatever it sent
(401 without a key; the console's sign-in page without a session); only a caller that may do it
ever sees 422 for a malformed body. A route class rather than a dependency: FastAPI reads the body,
decodes its JSON and parses forms before it solves any dependency, so a malformed JSON body is a 422
before a dependency could say 403. A write route with no declared permission cannot be built.

What only the body can say is decided after it is read, by the service: the union of a new studio,
the studios of a roster, and which fields an edit changes (a studio's own key may change its
expertise and needs only). Each of those routes still says 403 first wherever the role alone forbids
the job (a studio key creating studios or loading rosters).
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any, TypeVar

from fastapi import Request, Response
from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool

from graph.store import BaseStore
from services.policy import Actor, Permission

from .deps import actor_of_token, get_store, key_token

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
E = TypeVar("E", bound=Callable[..., Any])
_MARK = "alliances_requirement"


@dataclass(frozen=True)
class Requirement:
    """What a write route declares: its permission (``None``: open to callers with no key or session,
    which only the console's sign-in form is) and the path parameter naming the record a scoped
    permission reads."""

    permission: Permission | None
    record: str | None = None

    def __post_init__(self) -> None:
        scoped = self.permission is not None and self.permission.scope is not None
        if scoped != (self.record is not None):
            raise TypeError("a permission about one record needs the path parameter that names it, and only then")

    def key(self, request: Request) -> str | None:
        return request.path_params[self.record] if self.record is not None else None


def requires(permission: Permission, record: str | None = None) -> Callable[[E], E]:
    """Declare the permission a write route needs (and, for a scoped one, the path parameter naming
    its record); goes under the route decorator."""

    def mark(endpoint: E) -> E:
        setattr(endpoint, _MARK, Requirement(permission, record))
        return endpoint

    return mark


def open_to_anyone(endpoint: E) -> E:
    """Declare a write that needs no key or session (the console's sign-in form)."""
    setattr(endpoint, _MARK, Requirement(None))
    return endpoint


def requirement_of(endpoint: Callable[..., Any]) -> Requirement | None:
    found = getattr(endpoint, _MARK, None)
    return found if isinstance(found, Requirement) else None


class GuardedRoute(APIRoute):
    """A route of the JSON API: a write checks its declared permission before its body is read."""

    def __init__(self, path: str, endpoint: Callable[..., Any], **options: Any) -> None:
        self.requirement = requirement_of(endpoint)  # read by get_route_handler, which APIRoute calls
        super().__init__(path, endpoint, **options)
        writes = sorted((self.methods or set()) & WRITE_METHODS)
        if self.requirement is None and writes:
            raise TypeError(f"{' '.join(writes)} {path} declares no permission: "
                            "put @requires(...) under its route decorator")  # fmt: skip
        record = self.requirement.record if self.requirement else None
        if record is not None and record not in self.param_convertors:
            raise TypeError(f"{path} has no path parameter {record!r} naming the record of its permission")

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        requirement = self.requirement
        if requirement is None or requirement.permission is None:
            return handler
        permission = requirement.permission

        async def guarded(request: Request) -> Response:
            actor = await self.actor_of(request)
            request.state.actor = actor
            await run_in_threadpool(_check, permission, actor, request, requirement.key(request))
            return await handler(request)

        return guarded

    async def actor_of(self, request: Request) -> Actor:
        """Who acts: the API key's actor (:class:`graph.errors.Unauthorized` without a live key)."""
        token = await key_token(request)
        return await run_in_threadpool(lambda: actor_of_token(get_store(request), token))


def _check(permission: Permission, actor: Actor, request: Request, key: str | None) -> None:
    store: BaseStore | None = get_store(request) if key is not None else None
    permission.check(actor, store, key)
