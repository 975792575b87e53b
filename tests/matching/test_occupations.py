"""The occupation space (matching.occupations): a need and an expertise that share no word but read
like the same occupation of the 2022 classification are linked, weakly, and the reasons name the
occupation; in a large store each occupation reaches only the studios that read most like it."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest

from graph.model import AllianceKind, Employer, Industry, IndustryLevel, Trade
from matching.lexicon import Lexicon
from matching.occupations import OccupationSpace
from matching.suggest import Suggester
from matching.terms import MIN_BOND, TermModel

from .worlds import projection, studio

NEED = "实训铣床老旧，加工尺寸超差，需要翻新"  # (…车床铣床…需要大修 would hold 车床大修, a concept near 精度恢复)
OWN = "数控与模具专业现代学徒制及课程标准开发"
MACHINE = "数控机床几何精度恢复与主轴过热故障维修"
MOULD = "注塑模具浇注系统设计与模流仿真"


WORDS = ("焊工", "焊接", "焊缝", "焊机", "焊接工艺", "车工", "车床", "车削", "机床", "零件", "护士", "护理", "患者")


def _space() -> OccupationSpace:
    occupations = [
        ("焊工", "焊工；焊接；焊缝；焊机；焊接工艺"),
        ("车工", "车工；车床；车削；机床；零件"),
        ("护士", "护士；护理；患者"),
    ]
    return OccupationSpace(occupations, lambda text: [w for w in WORDS if w in text])


def test_vector_is_unit_length_strongest_first_and_kept_to_k() -> None:
    space = _space()
    vec = space.vector({"焊缝": 1.0, "车床": 0.5}, k=3)
    assert [space.names[d] for d, _ in vec] == ["焊工", "车工"]
    assert math.isclose(sum(v * v for _, v in vec), 1.0)
    assert vec[0][1] > vec[1][1]
    assert [space.names[d] for d, _ in space.vector({"焊缝": 1.0, "车床": 0.5}, k=1)] == ["焊工"]
    assert space.vector({"不存在的词": 1.0}, k=3) == []
    assert space.best_term({"焊缝": 1.0, "车床": 0.5}, space.names.index("车工")) == "车床"
    assert space.best_term({"焊缝": 1.0}, space.names.index("护士")) is None


def test_a_batch_gives_each_text_what_it_gets_alone() -> None:
    space = _space()
    texts = [{"焊缝": 1.0, "车床": 0.5}, {}, {"不存在的词": 1.0}, {"护理": 0.2, "机床": 0.9, "焊机": 0.1}]
    for k in (1, 2, 3):
        assert space.vectors(texts, k) == [space.vectors([t], k)[0] for t in texts]
    assert space.vectors([], 3) == []


def test_shipped_space_holds_the_classifications_occupations() -> None:
    occupations = Lexicon.default().occupations
    assert len(occupations) > 1500
    assert any(name == "机床装调维修工" for name, _ in occupations)


def test_a_need_reaches_an_expertise_with_no_word_in_common_through_an_occupation() -> None:
    texts = [MACHINE, MOULD]
    # (without the character channel, which links 铣床 to 机床 by their head 床 on its own)
    model = TermModel(bigram_share=0).fit([*texts, NEED], expertise=texts)
    assert not set(model.terms(NEED)) & set(model.terms(MACHINE))  # no word in common
    words_only = TermModel(occupation_share=0, bigram_share=0).fit([*texts, NEED], expertise=texts)
    assert words_only.complement(NEED, MACHINE, OWN) == 0.0
    linked = model.complement(NEED, MACHINE, OWN)
    assert 0.0 < linked <= model.occupation_share
    (bond,) = model.matches(NEED, MACHINE, OWN)
    assert bond.how == "occupation"
    assert bond.need_term in model.terms(NEED) and bond.expertise_term in model.terms(MACHINE)
    assert bond.via in {name for name, _ in Lexicon.default().occupations}
    assert math.isclose(bond.share, linked, rel_tol=1e-9)


def test_each_occupation_keeps_only_the_texts_that_read_most_like_it() -> None:
    """With ``occupation_studios=1`` only the expertise that reads most like an occupation keeps
    it: a need reaches the other through its words only."""
    texts = ["焊缝焊接工艺评定与焊接缺陷返修", "焊接夹具设计与焊接工艺"]
    everyone = TermModel().fit(texts, expertise=texts)
    capped = TermModel(occupation_studios=1).fit(texts, expertise=texts)
    both = set(everyone._offer(texts[0])[4]) & set(everyone._offer(texts[1])[4])
    assert both, "the example needs an occupation that both texts read like"
    for d in both:
        values = [everyone._offer(text)[4][d] for text in texts]
        keeps = [d in capped._offer(text)[4] for text in texts]
        assert keeps == [v == max(values) for v in values]
    offers = capped.documents(texts)
    width = capped._occupation_column
    assert offers[:, width:].nnz < everyone.documents(texts)[:, width:].nnz


@pytest.mark.parametrize("share", [0.0, 0.2])
def test_complement_stays_a_share_in_unit_range(share: float) -> None:
    texts = [MACHINE, MOULD, "焊缝工业视觉检测与缺陷识别算法"]
    model = TermModel(occupation_share=share).fit([*texts, NEED], expertise=texts)
    q = model.needs([NEED] * len(texts), [OWN] * len(texts))
    d = model.documents(texts)
    values = (q @ d.T).toarray()
    assert values.min() >= 0.0
    assert values.max() <= 1.0 + share


def test_a_suggestion_through_an_occupation_names_it_in_both_languages(tmp_path: Path) -> None:
    records: list[Any] = [
        Industry(code="P", name="教育", level=IndustryLevel.SECTION),
        Industry(code="83", name="教育", level=IndustryLevel.DIVISION, parent_code="P"),
        Industry(code="C", name="制造业", level=IndustryLevel.SECTION),
        Industry(code="34", name="通用设备制造业", level=IndustryLevel.DIVISION, parent_code="C"),
        Trade(code="T0", name="教师"),
        Trade(code="T1", name="机修"),
        Employer(id="e1", name="单位1"),
        Employer(id="e2", name="单位2"),
        studio("school", trade_codes=("T0",), industry_code="83", employer_id="e1", expertise=OWN, needs=NEED),
        studio("repair", trade_codes=("T1",), industry_code="34", employer_id="e2", expertise=MACHINE, needs=""),
    ]
    found = Suggester().fit(projection(tmp_path, records)).suggest("school", AllianceKind.CROSS_FIELD, 3)
    assert [x.partner_id for x in found] == ["repair"]
    (terms,) = found[0].details["matched_terms"]
    assert terms["how"] == "occupation"
    pair = f"{terms['need_term']}与{terms['expertise_term']}同属职业「"  # two words of one occupation, not synonyms
    assert pair in "；".join(found[0].reasons)
    assert f"{terms['need_term']}≈" not in "；".join(found[0].reasons)
    assert "are both the work of the occupation" in "; ".join(found[0].reasons_en)


def test_an_occupation_bond_too_light_to_be_a_reason_is_not_named() -> None:
    # the sample's cases: 视觉 and 电池 meet only in 航标工's tasks; 机器视觉 and 深度学习 in 人工智能工程技术人员
    need, own = "需要机器视觉缺陷检测算法支持", "光刻套刻精度控制"
    texts = ["动力电池包检测与维修", "深度学习算法研发", "无损检测技术", "临床检验质量控制", own]
    model = TermModel().fit([*texts, need], expertise=texts)
    light = model._occupation_match(need, own, "动力电池包检测与维修", dict(model._need_occupations(need, own)),
                                    model._kept_occupations("动力电池包检测与维修"))  # fmt: skip
    assert light is not None and light.share < MIN_BOND, "the case needs a bond below the floor"
    assert all(m.how != "occupation" for m in model.matches(need, "动力电池包检测与维修", own))
    strong = [m for m in model.matches(need, "深度学习算法研发", own) if m.how == "occupation"]
    assert strong and all(m.share >= MIN_BOND for m in strong)


def test_an_occupation_bond_never_repeats_a_word_already_matched() -> None:
    need, texts = "需要无人机巡检图像识别支持", ["线路无人机巡检", "图像识别应用开发", "临床护理服务创新"]
    model = TermModel().fit([*texts, need], expertise=texts)
    found = model.matches(need, "线路无人机巡检")
    assert found and found[0].need_term == "无人机巡检"
    words = [m.need_term for m in found if m.how != "occupation"]
    # 无人机 ~ 无人机 (both the work of 无人机驾驶员) would say again what 无人机巡检 says
    assert not [m for m in found if m.how == "occupation" and any(m.need_term in w for w in words)]


def test_an_occupation_match_with_the_offers_weights_is_the_one_without() -> None:
    texts = ["动力电池包检测与维修", "深度学习算法研发", "无损检测技术", "临床检验质量控制", MACHINE, MOULD, OWN]
    needs = [NEED, "需要机器视觉缺陷检测算法支持", "需要无人机巡检图像识别支持"]
    model = TermModel().fit([*texts, *needs], expertise=texts)
    seen = 0
    for need in needs:
        need_occupations = dict(model._need_occupations(need, OWN))
        for text in texts:
            occupations = model._kept_occupations(text)
            if not (need_occupations and occupations):
                continue
            weights = model._offer_cache(text)[5]
            assert weights == model._offer_weights(model._terms(text))
            with_weights = model._occupation_match(need, OWN, text, need_occupations, occupations, weights)
            model._tie_memo.clear()
            assert with_weights == model._occupation_match(need, OWN, text, need_occupations, occupations)
            model._tie_memo.clear()
            seen += with_weights is not None
    assert seen
