"""The classifier on real studio names and employers, copied from public union and HR notices.

``tests/data/real_studios_dev.csv`` is the development split (the classifier's lexicon was tuned on
it); ``tests/data/real_studios_holdout.csv`` is the blind hold-out, kept apart from that work. Both
have the columns ``studio_name,employer,division,class,section,source_url,note`` after ``#`` comment
lines; ``class`` is empty where the name does not settle one. Rows are given to the classifier bare,
as a naming list gives them: studio name and employer only.

- coverage: share of rows given any industry;
- division: share of *all* rows whose proposed code lies in the labelled division (a row given
  nothing counts as wrong);
- class: share of the rows labelled with a class whose proposed code is that class.
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

from graph import taxonomy
from ingest.classify import Classifier, Inference

DATA = Path(__file__).resolve().parents[1] / "data"
DEV = DATA / "real_studios_dev.csv"
HOLDOUT = DATA / "real_studios_holdout.csv"
COLUMNS = ["studio_name", "employer", "division", "class", "section", "source_url", "note"]

# Reached on the development split (103 rows, 82 with a class) when the floors were set: coverage
# 0.951, division 0.864 (0.908 of the covered rows), class 0.817. (Before the lexicon of employers,
# the standard's terms, unit forms and groups: 0.534, 0.379, 0.195.)
FLOORS_DEV = {"coverage": 0.93, "division": 0.84, "class": 0.78}
# The hold-out's floors are the lead's to set from a blind run.
FLOORS_HOLDOUT = {"coverage": 0.85, "division": 0.80}


@cache
def _rows(path: Path) -> tuple[dict[str, str], ...]:
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    reader = csv.DictReader(lines)
    assert reader.fieldnames == COLUMNS, f"{path.name}: columns {reader.fieldnames}"
    return tuple(reader)


@cache
def _classifier() -> Classifier:
    return Classifier()


def _predict(path: Path) -> list[tuple[dict[str, str], Inference]]:
    rows = _rows(path)
    predictions = _classifier().classify_many({"name": r["studio_name"], "employer": r["employer"]} for r in rows)
    return list(zip(rows, predictions, strict=True))


def _figures(pairs: list[tuple[dict[str, str], Inference]]) -> dict[str, float]:
    n = len(pairs)
    covered = [(r, p) for r, p in pairs if p.industry_code is not None]
    right = sum(p.industry_code is not None and p.industry_code[:2] == r["division"] for r, p in covered)
    with_class = [(r, p) for r, p in pairs if r["class"]]
    exact = sum(p.industry_code == r["class"] for r, p in with_class)
    return {
        "coverage": len(covered) / n,
        "division": right / n,
        "division_of_covered": right / len(covered) if covered else 0.0,
        "class": exact / len(with_class) if with_class else 1.0,
    }


def _check_labels(path: Path) -> None:
    levels = {i.code: (i.level.value, i.parent_code) for i in taxonomy.industries()}
    rows = _rows(path)
    assert len(rows) >= 50, f"{path.name}: only {len(rows)} rows"
    for r in rows:
        assert r["studio_name"] and r["employer"], r
        assert r["source_url"].startswith(("http://", "https://")), r
        assert levels.get(r["division"], ("", ""))[0] == "division", r
        assert levels[r["division"]][1] == r["section"], r
        if r["class"]:
            assert levels.get(r["class"], ("", ""))[0] == "class" and r["class"].startswith(r["division"]), r


def _check_floors(path: Path, floors: dict[str, float]) -> None:
    got = _figures(_predict(path))
    for metric, floor in floors.items():
        assert got[metric] >= floor, f"{path.name} {metric}: {got[metric]:.3f} < {floor} ({got})"


def test_real_dev_rows_are_labelled_validly() -> None:
    _check_labels(DEV)


def test_real_dev_accuracy() -> None:
    _check_floors(DEV, FLOORS_DEV)


def test_real_dev_answers_are_classes() -> None:
    levels = {i.code: i.level.value for i in taxonomy.industries()}
    for _, got in _predict(DEV):
        assert got.industry_code is None or levels[got.industry_code] == "class", got


def test_real_holdout_rows_are_labelled_validly() -> None:
    _check_labels(HOLDOUT)


def test_real_holdout_accuracy() -> None:
    _check_floors(HOLDOUT, FLOORS_HOLDOUT)
