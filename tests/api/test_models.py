"""The shared matching models: the API waits for a refit after a write, the console does not."""

from __future__ import annotations

import time
from pathlib import Path

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

    assert models.derived(store, ("k",), make) == 1
    assert models.derived(store, ("k",), make) == 1  # kept
    models.invalidate()
    assert models.derived(store, ("k",), make) == 2  # recomputed on the new fit
