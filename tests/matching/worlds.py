"""Small hand-built graphs whose right answers are known, for the alliance and gap tests."""

from __future__ import annotations

from pathlib import Path

from graph.file_store import FileStore
from graph.model import (
    Chain,
    Employer,
    Industry,
    IndustryLevel,
    ModelWorker,
    Record,
    Segment,
    Stage,
    Studio,
    Supplies,
    Trade,
)
from graph.store import Projection


def base() -> list[Record]:
    """A chain 上游 → 中游 → 下游 (c/a → c/b → c/c) plus a side segment c/d fed by c/b; two trades;
    four employers; no studio yet."""
    return [
        Industry(code="C", name="制造业", level=IndustryLevel.SECTION),
        Industry(code="39", name="计算机、通信和其他电子设备制造业", level=IndustryLevel.DIVISION, parent_code="C"),
        Industry(code="397", name="电子器件制造", level=IndustryLevel.GROUP, parent_code="39"),
        Industry(code="3973", name="集成电路制造", level=IndustryLevel.CLASS, parent_code="397"),
        Industry(code="3974", name="显示器件制造", level=IndustryLevel.CLASS, parent_code="397"),
        Trade(code="T1", name="车工"),
        Trade(code="T2", name="焊工"),
        Chain(id="c", name="测试链", priority=1),
        Chain(id="z", name="次要链", priority=9),
        Segment(
            id="c/a", name="材料", chain_id="c", stage=Stage.UPSTREAM, industry_codes=("3973",), keywords=("硅片",)
        ),
        Segment(
            id="c/b",
            name="制造",
            chain_id="c",
            stage=Stage.MIDSTREAM,
            industry_codes=("3973",),
            keywords=("刻蚀", "光刻"),
        ),
        Segment(
            id="c/c",
            name="封测",
            chain_id="c",
            stage=Stage.DOWNSTREAM,
            industry_codes=("3974",),
            keywords=("封装", "测试"),
        ),
        Segment(id="c/d", name="设备", chain_id="c", stage=Stage.DOWNSTREAM, industry_codes=("3974",)),
        Segment(id="z/a", name="次要环节", chain_id="z"),
        Supplies(upstream_id="c/a", downstream_id="c/b", weight=0.9),
        Supplies(upstream_id="c/b", downstream_id="c/c", weight=0.8),
        Supplies(upstream_id="c/b", downstream_id="c/d", weight=0.6),
        *(Employer(id=f"e{i}", name=f"单位{i}") for i in range(1, 5)),
        ModelWorker(id="w-national", name="全国劳模甲", honours=("全国劳动模范",)),
        ModelWorker(id="w-city", name="市劳模乙", honours=("上海市劳动模范",)),
    ]


def studio(sid: str, **fields: object) -> Studio:
    data: dict[str, object] = {"id": sid, "name": f"{sid}工作室", "employer_id": "e1", "district": "浦东新区"}
    data.update(fields)
    return Studio.model_validate(data)


def projection(tmp_path: Path, records: list[Record]) -> Projection:
    """The projection of ``records`` after a real write (so the records are validated as stored)."""
    store = FileStore(tmp_path / "world.json")
    store.write(records)
    return store.projection()
