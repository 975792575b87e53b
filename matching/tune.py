"""Suggestion weights learned from the store's own outcomes (``alliances tune``), backtested against
the hand weights on a time split, and used by ``suggest`` only where they do better.

**Outcomes.** A pair of studios that collaborated in a year (``COLLABORATED_WITH {year}``) or joined
an alliance that was accepted (the year of its ``accepted`` event) is a positive of that year; a
pair in an alliance that was rejected is an explicit negative. Every other candidate pair of the
same studio is an unlabelled negative.

**Time split.** The outcome years are cut twice, ``t1 < t2``, so that about half the outcomes are
before ``t1``, a quarter in ``[t1, t2)`` and a quarter from ``t2`` on. Training ranks what happened in
``[t1, t2)`` from the graph as it was before ``t1`` (past collaborations are a feature, so they must
come from before the period they predict); the backtest ranks what happened from ``t2`` on from the
graph as it was before ``t2``, with the hand weights and with the learned ones.

**Ranker.** Per kind, a pairwise linear ranker (scikit-learn's ``LogisticRegression`` without an
intercept on the differences of the score components of a positive and a negative candidate of the
same studio: the RankNet / RankSVM reduction of ranking to classification). Its coefficients, clipped
at 0 and normalised to sum to 1, are the kind's learned weights, so a learned score is a weighted mean
of components like a hand one and stays in [0, 1].

**Adoption.** A kind's learned weights are adopted when, on the backtest, their MRR beats the hand
weights' by at least ``margin`` and their hits@10 is no lower. The model is kept as a
:class:`graph.model.RankingModel` node with its version, training date, counts and backtest.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from graph.model import AllianceAction, AllianceEvent, AllianceKind, AllianceStatus, RankingModel, now
from graph.store import Projection

from .suggest import COMPONENTS, KINDS, Suggester, Weights

METHOD = "pairwise logistic regression (scikit-learn) on score-component differences; time split t1 < t2"


@dataclass
class Outcomes:
    """Labelled pairs (a < b by studio id): the years two studios collaborated, and the years and
    kinds of the alliances they were accepted or rejected in together."""

    collaborated: dict[tuple[str, str], list[int]] = field(default_factory=lambda: defaultdict(list))
    accepted: dict[tuple[str, str], list[tuple[int, AllianceKind]]] = field(default_factory=lambda: defaultdict(list))
    rejected: dict[tuple[str, str], list[tuple[int, AllianceKind]]] = field(default_factory=lambda: defaultdict(list))

    def years(self) -> list[int]:
        """The year of every outcome, one entry each."""
        return sorted(
            [y for ys in self.collaborated.values() for y in ys]
            + [y for got in (*self.accepted.values(), *self.rejected.values()) for y, _ in got]
        )

    def positives(self, kind: AllianceKind, start: int, end: int | None) -> dict[str, set[str]]:
        """Studio → its partners with a positive outcome in ``[start, end)``, both ways: a
        collaboration counts for every kind, an accepted alliance for its own kind."""

        def within(y: int) -> bool:
            return start <= y and (end is None or y < end)

        out: dict[str, set[str]] = defaultdict(set)
        pairs = {p for p, ys in self.collaborated.items() if any(within(y) for y in ys)}
        pairs |= {p for p, got in self.accepted.items() if any(within(y) and k is kind for y, k in got)}
        for a, b in pairs:
            out[a].add(b)
            out[b].add(a)
        return out


def outcomes(projection: Projection, events: Sequence[AllianceEvent]) -> Outcomes:
    """Every labelled pair of the projection and the alliances' history (see the module docs)."""
    out = Outcomes()
    for c in projection.collaborations:
        a, b = sorted((c.studio_a, c.studio_b))
        out.collaborated[(a, b)].append(c.year)
    decided: dict[str, tuple[AllianceAction, int]] = {}
    for e in events:
        if e.action in (AllianceAction.ACCEPTED, AllianceAction.REJECTED):
            decided[e.alliance_id] = (e.action, int(e.at[:4]))
    for alliance in projection.alliances:
        if alliance.id not in decided:
            continue
        action, year = decided[alliance.id]
        target = out.accepted if action is AllianceAction.ACCEPTED else out.rejected
        members = sorted(set(alliance.member_ids) | set(alliance.former_member_ids))
        for i, x in enumerate(members):
            for y in members[i + 1 :]:
                target[(x, y)].append((year, alliance.kind))
    return out


def split_years(years: list[int]) -> tuple[int, int] | None:
    """``(t1, t2)`` with about half the outcomes before t1 and a quarter from t2 on; None when the
    history spans fewer than three distinct years."""
    distinct = sorted(set(years))
    if len(distinct) < 3:
        return None
    t1 = distinct[max(1, min(len(distinct) - 2, _index_of_share(years, distinct, 0.5)))]
    t2 = distinct[max(distinct.index(t1) + 1, min(len(distinct) - 1, _index_of_share(years, distinct, 0.75)))]
    return t1, t2


def _index_of_share(years: list[int], distinct: list[int], share: float) -> int:
    target = share * len(years)
    seen = 0
    for k, y in enumerate(distinct):
        seen += sum(1 for x in years if x == y)
        if seen >= target:
            return k + 1
    return len(distinct) - 1


def as_of(projection: Projection, events: Sequence[AllianceEvent], year: int) -> Projection:
    """The graph as it was before ``year``: collaborations and alliance decisions from then on left
    out (alliances decided later become undecided proposals, so their members are not yet allied)."""
    later = {e.alliance_id for e in events if int(e.at[:4]) >= year}
    alliances = tuple(
        a.model_copy(update={"status": AllianceStatus.PROPOSED}) if a.id in later else a for a in projection.alliances
    )
    return replace(
        projection,
        collaborations=tuple(c for c in projection.collaborations if c.year < year),
        alliances=alliances,
    )


@dataclass
class KindResult:
    kind: AllianceKind
    weights: dict[str, float]
    hand: dict[str, float]
    learned: dict[str, float]
    counts: dict[str, int]
    adopted: bool


@dataclass
class TuneReport:
    split: tuple[int, int] | None
    results: dict[str, KindResult]
    model: RankingModel | None
    reason: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "split": list(self.split) if self.split else None,
            "reason": self.reason,
            "model": self.model.model_dump(mode="json") if self.model else None,
            "kinds": {
                k: {
                    "weights": r.weights,
                    "hand": r.hand,
                    "learned": r.learned,
                    "counts": r.counts,
                    "adopted": r.adopted,
                }
                for k, r in self.results.items()
            },
        }


class Tuner:
    """Learn, backtest and package suggestion weights (see the module docs).

    Parameters
    ----------
    negatives:
        Negatives sampled per positive (default 8).
    margin:
        How much the learned MRR must beat the hand MRR to be adopted (default 0.005).
    min_positives:
        A kind needs at least this many training and this many backtest positives (default 5).
    seed:
        Sampling seed (default 0).
    """

    def __init__(self, *, negatives: int = 8, margin: float = 0.005, min_positives: int = 5, seed: int = 0) -> None:
        self.negatives = negatives
        self.margin = margin
        self.min_positives = min_positives
        self.seed = seed

    def tune(
        self,
        projection: Projection,
        events: Sequence[AllianceEvent],
        *,
        version: int = 1,
        actor: str = "cli",
        at: str | None = None,
    ) -> TuneReport:
        """Learn and backtest every kind on ``projection`` and the alliances' ``events``; the
        report's model is version ``version``, to be written by the caller."""
        labelled = outcomes(projection, events)
        split = split_years(labelled.years())
        if split is None:
            return TuneReport(None, {}, None, "fewer than three years of outcomes / 历史合作与联盟记录不足三年")
        t1, t2 = split
        hand = Weights()
        train_fit = Suggester(hand).fit(as_of(projection, events, t1))
        test_fit = Suggester(hand, text=train_fit.features_.text).fit(
            as_of(projection, events, t2), fit_text=False, reuse=train_fit.features_
        )
        results: dict[str, KindResult] = {}
        for kind in KINDS:
            results[kind.value] = self._kind(kind, labelled, train_fit, test_fit, t1, t2, hand)
        adopted = tuple(k for k, r in results.items() if r.adopted)
        learned = {k: r.weights for k, r in results.items()}
        model = RankingModel(
            id=f"ranking-v{version}",
            version=version,
            trained_at=at or now(),
            trained_by=actor,
            method=METHOD,
            weights=json.dumps(learned, ensure_ascii=False, sort_keys=True),
            counts=json.dumps({k: r.counts for k, r in results.items()}, sort_keys=True),
            backtest=json.dumps(
                {"split": [t1, t2], **{k: {"hand": r.hand, "learned": r.learned} for k, r in results.items()}},
                sort_keys=True,
            ),
            adopted=adopted,
        )
        return TuneReport(split, results, model)

    def _kind(
        self,
        kind: AllianceKind,
        labelled: Outcomes,
        train_fit: Suggester,
        test_fit: Suggester,
        t1: int,
        t2: int,
        hand: Weights,
    ) -> KindResult:
        names = COMPONENTS[kind]
        hand_weights = hand.of(kind)
        train = labelled.positives(kind, t1, t2)
        test = labelled.positives(kind, t2, None)
        x, y, n_train = self._training_set(train_fit, kind, train)
        counts = {"train_positives": n_train, "test_positives": sum(len(v) for v in test.values()), "pairs": len(y)}
        learned = dict(hand_weights)
        if n_train >= self.min_positives and counts["test_positives"] >= self.min_positives and len(set(y)) == 2:
            from sklearn.linear_model import LogisticRegression

            coef = LogisticRegression(fit_intercept=False, C=1.0, max_iter=1000).fit(x, y).coef_[0]
            coef = np.clip(coef, 0.0, None)
            if coef.sum() > 0:
                learned = {c: round(float(v / coef.sum()), 4) for c, v in zip(names, coef, strict=True)}
        hand_score = self._backtest(test_fit, kind, test, hand_weights)
        learned_score = self._backtest(test_fit, kind, test, learned)
        adopted = (
            learned != hand_weights
            and learned_score["mrr"] >= hand_score["mrr"] + self.margin
            and learned_score["hits@10"] >= hand_score["hits@10"]
        )
        return KindResult(kind, learned, hand_score, learned_score, counts, adopted)

    def _training_set(
        self, fit: Suggester, kind: AllianceKind, positives: dict[str, set[str]]
    ) -> tuple[np.ndarray, np.ndarray, int]:
        f = fit.features_
        names = COMPONENTS[kind]
        rng = np.random.default_rng(self.seed)
        xs: list[np.ndarray] = []
        n_pos = 0
        for studio in sorted(positives):
            if studio not in f.row:
                continue
            row = np.array([f.row[studio]])
            cols = fit.candidate_columns(row, kind)
            comps, mask = fit.component_block(row, kind, cols)
            matrix = np.stack([comps[c][0] for c in names], axis=1)
            ok = mask[0] & f.live[cols] & (cols != row[0])
            good = [k for k, c in enumerate(cols) if ok[k] and f.ids[c] in positives[studio]]
            bad = np.flatnonzero(ok & ~np.isin(cols, [f.row[p] for p in positives[studio] if p in f.row]))
            if not good or not len(bad):
                continue
            for k in good:
                n_pos += 1
                for b in rng.choice(bad, size=min(self.negatives, len(bad)), replace=False):
                    xs.append(matrix[k] - matrix[b])
        if not xs:
            return np.zeros((0, len(names))), np.zeros(0), 0
        diff = np.array(xs)
        x = np.concatenate([diff, -diff])
        y = np.concatenate([np.ones(len(diff)), np.zeros(len(diff))])
        return x, y, n_pos

    def _backtest(
        self, fit: Suggester, kind: AllianceKind, positives: dict[str, set[str]], weights: dict[str, float]
    ) -> dict[str, float]:
        """hits@10 and MRR of ``weights`` over the studios with a later positive of ``kind``."""
        f = fit.features_
        names = COMPONENTS[kind]
        hits, rr, studios = 0, 0.0, 0
        for studio in sorted(positives):
            if studio not in f.row:
                continue
            row = np.array([f.row[studio]])
            cols = fit.candidate_columns(row, kind)
            comps, mask = fit.component_block(row, kind, cols)
            ok = mask[0] & f.live[cols] & (cols != row[0])
            targets = {f.row[p] for p in positives[studio] if p in f.row}
            if not ok.any() or not targets & set(cols[ok].tolist()):
                continue
            score = sum(weights[c] * comps[c][0] for c in names)
            order = cols[ok][np.lexsort((cols[ok], -score[ok]))]
            ranks = [k for k, c in enumerate(order.tolist(), start=1) if c in targets]
            studios += 1
            hits += ranks[0] <= 10
            rr += 1.0 / ranks[0]
        return {"studios": studios, "hits@10": round(hits / studios, 4) if studios else 0.0,
                "mrr": round(rr / studios, 4) if studios else 0.0}  # fmt: skip


def latest(models: Iterable[RankingModel]) -> RankingModel | None:
    """The newest ranking model (highest version), or None."""
    return max(models, key=lambda m: m.version, default=None)


def suggester_for(model: RankingModel | None, **kwargs: Any) -> Suggester:
    """A :class:`Suggester` with the learned weights of the kinds ``model`` adopted (they beat the
    hand weights on its backtest) and the hand weights of the rest; its reasons say which."""
    hand = Weights()
    if model is None or not model.adopted:
        return Suggester(hand, **kwargs)
    learned = json.loads(model.weights)
    fields = {k.value: k.value.replace("-", "_") for k in KINDS}
    chosen = {fields[k]: learned[k] for k in model.adopted if k in learned and k in fields}
    kinds = frozenset(AllianceKind(k) for k in model.adopted if k in fields)
    note = f"v{model.version}，{model.trained_at[:10]}"
    return Suggester(replace(hand, **chosen), learned=kinds, learned_note=note, **kwargs)
