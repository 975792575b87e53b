"""The text model for short Chinese technical texts (expertise 技术专长, needs 攻关需求): terms, not
characters, weighted by how specific they are, with synonyms, and no say for generic words.

A text becomes a set of **terms**: the words of jieba's search-mode segmentation (its own dictionary,
which ships in the package, plus the domain words of :class:`matching.lexicon.Lexicon`), the domain
words found inside it, the concept terms a sentence of it writes apart (跌倒 … 报警 stands for
跌倒报警), their **concepts** (视觉识别 and 机器视觉检测 share 机器视觉), the concepts **related** to
those, and, as a fallback for words neither knows, the **character pieces** of its specific words
(the bigrams of a longer word, the head character of a two-character one: :func:`_pieces`).

- **Weight** of a term: its specificity (an IDF) × its generic factor (改造, 优化, 需要, 系统 … weigh
  little or nothing) × its context factor (a need's word that the studio's own expertise also holds —
  焊接机器人 in a welding studio's need for vision — is where the need comes from, not what it asks
  for, and weighs ``context_weight``). The IDF blends the store's own document frequencies with
  those of the reference documents (occupations, industries, segments) in proportion ``N / (N + K)``,
  ``K = prior_documents``: a district of 20 studios is judged by the classification's vocabulary, a
  national store of 150,000 mostly by its own.
- **Complement** (does B's expertise meet A's need): the share of the need's weight that B's
  expertise covers, in [0, 1]: a term it holds counts whole, a synonym (same concept) counts
  ``concept_share + related_share``, a related concept ``related_share``, and the bigram channel
  ``bigram_share`` of the whole. It is the sparse product of a need row (weights summing to 1) and an
  expertise row (presence), plus ``occupation_share`` × the cosine of the two texts' vectors in the
  **occupation space** (:mod:`matching.occupations`: how alike they read to the 2022
  classification's occupations, which links 车床铣床大修 to 机床精度恢复 with no word in common);
  the occupation columns sit in the same two matrices, so one product gives both. The raw share is
  then **calibrated** (:meth:`TermModel.calibrated`) to the probability that a person judges the
  pair "meets the need", fitted on the project's judged set (``data/calibration.json``).
- **Similarity** (two studios' expertise): the cosine of their weighted term vectors.

Every matrix is sparse (scipy CSR): a text has a few dozen terms, so comparing one need with 150,000
studios touches only the studios that share a term with it.
"""

from __future__ import annotations

import bisect
import itertools
import json
import logging
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from importlib import resources
from operator import itemgetter
from typing import Any, NamedTuple

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from .lexicon import Lexicon, normalise
from .occupations import OccupationSpace

Vector = NDArray[np.float64]

_CJK = re.compile(r"^[\u3400-\u9fff]+$")
_LATIN = re.compile(r"^[a-z][a-z0-9+#.\-]*$|^[0-9]+[a-z][a-z0-9+#.\-]*$")
_SENTENCE = re.compile(r"[。！？!?；;\n]+")
_CLAUSE = re.compile(r"[，,；;。、\s/|：:（）()]+")


class Match(NamedTuple):
    """One reason a need and an expertise meet: the need's term, the expertise's term, and how
    (``same`` word, ``synonym``, ``related`` concept, shared ``characters``), with its share of
    the need. (A named tuple: the reasons of a national roster build millions of them.)"""

    need_term: str
    expertise_term: str
    how: str
    share: float
    via: str = ""
    """For ``how == "occupation"``: the occupation of the 2022 classification both texts read like."""


class Segmenter:
    """jieba's segmentation (its precise mode, with its HMM for words it does not know) with the
    domain words added, plus every domain word found inside the text that does not straddle two of
    its words (:meth:`_subwords`); results cached per text.

    It also tells how much a word that is not a domain word can say about a technical text
    (:meth:`plainness`), from jieba's own dictionary: its part of speech (nouns say most; verbs less;
    adjectives, adverbs, time and place words, pronouns and idioms little) and its frequency in
    general Chinese (a word as common as 经常 or 合适 says little whatever its tag)."""

    def __init__(self, lexicon: Lexicon) -> None:
        import jieba

        jieba.setLogLevel(logging.WARNING)
        self._jieba = jieba.Tokenizer()
        self._jieba.initialize()
        self._general = _jieba_dictionary()
        self._total = float(self._jieba.total)
        for word in sorted(lexicon.words):
            if self._jieba.FREQ.get(word, 0) < 50:
                self._jieba.add_word(word, 50)
        self._words = lexicon.words
        self._longest = min(lexicon.longest, 12)
        self._compounds = self._compound_index(lexicon.concept_of)
        self.segment = lru_cache(maxsize=4_096)(self._tokens)
        """The words of a long reference text (an occupation's definition and tasks), without the
        concept terms that :meth:`tokens` adds for a studio's short texts."""
        self.tokens = lru_cache(maxsize=400_000)(self._studio_tokens)
        self._parts = lru_cache(maxsize=200_000)(self._parts_uncached)

    def _tokens(self, text: str) -> tuple[str, ...]:
        text = normalise(text)
        found: dict[str, None] = {}
        cuts = {0}  # where a word may start or end: jieba's word boundaries and those of its words' parts
        at = 0
        for raw in self._jieba.cut(text):
            start, at = at, at + len(raw)
            cuts.add(at)
            piece = raw.strip()
            if len(piece) >= 2 and (_CJK.match(piece) or _LATIN.match(piece)):
                found[piece] = None
                if len(piece) >= 3 and _CJK.match(piece):
                    parts, inner = self._subwords(piece, start + raw.find(piece))
                    found.update(dict.fromkeys(parts))
                    cuts |= inner
        n = len(text)
        for i in sorted(cuts):  # a domain word inside the text, unless it straddles two words
            for length in range(2, min(self._longest, n - i) + 1):
                piece = text[i : i + length]
                if i + length in cuts and piece in self._words:
                    found[piece] = None
        return tuple(found)

    def _studio_tokens(self, text: str) -> tuple[str, ...]:
        return self._with_compounds(normalise(text), self._tokens(text))

    def _compound_index(self, concept_terms: Iterable[str]) -> dict[str, tuple[tuple[str, tuple[str, ...]], ...]]:
        """Every way a concept's term of 4–10 characters is two or more pieces of 2 or more
        characters (跌倒报警 = 跌倒 + 报警, 仪表读数识别 = 仪表 + 读数 + 识别), by its first piece."""

        def splits(rest: str) -> list[tuple[str, ...]]:
            found: list[tuple[str, ...]] = [(rest,)]
            for k in range(2, len(rest) - 1):
                found += [(rest[:k], *tail) for tail in splits(rest[k:])]
            return found

        index: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
        for term in sorted(concept_terms):
            if 4 <= len(term) <= 10 and _CJK.match(term):
                for parts in splits(term):
                    if len(parts) >= 2:
                        index.setdefault(parts[0], []).append((term, parts[1:]))
        return {first: tuple(found) for first, found in index.items()}

    def _with_compounds(self, text: str, found: tuple[str, ...]) -> tuple[str, ...]:
        """``found`` (the terms of ``text``) and the concept terms the text writes apart: 跌倒报警 when a
        sentence holds both 跌倒 and 报警 (失能老人离床跌倒多，希望及时报警), 扭矩追溯 for 拧紧扭矩数据…难以
        追溯. A clerk rarely writes the table's term in one piece; the words of one sentence, in any
        order, stand for it (not those of a long text's different sentences: an occupation's
        definition and tasks hold almost any two words somewhere)."""
        sentences = [s for s in _SENTENCE.split(text) if s]
        extra: dict[str, None] = {}
        for sentence in sentences:
            have = set(found) if len(sentences) == 1 else {t for t in found if t in sentence}
            for first in found:
                if first in have:
                    for term, rest in self._compounds.get(first, ()):
                        if term not in have and all(part in have for part in rest):
                            extra[term] = None
        added = tuple(t for t in extra if t not in found)  # (one sentence may hold what another writes whole)
        return found + added if added else found

    def _subwords(self, word: str, begin: int) -> tuple[list[str], set[int]]:
        """``word``'s parts (:meth:`_parts`) and their parts in turn (仪表读数识别 → 仪表读数 | 识别 →
        仪表 | 读数), and their boundaries as offsets in the text (``word`` starts at ``begin``). A
        domain word found inside the text counts only between two boundaries, so that 列车轴箱 does
        not yield 车轴, 泄漏报警器 漏报, nor 可燃气体 燃气."""
        words: list[str] = []
        cuts: set[int] = set()
        stack = [(begin, word)]
        while stack:
            offset, whole = stack.pop()
            k = 0
            for part in self._parts(whole):
                k = whole.find(part, k)
                words.append(part)
                cuts.update((offset + k, offset + k + len(part)))
                if len(part) >= 3:
                    stack.append((offset + k, part))
                k += len(part)
        return words, cuts

    def _parts_uncached(self, word: str) -> tuple[str, ...]:
        """The words of ``word`` without ``word`` itself: jieba's most probable route through its
        dictionary with the whole-word edge taken out (统计分析 → 统计 分析, 数据库 → 数据, never the
        middle piece 计分 that search mode adds, nor the tail 据库)."""
        dag = self._jieba.get_DAG(word)
        dag[0] = [end for end in dag[0] if end != len(word) - 1] or [0]
        route: dict[int, tuple[float, int]] = {}
        self._jieba.calc(word, dag, route)
        parts, i = [], 0
        while i < len(word):
            end = route[i][1] + 1
            if end - i >= 2:
                parts.append(word[i:end])
            i = end
        return tuple(parts)

    def plainness(self, term: str) -> float:
        """How much ``term`` can say about what a studio does, in (0, 1]: 1 for a domain word; for
        another word, its part-of-speech factor times a damping for words common in general text."""
        if term in self._words:
            return 1.0
        entry = self._general.get(term)
        if entry is None:
            return _UNKNOWN_WORD
        freq, tag = entry
        pos = _POS_FACTOR.get(tag, _MINOR_POS)
        rarity = math.log(self._total / max(freq, 1))
        common = min(1.0, max(_COMMON_FLOOR, (rarity - _COMMON_FROM) / (_COMMON_TO - _COMMON_FROM)))
        return pos * common


_POS_FACTOR = {"n": 1.0, "nz": 1.0, "vn": 1.0, "nt": 1.0, "ng": 1.0, "nr": 1.0, "ns": 1.0, "nrt": 1.0,
               "eng": 1.0, "v": 0.6, "vd": 0.6}  # fmt: skip
"""jieba's part-of-speech tags: nouns (and verbal nouns) say most about a technical text, verbs less."""
_MINOR_POS = 0.35
"""Adjectives, adverbs, time and place words, numerals, pronouns, idioms …"""
_UNKNOWN_WORD = 0.6
"""A word in neither dictionary (jieba's HMM made it up: often a fragment such as 买不到)."""
_COMMON_FROM, _COMMON_TO, _COMMON_FLOOR = 8.0, 12.0, 0.4
"""-ln(frequency) in jieba's general dictionary: at 8 (经常, 基地) a word keeps 0.4 of its weight,
from 12 on (焊接, 轴承) all of it."""


@lru_cache(maxsize=1)
def _jieba_dictionary() -> dict[str, tuple[int, str]]:
    """Word → (frequency, part of speech) from the dictionary that ships in the jieba package."""
    import os

    import jieba

    path = os.path.join(os.path.dirname(jieba.__file__), "dict.txt")
    out: dict[str, tuple[int, str]] = {}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            parts = line.split()
            if len(parts) >= 3:
                out[parts[0]] = (int(parts[1]), parts[2])
    return out


class TermModel:
    """Term vectors for short Chinese technical texts (see the module docs).

    Parameters
    ----------
    lexicon:
        Domain words, concepts, generic words and reference documents (default
        :meth:`Lexicon.default`).
    concept_share:
        Share of a term's weight a synonym earns beyond ``related_share`` (default 0.4).
    related_share:
        Share a related concept earns (a problem's answer: 中暑 → 防暑降温); a synonym earns it too,
        so a synonym counts 0.8 of the word itself (default 0.4).
    bigram_share:
        Share of a need's weight spread over the character pieces of its specific words (:func:`_pieces`:
        the bigrams of a longer word, the head of a two-character one; 0.15).
    context_weight:
        Factor on a need's term that the studio's own expertise also holds (0.3).
    prior_documents:
        ``K``: how many of the store's own documents weigh as much as the reference (2,000).
    min_share:
        A need's terms below this share of its weight are dropped (and the rest renormalised), so
        that a need never fans out to every studio through a common word (0.01).
    min_entry:
        A need's columns (terms, concepts, bigrams) below this weight are dropped after the
        split, for the same reason: a bigram worth 0.005 of a need ranks nobody, but would put
        thousands of studios in its candidate list (0.01).
    occupation_share:
        Weight of the occupation space (:mod:`matching.occupations`) beside the terms: the
        complement gains ``occupation_share`` × the cosine of the need's and the expertise's
        occupation vectors (0.2; 0 leaves it out).
    need_occupations, offer_occupations:
        How many occupations a need's and an expertise's vectors keep (10 and 5): a need may ask
        for the work of several occupations; an expertise is kept to the few it reads most like,
        so that a need reaches few studios through them.
    occupation_studios:
        How many expertise texts of the fitted store keep an occupation at most (32, ties kept):
        the ones that read most like it. In a district every text keeps its occupations; in a
        national store a need reaches at most this many studios through each of its occupations,
        the most typical ones, instead of the thousands that read a little like it.
    calibration:
        ``(raw, calibrated)`` breakpoints, increasing; default the shipped ``data/calibration.json``.

    Fitting is ``O(total characters)``; a need row against all expertise rows is one sparse
    matrix-vector product over the studios that share a term with it.
    """

    def __init__(
        self,
        *,
        lexicon: Lexicon | None = None,
        concept_share: float = 0.4,
        related_share: float = 0.4,
        bigram_share: float = 0.15,
        context_weight: float = 0.3,
        prior_documents: int = 2000,
        min_share: float = 0.01,
        min_entry: float = 0.01,
        occupation_share: float = 0.2,
        need_occupations: int = 10,
        offer_occupations: int = 5,
        occupation_studios: int = 32,
        calibration: tuple[Sequence[float], Sequence[float]] | None = None,
    ) -> None:
        self.lexicon = lexicon
        self.concept_share = concept_share
        self.related_share = related_share
        self.bigram_share = bigram_share
        self.context_weight = context_weight
        self.prior_documents = prior_documents
        self.min_share = min_share
        self.min_entry = min_entry
        self.occupation_share = occupation_share
        self.need_occupations = need_occupations
        self.offer_occupations = offer_occupations
        self.occupation_studios = occupation_studios
        self.calibration = calibration

    # -- fitting ---------------------------------------------------------------------------------------
    def fit(self, texts: Sequence[str], *, expertise: Sequence[str] | None = None) -> TermModel:
        """Learn the vocabulary and the IDF from the store's texts (expertise and needs), and which
        expertise texts keep each occupation (from ``expertise``, default ``texts``)."""
        self.lexicon_: Lexicon = self.lexicon or Lexicon.default()
        self.segmenter_ = _segmenter(self.lexicon_)
        corpus = [t for t in texts if t.strip()]
        store_df: Counter[str] = Counter()
        for text in corpus:
            store_df.update(self._terms(text))
        reference_df = _reference_df(self.lexicon_, self.segmenter_)
        n_ref = len(self.lexicon_.reference)
        n = len(corpus)
        k = self.prior_documents
        self.vocabulary_: dict[str, int] = {}
        idf: list[float] = []
        for term in sorted(store_df.keys() | self._concept_terms()):
            p_ref = (reference_df.get(term, 0) + 0.5) / (n_ref + 1)
            p = (store_df.get(term, 0) + k * p_ref) / (n + k)
            self.vocabulary_[term] = len(idf)
            idf.append(max(0.0, -math.log(min(p, 1.0))))
        self.idf_: Vector = np.asarray(idf, dtype=np.float64)
        for concept in sorted(set(self.lexicon_.concept_of.values())):
            self.vocabulary_.setdefault(f"c:{concept}", len(self.vocabulary_))
            self.vocabulary_.setdefault(f"r:{concept}", len(self.vocabulary_))
        bigrams = sorted({b for t in store_df for b in _pieces(t)})
        for b in bigrams:
            self.vocabulary_.setdefault(f"b:{b}", len(self.vocabulary_))
        self.occupations_ = _occupation_space(self.lexicon_, self.segmenter_)
        self._occupation_column = len(self.vocabulary_)  # occupation d is column _occupation_column + d
        for d in range(self.occupations_.size):
            self.vocabulary_[f"o:{d}"] = self._occupation_column + d
        self._offer_cache = lru_cache(maxsize=300_000)(self._offer_uncached)
        self._plan_cache = lru_cache(maxsize=300_000)(self._plan_uncached)
        self._bigram_memo: dict[str, frozenset[str]] = {}
        self._need_occupation_memo: dict[tuple[str, str], _Occupations] = {}
        self._offer_occupation_memo: dict[str, _Occupations] = {}
        self._tie_memo: dict[tuple[str, str, str, int], str | None] = {}
        self.occupation_floor_ = self._occupation_floor(corpus if expertise is None else expertise)
        self._weights_memo: dict[tuple[str, str], dict[str, float]] = {}
        points = self.calibration or _shipped_calibration()
        if not (len(points[0]) == len(points[1]) >= 2 and points[0][0] == 0 == points[1][0] and points[0][-1] == 1
                and all(a < b for a, b in itertools.pairwise(points[0]))):  # fmt: skip
            raise ValueError("calibration: raw breakpoints must rise from 0 to 1, the first calibrated value 0 "
                             "/ 校准曲线：原始分断点须从 0 递增到 1，且首个校准值为 0")  # fmt: skip
        self.calibration_: tuple[Vector, Vector] = (np.asarray(points[0], float), np.asarray(points[1], float))
        self._calibration_points = ([float(v) for v in points[0]], [float(v) for v in points[1]])
        return self

    def _concept_terms(self) -> set[str]:
        return set(self.lexicon_.concept_of)

    @property
    def width(self) -> int:
        return len(self.vocabulary_)

    # -- terms -----------------------------------------------------------------------------------------
    def _terms(self, text: str) -> tuple[str, ...]:
        return self.segmenter_.tokens(text)

    def terms(self, text: str) -> tuple[str, ...]:
        """The terms of ``text`` (segmentation plus domain words found inside it)."""
        return self._terms(text)

    def _weight(self, term: str) -> float:
        col = self.vocabulary_.get(term)
        idf = float(self.idf_[col]) if col is not None and col < len(self.idf_) else 0.0
        return idf * self.lexicon_.generic.get(term, 1.0) * self.segmenter_.plainness(term)

    def _concepts(self, terms: Iterable[str]) -> tuple[set[str], set[str]]:
        concepts = {c for t in terms if (c := self.lexicon_.concept_of.get(t)) is not None}
        related = set(concepts)
        for c in concepts:
            related |= self.lexicon_.related.get(c, frozenset())
        return concepts, related

    def _specific(self, term: str) -> bool:
        return self.lexicon_.generic.get(term, 1.0) >= 0.5 and _CJK.match(term) is not None

    # -- vectors ---------------------------------------------------------------------------------------
    def documents(self, texts: Sequence[str]) -> sp.csr_matrix:
        """Each text as the expertise that may meet a need: presence (1) of its terms, concepts,
        related concepts and bigrams, and its occupation vector."""
        rows: list[dict[int, float]] = []
        _batch(self._offer_occupation_memo, list(texts), self._offer_occupation_vectors)
        for text in texts:
            terms = self._terms(text) if text.strip() else ()
            concepts, related = self._concepts(terms)
            keys = [*terms, *(f"c:{c}" for c in concepts), *(f"r:{c}" for c in related)]
            keys += [f"b:{b}" for t in terms if self._specific(t) for b in _pieces(t)]
            row = {col: 1.0 for key in keys if (col := self.vocabulary_.get(key)) is not None}
            for d, value in self._kept_occupations(text).items():
                row[self._occupation_column + d] = value
            rows.append(row)
        return _matrix(rows, self.width)

    def needs(self, texts: Sequence[str], own: Sequence[str] | None = None) -> sp.csr_matrix:
        """Each need as weights summing to 1 (or 0 for an empty need) over the columns of
        :meth:`documents`; ``own`` gives each studio's own expertise (its terms weigh
        ``context_weight`` in its need)."""
        own = own if own is not None else [""] * len(texts)
        _batch(self._need_occupation_memo, list(zip(texts, own, strict=True)), self._need_occupation_vectors)
        return _matrix([self._need_row(text, mine) for text, mine in zip(texts, own, strict=True)], self.width)

    def _need_weights(self, text: str, mine: str) -> dict[str, float]:
        """Each term of a need and its weight before normalisation (kept per text after fit)."""
        memo = self._weights_memo
        found = memo.get((text, mine))
        if found is None:
            if len(memo) > 400_000:
                memo.clear()
            found = memo[(text, mine)] = self._need_weights_uncached(text, mine)
        return found

    def _need_weights_uncached(self, text: str, mine: str) -> dict[str, float]:
        if not text.strip():
            return {}
        context = set(self._terms(mine)) if mine.strip() else set()
        weights: dict[str, float] = {}
        for term in self._terms(text):
            w = self._weight(term) * (self.context_weight if term in context else 1.0)
            if w > 0:
                weights[term] = w
        return weights

    def _need_row(self, text: str, mine: str) -> dict[int, float]:
        weights = self._need_weights(text, mine)
        total = sum(weights.values())
        if total <= 0:
            return {}
        weights = {t: w for t, w in weights.items() if w / total >= self.min_share}
        total = sum(weights.values())
        row: dict[int, float] = {}
        vocab = self.vocabulary_
        exact = 1.0 - self.concept_share - self.related_share
        share = 1.0 - self.bigram_share
        for term, w in weights.items():
            part = share * w / total
            concept = self.lexicon_.concept_of.get(term)
            col = vocab.get(term)
            if concept is None:
                if col is not None:
                    row[col] = row.get(col, 0.0) + part
                continue
            if col is not None:
                row[col] = row.get(col, 0.0) + part * exact
            for key, amount in ((f"c:{concept}", self.concept_share), (f"r:{concept}", self.related_share)):
                c = vocab[key]
                row[c] = row.get(c, 0.0) + part * amount
        grams: dict[str, float] = {}
        for term, w in weights.items():
            pieces = _pieces(term) if self._specific(term) else []
            for b in pieces:
                grams[b] = grams.get(b, 0.0) + w / len(pieces)
        gram_total = sum(grams.values())
        if gram_total > 0:
            for b, w in grams.items():
                col = vocab.get(f"b:{b}")
                if col is not None:
                    row[col] = row.get(col, 0.0) + self.bigram_share * w / gram_total
        else:  # no bigram to share: the terms carry it all
            row = {c: v / share for c, v in row.items()}
        if self.min_entry > 0:  # a column this light cannot change a ranking, but would reach every studio
            row = {c: v for c, v in row.items() if v >= self.min_entry}
        for d, value in self._need_occupations(text, mine):
            row[self._occupation_column + d] = self.occupation_share * value
        return row

    def _need_occupations(self, need: str, own: str) -> _Occupations:
        """A need's occupation vector (:meth:`OccupationSpace.vector`), kept per text."""
        return _one(self._need_occupation_memo, (need, own), self._need_occupation_vectors)

    def _need_occupation_vectors(self, pairs: list[tuple[str, str]]) -> list[_Occupations]:
        if self.occupation_share <= 0:
            return [() for _ in pairs]
        weights = [self._need_weights(need, own) for need, own in pairs]
        return [tuple(v) for v in self.occupations_.vectors(weights, self.need_occupations)]

    def profiles(self, texts: Sequence[str]) -> sp.csr_matrix:
        """Each text as a unit vector of weighted terms and concepts, for cosine similarity between
        two studios' expertise."""
        indptr, indices, data = [0], [], []
        vocab = self.vocabulary_
        for text in texts:
            row: dict[int, float] = {}
            for term in self._terms(text) if text.strip() else ():
                w = self._weight(term)
                if w <= 0:
                    continue
                if (col := vocab.get(term)) is not None:
                    row[col] = max(row.get(col, 0.0), w)
                if (concept := self.lexicon_.concept_of.get(term)) is not None:
                    c = vocab[f"c:{concept}"]
                    row[c] = max(row.get(c, 0.0), w * self.concept_share)
            norm = math.sqrt(sum(v * v for v in row.values()))
            for col, value in sorted(row.items()):
                indices.append(col)
                data.append(value / norm)
            indptr.append(len(indices))
        return sp.csr_matrix(
            (np.asarray(data, dtype=np.float64), np.asarray(indices, dtype=np.int64), np.asarray(indptr)),
            shape=(len(texts), self.width),
        )

    # -- scores ----------------------------------------------------------------------------------------
    def calibrated(self, raw: Any) -> Any:
        """The raw share a need is covered, as the probability that a person judges the pair
        "meets the need" (monotone; 0 stays 0; flat below 0 and above 1, so raw values need no clip:
        :meth:`fit` checks that the curve runs from raw 0 to 1)."""
        x, y = self.calibration_
        return np.interp(raw, x, y)  # the curve starts at (0, 0)

    def calibrated_one(self, raw: float) -> float:
        """:meth:`calibrated` for one number (without numpy's per-call cost)."""
        if raw <= 0:
            return 0.0
        x, y = self._calibration_points
        k = bisect.bisect_right(x, raw)
        if k <= 0:
            return y[0]
        if k >= len(x):
            return y[-1]
        x0, x1, y0, y1 = x[k - 1], x[k], y[k - 1], y[k]
        return y0 + (y1 - y0) * (raw - x0) / (x1 - x0) if x1 > x0 else y1

    def complement(self, need: str, expertise: str, own: str = "") -> float:
        """The raw share of ``need`` (of a studio whose own expertise is ``own``) that ``expertise``
        meets, in [0, 1]."""
        q = self.needs([need], [own])
        d = self.documents([expertise])
        return float((q @ d.T).toarray()[0, 0])

    def matches(self, need: str, expertise: str, own: str = "", limit: int = 3) -> list[Match]:
        """The terms by which ``expertise`` meets ``need``, strongest first (for the reasons)."""
        plan = self._plan_cache(need, own)  # (:meth:`_plan_uncached`, and :meth:`_offer` without its call)
        if plan is None:
            return []
        ranked, grams, need_occupations = plan
        theirs, by_concept, their_related, their_bigrams, occupations, offer_weights = self._offer_cache(expertise)
        found: list[Match] = []
        for term, share, concept, synonym_share, related_share in ranked:
            if term in theirs:
                other, how, value = term, "same", share
            elif concept is None:
                continue
            elif concept in by_concept:
                other, how, value = by_concept[concept], "synonym", synonym_share
            elif concept in their_related:
                near = self.lexicon_.related.get(concept, _NO_CONCEPTS)
                other = next((t for c, t in by_concept.items() if c in near), term)
                how, value = "related", related_share
            else:
                continue
            for k, m in enumerate(found):  # a word inside one already matched (or holding it) says nothing
                if term in m.need_term or m.need_term in term:  # new, unless it meets the need more closely
                    if value > m.share:  # (跌倒报警 ≈ 摔倒检测 before 跌倒, only related to it)
                        found[k] = _match(Match, (term, other, how, value, ""))
                    break
            else:
                found.append(_match(Match, (term, other, how, value, "")))
        if not found and grams:
            found = [_match(Match, (t, next(their_bigrams[p] for p in pieces if p in their_bigrams), "characters",
                                    share, "")) for t, share, pieces in grams
                     if not their_bigrams.keys().isdisjoint(pieces)]  # fmt: skip
        if need_occupations and occupations:
            bond = self._occupation_match(need, own, expertise, need_occupations, occupations, offer_weights)
            # not a word already matched, nor one inside a matched word (无人机 of 无人机巡检)
            # (an occupation says more than a shared character: it takes the place of one on the same word)
            if (
                bond is not None
                and bond.share >= MIN_BOND
                and not any(bond.need_term in m.need_term for m in found if m.how != "characters")
            ):
                found = [m for m in found if m.how != "characters" or bond.need_term not in m.need_term]
                found.append(bond)
        if len(found) > 1:
            found.sort(key=_match_order)
        return found[:limit]

    def _plan_uncached(self, need: str, own: str) -> _Plan | None:
        """What :meth:`matches` needs of a need (of a studio whose expertise is ``own``), kept per
        text by ``_plan_cache``: its ranked terms with their concepts and the shares a synonym and
        a related concept give (:meth:`matches` looks a concept's related ones up when it needs
        them); its specific terms with their bigrams and the bigram share; its occupation values
        (by occupation). ``None`` when it has neither terms nor occupations."""
        ranked_need = self._ranked_need(need, own)
        occupations = dict(self._need_occupations(need, own))
        if not ranked_need and not occupations:
            return None
        synonym, related = self.concept_share + self.related_share, self.related_share
        concept_of = self.lexicon_.concept_of.get
        ranked = [(t, share, concept_of(t), share * synonym, share * related) for t, share in ranked_need]
        pieces_of, bigram_share = self._specific_bigrams, self.bigram_share
        grams = [(t, bigram_share * share, tuple(pieces)) for t, share in ranked_need
                 if bigram_share > 0 and (pieces := pieces_of(t))]  # fmt: skip
        return tuple(ranked), tuple(grams), occupations

    def _specific_bigrams(self, term: str) -> frozenset[str]:
        """The bigrams of a :meth:`_specific` term (empty for any other), kept per term."""
        found = self._bigram_memo.get(term)
        if found is None:
            found = self._bigram_memo[term] = frozenset(_pieces(term)) if self._specific(term) else frozenset()
        return found

    def _ranked_need(self, need: str, own: str) -> tuple[tuple[str, float], ...]:
        """A need's terms with their shares of its weight, strongest first."""
        weights = self._need_weights(need, own)
        total = sum(weights.values())
        if total <= 0:
            return ()
        # (reverse keeps equal weights in their order, as a key of -weight would)
        return tuple((t, w / total) for t, w in sorted(weights.items(), key=itemgetter(1), reverse=True))

    def _offer(self, expertise: str) -> _Offer:
        """An expertise text's terms, its first term per concept, its related concepts, the
        character pieces of its specific terms (each with the first term that has it), its
        occupation vector and, when it has occupations, its terms' weights (cached per text)."""
        return self._offer_cache(expertise)

    def _offer_uncached(self, expertise: str) -> _Offer:
        theirs = self._terms(expertise) if expertise.strip() else ()
        by_concept: dict[str, str] = {}
        for t in theirs:
            if (c := self.lexicon_.concept_of.get(t)) is not None:
                by_concept.setdefault(c, t)
        _, related = self._concepts(theirs)
        bigrams: dict[str, str] = {}  # each piece of its specific words, and the first word that has it
        for x in theirs:
            if self._specific(x):
                for b in _pieces(x):
                    bigrams.setdefault(b, x)
        occupations = self._kept_occupations(expertise)
        # the weights :meth:`_occupation_match` finds an occupation's term by, once per text
        weights = self._offer_weights(self._terms(expertise)) if occupations else {}
        return frozenset(theirs), by_concept, frozenset(related), bigrams, occupations, weights

    def _offer_occupations(self, expertise: str) -> _Occupations:
        """An expertise's occupation vector before :attr:`occupation_studios` (kept per text)."""
        return _one(self._offer_occupation_memo, expertise, self._offer_occupation_vectors)

    def _kept_occupations(self, expertise: str) -> dict[int, float]:
        """An expertise's occupations that it keeps (:attr:`occupation_studios`), with their values."""
        floor = self.occupation_floor_
        return {d: v for d, v in self._offer_occupations(expertise) if v >= floor[d]}

    def _offer_occupation_vectors(self, texts: list[str]) -> list[_Occupations]:
        if self.occupation_share <= 0:
            return [() for _ in texts]
        weights = [self._offer_weights(self._terms(t)) if t.strip() else {} for t in texts]
        return [tuple(v) for v in self.occupations_.vectors(weights, self.offer_occupations)]

    def _occupation_floor(self, texts: Sequence[str]) -> Vector:
        """Per occupation, the least value an expertise text needs to keep it: the
        :attr:`occupation_studios`-th largest over ``texts`` (0 where fewer texts hold it)."""
        values: dict[int, list[float]] = {}
        for vector in _batch(self._offer_occupation_memo, list(texts), self._offer_occupation_vectors):
            for d, v in vector:
                values.setdefault(d, []).append(v)
        floor = np.zeros(self.occupations_.size)
        cap = self.occupation_studios
        for d, found in values.items():
            if len(found) > cap:
                floor[d] = float(np.partition(np.asarray(found), len(found) - cap)[len(found) - cap])
        return floor

    def _offer_weights(self, terms: Iterable[str]) -> dict[str, float]:
        return {t: w for t in terms if (w := self._weight(t)) > 0}

    def _occupation_match(
        self,
        need: str,
        own: str,
        expertise: str,
        need_occupations: dict[int, float],
        occupations: dict[int, float],
        offer_weights: dict[str, float] | None = None,
    ) -> Match | None:
        """The occupation that ties a need most to an expertise (given the need's occupation values
        and the expertise's kept ``occupations``): the largest product of their values, with the
        term of each side that ties it (:meth:`OccupationSpace.best_term`, kept per text and
        occupation); ``None`` when none is shared. ``offer_weights``: the expertise's term weights
        when the caller has them (:meth:`_offer_uncached`), else worked out here."""
        if len(occupations) < len(need_occupations):  # the shorter side (an expertise keeps 1-2 of ~9)
            shared = [(need_occupations[d] * v, -d) for d, v in occupations.items() if d in need_occupations]
        else:
            shared = [(v * occupations[d], -d) for d, v in need_occupations.items() if d in occupations]
        if not shared:
            return None
        value, d = max(shared)
        memo = self._tie_memo
        if len(memo) > _MEMO_LIMIT:
            memo.clear()
        need_key, offer_key = ("need", need, own, -d), ("offer", expertise, "", -d)
        if need_key not in memo:
            memo[need_key] = self.occupations_.best_term(self._need_weights(need, own), -d)
        if offer_key not in memo:
            if offer_weights is None:
                offer_weights = self._offer_weights(self._terms(expertise))
            memo[offer_key] = self.occupations_.best_term(offer_weights, -d)
        need_term, offer_term = memo.get(need_key), memo.get(offer_key)
        if need_term is None or offer_term is None:
            return None
        return _match(Match, (need_term, offer_term, "occupation", self.occupation_share * value,
                              self.occupations_.names[-d]))  # fmt: skip


@lru_cache(maxsize=200_000)
def quote(text: str, term: str, width: int = 18) -> str:
    """The clause of ``text`` that holds ``term`` (matched after NFKC and lower-casing), shortened
    to about ``width`` characters around it with …; for a term the text writes apart, the clause
    of its longest beginning that it holds; the term itself when none is found."""
    folded = normalise(text)
    for clause, raw in zip(_CLAUSE.split(folded), _CLAUSE.split(unicodedata.normalize("NFKC", text)), strict=False):
        at = clause.find(term)
        if at < 0:
            continue
        if len(raw) <= width:
            return raw
        start = max(0, min(at - (width - len(term)) // 2, len(raw) - width))
        end = start + width
        # never cut a Latin word or a number (SMT, IP核, 5G): take a short one whole, else leave it out
        start = _whole_run(raw, start, 1, limit=at)
        end = _whole_run(raw, end, -1, limit=at + len(term))
        return ("…" if start > 0 else "") + raw[start:end] + ("…" if end < len(raw) else "")
    for cut in range(len(term) - 2, 1, -1):  # a term the text writes apart (跌倒 … 报警): where it begins
        if term[:cut] in folded:
            return quote(text, term[:cut], width)
    return term


def _latin(c: str) -> bool:
    return c.isascii() and c.isalnum()


def _whole_run(raw: str, cut: int, side: int, limit: int, longest: int = 8) -> int:
    """Where to cut ``raw`` at ``cut`` so as not to split a run of ASCII letters and digits: the
    start of the window (``side`` 1) or its end (``side`` -1) moves out to take a run of at most
    ``longest`` characters whole, or else in past it, but never past ``limit`` (the term's edge).
    A cut at either end of ``raw`` stays."""
    if not (0 < cut < len(raw) and _latin(raw[cut - 1]) and _latin(raw[cut])):
        return cut
    lo = cut
    while lo > 0 and _latin(raw[lo - 1]):
        lo -= 1
    hi = cut
    while hi < len(raw) and _latin(raw[hi]):
        hi += 1
    if hi - lo <= longest:
        return lo if side > 0 else hi
    return min(hi, limit) if side > 0 else max(lo, limit)


def _bigrams(term: str) -> list[str]:
    return [term[i : i + 2] for i in range(len(term) - 1)] if _CJK.match(term) and len(term) >= 3 else []


def _pieces(term: str) -> list[str]:
    """What the character channel knows a word by: the bigrams of a word of 3 or more characters; of a
    two-character word, its last character, its head: a Chinese compound names a kind of its last
    character (微漏 and 泄漏 are leaks, 钻孔 and 制孔 holes, 雨蚀 and 冲蚀 erosion), which links two words
    that neither the lexicon nor a bigram does. (A head and a bigram never collide: one character
    against two.)"""
    if not _CJK.match(term):
        return []
    return _bigrams(term) if len(term) >= 3 else [term[-1]] if len(term) == 2 else []


_Offer = tuple[frozenset[str], dict[str, str], frozenset[str], dict[str, str], dict[int, float], dict[str, float]]
"""See :meth:`TermModel._offer`."""
_Occupations = tuple[tuple[int, float], ...]
"""A text's occupation vector: ``(occupation, value)``, strongest first."""
_Plan = tuple[
    tuple[tuple[str, float, str | None, float, float], ...],
    tuple[tuple[str, float, tuple[str, ...]], ...],
    dict[int, float],
]
"""See :meth:`TermModel._plan_uncached`. No sets in it (bigrams as tuples, related concepts looked up
when needed): the garbage collector stops tracking a tuple of strings and numbers, a set never, and
a roster's plans are hundreds of thousands of tuples that every full collection would otherwise walk."""
_NO_CONCEPTS: frozenset[str] = frozenset()


_match: Callable[[type[Match], tuple[str, str, str, float, str]], Match] = tuple.__new__
"""``_match(Match, (need_term, expertise_term, how, share, via))``: a :class:`Match` without the
Python-level ``__new__`` its default field gives it (:meth:`TermModel.matches` builds millions)."""


def _match_order(m: Match) -> tuple[float, str]:
    return -m.share, m.need_term


MIN_BOND = 0.02
"""An occupation bond is named in the reasons only when it carries at least this share of the need:
below it the two texts meet in an occupation by one common word each (视觉 and 电池 in 航标工's tasks),
which adds little to the score and is no reason an officer would accept."""
_MEMO_LIMIT = 400_000
"""Texts whose occupation vectors a model keeps (then it starts again)."""


def _batch(
    memo: dict[Any, _Occupations], keys: list[Any], compute: Callable[[list[Any]], list[_Occupations]]
) -> list[_Occupations]:
    """The values of ``keys`` from ``memo``, the missing ones computed in one batch by
    ``compute(missing keys)`` and kept (safe beside other threads: a value is read once)."""
    known = {k: v for k in dict.fromkeys(keys) if (v := memo.get(k)) is not None}
    missing = [k for k in dict.fromkeys(keys) if k not in known]
    if missing:
        fresh = dict(zip(missing, compute(missing), strict=True))
        if len(memo) + len(fresh) > _MEMO_LIMIT:
            memo.clear()
        memo.update(fresh)
        known.update(fresh)
    return [known[k] for k in keys]


def _one(memo: dict[Any, _Occupations], key: Any, compute: Callable[[list[Any]], list[_Occupations]]) -> _Occupations:
    """:func:`_batch` of one key, with no batch built when the memo has it."""
    found = memo.get(key)
    return found if found is not None else _batch(memo, [key], compute)[0]


def _matrix(rows: list[dict[int, float]], width: int) -> sp.csr_matrix:
    """Rows of ``{column: value}`` as a CSR matrix, columns sorted within each row."""
    indptr = np.zeros(len(rows) + 1, dtype=np.int64)
    indptr[1:] = np.cumsum([len(r) for r in rows])
    count = int(indptr[-1])
    entries = [item for r in rows for item in sorted(r.items())]
    indices = np.fromiter((c for c, _ in entries), dtype=np.int64, count=count)
    data = np.fromiter((v for _, v in entries), dtype=np.float64, count=count)
    return sp.csr_matrix((data, indices, indptr), shape=(len(rows), width))


@lru_cache(maxsize=4)
def _segmenter(lexicon: Lexicon) -> Segmenter:
    return Segmenter(lexicon)


@lru_cache(maxsize=4)
def _occupation_space(lexicon: Lexicon, segmenter: Segmenter) -> OccupationSpace:
    return OccupationSpace(lexicon.occupations, segmenter.segment)


@lru_cache(maxsize=4)
def _reference_df(lexicon: Lexicon, segmenter: Segmenter) -> Counter[str]:
    df: Counter[str] = Counter()
    for text in lexicon.reference:
        df.update(segmenter.segment(text))
    return df


@lru_cache(maxsize=1)
def _shipped_calibration() -> tuple[tuple[float, ...], tuple[float, ...]]:
    try:
        raw = resources.files("matching").joinpath("data", "calibration.json").read_text(encoding="utf-8")
    except FileNotFoundError:
        return (0.0, 1.0), (0.0, 1.0)
    data = json.loads(raw)
    return tuple(data["raw"]), tuple(data["calibrated"])
