"""The fitted matching models a long-running door (the HTTP API, the web console) shares between
requests: one :class:`Fit` at a time — a projection of the store and the :class:`Suggester` fitted on
it — refit after a write, and a :class:`Cache` of results derived from the fit (a gap report, an
assessment, a view), kept while that fit is current.

The command line fits once per command and needs none of this.
"""

from __future__ import annotations

import gc
import logging
import threading
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Protocol, TypeVar, cast

from graph.errors import StoreUnavailable
from graph.exclusion import Exclusion
from graph.model import RankingModel
from graph.store import BaseStore, Projection
from matching.suggest import Suggester
from matching.tune import latest, suggester_for

log = logging.getLogger("alliances.fits")

T = TypeVar("T")
CacheKey = tuple[Hashable, ...]
"""A key of :class:`Cache`: the name of a result and its arguments."""

VERSION_CHECK_SECONDS = 1.0
"""How often a server asks the store whether another process wrote (a stat of the file store, one
small query on Neo4j)."""

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


@dataclass(frozen=True)
class Fit:
    """One fit of the models: when, on which projection, and the suggester fitted on it."""

    fitted_at: float
    projection: Projection
    suggester: Suggester
    data_version: str = ""
    """The store's :meth:`graph.store.BaseStore.data_version` when the projection was read."""


def fit_once(store: BaseStore) -> Fit:
    """A fit of ``store`` as it is now, with the learned weights where they were adopted: what a
    command-line job computes on (it fits once and exits)."""
    version = store.data_version()  # before the read: a write during it makes the fit stale
    projection = store.projection()
    suggester = suggester_for(latest(store.list(RankingModel))).fit(projection)
    return Fit(time.monotonic(), projection, suggester, version)


class Cache(Protocol):
    """``cache(key, make)``: ``make(fit)`` computed once per key and fit, and kept while the fit is
    current (every result from one request comes from the one fit current when it began)."""

    def __call__(self, key: CacheKey, make: Callable[[Fit], T]) -> T: ...


@dataclass
class Models:
    """The :class:`Fit` shared by requests, refit after a write through a door or after ``max_age``
    seconds (writes by other processes show up then).

    ``get(store)`` (the JSON API) waits for a fit when the models are stale, so an answer always
    reflects every write made before it. ``get(store, wait=False)`` (the web console) answers at
    once with the last fit while a background thread refits: at 150,000 studios a fit takes tens of
    seconds, and a page that shows a record reads the record itself from the store anyway. Only one
    fit runs at a time. ``cache(store)`` gives a :class:`Cache` bound to the current fit.
    """

    max_age: float = 300.0
    version_check_seconds: float = VERSION_CHECK_SECONDS
    _fitted: Fit | None = None
    _generation: int = 0
    """Bumped by :meth:`invalidate`; a fit remembers the generation it started from."""
    _fitted_generation: int = -1
    _refitting: threading.Thread | None = None
    warmers: list[Callable[[Cache], None]] = field(default_factory=list)
    """Run on each fit with a :class:`Cache` bound to it (pages register the functions they call), so
    that the first page after a refit finds its results ready. A background fit is warmed before it
    is used; a fit that a request waits for is used at once and warmed in another thread, so the JSON
    API never waits for the console's results."""
    _derived: dict[CacheKey, tuple[float, object]] = field(default_factory=dict)
    _version_checked: float = 0.0
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _fitting: threading.Lock = field(default_factory=threading.Lock)

    def _stale(self) -> bool:
        return (
            self._fitted is None
            or self._fitted_generation != self._generation
            or time.monotonic() - self._fitted.fitted_at > self.max_age
        )

    def _written_elsewhere(self, store: BaseStore, fitted: Fit) -> bool:
        """Whether another process (a worker, a command) changed what the fit read: the store's data
        version is asked at most every :data:`VERSION_CHECK_SECONDS`."""
        moment = time.monotonic()
        with self._lock:
            if moment - self._version_checked < self.version_check_seconds:
                return False
            self._version_checked = moment
        try:
            changed = store.data_version() != fitted.data_version
        except StoreUnavailable:
            return False
        if changed:
            self.invalidate()
        return changed

    def _current(self, store: BaseStore, wait: bool) -> Fit:
        with self._lock:
            fitted = self._fitted
            fresh = fitted is not None and not self._stale()
        if fitted is not None and fresh and not self._written_elsewhere(store, fitted):
            return fitted
        if fitted is not None and not wait:
            self._refit_in_background(store)
            return fitted
        return self._fit(store, warm_first=False)

    def _fit(self, store: BaseStore, *, warm_first: bool) -> Fit:
        with self._fitting:
            with self._lock:
                if self._fitted is not None and not self._stale():
                    return self._fitted
                generation = self._generation
            fitted = fit_once(store)
            projection = fitted.projection
            staged: dict[CacheKey, tuple[float, object]] = {}
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

    def _bound(self, fitted: Fit, staged: dict[CacheKey, tuple[float, object]] | None = None) -> Cache:
        """A :class:`Cache` for one fit: ``make(fit)`` runs once per key, and its value is kept while
        that fit is current (in ``staged`` until the fit is published)."""
        models = self

        class Bound:
            def __call__(self, key: CacheKey, make: Callable[[Fit], T]) -> T:
                with models._lock:
                    found = (models._derived if staged is None else staged).get(key)
                if found is not None and found[0] == fitted.fitted_at:
                    return cast(T, found[1])
                value = make(fitted)
                with models._lock:
                    if staged is not None:
                        staged[key] = (fitted.fitted_at, value)
                    elif models._fitted is not None and models._fitted.fitted_at == fitted.fitted_at:
                        if len(models._derived) > 256:  # many distinct requests: start again rather than grow
                            models._derived = {}
                        models._derived[key] = (fitted.fitted_at, value)
                return value

        return Bound()

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

    def get(self, store: BaseStore, *, wait: bool = True) -> Fit:
        return self._current(store, wait)

    def cache(self, store: BaseStore, *, wait: bool = True) -> Cache:
        """A :class:`Cache` bound to the current fit: results computed from the models (a gap
        report, a view, the assessment), kept until they are refit."""
        return self._bound(self._current(store, wait))

    def invalidate(self) -> None:
        """A write happened: the next ``get`` refits (waiting readers wait for it)."""
        with self._lock:
            self._generation += 1

    def exclude(self, exclusions: dict[str, Exclusion]) -> None:
        """Studios that stopped taking part in matching (a leader's death recorded, a delisting):
        left out of the current fit at once, so that no page suggests them while the refit that
        :meth:`invalidate` asks for runs; results derived from that fit are dropped with them."""
        with self._lock:
            if self._fitted is None:
                return
            features = self._fitted.suggester.features_
            for studio_id, why in exclusions.items():
                row = features.row.get(studio_id)
                if row is not None:
                    features.live[row] = False
                    features.exclusions[row] = why
            self._derived = {}
