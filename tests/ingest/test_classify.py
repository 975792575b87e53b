"""Tests of ``ingest.classify``: clear cases, taxonomy validity, confidence, and accuracy on a labelled set.

``data/labelled_studios.csv`` is a hand-labelled, illustrative evaluation set (see its header). Its
first block was labelled before the classifier was written but served while its curated cues were
written, so figures on it are optimistic; the holdout block after the ``# Holdout`` line was written
later with employers mostly absent from the cues. A row is labelled with a class where the unit's
name settles one, else with its division (47 for a building contractor): class accuracy is counted
over the rows labelled with a class. The floors below are the figures the classifier reaches minus a
small margin, overall and on the holdout block separately. Real names are tested in
``test_classify_real.py``; the lexicon's data files in ``test_classifier_lexicon.py``.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph import taxonomy
from graph.model import IndustryLevel
from ingest.classify import Classifier, Inference

LABELLED = Path(__file__).parent / "data" / "labelled_studios.csv"
FIELD_LABELS = ("名称", "单位", "专长", "需求")

# Reached on the whole set (238 rows, 216 labelled with a class) when these floors were last checked
# (the classifier's third round): division 0.971, class 0.917 (0.912 before it), trade 0.887, segment
# 0.953, coverage 0.992; bare rows: division 0.976,
# coverage 0.988. (When they were set, with the subset of GB/T 4754 shipped then and class counted over
# every row: 0.962, 0.903, 0.887, 0.959, 0.992.)
FLOORS_ALL = {"division": 0.93, "class": 0.87, "trade": 0.85, "segment": 0.93, "coverage": 0.96}
FLOORS_BARE = {"division": 0.93, "coverage": 0.95}
# Reached on the holdout block (61 rows, 53 with a class): division 0.902, class 0.811, trade 0.680,
# segment 0.833, coverage 0.967 (when set: 0.869, 0.803, 0.680, 0.861, 0.951). (Blind, before the cue
# additions its misses prompted: 0.803, 0.672, 0.600, 0.833.)
FLOORS_HOLDOUT = {"division": 0.82, "class": 0.75, "trade": 0.62, "segment": 0.80, "coverage": 0.90}


@cache
def _rows() -> tuple[tuple[dict[str, str], bool], ...]:
    """(row, is_holdout) for every labelled row, in file order; ``#`` lines are comments."""
    rows: list[tuple[dict[str, str], bool]] = []
    header: list[str] | None = None
    holdout = False
    for line in LABELLED.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            holdout = holdout or line.startswith("# Holdout")
            continue
        values = next(csv.reader([line]))
        if header is None:
            header = values
        else:
            rows.append((dict(zip(header, values, strict=True)), holdout))
    return tuple(rows)


def _split(value: str) -> set[str]:
    return {v.strip() for v in value.split(";") if v.strip()}


def _is_bare(row: dict[str, str]) -> bool:
    return not row["expertise"].strip() and not row["needs"].strip()


@pytest.fixture(scope="module")
def clf() -> Classifier:
    return Classifier()


@pytest.fixture(scope="module")
def labelled(clf: Classifier) -> list[tuple[dict[str, str], Inference, bool]]:
    rows = _rows()
    predictions = clf.classify_many(row for row, _ in rows)
    return [(row, pred, holdout) for (row, holdout), pred in zip(rows, predictions, strict=True)]


def _accuracy(pairs: Sequence[tuple[dict[str, str], Inference]]) -> dict[str, float]:
    """Division (first two digits), class (exact, over the rows labelled with a class), trade and segment
    (any proposed one labelled), coverage."""
    n = len(pairs)
    division = sum(p.industry_code is not None and p.industry_code[:2] == r["industry"][:2] for r, p in pairs)
    with_class = [(r, p) for r, p in pairs if len(r["industry"]) == 4]
    exact = sum(p.industry_code == r["industry"] for r, p in with_class)
    with_trades = [(r, p) for r, p in pairs if _split(r["trades"])]
    with_segments = [(r, p) for r, p in pairs if _split(r["segments"])]
    trade = sum(bool(set(p.trade_codes) & _split(r["trades"])) for r, p in with_trades)
    segment = sum(bool(set(p.segment_ids) & _split(r["segments"])) for r, p in with_segments)
    return {
        "division": division / n,
        "class": exact / len(with_class) if with_class else 1.0,
        "trade": trade / len(with_trades) if with_trades else 1.0,
        "segment": segment / len(with_segments) if with_segments else 1.0,
        "coverage": sum(p.industry_code is not None for _, p in pairs) / n,
    }


# --- the labelled set itself -------------------------------------------------------------------------


def test_labelled_set_is_large_varied_and_valid() -> None:
    rows = [row for row, _ in _rows()]
    industries = {i.code for i in taxonomy.industries()}
    trades = {t.code for t in taxonomy.trades()}
    segments = {s.id for s in taxonomy.segments()}
    assert len(rows) >= 120
    bare = sum(_is_bare(r) for r in rows)
    assert 0.25 <= bare / len(rows) <= 0.45, f"{bare} bare rows of {len(rows)}"
    assert len({r["industry"][:2] for r in rows}) >= 30, "the set should span many divisions"
    levels = {i.code: i.level for i in taxonomy.industries()}
    for r in rows:
        assert r["name"] and r["employer"], r
        assert r["industry"] in industries, r
        assert levels[r["industry"]] in (IndustryLevel.CLASS, IndustryLevel.DIVISION), r
        assert _split(r["trades"]) <= trades, r
        assert _split(r["segments"]) <= segments, r
    assert any(holdout for _, holdout in _rows())


# --- clear cases ---------------------------------------------------------------------------------


def test_foundry_is_integrated_circuit_manufacturing(clf: Classifier) -> None:
    got = clf.classify(name="王立新劳模创新工作室", employer="上海华力微电子有限公司")
    assert got.industry_code == "3973"
    assert got.segment_ids and got.segment_ids[0] == "ic/wafer-fab"
    assert "单位:微电子" in got.basis or "单位:华力" in got.basis


def test_foundry_expertise_names_the_fab_trade(clf: Classifier) -> None:
    got = clf.classify(
        name="陈敏创新工作室", employer="中芯国际集成电路制造（上海）有限公司", expertise="光刻与刻蚀工艺"
    )
    assert got.industry_code == "3973"
    assert got.trade_codes[0] == "6-25-02-05"
    assert "专长:刻蚀" in got.basis


def test_hospital_nurse_studio_gets_the_nursing_trade(clf: Classifier) -> None:
    got = clf.classify(name="张丽护理创新工作室", employer="上海交通大学医学院附属瑞金医院")
    trades = {t.code: t for t in taxonomy.trades()}
    assert got.industry_code == "8411"
    assert got.trade_codes and trades[got.trade_codes[0]].category == "nursing"
    assert got.segment_ids[0] == "health/hospitals"


def test_power_supply_company_is_electricity_supply(clf: Classifier) -> None:
    got = clf.classify(name="顾明劳模创新工作室", employer="国网上海市电力公司市区供电公司", expertise="配电网带电作业")
    assert got.industry_code == "4420"
    assert got.trade_codes[0] == "6-29-02-12"
    assert "auto/charging" not in got.segment_ids, "a power supplier is not a charging studio"


@pytest.mark.parametrize(
    ("employer", "division"),
    [
        ("上海地铁第一运营有限公司", "54"),
        ("上海建工一建集团有限公司", "47"),
        ("江南造船（集团）有限责任公司", "37"),
        ("中国商飞上海飞机制造有限公司", "37"),
        ("上汽大众汽车有限公司", "36"),
        ("宝山钢铁股份有限公司", "31"),
        ("上海烟草集团有限责任公司", "16"),
        ("上海城投水务（集团）有限公司", "46"),
        ("上海燃气有限公司", "45"),
        ("中国电信股份有限公司上海分公司", "63"),
        ("上海市第一社会福利院", "85"),
    ],
)
def test_employer_alone_gives_the_division(clf: Classifier, employer: str, division: str) -> None:
    got = clf.classify(name="某某劳模创新工作室", employer=employer)
    assert got.industry_code is not None and got.industry_code[:2] == division, got


def test_traps_in_employer_names(clf: Classifier) -> None:
    """大众 in a gas company, 微电子 in a display maker, 上海 next to 工具 must not mislead."""
    assert clf.classify(name="x", employer="上海大众燃气有限公司").industry_code == "4511"
    assert clf.classify(name="x", employer="上海天马微电子有限公司").industry_code == "3974"
    assert "equipment/marine" not in clf.classify(name="王海工作室", employer="上海工具厂").segment_ids


# --- employers a reader recognises ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("employer", "code"),
    [
        # products named by GB/T 4754-2017's classes and notes (terms.csv)
        ("烟台某某葡萄酒有限公司", "1515"),
        ("上海某某电线电缆有限公司", "3831"),
        ("包头某某铝业有限公司", "3216"),
        ("上海某某阀门厂", "3443"),
        ("上海某某钟表有限公司", "4030"),
        # a trade's name (电力电缆…) does not hide the product inside it, and the head word is the product
        ("上海某某电力电缆有限公司", "3831"),
        # the unit's kind, from the form its name ends with (forms.csv)
        ("上海市育才初级中学", "8331"),
        ("上海市静安区第一中心小学", "8321"),
        ("上海城建职业学院", "8341"),
        ("上海市眼病防治中心", "8415"),
        ("中国科学院上海有机化学研究所", "7310"),
        ("中国科学院上海药物研究所", "7340"),
        ("上海社会科学院", "7350"),
        ("上海市计量测试技术研究院", "7453"),
        ("华东建筑设计研究院有限公司", "7484"),
        ("上海市消防救援总队", "9291"),
        ("上海市总工会", "9511"),
        # groups, their bureaus and subsidiaries (groups.csv)
        ("中铁十五局集团有限公司", "4811"),
        ("中交第二航务工程局有限公司", "4823"),
        ("中国建筑第八工程局有限公司", "4790"),
        ("中国水利水电第十四工程局有限公司", "4872"),
        ("国家管网集团", "5720"),
        ("中国航发商用航空发动机有限责任公司", "3744"),
        ("上海航天技术研究院", "3742"),  # a maker known by its group's name, not a research institute
    ],
)
def test_employers_a_reader_recognises(clf: Classifier, employer: str, code: str) -> None:
    got = clf.classify(name="某某劳模创新工作室", employer=employer)
    assert got.industry_code == code, got


@pytest.mark.parametrize(
    ("employer", "division"),
    [
        ("上海电力医院", "84"),  # a hospital, whatever the word before 医院 says
        ("上海市第六人民医院", "84"),
        ("宝山钢铁股份有限公司冷轧厂", "31"),
        ("上海建工集团安装工程有限公司", "49"),  # a group's subsidiary goes by what it does
        ("上海汽车变速器有限公司", "36"),
        ("中国石油兰州石化公司", "25"),
        ("国家能源集团神东煤炭集团", "06"),
    ],
)
def test_the_unit_kind_and_the_product_win_over_the_words_around_them(
    clf: Classifier, employer: str, division: str
) -> None:
    got = clf.classify(name="某某劳模创新工作室", employer=employer)
    assert got.industry_code is not None and got.industry_code[:2] == division, got


def test_a_works_names_its_own_product(clf: Classifier) -> None:
    assert clf.classify(name="x", employer="宝山钢铁股份有限公司冷轧厂").industry_code == "3130"
    assert clf.classify(name="x", employer="宝山钢铁股份有限公司炼铁厂").industry_code == "3110"


def test_a_form_followed_by_another_company_is_not_the_unit(clf: Classifier) -> None:
    """…大学科技园发展有限公司 is a company, not a university."""
    got = clf.classify(name="x", employer="上海某某大学科技园发展有限公司")
    assert got.industry_code is None or got.industry_code[:2] != "83", got


def test_the_employers_kind_governs_the_expertise(clf: Classifier) -> None:
    """A hospital's studio that works on devices is still a hospital; a device maker's is not."""
    hospital = clf.classify(name="x", employer="上海市第六人民医院", expertise="医疗器械研发与手术机器人")
    maker = clf.classify(name="x", employer="上海某某科技有限公司", expertise="医疗器械研发与手术机器人")
    assert hospital.industry_code is not None and hospital.industry_code[:2] == "84", hospital
    assert maker.industry_code is not None and maker.industry_code[:2] == "35", maker


# --- registered names -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("employer", "division"),
    [
        # the trade words before the legal form and its fillers (科技, 实业 …) say what the unit does
        ("江苏恒顺醋业股份有限公司", "14"),
        ("深圳市某某电子科技股份有限公司", "39"),
        ("浙江某某电气股份有限公司", "38"),
        ("安徽某某农牧股份有限公司", "03"),
        ("湖北某某种业股份有限公司", "05"),
        ("山东某某药业集团有限公司", "27"),
        ("广东某某家居股份有限公司", "21"),
        # one character may end them (茅台酒); it is read there and nowhere else
        ("贵州某某酒股份有限公司", "15"),
        # a place the name starts with is no word: 北京东方雨虹 is not 京东方
        ("北京东方雨虹防水技术股份有限公司", "30"),
    ],
)
def test_a_registered_name_says_its_trade_before_its_legal_form(clf: Classifier, employer: str, division: str) -> None:
    got = clf.classify(name="", employer=employer)
    assert got.industry_code is not None and got.industry_code[:2] == division, got


def test_a_standard_product_word_in_the_brand_gives_way_to_the_trade_words(clf: Classifier) -> None:
    """玉米 in a brand says less than the 电气 that ends the name; alone it still names a crop."""
    got = clf.classify(name="", employer="湖南玉米电气股份有限公司")
    assert got.industry_code is not None and got.industry_code[:2] == "38", got
    assert "单位:电气" in got.basis


def test_a_single_character_is_read_only_where_the_trade_words_end(clf: Classifier) -> None:
    assert clf.classify(name="", employer="某某酒店股份有限公司").industry_code != "1511"
    got = clf.classify(name="", employer="某酒某某股份有限公司")
    assert got.industry_code is None or got.industry_code[:2] != "15", got


def test_no_word_runs_into_a_filler_a_legal_form_or_across_two_words(clf: Classifier) -> None:
    """宝安集团 holds no 安集 (a chip-materials brand), 豪尔赛科技 no 赛科, 光电信息 no 电信."""
    for employer, wrong in (
        ("中国宝安集团股份有限公司", "单位:安集"),
        ("豪尔赛科技集团股份有限公司", "单位:赛科"),
        ("杭州远方光电信息股份有限公司", "单位:电信"),
    ):
        assert wrong not in clf.classify(name="", employer=employer).basis, employer


def test_a_leaders_given_name_is_no_product(clf: Classifier) -> None:
    """李建设 leads the studio; 陈林 + 电力 keeps its theme (林 after a surname is a given name)."""
    assert "名称:建设" not in clf.classify(name="山西某某李建设职工创新工作室").basis
    assert clf.classify(name="王海洋劳模创新工作室").is_empty
    assert "名称:电力" in clf.classify(name="陈林电力劳模创新工作室").basis


def test_a_national_prefix_is_read_past_like_a_place(clf: Classifier) -> None:
    """国家 + 电力 holds no 家电 (home appliances); 中国 before a group's name that runs past it stays."""
    got = clf.classify(name="", employer="国家电力投资集团有限公司")
    assert got.industry_code is not None and got.industry_code[:2] == "44", got
    assert "单位:家电" not in got.basis
    assert clf.classify(name="", employer="中国中煤能源集团有限公司").industry_code == "0610"
    railway = clf.classify(name="", employer="中国铁路上海局集团有限公司")
    assert railway.industry_code is not None and railway.industry_code[:2] == "53", railway


def test_a_kind_of_company_is_read_with_its_legal_form_written_into_it(clf: Classifier) -> None:
    """财务公司 (6632) is written …财务有限责任公司 in a group's finance company; a filler is no kind:
    …控股有限公司 is no 控股公司."""
    assert clf.classify(name="", employer="上海电气集团财务有限责任公司").industry_code == "6632"
    got = clf.classify(name="", employer="某某精密机械控股有限公司")
    assert got.industry_code is None or got.industry_code != "6920", got


def test_a_product_word_before_or_inside_a_groups_name_is_part_of_it(clf: Classifier) -> None:
    """国家石油天然气 + 管网集团 runs pipelines and 中国铁道建筑 + 建筑集团 builds railways; a product
    after the group's name still wins (上海建工 … 装饰), and one running on from a short group's name
    makes it a chance read (赛福天钢索 holds 天钢, a steel maker, only by accident)."""
    assert clf.classify(name="", employer="国家石油天然气管网集团有限公司").industry_code == "5720"
    assert clf.classify(name="", employer="中国铁道建筑集团有限公司").industry_code == "4811"
    decorator = clf.classify(name="", employer="上海建工集团装饰公司")
    assert decorator.industry_code is not None and decorator.industry_code[:2] == "50", decorator
    rope = clf.classify(name="", employer="江苏赛福天钢索股份有限公司")
    assert rope.industry_code is not None and rope.industry_code[:2] == "33", rope


@pytest.mark.parametrize(
    ("employer", "code"),
    [
        ("马鞍山市市立医疗集团", "8411"),  # a group of hospitals
        ("中国冶金地质总局", "7475"),  # a geological bureau
        ("上海市长宁区房屋管理局", "9225"),  # a bureau named by its function
        ("上海城市排水有限公司", "4620"),  # drainage is sewage, not water supply
        ("上海船用曲轴有限公司", "3734"),  # 船用 names a ship's equipment
        ("上海电气海水淡化工程技术公司", "4630"),
        ("中国南水北调集团有限公司", "7620"),
    ],
)
def test_unit_kinds_and_domain_words_of_the_third_round(clf: Classifier, employer: str, code: str) -> None:
    got = clf.classify(name="", employer=employer)
    assert got.industry_code == code, got


def test_a_division_cue_takes_the_class_the_standard_names(clf: Classifier) -> None:
    """铝业 (a cue for 32) is 3216 铝冶炼, the class the standard's name gives it; 食品, which the
    standard also gives to 食品机械, stands for 14's default class."""
    assert clf.classify(name="", employer="长城铝业").industry_code == "3216"
    assert clf.classify(name="", employer="某某食品股份有限公司").industry_code == "1411"


# --- validity and confidence -------------------------------------------------------------------------


def _assert_valid(got: Inference) -> None:
    industries = {i.code for i in taxonomy.industries()}
    trades = {t.code for t in taxonomy.trades()}
    segments = {s.id for s in taxonomy.segments()}
    assert got.industry_code is None or got.industry_code in industries
    assert set(got.trade_codes) <= trades and len(got.trade_codes) <= 2
    assert set(got.segment_ids) <= segments and len(got.segment_ids) <= 2
    assert len(set(got.trade_codes)) == len(got.trade_codes)
    assert len(set(got.segment_ids)) == len(got.segment_ids)
    assert 0.0 <= got.confidence <= 1.0
    assert all(label.split(":", 1)[0] in FIELD_LABELS for label in got.basis)
    if got.industry_code is None and not got.trade_codes and not got.segment_ids:
        assert got.confidence == 0.0 and got.basis == ()
    else:
        assert got.confidence > 0.0 and got.basis


def test_every_labelled_answer_is_valid(labelled: list[tuple[dict[str, str], Inference, bool]]) -> None:
    for _, got, _ in labelled:
        _assert_valid(got)


def test_industry_is_always_a_class(labelled: list[tuple[dict[str, str], Inference, bool]]) -> None:
    """The shipped taxonomy holds every class of GB/T 4754-2017: a division is never proposed."""
    levels = {i.code: i.level for i in taxonomy.industries()}
    for _, got, _ in labelled:
        if got.industry_code is not None:
            assert levels[got.industry_code] is IndustryLevel.CLASS, got


_WORDS = sorted({w for s in taxonomy.segments() for w in s.keywords} | {t.name for t in taxonomy.trades()})
_TEXT = st.lists(st.one_of(st.sampled_from(_WORDS), st.text(max_size=8)), max_size=6).map("".join)


@settings(max_examples=300, deadline=None)
@given(name=_TEXT, employer=_TEXT, expertise=_TEXT, needs=_TEXT)
def test_any_text_gives_a_valid_answer(name: str, employer: str, expertise: str, needs: str) -> None:
    _assert_valid(_shared().classify(name=name, employer=employer, expertise=expertise, needs=needs))


@cache
def _shared() -> Classifier:
    return Classifier()


@pytest.mark.parametrize(
    "fields",
    [
        {"name": ""},
        {"name": "   "},
        {"name": "张三劳模创新工作室"},
        {"name": "李明创新工作室", "employer": "上海某某有限公司"},
        {"name": "x", "employer": "Shanghai Mail Co."},
    ],
)
def test_nothing_found_is_empty_with_confidence_zero(clf: Classifier, fields: dict[str, str]) -> None:
    got = clf.classify(**fields)
    assert got == Inference(industry_code=None, trade_codes=(), segment_ids=(), confidence=0.0, basis=())
    assert got.is_empty


def test_nothing_below_min_confidence_is_proposed(labelled: list[tuple[dict[str, str], Inference, bool]]) -> None:
    """A stricter threshold proposes fewer industries, never different ones, none below it."""
    strict = Classifier(min_confidence=0.8)
    proposed = 0
    for row, loose, _ in labelled:
        got = strict.classify(
            name=row["name"], employer=row["employer"], expertise=row["expertise"], needs=row["needs"]
        )
        assert got.is_empty or got.confidence >= 0.8
        if got.industry_code is not None:
            proposed += 1
            assert got.industry_code == loose.industry_code
    assert proposed < sum(p.industry_code is not None for _, p, _ in labelled)


def test_min_confidence_is_checked() -> None:
    with pytest.raises(ValueError, match="min_confidence"):
        Classifier(min_confidence=1.5)


@pytest.mark.parametrize(
    ("employer", "code"),
    [
        ("上海地铁第一运营有限公司", "5412"),  # metro, not 54 道路运输业 as a whole
        ("上海巴士第一公交有限公司", "5411"),
        ("上海强生出租汽车有限公司", "5413"),
        ("上海烟草集团有限责任公司上海卷烟厂", "1620"),
        ("上海城投水务（集团）有限公司制水分公司", "4610"),
        ("上海城投污水处理有限公司", "4620"),
        ("中国邮政集团有限公司上海市分公司", "6010"),
        ("上海圆通速递有限公司", "6020"),
        ("上海银行股份有限公司", "6621"),
    ],
)
def test_divisions_the_subset_did_not_subdivide_get_classes(clf: Classifier, employer: str, code: str) -> None:
    assert clf.classify(name="某某劳模创新工作室", employer=employer).industry_code == code


def test_a_division_without_classes_is_proposed_unless_classes_only() -> None:
    """Built on a taxonomy that does not subdivide 54, the classifier proposes the division itself,
    or nothing with ``classes_only``; a division that is subdivided is never proposed."""
    industries = [i for i in taxonomy.industries() if not (i.code.startswith("54") and len(i.code) > 2)]
    loose, strict = Classifier(industries), Classifier(industries, classes_only=True)
    assert loose.classify(name="x", employer="上海地铁第一运营有限公司").industry_code == "54"
    assert strict.classify(name="x", employer="上海地铁第一运营有限公司").industry_code is None
    assert strict.classify(name="x", employer="上海华力微电子有限公司").industry_code == "3973"
    assert loose.classify(name="x", employer="上海建工一建集团有限公司").industry_code == "4710"


def test_a_smaller_taxonomy_is_respected() -> None:
    """Built on a subset, the classifier proposes only what the subset holds."""
    industries = [i for i in taxonomy.industries() if not i.code.startswith("397")]
    segments = [s for s in taxonomy.segments() if s.chain_id != "ic"]
    trades = [t for t in taxonomy.trades() if t.category != "semiconductor"]
    small = Classifier(industries, trades, segments)
    got = small.classify(name="x", employer="上海华力微电子有限公司", expertise="光刻与刻蚀工艺")
    assert got.industry_code is None or got.industry_code in {i.code for i in industries}
    assert set(got.segment_ids) <= {s.id for s in segments}
    assert set(got.trade_codes) <= {t.code for t in trades}


def test_classify_many_matches_classify(
    clf: Classifier, labelled: list[tuple[dict[str, str], Inference, bool]]
) -> None:
    for row, got, _ in labelled[:40]:
        fields = {k: row[k] for k in ("name", "employer", "expertise", "needs")}
        assert clf.classify(**fields) == got
    assert clf.classify_many([{"employer": "上海燃气有限公司"}, {}])[0].industry_code == "4511"


# --- accuracy on the labelled set --------------------------------------------------------------------


def test_accuracy_on_the_labelled_set(labelled: list[tuple[dict[str, str], Inference, bool]]) -> None:
    got = _accuracy([(r, p) for r, p, _ in labelled])
    for metric, floor in FLOORS_ALL.items():
        assert got[metric] >= floor, f"{metric}: {got[metric]:.3f} < {floor} ({got})"


def test_accuracy_on_the_holdout_block(labelled: list[tuple[dict[str, str], Inference, bool]]) -> None:
    got = _accuracy([(r, p) for r, p, holdout in labelled if holdout])
    for metric, floor in FLOORS_HOLDOUT.items():
        assert got[metric] >= floor, f"{metric}: {got[metric]:.3f} < {floor} ({got})"


def test_bare_rows_still_get_an_industry(labelled: list[tuple[dict[str, str], Inference, bool]]) -> None:
    """A naming list gives only name and employer; the employer must still say the industry."""
    bare = [(r, p) for r, p, _ in labelled if _is_bare(r)]
    assert len(bare) >= 40
    got = _accuracy(bare)
    for metric, floor in FLOORS_BARE.items():
        assert got[metric] >= floor, f"{metric} on bare rows: {got[metric]:.3f} < {floor} ({got})"


def test_higher_confidence_is_more_often_right(labelled: list[tuple[dict[str, str], Inference, bool]]) -> None:
    """Calibration sanity: the more confident half is at least as accurate as the less confident."""
    ranked = sorted(((r, p) for r, p, _ in labelled), key=lambda rp: -rp[1].confidence)
    half = len(ranked) // 2
    high, low = _accuracy(ranked[:half]), _accuracy(ranked[half:])
    assert high["division"] >= low["division"], (high, low)
    assert high["class"] >= low["class"], (high, low)
    holdout = sorted(((r, p) for r, p, h in labelled if h), key=lambda rp: -rp[1].confidence)
    half = len(holdout) // 2
    assert _accuracy(holdout[:half])["division"] >= _accuracy(holdout[half:])["division"]
