"""The in-memory projection matching works on: arrays and sparse matrices built from one
:meth:`graph.store.BaseStore.projection` call (the way Neo4j GDS projects a graph).

Studios are rows ``0 … n-1`` in id order, so "lower row" means "lower id" and ties can be broken
by row. Where the union entered no trade, industry or segment, the classifier's inferred ones are
used, and flagged so that the reasons say so.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypedDict

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from graph.exclusion import Exclusion, exclusion_of
from graph.model import AllianceStatus, Industry, IndustryLevel, Studio, this_year
from graph.store import Projection

from .terms import TermModel

IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]

LIVE_ALLIANCES = (AllianceStatus.PROPOSED, AllianceStatus.FORMED)


def _incidence(rows: list[list[int]], width: int) -> sp.csr_matrix:
    indptr = np.zeros(len(rows) + 1, dtype=np.int64)
    indptr[1:] = np.cumsum([len(r) for r in rows])
    indices = np.fromiter((c for r in rows for c in r), dtype=np.int64, count=int(indptr[-1]))
    data = np.ones(len(indices), dtype=np.float64)
    return sp.csr_matrix((data, indices, indptr), shape=(len(rows), width))


@dataclass
class IndustryTree:
    """Every industry code's ancestors: class → group → division → section."""

    section: dict[str, str] = field(default_factory=dict)
    division: dict[str, str] = field(default_factory=dict)
    group: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, industries: tuple[Industry, ...]) -> IndustryTree:
        parent = {i.code: i.parent_code for i in industries}
        level = {i.code: i.level for i in industries}
        tree = cls()
        for code in parent:
            node: str | None = code
            while node is not None:
                lv = level.get(node)
                if lv is IndustryLevel.SECTION:
                    tree.section[code] = node
                elif lv is IndustryLevel.DIVISION:
                    tree.division[code] = node
                elif lv is IndustryLevel.GROUP:
                    tree.group[code] = node
                node = parent.get(node)
        return tree


@dataclass
class StudioFeatures:
    """Everything about the studios that scoring reads, as arrays indexed by studio row."""

    ids: list[str]
    names: list[str]
    row: dict[str, int]
    live: BoolArray
    """Studios that take part in matching (Article 9): not delisted, not flagged, and not led by a
    leader recorded as deceased, left or retired by the year of the fit."""
    exclusions: dict[int, Exclusion]
    """Why each studio that is not live is left out, by row."""
    employer: IntArray
    district: IntArray
    union: IntArray
    level: IntArray
    national_leader: BoolArray
    trades: sp.csr_matrix
    trade_codes: list[str]
    trade_names: list[str]
    trades_inferred: BoolArray
    industry: list[str | None]
    industry_inferred: BoolArray
    industry_class: IntArray
    industry_group: IntArray
    industry_division: IntArray
    industry_section: IntArray
    segments: sp.csr_matrix
    segment_ids: list[str]
    segment_names: list[str]
    segment_chain: list[str]
    segments_inferred: BoolArray
    alliances: sp.csr_matrix
    collaborations: sp.csr_matrix
    expertise: sp.csr_matrix
    """Each studio's expertise as a unit vector of weighted terms (cosine = dot product)."""
    offers: sp.csr_matrix
    """Each studio's expertise as what it offers a need: presence of terms, concepts and bigrams."""
    needs: sp.csr_matrix
    """Each studio's needs as term weights summing to 1 (0 for no needs); ``needs[i] · offers[j]``
    is the raw share of i's need that j's expertise meets (:class:`matching.terms.TermModel`)."""
    industry_names: dict[str, str]
    chain_names: dict[str, str]
    supplies: dict[tuple[int, int], float]
    district_names: list[str]
    union_ids: list[str]
    level_names: list[str]
    text: TermModel
    """The fitted text model the expertise and needs vectors come from."""
    expertise_texts: list[str]
    needs_texts: list[str]

    @property
    def n(self) -> int:
        return len(self.ids)


def _codes(values: list[str | None]) -> tuple[IntArray, list[str]]:
    """Integer codes for a column of optional strings (-1 for None), and the code book."""
    book: dict[str, int] = {}
    out = np.full(len(values), -1, dtype=np.int64)
    for i, v in enumerate(values):
        if v is not None:
            out[i] = book.setdefault(v, len(book))
    return out, list(book)


def build_features(
    projection: Projection,
    text: TermModel | None = None,
    *,
    fit_text: bool = True,
    reuse: StudioFeatures | None = None,
    year: int | None = None,
) -> StudioFeatures:
    """Arrays and sparse matrices for matching, from one projection. ``O(n + relationships)``
    plus the text model's fit.

    For what-ifs on a changed copy of the same graph: ``fit_text=False`` keeps an already fitted
    ``text`` model, and ``reuse`` takes the expertise and needs vectors of every studio it knows
    from those features instead of embedding the texts again (the caller vouches that the texts
    of those studios did not change). ``year`` is the year Article 9 is judged in (default: this
    year)."""
    roster = _roster_fields(projection, this_year() if year is None else year)
    return StudioFeatures(
        **roster,
        **_classification_fields(projection),
        alliances=_live_memberships(projection, roster["row"]),
        collaborations=_collaborations(projection, roster["row"]),
        **_text_fields(projection, text, fit_text, reuse, roster["ids"]),
    )


class _RosterFields(TypedDict):
    """The :class:`StudioFeatures` fields that say who the studios are and where they stand."""

    ids: list[str]
    names: list[str]
    row: dict[str, int]
    live: BoolArray
    exclusions: dict[int, Exclusion]
    employer: IntArray
    district: IntArray
    union: IntArray
    level: IntArray
    national_leader: BoolArray
    district_names: list[str]
    union_ids: list[str]
    level_names: list[str]


def _roster_fields(projection: Projection, as_of: int) -> _RosterFields:
    """Ids and rows, who takes part in matching in ``as_of`` (Article 9), and the studios' employer,
    district, union, level and leader's honour as codes."""
    studios = projection.studios
    ids = [s.id for s in studios]
    workers = {w.id: w for w in projection.workers}
    exclusions = {
        i: why
        for i, s in enumerate(studios)
        if (why := exclusion_of(s, workers.get(s.leader_id or ""), as_of)) is not None
    }
    live = np.ones(len(studios), dtype=bool)
    live[list(exclusions)] = False
    district, district_names = _codes([s.district for s in studios])
    union, union_ids = _codes([s.union_id for s in studios])
    level, level_names = _codes([s.level.value if s.level else None for s in studios])
    return _RosterFields(
        ids=ids,
        names=[s.name for s in studios],
        row={sid: i for i, sid in enumerate(ids)},
        live=live,
        exclusions=exclusions,
        employer=_codes([s.employer_id for s in studios])[0],
        district=district,
        union=union,
        level=level,
        national_leader=np.array(
            [s.leader_id in workers and workers[s.leader_id].honour_level.value == "national" for s in studios],
            dtype=bool,
        ),
        district_names=district_names,
        union_ids=union_ids,
        level_names=level_names,
    )


class _ClassificationFields(TypedDict):
    """The :class:`StudioFeatures` fields of the studios' trades, industries and chain segments."""

    trades: sp.csr_matrix
    trade_codes: list[str]
    trade_names: list[str]
    trades_inferred: BoolArray
    industry: list[str | None]
    industry_inferred: BoolArray
    industry_class: IntArray
    industry_group: IntArray
    industry_division: IntArray
    industry_section: IntArray
    segments: sp.csr_matrix
    segment_ids: list[str]
    segment_names: list[str]
    segment_chain: list[str]
    segments_inferred: BoolArray
    industry_names: dict[str, str]
    chain_names: dict[str, str]
    supplies: dict[tuple[int, int], float]


def _classification_fields(projection: Projection) -> _ClassificationFields:
    """Each studio's trades and segments as incidence matrices, its industry at every level of the
    standard, what of these was inferred, and the names and ``SUPPLIES`` weights they refer to."""
    trade_codes = [t.code for t in projection.trades]
    segment_ids = [g.id for g in projection.segments]
    entered = _EffectiveCodes.of(projection.studios, trade_codes, segment_ids)
    industry = entered.industry
    tree = IndustryTree.of(projection.industries)
    seg_index = {g: j for j, g in enumerate(segment_ids)}
    return _ClassificationFields(
        trades=_incidence(entered.trade_rows, len(trade_codes)),
        trade_codes=trade_codes,
        trade_names=[t.name for t in projection.trades],
        trades_inferred=entered.trades_inferred,
        industry=industry,
        industry_inferred=entered.industry_inferred,
        industry_class=_codes([c if c and len(c) == 4 else None for c in industry])[0],
        industry_group=_level_codes(industry, tree.group),
        industry_division=_level_codes(industry, tree.division),
        industry_section=_level_codes(industry, tree.section),
        segments=_incidence(entered.segment_rows, len(segment_ids)),
        segment_ids=segment_ids,
        segment_names=[g.name for g in projection.segments],
        segment_chain=[g.chain_id for g in projection.segments],
        segments_inferred=entered.segments_inferred,
        industry_names={i.code: i.name for i in projection.industries},
        chain_names={c.id: c.name for c in projection.chains},
        supplies={
            (seg_index[e.upstream_id], seg_index[e.downstream_id]): e.weight
            for e in projection.supplies
            if e.upstream_id in seg_index and e.downstream_id in seg_index
        },
    )


@dataclass
class _EffectiveCodes:
    """Per studio row, the trade and segment columns and the industry matching uses (entered, else
    inferred: :attr:`graph.model.Studio.effective_trades` …), and whether each was inferred."""

    trade_rows: list[list[int]]
    trades_inferred: BoolArray
    segment_rows: list[list[int]]
    segments_inferred: BoolArray
    industry: list[str | None]
    industry_inferred: BoolArray

    @classmethod
    def of(cls, studios: tuple[Studio, ...], trade_codes: list[str], segment_ids: list[str]) -> _EffectiveCodes:
        """One pass over the studios."""
        trade_col = {c: j for j, c in enumerate(trade_codes)}
        segment_col = {g: j for j, g in enumerate(segment_ids)}
        n = len(studios)
        out = cls([], np.zeros(n, dtype=bool), [], np.zeros(n, dtype=bool), [], np.zeros(n, dtype=bool))
        for i, s in enumerate(studios):
            out.trades_inferred[i] = not s.trade_codes and bool(s.inferred_trade_codes)
            out.trade_rows.append(sorted(trade_col[c] for c in s.effective_trades if c in trade_col))
            out.segments_inferred[i] = not s.segment_ids and bool(s.inferred_segment_ids)
            out.segment_rows.append(sorted(segment_col[g] for g in s.effective_segments if g in segment_col))
            out.industry.append(s.effective_industry)
            out.industry_inferred[i] = s.industry_code is None and s.inferred_industry_code is not None
        return out


def _level_codes(industry: list[str | None], level: dict[str, str]) -> IntArray:
    """Integer codes of each studio's industry at one level of the standard (``level``: code → its
    ancestor at that level), -1 where it has none."""
    return _codes([level.get(c) if c else None for c in industry])[0]


def _live_memberships(projection: Projection, row: dict[str, int]) -> sp.csr_matrix:
    """Studios × live (proposed or formed) alliances, 1 where the studio is a member."""
    alliance_ids = [a.id for a in projection.alliances if a.status in LIVE_ALLIANCES]
    alliance_col = {a: j for j, a in enumerate(alliance_ids)}
    member_rows: list[list[int]] = [[] for _ in projection.studios]
    for a in projection.alliances:
        if a.id in alliance_col:
            for m in a.member_ids:
                if m in row:
                    member_rows[row[m]].append(alliance_col[a.id])
    return _incidence(member_rows, len(alliance_ids))


def _collaborations(projection: Projection, row: dict[str, int]) -> sp.csr_matrix:
    """Studios × studios, symmetric: how many past collaborations each pair had."""
    n = len(projection.studios)
    pairs = [
        (row[c.studio_a], row[c.studio_b]) for c in projection.collaborations if c.studio_a in row and c.studio_b in row
    ]
    if pairs:
        a, b = np.array(pairs).T
        collab = sp.coo_matrix(
            (np.ones(2 * len(pairs)), (np.concatenate([a, b]), np.concatenate([b, a]))), shape=(n, n)
        ).tocsr()
    else:
        collab = sp.csr_matrix((n, n))
    collab.sum_duplicates()
    return collab


class _TextFields(TypedDict):
    """The :class:`StudioFeatures` fields of the studios' expertise and needs texts."""

    expertise: sp.csr_matrix
    offers: sp.csr_matrix
    needs: sp.csr_matrix
    text: TermModel
    expertise_texts: list[str]
    needs_texts: list[str]


def _text_fields(
    projection: Projection, text: TermModel | None, fit_text: bool, reuse: StudioFeatures | None, ids: list[str]
) -> _TextFields:
    """The text model (fitted on every expertise and needs text unless ``fit_text`` is off and a
    model is given) and each studio's vectors, taken from ``reuse`` for the studios it knows."""
    model = text or TermModel()
    expertise_texts = [s.expertise for s in projection.studios]
    needs_texts = [s.needs for s in projection.studios]
    if fit_text or text is None:
        model.fit(expertise_texts + needs_texts, expertise=expertise_texts)
    return _TextFields(
        expertise=_vectors(lambda rows: model.profiles([expertise_texts[i] for i in rows]), ids, reuse, "expertise"),
        offers=_vectors(lambda rows: model.documents([expertise_texts[i] for i in rows]), ids, reuse, "offers"),
        needs=_vectors(
            lambda rows: model.needs([needs_texts[i] for i in rows], [expertise_texts[i] for i in rows]),
            ids,
            reuse,
            "needs",
        ),
        text=model,
        expertise_texts=expertise_texts,
        needs_texts=needs_texts,
    )


def _vectors(
    make: Callable[[list[int]], sp.csr_matrix], ids: list[str], reuse: StudioFeatures | None, which: str
) -> sp.csr_matrix:
    """``make(rows)`` for every studio, or, with ``reuse``, the known studios' rows taken from it and
    only the others made afresh."""
    if reuse is None:
        return make(list(range(len(ids))))
    known: sp.csr_matrix = getattr(reuse, which)
    old = [i for i, sid in enumerate(ids) if sid in reuse.row]
    fresh = [i for i, sid in enumerate(ids) if sid not in reuse.row]
    parts = [known[[reuse.row[ids[i]] for i in old]]] if old else []
    if fresh:
        parts.append(make(fresh))
    stacked = sp.vstack(parts, format="csr") if parts else sp.csr_matrix((0, known.shape[1]))
    order = np.argsort(np.asarray(old + fresh, dtype=np.int64), kind="stable")
    return stacked[order].tocsr()
