"""Baselines the benchmarks compare the product against; not used by the product.

:class:`CharLsaModel` is the text model the product used until 2026-12 (TF-IDF over character 2–3-grams,
reduced by truncated SVD to 128 dimensions), kept so that ``bench_text.py`` measures the term model
beside it on the same judged set, in the same run.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

Matrix = NDArray[np.float64]


class CharLsaModel:
    """Embeds short Chinese texts (expertise, needs) as unit vectors; cosine = dot product.

    Parameters
    ----------
    ngram_range:
        Character n-gram lengths, default ``(2, 3)``.
    dimensions:
        Target dimensions of the SVD; default 128. With fewer distinct n-grams than that, the
        (normalised) TF-IDF vectors are used as they are.
    min_df:
        Ignore n-grams found in fewer documents; default 1.
    random_state:
        Seed of the randomised SVD, so that a fit is reproducible; default 0.

    Fitting is ``O(total characters)`` for TF-IDF plus ``O(nnz · dimensions)`` for the SVD;
    transforming ``n`` texts is ``O(n · dimensions)`` after the sparse step.
    """

    def __init__(
        self,
        *,
        ngram_range: tuple[int, int] = (2, 3),
        dimensions: int = 128,
        min_df: int = 1,
        random_state: int = 0,
    ) -> None:
        self.ngram_range = ngram_range
        self.dimensions = dimensions
        self.min_df = min_df
        self.random_state = random_state

    def fit(self, texts: Sequence[str]) -> CharLsaModel:
        corpus = [t for t in texts if t.strip()]
        self.vectorizer_: TfidfVectorizer | None = None
        self.svd_: TruncatedSVD | None = None
        if not corpus:
            return self
        vectorizer = TfidfVectorizer(
            analyzer="char", ngram_range=self.ngram_range, min_df=self.min_df, sublinear_tf=True, dtype=np.float64
        )
        try:
            tfidf = vectorizer.fit_transform(corpus)
        except ValueError:  # nothing left after min_df
            return self
        self.vectorizer_ = vectorizer
        features = tfidf.shape[1]
        if features > self.dimensions and len(corpus) > self.dimensions:
            self.svd_ = TruncatedSVD(n_components=self.dimensions, random_state=self.random_state).fit(tfidf)
        return self

    @property
    def width(self) -> int:
        if self.vectorizer_ is None:
            return 1
        if self.svd_ is not None:
            return int(self.svd_.n_components)
        return len(self.vectorizer_.vocabulary_)

    def transform(self, texts: Sequence[str]) -> Matrix:
        """Unit-length rows (zero rows for empty texts), shape ``(len(texts), width)``."""
        if self.vectorizer_ is None:
            return np.zeros((len(texts), 1))
        sparse = self.vectorizer_.transform(list(texts))
        dense: Matrix = self.svd_.transform(sparse) if self.svd_ is not None else sparse.toarray()
        out: Matrix = normalize(dense, norm="l2", copy=False)
        empty = np.array([not t.strip() for t in texts], dtype=bool)
        out[empty] = 0.0
        return out
