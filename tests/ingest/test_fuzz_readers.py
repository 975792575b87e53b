"""Every reader fuzzed (hypothesis): random and mutated files of each format end in rows or in a
clear refusal (a ValidationError naming the file in English and Chinese), never in another
exception. Kept short for the suite (a few seconds a reader, derandomized, no example database);
``benchmarks/hostile.py`` runs the same mutations thousands of times a reader."""

from __future__ import annotations

import csv
from pathlib import Path
from random import Random
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.file_store import FileStore
from ingest.columns import COLUMNS, SheetKind
from ingest.pipeline import ingest

from .fuzz_files import SUFFIXES, mutant, outcome, seeds

EXAMPLES = {".csv": 120, ".txt": 120, ".json": 120, ".xlsx": 80, ".xls": 60, ".docx": 60, ".pdf": 25}


@pytest.fixture(scope="module")
def seed_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[bytes]]:
    return seeds(tmp_path_factory.mktemp("seeds"))


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


def test_the_seeds_are_rosters(seed_files: dict[str, list[bytes]], workdir: Path) -> None:
    """Every seed but the PDF of bare pages (a page tree to mutate; it names no studio) reads."""
    assert set(seed_files) == set(SUFFIXES)
    for suffix, files in seed_files.items():
        for n, data in enumerate(files):
            path = workdir / f"seed-{n}{suffix}"
            path.write_bytes(data)
            assert outcome(path) == ("refused" if (suffix, n) == (".pdf", 2) else "rows"), path


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_a_mutated_file_is_read_or_refused_never_a_crash(
    suffix: str, seed_files: dict[str, list[bytes]], workdir: Path
) -> None:
    @settings(
        max_examples=EXAMPLES[suffix],
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(index=st.integers(0, len(seed_files[suffix]) - 1), rnd=st.randoms(use_true_random=False))
    def read_or_refuse(index: int, rnd: Random) -> None:
        path = workdir / f"mutant{suffix}"
        path.write_bytes(mutant(seed_files[suffix][index], suffix, rnd))
        assert outcome(path) in {"rows", "refused"}

    read_or_refuse()


HOSTILE_CELL = st.one_of(
    st.text(max_size=16),
    st.sampled_from(["1e308", "-1", "0", "nan", "inf", "2024-02-30", "2024年13月", "１９９９", "9" * 5_000, "-0"]),
    st.integers(-(10**30), 10**30).map(str),
)
"""A cell a clerk (or a tester) might type."""


def hostile_rows(width: int) -> st.SearchStrategy[list[list[str]]]:
    """Rows of plausible cells (a studio, an employer, a year) with some cells hostile."""
    plain = st.sampled_from(["甲创新工作室", "上海示例有限公司", "2020", "张三", ""])
    row = st.lists(st.one_of(plain, HOSTILE_CELL), min_size=width, max_size=width)
    return st.lists(row, min_size=1, max_size=6)


@pytest.fixture(scope="module")
def reference() -> Any:
    from ingest.normalise import Reference

    return Reference()


@pytest.mark.parametrize("kind", list(SheetKind))
def test_any_cell_values_end_in_a_report_never_an_exception(kind: SheetKind, reference: Any, workdir: Path) -> None:
    """Whatever a roster's cells hold (years of 5,000 digits, dates that do not exist), the
    pipeline answers with a report of problems: the readers are not the only place a cell can bite."""
    headers = [c.headers[0] for c in COLUMNS[kind]]

    @settings(max_examples=60, deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.too_slow])  # fmt: skip
    @given(rows=hostile_rows(len(headers)))
    def report_only(rows: list[list[str]]) -> None:
        path = workdir / f"cells-{kind.value}.csv"
        with open(path, "w", encoding="utf-8", newline="") as fh:
            csv.writer(fh).writerows([headers, *rows])
        report = ingest([path], FileStore(workdir / "cells.json"), dry_run=True, classify=False, reference=reference)
        assert report.ok or report.problems

    report_only()
