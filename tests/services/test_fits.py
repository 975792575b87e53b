"""The shared fit of the matching models (services.fits): the API waits for a refit after a write,
the console does not."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from graph.file_store import FileStore
from graph.model import Studio
from services.fits import Fit, Models
from tests.graph.sample import records


def test_waiting_readers_see_every_write_and_the_console_gets_the_last_fit_at_once(tmp_path: Path) -> None:
    store = FileStore(tmp_path / "graph.json")
    store.write(records())
    models = Models(max_age=3600)
    first = models.get(store).projection
    assert models.get(store).projection is first and models.get(store, wait=False).projection is first  # fitted once
    store.write([store.get(Studio, "s1").model_copy(update={"expertise": "新的专长"})])
    models.invalidate()
    stale = models.get(store, wait=False).projection
    assert stale is first  # at once, the last fit; a refit runs in the background
    deadline = time.monotonic() + 30
    while models.get(store, wait=False).projection is first:
        assert time.monotonic() < deadline, "the background refit never landed"
        time.sleep(0.05)
    fresh = models.get(store, wait=False).projection
    assert next(s for s in fresh.studios if s.id == "s1").expertise == "新的专长"
    store.write([store.get(Studio, "s1").model_copy(update={"expertise": "再改"})])
    models.invalidate()
    waited = models.get(store).projection  # the API waits for the refit
    assert next(s for s in waited.studios if s.id == "s1").expertise == "再改"


def test_derived_results_are_kept_per_fit(tmp_path: Path) -> None:
    store = FileStore(tmp_path / "graph.json")
    store.write(records())
    models = Models(max_age=3600)
    calls: list[int] = []

    def make(fit: Fit) -> int:
        calls.append(1)
        return len(calls)

    assert models.cache(store)(("k",), make) == 1
    assert models.cache(store)(("k",), make) == 1  # kept
    models.invalidate()
    assert models.cache(store)(("k",), make) == 2  # recomputed on the new fit


def test_warmers_fill_a_background_fit_before_use_and_a_waited_fit_afterwards(tmp_path: Path) -> None:
    import threading

    store = FileStore(tmp_path / "graph.json")
    store.write(records())
    models = Models(max_age=3600)
    release = threading.Event()
    warmed: list[tuple[object, object]] = []  # (the fit being warmed, the fit in use at that moment)
    warmed_once = threading.Event()

    def warm(cache: Any) -> None:
        release.wait(30)

        def count(fit: Fit) -> int:
            warmed.append((fit.projection, models.get(store, wait=False).projection))
            return len(fit.projection.studios)

        cache(("studios",), count)
        warmed_once.set()

    def never(fit: Fit) -> int:
        raise AssertionError("should have been warmed")

    models.warmers.append(warm)
    first = models.get(store).projection  # a request waits for this fit: it is used at once, warmed elsewhere
    assert not warmed  # the request came back while the warmer still waits: it is not warmed in the request
    release.set()
    assert warmed_once.wait(30), "the waited fit was never warmed"
    ((warmed_fit, in_use),) = warmed
    assert warmed_fit is first and in_use is first  # warmed afterwards, while already in use
    assert models.cache(store)(("studios",), never) == len(first.studios)
    models.invalidate()
    assert models.get(store, wait=False).projection is first  # the refit runs in the background …
    deadline = time.monotonic() + 30
    while (fresh := models.get(store, wait=False).projection) is first:
        assert time.monotonic() < deadline, "the background refit never landed"
        time.sleep(0.01)
    warmed_fit, in_use = warmed[-1]
    assert warmed_fit is fresh and in_use is first  # … warmed there, while the last fit was still in use
    assert models.cache(store, wait=False)(("studios",), never) == len(first.studios)


def test_a_write_by_another_process_makes_the_fit_stale(store: Any, reopen: Any) -> None:
    """Two handles on one store stand for two workers: a studio written through the second makes
    the first's models refit before they answer; an audit entry alone does not."""
    from graph.model import AuditEntry

    store.write(records())
    models = Models(max_age=3600, version_check_seconds=0)
    first = models.get(store)
    other = reopen(store)
    other.write([AuditEntry.of("someone", "signin", "User", "x")])
    assert models.get(store) is first
    renamed = other.get(Studio, "s1").model_copy(update={"name": "改名后的工作室"})
    other.write([renamed])
    refit = models.get(store)
    assert refit is not first
    assert "改名后的工作室" in refit.suggester.features_.names


def test_the_data_version_follows_projection_writes_only(store: Any, reopen: Any) -> None:
    from graph.model import AuditEntry

    store.write(records())
    other = reopen(store)
    start = store.data_version()
    assert other.data_version() == start
    other.write([AuditEntry.of("someone", "signin", "User", "x")])
    assert store.data_version() == start
    other.write([other.get(Studio, "s2").model_copy(update={"expertise": "新的专长"})])
    assert store.data_version() != start and store.data_version() == other.data_version()
    moved = store.data_version()
    other.delete(Studio, ["s3"])
    assert store.data_version() != moved
