"""The HTTP API: one FastAPI app, one store per process (opened in the lifespan, reopened when it
was unreachable), dependencies for the store, the caller's key and the fitted matching models.

Errors have one JSON shape, ``{"error": {"status", "code", "message", "message_zh", "problems"}}``:
an unknown id is 404, an invalid body or parameter 422 naming the field, a conflicting write 409,
an unreachable store 503 with ``Retry-After`` (the next request tries again, so the app recovers by
itself when the server is back), a missing or bad key 401, a key outside its scope 403. Never a
stack trace: unexpected errors are logged and answered 500 with a reference.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import ValidationError as PydanticValidationError

from graph.config import parse_store_setting
from graph.errors import AlliancesError, ConfigurationError, Conflict, NotFound, StoreUnavailable, ValidationError
from graph.store import BaseStore, Projection

log = logging.getLogger("alliances.api")

RETRY_AFTER_SECONDS = 5


class Unauthorized(AlliancesError):
    """No key, or not a live one."""


class Forbidden(AlliancesError):
    """A live key, outside its scope."""


class Invalid(AlliancesError):
    """A request that is well-formed but asks for something impossible (422)."""


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


@dataclass
class Models:
    """The projection and the fitted matching models, shared by requests, refit after a write
    through the API or after ``max_age`` seconds (writes by other processes show up then)."""

    max_age: float = 300.0
    _fitted: tuple[float, Projection, Any] | None = None
    _derived: dict[tuple[Any, ...], tuple[float, Any]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def get(self, store: BaseStore) -> tuple[Projection, Any]:
        from matching.suggest import Suggester

        with self._lock:
            if self._fitted is None or time.monotonic() - self._fitted[0] > self.max_age:
                projection = store.projection()
                self._fitted = (time.monotonic(), projection, Suggester().fit(projection))
            return self._fitted[1], self._fitted[2]

    def derived(self, store: BaseStore, key: tuple[Any, ...], make: Any) -> Any:
        """A result computed from the current models (a gap report, a view), kept until they are
        refit: ``make(projection, suggester)`` runs once per key and fit."""
        projection, suggester = self.get(store)
        with self._lock:
            fitted_at = self._fitted[0] if self._fitted else 0.0
            found = self._derived.get(key)
            if found is not None and found[0] == fitted_at:
                return found[1]
        value = make(projection, suggester)
        with self._lock:
            self._derived[key] = (fitted_at, value)
            if len(self._derived) > 256:  # many distinct requests: start again rather than grow
                self._derived = {key: (fitted_at, value)}
        return value

    def invalidate(self) -> None:
        with self._lock:
            self._fitted = None
            self._derived = {}


def _error(status: int, code: str, message: str, message_zh: str = "", problems: list[Any] | None = None,
           headers: dict[str, str] | None = None) -> JSONResponse:  # fmt: skip
    body = {"error": {"status": status, "code": code, "message": message, "message_zh": message_zh,
                      "problems": problems or []}}  # fmt: skip
    return JSONResponse(body, status_code=status, headers=headers)


def _split(message: str) -> tuple[str, str]:
    """Our messages read ``English / 中文``: the two halves."""
    if " / " in message:
        en, zh = message.split(" / ", 1)
        return en, zh
    return message, ""


def create_app(store: str | None = None, *, cache_seconds: float = 300.0) -> FastAPI:
    """The app for a store setting (a path or a bolt:// URI; ``None`` reads ``ALLIANCES_STORE``)."""
    holder = StoreHolder(store)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        try:
            holder.get()
        except StoreUnavailable as exc:  # come up anyway: requests answer 503 until it is back
            log.warning("store unreachable at start-up: %s", exc)
        yield
        holder.close()

    app = FastAPI(
        title="studio-alliances",
        summary="劳模创新工作室联盟平台 API: studios, Article 12 partners, alliances, chain gaps, views",
        version="0.1.0",
        lifespan=lifespan,
    )
    app.state.holder = holder
    app.state.models = Models(cache_seconds)
    from .logs import log_requests

    app.middleware("http")(log_requests)

    @app.exception_handler(AlliancesError)
    async def _alliances_error(request: Request, exc: AlliancesError) -> JSONResponse:
        en, zh = _split(str(exc))
        if isinstance(exc, Unauthorized):
            return _error(401, "unauthorized", en, zh, headers={"WWW-Authenticate": "ApiKey"})
        if isinstance(exc, Forbidden):
            return _error(403, "forbidden", en, zh)
        if isinstance(exc, NotFound):
            return _error(404, "not-found", en, zh)
        if isinstance(exc, Conflict):
            return _error(409, "conflict", en, zh)
        if isinstance(exc, Invalid):
            return _error(422, "invalid", en, zh)
        if isinstance(exc, ValidationError):
            problems = [vars(p) for p in exc.problems]
            return _error(422, "invalid", en, zh, problems)
        if isinstance(exc, StoreUnavailable):
            return _error(503, "store-unavailable", en, zh or "数据库暂时无法访问，请稍后重试",
                          headers={"Retry-After": str(RETRY_AFTER_SECONDS)})  # fmt: skip
        if isinstance(exc, ConfigurationError):
            return _error(500, "configuration", en, zh)
        return _error(500, "error", en, zh)

    @app.exception_handler(RequestValidationError)
    async def _invalid_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = [
            {
                "column": ".".join(str(p) for p in e.get("loc", ()) if p not in ("body", "query", "path")),
                "location": str(e.get("loc", ("",))[0]),
                "message": e.get("msg", ""),
                "value": _plain(e.get("input")),
            }
            for e in exc.errors()
        ]
        fields = ", ".join(p["column"] for p in problems if p["column"])
        return _error(422, "invalid", f"invalid request: {fields}", f"请求参数有误：{fields}", problems)

    @app.exception_handler(PydanticValidationError)
    async def _invalid_record(request: Request, exc: PydanticValidationError) -> JSONResponse:
        """A request that parses but makes an invalid record (an empty key in a list, years out of
        order …): 422 naming the fields, like any invalid request."""
        problems = [
            {
                "column": ".".join(str(p) for p in e.get("loc", ())),
                "message": e.get("msg", ""),
                "value": _plain(e.get("input")),
            }
            for e in exc.errors()
        ]
        fields = ", ".join(p["column"] or exc.title for p in problems)
        return _error(422, "invalid", f"invalid {exc.title}: {fields}", f"数据无效：{fields}", problems)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        reference = uuid.uuid4().hex[:12]
        log.exception("unexpected error %s on %s %s", reference, request.method, request.url.path)
        return _error(500, "internal", f"internal error (reference {reference})", f"服务器内部错误（编号 {reference}）")

    from .routes import alliances, health, ingest, lifecycle, studios, taxonomies, views

    for module in (health, studios, taxonomies, alliances, lifecycle, ingest, views):
        app.include_router(module.router)
    return app


def _plain(value: Any) -> Any:
    return value if isinstance(value, (str, int, float, bool, type(None))) else str(value)
