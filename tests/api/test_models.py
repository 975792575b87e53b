"""The shared matching models: the API waits for a refit after a write, the console does not."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from api.app import Models
from graph.file_store import FileStore
from graph.model import Studio
from tests.graph.sample import records


def test_waiting_readers_see_every_write_and_the_console_gets_the_last_fit_at_once(tmp_path: Path) -> None:
    store = FileStore(tmp_path / "graph.json")
    store.write(records())
    models = Models(max_age=3600)
    first, _ = models.get(store)
    assert models.get(store)[0] is first and models.get(store, wait=False)[0] is first  # fitted once
    store.write([store.get(Studio, "s1").model_copy(update={"expertise": "新的专长"})])
    models.invalidate()
    stale, _ = models.get(store, wait=False)
    assert stale is first  # at once, the last fit; a refit runs in the background
    deadline = time.monotonic() + 30
    while models.get(store, wait=False)[0] is first:
        assert time.monotonic() < deadline, "the background refit never landed"
        time.sleep(0.05)
    fresh, _ = models.get(store, wait=False)
    assert next(s for s in fresh.studios if s.id == "s1").expertise == "新的专长"
    store.write([store.get(Studio, "s1").model_copy(update={"expertise": "再改"})])
    models.invalidate()
    waited, _ = models.get(store)  # the API waits for the refit
    assert next(s for s in waited.studios if s.id == "s1").expertise == "再改"


def test_derived_results_are_kept_per_fit(tmp_path: Path) -> None:
    store = FileStore(tmp_path / "graph.json")
    store.write(records())
    models = Models(max_age=3600)
    calls: list[int] = []

    def make(projection: object, suggester: object) -> int:
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
    threads: list[str] = []

    def warm(cache: Any) -> None:
        cache(("studios",), lambda projection, suggester: len(projection.studios))
        threads.append(threading.current_thread().name)

    def never(projection: object, suggester: object) -> int:
        raise AssertionError("should have been warmed")

    models.warmers.append(warm)
    first, _ = models.get(store)  # a request waits for this fit: it is used at once, warmed elsewhere
    deadline = time.monotonic() + 30
    while not threads:
        assert time.monotonic() < deadline
        time.sleep(0.01)
    assert threads == ["alliances-warm"]
    assert models.cache(store)(("studios",), never) == len(first.studios)
    models.invalidate()
    assert models.get(store, wait=False)[0] is first  # the refit runs in the background …
    while models.get(store, wait=False)[0] is first:
        assert time.monotonic() < deadline
        time.sleep(0.01)
    assert threads[-1] == "alliances-refit"  # … warmed there, before it was used
    assert models.cache(store, wait=False)(("studios",), never) == len(first.studios)
