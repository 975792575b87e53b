"""Article 12 partner suggestions of every kind, scored, explained, and fast at national scale.

Kinds (:class:`graph.model.AllianceKind` values):

``same-trade`` (同工种)
    Candidates share a trade. Score: expertise similarity, share of trades in common (Jaccard),
    past collaborations.
``same-industry`` (同行业)
    Candidates are in the same GB/T 4754 division. Score: taxonomy closeness (same class 1,
    same group 0.75, same division 0.5), expertise similarity, past collaborations.
``cross-field`` (跨领域、跨专业)
    Candidates share no trade and sit in different industry sections. Score: complementarity —
    how well the candidate's expertise meets the studio's needs (9/10) and the studio's expertise the
    candidate's needs (1/10), each the calibrated share of the need that the expertise covers
    (:class:`matching.terms.TermModel`) — and past collaborations. Pairs below ``min_complement``
    are not suggested.
``chain`` (上下游)
    Candidates work in a segment within two ``SUPPLIES`` hops of one of the studio's segments,
    upstream or downstream (not the same segment). Score: path strength (product of the edge
    weights), complementarity, expertise similarity, past collaborations.

Every score is a weighted mean of components in [0, 1], so it is in [0, 1]; the weights are
:class:`Weights`, with documented defaults. Rules from the seed document apply to every kind:
delisted and flagged studios, and studios whose leader is recorded as deceased, left or retired in
or before the year of the fit, are never suggested (Article 9; :mod:`graph.exclusion`, the status
field may lag behind the yearly assessment); a studio is never its own partner;
pairs already in a live alliance are left out unless ``include_allied``; partners at the same
employer rank below every cross-employer partner (alliances exist to cross units); ties break by
studio id.

Suggesting for one studio is a handful of vector operations over all studios
(``O(n · d)`` for ``d`` text dimensions); :meth:`Suggester.suggest_all` does the same in blocks of
rows, so memory stays ``O(block · n)`` and there is no N×N matrix and no Python loop over pairs.
"""

from __future__ import annotations

import math
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

import numpy as np
import scipy.sparse as sp

from graph.exclusion import Exclusion
from graph.lookup import StudioLookup
from graph.model import AllianceKind
from graph.store import Projection

from .chain import Reach
from .features import StudioFeatures, build_features
from .terms import Match, TermModel, quote
from .topk import top_rows

Matrix = np.ndarray

KINDS: tuple[AllianceKind, ...] = (
    AllianceKind.SAME_TRADE,
    AllianceKind.SAME_INDUSTRY,
    AllianceKind.CROSS_FIELD,
    AllianceKind.CHAIN,
)

COMPONENTS: dict[AllianceKind, tuple[str, ...]] = {
    AllianceKind.SAME_TRADE: ("text", "trades", "collaboration"),
    AllianceKind.SAME_INDUSTRY: ("taxonomy", "text", "collaboration"),
    AllianceKind.CROSS_FIELD: ("complement", "collaboration"),
    AllianceKind.CHAIN: ("chain", "complement", "text", "collaboration"),
}
"""Which components make up each kind's score."""

FEW_ROWS = 32
"""Below this many rows (one studio's suggestions), cross-field filters the other sections after the
products instead of building a view of them, and the other kinds keep the complement's directions
dense instead of looking the picked pairs up."""

_AB, _BA = "_needs_met_by_partner", "_partner_needs_met"
"""Keys under which :meth:`Suggester.component_block` also returns the two directions of the complement."""

NEED_SHARE = 0.9
"""In the complement, the weight of "the partner meets our needs" (the rest: "we meet theirs"): a
studio asking for partners is first of all asking who can answer its needs; the other way round
breaks near-ties (0.75 before 2026-12-02 put a studio whose needs we meet above the one that meets
ours)."""

BLOCK_OVERHEAD = 200_000
"""What a block costs beyond its rows × candidates, in pairs (a few milliseconds of sparse slicing
and products): :meth:`Suggester._blocks` mixes groups in one block when that saves more."""

MATCHED_CACHE = 500_000
"""How many (needs, expertise, own expertise) texts' matched terms :meth:`Suggester._matched` keeps."""
_UNSEEN: Any = object()
"""What :meth:`Suggester._matched` finds in its cache for texts it has not matched yet."""

COLUMN_VIEWS = 2
"""How many candidate sets' transposed features :meth:`Suggester._columns` keeps (a block's
commonest rows and its other rows have candidate sets of their own: with one view, 153 of chain's
171 ranked parts at 20,000 studios rebuilt it, with two 98, with eight 87)."""

SPARSE_SHARE = 0.125
"""A ranking block keeps a sparse component sparse while fewer than this share of its pairs have an
entry (:func:`_kept`)."""

ROUND = 9
"""Scores are rounded to this many decimals before ranking, so that equal scores tie exactly."""


@dataclass(frozen=True)
class Weights:
    """Weights of the score components, per kind (any non-negative numbers; each kind's are
    normalised to sum to 1).

    - ``text``: cosine similarity of the two studios' expertise texts.
    - ``trades``: Jaccard similarity of their trade sets.
    - ``taxonomy``: GB/T 4754 closeness (1 same class, 0.75 same group, 0.5 same division).
    - ``complement``: ``9/10 ·`` how well the partner's expertise meets our needs ``+ 1/10 ·`` how
      well ours meets theirs (:data:`NEED_SHARE`); each calibrated to the probability that a person
      judges "meets the need".
    - ``chain``: strength of the best ``SUPPLIES`` path within two hops.
    - ``collaboration``: 1 if they have worked together before, else 0.
    """

    same_trade: dict[str, float] = field(default_factory=lambda: {"text": 0.6, "trades": 0.3, "collaboration": 0.1})
    same_industry: dict[str, float] = field(
        default_factory=lambda: {"taxonomy": 0.5, "text": 0.4, "collaboration": 0.1}
    )
    cross_field: dict[str, float] = field(default_factory=lambda: {"complement": 0.9, "collaboration": 0.1})
    chain: dict[str, float] = field(
        default_factory=lambda: {"chain": 0.45, "complement": 0.3, "text": 0.15, "collaboration": 0.1}
    )
    min_complement: float = 0.05
    """Cross-field pairs whose complementarity is below this are not suggested."""

    def of(self, kind: AllianceKind) -> dict[str, float]:
        raw = {
            AllianceKind.SAME_TRADE: self.same_trade,
            AllianceKind.SAME_INDUSTRY: self.same_industry,
            AllianceKind.CROSS_FIELD: self.cross_field,
            AllianceKind.CHAIN: self.chain,
        }[kind]
        unknown = set(raw) - set(COMPONENTS[kind])
        if unknown:
            raise ValueError(f"{kind.value} has no component(s) {sorted(unknown)}")
        if any(v < 0 for v in raw.values()):
            raise ValueError("weights must not be negative")
        total = sum(raw.get(c, 0.0) for c in COMPONENTS[kind])
        if total <= 0:
            raise ValueError(f"the weights of {kind.value} sum to zero")
        return {c: raw.get(c, 0.0) / total for c in COMPONENTS[kind]}


@dataclass(frozen=True)
class Filters:
    """Partner filters (``None`` = any): district name, union id, level value."""

    district: str | None = None
    union: str | None = None
    level: str | None = None


@dataclass(frozen=True)
class Suggestion:
    """One suggested partner for one studio."""

    studio_id: str
    partner_id: str
    partner_name: str
    kind: AllianceKind
    score: float
    components: dict[str, float]
    reasons: tuple[str, ...]
    """Chinese, for union officers."""
    reasons_en: tuple[str, ...]
    same_employer: bool = False
    details: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "studio_id": self.studio_id,
            "partner_id": self.partner_id,
            "partner_name": self.partner_name,
            "kind": self.kind.value,
            "score": self.score,
            "components": self.components,
            "reasons": list(self.reasons),
            "reasons_en": list(self.reasons_en),
            "same_employer": self.same_employer,
            **({"details": self.details} if self.details else {}),
        }


class Suggester:
    """Fit on a projection, then ask for partners.

    Parameters
    ----------
    weights:
        Component weights per kind (:class:`Weights`).
    text:
        The text model (default :class:`matching.terms.TermModel` with its defaults).
    block:
        Rows per block in :meth:`suggest_all`.
    year:
        The year Article 9 is judged in (default: this year).
    learned, learned_note:
        The kinds whose ``weights`` were learned by ``alliances tune``, and the model's version and
        date, for the reasons (:func:`matching.tune.suggester_for`).

    Example
    -------
    >>> suggester = Suggester().fit(store.projection())            # doctest: +SKIP
    >>> suggester.suggest("SH000001", AllianceKind.CHAIN, top_k=5)  # doctest: +SKIP
    """

    def __init__(
        self,
        weights: Weights | None = None,
        *,
        text: TermModel | None = None,
        block: int = 256,
        year: int | None = None,
        learned: frozenset[AllianceKind] = frozenset(),
        learned_note: str = "",
    ) -> None:
        self.weights = weights or Weights()
        self.text = text
        self.block = block
        self.year = year
        self.learned = learned
        """Kinds whose weights were learned from the store's outcomes (``alliances tune``)."""
        self.learned_note = learned_note

    def fit(self, projection: Projection, *, fit_text: bool = True, reuse: StudioFeatures | None = None) -> Suggester:
        """Build the features of ``projection``; ``fit_text=False`` keeps the given fitted text
        model and ``reuse`` the text vectors of known studios (see :func:`build_features`)."""
        self.features_: StudioFeatures = build_features(
            projection, self.text, fit_text=fit_text, reuse=reuse, year=self.year
        )
        f = self.features_
        self.lookup_ = StudioLookup(zip(f.ids, f.names, strict=True))
        self.reach_ = Reach.of(len(f.segment_ids), f.supplies)
        self.segment_reach_: Matrix = self.reach_.best_to_studios(f.segments)
        self._trade_count = np.asarray(f.trades.sum(axis=1)).ravel()
        # row lists for explanations (slicing a scipy row costs tens of microseconds each time)
        self._trade_rows = [list(map(int, r)) for r in np.split(f.trades.indices, f.trades.indptr[1:-1])]
        self._segment_rows = [list(map(int, r)) for r in np.split(f.segments.indices, f.segments.indptr[1:-1])]
        self._fields: dict[int, str] = {}
        self._chain_phrases: dict[tuple[int, int, bool], tuple[str, str, list[str]]] = {}
        self._matched_cache: dict[tuple[str, str, str], _Matched | None] = {}
        self._section_views: dict[tuple[int, Filters], tuple[np.ndarray, sp.csr_matrix, sp.csr_matrix]] = {}
        self._offers_t: sp.csr_matrix = f.offers.T.tocsr()
        self._needs_t: sp.csr_matrix = f.needs.T.tocsr()
        self._views: tuple[tuple[np.ndarray, dict[str, sp.csr_matrix]], ...] = ()
        self._trade_table = _table(f.trades)
        self._trade_holders: sp.csc_matrix = f.trades.tocsc()  # each trade's studios
        self._segment_table = _table(f.segments)
        self._alliance_table = _table(f.alliances)
        self._trade_signature = _signature(self._trade_table)
        self._alliance_signature = _signature(self._alliance_table)
        known = f.employer >= 0
        self._employer_matrix = sp.csr_matrix(
            (np.ones(int(known.sum())), (np.flatnonzero(known), f.employer[known])),
            shape=(f.n, int(f.employer.max()) + 1 if known.any() else 1),
        )
        self._employer_t: sp.csr_matrix = self._employer_matrix.T.tocsr()
        self._alliances_t: sp.csr_matrix = f.alliances.T.tocsr()
        return self

    def _collaboration_count(self, i: int, j: int) -> int:
        c = self.features_.collaborations
        start, end = c.indptr[i], c.indptr[i + 1]
        hits = c.data[start:end][c.indices[start:end] == j]
        return int(hits.sum())

    # -- public --------------------------------------------------------------------------------------
    def studio_row(self, studio: str) -> int:
        """The row of a studio given by id or exact name; KeyError if none, ValueError if ambiguous."""
        return self.features_.row[self.lookup_.one(studio)]

    def exclusion(self, studio: str) -> Exclusion | None:
        """Why a studio (id or exact name) takes no part in matching (Article 9), or ``None``."""
        return self.features_.exclusions.get(self.studio_row(studio))

    def suggest(
        self,
        studio: str,
        kind: AllianceKind | str,
        top_k: int = 10,
        filters: Filters | None = None,
        *,
        include_allied: bool = False,
    ) -> list[Suggestion]:
        """The ``top_k`` partners of one studio for one kind, best first."""
        kind = AllianceKind(kind)
        row = self.studio_row(studio)
        return self._block(np.array([row]), kind, top_k, filters or Filters(), include_allied)[0]

    def suggest_all(
        self,
        kind: AllianceKind | str,
        top_k: int = 10,
        filters: Filters | None = None,
        *,
        include_allied: bool = False,
        rows: Sequence[int] | None = None,
    ) -> Iterator[tuple[str, list[Suggestion]]]:
        """``(studio id, suggestions)`` for every studio (or the given rows), block by block.

        Studios come grouped by what they share for ``kind`` (first trade, division, first
        segment), so that a block's candidates are few; not in id order."""
        kind = AllianceKind(kind)
        filters = filters or Filters()
        everyone = np.arange(self.features_.n) if rows is None else np.asarray(rows, dtype=np.int64)
        grouping = self._grouping(kind)
        everyone = everyone[np.argsort(grouping[everyone], kind="stable")]
        ids = self.features_.ids
        # The numerical half of a block (_pick: sparse products and numpy, which release the GIL)
        # runs in a worker thread while this one writes the reasons of the block before it (plain
        # Python, _explained): the two halves overlap, and the suggestions are those of one thread
        # (each block is picked from the features alone; the reasons' caches are this thread's).
        # At most one block is being picked and one waits picked, so memory stays one block's more.
        pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="suggest-all")
        try:
            with _SWITCH_OFTEN:
                pending: tuple[np.ndarray, Future[list[_Picked]]] | None = None
                for block in self._blocks(kind, everyone, grouping[everyone]):
                    picked = pool.submit(self._pick, block, kind, top_k, filters, include_allied)
                    if pending is not None:
                        yield from self._rows_explained(ids, *pending)
                    pending = block, picked
                if pending is not None:
                    yield from self._rows_explained(ids, *pending)
        finally:  # also when the caller stops early: a queued block is not picked for nothing
            pool.shutdown(wait=True, cancel_futures=True)

    def _rows_explained(
        self, ids: list[str], block: np.ndarray, picked: Future[list[_Picked]]
    ) -> Iterator[tuple[str, list[Suggestion]]]:
        for r, found in zip(block.tolist(), self._explained(len(block), picked.result()), strict=True):
            yield ids[r], found

    def _blocks(self, kind: AllianceKind, ordered: np.ndarray, groups: np.ndarray) -> Iterator[np.ndarray]:
        """``ordered`` (rows sorted by ``groups``) cut into blocks of at most :attr:`block` rows.

        A block's work is its rows × its candidates, and its candidates are the union of its groups'
        (:meth:`_group_candidates` estimates each group's): a group joins the block before it only
        when the mixed block costs less than the two apart plus :data:`BLOCK_OVERHEAD` pairs, so that
        small groups share blocks and large ones do not drag in each other's candidates. Cross-field
        blocks are plain slices (they are split by section later)."""
        if kind is AllianceKind.CROSS_FIELD:
            for start in range(0, len(ordered), self.block):
                yield ordered[start : start + self.block]
            return
        if not len(ordered):
            return
        sizes = self._group_candidates(kind)
        cuts = np.flatnonzero(np.diff(groups)) + 1
        pending: list[np.ndarray] = []
        pending_rows = pending_cols = 0
        for run, g in zip(np.split(ordered, cuts), groups[np.r_[0, cuts]].tolist(), strict=True):
            cols = int(sizes[g]) if g >= 0 else 0
            for start in range(0, len(run), self.block):
                part = run[start : start + self.block]
                apart = pending_rows * pending_cols + len(part) * cols + BLOCK_OVERHEAD
                together = (pending_rows + len(part)) * (pending_cols + cols)
                if pending and (pending_rows + len(part) > self.block or together > apart):
                    yield np.concatenate(pending)
                    pending, pending_rows, pending_cols = [], 0, 0
                pending.append(part)
                pending_rows += len(part)
                pending_cols += cols
        if pending:
            yield np.concatenate(pending)

    def _group_candidates(self, kind: AllianceKind) -> np.ndarray:
        """For each value of :meth:`_grouping`, about how many studios a studio of that group is
        scored against: the studios of the trade or the division, or those a segment reaches."""
        f = self.features_
        if kind is AllianceKind.SAME_TRADE:
            return np.diff(self._trade_holders.indptr)
        if kind is AllianceKind.CHAIN:
            reached: np.ndarray = np.count_nonzero(self.segment_reach_ > 0, axis=1)
            return reached
        return np.bincount(f.industry_division[f.industry_division >= 0], minlength=1)

    def _grouping(self, kind: AllianceKind) -> np.ndarray:
        f = self.features_
        if kind is AllianceKind.SAME_TRADE:
            matrix = f.trades
        elif kind is AllianceKind.CHAIN:
            matrix = f.segments
        else:
            return f.industry_division if kind is AllianceKind.SAME_INDUSTRY else f.industry_section
        first = np.full(f.n, -1, dtype=np.int64)
        counts = np.diff(matrix.indptr)
        first[counts > 0] = matrix.indices[matrix.indptr[:-1][counts > 0]]
        return first

    # -- scoring --------------------------------------------------------------------------------------
    def candidate_columns(self, rows: np.ndarray, kind: AllianceKind) -> np.ndarray:
        """Studios that can be a candidate of at least one of ``rows`` for ``kind`` (a superset;
        the mask decides). Sorted rows, so that ties still break by id."""
        f = self.features_
        if kind is AllianceKind.SAME_TRADE:  # the holders of the rows' trades, not the rows × studios product
            return np.unique(self._trade_holders[:, np.unique(f.trades[rows].indices)].indices)
        if kind is AllianceKind.SAME_INDUSTRY:
            divisions = np.unique(f.industry_division[rows])
            divisions = divisions[divisions >= 0]
            return np.flatnonzero(np.isin(f.industry_division, divisions))
        if kind is AllianceKind.CHAIN:
            own = np.unique(f.segments[rows].indices)
            if not len(own):
                return np.zeros(0, dtype=np.int64)
            return np.flatnonzero(self.segment_reach_[own].max(axis=0) > 0)
        return np.arange(f.n)

    def directions(self, rows: np.ndarray, cols: np.ndarray) -> tuple[Matrix, Matrix]:
        """``(ab, ba)``, dense (len(rows), len(cols)): how well each col's expertise meets each row's
        needs, and each row's expertise each col's needs, calibrated to [0, 1]."""
        ab, ba = self._sparse_directions(rows, cols)
        return ab.toarray(), ba.toarray()

    def _sparse_directions(self, rows: np.ndarray, cols: np.ndarray) -> tuple[sp.csr_matrix, sp.csr_matrix]:
        """:meth:`directions` before densifying, calibrated on the non-zero entries only."""
        f = self.features_
        out = []
        for product in (f.needs[rows] @ self._columns("offers", cols), f.offers[rows] @ self._columns("needs", cols)):
            product = product.tocsr()
            product.data = f.text.calibrated(product.data)  # (the curve is flat beyond [0, 1]: no clip needed)
            out.append(product)
        return out[0], out[1]

    def _columns(self, name: str, cols: np.ndarray) -> sp.csr_matrix:
        """The transpose of the features' matrix ``name`` restricted to the studios ``cols``, kept
        for the last :data:`COLUMN_VIEWS` ``cols`` asked for: consecutive blocks of one group share
        their candidates, and :meth:`_pick` ranks a block's commonest rows and the rest apart, so
        the two alternate (the view used last goes first, the one used longest ago goes)."""
        views = self._views  # one read, so that a concurrent call cannot mix two views
        view = next((v for v in views if np.array_equal(v[0], cols)), None) or (cols.copy(), {})
        self._views = (view, *(v for v in views if v is not view))[:COLUMN_VIEWS]  # the last used first
        found = view[1].get(name)
        if found is None:
            found = view[1][name] = getattr(self.features_, name)[cols].T.tocsr()
        return found

    def component_block(
        self, rows: np.ndarray, kind: AllianceKind, cols: np.ndarray | None = None
    ) -> tuple[dict[str, Matrix], np.ndarray]:
        """Every component of ``kind`` for ``rows`` against the studios ``cols`` (default: all), and
        the candidate mask (before the rules). Shapes (len(rows), len(cols)). With a complement,
        also its two directions (for the reasons)."""
        cols = np.arange(self.features_.n) if cols is None else cols
        dense, mask = self._components(rows, kind, cols, dense=True)
        return {name: _dense(c) for name, c in dense.items()}, mask

    def _components(
        self, rows: np.ndarray, kind: AllianceKind, cols: np.ndarray, *, dense: bool
    ) -> tuple[dict[str, Matrix | sp.csr_matrix], np.ndarray]:
        """:meth:`component_block`; ``dense=False`` keeps collaboration sparse, text and complement
        sparse while few of the block's pairs have an entry (:func:`_kept`), and leaves the
        complement's two directions out (ranking needs them only for the pairs it explains,
        :meth:`pair_directions`)."""
        f = self.features_
        comps: dict[str, Matrix | sp.csr_matrix] = {}
        need = set(COMPONENTS[kind])
        if "text" in need:
            text = f.expertise[rows] @ self._columns("expertise", cols)
            text.data = np.clip(text.data, 0.0, 1.0)
            comps["text"] = _kept(text, dense)
        if "collaboration" in need:
            comps["collaboration"] = _entries(f.collaborations[rows], cols, f.n, dense=dense)
        if "complement" in need:
            ab, ba = self._sparse_directions(rows, cols)
            if dense:
                comps[_AB], comps[_BA] = ab.toarray(), ba.toarray()  # kept for the reasons, not a component
                comps["complement"] = NEED_SHARE * comps[_AB] + (1.0 - NEED_SHARE) * comps[_BA]
            else:  # the same sums, entry by entry (a missing entry adds 0), scaled in place
                ab.data *= NEED_SHARE
                ba.data *= 1.0 - NEED_SHARE
                comps["complement"] = _kept(ab + ba, dense)
        shared = (f.trades[rows] @ self._columns("trades", cols)).toarray() if kind is AllianceKind.SAME_TRADE or (
            kind is AllianceKind.CROSS_FIELD) else None  # fmt: skip
        if kind is AllianceKind.SAME_TRADE:
            assert shared is not None
            union = self._trade_count[rows][:, None] + self._trade_count[cols][None, :] - shared
            comps["trades"] = shared / np.maximum(union, 1.0)  # 0 where nothing is shared
            mask = shared > 0
        elif kind is AllianceKind.SAME_INDUSTRY:
            div, grp, cls = f.industry_division, f.industry_group, f.industry_class
            mask = (div[rows][:, None] == div[cols][None, :]) & (div[rows][:, None] >= 0)
            same_group = (grp[rows][:, None] == grp[cols][None, :]) & (grp[rows][:, None] >= 0)
            same_code = (cls[rows][:, None] == cls[cols][None, :]) & (cls[rows][:, None] >= 0)
            comps["taxonomy"] = np.where(same_code, 1.0, np.where(same_group, 0.75, 0.5)) * mask
        elif kind is AllianceKind.CROSS_FIELD:
            sec = f.industry_section
            different = (
                (sec[rows][:, None] != sec[cols][None, :]) & (sec[rows][:, None] >= 0) & (sec[cols][None, :] >= 0)
            )
            assert shared is not None
            mask = different & (shared == 0) & (_dense(comps["complement"]) >= self.weights.min_complement)
        else:
            comps["chain"] = strength = self._chain_strength(rows, cols)
            mask = strength > 0
        return comps, mask

    def _chain_strength(self, rows: np.ndarray, cols: np.ndarray) -> Matrix:
        """The chain component (len(rows), len(cols)): the strongest link from any of a row's
        segments to any of a col's. Rows with the same segments have the same strengths, and a
        block's rows mostly share theirs (:meth:`_pick`), so each set of segments is worked out
        once, from only the segments' rows of :attr:`segment_reach_` that the block uses."""
        own = self._segment_table[rows]  # each row's segments, padded with -1
        own = own[:, : max(1, int((own >= 0).sum(axis=1).max(initial=0)))]
        sets, which, _ = _unique_rows(own)
        used, flat = np.unique(sets, return_inverse=True)  # -1 (no segment), if there, comes first
        at: np.ndarray = flat.reshape(sets.shape)  # each set's segments as rows of reach
        reach = np.zeros((len(used), len(cols)))
        reach[used >= 0] = self.segment_reach_[np.ix_(used[used >= 0], cols)]
        strength = reach[at[:, 0]]
        for x in range(1, at.shape[1]):
            np.maximum(strength, reach[at[:, x]], out=strength)
        out: Matrix = strength[which]
        return out

    def _scored(
        self,
        rows: np.ndarray,
        kind: AllianceKind,
        filters: Filters,
        include_allied: bool,
        cols: np.ndarray | None = None,
    ) -> tuple[np.ndarray, Matrix, dict[str, Matrix | sp.csr_matrix], np.ndarray, Matrix]:
        """(candidate columns, scores, components, same-employer mask, ranking key) for a block of
        rows of any kind but cross-field, against ``cols`` (default: every possible candidate);
        the key is -inf where the rules forbid the pair. For more than a few rows the complement's
        directions are left out (:meth:`pair_directions`)."""
        f = self.features_
        weights = self.weights.of(kind)
        if cols is None:
            cols = self.candidate_columns(rows, kind)
        cols = cols[f.live[cols] & self._filter_mask(filters)[cols]]
        # one studio's suggestions: its dense directions cost less than looking up its pairs afterwards
        comps, allowed = self._components(rows, kind, cols, dense=len(rows) < FEW_ROWS)
        score: Matrix | None = None
        term: Matrix | None = None
        for name, w in weights.items():
            if not w:
                continue
            c = comps[name]
            if isinstance(c, np.ndarray):
                if score is None:  # the first term of the sum is the sum so far (0 + x is x: x >= 0)
                    score = np.multiply(c, w, dtype=np.float64)
                    continue
                term = np.empty_like(score) if term is None else term
                score += np.multiply(c, w, out=term)
                continue
            if score is None:
                score = np.zeros((len(rows), len(cols)))
            # the same sums on the entries that are there (the others add 0)
            c = c.tocoo()
            score[c.row, c.col] += c.data * w
        if score is None:
            score = np.zeros((len(rows), len(cols)))
        np.round(score, ROUND, out=score)
        at = np.full(f.n, -1, dtype=np.int64)  # studio row -> its position in cols
        at[cols] = np.arange(len(cols))
        allowed[~f.live[rows]] = False
        mine = at[rows]  # a studio is never its own partner
        allowed[np.flatnonzero(mine >= 0), mine[mine >= 0]] = False
        if not include_allied and f.alliances.shape[1]:
            allied = (f.alliances[rows] @ self._alliances_t).tocoo()
            hit = (at[allied.col] >= 0) & (allied.data != 0)
            allowed[allied.row[hit], at[allied.col[hit]]] = False
        if len(rows) < FEW_ROWS:
            same_employer = self._same_employer(rows[:, None], cols[None, :])
        else:  # the same pairs, found through the employers rather than compared pair by pair
            colleagues = self._colleagues(rows)
            hit = at[colleagues.col] >= 0
            same_employer = np.zeros(allowed.shape, dtype=bool)
            same_employer[colleagues.row[hit], at[colleagues.col[hit]]] = True
        # cross-employer partners first: they get +2 on the ranking key (scores are in [0, 1]); the key
        # goes into the products' scratch block, whose pages are already there: a fresh block this
        # large is mapped anew and costs its page faults (6.5 against 1.2 ms a chain block at 150,000)
        key = score + 2.0 if term is None else np.add(score, 2.0, out=term)
        np.copyto(key, score, where=same_employer)
        np.copyto(key, -np.inf, where=~allowed)
        return cols, score, comps, same_employer, key

    def neighbours(
        self, kind: AllianceKind | str, k: int, rows: Sequence[int] | np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The ``k``-nearest-partner graph of ``kind`` (same-trade or same-industry), without
        explanations: ``(sources, targets, scores)`` as arrays of studio rows and scores.

        Among ``rows`` (default: every live studio), each studio's best ``k`` partners by the
        ranking of :meth:`suggest` (allied pairs included) inside each group it belongs to: each
        of its trades for same-trade (a studio with two trades gets ``k`` in each), its division
        for same-industry. Blocks never mix groups, so the work is ``Σ |group|²`` rather than
        ``n ×`` the union of the groups a block touches."""
        kind = AllianceKind(kind)
        if kind not in (AllianceKind.SAME_TRADE, AllianceKind.SAME_INDUSTRY):
            raise ValueError("the neighbour graph is for same-trade and same-industry")
        f = self.features_
        chosen = np.zeros(f.n, dtype=bool)
        chosen[np.flatnonzero(f.live) if rows is None else np.asarray(rows, dtype=np.int64)] = True
        chosen &= f.live
        if kind is AllianceKind.SAME_TRADE:
            by_trade = f.trades[chosen].tocsc()
            members = np.flatnonzero(chosen)
            groups = [members[by_trade.indices[by_trade.indptr[t] : by_trade.indptr[t + 1]]]
                      for t in range(by_trade.shape[1])]  # fmt: skip
        else:
            division = np.where(chosen, f.industry_division, -1)
            order = np.argsort(division, kind="stable")
            order = order[division[order] >= 0]
            cuts = np.flatnonzero(np.diff(division[order])) + 1
            groups = np.split(order, cuts) if len(order) else []
        src: list[np.ndarray] = []
        dst: list[np.ndarray] = []
        val: list[np.ndarray] = []
        for group in groups:
            if len(group) < 2:
                continue
            group = np.sort(group)
            for start in range(0, len(group), self.block):
                block = group[start : start + self.block]
                cols, score, _, _, key = self._scored(block, kind, Filters(), True, cols=group)
                take = min(k, len(cols))
                top = np.argpartition(-key, take - 1, axis=1)[:, :take]
                top_key = np.take_along_axis(key, top, axis=1)
                order = np.lexsort((top, -top_key), axis=-1)  # best first, ties by the lower row
                top = np.take_along_axis(top, order, axis=1)
                finite = np.isfinite(np.take_along_axis(top_key, order, axis=1))
                which, pos = np.nonzero(finite)
                src.append(block[which])
                dst.append(cols[top[which, pos]])
                val.append(score[which, top[which, pos]])
        if not src:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty, np.zeros(0)
        return np.concatenate(src), np.concatenate(dst), np.concatenate(val)

    def pair_scores(self, rows: np.ndarray, cols: np.ndarray, kind: AllianceKind | str) -> Matrix:
        """The score of ``kind`` for every (row, col) pair, 0 where the pair is not a candidate
        pair of that kind (for judging teams: cohesion, ties across a chain)."""
        kind = AllianceKind(kind)
        weights = self.weights.of(kind)
        comps, mask = self.component_block(np.asarray(rows), kind, np.asarray(cols))
        score = np.zeros((len(rows), len(cols)))
        for name, w in weights.items():
            if w:
                score += w * comps[name]
        return np.where(mask, np.round(score, ROUND), 0.0)

    def _block(
        self, rows: np.ndarray, kind: AllianceKind, top_k: int, filters: Filters, include_allied: bool
    ) -> list[list[Suggestion]]:
        """The top ``top_k`` of each of ``rows``, explained."""
        return list(self._explained(len(rows), self._pick(rows, kind, top_k, filters, include_allied)))

    def _pick(
        self, rows: np.ndarray, kind: AllianceKind, top_k: int, filters: Filters, include_allied: bool
    ) -> list[_Picked]:
        """The top ``top_k`` of each of ``rows``, before their reasons: the numerical half of
        :meth:`_block` (sparse products and numpy); :meth:`_explained` writes their reasons."""
        if kind is AllianceKind.CROSS_FIELD:
            return self._cross_field_block(rows, top_k, filters, include_allied)
        table = {AllianceKind.SAME_TRADE: self._trade_table, AllianceKind.CHAIN: self._segment_table}.get(kind)
        if table is not None and len(rows) > 1:
            # the rows with the block's commonest trades (segments) apart from the others, whose
            # second trades would otherwise widen every row's candidates
            main = _commonest(table[rows])
            if not main.all():
                parts = (np.flatnonzero(main), np.flatnonzero(~main))
                return [self._ranked(rows[part], part, kind, top_k, filters, include_allied) for part in parts]
        return [self._ranked(rows, np.arange(len(rows)), kind, top_k, filters, include_allied)]

    def _explained(self, count: int, picks: list[_Picked]) -> Iterator[list[Suggestion]]:
        """Each row's picked partners with their reasons, row by row (the Python half of
        :meth:`_block`): a row's suggestions are written when it is asked for, so that a caller who
        handles them one row at a time keeps a row's alive, not a block's (the block's would live
        through the garbage collector's young collections into its oldest generation, which every
        full collection then walks, a few hundred milliseconds each at 20,000 studios)."""
        spans = []
        for p in picks:  # each pick's entries, slot by slot (in each slot in the pick's order)
            slots = np.asarray(p.slots, dtype=np.int64)
            order = np.argsort(slots, kind="stable")
            bounds = np.searchsorted(slots[order], np.arange(count + 1))
            # each entry's components, in the order of p.names (not strict: with no entries, a sparse
            # component's lookup gives one value, never read)
            comps = list(zip(*p.values, strict=False))
            both = list(zip(*p.directions, strict=True)) if p.directions else None
            spans.append((p, comps, both, order.tolist(), bounds.tolist()))
        explain = self._explain
        for slot in range(count):
            found: list[Suggestion] = []
            for p, comps, both, order, bounds in spans:
                names, kind, rows, partners, scores, same = p.names, p.kind, p.rows, p.partners, p.scores, p.same
                for o in order[bounds[slot] : bounds[slot + 1]]:
                    directions = both[o] if both else None
                    values = dict(zip(names, comps[o], strict=True))
                    found.append(explain(rows[o], partners[o], kind, scores[o], values, same[o], directions))
            yield found

    def _ranked(
        self,
        rows: np.ndarray,
        slots: np.ndarray,
        kind: AllianceKind,
        top_k: int,
        filters: Filters,
        include_allied: bool,
    ) -> _Picked:
        """The top ``top_k`` of each of ``rows`` for any kind but cross-field (``slots``: where
        each row's suggestions go in the block)."""
        names = list(self.weights.of(kind))
        cols, score, comps, same_employer, key = self._scored(rows, kind, filters, include_allied)
        # every row's top entries at once; then only plain Python numbers reach the explanations
        which, at = top_rows(key, top_k)
        both = None
        if _AB in comps:
            both = comps[_AB][which, at].tolist(), comps[_BA][which, at].tolist()
        elif "complement" in comps:
            ab, ba = self.pair_directions(rows[which], cols[at])  # the same values, pair by pair
            both = ab.tolist(), ba.tolist()
        return _Picked(
            kind=kind,
            slots=slots[which].tolist(),
            rows=rows[which].tolist(),
            partners=cols[at].tolist(),
            scores=score[which, at].tolist(),
            names=names,
            values=[_at(comps[c], which, at).tolist() for c in names],
            same=same_employer[which, at].tolist(),
            directions=both,
        )

    def _cross_field_block(self, rows: np.ndarray, top_k: int, filters: Filters, include_allied: bool) -> list[_Picked]:
        """Cross-field for a block of rows, one industry section at a time: a row's candidates
        are the open studios of the other sections (:meth:`_other_sections`), and of those only
        the ones that share a term with its needs or expertise can complement it. The two
        directions are sparse products (rows × candidates), combined and filtered on their
        non-zero entries in a few vectorised passes; each row's best entries by complement
        (:func:`_preselect`) then go through the rules and are ranked on their own, and only its
        top ``top_k`` are kept (a row whose cut may have left out a top entry is ranked again on
        all of them)."""
        f = self.features_
        if top_k <= 0 or not len(rows):
            return []
        sec = f.industry_section
        ok = f.live[rows] & (sec[rows] >= 0)
        picks = []
        for section in np.unique(sec[rows][ok]):
            at = np.flatnonzero(ok & (sec[rows] == section))
            picks.append(self._cross_field_rows(rows[at], at, int(section), top_k, filters, include_allied))
        return picks

    def _other_sections(self, section: int, filters: Filters) -> tuple[np.ndarray, sp.csr_matrix, sp.csr_matrix]:
        """The open studios outside ``section`` (live, passing ``filters``, with a section), and the
        transposes of their offers and needs: kept for the last two sections asked for (blocks of
        :meth:`suggest_all` come section by section)."""
        key = (section, filters)
        found = self._section_views.get(key)
        if found is None:
            f = self.features_
            cols = np.flatnonzero(f.live & self._filter_mask(filters) & (f.industry_section >= 0)
                                  & (f.industry_section != section))  # fmt: skip
            found = (cols, f.offers[cols].T.tocsr(), f.needs[cols].T.tocsr())
            if len(self._section_views) >= 2:
                self._section_views.pop(next(iter(self._section_views)))
            self._section_views[key] = found
        return found

    def _cross_field_rows(
        self, rows: np.ndarray, slots: np.ndarray, section: int, top_k: int, filters: Filters, include_allied: bool
    ) -> _Picked:
        f = self.features_
        w = self.weights.of(AllianceKind.CROSS_FIELD)
        few = len(rows) < min(FEW_ROWS, self.block)  # one studio's suggestions: no view is worth building
        if few:
            cols, offers_t, needs_t = np.arange(f.n), self._offers_t, self._needs_t
        else:
            cols, offers_t, needs_t = self._other_sections(section, filters)
        ab = (f.needs[rows] @ offers_t).tocsr()
        ba = (f.offers[rows] @ needs_t).tocsr()
        for m, share in ((ab, NEED_SHARE), (ba, 1.0 - NEED_SHARE)):
            m.data = f.text.calibrated(m.data)  # (the curve is flat beyond [0, 1]: no clip needed)
            m.data *= share  # the complement's weighted sum, scaled in place (the same products)
        comp = ab + ba
        block = np.repeat(np.arange(len(rows)), np.diff(comp.indptr))
        keep = comp.data >= self.weights.min_complement
        if few:
            sec = f.industry_section
            keep &= (f.live & self._filter_mask(filters) & (sec >= 0) & (sec != section))[comp.indices]
        block, cand, value = block[keep], cols[comp.indices[keep]], comp.data[keep]
        collab = f.collaborations[rows].tocoo()
        together = _pairs_in(block * f.n + cand, collab.row.astype(np.int64) * f.n + collab.col)
        if few:
            kept = np.arange(len(block))
            picked, _ = self._cross_field_top(rows, block, cand, value, together, kept, top_k, include_allied, w)
        else:
            kept, cut = _preselect(block, value, together, len(rows), max(PRESELECT, 4 * top_k))
            picked, strong = self._cross_field_top(rows, block, cand, value, together, kept, top_k, include_allied, w,
                                                   floor=np.round(w["complement"] * (cut / _BINS), ROUND))  # fmt: skip
            short = np.flatnonzero((cut > 0) & (strong < top_k))  # rows whose cut may have left out a top pair
            if len(short):  # ranked again on all their pairs
                lookup = np.zeros(len(rows), dtype=bool)
                lookup[short] = True
                again, _ = self._cross_field_top(rows, block, cand, value, together, np.flatnonzero(lookup[block]),
                                                 top_k, include_allied, w)  # fmt: skip
                picked = np.concatenate([picked[~lookup[block[picked]]], again])
                picked = picked[np.argsort(block[picked], kind="stable")]  # row by row, each in its order
        score = _cross_field_score(w, value[picked], together[picked])
        same = self._same_employer(rows[block[picked]], cand[picked])
        ab, ba = self.pair_directions(rows[block[picked]], cand[picked])
        return _Picked(
            kind=AllianceKind.CROSS_FIELD,
            slots=slots[block[picked]].tolist(),
            rows=rows[block[picked]].tolist(),
            partners=cand[picked].tolist(),
            scores=score.tolist(),
            names=["complement", "collaboration"],
            values=[value[picked].tolist(), together[picked].astype(np.float64).tolist()],
            same=same.tolist(),
            directions=(ab.tolist(), ba.tolist()),
        )

    def _cross_field_top(
        self,
        rows: np.ndarray,
        block: np.ndarray,
        cand: np.ndarray,
        value: np.ndarray,
        together: np.ndarray,
        kept: np.ndarray,
        top_k: int,
        include_allied: bool,
        w: dict[str, float],
        floor: np.ndarray | None = None,
    ) -> tuple[np.ndarray, np.ndarray]:
        """The top ``top_k`` of each row among the pairs ``kept`` (positions in ``block``, ``cand``,
        ``value`` and ``together``, row by row) that the rules allow (no trade in common, not allied
        unless asked), cross-employer partners first: their positions, row by row and best first;
        and per row how many allowed cross-employer pairs score above its ``floor`` (zeros without
        one)."""
        f = self.features_
        block, cand, value, together = block[kept], cand[kept], value[kept], together[kept]
        keep = ~_share_any(self._trade_table, self._trade_signature, rows[block], cand)
        if not include_allied and f.alliances.shape[1]:
            keep &= ~_share_any(self._alliance_table, self._alliance_signature, rows[block], cand)
        kept, block, cand, value, together = kept[keep], block[keep], cand[keep], value[keep], together[keep]
        score = _cross_field_score(w, value, together)
        same = self._same_employer(rows[block], cand)
        key = score + np.where(same, 0.0, 2.0)
        bounds = np.searchsorted(block, np.arange(len(rows) + 1))
        tops = [lo + _top_by(key[lo:hi], cand[lo:hi], top_k) for lo, hi in pairwise(bounds)]
        strong = np.zeros(len(rows), dtype=np.int64)
        if floor is not None:
            strong = np.bincount(block[~same & (score > floor[block])], minlength=len(rows))
        return kept[np.concatenate(tops)], strong

    def _same_employer(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Whether studios ``a`` and ``b`` (arrays of rows, broadcast) have the same known employer."""
        employer = self.features_.employer
        out: np.ndarray = (employer[a] == employer[b]) & (employer[a] >= 0)
        return out

    def pair_directions(self, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """For each pair ``(a[k], b[k])``, how well b's expertise meets a's needs and a's expertise b's
        needs, calibrated to [0, 1] (:meth:`directions`, pair by pair rather than all against all)."""
        f = self.features_
        out = []
        for needs_of, offers_of in ((a, b), (b, a)):
            raw = _pair_dots(f.needs, needs_of, f.offers, offers_of)
            out.append(f.text.calibrated(np.clip(raw, 0.0, 1.0)))
        return out[0], out[1]

    def _colleagues(self, rows: np.ndarray) -> Any:
        """(row in block, studio) pairs at the same employer, as a COO matrix."""
        return (self._employer_matrix[rows] @ self._employer_t).tocoo()

    def _filter_mask(self, filters: Filters) -> np.ndarray:
        f = self.features_
        mask = np.ones(f.n, dtype=bool)
        for value, codes, book in (
            (filters.district, f.district, f.district_names),
            (filters.union, f.union, f.union_ids),
            (filters.level, f.level, f.level_names),
        ):
            if value is not None:
                mask &= codes == (book.index(value) if value in book else -2)
        return mask

    # -- explanations ------------------------------------------------------------------------------------
    def _explain(
        self,
        i: int,
        j: int,
        kind: AllianceKind,
        score: float,
        comps: dict[str, float],
        same_employer: bool,
        directions: tuple[float, float] | None = None,
    ) -> Suggestion:
        """One suggestion with its reasons; ``directions`` are the calibrated (partner meets our
        needs, we meet theirs) for the kinds with a complement."""
        f = self.features_
        zh: list[str] = []
        en: list[str] = []
        details: dict[str, Any] = {}
        _EXPLAINERS[kind](self, i, j, comps, zh, en, details, directions)
        self._general_reasons(i, j, kind, comps, same_employer, zh, en)
        return Suggestion(
            studio_id=f.ids[i],
            partner_id=f.ids[j],
            partner_name=f.names[j],
            kind=kind,
            score=score,
            components={k: round(v, 4) for k, v in comps.items()},
            reasons=tuple(zh),
            reasons_en=tuple(en),
            same_employer=same_employer,
            details=details,
        )

    def _same_trade_reasons(
        self,
        i: int,
        j: int,
        comps: dict[str, float],
        zh: list[str],
        en: list[str],
        details: dict[str, Any],
        directions: tuple[float, float] | None,
    ) -> None:
        """The trades both practise (flagged when inferred) and how alike their expertise is."""
        f = self.features_
        common = self._common_trades(i, j)
        names = "、".join(common)
        zh.append(f"同为{names}" + ("（工种为系统推断）" if f.trades_inferred[i] or f.trades_inferred[j] else ""))
        en.append(f"both practise {', '.join(common)}")
        zh.append(f"专长相似度 {comps['text']:.2f}")
        en.append(f"expertise similarity {comps['text']:.2f}")

    def _same_industry_reasons(
        self,
        i: int,
        j: int,
        comps: dict[str, float],
        zh: list[str],
        en: list[str],
        details: dict[str, Any],
        directions: tuple[float, float] | None,
    ) -> None:
        """The industry class or division both are in (flagged when inferred) and how alike their
        expertise is."""
        f = self.features_
        code_i, code_j = f.industry[i] or "", f.industry[j] or ""
        tax = comps["taxonomy"]
        if tax == 1.0:
            zh.append(f"同属{f.industry_names.get(code_i, code_i)}（{code_i}）")
            en.append(f"same industry class {code_i}")
        else:
            division = self._division_of(i)
            name_i, name_j = f.industry_names.get(code_i, code_i), f.industry_names.get(code_j, code_j)
            zh.append(f"同属{f.industry_names.get(division, division)}（{division}）大类：{name_i} / {name_j}")
            en.append(f"same division {division}: {code_i} / {code_j}")
        if f.industry_inferred[i] or f.industry_inferred[j]:
            zh.append("（行业含系统推断）")
            en.append("(industry partly inferred)")
        zh.append(f"专长相似度 {comps['text']:.2f}")
        en.append(f"expertise similarity {comps['text']:.2f}")

    def _cross_field_reasons(
        self,
        i: int,
        j: int,
        comps: dict[str, float],
        zh: list[str],
        en: list[str],
        details: dict[str, Any],
        directions: tuple[float, float] | None,
    ) -> None:
        """The two fields the pair crosses and how each side's expertise meets the other's needs."""
        fields = f"{self._field(i)} × {self._field(j)}"
        zh.append(f"跨领域：{fields}")
        en.append(f"cross-field: {fields}")
        self._complement_reasons(i, j, zh, en, details, directions)

    def _chain_reasons(
        self,
        i: int,
        j: int,
        comps: dict[str, float],
        zh: list[str],
        en: list[str],
        details: dict[str, Any],
        directions: tuple[float, float] | None,
    ) -> None:
        """The chain and the path of segments between the pair (flagged when inferred), its strength,
        how alike their expertise is, and how each side meets the other's needs."""
        f = self.features_
        g, h, upstream, path = self._best_chain(i, j)
        phrases = self._chain_phrases.get((g, h, upstream))
        if phrases is None:  # the same few segment pairs recur across a roster: phrase each once
            names = " → ".join(f.segment_names[s] for s in path)
            chain = f.chain_names.get(f.segment_chain[g], f.segment_chain[g])
            ids = [f.segment_ids[s] for s in path]
            phrases = self._chain_phrases[(g, h, upstream)] = (
                f"{chain}产业链：对方在{'上游' if upstream else '下游'}，{names}",
                f"{chain} chain: partner is {'upstream' if upstream else 'downstream'}, {' → '.join(ids)}",
                ids,
            )
        zh.append(phrases[0])
        en.append(phrases[1])
        details.update(partner_side="upstream" if upstream else "downstream", path=list(phrases[2]),
                       hops=len(path) - 1)  # fmt: skip
        if f.segments_inferred[i] or f.segments_inferred[j]:
            zh.append("（环节含系统推断）")
            en.append("(segment partly inferred)")
        zh.append(f"链路强度 {comps['chain']:.2f}；专长相似度 {comps['text']:.2f}")
        en.append(f"chain strength {comps['chain']:.2f}; expertise similarity {comps['text']:.2f}")
        self._complement_reasons(i, j, zh, en, details, directions)

    def _general_reasons(
        self,
        i: int,
        j: int,
        kind: AllianceKind,
        comps: dict[str, float],
        same_employer: bool,
        zh: list[str],
        en: list[str],
    ) -> None:
        """The reasons any kind may end with: past collaborations, the same employer, learned weights."""
        if comps.get("collaboration"):
            count = self._collaboration_count(i, j)
            zh.append(f"曾合作 {count} 次")
            en.append(f"worked together {count} time(s) before")
        if same_employer:
            zh.append("同一单位（排在跨单位伙伴之后）")
            en.append("same employer (ranked after cross-employer partners)")
        if kind in self.learned:
            zh.append(f"权重由历史合作学习（{self.learned_note}）" if self.learned_note else "权重由历史合作学习")
            en.append("weights learned from past collaborations and alliance decisions"
                      + (f" ({self.learned_note})" if self.learned_note else ""))  # fmt: skip

    def _complement_reasons(
        self,
        i: int,
        j: int,
        zh: list[str],
        en: list[str],
        details: dict[str, Any],
        directions: tuple[float, float] | None,
    ) -> None:
        """Which terms of one side's expertise meet the other side's needs, quoted, both ways;
        ``directions`` are the calibrated (partner meets our needs, we meet theirs)."""
        f = self.features_
        assert directions is not None, "the kinds with a complement score both directions"
        ab, ba = directions
        details.update(needs_met_by_partner=round(ab, 4), partner_needs_met=round(ba, 4))
        for value, need_of, offer_of, parts in ((ab, i, j, _QUOTE_PARTS[0]), (ba, j, i, _QUOTE_PARTS[1])):
            if value < 0.05:
                continue
            found = self._matched(need_of, offer_of)
            if found is None:
                continue
            offer, need, pairs_zh, pairs_en, terms = found
            (zh_0, zh_1, zh_2), (en_0, en_1, en_2) = parts
            shown = f"{value:.2f}"  # (each text in one piece: what _QUOTES formats, then the pairs)
            zh.append(f"{zh_0}{offer}{zh_1}{need}{zh_2}（{pairs_zh}；{shown}）")
            en.append(f"{en_0}{offer}{en_1}{need}{en_2} ({pairs_en}; {shown})")
            sid = f.ids[need_of]
            matched = [{"need_of": sid, "need_term": t, "expertise_term": e, "how": how} for t, e, how in terms]
            if "matched_terms" in details:
                details["matched_terms"] += matched
            else:
                details["matched_terms"] = matched
        if ab < 0.05 and ba < 0.05:
            zh.append(f"需求互补 {max(ab, ba):.2f}")
            en.append(f"complementarity {max(ab, ba):.2f}")

    def _matched(self, need_of: int, offer_of: int) -> _Matched | None:
        """How ``offer_of``'s expertise meets ``need_of``'s needs, for the reasons: the quoted
        expertise and need (kept by :func:`matching.terms.quote`, so shared), the matched term pairs
        (Chinese and English separators) and the matches; ``None`` when no term matches. Kept per
        triple of texts (the same expertise and needs recur across a roster), up to
        :data:`MATCHED_CACHE` of them."""
        f = self.features_
        need_text, offer_text, own = f.needs_texts[need_of], f.expertise_texts[offer_of], f.expertise_texts[need_of]
        key = (need_text, offer_text, own)
        hit: _Matched | None = self._matched_cache.get(key, _UNSEEN)  # (one lookup, hit or miss)
        if hit is not _UNSEEN:
            return hit
        found = f.text.matches(need_text, offer_text, own)
        out: _Matched | None = None
        if found:
            # (a tuple made from a list comes after its items in the collector's list, so that one young
            # collection stops tracking them all; one made from a generator comes before them)
            terms = tuple([(m.need_term, m.expertise_term, m.how) for m in found])
            offer, need = quote(offer_text, found[0].expertise_term), quote(need_text, found[0].need_term)
            zh = "、".join(_term_pair(m) for m in found)
            out = (offer, need, zh, "; ".join(_term_pair(m, english=True) for m in found), terms)
        if len(self._matched_cache) >= MATCHED_CACHE:
            self._matched_cache.clear()
        self._matched_cache[key] = out
        return out

    def _common_trades(self, i: int, j: int) -> list[str]:
        f = self.features_
        mine, theirs = self._trade_rows[i], self._trade_rows[j]
        common = mine if mine == theirs else sorted(set(mine).intersection(theirs))  # rows are sorted
        return [f.trade_names[t] for t in common]

    def _division_of(self, i: int) -> str:
        code = self.features_.industry[i] or ""
        return code[:2] if code[:2].isdigit() else code

    def _field(self, i: int) -> str:
        """A studio's field as the reasons name it (its first trade and its industry), kept per row."""
        found = self._fields.get(i)
        if found is None:
            f = self.features_
            trades = [f.trade_names[t] for t in self._trade_rows[i]][:1]
            code = f.industry[i]
            industry = f.industry_names.get(code, code) if code else ""
            found = self._fields[i] = "/".join(x for x in (*trades, industry) if x) or f.names[i]
        return found

    def _best_chain(self, i: int, j: int) -> tuple[int, int, bool, list[int]]:
        """(own segment, partner segment, partner is upstream, path of segments upstream→downstream)."""
        s = self.reach_.strength
        best: tuple[float, int, int, bool] | None = None
        for g in self._segment_rows[i]:
            for h in self._segment_rows[j]:
                if g == h:
                    continue
                for value, upstream in ((s[h, g], True), (s[g, h], False)):
                    if value > 0 and (best is None or value > best[0]):
                        best = (value, int(g), int(h), upstream)
        assert best is not None, "a chain suggestion always has a path"
        _, g, h, upstream = best
        top, bottom = (h, g) if upstream else (g, h)
        middle = self.reach_.via.get((top, bottom))
        path = [top, bottom] if middle is None else [top, middle, bottom]
        return g, h, upstream, path


@dataclass(frozen=True)
class _Picked:
    """Some rows' top partners as plain Python numbers, before their reasons
    (:meth:`Suggester._pick`): for each pick, its row's place in the block (``slots``), the two
    studios, the score, each component (``values``, in the order of ``names``), same employer, and
    the complement's two directions when the kind has one."""

    kind: AllianceKind
    slots: list[int]
    rows: list[int]
    partners: list[int]
    scores: list[float]
    names: list[str]
    values: list[list[float]]
    same: list[bool]
    directions: tuple[list[float], list[float]] | None


_Matched = tuple[str, str, str, str, tuple[tuple[str, str, str], ...]]
"""See :meth:`Suggester._matched`."""

_QUOTES = (
    ("对方专长「{offer}」对应本室需求「{need}」", 'partner\'s expertise "{offer}" meets our need "{need}"'),
    ("本室专长「{offer}」对应对方需求「{need}」", 'our expertise "{offer}" meets their need "{need}"'),
)
"""The reasons' quotes of a matched expertise and need, Chinese and English: when the partner meets
our need, and when we meet theirs (:meth:`Suggester._complement_reasons`)."""


def _parts(template: str) -> tuple[str, str, str]:
    """A quote of :data:`_QUOTES` as the text before ``{offer}``, between it and ``{need}``, and after."""
    before, _, rest = template.partition("{offer}")
    between, _, after = rest.partition("{need}")
    return before, between, after


_QUOTE_PARTS = tuple((_parts(zh), _parts(en)) for zh, en in _QUOTES)
""":data:`_QUOTES` cut at their fields, so that a reason is written in one f-string."""

_Explainer = Callable[
    [Suggester, int, int, dict[str, float], list[str], list[str], dict[str, Any], tuple[float, float] | None], None
]
"""Writes one kind's own reasons for the pair (i, j) into the Chinese and English lists and the details."""

_EXPLAINERS: dict[AllianceKind, _Explainer] = {
    AllianceKind.SAME_TRADE: Suggester._same_trade_reasons,
    AllianceKind.SAME_INDUSTRY: Suggester._same_industry_reasons,
    AllianceKind.CROSS_FIELD: Suggester._cross_field_reasons,
    AllianceKind.CHAIN: Suggester._chain_reasons,
}
"""Which explainer writes each kind's own reasons (:meth:`Suggester._explain`)."""


def _commonest(table: np.ndarray) -> np.ndarray:
    """Which rows of a :func:`_table` slice equal its commonest row (ties: the least in row order)."""
    _, which, counts = _unique_rows(table)
    out: np.ndarray = which == np.argmax(counts)
    return out


def _unique_rows(table: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``np.unique(table, axis=0, return_inverse=True, return_counts=True)`` of a :func:`_table`
    slice (the distinct rows in order, each row's among them, how many of each), through one number
    per row in base (largest value + 2), which keeps the rows' order, when the numbers fit in 63
    bits: ``np.unique`` along an axis sorts the rows as structured records, far slower."""
    base = int(table.max(initial=0)) + 2
    if table.shape[1] * math.log2(base) >= 63:
        rows, which, counts = np.unique(table, axis=0, return_inverse=True, return_counts=True)
        return rows, which.ravel(), counts
    code = np.zeros(len(table), dtype=np.int64)
    for x in range(table.shape[1]):
        code = code * base + (table[:, x] + 1)
    _, first, which, counts = np.unique(code, return_index=True, return_inverse=True, return_counts=True)
    return table[first], which, counts


def _entries(matrix: sp.csr_matrix, cols: np.ndarray, n: int, *, dense: bool) -> Matrix | sp.csr_matrix:
    """A (rows × n) sparse matrix's entries at ``cols`` as 0/1 (rows × len(cols)), dense or sparse,
    through a position map (a scipy column slice of a wide CSR matrix costs a pass over all of it)."""
    coo = matrix.tocoo()
    at = np.full(n, -1, dtype=np.int64)
    at[cols] = np.arange(len(cols))
    hit = (at[coo.col] >= 0) & (coo.data != 0)
    shape = (matrix.shape[0], len(cols))
    if not dense:
        return sp.csr_matrix((np.ones(int(hit.sum())), (coo.row[hit], at[coo.col[hit]])), shape=shape)
    out = np.zeros(shape)
    out[coo.row[hit], at[coo.col[hit]]] = 1.0
    return out


def _kept(component: sp.spmatrix, dense: bool) -> Matrix | sp.csr_matrix:
    """A sparse component as ranking keeps it: dense when asked, or when at least
    :data:`SPARSE_SHARE` of it is there (same-trade studios' texts share terms with most of their
    candidates; adding those entry by entry costs more than a dense pass)."""
    if dense or component.nnz >= SPARSE_SHARE * component.shape[0] * component.shape[1]:
        out: Matrix = component.toarray()
        return out
    return component.tocsr()


def _dense(component: Matrix | sp.csr_matrix) -> Matrix:
    if isinstance(component, np.ndarray):
        return component
    out: Matrix = component.toarray()
    return out


def _at(component: Matrix | sp.csr_matrix, rows: np.ndarray, cols: np.ndarray) -> Matrix:
    """A component's values at the pairs ``(rows[k], cols[k])``, dense or sparse."""
    out: Matrix = (
        component[rows, cols] if isinstance(component, np.ndarray) else np.asarray(component[rows, cols]).ravel()
    )
    return out


def _table(matrix: sp.csr_matrix) -> np.ndarray:
    """Each row's column indices, padded with -1 to the longest row: ``(n, width)`` ints."""
    counts = np.diff(matrix.indptr)
    width = max(1, int(counts.max(initial=0)))
    out = np.full((matrix.shape[0], width), -1, dtype=np.int64)
    rows = np.repeat(np.arange(matrix.shape[0]), counts)
    offsets = np.arange(len(matrix.indices)) - np.repeat(matrix.indptr[:-1], counts)
    out[rows, offsets] = matrix.indices
    return out


def _signature(table: np.ndarray) -> np.ndarray:
    """One 64-bit word per row of a :func:`_table`: bit ``value % 64`` set for each value, so that
    two rows with no bit in common surely share no value."""
    bits = np.where(table >= 0, np.left_shift(np.uint64(1), (table % 64).astype(np.uint64)), np.uint64(0))
    out: np.ndarray = np.bitwise_or.reduce(bits, axis=1)
    return out


def _share_any(table: np.ndarray, signature: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """For each pair (a[k], b[k]), whether their rows of ``table`` (see :func:`_table`) share a value:
    the signatures rule most pairs out in one pass, and only the rest are compared value by value."""
    hit = np.zeros(len(a), dtype=bool)
    maybe = np.flatnonzero((signature[a] & signature[b]) != 0)
    if not len(maybe):
        return hit
    left, right = table[a[maybe]], table[b[maybe]]
    found = np.zeros(len(maybe), dtype=bool)
    for x in range(table.shape[1]):
        col = left[:, x : x + 1]
        found |= ((col == right) & (col >= 0)).any(axis=1)
    hit[maybe] = found
    return hit


def _cross_field_score(w: dict[str, float], value: np.ndarray, together: np.ndarray) -> np.ndarray:
    """Cross-field's score of pairs with complement ``value`` and past collaboration ``together``."""
    out: np.ndarray = np.round(w["complement"] * value + w["collaboration"] * together, ROUND)
    return out


PRESELECT = 64
"""Cross-field ranks a row's pairs on their complement first: only its best ~this many (by
:data:`_BINS` of the complement) and the partners it worked with go through the rules and the
ranking, unless too few of them are allowed cross-employer pairs (:func:`_preselect`)."""
_BINS = 1024
"""Bins of the complement in [0, 1] for :func:`_preselect` (a power of two: ``value * _BINS`` is exact)."""


def _preselect(
    block: np.ndarray, value: np.ndarray, together: np.ndarray, count: int, least: int
) -> tuple[np.ndarray, np.ndarray]:
    """Cross-field's pairs worth ranking (positions), and per row the bin of the complement below
    which its pairs were left out (0: none were). A row with more than ``least`` pairs keeps those
    in the bins from the top down to the one where it has ``least``, and the pairs of partners it
    worked with. Every pair left out has ``value < cut / _BINS`` and no collaboration, so its score
    is at most ``round(w · cut / _BINS)``: when at least ``top_k`` allowed cross-employer pairs
    kept score above that, the row's top ``top_k`` is what ranking all its pairs gives (exact; the
    caller ranks the other rows again on all their pairs)."""
    cut = np.zeros(count, dtype=np.int64)
    busy = np.bincount(block, minlength=count) > least
    if not busy.any():
        return np.arange(len(block)), cut
    bins = np.minimum((value * _BINS).astype(np.int64), _BINS - 1)
    hist = np.bincount(block * _BINS + bins, minlength=count * _BINS).reshape(count, _BINS)
    from_top = hist[:, ::-1].cumsum(axis=1)
    cut[busy] = _BINS - 1 - np.argmax(from_top[busy] >= least, axis=1)
    return np.flatnonzero((bins >= cut[block]) | together), cut


SWITCH_INTERVAL = 0.0005
"""Seconds a thread holds the GIL before another one that waits for it may take it, while
:meth:`Suggester.suggest_all` runs (Python's default is 0.005). Its worker thread makes many short
numpy and scipy calls, each of which gives the GIL up and must take it back from the thread that
writes reasons; at the default it waits up to 5 ms each time (at 150,000 studios, chain took 139 s
against 121 s at 0.0005, cross-field 99 s against 88 s)."""


class _SwitchOften:
    """While at least one ``with`` block of it runs (in any thread), the interpreter's switch
    interval is at most :data:`SWITCH_INTERVAL`; the interval from before the first is put back
    when the last ends."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._running = 0
        self._before = 0.0

    def __enter__(self) -> None:
        with self._lock:
            if self._running == 0:
                self._before = sys.getswitchinterval()
                sys.setswitchinterval(min(SWITCH_INTERVAL, self._before))
            self._running += 1

    def __exit__(self, *exc: object) -> None:
        with self._lock:
            self._running -= 1
            if self._running == 0:
                sys.setswitchinterval(self._before)


_SWITCH_OFTEN = _SwitchOften()


def _pairs_in(keys: np.ndarray, pairs: np.ndarray) -> np.ndarray:
    """``np.isin(keys, pairs)`` for a few ``pairs`` among many ``keys``: a binary search of each key
    among the sorted pairs, rather than a sort of both."""
    if not len(pairs):
        return np.zeros(len(keys), dtype=bool)
    found = np.unique(pairs)
    at = np.minimum(np.searchsorted(found, keys), len(found) - 1)
    out: np.ndarray = found[at] == keys
    return out


def _top_by(key: np.ndarray, ids: np.ndarray, k: int) -> np.ndarray:
    """Positions of the ``k`` largest ``key`` values, ties broken by the lower ``ids`` (exact even
    when ties straddle the cut)."""
    if len(key) > k:
        kth = np.partition(key, len(key) - k)[len(key) - k]
        within = np.flatnonzero(key >= kth)
    else:
        within = np.arange(len(key))
    order = np.lexsort((ids[within], -key[within]))
    return within[order][:k]


def _pair_dots(a: sp.csr_matrix, ia: np.ndarray, b: sp.csr_matrix, ib: np.ndarray) -> np.ndarray:
    """Row ``ia[k]`` of ``a`` · row ``ib[k]`` of ``b`` for every k, the terms added one by one in
    column order, as scipy's sparse product adds them (so the two agree to the last bit; numpy's
    ``sum`` adds in pairs). ``a`` and ``b`` with sorted indices."""
    products = a[ia].multiply(b[ib]).tocsr()
    products.sort_indices()
    counts = np.diff(products.indptr)
    out = np.zeros(len(ia))
    for step in range(int(counts.max(initial=0))):
        more = counts > step
        out[more] += products.data[products.indptr[:-1][more] + step]
    return out


def _term_pair(m: Match, english: bool = False) -> str:
    """``视觉识别≈机器视觉`` for a synonym, ``焊接`` when the word is the same; for two texts that
    read like the same occupation, ``车床与机床同属职业「机床装调维修工」``: the two words are not
    synonyms (no ≈), they are both the work of that occupation in the 2022 classification."""
    if m.how == "occupation":
        if english:
            return f"{m.need_term} and {m.expertise_term} are both the work of the occupation {m.via}"
        return f"{m.need_term}与{m.expertise_term}同属职业「{m.via}」"
    return m.need_term if m.need_term == m.expertise_term else f"{m.need_term}≈{m.expertise_term}"
