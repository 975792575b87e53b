"""The input contract (``shared/docs/input-format.md``): sheets, their columns, and the headers a
clerk may write for each. Headers are matched after folding full-width characters and removing
spaces, so ``工作室 名称`` and ``（工作室名称）`` are not needed as separate spellings.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from graph import labels

from .text import fold_header


class SheetKind(StrEnum):
    STUDIOS = "studios"
    PROJECTS = "projects"
    COLLABORATIONS = "collaborations"
    ALLIANCES = "alliances"
    LEDGER = "ledger"
    FUNDING = "funding"


SHEET_ZH = labels.SHEET_ZH
"""What a union officer calls each kind of sheet (:data:`graph.labels.SHEET_ZH`)."""


@dataclass(frozen=True)
class Column:
    name: str
    headers: tuple[str, ...]
    required: bool = False
    zh: str = ""

    @property
    def label(self) -> str:
        """How the column is named to a user: ``name (中文)``."""
        return f"{self.name} ({self.zh or self.headers[0]})" if self.headers else self.name


SEQ = Column("seq", ("序号", "No", "No.", "#", "编号序号"), zh="序号")
"""A published list's running number: read, never stored."""

COLUMNS: dict[SheetKind, tuple[Column, ...]] = {
    SheetKind.STUDIOS: (
        SEQ,
        Column("id", ("编号", "工作室编号", "id"), zh="编号"),
        Column("name", ("工作室名称", "名称", "工作室"), required=True, zh="工作室名称"),
        Column("leader", ("领衔人", "领衔劳模", "领衔人姓名", "劳模姓名"), zh="领衔人"),
        Column("leader_honours", ("领衔人荣誉", "荣誉称号", "荣誉"), zh="领衔人荣誉"),
        Column("leader_status", ("领衔人状态",), zh="领衔人状态"),
        Column("employer", ("所在单位", "单位名称", "单位", "所在企业"), required=True, zh="所在单位"),
        Column("union", ("所属工会", "推荐单位", "区局（产业）工会", "区局(产业)工会", "区局工会"), zh="所属工会"),
        Column("district", ("所在区", "区", "所属区"), zh="所在区"),
        Column("level", ("命名级别", "级别"), zh="命名级别"),
        Column("named_year", ("命名年份", "命名时间", "命名年度"), zh="命名年份"),
        Column("founded_year", ("成立年份", "成立时间"), zh="成立年份"),
        Column("trades", ("工种", "职业"), zh="工种"),
        Column("industry", ("行业", "行业代码", "所属行业"), zh="行业"),
        Column("segments", ("产业链环节", "产业链"), zh="产业链环节"),
        Column("expertise", ("技术专长", "专业领域", "主要方向"), zh="技术专长"),
        Column("needs", ("攻关需求", "技术难题", "合作需求"), zh="攻关需求"),
        Column("members", ("团队人数", "成员人数", "人数"), zh="团队人数"),
        Column("founded_on", ("成立日期",), zh="成立日期"),
        Column("venue", ("场所", "固定场所", "活动场所"), zh="固定场所"),
        Column("funds_per_year", ("专项经费（元/年）", "专项经费", "年度经费"), zh="专项经费（元/年）"),
        Column("leader_status_year", ("领衔人状态年份", "退休年份", "离职年份"), zh="领衔人状态年份"),
    ),
    SheetKind.PROJECTS: (
        SEQ,
        Column("id", ("编号", "项目编号", "id"), zh="编号"),
        Column("name", ("项目名称", "名称"), required=True, zh="项目名称"),
        Column("chain", ("产业链", "所属产业链"), zh="产业链"),
        Column("segments", ("产业链环节", "环节"), zh="产业链环节"),
        Column("capabilities", ("所需能力", "能力需求"), zh="所需能力"),
        Column("lead_union", ("牵头工会", "牵头单位"), zh="牵头工会"),
        Column("year", ("年份", "立项年份"), zh="年份"),
    ),
    SheetKind.COLLABORATIONS: (
        SEQ,
        Column("studio_a", ("工作室A", "工作室甲", "合作方A"), required=True, zh="工作室A"),
        Column("studio_b", ("工作室B", "工作室乙", "合作方B"), required=True, zh="工作室B"),
        Column("year", ("年份", "合作年份"), required=True, zh="年份"),
        Column("title", ("合作内容", "项目", "内容"), zh="合作内容"),
    ),
    SheetKind.ALLIANCES: (
        SEQ,
        Column("id", ("编号", "联盟编号", "id"), zh="编号"),
        Column("name", ("联盟名称", "名称"), required=True, zh="联盟名称"),
        Column("kind", ("类型", "联盟类型"), required=True, zh="类型"),
        Column("members", ("成员", "成员工作室"), required=True, zh="成员"),
        Column("founded_year", ("成立年份", "成立时间"), zh="成立年份"),
    ),
    SheetKind.LEDGER: (
        SEQ,
        Column("id", ("编号", "台帐编号", "台账编号", "id"), zh="编号"),
        Column("studio", ("工作室", "工作室编号", "工作室名称"), required=True, zh="工作室"),
        Column("kind", ("台帐类型", "台账类型", "类型"), zh="台帐类型"),
        Column("year", ("年份", "年度"), required=True, zh="年份"),
        Column("date", ("日期",), zh="日期"),
        Column("title", ("名称", "标题", "内容摘要"), required=True, zh="名称"),
        Column("detail", ("内容", "详情"), zh="内容"),
        Column("benefit", ("经济社会效益", "效益"), zh="经济社会效益"),
        Column("benefit_amount", ("效益金额（万元）", "效益金额"), zh="效益金额（万元）"),
        Column("innovation_type", ("创新类型",), zh="创新类型"),
        Column("award", ("获奖情况", "获奖"), zh="获奖情况"),
        Column("recognised_project", ("认定攻关项目", "是否认定项目"), zh="认定攻关项目"),
    ),
    SheetKind.FUNDING: (
        SEQ,
        Column("id", ("编号", "id"), zh="编号"),
        Column("studio", ("工作室", "工作室编号", "工作室名称"), required=True, zh="工作室"),
        Column("year", ("年份", "年度"), required=True, zh="年份"),
        Column("source", ("资助来源", "来源", "经费来源"), required=True, zh="资助来源"),
        Column("amount", ("金额（元）", "金额", "资助金额"), required=True, zh="金额（元）"),
        Column("note", ("备注",), zh="备注"),
    ),
}
"""Every sheet kind's columns. A ledger sheet's ``kind`` may be left out when the sheet (or CSV
file) is named after one ledger (活动台帐, 成果台帐, 成员发展台帐)."""

SHEET_NAMES: dict[SheetKind, tuple[str, ...]] = {
    SheetKind.STUDIOS: ("studios", "工作室", "工作室名单", "命名名单", "名单"),
    SheetKind.PROJECTS: ("projects", "重点项目", "项目"),
    SheetKind.COLLABORATIONS: ("collaborations", "合作记录", "合作"),
    SheetKind.ALLIANCES: ("alliances", "联盟"),
    SheetKind.LEDGER: (
        "ledger", "ledgers", "台帐", "台账", "工作室台帐", "工作室台账", "活动台帐", "活动台账", "成果台帐",
        "成果台账", "创新成果台帐", "创新成果台账", "成员发展台帐", "成员发展台账",
    ),
    SheetKind.FUNDING: ("funding", "经费", "经费资助", "资助"),
}  # fmt: skip


def _index() -> dict[SheetKind, dict[str, Column]]:
    out: dict[SheetKind, dict[str, Column]] = {}
    for kind, columns in COLUMNS.items():
        lookup: dict[str, Column] = {}
        for column in columns:
            for header in (column.name, *column.headers):
                lookup.setdefault(fold_header(header), column)
        out[kind] = lookup
    return out


_BY_HEADER = _index()


def match_header(kind: SheetKind, header: str) -> Column | None:
    """The column a header names in a sheet of ``kind``, or ``None`` for an extra column."""
    return _BY_HEADER[kind].get(fold_header(header))


def sheet_kind_by_name(name: str) -> SheetKind | None:
    folded = fold_header(name)
    for kind, names in SHEET_NAMES.items():
        if folded in {fold_header(n) for n in names}:
            return kind
    return None


def sheet_kind_by_headers(headers: list[str]) -> SheetKind | None:
    """Guess a sheet's kind from its headers: the kind whose required columns are all present."""
    best: tuple[int, SheetKind] | None = None
    for kind, columns in COLUMNS.items():
        required = [c for c in columns if c.required]
        present = {c.name for h in headers if (c := match_header(kind, h)) is not None}
        if all(c.name in present for c in required):
            score = len(present)
            if best is None or score > best[0]:
                best = (score, kind)
    return None if best is None else best[1]
