"""The sample notices (one in each format unions publish: .docx, .xls, .pdf, .txt) hold what
``samples/make_samples.py`` makes, are made the same byte for byte every time, and load with
``ingest`` on a fresh store, twice without change."""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from ingest.synthetic import naming_list

from .notice_files import load, rows_read

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
REGENERATE = "run `python samples/make_samples.py` to regenerate the samples"


@pytest.fixture(scope="module")
def make_samples() -> Iterator[ModuleType]:
    before = os.environ.get("OPENPYXL_LXML")
    spec = importlib.util.spec_from_file_location("make_samples", SAMPLES / "make_samples.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    yield module
    if before is None:
        os.environ.pop("OPENPYXL_LXML", None)
    else:
        os.environ["OPENPYXL_LXML"] = before


@pytest.fixture(scope="module")
def notices(make_samples: ModuleType) -> dict[str, list[dict[str, str]]]:
    roster = make_samples.sample_roster()
    naming = naming_list(make_samples.NAMING_COUNT, seed=make_samples.NAMING_SEED, exclude=roster)
    made: dict[str, list[dict[str, str]]] = make_samples.notice_rows(roster, naming)
    taken = {s["工作室名称"] for s in roster.studios} | {r["工作室名称"] for r in naming}
    assert all(not taken & {r["工作室名称"] for r in rows} for rows in made.values())
    return made


@pytest.mark.parametrize("kind", ["docx", "xls", "pdf", "txt"])
def test_each_sample_notice_holds_what_the_script_makes(
    make_samples: ModuleType, notices: dict[str, list[dict[str, str]]], kind: str
) -> None:
    path = SAMPLES / make_samples.NOTICE_FILES[kind]
    assert path.is_file(), REGENERATE
    read = [values for _, _, values, _ in rows_read(path)]
    expected = notices[kind]
    assert [(v["name"], v["employer"], v["union"]) for v in read] == [
        (r["工作室名称"], r["所在单位"], r["推荐单位"]) for r in expected
    ], REGENERATE
    if kind != "txt":  # a pasted notice prints no leader
        assert [v["leader"] for v in read] == [r["领衔人"] for r in expected]


@pytest.mark.parametrize("kind", ["docx", "xls", "pdf", "txt"])
def test_each_notice_is_made_the_same_byte_for_byte(
    make_samples: ModuleType, notices: dict[str, list[dict[str, str]]], kind: str, tmp_path: Path
) -> None:
    writer = getattr(make_samples, f"write_notice_{kind}")
    first, second = tmp_path / f"a.{kind}", tmp_path / f"b.{kind}"
    writer(notices[kind], first)
    writer(notices[kind], second)
    assert first.read_bytes() == second.read_bytes()
    if kind == "txt":  # no library between the script and the bytes
        assert first.read_bytes() == (SAMPLES / make_samples.NOTICE_FILES[kind]).read_bytes(), REGENERATE


@pytest.mark.parametrize("kind", ["docx", "xls", "pdf", "txt"])
def test_each_sample_notice_loads_on_a_fresh_store_and_again_changes_nothing(
    make_samples: ModuleType, kind: str, tmp_path: Path
) -> None:
    path = SAMPLES / make_samples.NOTICE_FILES[kind]
    store_path = tmp_path / "graph.json"
    first = load(store_path, path)
    assert first.ok, [p.describe() for p in first.problems]
    assert first.written and first.kinds["Studio"].created == 8
    second = load(store_path, path)
    assert second.ok and all(k.created == 0 and k.updated == 0 for k in second.kinds.values())
