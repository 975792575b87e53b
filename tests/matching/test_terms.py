"""The term model on small rosters whose answers a person sees at once: the studio whose expertise
answers a need comes first, a studio that shares only generic words does not come at all, the
reasons quote the matched terms, and the model behaves the same on a district of a few studios as
inside a large store."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from graph.model import AllianceKind, Employer, Industry, IndustryLevel, Trade
from matching.lexicon import Lexicon
from matching.suggest import Suggester
from matching.terms import TermModel, quote

from .worlds import projection, studio


def _sections() -> list[Any]:
    divisions = (("C", "34", "通用设备制造业"), ("I", "65", "软件和信息技术服务业"), ("Q", "84", "卫生"),
                 ("E", "48", "土木工程建筑业"), ("N", "78", "公共设施管理业"))  # fmt: skip
    out: list[Any] = []
    for section, division, name in divisions:
        out.append(Industry(code=section, name=section, level=IndustryLevel.SECTION))
        out.append(Industry(code=division, name=name, level=IndustryLevel.DIVISION, parent_code=section))
    return out + [Trade(code=f"T{k}", name=f"工种{k}") for k in range(6)]


ROSTER = [
    # (id, trade, industry, expertise, needs)
    ("weld", "T0", "34", "焊接机器人编程与调试", "需要视觉算法纠正焊接机器人的焊偏"),
    ("vision", "T1", "65", "焊缝工业视觉检测与缺陷识别算法", ""),
    ("nurse", "T2", "84", "护理机器人辅助康复训练", ""),
    ("smt", "T0", "34", "SMT贴片与回流焊工艺", "需要SMT产线数字化改造"),
    ("elder", "T3", "78", "社区适老化改造与居家安全", ""),
    ("mes", "T1", "65", "电子装联产线MES系统实施与数据采集", ""),
    ("fan", "T4", "48", "风电场升压站施工", "希望引入振动分析提前发现风机轴承故障"),
    ("rot", "T1", "65", "旋转机械故障诊断与状态监测", ""),
    ("clinic", "T2", "84", "门诊就医流程优化", "需要缩短检验报告的诊断流程"),
]


def _suggester(tmp_path: Path, roster: list[tuple[str, str, str, str, str]] = ROSTER) -> Suggester:
    records = [*_sections()]
    for k, (sid, trade, industry, expertise, needs) in enumerate(roster):
        records.append(studio(sid, trade_codes=(trade,), industry_code=industry, employer_id=f"e{k % 4 + 1}",
                              expertise=expertise, needs=needs))  # fmt: skip
    employers = [Employer(id=f"e{k}", name=f"单位{k}") for k in range(1, 5)]
    return Suggester().fit(projection(tmp_path, [*employers, *records]))


@pytest.mark.parametrize(("need_of", "answer", "weak"), [
    ("weld", "vision", "nurse"),  # shares 机器人 only
    ("smt", "mes", "elder"),  # shares 改造 only
    ("fan", "rot", None),  # 振动分析 / 轴承故障 ≈ 故障诊断, no word in common
])  # fmt: skip
def test_the_studio_that_answers_a_need_comes_first(
    tmp_path: Path, need_of: str, answer: str, weak: str | None
) -> None:
    found = _suggester(tmp_path).suggest(need_of, AllianceKind.CROSS_FIELD, 5)
    assert found and found[0].partner_id == answer, [(x.partner_id, x.score) for x in found]
    # a studio that shares a word but not the need is, at most, a weak suggestion far below
    assert all(x.score <= 0.3 and x.score < found[0].score / 2 for x in found if x.partner_id == weak)


def test_a_strong_match_scores_high_and_its_reasons_quote_the_terms(tmp_path: Path) -> None:
    first = _suggester(tmp_path).suggest("weld", AllianceKind.CROSS_FIELD, 1)[0]
    assert first.components["complement"] >= 0.5
    text = "；".join(first.reasons)
    assert "对方专长「焊缝工业视觉检测与缺陷识别算法」对应本室需求「需要视觉算法纠正焊接机器人的焊偏」" in text
    assert "≈" in text, "a synonym is shown as need term ≈ expertise term"
    english = "; ".join(first.reasons_en)
    assert "partner's expertise" in english and "meets our need" in english
    terms = {(m["need_term"], m["expertise_term"]) for m in first.details["matched_terms"]}
    assert any(n != e for n, e in terms) and any("视觉" in n for n, _ in terms)


def test_generic_words_weigh_nothing_and_own_words_little() -> None:
    model = TermModel().fit([])
    lexicon = Lexicon.default()
    assert lexicon.generic.get("改造", 1.0) < 0.2 and lexicon.generic.get("需要", 1.0) < 0.2
    # 改造 is all that 适老化改造 shares with the need: it meets almost none of it
    assert model.complement("需要SMT产线数字化改造", "社区适老化改造与居家安全") < 0.1
    # the welding studio's own 焊接机器人 is where its need comes from, not what it asks for
    with_context = model.complement(
        "需要视觉算法纠正焊接机器人的焊偏", "护理机器人辅助康复训练", own="焊接机器人编程与调试"
    )
    without = model.complement("需要视觉算法纠正焊接机器人的焊偏", "护理机器人辅助康复训练")
    assert with_context < without


def test_a_district_and_a_large_store_rank_alike(tmp_path: Path) -> None:
    """The same five studios alone, and among 300 studios of other fields: the answers agree."""
    small = _suggester(tmp_path / "small")
    filler = [(f"f{k}", "T5", "48", f"桥梁第{k}标段混凝土浇筑与养护", "") for k in range(300)]
    large = _suggester(tmp_path / "large", ROSTER + filler)
    for need_of in ("weld", "smt", "fan"):
        assert small.suggest(need_of, AllianceKind.CROSS_FIELD, 1)[0].partner_id == \
            large.suggest(need_of, AllianceKind.CROSS_FIELD, 1)[0].partner_id  # fmt: skip


def test_quote_gives_the_clause_that_holds_the_term() -> None:
    assert quote("晶圆缺陷检测；光刻工艺优化，离子注入", "光刻") == "光刻工艺优化"
    long = "适用于大型港口岸桥起重机远程操控与自动化改造的视觉定位系统"
    shown = quote(long, "视觉定位", width=12)
    assert "视觉定位" in shown and shown.startswith("…") and len(shown) <= 14
    assert quote("无关", "视觉") == "视觉"


def test_quote_never_cuts_a_latin_word_or_a_number() -> None:
    # a short one is taken whole (IP核, SMT), a long one is left out; the term always stays
    assert quote("寻求与上游IP核环节在电子设计自动化方面的协同攻关需求", "电子设计自动化").startswith("…IP核")
    assert quote("需要SMT产线数字化改造与MES系统对接方案", "mes").startswith("…SMT产线")
    shown = quote("需要ABCDEFGHIJKLMNOP与视觉定位算法联合攻关的长长长长需求", "视觉定位")
    assert "视觉定位" in shown and not any(c.isascii() and c.isalpha() for c in shown)
    texts = (
        "在5G专网下实现视觉定位系统升级改造",
        "对接MES与ERP实现视觉定位数据追溯闭环",
        "需要把MES数据与视觉定位结果打通",
    )
    for text in texts:  # (7 of these 33 windows cut a run before)
        for width in range(6, 17):
            shown = quote(text, "视觉定位", width=width)
            assert "视觉定位" in shown
            runs = set(re.findall("[A-Za-z0-9]+", text))
            assert set(re.findall("[A-Za-z0-9]+", shown)) <= runs, shown  # whole runs only, never a part


@pytest.mark.parametrize(
    ("text", "straddling", "kept"),
    [
        ("列车轴箱轴承振动异常", "车轴", ("轴箱", "轴承")),  # 列车|轴箱: 车 ends one word, 轴 starts the next
        ("餐饮商户燃气泄漏报警器误报多", "漏报", ("泄漏", "报警器", "误报")),
        ("催化燃烧与红外可燃气体传感器标定", "燃气", ("可燃气体", "传感器")),
    ],
)
def test_a_domain_word_across_two_words_of_the_text_is_not_a_term(
    text: str, straddling: str, kept: tuple[str, ...]
) -> None:
    model = TermModel().fit([])
    assert straddling in Lexicon.default().words, "the case needs a domain word that straddles two words"
    found = model.terms(text)
    assert straddling not in found
    assert set(kept) <= set(found)
    # the parts of a word's parts still count: 压力传感器 → 压力 | 传感器 → 传感 | 器
    assert {"压力", "传感器", "传感"} <= set(model.terms("床垫压力传感器的居家部署"))


def test_a_concept_term_written_apart_is_a_term_of_the_text() -> None:
    model = TermModel().fit([])
    concept_of = Lexicon.default().concept_of
    assert "跌倒报警" in concept_of and "仪表读数识别" in concept_of, "the cases need these concept terms"
    need = "失能老人夜间离床跌倒多，希望能及时发现并报警"
    assert "跌倒报警" not in need and "跌倒报警" in model.terms(need)  # 跌倒 … 报警
    assert "跌倒报警" not in model.terms("失能老人夜间离床跌倒多")  # one piece alone is not enough
    assert "跌倒报警" not in model.terms("仪表越限报警")
    # in three pieces, in another order
    assert "仪表读数识别" in model.terms("希望读数能自动识别，配电房仪表靠人工抄读")
    # so an expertise that holds the concept in other words meets the need through it, and the reason
    # quotes the clause where the term begins
    expertise = "摔倒检测算法与居家安全终端"
    found = [m for m in model.matches(need, expertise, limit=5) if m.need_term == "跌倒报警"]
    assert found and found[0].how == "synonym" and concept_of[found[0].expertise_term] == concept_of["跌倒报警"]
    assert quote(need, "跌倒报警") == "失能老人夜间离床跌倒多"


def test_a_calibration_curve_runs_from_raw_0_to_1() -> None:
    """The product reads the curve without clipping raw shares, so a curve must start at (0, 0) and end
    at raw 1; any other is refused in English and Chinese. The shipped one is flat beyond its ends."""
    import numpy as np

    texts = ["焊接机器人视觉纠偏", "需要焊缝视觉识别"]
    short, late, lifted = ((0.0, 0.5), (0.0, 1.0)), ((0.1, 1.0), (0.0, 1.0)), ((0.0, 1.0), (0.2, 1.0))
    falling = ((0.0, 0.6, 0.4, 1.0), (0.0, 0.5, 0.6, 1.0))
    for bad in (short, late, lifted, falling):
        with pytest.raises(ValueError, match="校准曲线"):
            TermModel(calibration=bad).fit(texts)
    model = TermModel().fit(texts)
    raw = np.array([-0.2, 0.0, 0.3, 1.0, 1.7])
    assert (model.calibrated(raw) == model.calibrated(np.clip(raw, 0.0, 1.0))).all()


def test_two_words_of_one_head_character_are_linked_by_the_character_channel_alone() -> None:
    """微漏 (a small leak) is a kind of 漏 as 泄漏 is: no lexicon entry and no bigram links them, the
    head character does, weakly (within ``bigram_share``) and only for words that say something."""
    need, leak, other = "站内高压管路接头偶发微漏，肉眼找不到", "超声波气体泄漏定位成像", "燃气管网巡检与入户安全宣传"
    model = TermModel().fit([leak, other, need], expertise=[leak, other])
    assert not set(model.terms(need)) & set(model.terms(leak))  # no word in common
    linked = model.complement(need, leak)
    assert 0.0 < linked <= model.bigram_share
    assert model.complement(need, other) == 0.0
    (match,) = model.matches(need, leak)
    assert (match.need_term, match.expertise_term, match.how) == ("微漏", "泄漏", "characters")
    without = TermModel(bigram_share=0).fit([leak, other, need], expertise=[leak, other])
    assert without.complement(need, leak) == 0.0 and without.matches(need, leak) == []
    # a generic word's head links nothing: 管理 and 处理 share 理, and neither says what a text is about
    assert model.complement("废水处理达标难", "班组管理与绩效考核") == 0.0
