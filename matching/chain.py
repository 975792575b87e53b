"""Reach along ``SUPPLIES``: which segments lie upstream or downstream of which, within two hops.

The strength of a path is the product of its edge weights (each in (0, 1]), so a two-hop link is
never stronger than its weakest edge; between two segments the strongest path counts.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from .text import Matrix


@dataclass(frozen=True)
class Reach:
    """``strength[g, h]``: best path strength from g down to h (0 if none within two hops);
    ``via[(g, h)]``: the middle segment of that path (``None`` for a direct edge)."""

    strength: Matrix
    via: dict[tuple[int, int], int | None]

    @classmethod
    def of(cls, segments: int, supplies: dict[tuple[int, int], float]) -> Reach:
        strength = np.zeros((segments, segments))
        via: dict[tuple[int, int], int | None] = {}
        for (g, h), w in supplies.items():
            if w > strength[g, h]:
                strength[g, h], via[(g, h)] = w, None
        direct = dict(supplies)
        out_edges: dict[int, list[tuple[int, float]]] = {}
        for (g, m), w in direct.items():
            out_edges.setdefault(g, []).append((m, w))
        for g, firsts in out_edges.items():
            for m, w1 in sorted(firsts):
                for h, w2 in sorted(out_edges.get(m, [])):
                    if h != g and w1 * w2 > strength[g, h]:
                        strength[g, h], via[(g, h)] = w1 * w2, m
        return cls(strength, via)

    def either_way(self) -> Matrix:
        """Strength regardless of direction (the stronger of g→h and h→g), zero on the diagonal."""
        both = np.maximum(self.strength, self.strength.T)
        np.fill_diagonal(both, 0.0)
        return both

    def best_to_studios(self, studio_segments: sp.csr_matrix) -> Matrix:
        """``out[g, j]``: the strongest link (either direction) from segment g to any segment of
        studio j. Shape (segments, studios); ``O(segments · nnz)``."""
        both = self.either_way()
        segs = studio_segments.tocsc()
        out = np.zeros((both.shape[0], studio_segments.shape[0]))
        for h in range(both.shape[0]):
            rows = segs.indices[segs.indptr[h] : segs.indptr[h + 1]]
            if len(rows):
                col = both[:, h][:, None]
                out[:, rows] = np.maximum(out[:, rows], col)
        return out
