"""The occupation space: short texts compared through the 1,630 occupations of the 2022 national
occupation classification, for needs and expertise that name the same work in different words.

A need such as 实训车床铣床老旧，加工尺寸超差，需要大修翻新 and the expertise 数控机床几何精度恢复与主轴
过热故障维修 share no word, yet both read like the definition and tasks of 机床装调维修工. Each text
becomes a vector over the occupations: for every occupation, the sum over the text's terms of the
term's weight (from :class:`matching.terms.TermModel`: specificity, generic words, context) times the
term's BM25 weight in that occupation's name, aliases, definition and tasks. Only a text's ``k``
strongest occupations are kept, scaled to unit length, so the cosine of two vectors is in [0, 1]
and a need reaches only the studios whose expertise reads like one of its few occupations. This is
explicit semantic analysis (Gabrilovich and Markovitch, 2007), with the national classification as
its concepts instead of an encyclopaedia: nothing is downloaded, and the vectors mean the same in a
district of 20 studios as in a national store of 150,000, because the occupations, not the store,
define them.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Callable, Mapping, Sequence

import numpy as np
import scipy.sparse as sp

from .topk import top_rows

K1, B = 1.2, 0.75
"""BM25's term-frequency saturation and length normalisation (the usual values)."""
CHUNK = 4096
"""Texts whose occupation sums are held densely at once (4,096 × 1,630 × 8 bytes: 53 MB)."""


class OccupationSpace:
    """BM25 weights of terms in the occupations' texts, and texts as unit vectors over them.

    Parameters
    ----------
    occupations:
        ``(name, text)`` per occupation: its name and the text its terms are counted in.
    tokens:
        The segmentation of the text model (so that a need's terms are looked up as they are).
    """

    def __init__(self, occupations: Sequence[tuple[str, str]], tokens: Callable[[str], Sequence[str]]) -> None:
        self.names = tuple(name for name, _ in occupations)
        counts = [Counter(tokens(text)) for _, text in occupations]
        self._index: dict[str, int] = {}
        rows, cols, tf = [], [], []
        for doc, c in enumerate(counts):
            for term, n in c.items():
                rows.append(self._index.setdefault(term, len(self._index)))
                cols.append(doc)
                tf.append(n)
        lengths = np.array([sum(c.values()) for c in counts], dtype=np.float64)
        tf_ = np.asarray(tf, dtype=np.float64)
        rows_, cols_ = np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64)
        df = np.bincount(rows_, minlength=len(self._index)).astype(np.float64)
        n_docs = len(counts)
        idf = np.log((n_docs - df + 0.5) / (df + 0.5) + 1.0)
        norm = lengths[cols_] / max(float(lengths.mean()), 1.0) if n_docs else lengths[cols_]
        weight = tf_ * (K1 + 1) / (tf_ + K1 * (1 - B + B * norm)) * idf[rows_]
        self._bm25 = sp.csr_matrix((weight, (rows_, cols_)), shape=(len(self._index), n_docs))
        self._bm25.sort_indices()
        self._postings: dict[str, dict[int, float]] = {}

    @property
    def size(self) -> int:
        return len(self.names)

    def vector(self, weights: Mapping[str, float], k: int) -> list[tuple[int, float]]:
        """``(occupation, value)`` of the ``k`` occupations a text with these term weights reads
        most like, strongest first (ties: lower index), scaled to unit length; empty when no
        term of the text occurs in any occupation."""
        return self.vectors([weights], k)[0]

    def vectors(self, texts: Sequence[Mapping[str, float]], k: int) -> list[list[tuple[int, float]]]:
        """:meth:`vector` of many texts (term weights each) at once: one sparse product of the
        texts' weights with the BM25 matrix, and each row's ``k`` largest (:func:`top_rows`),
        :data:`CHUNK` rows at a time."""
        rows, cols, values = [], [], []
        for r, weights in enumerate(texts):
            for term, w in weights.items():
                col = self._index.get(term)
                if col is not None and w > 0:
                    rows.append(r)
                    cols.append(col)
                    values.append(w)
        shape = (len(texts), len(self._index))
        product = (sp.csr_matrix((values, (rows, cols)), shape=shape) @ self._bm25).tocsr()
        out: list[list[tuple[int, float]]] = []
        for start in range(0, len(texts), CHUNK):
            block = product[start : start + CHUNK].toarray()
            block[block <= 0] = -np.inf  # an occupation none of the text's terms is in is never kept
            which, at = top_rows(block, k)
            kept = block[which, at]
            norms = np.sqrt(np.bincount(which, weights=kept * kept, minlength=len(block)))
            scaled, occupations = (kept / norms[which]).tolist(), at.tolist()
            bounds = np.searchsorted(which, np.arange(len(block) + 1)).tolist()
            out += [list(zip(occupations[a:b], scaled[a:b], strict=True)) for a, b in itertools.pairwise(bounds)]
        return out

    def best_term(self, weights: Mapping[str, float], occupation: int) -> str | None:
        """The term of a text that ties it most to ``occupation`` (for the reasons; ties: the
        first in order of the text's terms)."""
        best, found = 0.0, None
        for term, w in weights.items():
            posting = self._posting(term)
            value = w * posting.get(occupation, 0.0) if posting is not None else 0.0
            if value > best:
                best, found = value, term
        return found

    def _posting(self, term: str) -> dict[int, float] | None:
        """``{occupation: BM25 weight}`` of one term, built on first use."""
        found = self._postings.get(term)
        if found is None:
            row = self._index.get(term)
            if row is None:
                return None
            m = self._bm25
            lo, hi = m.indptr[row], m.indptr[row + 1]
            found = self._postings[term] = dict(zip(m.indices[lo:hi].tolist(), m.data[lo:hi].tolist(), strict=True))
        return found
