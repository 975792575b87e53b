"""An empty roster workbook a clerk can fill: bilingual headers, drop-down lists, notes.

The drop-downs (level, leader status, district, trade, industry, segment, alliance kind) refer to
ranges on a hidden ``lists`` sheet, because Excel's inline lists are limited to 255 characters and
there are hundreds of trades and industries.
"""

from __future__ import annotations

from pathlib import Path

from graph import taxonomy

from .columns import COLUMNS, SheetKind
from .normalise import DISTRICTS

SHEET_TITLES: dict[SheetKind, str] = {
    SheetKind.STUDIOS: "工作室",
    SheetKind.PROJECTS: "重点项目",
    SheetKind.COLLABORATIONS: "合作记录",
    SheetKind.ALLIANCES: "联盟",
}

NOTES: dict[str, str] = {
    "编号": "可不填；不填时由工作室名称和所在单位生成",
    "领衔人荣誉": "多个荣誉用分号 ; 分隔，如：全国劳动模范;上海市五一劳动奖章",
    "工种": "多个工种用分号 ; 分隔；可填名称或职业编码",
    "行业": "GB/T 4754-2017 行业代码（如 3973）或名称（如 集成电路制造）",
    "产业链环节": "多个环节用分号 ; 分隔，如 ic/fab 或 集成电路/晶圆制造",
    "命名年份": "四位数字，2000 年至今",
    "成员": "成员工作室的编号或名称，用分号 ; 分隔",
}


def write_template(path: Path) -> Path:
    """Write the template workbook to ``path`` (``.xlsx``) and return the path."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    lists: dict[str, list[str]] = {
        "level": ["全国", "市级", "区局级", "企业级"],
        "leader_status": ["在职", "退休", "离职", "已故"],
        "district": list(DISTRICTS),
        "trades": [t.name for t in taxonomy.trades()],
        "industry": [f"{i.code} {i.name}" for i in taxonomy.industries() if i.level.value == "class"],
        "segments": [s.id for s in taxonomy.segments()],
        "kind": ["同工种", "同行业", "跨领域", "产业链", "重点项目"],
        "chain": [c.name for c in taxonomy.chains()],
    }
    wb = Workbook()
    notes = wb.active
    assert notes is not None
    notes.title = "说明"
    for line in (
        "劳模创新工作室名单模板 / Studio roster template",
        "每个工作表第一行是表头，请勿修改表头；从第二行开始填写，一行一个工作室（或项目、合作、联盟）。",
        "Row 1 of each sheet is the header (Chinese, with the English column name in the cell note); fill from row 2.",
        "必填列标为红色：工作室名称、领衔人、所在单位。Required columns are red.",
        "下拉列表来自国家标准 GB/T 4754-2017、2022 年版职业分类大典和上海“3+6”重点产业链。",
        "行业列下拉显示“代码 名称”，填入任一即可（代码、名称或“代码 名称”）。",
    ):
        notes.append([line])
    notes.column_dimensions["A"].width = 110
    hidden = wb.create_sheet("lists")
    ranges: dict[str, str] = {}
    for col, (name, values) in enumerate(lists.items(), start=1):
        letter = hidden.cell(row=1, column=col).column_letter
        hidden.cell(row=1, column=col, value=name)
        for row, value in enumerate(values, start=2):
            hidden.cell(row=row, column=col, value=value)
        ranges[name] = f"lists!${letter}$2:${letter}${len(values) + 1}"
    hidden.sheet_state = "hidden"
    red = Font(bold=True, color="C00000")
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    for kind, title in SHEET_TITLES.items():
        ws = wb.create_sheet(title)
        columns = [c for c in COLUMNS[kind] if c.name != "seq"]
        for col, column in enumerate(columns, start=1):
            header = column.zh or column.headers[0]
            cell = ws.cell(row=1, column=col, value=header)
            cell.font = red if column.required else bold
            cell.fill = fill
            note = f"{column.name}" + (f"：{NOTES[header]}" if header in NOTES else "")
            cell.comment = Comment(note, "studio-alliances")
            ws.column_dimensions[cell.column_letter].width = max(12, len(header) * 2 + 4)
            list_name = "kind" if kind is SheetKind.ALLIANCES and column.name == "kind" else column.name
            if kind is SheetKind.PROJECTS and column.name == "chain":
                list_name = "chain"
            if list_name in ranges and not (kind is SheetKind.PROJECTS and column.name == "segments"):
                multi = list_name in {"trades", "segments"}
                dv = DataValidation(type="list", formula1=f"={ranges[list_name]}", allow_blank=True)
                dv.showErrorMessage = not multi  # several values separated by ; are allowed there
                dv.errorTitle = "不在列表中"
                dv.error = "请从下拉列表中选择"
                ws.add_data_validation(dv)
                dv.add(f"{cell.column_letter}2:{cell.column_letter}5000")
        ws.freeze_panes = "A2"
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path
