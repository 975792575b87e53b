"""Weights learned from outcomes: on a roster whose collaborations follow a planted signal the tuner
finds it, beats the hand weights on the later period, and ``suggest`` uses and says so; where the
outcomes carry no signal the hand weights stay."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest

from graph.file_store import FileStore
from graph.model import (
    AllianceKind,
    Collaboration,
    Employer,
    Industry,
    IndustryLevel,
    RankingModel,
    Record,
    Studio,
    Trade,
)
from matching.tune import Tuner, as_of, outcomes, split_years, suggester_for

PHRASES = ["数控车削", "精密磨削", "焊接工艺", "机器人编程", "晶圆刻蚀", "缺陷检测", "机器视觉", "电网运维",
           "护理质量", "药物制剂", "数字孪生", "工业软件", "故障诊断", "节能改造", "盾构掘进", "冷链物流"]  # fmt: skip


def _world(planted: bool, seed: int = 3) -> list[Record]:
    """60 studios in 6 trades, two trades each, with texts drawn at random. With ``planted``,
    studios collaborate with the studios that practise exactly their two trades (the trade overlap,
    not the texts, predicts who works with whom); without it, with random same-trade studios."""
    rng = random.Random(seed)
    records: list[Record] = [
        Industry(code="C", name="制造业", level=IndustryLevel.SECTION),
        Industry(code="34", name="通用设备制造业", level=IndustryLevel.DIVISION, parent_code="C"),
        *(Trade(code=f"T{t}", name=f"工种{t}") for t in range(6)),
        *(Employer(id=f"e{i}", name=f"单位{i}") for i in range(60)),
    ]
    trades: list[tuple[str, str]] = []
    for i in range(60):
        pair = tuple(sorted(rng.sample([f"T{t}" for t in range(6)], 2)))
        trades.append(pair)  # type: ignore[arg-type]
        records.append(
            Studio(
                id=f"s{i:02d}",
                name=f"工作室{i}",
                trade_codes=pair,
                industry_code="34",
                employer_id=f"e{i}",
                expertise="；".join(rng.sample(PHRASES, 2)),
            )
        )
    for year in range(2016, 2026):
        for i in range(60):
            same = [j for j in range(60) if j != i and set(trades[i]) & set(trades[j])]
            exact = [j for j in same if trades[j] == trades[i]]
            choices = exact if planted else same
            if choices and rng.random() < 0.35:
                j = rng.choice(choices)
                records.append(Collaboration(studio_a=f"s{i:02d}", studio_b=f"s{j:02d}", year=year))
    return records


def _store(tmp_path: Path, planted: bool) -> FileStore:
    store = FileStore(tmp_path / "g.json")
    store.write(_world(planted))
    return store


def test_the_split_leaves_a_training_and_a_later_period() -> None:
    years = [2016] * 10 + [2017] * 10 + [2018] * 5 + [2019] * 5 + [2020] * 5 + [2021] * 5
    t1, t2 = split_years(years)  # type: ignore[misc]
    assert 2016 < t1 < t2 <= 2021
    assert sum(y < t1 for y in years) >= len(years) / 3
    assert sum(y >= t2 for y in years) >= len(years) / 10
    assert split_years([2020, 2021]) is None


def test_as_of_hides_what_happened_later(tmp_path: Path) -> None:
    p = _store(tmp_path, planted=True).projection()
    before = as_of(p, [], 2020)
    assert before.collaborations and all(c.year < 2020 for c in before.collaborations)
    assert len(before.studios) == len(p.studios)


def test_a_planted_signal_is_learned_beats_the_hand_weights_and_is_used(tmp_path: Path) -> None:
    store = _store(tmp_path, planted=True)
    p = store.projection()
    report = Tuner().tune(p, [], version=1, actor="测试")
    trade = report.results[AllianceKind.SAME_TRADE.value]
    assert trade.counts["train_positives"] >= 20 and trade.counts["test_positives"] >= 20
    assert trade.learned["mrr"] > trade.hand["mrr"]
    assert trade.adopted, trade
    assert trade.weights["trades"] > 0.3, "the overlap of trades is what the planted outcomes follow"
    assert report.model is not None and "same-trade" in report.model.adopted
    store.write([report.model])
    model = store.list(RankingModel)[0]
    assert json.loads(model.backtest)["split"] == list(report.split or ())
    suggester = suggester_for(model).fit(p)
    found = suggester.suggest("s00", AllianceKind.SAME_TRADE, 5)
    assert found and all("权重由历史合作学习（v1" in "；".join(x.reasons) for x in found)
    assert suggester.weights.same_trade == trade.weights


def test_outcomes_without_a_signal_keep_the_hand_weights(tmp_path: Path) -> None:
    p = _store(tmp_path, planted=False).projection()
    report = Tuner().tune(p, [])
    trade = report.results[AllianceKind.SAME_TRADE.value]
    assert not trade.adopted or trade.learned["mrr"] >= trade.hand["mrr"] + 0.005
    model = report.model
    assert model is not None
    hand = suggester_for(None)
    used = suggester_for(model)
    for kind in AllianceKind:
        if kind.value not in model.adopted and kind is not AllianceKind.PROJECT:
            assert used.weights.of(kind) == hand.weights.of(kind)


def test_alliance_decisions_are_outcomes(tmp_path: Path) -> None:
    from graph.model import Alliance, AllianceAction, AllianceEvent, AllianceStatus

    records: list[Any] = [
        Alliance(id="a", name="甲", kind=AllianceKind.SAME_TRADE, status=AllianceStatus.FORMED,
                 member_ids=("s01", "s02", "s03")),
        Alliance(id="b", name="乙", kind=AllianceKind.CHAIN, status=AllianceStatus.REJECTED, member_ids=("s04", "s05")),
    ]  # fmt: skip
    events = [
        AllianceEvent(id="ea", alliance_id="a", action=AllianceAction.ACCEPTED, actor="x", at="2024-03-01T00:00:00Z"),
        AllianceEvent(id="eb", alliance_id="b", action=AllianceAction.REJECTED, actor="x", at="2023-03-01T00:00:00Z"),
    ]
    store = FileStore(tmp_path / "g.json")
    store.write([*_world(planted=True), *records, *events])
    got = outcomes(store.projection(), store.list(AllianceEvent))
    assert got.accepted[("s01", "s02")] == [(2024, AllianceKind.SAME_TRADE)]
    assert got.rejected[("s04", "s05")] == [(2023, AllianceKind.CHAIN)]
    positives = got.positives(AllianceKind.SAME_TRADE, 2024, None)
    assert {"s02", "s03"} <= positives["s01"]
    assert "s02" not in got.positives(AllianceKind.CHAIN, 2024, None).get("s01", set())


@pytest.mark.parametrize("years", [[2020], [2020, 2021]])
def test_too_short_a_history_trains_nothing(tmp_path: Path, years: list[int]) -> None:
    store = FileStore(tmp_path / "g.json")
    world = [r for r in _world(planted=True) if not isinstance(r, Collaboration)]
    world += [Collaboration(studio_a="s01", studio_b="s02", year=y) for y in years]
    store.write(world)
    report = Tuner().tune(store.projection(), [])
    assert report.model is None and "三年" in report.reason
