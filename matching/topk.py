"""Each row's k largest entries of a dense matrix, exactly, ties broken by the lower column: for
the suggestions' top-k (:mod:`matching.suggest`) and the occupation vectors' strongest occupations
(:mod:`matching.occupations`)."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

SAMPLE = 32
""":func:`top_rows` first reads about ``SAMPLE · k`` evenly spaced columns of each row."""


def top_rows(key: NDArray[np.float64], k: int) -> tuple[np.ndarray, np.ndarray]:
    """``(row, column)`` positions of each row's ``k`` largest finite keys, row by row and best
    first within a row, ties broken by the lower column; exact even when ties straddle the cut
    (the tied entries kept are the leftmost ones). Keys are finite or ``-inf``. No loop over rows.

    Partitioning a whole wide block costs more than the rest (a ranking block's keys come in long
    runs of ties). So each row's ``k``-th largest key among every ``width / (SAMPLE · k)``-th
    column comes first, as a floor: it is no larger than the row's true ``k``-th largest, so the
    top ``k`` are among the keys above the floor and the ``k`` leftmost keys at it. Only those are
    copied, in column order and padded with ``-inf``, to a narrow block that
    :func:`_top_rows_exactly` ranks (19 against 9 ms a block of chain's at 150,000 studios)."""
    width = key.shape[1]
    take = min(k, width)
    stride = width // (SAMPLE * max(take, 1))
    if take <= 0 or not key.shape[0] or stride < 2:
        return _top_rows_exactly(key, take)
    sample = key[:, ::stride]
    floor = np.partition(sample, sample.shape[1] - take, axis=1)[:, sample.shape[1] - take]
    floor = np.maximum(floor, np.finfo(np.float64).min)  # a -inf floor would keep the -inf keys
    which, at = np.nonzero(key >= floor[:, None])
    if not len(which):  # no finite key at all
        return which, at
    value = key[which, at]
    tie = value == floor[which]
    counts = np.bincount(which, minlength=key.shape[0])
    ties_before = np.cumsum(tie) - tie  # ties earlier in the whole list, then within the row
    ties_before -= np.repeat(ties_before[np.minimum(np.cumsum(counts) - counts, len(tie) - 1)], counts)
    keep = ~tie | (ties_before < take)
    which, at, value = which[keep], at[keep], value[keep]
    counts = np.bincount(which, minlength=key.shape[0])
    place = np.arange(len(which)) - np.repeat(np.cumsum(counts) - counts, counts)
    narrow = np.full((key.shape[0], int(counts.max())), -np.inf)
    narrow[which, place] = value
    columns = np.zeros(narrow.shape, dtype=np.int64)
    columns[which, place] = at
    rows, spots = _top_rows_exactly(narrow, take)
    return rows, columns[rows, spots]


def _top_rows_exactly(key: NDArray[np.float64], take: int) -> tuple[np.ndarray, np.ndarray]:
    """:func:`top_rows` by partitioning the whole block (``take``: ``k``, at most the width)."""
    width = key.shape[1]
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
