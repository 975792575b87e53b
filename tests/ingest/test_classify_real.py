"""The classifier on real names: studio names and employers copied from public union and HR notices,
and the registered names of A-share listed companies with their official industry.

``tests/data/real_studios_dev.csv`` is the development split (the classifier's lexicon was tuned on
it); ``tests/data/real_studios_holdout.csv`` is the blind hold-out, kept apart from that work. Both
have the columns ``studio_name,employer,division,class,section,source_url,note`` after ``#`` comment
lines; ``class`` is empty where the name does not settle one. Rows are given to the classifier bare,
as a naming list gives them: studio name and employer only.

``tests/data/listed_companies_dev.csv`` and ``…_holdout.csv`` (see ``listed_companies_README.md``)
hold full registered names (``employer``) with the GB/T 4754-2017 division the listed-companies
classification gives (``division``, ``section``); the classifier gets the name as the employer and
nothing else. The labels follow a group's main revenue, so many brand-led names (恒瑞, 比亚迪 …)
cannot be read off the name: the floors are far below the studio set's. The dev split informed which
general words and rules the lexicon lacked; nothing was fitted to it, and the hold-out is the lead's.

``tests/data/employers_dev3.csv`` is a third development set: real employer names of the kind studios sit
in (central and Shanghai groups and their members, hospitals, colleges, technician colleges, research
institutes, public bodies) from public lists the first two sets did not use, labelled by hand before
the classifier was run on them; columns ``employer,division,class,section,source_url,note``. The
classifier gets the employer alone.

``tests/data/employers_dev4.csv`` is a fourth development set, in dev3's columns: real employers named in
union and HR notices the first three sets did not use (studios' units, 五一劳动奖 and 工人先锋号 lists,
大国工匠 employers, technician masters' units), labelled by hand before the classifier was run on them and
deduplicated against the three other development sets. The classifier gets the employer alone.

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
LISTED_DEV = DATA / "listed_companies_dev.csv"
LISTED_HOLDOUT = DATA / "listed_companies_holdout.csv"
LISTED_COLUMNS = ["employer", "division", "section", "csrc_code", "csrc_name"]
DEV3 = DATA / "employers_dev3.csv"
DEV3_COLUMNS = ["employer", "division", "class", "section", "source_url", "note"]
DEV4 = DATA / "employers_dev4.csv"

# Reached on the development split (103 rows, 82 with a class) when the floors were set: coverage
# 0.971, division 0.883 (0.910 of the covered rows), class 0.829, unchanged by the third round. (Before
# the registered names' trade words, places and the national groups: 0.951, 0.864, 0.817; before the
# lexicon of employers, the standard's terms, unit forms and groups: 0.534, 0.379, 0.195.)
FLOORS_DEV = {"coverage": 0.96, "division": 0.87, "class": 0.81}
# The blind hold-out (62 rows), never tuned on, run once after each round of development work: after
# the fourth round (dev4, 2026-12-02) coverage 0.935, division 0.871 of all rows (0.931 of covered),
# class 0.849; after the third 0.935, 0.823, class 0.830; a first blind run, before the second round,
# gave 0.855 / 0.774. Floors a little below the last run.
FLOORS_HOLDOUT = {"coverage": 0.92, "division": 0.85}
# Reached on the listed companies' development split (3,000 rows) when the floors were set: coverage
# 0.711, division 0.447 (0.629 of the covered rows). (Before the third round: 0.711, 0.446, 0.627; before
# the registered names' trade words, places and the national groups: 0.519, 0.281, 0.541.)
FLOORS_LISTED_DEV = {"coverage": 0.70, "division": 0.44, "division_of_covered": 0.62}
# Reached on the third development set (224 rows, 153 with a class) when the floors were set: coverage
# 0.991, division 0.933 (0.941 of covered), class 0.902. Measured blind, after labelling and before any
# change it prompted: 0.964, 0.826 (0.856 of covered), 0.824.
FLOORS_DEV3 = {"coverage": 0.97, "division": 0.91, "class": 0.88}
# Reached on the fourth development set (163 rows, 113 with a class) when the floors were set: coverage
# 0.939, division 0.883 (0.941 of covered), class 0.788. Measured blind, after labelling and before any
# change it prompted: 0.914, 0.798 (0.872 of covered), 0.681.
FLOORS_DEV4 = {"coverage": 0.92, "division": 0.86, "class": 0.76}
# The listed companies' blind hold-out (1,326 rows), run once per round: after the fourth (2026-12-02)
# coverage 0.679, division 0.411 of all rows (0.606 of covered); after the third 0.676, 0.406 (0.600).
FLOORS_LISTED_HOLDOUT = {"coverage": 0.65, "division": 0.38}


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


@cache
def _listed_rows(path: Path) -> tuple[dict[str, str], ...]:
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    reader = csv.DictReader(lines)
    assert reader.fieldnames == LISTED_COLUMNS, f"{path.name}: columns {reader.fieldnames}"
    return tuple(reader)


def _predict_listed(path: Path) -> list[tuple[dict[str, str], Inference]]:
    rows = _listed_rows(path)
    predictions = _classifier().classify_many({"name": "", "employer": r["employer"]} for r in rows)
    return list(zip(rows, predictions, strict=True))


def _figures(pairs: list[tuple[dict[str, str], Inference]]) -> dict[str, float]:
    n = len(pairs)
    covered = [(r, p) for r, p in pairs if p.industry_code is not None]
    right = sum(p.industry_code is not None and p.industry_code[:2] == r["division"] for r, p in covered)
    with_class = [(r, p) for r, p in pairs if r.get("class")]  # the listed companies have no class
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


def _check_listed_labels(path: Path) -> None:
    levels = {i.code: (i.level.value, i.parent_code) for i in taxonomy.industries()}
    rows = _listed_rows(path)
    assert len(rows) >= 1000, f"{path.name}: only {len(rows)} rows"
    assert len({r["employer"] for r in rows}) == len(rows), f"{path.name}: an employer is listed twice"
    for r in rows:
        assert r["employer"], r
        assert levels.get(r["division"], ("", ""))[0] == "division", r
        assert levels[r["division"]][1] == r["section"], r


def _check_listed_floors(path: Path, floors: dict[str, float]) -> None:
    got = _figures(_predict_listed(path))
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


def test_listed_dev_rows_are_labelled_validly() -> None:
    _check_listed_labels(LISTED_DEV)


def test_listed_dev_accuracy() -> None:
    _check_listed_floors(LISTED_DEV, FLOORS_LISTED_DEV)


def test_listed_dev_answers_are_classes_and_the_confident_half_is_more_often_right() -> None:
    levels = {i.code: i.level.value for i in taxonomy.industries()}
    pairs = _predict_listed(LISTED_DEV)
    covered = sorted(((r, p) for r, p in pairs if p.industry_code is not None), key=lambda rp: -rp[1].confidence)
    assert all(levels[p.industry_code] == "class" for _, p in covered if p.industry_code is not None)
    half = len(covered) // 2
    high, low = _figures(covered[:half]), _figures(covered[half:])
    assert high["division"] > low["division"], (high, low)


def test_listed_holdout_rows_are_labelled_validly() -> None:
    _check_listed_labels(LISTED_HOLDOUT)


def test_listed_holdout_accuracy() -> None:
    _check_listed_floors(LISTED_HOLDOUT, FLOORS_LISTED_HOLDOUT)


@cache
def _dev3_rows() -> tuple[dict[str, str], ...]:
    lines = [line for line in DEV3.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    reader = csv.DictReader(lines)
    assert reader.fieldnames == DEV3_COLUMNS, f"{DEV3.name}: columns {reader.fieldnames}"
    return tuple(reader)


def test_dev3_rows_are_labelled_validly() -> None:
    levels = {i.code: (i.level.value, i.parent_code) for i in taxonomy.industries()}
    rows = _dev3_rows()
    assert len(rows) >= 200, f"{DEV3.name}: only {len(rows)} rows"
    assert len({r["employer"] for r in rows}) == len(rows), f"{DEV3.name}: an employer is listed twice"
    assert len({r["division"] for r in rows}) >= 30, "the set should span many divisions"
    for r in rows:
        assert r["employer"], r
        assert r["source_url"].startswith(("http://", "https://")), r
        assert levels.get(r["division"], ("", ""))[0] == "division", r
        assert levels[r["division"]][1] == r["section"], r
        if r["class"]:
            assert levels.get(r["class"], ("", ""))[0] == "class" and r["class"].startswith(r["division"]), r
    head = [line for line in DEV3.read_text(encoding="utf-8").splitlines() if line.startswith("#")]
    assert "Apache-2.0" in " ".join(head) and "Sources" in " ".join(head)


def test_dev3_accuracy() -> None:
    rows = _dev3_rows()
    predictions = _classifier().classify_many({"name": "", "employer": r["employer"]} for r in rows)
    got = _figures(list(zip(rows, predictions, strict=True)))
    for metric, floor in FLOORS_DEV3.items():
        assert got[metric] >= floor, f"{DEV3.name} {metric}: {got[metric]:.3f} < {floor} ({got})"


@cache
def _dev4_rows() -> tuple[dict[str, str], ...]:
    lines = [line for line in DEV4.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    reader = csv.DictReader(lines)
    assert reader.fieldnames == DEV3_COLUMNS, f"{DEV4.name}: columns {reader.fieldnames}"
    return tuple(reader)


def test_dev4_rows_are_labelled_validly() -> None:
    levels = {i.code: (i.level.value, i.parent_code) for i in taxonomy.industries()}
    rows = _dev4_rows()
    assert len(rows) >= 150, f"{DEV4.name}: only {len(rows)} rows"
    assert len({r["employer"] for r in rows}) == len(rows), f"{DEV4.name}: an employer is listed twice"
    assert len({r["division"] for r in rows}) >= 30, "the set should span many divisions"
    others = {r["employer"] for r in _dev3_rows()} | {r["employer"] for r in _rows(DEV)}
    others |= {r["employer"] for r in _listed_rows(LISTED_DEV)}
    assert not others & {r["employer"] for r in rows}, "dev4 repeats an employer of another development set"
    for r in rows:
        assert r["employer"], r
        assert r["source_url"].startswith(("http://", "https://")), r
        assert levels.get(r["division"], ("", ""))[0] == "division", r
        assert levels[r["division"]][1] == r["section"], r
        if r["class"]:
            assert levels.get(r["class"], ("", ""))[0] == "class" and r["class"].startswith(r["division"]), r
    head = [line for line in DEV4.read_text(encoding="utf-8").splitlines() if line.startswith("#")]
    assert "Apache-2.0" in " ".join(head) and "Sources" in " ".join(head)


def test_dev4_accuracy() -> None:
    rows = _dev4_rows()
    predictions = _classifier().classify_many({"name": "", "employer": r["employer"]} for r in rows)
    got = _figures(list(zip(rows, predictions, strict=True)))
    for metric, floor in FLOORS_DEV4.items():
        assert got[metric] >= floor, f"{DEV4.name} {metric}: {got[metric]:.3f} < {floor} ({got})"
