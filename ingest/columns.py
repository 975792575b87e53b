"""The input contract (``shared/docs/input-format.md``): sheets, their columns, and the headers a
clerk may write for each. Headers are matched after folding full-width characters and removing
spaces, so ``工作室 名称`` and ``（工作室名称）`` are not needed as separate spellings.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from .text import fold_header


class SheetKind(StrEnum):
    STUDIOS = "studios"
    PROJECTS = "projects"
    COLLABORATIONS = "collaborations"
    ALLIANCES = "alliances"


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
        Column("leader", ("领衔人", "领衔劳模", "领衔人姓名", "劳模姓名"), required=True, zh="领衔人"),
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
}

SHEET_NAMES: dict[SheetKind, tuple[str, ...]] = {
    SheetKind.STUDIOS: ("studios", "工作室", "工作室名单", "命名名单", "名单"),
    SheetKind.PROJECTS: ("projects", "重点项目", "项目"),
    SheetKind.COLLABORATIONS: ("collaborations", "合作记录", "合作"),
    SheetKind.ALLIANCES: ("alliances", "联盟"),
}


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
