"""The composition root of the HTTP doors: one FastAPI app per store setting, with the JSON API
(:mod:`api.routes`), the web console (:mod:`api.console`) and their error answers
(:mod:`api.errors`). One store per process (:class:`api.deps.StoreHolder`: opened in the lifespan,
reopened when it was unreachable), one shared fit of the matching models
(:class:`services.fits.Models`) and the processes that load roster uploads
(:class:`services.upload_workers.UploadWorkers`, started and stopped with the app).

Nothing imports this module but the server's entry point (``alliances serve`` starts
``api.app:create_app`` by name); an import-linter contract keeps it so.
"""

from __future__ import annotations

import logging
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from graph.errors import StoreUnavailable
from services.fits import Models
from services.sessions import SessionSettings
from services.upload_workers import UploadLimits, UploadWorkers

from . import errors
from .console.pages import mount
from .deps import StoreHolder
from .logs import log_requests
from .routes import alliances, health, ingest, lifecycle, studios, taxonomies, views

log = logging.getLogger("alliances.api")

CACHE_ENV = "ALLIANCES_CACHE_SECONDS"


def create_app(
    store: str | None = None,
    *,
    cache_seconds: float | None = None,
    sessions: SessionSettings | None = None,
    uploads: UploadLimits | None = None,
) -> FastAPI:
    """The app for a store setting (a path or a bolt:// URI; ``None`` reads ``ALLIANCES_STORE``),
    refitting its models at most every ``cache_seconds`` (``None`` reads ``ALLIANCES_CACHE_SECONDS``,
    else 300), with console sessions of ``sessions`` (``None`` reads ``ALLIANCES_SESSION_IDLE_MINUTES``
    and ``ALLIANCES_SESSION_MAX_HOURS``) and roster uploads loaded in worker processes as ``uploads``
    says (``None`` reads ``ALLIANCES_UPLOAD_PROCESSES`` and the other upload settings)."""
    holder = StoreHolder(store)
    workers = UploadWorkers(store, uploads or UploadLimits.from_env())
    models = Models(cache_seconds if cache_seconds is not None else float(os.environ.get(CACHE_ENV) or 300.0))

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        try:
            holder.get()
        except StoreUnavailable as exc:  # come up anyway: requests answer 503 until it is back
            log.warning("store unreachable at start-up: %s", exc)
        else:
            models.start(holder.get())  # the first page need not wait for the whole fit
        workers.start()
        yield
        workers.close()
        models.settle()
        holder.close()

    app = FastAPI(
        title="studio-alliances",
        summary="劳模创新工作室联盟平台 API: studios, Article 12 partners, alliances, chain gaps, views",
        version="0.1.0",
        lifespan=lifespan,
    )
    app.state.holder = holder
    app.state.models = models
    app.state.uploads = workers
    app.state.session_settings = sessions or SessionSettings.from_env()
    app.state.insecure_cookie = os.environ.get("ALLIANCES_CONSOLE_INSECURE_COOKIE", "") == "1"
    app.middleware("http")(log_requests)
    errors.install(app)
    for module in (health, studios, taxonomies, alliances, lifecycle, ingest, views):
        app.include_router(module.router)
    mount(app)
    return app
