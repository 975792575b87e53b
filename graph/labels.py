"""The Chinese names of the domain's enumerations, one place for the command line, the views and
the web console (union officers read these, not the English values)."""

from __future__ import annotations

from .model import (
    AllianceAction,
    AllianceKind,
    AllianceStatus,
    FundingSource,
    LedgerKind,
    Role,
    Stage,
    StudioLevel,
    StudioStatus,
    WorkerStatus,
)

STUDIO_STATUS_ZH: dict[str, str] = {
    StudioStatus.ACTIVE: "正常",
    StudioStatus.FLAGGED: "警示整改",
    StudioStatus.DELISTED: "已摘牌",
}
STUDIO_LEVEL_ZH: dict[str, str] = {
    StudioLevel.NATIONAL: "全国级",
    StudioLevel.MUNICIPAL: "市级",
    StudioLevel.DISTRICT: "区局级",
    StudioLevel.ENTERPRISE: "企业级",
}
ALLIANCE_KIND_ZH: dict[str, str] = {
    AllianceKind.SAME_TRADE: "同工种",
    AllianceKind.SAME_INDUSTRY: "同行业",
    AllianceKind.CROSS_FIELD: "跨领域",
    AllianceKind.CHAIN: "产业链上下游",
    AllianceKind.PROJECT: "重点项目",
}
ALLIANCE_STATUS_ZH: dict[str, str] = {
    AllianceStatus.PROPOSED: "提议中",
    AllianceStatus.FORMED: "已组建",
    AllianceStatus.REJECTED: "未采纳",
    AllianceStatus.DISSOLVED: "已解散",
}
ALLIANCE_ACTION_ZH: dict[str, str] = {
    AllianceAction.PROPOSED: "提议",
    AllianceAction.ACCEPTED: "同意组建",
    AllianceAction.REJECTED: "不予组建",
    AllianceAction.DISSOLVED: "解散",
    AllianceAction.MEMBER_LEFT: "成员退出",
}
ROLE_ZH: dict[str, str] = {Role.MUNICIPAL: "市总工会", Role.UNION: "区局（产业）工会", Role.STUDIO: "工作室"}
WORKER_STATUS_ZH: dict[str, str] = {
    WorkerStatus.SERVING: "在职",
    WorkerStatus.RETIRED: "退休",
    WorkerStatus.LEFT: "离职",
    WorkerStatus.DECEASED: "已故",
}
WORKER_LEFT_VERB_ZH: dict[str, str] = {
    WorkerStatus.DECEASED: "去世",
    WorkerStatus.RETIRED: "退休",
    WorkerStatus.LEFT: "离职",
}
"""What happened, as a sentence says it (领衔人某某已于 2024 年去世); the status itself reads 已故."""
VERDICT_ZH: dict[str, str] = {"met": "符合", "not-met": "不符合", "unknown": "资料不全"}
"""An Article 3 condition's verdict (:class:`graph.lifecycle.Verdict`)."""
ASSESSMENT_ACTION_ZH: dict[str, str] = {"delist": "摘牌", "flag": "警示整改", "complete-data": "补全资料"}
"""What the yearly assessment says to do (:class:`graph.lifecycle.Action`)."""
CONDITIONS_ZH: dict[int, str] = {
    1: "领衔人为省部级以上劳模或全国五一劳动奖章获得者",
    2: "团队运行一年以上",
    3: "近年有一项以上认定的创新攻关项目",
    4: "创新成果有经济社会效益",
    5: "有固定场所和专项经费",
}
"""Article 3's five conditions, by number."""
LEDGER_SHORT_ZH: dict[str, str] = {
    LedgerKind.ACTIVITY: "活动",
    LedgerKind.RESULT: "成果",
    LedgerKind.MEMBER: "成员发展",
}
"""A ledger's kind in a table's narrow column."""
SHEET_ZH: dict[str, str] = {
    "studios": "工作室名单",
    "projects": "重点项目",
    "collaborations": "合作记录",
    "alliances": "联盟",
    "ledger": "台帐",
    "funding": "经费",
}
"""What a union officer calls each kind of roster sheet (:class:`ingest.columns.SheetKind`)."""
GAP_STATUS_ZH: dict[str, str] = {"gap": "空白", "barrier": "壁垒", "weak": "薄弱", "covered": "已覆盖"}
"""A chain segment's state on the gap radar (:class:`matching.gaps.GapStatus`)."""
STAGE_ZH: dict[str, str] = {Stage.UPSTREAM: "上游", Stage.MIDSTREAM: "中游", Stage.DOWNSTREAM: "下游"}
LEDGER_KIND_ZH: dict[str, str] = {
    LedgerKind.ACTIVITY: "活动台帐",
    LedgerKind.RESULT: "创新成果台帐",
    LedgerKind.MEMBER: "成员发展台帐",
}
FUNDING_SOURCE_ZH: dict[str, str] = {
    FundingSource.MUNICIPAL: "市总工会补贴",
    FundingSource.UNION: "区局（产业）工会配套",
    FundingSource.EMPLOYER: "所在单位",
}
LABEL_ZH: dict[str, str] = {
    "Studio": "工作室",
    "ModelWorker": "领衔人",
    "Employer": "所在单位",
    "Union": "工会",
    "Trade": "工种",
    "Industry": "行业",
    "Chain": "产业链",
    "Segment": "产业链环节",
    "Project": "重点项目",
    "Alliance": "联盟",
    "AllianceEvent": "联盟经过",
    "LedgerEntry": "台帐",
    "Funding": "经费",
    "AuditEntry": "审计记录",
    "ApiKey": "API 密钥",
    "RankingModel": "推荐权重模型",
    "User": "账户",
    "SignInGuard": "登录来源",
    "ServerSecret": "会话密钥",
    "SUPPLIES": "上下游关系",
    "COLLABORATED_WITH": "合作记录",
}
"""Node labels and relationship types, as an import report names them."""
AUDIT_ACTION_ZH: dict[str, str] = {
    "studio.create": "新建工作室",
    "studio.update": "修改工作室",
    "studio.delist": "摘牌",
    "studio.flag": "警示整改",
    "studio.complete-data": "补全资料",
    "leader.status": "登记领衔人变动",
    "leader.appoint": "登记新的领衔人",
    "alliance.propose": "提出联盟建议",
    "alliance.accepted": "同意组建联盟",
    "alliance.rejected": "不予组建联盟",
    "alliance.dissolved": "解散联盟",
    "ingest": "名单导入",
    "key.create": "发放密钥",
    "key.revoke": "吊销密钥",
    "ranking.tune": "学习推荐权重",
    "user.create": "开设账户",
    "user.disable": "停用账户",
    "user.enable": "启用账户",
    "user.reset": "重置密码",
    "user.password": "修改密码",
    "signin": "登录",
    "signin.fail": "登录失败",
    "signin.lock": "登录锁定",
    "signout": "退出登录",
}
"""What each audited action reads as (the audit trail keeps the English code)."""
