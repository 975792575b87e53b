"""The text model on the project's judged sets (tests/data/needs/): nDCG@10, MRR and calibration of
the term model beside the character TF-IDF + SVD model it replaced, in one run; and the end-to-end
check the issue sets for known-answer rosters: each pool loaded as a roster, the true cross-field
complement of every need among the studio's top 3 cross-field suggestions, and first for most.

    python benchmarks/bench_text.py                 # every judged set (SPLITS), both models, report
    python benchmarks/bench_text.py --calibrate     # also fit the calibration on dev and write
                                                    # matching/data/calibration.json (never on hold-out)

Protocol. Each pool is a roster of 15–25 studios (5–8 in the known-answer sets). For every studio
with a need that the judges graded, every other studio of its pool is ranked by how well its
expertise meets the need (the raw
share for the term model, the cosine of need and expertise vectors for the old model; each model
fitted on all the texts of the split, as a store of a few hundred studios would be). Gains are the
judges' grades (2 meets the need, 1 related, 0 shares words only; unjudged 0); nDCG@10 uses
``2^g − 1`` and a log2 discount; MRR is the reciprocal rank of the first grade-2 studio. "Eligible"
repeats both over the cross-field candidates only (another GB/T 4754 section, no trade in common),
which is what the product ranks.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import math
import statistics
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from graph import taxonomy
from graph.file_store import FileStore
from ingest.pipeline import ingest
from matching.suggest import Suggester
from matching.terms import TermModel, _shipped_calibration

try:
    from benchmarks.baselines import CharLsaModel
    from benchmarks.bench_store import append_results, machine
except ModuleNotFoundError:  # run as a script
    from baselines import CharLsaModel  # type: ignore[no-redef]
    from bench_store import append_results, machine  # type: ignore[no-redef]

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "needs"
CALIBRATION = ROOT / "matching" / "data" / "calibration.json"
SPLITS = ("dev", "holdout", "obvious-dev", "obvious-holdout", "obvious-dev2")
"""The judged sets (tests/data/needs/README.md): the two obvious-* are small known-answer rosters."""
WORDS_ONLY = "term model, words only"
"""The term model without its occupation space (``occupation_share=0``), beside it in the same run."""


@dataclass(frozen=True)
class Studio:
    id: str
    pool: str
    trade: str
    industry: str
    expertise: str
    needs: str


def load(split: str) -> tuple[list[Studio], dict[str, dict[str, int]], list[Path]]:
    """The studios of every pool of ``split``, the judged grades (need_of → candidate → grade), the
    pool files."""
    studios: list[Studio] = []
    pools = sorted((DATA / split).glob("pool-*.csv"))
    for pool in pools:
        with open(pool, encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.DictReader(line for line in fh if not line.startswith("#")))
        for r in rows:
            studios.append(Studio(r["编号"], pool.stem, r["工种"], r["行业"], r["技术专长"], r["攻关需求"]))
    grades: dict[str, dict[str, int]] = defaultdict(dict)
    with open(DATA / split / "judgements.csv", encoding="utf-8-sig", newline="") as fh:
        for r in csv.DictReader(line for line in fh if not line.startswith("#")):
            grades[r["need_of"]][r["candidate"]] = int(r["grade"])
    return studios, grades, pools


def sections() -> dict[str, str]:
    parent = {i.code: i.parent_code for i in taxonomy.industries()}
    out = {}
    for code in parent:
        node: str | None = code
        while node is not None and parent.get(node) is not None:
            node = parent[node]
        out[code] = node or code
    return out


def dcg(gains: list[int]) -> float:
    return sum((2**g - 1) / math.log2(k + 2) for k, g in enumerate(gains))


def rank_metrics(order: list[str], judged: dict[str, int]) -> tuple[float, float, int | None]:
    """(nDCG@10, reciprocal rank of the first grade 2, its rank) for one need."""
    ideal = dcg(sorted(judged.values(), reverse=True)[:10])
    got = dcg([judged.get(c, 0) for c in order[:10]])
    first = next((k for k, c in enumerate(order, start=1) if judged.get(c, 0) == 2), None)
    return (got / ideal if ideal else 0.0), (1.0 / first if first else 0.0), first


def term_scores(studios: list[Studio], **params: Any) -> np.ndarray:
    """Raw shares of every need against every expertise; ``params`` go to :class:`TermModel`."""
    model = TermModel(**params).fit(
        [s.expertise for s in studios] + [s.needs for s in studios], expertise=[s.expertise for s in studios]
    )
    q = model.needs([s.needs for s in studios], [s.expertise for s in studios])
    d = model.documents([s.expertise for s in studios])
    return np.asarray((q @ d.T).toarray())


def lsa_scores(studios: list[Studio]) -> np.ndarray:
    model = CharLsaModel().fit([s.expertise for s in studios] + [s.needs for s in studios])
    return np.clip(
        model.transform([s.needs for s in studios]) @ model.transform([s.expertise for s in studios]).T, 0, 1
    )


def evaluate(studios: list[Studio], grades: dict[str, dict[str, int]], scores: np.ndarray) -> dict[str, Any]:
    index = {s.id: k for k, s in enumerate(studios)}
    section = sections()
    out: dict[str, Any] = {}
    for scope in ("all", "eligible"):
        ndcg, rr, top1, top3 = [], [], 0, 0
        for need_of, judged in sorted(grades.items()):
            i = index[need_of]
            me = studios[i]
            pool = [s for s in studios if s.pool == me.pool and s.id != me.id]
            if scope == "eligible":
                pool = [s for s in pool if section.get(s.industry) != section.get(me.industry) and s.trade != me.trade]
            order = [s.id for s in sorted(pool, key=lambda s: (-scores[i, index[s.id]], s.id))]
            n, r, first = rank_metrics(order, judged)
            ndcg.append(n)
            rr.append(r)
            top1 += first == 1
            top3 += first is not None and first <= 3
        count = len(ndcg)
        out[scope] = {"needs": count, "ndcg@10": statistics.fmean(ndcg), "mrr": statistics.fmean(rr),
                      "top1": top1 / count, "top3": top3 / count}  # fmt: skip
    return out


def pairs(studios: list[Studio], grades: dict[str, dict[str, int]], scores: np.ndarray) -> list[tuple[float, int]]:
    index = {s.id: k for k, s in enumerate(studios)}
    return [(float(scores[index[a], index[b]]), g) for a, judged in grades.items() for b, g in judged.items()]


def calibration_stats(model: TermModel, judged: list[tuple[float, int]]) -> dict[str, float]:
    cal = model.calibrated(np.array([x for x, _ in judged]))
    meets = [float(c) for c, (_, g) in zip(cal, judged, strict=True) if g == 2]
    words = [float(c) for c, (_, g) in zip(cal, judged, strict=True) if g == 0]
    return {
        "median meets-the-need": statistics.median(meets),
        "p90 shares-words-only": float(np.percentile(words, 90)),
        "median related": statistics.median([float(c) for c, (_, g) in zip(cal, judged, strict=True) if g == 1] or [0]),
    }


def fit_calibration(judged: list[tuple[float, int]]) -> dict[str, Any]:
    """Centred isotonic regression of "meets the need" (grade 2) on the raw share, on dev pairs only
    (Oron and Flournoy, 2017): the isotonic fit's flat blocks, each kept as one point at the mean
    raw share of its pairs, joined linearly from (0, 0). Unlike the step function itself, the curve
    is strictly increasing, so the calibration never ties two candidates that the raw share ranks."""
    from sklearn.isotonic import IsotonicRegression

    linked = [(r, g) for r, g in judged if r > 0]  # a pair the model links by nothing stays at 0
    x = np.clip(np.array([r for r, _ in linked]), 0.0, 1.0)  # as the product clips it
    y = np.array([1.0 if g == 2 else 0.0 for _, g in linked])
    fitted = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip").fit(x, y).predict(x)
    levels = np.unique(fitted)
    grid = np.array([x[fitted == v].mean() for v in levels])
    grid, values = (
        np.round(np.concatenate([[0.0], grid, [1.0]]), 4),
        np.round(np.concatenate([[0.0], levels, levels[-1:]]), 4),
    )
    keep = np.concatenate([[True], np.diff(grid) > 0])
    return {
        "source": "fitted by benchmarks/bench_text.py --calibrate on tests/data/needs/dev (judged pairs only)",
        "method": "centred isotonic regression of P(grade 2 'meets the need') on the raw share of the need covered, "
        "over the judged pairs the model links (raw > 0): one point per isotonic block at its mean raw share, "
        "joined linearly from (0, 0), flat after the last block",
        "fitted": dt.date.today().isoformat(),
        "pairs": len(linked),
        "raw": [float(v) for v in grid[keep]],
        "calibrated": [float(v) for v in values[keep]],
    }


def end_to_end(pools: list[Path], grades: dict[str, dict[str, int]]) -> dict[str, Any]:
    """Each pool loaded as a roster: the rank of the first grade-2 partner among the need's
    studio's cross-field suggestions."""
    ranks: list[int | None] = []
    misses: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        for pool in pools:
            store = FileStore(Path(tmp) / f"{pool.stem}.json")
            report = ingest([pool], store, classify=False)
            assert report.ok, report.problems[:3]
            suggester = Suggester().fit(store.projection())
            for sid in suggester.features_.ids:
                judged = grades.get(sid)
                if not judged or 2 not in judged.values():
                    continue
                found = [x.partner_id for x in suggester.suggest(sid, "cross-field", 10)]
                first = next((k for k, c in enumerate(found, start=1) if judged.get(c, 0) == 2), None)
                ranks.append(first)
                if first != 1:
                    misses.append(f"{sid}: rank {first}")
    count = len(ranks)
    return {
        "needs": count,
        "first": sum(r == 1 for r in ranks) / count,
        "top3": sum(r is not None and r <= 3 for r in ranks) / count,
        "misses": misses,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--calibrate", action="store_true", help="fit the calibration on dev and write it")
    parser.add_argument("--no-write", action="store_true", help="print only; do not append to RESULTS.md")
    parser.add_argument("--splits", default=",".join(SPLITS), help="which sets to report (tune on dev only)")
    args = parser.parse_args()
    results: dict[str, Any] = {}
    dev = load("dev")
    if args.calibrate:
        calibration = fit_calibration(pairs(dev[0], dev[1], term_scores(dev[0])))
        CALIBRATION.write_text(json.dumps(calibration, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        _shipped_calibration.cache_clear()  # the models below read the curve just written, not the one before
        print("calibration written:", CALIBRATION)
    for split in args.splits.split(","):
        studios, grades, pools = dev if split == "dev" else load(split)
        t = time.perf_counter()
        new = term_scores(studios)
        t_new = time.perf_counter() - t
        t = time.perf_counter()
        old = lsa_scores(studios)
        t_old = time.perf_counter() - t
        judged = pairs(studios, grades, new)
        results[split] = {
            "studios": len(studios),
            "judged pairs": sum(len(j) for j in grades.values()),
            "term model": evaluate(studios, grades, new),
            WORDS_ONLY: evaluate(studios, grades, term_scores(studios, occupation_share=0.0)),
            "char tf-idf + svd": evaluate(studios, grades, old),
            "calibration": calibration_stats(TermModel().fit([]), judged),
            "fit+score seconds": {"term model": round(t_new, 2), "char tf-idf + svd": round(t_old, 2)},
            "end to end": end_to_end(pools, grades),
        }
    print(json.dumps(results, ensure_ascii=False, indent=1))
    if not args.no_write:
        title = f"\n## Text model on the judged sets ({dt.date.today().isoformat()})"
        append_results([title, "", f"Machine: {machine()}", "", _table(results)])


def _table(results: dict[str, Any]) -> str:
    lines = ["| set | model | scope | needs | nDCG@10 | MRR | top-1 | top-3 |", "|---|---|---|---|---|---|---|---|"]
    for split, r in results.items():
        for model in ("char tf-idf + svd", WORDS_ONLY, "term model"):
            for scope in ("all", "eligible"):
                m = r[model][scope]
                lines.append(f"| {split} | {model} | {scope} | {m['needs']} | {m['ndcg@10']:.3f} | {m['mrr']:.3f} | "
                             f"{m['top1']:.2f} | {m['top3']:.2f} |")  # fmt: skip
    lines.append("")
    for split, r in results.items():
        c, e = r["calibration"], r["end to end"]
        lines.append(f"- {split}: calibrated text component, median of 'meets the need' pairs "
                     f"{c['median meets-the-need']:.2f}, 90th percentile of 'shares words only' pairs "
                     f"{c['p90 shares-words-only']:.2f}; end to end (each pool as a roster, cross-field "
                     f"suggestions): true complement first for {e['first']:.0%} of {e['needs']} needs, "
                     f"in the top 3 for {e['top3']:.0%}")  # fmt: skip
    return "\n".join(lines)


if __name__ == "__main__":
    main()
