"""A synthetic national-scale roster made by this project (not real data), for benchmarks.

Studios get leaders, employers, unions, one or two trades, an industry class and a segment drawn
from the shipped taxonomies, with a fixed seed so runs are comparable.
"""

from __future__ import annotations

import random

from graph import taxonomy
from graph.model import (
    Collaboration,
    Employer,
    ModelWorker,
    Record,
    Studio,
    StudioLevel,
    Union,
    UnionKind,
)
from ingest.normalise import DISTRICTS

WORDS = ("工艺", "检测", "焊接", "数控", "自动化", "芯片", "封装", "药物", "制剂", "电网", "运维", "算法",
         "材料", "涂层", "装配", "调试", "质量", "节能", "智能", "安全")  # fmt: skip


def roster(n: int, *, seed: int = 7, collaborations: int = 0) -> list[Record]:
    """``n`` studios and everything they point at (taxonomies must be loaded first)."""
    rng = random.Random(seed)
    trades = [t.code for t in taxonomy.trades()]
    segments = list(taxonomy.segments())
    out: list[Record] = [Union(id="u-sh", name="上海市总工会", kind=UnionKind.MUNICIPAL)]
    unions = [Union(id=f"u-{i:02d}", name=f"{d}总工会", district=d, parent_id="u-sh") for i, d in enumerate(DISTRICTS)]
    out.extend(unions)
    n_employers = max(1, n // 4)
    out.extend(
        Employer(id=f"e{i}", name=f"上海第{i}号企业有限公司", district=rng.choice(DISTRICTS))
        for i in range(n_employers)
    )
    levels = list(StudioLevel)
    for i in range(n):
        segment = rng.choice(segments)
        out.append(
            ModelWorker(id=f"w{i}", name=f"劳模{i}", honours=("上海市劳动模范",) if i % 3 else ("全国劳动模范",))
        )
        out.append(
            Studio(
                id=f"s{i:06d}",
                name=f"第{i}号劳模创新工作室",
                level=levels[i % len(levels)],
                named_year=2010 + i % 15,
                district=DISTRICTS[i % len(DISTRICTS)],
                expertise="；".join(rng.sample(WORDS, 4)),
                needs="；".join(rng.sample(WORDS, 2)),
                members=5 + i % 30,
                leader_id=f"w{i}",
                employer_id=f"e{rng.randrange(n_employers)}",
                union_id=unions[i % len(unions)].id,
                trade_codes=tuple(rng.sample(trades, 1 + i % 2)),
                industry_code=segment.industry_codes[0],
                segment_ids=(segment.id,),
            )
        )
    for _ in range(collaborations):
        a, b = rng.sample(range(n), 2)
        out.append(Collaboration(studio_a=f"s{a:06d}", studio_b=f"s{b:06d}", year=2015 + rng.randrange(10)))
    return out
