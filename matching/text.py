"""Which texts mention a short phrase (a project's capability in the studios' expertise).

The text model proper is :mod:`matching.terms`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

Matrix = NDArray[np.float64]


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
