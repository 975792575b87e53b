"""How often the offline classifier is right, and how fast, on two labelled samples:

- the hand-labelled evaluation set ``tests/ingest/data/labelled_studios.csv`` (238 rows);
- the generated roster (``ingest.synthetic``, whose phrase banks were written independently of the
  classifier's lexicon), with its labels stripped, once with expertise and needs text and once bare
  (name and employer only, as in a published naming list).

    python benchmarks/bench_classify.py [--studios 20000]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ingest import synthetic
from ingest.classify import Classifier, Inference

try:
    from benchmarks.bench_store import append_results, machine
except ModuleNotFoundError:  # run as a script
    from bench_store import append_results, machine  # type: ignore[no-redef]

ROOT = Path(__file__).resolve().parents[1]


def score(guesses: Sequence[Inference], truths: Sequence[dict[str, Any]]) -> dict[str, float]:
    n = len(truths)
    covered = sum(1 for g in guesses if g.industry_code)
    division = sum(1 for g, t in zip(guesses, truths, strict=True) if g.industry_code and t["industry"]
                   and g.industry_code[:2] == t["industry"][:2])  # fmt: skip
    exact = sum(1 for g, t in zip(guesses, truths, strict=True) if g.industry_code and g.industry_code == t["industry"])
    with_trade = [(g, t) for g, t in zip(guesses, truths, strict=True) if t["trades"]]
    trade = sum(1 for g, t in with_trade if set(g.trade_codes) & set(t["trades"]))
    with_segment = [(g, t) for g, t in zip(guesses, truths, strict=True) if t["segments"]]
    segment = sum(1 for g, t in with_segment if set(g.segment_ids) & set(t["segments"]))
    return {
        "coverage": covered / n,
        "division": division / n,
        "class": exact / n,
        "trade": trade / max(1, len(with_trade)),
        "segment": segment / max(1, len(with_segment)),
    }


def row(name: str, n: int, s: dict[str, float], rate: float) -> str:
    return (
        f"| {name} | {n:,} | {s['coverage']:.0%} | {s['division']:.0%} | {s['class']:.0%} | {s['trade']:.0%} "
        f"| {s['segment']:.0%} | {rate:,.0f} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--studios", type=int, default=20_000)
    args = parser.parse_args()
    classifier = Classifier()
    lines = [
        f"\n## Classification of bare rows — {dt.date.today().isoformat()}",
        f"Machine: {machine()}.",
        "Share of rows: coverage = an industry proposed; division / class = proposed industry right at GB/T 4754 "
        "division / exact code; trade, segment = some proposed one is in the labels (rows that have one).",
        "",
        "| sample | rows | coverage | division | class | trade | segment | studios/s |",
        "|---|---|---|---|---|---|---|---|",
    ]
    with open(ROOT / "tests" / "ingest" / "data" / "labelled_studios.csv", encoding="utf-8") as fh:
        labelled = list(csv.DictReader(line for line in fh if not line.startswith("#")))
    truths = [
        {"industry": r["industry"], "trades": [t for t in r["trades"].split(";") if t],
         "segments": [s for s in r["segments"].split(";") if s]}
        for r in labelled
    ]  # fmt: skip
    start = time.perf_counter()
    guesses = classifier.classify_many(labelled)
    lines.append(
        row(
            "hand-labelled set (all)",
            len(labelled),
            score(guesses, truths),
            len(labelled) / (time.perf_counter() - start),
        )
    )
    roster = synthetic.generate(args.studios, seed=7)
    truth = [roster.labels[r["编号"]] for r in roster.studios]
    for bare in (False, True):
        inputs = [
            {"name": r["工作室名称"], "employer": r["所在单位"], "expertise": "" if bare else r["技术专长"],
             "needs": "" if bare else r["攻关需求"]}
            for r in roster.studios
        ]  # fmt: skip
        start = time.perf_counter()
        guesses = classifier.classify_many(inputs)
        rate = len(inputs) / (time.perf_counter() - start)
        label = "generated roster, name + employer only" if bare else "generated roster, with expertise and needs"
        lines.append(row(label, len(inputs), score(guesses, truth), rate))
    print("\n".join(lines))
    append_results(lines)


if __name__ == "__main__":
    main()
