"""A small studio graph with every node and relationship kind, in Chinese, built for the tests."""

from __future__ import annotations

from graph.model import (
    Alliance,
    AllianceAction,
    AllianceEvent,
    AllianceKind,
    AllianceStatus,
    ApiKey,
    AuditEntry,
    Chain,
    ChainTier,
    Collaboration,
    Employer,
    Funding,
    FundingSource,
    Industry,
    IndustryLevel,
    LedgerEntry,
    LedgerKind,
    ModelWorker,
    Project,
    RankingModel,
    Record,
    Role,
    Segment,
    Stage,
    Studio,
    StudioLevel,
    Supplies,
    Trade,
    Union,
    UnionKind,
    WorkerStatus,
)


def industries() -> list[Industry]:
    return [
        Industry(code="C", name="制造业", level=IndustryLevel.SECTION),
        Industry(code="39", name="计算机、通信和其他电子设备制造业", level=IndustryLevel.DIVISION, parent_code="C"),
        Industry(code="397", name="电子器件制造", level=IndustryLevel.GROUP, parent_code="39"),
        Industry(code="3973", name="集成电路制造", level=IndustryLevel.CLASS, parent_code="397"),
        Industry(code="I", name="信息传输、软件和信息技术服务业", level=IndustryLevel.SECTION),
        Industry(code="65", name="软件和信息技术服务业", level=IndustryLevel.DIVISION, parent_code="I"),
        Industry(code="652", name="集成电路设计", level=IndustryLevel.GROUP, parent_code="65"),
        Industry(code="6520", name="集成电路设计", level=IndustryLevel.CLASS, parent_code="652"),
    ]


def records() -> list[Record]:
    """Every kind at least once; studios s1–s3 in the IC chain, s4 delisted."""
    return [
        *industries(),
        Trade(
            code="6-18-01-01", name="车工", occupation_code="6-18-01-01", category="machining", aliases=("数控车工",)
        ),
        Trade(code="SA-001", name="芯片工艺工程师", category="semiconductor"),
        Chain(id="ic", name="集成电路", name_en="Integrated circuits", tier=ChainTier.LEADING, priority=1),
        Segment(
            id="ic/design",
            name="芯片设计",
            chain_id="ic",
            stage=Stage.UPSTREAM,
            industry_codes=("6520",),
            keywords=("芯片设计", "EDA"),
        ),
        Segment(id="ic/fab", name="晶圆制造", chain_id="ic", stage=Stage.MIDSTREAM, industry_codes=("3973",)),
        Segment(id="ic/packaging", name="封装测试", chain_id="ic", stage=Stage.DOWNSTREAM, industry_codes=("3973",)),
        Supplies(upstream_id="ic/design", downstream_id="ic/fab", weight=0.9),
        Supplies(upstream_id="ic/fab", downstream_id="ic/packaging", weight=0.8),
        Union(id="u-sh", name="上海市总工会", kind=UnionKind.MUNICIPAL),
        Union(id="u-pd", name="浦东新区总工会", kind=UnionKind.DISTRICT, district="浦东新区", parent_id="u-sh"),
        Union(id="u-jd", name="上海市机电工会", kind=UnionKind.INDUSTRY, parent_id="u-sh"),
        Employer(id="e-hlw", name="上海华力微电子有限公司", district="浦东新区", industry_code="3973"),
        Employer(id="e-zx", name="中芯国际集成电路制造（上海）有限公司", district="浦东新区", industry_code="3973"),
        ModelWorker(id="w-li", name="李斌", honours=("全国劳动模范", "全国五一劳动奖章")),
        ModelWorker(id="w-wang", name="王晓芳", honours=("上海市劳动模范",)),
        ModelWorker(id="w-zhao", name="赵建国", honours=("上海市五一劳动奖章",), status=WorkerStatus.RETIRED),
        Project(
            id="p-28nm",
            name="28纳米工艺良率攻关",
            chain_id="ic",
            segment_ids=("ic/fab", "ic/packaging"),
            capabilities="工艺整合；缺陷检测；封装可靠性",
            lead_union_id="u-pd",
            year=2024,
        ),
        Studio(
            id="s1",
            name="李斌劳模创新工作室",
            level=StudioLevel.NATIONAL,
            named_year=2012,
            founded_year=2008,
            district="浦东新区",
            expertise="数控加工；精密车削；工艺改进",
            needs="晶圆缺陷检测算法",
            members=12,
            leader_id="w-li",
            employer_id="e-hlw",
            union_id="u-pd",
            trade_codes=("6-18-01-01",),
            industry_code="3973",
            segment_ids=("ic/fab",),
            project_ids=("p-28nm",),
            extra={"备注": "首批命名", "联系电话": "021-00000000"},
        ),
        Studio(
            id="s2",
            name="王晓芳劳模创新工作室",
            level=StudioLevel.MUNICIPAL,
            named_year=2019,
            district="浦东新区",
            expertise="芯片设计验证；EDA 流程",
            leader_id="w-wang",
            employer_id="e-zx",
            union_id="u-jd",
            trade_codes=("SA-001",),
            industry_code="6520",
            segment_ids=("ic/design",),
        ),
        Studio(
            id="s3",
            name="封装测试创新工作室",
            level=StudioLevel.DISTRICT,
            named_year=2021,
            district="闵行区",
            expertise="封装可靠性",
            employer_id="e-zx",
            union_id="u-pd",
            trade_codes=("6-18-01-01", "SA-001"),
            industry_code="3973",
            segment_ids=("ic/packaging",),
        ),
        Studio(
            id="s4",
            name="赵建国工作室",
            status="delisted",
            status_reason="领衔人退休",
            district="闵行区",
            leader_id="w-zhao",
            union_id="u-pd",
        ),
        Alliance(
            id="a1",
            name="集成电路产业链劳模创新工作室联盟",
            kind=AllianceKind.CHAIN,
            status=AllianceStatus.FORMED,
            member_ids=("s1", "s2", "s3"),
            lead_studio_id="s1",
            founded_year=2023,
            chain_id="ic",
            note="贯通上下游",
        ),
        Alliance(
            id="a2", name="28纳米攻关联盟", kind=AllianceKind.PROJECT, member_ids=("s1", "s3"), project_id="p-28nm"
        ),
        AllianceEvent(
            id="ev-a1-formed",
            alliance_id="a1",
            action=AllianceAction.ACCEPTED,
            actor="上海市总工会",
            at="2023-05-01T09:00:00+08:00",
            note="首批产业链联盟",
        ),
        LedgerEntry(
            id="lg-s1-1",
            studio_id="s1",
            kind=LedgerKind.RESULT,
            year=2023,
            date="2023-06-30",
            title="晶圆缺陷检测算法改进",
            benefit="年节约成本约120万元",
            benefit_amount=120.0,
            innovation_type="技术创新",
            recognised_project=True,
        ),
        Funding(id="fd-s1-2019", studio_id="s1", year=2019, source=FundingSource.MUNICIPAL, amount=20_000),
        AuditEntry(
            id="au-1",
            at="2024-01-05T10:00:00+08:00",
            actor="上海市总工会",
            action="studio.delist",
            subject_label="Studio",
            subject_key="s4",
            note="领衔人退休",
        ),
        ApiKey(
            id="k-pd",
            name="浦东新区总工会·信息员",
            role=Role.UNION,
            union_id="u-pd",
            digest="0" * 64,
            created_at="2024-01-05T10:00:00+08:00",
        ),
        RankingModel(
            id="ranking-v1",
            version=1,
            trained_at="2024-02-01T10:00:00+08:00",
            trained_by="上海市总工会",
            method="测试",
            weights='{"same-trade": {"collaboration": 0.2, "text": 0.5, "trades": 0.3}}',
            counts='{"same-trade": {"train_positives": 12}}',
            backtest='{"split": [2022, 2024]}',
            adopted=("same-trade",),
        ),
        Collaboration(studio_a="s2", studio_b="s1", year=2022, title="设计—制造协同优化"),
        Collaboration(studio_a="s1", studio_b="s2", year=2023, title="良率提升"),
        Collaboration(studio_a="s1", studio_b="s3", year=2023, title="封装可靠性联合攻关"),
    ]


def studio_batch(n: int, *, prefix: str = "bulk") -> list[Record]:
    """``n`` studios spread over a few leaders, employers, unions and trades (for batching tests)."""
    out: list[Record] = [
        Trade(code="6-18-01-01", name="车工"),
        Union(id="u-bulk", name="批量测试工会"),
    ]
    employers = [Employer(id=f"{prefix}-e{i}", name=f"测试单位{i}") for i in range(50)]
    out.extend(employers)
    for i in range(n):
        out.append(ModelWorker(id=f"{prefix}-w{i}", name=f"劳模{i}"))
        out.append(
            Studio(
                id=f"{prefix}-s{i:06d}",
                name=f"第{i}号劳模创新工作室",
                leader_id=f"{prefix}-w{i}",
                employer_id=employers[i % 50].id,
                union_id="u-bulk",
                trade_codes=("6-18-01-01",),
                expertise="焊接机器人编程" if i % 2 else "精密车削",
            )
        )
    return out
