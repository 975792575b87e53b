"""The HTTP API: one FastAPI app, one store per process (opened in the lifespan, reopened when it
was unreachable), dependencies for the store, the caller's key and the fitted matching models.

Errors have one JSON shape, ``{"error": {"status", "code", "message", "message_zh", "problems"}}``:
an unknown id is 404, an invalid body or parameter 422 naming the field, a conflicting write 409,
an unreachable store 503 with ``Retry-After`` (the next request tries again, so the app recovers by
itself when the server is back), a missing or bad key 401, a key outside its scope 403. Never a
stack trace: unexpected errors are logged and answered 500 with a reference.
"""

from __future__ import annotations

import gc
import logging
import os
import threading
import time
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import ValidationError as PydanticValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from graph.config import parse_store_setting
from graph.errors import AlliancesError, ConfigurationError, Conflict, NotFound, StoreUnavailable, ValidationError
from graph.store import BaseStore, Projection

log = logging.getLogger("alliances.api")

RETRY_AFTER_SECONDS = 5
FREEZE_FROM = 20_000
"""From this many studios on, the heap is frozen after a fit (see :func:`_freeze_heap`)."""


def _freeze_heap() -> None:
    """Keep the fitted models out of Python's full garbage collections: at 150,000 studios the
    process tracks ~3.8 million objects and each full collection paused a request for 2.3–2.6 s
    (once every 5–6 studio pages); frozen, it takes 0.1–0.2 s. Each fit first collects what the
    previous one left (unfreeze, collect), so nothing stays frozen longer than one fit."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


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


Cache = Callable[[tuple[Any, ...], Callable[[Projection, Any], Any]], Any]
"""``cache(key, make)``: ``make(projection, suggester)`` computed once per key and fit of the models."""


@dataclass
class Models:
    """The projection and the fitted matching models, shared by requests, refit after a write
    through the API or after ``max_age`` seconds (writes by other processes show up then).

    ``get(store)`` (the JSON API) waits for a fit when the models are stale, so an answer always
    reflects every write made before it. ``get(store, wait=False)`` (the web console) answers at
    once with the last fit while a background thread refits: at 150,000 studios a fit takes tens of
    seconds, and a page that shows a record reads the record itself from the store anyway. Only one
    fit runs at a time. ``cache(store)`` gives a :data:`Cache` bound to the current fit.
    """

    max_age: float = 300.0
    _fitted: tuple[float, Projection, Any] | None = None
    _generation: int = 0
    """Bumped by :meth:`invalidate`; a fit remembers the generation it started from."""
    _fitted_generation: int = -1
    _refitting: threading.Thread | None = None
    warmers: list[Callable[[Cache], None]] = field(default_factory=list)
    """Run on each fit with a :data:`Cache` bound to it (pages register the functions they call), so
    that the first page after a refit finds its results ready. A background fit is warmed before it
    is used; a fit that a request waits for is used at once and warmed in another thread, so the JSON
    API never waits for the console's results."""
    _derived: dict[tuple[Any, ...], tuple[float, Any]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _fitting: threading.Lock = field(default_factory=threading.Lock)

    def _stale(self) -> bool:
        return (
            self._fitted is None
            or self._fitted_generation != self._generation
            or time.monotonic() - self._fitted[0] > self.max_age
        )

    def _current(self, store: BaseStore, wait: bool) -> tuple[float, Projection, Any]:
        with self._lock:
            fitted = self._fitted
            if fitted is not None and not self._stale():
                return fitted
        if fitted is not None and not wait:
            self._refit_in_background(store)
            return fitted
        return self._fit(store, warm_first=False)

    def _fit(self, store: BaseStore, *, warm_first: bool) -> tuple[float, Projection, Any]:
        from graph.model import RankingModel
        from matching.tune import latest, suggester_for

        with self._fitting:
            with self._lock:
                if self._fitted is not None and not self._stale():
                    return self._fitted
                generation = self._generation
            projection = store.projection()
            suggester = suggester_for(latest(store.list(RankingModel))).fit(projection)
            fitted = (time.monotonic(), projection, suggester)
            staged: dict[tuple[Any, ...], tuple[float, Any]] = {}
            if warm_first:
                self._warm(self._bound(fitted, staged))
            with self._lock:
                self._fitted, self._fitted_generation = fitted, generation
                self._derived = staged
            if not warm_first and self.warmers:
                threading.Thread(target=self._warm, args=(self._bound(fitted),), name="alliances-warm",
                                 daemon=True).start()  # fmt: skip
            if len(projection.studios) >= FREEZE_FROM:
                _freeze_heap()
            return fitted

    def _warm(self, cache: Cache) -> None:
        for warm in self.warmers:
            try:
                warm(cache)
            except Exception:  # a page computes what is missing when it is asked for
                log.exception("warming the models' results failed")

    def _bound(
        self, fitted: tuple[float, Projection, Any], staged: dict[tuple[Any, ...], tuple[float, Any]] | None = None
    ) -> Cache:
        """``cache(key, make)`` for one fit: ``make(projection, suggester)`` runs once per key, and its
        value is kept while that fit is current (in ``staged`` until the fit is published)."""
        fitted_at, projection, suggester = fitted

        def cache(key: tuple[Any, ...], make: Callable[[Projection, Any], Any]) -> Any:
            with self._lock:
                found = (self._derived if staged is None else staged).get(key)
            if found is not None and found[0] == fitted_at:
                return found[1]
            value = make(projection, suggester)
            with self._lock:
                if staged is not None:
                    staged[key] = (fitted_at, value)
                elif self._fitted is not None and self._fitted[0] == fitted_at:
                    if len(self._derived) > 256:  # many distinct requests: start again rather than grow
                        self._derived = {}
                    self._derived[key] = (fitted_at, value)
            return value

        return cache

    def _refit_in_background(self, store: BaseStore) -> None:
        def run() -> None:
            try:
                self._fit(store, warm_first=True)
            except Exception:  # the next request tries again, and waits if it must
                log.exception("background refit failed")
            finally:
                with self._lock:
                    self._refitting = None

        with self._lock:
            if self._refitting is not None:
                return
            self._refitting = threading.Thread(target=run, name="alliances-refit", daemon=True)
            self._refitting.start()

    def start(self, store: BaseStore) -> None:
        """Fit in the background now (at start-up); a request that needs the models meanwhile waits."""
        self._refit_in_background(store)

    def settle(self, timeout: float = 120.0) -> None:
        """Wait for a background refit to end (before the store it reads is closed)."""
        with self._lock:
            running = self._refitting
        if running is not None:
            running.join(timeout)

    def get(self, store: BaseStore, *, wait: bool = True) -> tuple[Projection, Any]:
        _, projection, suggester = self._current(store, wait)
        return projection, suggester

    def cache(self, store: BaseStore, *, wait: bool = True) -> Cache:
        """A :data:`Cache` bound to the current fit: results computed from the models (a gap
        report, a view, the assessment), kept until they are refit."""
        return self._bound(self._current(store, wait))

    def invalidate(self) -> None:
        """A write happened: the next ``get`` refits (waiting readers wait for it)."""
        with self._lock:
            self._generation += 1

    def exclude(self, exclusions: dict[str, Any]) -> None:
        """Studios that stopped taking part in matching (a leader's death recorded, a delisting):
        left out of the current fit at once, so that no page suggests them while the refit that
        :meth:`invalidate` asks for runs; results derived from that fit are dropped with them."""
        with self._lock:
            if self._fitted is None:
                return
            features = self._fitted[2].features_
            for studio_id, why in exclusions.items():
                row = features.row.get(studio_id)
                if row is not None:
                    features.live[row] = False
                    features.exclusions[row] = why
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
        else:
            app.state.models.start(holder.get())  # the first page need not wait for the whole fit
        yield
        app.state.models.settle()
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
    async def _alliances_error(request: Request, exc: AlliancesError) -> Response:
        from .console.session import SignInRequired

        if isinstance(exc, SignInRequired):
            return RedirectResponse(f"/console/signin?{urlencode({'next': exc.next_path})}", status_code=303)
        en, zh = _split(str(exc))
        status, code, headers = 500, "error", None
        problems: list[Any] = []
        if isinstance(exc, Unauthorized):
            status, code, headers = 401, "unauthorized", {"WWW-Authenticate": "ApiKey"}
        elif isinstance(exc, Forbidden):
            status, code = 403, "forbidden"
        elif isinstance(exc, NotFound):
            status, code = 404, "not-found"
        elif isinstance(exc, Conflict):
            status, code = 409, "conflict"
        elif isinstance(exc, Invalid):
            status, code = 422, "invalid"
        elif isinstance(exc, ValidationError):
            status, code, problems = 422, "invalid", [vars(p) for p in exc.problems]
        elif isinstance(exc, StoreUnavailable):
            status, code, headers = 503, "store-unavailable", {"Retry-After": str(RETRY_AFTER_SECONDS)}
            zh = zh or "数据库暂时无法访问，请稍后重试"
        elif isinstance(exc, ConfigurationError):
            code = "configuration"
        return _answer(request, status, code, en, zh, problems, headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid_request(request: Request, exc: RequestValidationError) -> Response:
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
        return _answer(request, 422, "invalid", f"invalid request: {fields}", f"请求参数有误：{fields}", problems)

    @app.exception_handler(PydanticValidationError)
    async def _invalid_record(request: Request, exc: PydanticValidationError) -> Response:
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
        return _answer(request, 422, "invalid", f"invalid {exc.title}: {fields}", f"数据无效：{fields}", problems)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        reference = uuid.uuid4().hex[:12]
        log.exception("unexpected error %s on %s %s", reference, request.method, request.url.path)
        return _answer(
            request,
            500,
            "internal",
            f"internal error (reference {reference})",
            f"服务器内部错误（编号 {reference}）",
            [],
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
        """Unknown paths (404) and methods (405): the same error shape, or the console's error page."""
        en = str(exc.detail)
        zh = {404: "没有这个页面", 405: "不支持这种请求方式"}.get(exc.status_code, "请求有误")
        code = {404: "not-found", 405: "method-not-allowed"}.get(exc.status_code, "error")
        return _answer(request, exc.status_code, code, en, zh, [], getattr(exc, "headers", None))

    from .routes import alliances, health, ingest, lifecycle, studios, taxonomies, views

    for module in (health, studios, taxonomies, alliances, lifecycle, ingest, views):
        app.include_router(module.router)
    from .console.pages import mount
    from .console.session import Sessions

    app.state.sessions = Sessions()
    app.state.insecure_cookie = os.environ.get("ALLIANCES_CONSOLE_INSECURE_COOKIE", "") == "1"
    mount(app)
    return app


def _answer(request: Request, status: int, code: str, en: str, zh: str, problems: list[Any],
            headers: dict[str, str] | None = None) -> Response:  # fmt: skip
    """An error as JSON (the API) or as a page in Chinese (the console: paths under /console/)."""
    if request.url.path.startswith("/console/") or request.url.path == "/console":
        from .console.render import page

        response = page(request, "error.html", http_status=status, title="出错了", status_code=status, code=code,
                        message=zh or en, message_en=en, problems=problems)  # fmt: skip
        for name, value in (headers or {}).items():
            if name.lower() != "www-authenticate":
                response.headers[name] = value
        return response
    return _error(status, code, en, zh, problems, headers)


def _plain(value: Any) -> Any:
    return value if isinstance(value, (str, int, float, bool, type(None))) else str(value)
