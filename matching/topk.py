"""Each row's k largest entries of a dense matrix, exactly, ties broken by the lower column: for
the suggestions' top-k (:mod:`matching.suggest`) and the occupation vectors' strongest occupations
(:mod:`matching.occupations`)."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray


def top_rows(key: NDArray[np.float64], k: int) -> tuple[np.ndarray, np.ndarray]:
    """``(row, column)`` positions of each row's ``k`` largest finite keys, row by row and best
    first within a row, ties broken by the lower column; exact even when ties straddle the cut
    (the tied entries kept are the leftmost ones). A few passes over ``key``, no loop over rows."""
    width = key.shape[1]
    take = min(k, width)
    if take <= 0 or not key.shape[0]:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    if width > take:
        kth = np.partition(key, width - take, axis=1)[:, width - take, None]  # each row's take-th largest key
        chosen = key > kth
        tied = key == kth
        room = take - chosen.sum(axis=1)
        straddle = np.flatnonzero(tied.sum(axis=1) > room)  # rows with more ties than room: leftmost first
        if len(straddle):
            tied[straddle] &= np.cumsum(tied[straddle], axis=1) <= room[straddle, None]
        chosen |= tied
        chosen &= np.isfinite(key)
    else:
        chosen = np.isfinite(key)
    which, at = np.nonzero(chosen)
    order = np.lexsort((at, -key[which, at], which))
    return which[order], at[order]
