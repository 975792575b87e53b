"""An empty roster workbook a clerk can fill: bilingual headers, drop-down lists, notes.

The drop-downs (level, leader status, district, trade, industry, segment, alliance kind, ledger
kind, funding source, yes/no) refer to ranges on a hidden ``lists`` sheet, because Excel's inline
lists are limited to 255 characters and there are hundreds of trades and industries.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from graph import taxonomy

from .columns import COLUMNS, SheetKind
from .normalise import DISTRICTS

if TYPE_CHECKING:
    from openpyxl import Workbook

SHEET_TITLES: dict[SheetKind, str] = {
    SheetKind.STUDIOS: "工作室",
    SheetKind.PROJECTS: "重点项目",
    SheetKind.COLLABORATIONS: "合作记录",
    SheetKind.ALLIANCES: "联盟",
    SheetKind.LEDGER: "台帐",
    SheetKind.FUNDING: "经费",
}

NOTES: dict[str, str] = {
    "编号": "可不填；不填时由工作室名称和所在单位生成",
    "领衔人荣誉": "多个荣誉用分号 ; 分隔，如：全国劳动模范;上海市五一劳动奖章",
    "工种": "多个工种用分号 ; 分隔；可填名称或职业编码",
    "行业": "GB/T 4754-2017 行业代码（如 3973）或名称（如 集成电路制造）",
    "产业链环节": "多个环节用分号 ; 分隔，如 ic/fab 或 集成电路/晶圆制造",
    "命名年份": "四位数字，2000 年至今",
    "成员": "成员工作室的编号或名称，用分号 ; 分隔",
    "成立日期": "如 2019-03-15；填写后成立年份可不填",
    "固定场所": "工作室的固定场所；没有时填“无”",
    "专项经费（元/年）": "每年专项经费，单位元，如 20000 或 2万；没有时填 0",
    "领衔人状态年份": "领衔人退休、离职或去世的年份",
    "工作室": "工作室编号或名称（与工作室表中一致）",
    "台帐类型": "活动 / 成果 / 成员发展；工作表名为活动台帐、成果台帐、成员发展台帐时可不填",
    "年份": "四位数字",
    "日期": "如 2024-05-01、2024/5/1 或 2024年5月1日",
    "经济社会效益": "成果的经济社会效益（文字）",
    "效益金额（万元）": "单位万元，如 12.5",
    "创新类型": "技术创新 / 管理创新 / 服务创新 / 制度创新",
    "认定攻关项目": "是否为认定的创新攻关项目：是 / 否",
    "资助来源": "市总工会 / 区局（产业）工会 / 所在单位",
    "金额（元）": "单位元，如 20000 或 2万",
}
SHEET_NOTES: dict[tuple[SheetKind, str], str] = {
    (SheetKind.LEDGER, "编号"): "可不填；不填时由工作室、台帐类型、年份、名称和日期生成",
    (SheetKind.FUNDING, "编号"): "可不填；不填时由工作室、年份、资助来源和金额生成",
}
"""Notes that differ by sheet (the header alone is not enough)."""

_LISTS: dict[tuple[SheetKind, str], str] = {
    **{(SheetKind.STUDIOS, c): c for c in ("level", "leader_status", "district", "trades", "industry", "segments")},
    (SheetKind.PROJECTS, "chain"): "chain",
    (SheetKind.ALLIANCES, "kind"): "kind",
    (SheetKind.LEDGER, "kind"): "ledger_kind",
    (SheetKind.LEDGER, "recognised_project"): "yes_no",
    (SheetKind.FUNDING, "source"): "source",
}
"""Which drop-down list (a column of the hidden ``lists`` sheet) each sheet's column offers."""


_NOTE_LINES = (
    "劳模创新工作室名单模板 / Studio roster template",
    "每个工作表第一行是表头，请勿修改表头；从第二行开始填写，一行一个工作室（或项目、合作、联盟、台帐记录、经费）。",
    "Row 1 of each sheet is the header (Chinese, with the English column name in the cell note); fill from row 2.",
    "必填列标为红色：工作室名称、所在单位。领衔人可空（以团队、单位或主题命名的工作室）。Required columns are red.",
    "下拉列表来自国家标准 GB/T 4754-2017、2022 年版职业分类大典和上海“3+6”重点产业链。",
    "行业列下拉显示“代码 名称”，填入任一即可（代码、名称或“代码 名称”）。",
    "台帐（第八条）：活动台帐、创新成果台帐、成员发展台帐可合在“台帐”表中（填台帐类型），也可各用一张表"
    "（表名为活动台帐、成果台帐或成员发展台帐，台帐类型可不填）。",
    "经费（第十条）：市总工会资助、区局（产业）工会配套、所在单位经费，各填一行，金额单位为元。",
)
"""The lines of the first sheet (说明)."""


def write_template(path: Path) -> Path:
    """Write the template workbook to ``path`` (``.xlsx``) and return the path."""
    from openpyxl import Workbook

    wb = Workbook()
    notes = wb.active
    assert notes is not None
    notes.title = "说明"
    for line in _NOTE_LINES:
        notes.append([line])
    notes.column_dimensions["A"].width = 110
    ranges = _write_lists(wb, _drop_down_lists())
    for kind, title in SHEET_TITLES.items():
        _write_sheet(wb, kind, title, ranges)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def _drop_down_lists() -> dict[str, list[str]]:
    """The values of each drop-down list, by the list's name (see :data:`_LISTS`)."""
    return {
        "level": ["全国", "市级", "区局级", "企业级"],
        "leader_status": ["在职", "退休", "离职", "已故"],
        "district": list(DISTRICTS),
        "trades": [t.name for t in taxonomy.trades()],
        "industry": [f"{i.code} {i.name}" for i in taxonomy.industries() if i.level.value == "class"],
        "segments": [s.id for s in taxonomy.segments()],
        "kind": ["同工种", "同行业", "跨领域", "产业链", "重点项目"],
        "chain": [c.name for c in taxonomy.chains()],
        "ledger_kind": ["活动", "成果", "成员发展"],
        "yes_no": ["是", "否"],
        "source": ["市总工会", "区局（产业）工会", "所在单位"],
    }


def _write_lists(wb: Workbook, lists: dict[str, list[str]]) -> dict[str, str]:
    """Write the lists as the columns of a hidden ``lists`` sheet; return each list's cell range."""
    hidden = wb.create_sheet("lists")
    ranges: dict[str, str] = {}
    for col, (name, values) in enumerate(lists.items(), start=1):
        letter = hidden.cell(row=1, column=col).column_letter
        hidden.cell(row=1, column=col, value=name)
        for row, value in enumerate(values, start=2):
            hidden.cell(row=row, column=col, value=value)
        ranges[name] = f"lists!${letter}$2:${letter}${len(values) + 1}"
    hidden.sheet_state = "hidden"
    return ranges


def _write_sheet(wb: Workbook, kind: SheetKind, title: str, ranges: dict[str, str]) -> None:
    """One sheet of ``kind``: its bilingual headers (required ones red), each with its note, and the
    drop-down list of the columns that have one."""
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    red = Font(bold=True, color="C00000")
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    ws = wb.create_sheet(title)
    columns = [c for c in COLUMNS[kind] if c.name != "seq"]
    for col, column in enumerate(columns, start=1):
        header = column.zh or column.headers[0]
        cell = ws.cell(row=1, column=col, value=header)
        cell.font = red if column.required else bold
        cell.fill = fill
        text = SHEET_NOTES.get((kind, header)) or NOTES.get(header)
        note = f"{column.name}" + (f"：{text}" if text else "")
        cell.comment = Comment(note, "studio-alliances")
        ws.column_dimensions[cell.column_letter].width = max(12, len(header) * 2 + 4)
        list_name = _LISTS.get((kind, column.name))
        if list_name is not None:
            multi = list_name in {"trades", "segments"}
            dv = DataValidation(type="list", formula1=f"={ranges[list_name]}", allow_blank=True)
            dv.showErrorMessage = not multi  # several values separated by ; are allowed there
            dv.errorTitle = "不在列表中"
            dv.error = "请从下拉列表中选择"
            ws.add_data_validation(dv)
            dv.add(f"{cell.column_letter}2:{cell.column_letter}5000")
    ws.freeze_panes = "A2"
