"""``top_rows`` (a sampled floor, then an exact ranking of the keys at or above it) equals sorting
each row by key, best first, ties by the lower column, on wide blocks of keys that tie in long runs."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matching import topk
from matching.topk import top_rows


def _sorted_rows(key: np.ndarray, k: int) -> tuple[list[int], list[int]]:
    """Each row's ``k`` best finite keys by a plain sort of the row."""
    rows: list[int] = []
    cols: list[int] = []
    for r, row in enumerate(key.tolist()):
        best = sorted((-v, c) for c, v in enumerate(row) if v != -np.inf)[:k]
        rows += [r] * len(best)
        cols += [c for _, c in best]
    return rows, cols


@settings(max_examples=300, deadline=None)
@given(
    rows=st.integers(1, 6),
    width=st.integers(1, 700),
    levels=st.integers(1, 6),
    unseen=st.floats(0.0, 1.0),
    k=st.integers(0, 12),
    seed=st.integers(0, 2**32 - 1),
    sample=st.sampled_from([1, 2, topk.SAMPLE]),
)
def test_top_rows_equals_sorting_each_row(
    rows: int, width: int, levels: int, unseen: float, k: int, seed: int, sample: int
) -> None:
    rng = np.random.default_rng(seed)
    key = rng.integers(0, levels, size=(rows, width)).astype(np.float64) / 4 + 2.0
    key[rng.random(key.shape) < unseen] = -np.inf  # forbidden pairs, up to whole rows
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(topk, "SAMPLE", sample)  # a small sample: the floor path on narrow blocks too
        which, at = top_rows(key, k)
    assert (which.tolist(), at.tolist()) == _sorted_rows(key, k)
