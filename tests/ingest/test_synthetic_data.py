"""The roster generator's data files (``ingest/data/synthetic``) and the store records it makes.

A malformed file must fail when it is loaded, with the file and the line (CSV) or key (JSON) in the
message; each test copies the shipped files into a temporary directory and breaks one thing.
"""

from __future__ import annotations

import json
import shutil
from collections import Counter
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from graph import taxonomy
from graph.errors import ConfigurationError
from graph.file_store import FileStore
from graph.model import Collaboration, Employer, ModelWorker, Studio, Union
from ingest.data import synthetic as data
from ingest.data.synthetic import SyntheticDataError, load, tables
from ingest.normalise import DISTRICTS
from ingest.synthetic import records

SHIPPED = Path(str(resources.files(data)))
CSV_FILES = ("trade_settings.csv", "employers.csv", "expertise.csv", "needs.csv", "projects.csv")
JSON_FILES = ("names.json", "trades.json", "settings.json", "draws.json", "texts.json")


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    for name in (*CSV_FILES, *JSON_FILES):
        shutil.copy(SHIPPED / name, tmp_path / name)
    return tmp_path


def _replace(path: Path, old: str, new: str) -> int:
    """Replace the first ``old`` in the file; the 1-based line number where it was."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    line = text[: text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return line


def _edit_json(path: Path, change: Callable[[Any], object]) -> None:
    doc = json.loads(path.read_text(encoding="utf-8"))
    change(doc)
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")


# --- the shipped files ---------------------------------------------------------------------------


def test_the_shipped_tables_load_and_cover_every_family_and_setting() -> None:
    got = tables()
    families = {t.category for t in taxonomy.curated_trades()}
    settings = {s.id for s in taxonomy.segments()} | set(got.plain_settings)
    assert set(got.trades.family_settings) == families == set(got.family_expertise) == set(got.needs)
    assert set(got.employers) == settings == set(got.setting_expertise)
    assert set(got.chains) == {c.id for c in taxonomy.chains()}
    assert tuple(d for d, _ in got.draws.districts) == DISTRICTS
    assert len(got.names.surnames) > 100 and "王进喜" in got.names.reserved


@pytest.mark.parametrize("name", CSV_FILES)
def test_every_csv_names_its_source_and_licence(name: str) -> None:
    head = [line for line in (SHIPPED / name).read_text(encoding="utf-8").splitlines() if line.startswith("#")]
    assert head[0].startswith("# Source:") and "illustrative" in head[0], name
    assert any(line.startswith("# Licence:") and "Apache-2.0" in line for line in head), name


@pytest.mark.parametrize("name", JSON_FILES)
def test_every_json_names_its_source_and_licence(name: str) -> None:
    doc = json.loads((SHIPPED / name).read_text(encoding="utf-8"))
    assert "illustrative" in doc["source"] and "Apache-2.0" in doc["licence"]
    assert set(doc["about"]) <= set(doc) - {"source", "licence", "about"}


def test_the_error_is_a_configuration_error() -> None:
    assert issubclass(SyntheticDataError, ConfigurationError)


def test_a_copy_of_the_shipped_files_loads_the_same(copy: Path) -> None:
    assert load(copy) == tables()


# --- a broken file names itself and the line or key ----------------------------------------------


def test_a_missing_file_is_named(copy: Path) -> None:
    (copy / "needs.csv").unlink()
    with pytest.raises(SyntheticDataError, match=r"needs\.csv: the file is missing"):
        load(copy)


def test_an_employer_template_with_an_unknown_field_names_its_line(copy: Path) -> None:
    line = _replace(copy / "employers.csv", "上海{z}微电子科技有限公司", "上海{x}微电子科技有限公司")
    with pytest.raises(SyntheticDataError, match=rf"employers\.csv, line {line}: .*\['x'\]"):
        load(copy)


def test_an_employer_industry_outside_its_setting_names_its_line(copy: Path) -> None:
    line = _replace(copy / "employers.csv", "3985 2661", "3985 8411")
    with pytest.raises(SyntheticDataError, match=rf"employers\.csv, line {line}: industries \['8411'\]"):
        load(copy)


def test_a_weight_that_is_not_positive_names_its_line(copy: Path) -> None:
    line = _replace(copy / "trade_settings.csv", "family,machining,auto/parts,2.5", "family,machining,auto/parts,-1")
    with pytest.raises(
        SyntheticDataError, match=rf"trade_settings\.csv, line {line}: weight -1.0 is not a positive number"
    ):
        load(copy)


def test_an_unknown_setting_names_its_line(copy: Path) -> None:
    line = _replace(copy / "expertise.csv", "setting,grid,", "setting,grids,")
    with pytest.raises(SyntheticDataError, match=rf"expertise\.csv, line {line}: 'grids' is no setting"):
        load(copy)


def test_a_changed_header_names_its_line(copy: Path) -> None:
    line = _replace(copy / "projects.csv", "chain,name,segments", "chain,title,segments")
    with pytest.raises(SyntheticDataError, match=rf"projects\.csv, line {line}: header"):
        load(copy)


def test_a_project_segment_of_another_chain_names_its_line(copy: Path) -> None:
    line = _replace(copy / "projects.csv", "ic/packaging-test ic/design", "ic/packaging-test auto/vehicle")
    with pytest.raises(SyntheticDataError, match=rf"projects\.csv, line {line}: segments"):
        load(copy)


def test_a_family_without_needs_is_named(copy: Path) -> None:
    path = copy / "needs.csv"
    path.write_text(
        "\n".join(line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("design,")),
        encoding="utf-8",
    )
    with pytest.raises(SyntheticDataError, match=r"needs\.csv, all lines: trade families without needs: \['design'\]"):
        load(copy)


def test_an_unknown_trade_names_its_key(copy: Path) -> None:
    _edit_json(copy / "trades.json", lambda doc: doc["ranked"].__setitem__(3, "装配钳工匠"))
    with pytest.raises(SyntheticDataError, match=r"trades\.json, key ranked\[3\]: trade '装配钳工匠'"):
        load(copy)


def test_districts_out_of_order_name_their_key(copy: Path) -> None:
    def swap(doc: dict[str, dict[str, int]]) -> None:
        items = list(doc["districts"].items())
        doc["districts"] = dict([items[1], items[0], *items[2:]])

    _edit_json(copy / "draws.json", swap)
    with pytest.raises(SyntheticDataError, match=r"draws\.json, key districts: expected Shanghai's districts"):
        load(copy)


def test_a_title_template_with_a_field_of_another_kind_names_its_key(copy: Path) -> None:
    _edit_json(copy / "texts.json", lambda doc: doc["collaboration_titles"]["trade"].append("{need}交流"))
    with pytest.raises(SyntheticDataError, match=r"texts\.json, key collaboration_titles\.trade\[3\]: .*\['need'\]"):
        load(copy)


def test_a_missing_chain_names_its_key(copy: Path) -> None:
    _edit_json(copy / "settings.json", lambda doc: doc["chains"].pop("fashion"))
    with pytest.raises(SyntheticDataError, match=r"settings\.json, key chains: .*missing keys \['fashion'\]"):
        load(copy)


def test_a_key_given_twice_is_refused(copy: Path) -> None:
    _replace(copy / "names.json", '"given_male":', '"surnames": "王", "given_male":')
    with pytest.raises(SyntheticDataError, match=r"names\.json, key surnames: given twice in one object"):
        load(copy)


def test_malformed_json_names_its_line(copy: Path) -> None:
    line = _replace(copy / "draws.json", '"levels": [', '"levels": [,')
    with pytest.raises(SyntheticDataError, match=rf"draws\.json, line {line}: "):
        load(copy)


def test_a_json_file_without_its_licence_is_refused(copy: Path) -> None:
    _edit_json(copy / "texts.json", lambda doc: doc.pop("licence"))
    with pytest.raises(SyntheticDataError, match=r"texts\.json, key \(top level\): .*missing keys \['licence'\]"):
        load(copy)


# --- the store records of the benchmarks ---------------------------------------------------------


def test_records_are_the_same_for_the_same_arguments() -> None:
    first = records(60, seed=7, collaborations=30)
    assert first == records(60, seed=7, collaborations=30)
    assert first != records(60, seed=8, collaborations=30)


def test_records_hold_the_studios_and_what_they_point_at() -> None:
    got = records(40, collaborations=12)
    kinds = Counter(type(r) for r in got)
    assert kinds == {Union: 1 + len(DISTRICTS), Employer: 10, ModelWorker: 40, Studio: 40, Collaboration: 12}
    words = set(tables().texts.store_record_words)
    segments = {s.id: s for s in taxonomy.segments()}
    for studio in (r for r in got if isinstance(r, Studio)):
        assert len(studio.expertise.split("；")) == 4 and set(studio.expertise.split("；")) <= words
        assert studio.industry_code == segments[studio.segment_ids[0]].industry_codes[0]


def test_records_write_to_a_store(tmp_path: Path) -> None:
    store = FileStore(tmp_path / "store.json")
    store.write(taxonomy.reference_records())
    store.write(records(30, collaborations=10))
    assert len(store.projection().studios) == 30
