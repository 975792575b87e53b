"""The classifier's data files (``ingest/data/classifier``): shipped, sourced, checked on load.

A malformed file must fail when it is loaded, with the file and line (or JSON key) in the message;
each test copies the shipped files into a temporary directory and breaks one thing.
"""

from __future__ import annotations

import json
import shutil
from collections import Counter
from importlib import resources
from pathlib import Path

import pytest

from graph import taxonomy
from graph.errors import ConfigurationError
from ingest.data import classifier
from ingest.data.classifier import LexiconError, build_places, build_terms, lexicon, load

SHIPPED = Path(str(resources.files(classifier)))
CSV_FILES = ("terms.csv", "cues.csv", "forms.csv", "groups.csv", "keyword_weights.csv", "places.csv")


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    for name in (*CSV_FILES, "defaults.json"):
        shutil.copy(SHIPPED / name, tmp_path / name)
    return tmp_path


def _replace(path: Path, old: str, new: str) -> int:
    """Replace the first ``old`` in the file; the 1-based line number where it was."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    line = text[: text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return line


# --- the shipped files ---------------------------------------------------------------------------


def test_the_shipped_lexicon_loads_and_is_substantial() -> None:
    got = lexicon()
    assert len(got.terms) >= 3000 and len(got.cues) >= 300
    assert len(got.forms) >= 100 and len(got.groups) >= 60
    assert got.default_class["84"] == "8411"


@pytest.mark.parametrize("name", CSV_FILES)
def test_every_csv_names_its_source_and_licence(name: str) -> None:
    head = [line for line in (SHIPPED / name).read_text(encoding="utf-8").splitlines() if line.startswith("#")]
    assert head and head[0].startswith("# Source:"), name
    assert "Apache-2.0" in " ".join(head), f"{name} names no licence"


def test_the_terms_name_the_standard_and_the_copy_they_come_from() -> None:
    head = (SHIPPED / "terms.csv").read_text(encoding="utf-8").split("\ncode", 1)[0]
    assert "GB/T 4754-2017" in head and "https://github.com/zmshe/capital" in head and "build_terms.py" in head


def test_defaults_json_names_its_source_and_licence() -> None:
    doc = json.loads((SHIPPED / "defaults.json").read_text(encoding="utf-8"))
    assert doc["source"] and "Apache-2.0" in doc["licence"]


def test_the_terms_reach_most_of_the_standard() -> None:
    """Terms are drawn from every class's name: nearly every class, and every division, has some."""
    classes = {i.code for i in taxonomy.industries() if i.level.value == "class"}
    divisions = {i.code for i in taxonomy.industries() if i.level.value == "division"}
    named = {t.industry for t in lexicon().terms}
    assert len(classes & named) / len(classes) >= 0.8
    assert {code[:2] for code in named} >= divisions


def test_generic_words_and_shared_terms_say_little() -> None:
    weights: dict[str, list[float]] = {}
    for t in lexicon().terms:
        weights.setdefault(t.term, []).append(t.weight)
    assert max(weights.get("设备", [0.0])) <= 0.1, "设备 names no product"
    assert max(weights["电缆"]) > 0.3 and max(weights["葡萄酒"]) > 0.5
    many = [term for term, ws in weights.items() if len(ws) >= 5]
    assert many and all(sum(weights[term]) <= 1.005 for term in many), "a shared term's weight is shared"


def test_groups_expand_their_numbered_bureaus() -> None:
    names = {name: g.industry for g in lexicon().groups for name in g.names}
    assert names["中铁一局"] == names["中铁十局"] == names["中铁二十五局"] == "4811"
    assert names["中交三航局"] == names["三航局"] == "4823"
    assert names["中建八局"] == "4790"
    assert all(g.note for g in lexicon().groups)


def test_the_places_hold_provinces_prefectures_and_county_level_cities() -> None:
    places = lexicon().places
    assert places["北京"] == places["内蒙古"] == places["广西壮族自治区"] == "province"
    assert places["宁波"] == places["宁波市"] == places["延边"] == "prefecture"
    assert places["江阴"] == places["江阴市"] == "county"
    assert "城关" not in places, "a district's short name is often a common word"
    assert len(places) >= 3000


def test_the_places_name_their_source() -> None:
    head = (SHIPPED / "places.csv").read_text(encoding="utf-8").split("\nname,", 1)[0]
    assert "chinese_province_city_area_mapper" in head and "MIT" in head and "build_places.py" in head


def test_the_fillers_and_surnames_are_loaded() -> None:
    got = lexicon()
    assert {"科技", "实业", "控股"} <= got.name_fillers
    assert {"王", "李", "张"} <= got.surnames and all(len(c) == 1 for c in got.surnames)
    assert {"中国", "国家"} <= got.national_prefixes


def test_no_form_has_two_rows_without_qualifiers() -> None:
    counts = Counter(word for f in lexicon().forms if not f.qualifiers for word in f.forms)
    assert not [word for word, n in counts.items() if n > 1]


# --- malformed files -----------------------------------------------------------------------------


def test_an_unknown_column_is_named_with_file_and_line(copy: Path) -> None:
    line = _replace(
        copy / "cues.csv", "words,industry,segments,trades,weight", "words,industry,segments,trades,weight,x"
    )
    with pytest.raises(LexiconError, match=rf"cues\.csv, line {line}: .*unknown columns \['x'\]"):
        load(copy)


def test_a_missing_column_is_named(copy: Path) -> None:
    line = _replace(copy / "forms.csv", "forms,qualifiers,industry,weight", "forms,qualifiers,industry")
    with pytest.raises(LexiconError, match=rf"forms\.csv, line {line}: .*missing columns \['weight'\]"):
        load(copy)


def test_an_unknown_industry_code_is_named_with_file_and_line(copy: Path) -> None:
    line = _replace(copy / "terms.csv", ",3831,", ",9999,")
    with pytest.raises(LexiconError, match=rf"terms\.csv, line {line}: industry '9999'"):
        load(copy)


@pytest.mark.parametrize("weight", ["0", "-1", "3.5", "heavy", "nan"])
def test_a_bad_weight_is_named_with_file_and_line(copy: Path, weight: str) -> None:
    text = (copy / "groups.csv").read_text(encoding="utf-8")
    old = next(line for line in text.splitlines() if line.startswith("中国商飞"))
    line = _replace(copy / "groups.csv", old, old.replace(",1.2,", f",{weight},"))
    with pytest.raises(LexiconError, match=rf"groups\.csv, line {line}: weight"):
        load(copy)


def test_an_unknown_trade_or_segment_is_named(copy: Path) -> None:
    line = _replace(copy / "cues.csv", "ic/wafer-fab", "ic/no-such-segment")
    with pytest.raises(LexiconError, match=rf"cues\.csv, line {line}: segment 'ic/no-such-segment'"):
        load(copy)


def test_a_form_with_two_default_rows_is_refused(copy: Path) -> None:
    with (copy / "forms.csv").open("a", encoding="utf-8") as f:
        f.write("幼儿园,,8321,1\n")
    with pytest.raises(LexiconError, match=r"forms\.csv, line \d+: forms \['幼儿园'\] already have a row"):
        load(copy)


def test_a_group_needs_a_note_and_a_well_formed_range(copy: Path) -> None:
    with (copy / "groups.csv").open("a", encoding="utf-8") as f:
        f.write("某集团,3311,1,\n")
    with pytest.raises(LexiconError, match=r"groups\.csv, line \d+: no note"):
        load(copy)
    _replace(copy / "groups.csv", "某集团,3311,1,\n", "某{3-1}局,3311,1,a note\n")
    with pytest.raises(LexiconError, match=r"range 3-1"):
        load(copy)


def test_a_bad_default_class_is_named_by_key(copy: Path) -> None:
    doc = json.loads((copy / "defaults.json").read_text(encoding="utf-8"))
    doc["default_class"]["classes"]["84"] = "3611"
    (copy / "defaults.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(LexiconError, match=r"defaults\.json, default_class\['84'\]: '3611' is not a class of 84"):
        load(copy)


def test_an_unknown_keyword_is_refused(copy: Path) -> None:
    line = _replace(copy / "keyword_weights.csv", "运维,", "不是关键词,")
    with pytest.raises(LexiconError, match=rf"keyword_weights\.csv, line {line}: '不是关键词' is no segment keyword"):
        load(copy)


def test_a_missing_file_or_source_line_is_refused(copy: Path) -> None:
    text = (copy / "forms.csv").read_text(encoding="utf-8")
    (copy / "forms.csv").write_text(text.replace("# Source:", "# From:"), encoding="utf-8")
    with pytest.raises(LexiconError, match=r"forms\.csv, header: no '# Source:' line"):
        load(copy)
    (copy / "forms.csv").unlink()
    with pytest.raises(LexiconError, match=r"forms\.csv: the file is missing"):
        load(copy)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("北京,province", "北京,capital", r"level 'capital'"),
        ("北京,province", "b,province", r"place 'b' is not a word"),
        ("北京市,province", "北京,province", r"'北京' is listed twice"),
    ],
)
def test_a_bad_place_is_named_with_file_and_line(copy: Path, old: str, new: str, message: str) -> None:
    line = _replace(copy / "places.csv", old + "\n", new + "\n")
    with pytest.raises(LexiconError, match=rf"places\.csv, line {line}: {message}"):
        load(copy)


def test_bad_fillers_surnames_or_national_prefixes_are_named_by_key(copy: Path) -> None:
    doc = json.loads((copy / "defaults.json").read_text(encoding="utf-8"))
    doc["surnames"]["characters"].append("欧阳")
    (copy / "defaults.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(LexiconError, match=r"defaults\.json, surnames: every surname must be one character"):
        load(copy)
    doc["surnames"]["characters"].pop()
    doc["name_fillers"]["words"].append("科")
    (copy / "defaults.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(LexiconError, match=r"defaults\.json, name_fillers"):
        load(copy)
    doc["name_fillers"]["words"].pop()
    doc["national_prefixes"]["words"].append("国")
    (copy / "defaults.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(LexiconError, match=r"defaults\.json, national_prefixes"):
        load(copy)
    del doc["national_prefixes"]
    (copy / "defaults.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(LexiconError, match=r"defaults\.json, top level"):
        load(copy)


def test_lexicon_errors_are_configuration_errors() -> None:
    assert issubclass(LexiconError, ConfigurationError)


# --- how build_terms.py reads the standard ---------------------------------------------------------


def test_a_class_name_gives_the_things_it_lists() -> None:
    assert build_terms.name_items("电线、电缆制造") == [("电线", 1.0), ("电缆", 1.0)]
    assert build_terms.name_items("烟煤和无烟煤开采洗选") == [("烟煤", 1.0), ("无烟煤", 1.0)]
    assert build_terms.name_items("钟表与计时仪器制造") == [("钟表", 1.0), ("计时仪器", 1.0)]
    # a list joined by 、 shares its generic head: 化工 alone is only a modifier here
    items = dict(build_terms.name_items("化工、木材、非金属加工专用设备制造"))
    assert items["化工专用设备"] == 1.0 and items["化工"] < 0.5
    # so does a list of bare fields before equipment for them, whatever joins it; things stay things
    items = dict(build_terms.name_items("电子和电工机械专用设备制造"))
    assert items["电子机械专用设备"] == 1.0 and items["电子"] < 0.5
    assert dict(build_terms.name_items("计算器及货币专用设备制造"))["计算器"] == 1.0


def test_a_note_gives_its_listed_items_but_not_what_it_excludes() -> None:
    items = build_terms.note_items("指电视、音响等家用视频产品的修理活动；不包括汽车、摩托车的修理")
    assert "电视" in items and "音响" in items
    assert "汽车" not in items and "摩托车" not in items


def test_a_shared_term_shares_its_weight_and_makers_count_more_than_sellers() -> None:
    rows = build_terms.shared_weights({"茶叶": {"1530": 1.0, "5127": 1.0}, "铝业": {"3216": 0.9}})
    got = {(term, code): w for term, code, w in rows}
    assert got[("铝业", "3216")] == 0.9
    assert got[("茶叶", "1530")] > got[("茶叶", "5127")]
    assert got[("茶叶", "1530")] + got[("茶叶", "5127")] == pytest.approx(1.0, abs=0.002)


# --- how build_places.py reads the administrative divisions -----------------------------------------


def test_a_place_has_its_short_name_without_suffix_or_nationalities() -> None:
    nations = ("朝鲜族", "壮族", "蒙古族", "蒙古")
    assert build_places.short_name("河北省", nations) == "河北"
    assert build_places.short_name("延边朝鲜族自治州", nations) == "延边"
    assert build_places.short_name("广西壮族自治区", nations) == "广西"
    assert build_places.short_name("内蒙古自治区", nations) == "内蒙古", "蒙古 is no suffix of 内蒙古"
    assert build_places.short_name("东区", nations) == "东区", "nothing is left of a one-character stem"


def test_the_level_of_an_administrative_code() -> None:
    assert build_places.level_of("330000000000") == "province"
    assert build_places.level_of("330200000000") == "prefecture"
    assert build_places.level_of("320281000000") == "county"
    assert build_places.level_of("320281001000") is None
