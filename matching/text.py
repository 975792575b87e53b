"""Chinese text similarity with no internet and no downloaded model.

TF-IDF over character n-grams (Chinese has no spaces; character bigrams and trigrams carry most of
the meaning of technical phrases such as 刻蚀工艺 or 机器视觉), reduced by truncated SVD (latent
semantic analysis) to a few dense dimensions so that comparing one studio with 150,000 is one
matrix-vector product, and all against all is blocked dense matrix products instead of sparse
ones whose output would be nearly dense anyway.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

Matrix = NDArray[np.float64]


class TextModel:
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

    def fit(self, texts: Sequence[str]) -> TextModel:
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


class PhraseIndex:
    """Which texts mention a short phrase: the share of the phrase's character bigrams that a text
    contains (a capability such as 缺陷检测 is met by expertise that says 晶圆缺陷检测算法).

    Parameters
    ----------
    threshold:
        Least share of the phrase's bigrams a text must contain; default 0.6.

    Built once over all texts (``O(total characters)``); asking for one phrase is one sparse
    matrix-vector product over the texts.
    """

    def __init__(self, *, threshold: float = 0.6) -> None:
        self.threshold = threshold

    def fit(self, texts: Sequence[str]) -> PhraseIndex:
        from sklearn.feature_extraction.text import CountVectorizer

        self.vectorizer_ = CountVectorizer(analyzer="char", ngram_range=(2, 2), binary=True, lowercase=True)
        try:
            self.matrix_ = self.vectorizer_.fit_transform(list(texts)).tocsr()
        except ValueError:  # no text has two characters
            self.matrix_ = None
        return self

    def share(self, phrase: str) -> Matrix:
        """For every text, the share of the phrase's bigrams it contains (0 if none or no bigram)."""
        if self.matrix_ is None:
            return np.zeros(0)
        grams = {phrase[i : i + 2].lower() for i in range(len(phrase) - 1) if not phrase[i : i + 2].isspace()}
        vocab = self.vectorizer_.vocabulary_
        cols = [vocab[g] for g in grams if g in vocab]
        if not grams:
            return np.zeros(self.matrix_.shape[0])
        hits = np.asarray(self.matrix_[:, cols].sum(axis=1)).ravel() if cols else np.zeros(self.matrix_.shape[0])
        return np.asarray(hits / len(grams), dtype=np.float64)

    def matches(self, phrase: str) -> NDArray[np.bool_]:
        return self.share(phrase) >= self.threshold
