"""Downloads: a result as a table with Chinese headers, written as CSV (UTF-8 with a byte-order
mark, so that Excel shows the Chinese) or XLSX. Each table is built from the same JSON the command
line prints (``--json``), so a download and the CLI's output never disagree.

The command line (``--out``) and the web console both use these.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graph.labels import ALLIANCE_KIND_ZH, ALLIANCE_STATUS_ZH

Cell = str | int | float | None

FORMATS = ("csv", "xlsx")
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Table:
    """A sheet: its title (the XLSX sheet's name, at most 31 characters), headers and rows."""

    title: str
    headers: list[str]
    rows: list[list[Cell]]
    widths: Sequence[int] = ()

    def csv_bytes(self) -> bytes:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(self.headers)
        writer.writerows([_inert(c) for c in row] for row in self.rows)
        return buffer.getvalue().encode("utf-8-sig")

    def xlsx_bytes(self) -> bytes:
        from openpyxl import Workbook
        from openpyxl.styles import Alignment, Font
        from openpyxl.utils import get_column_letter

        book = Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.title = self.title[:31]
        sheet.append(self.headers)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in self.rows:
            sheet.append(row)
        for row_cells in sheet.iter_rows(min_row=2):
            for cell in row_cells:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"  # text, as typed: openpyxl would store it as a formula
        for n, header in enumerate(self.headers, start=1):
            width = self.widths[n - 1] if n - 1 < len(self.widths) else max(10, min(40, 2 * len(header) + 4))
            sheet.column_dimensions[get_column_letter(n)].width = width
        for row_cells in sheet.iter_rows(min_row=2):
            for cell in row_cells:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.freeze_panes = "B2"
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()

    def encode(self, fmt: str) -> bytes:
        if fmt == "csv":
            return self.csv_bytes()
        if fmt == "xlsx":
            return self.xlsx_bytes()
        raise ValueError(f"write a table as csv or xlsx, not {fmt!r}")

    def write(self, path: Path) -> None:
        """Write to ``path``; its suffix (.csv or .xlsx) picks the format."""
        fmt = path.suffix.lower().lstrip(".")
        data = self.encode(fmt)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def _inert(value: Cell) -> Cell:
    """A CSV cell that a spreadsheet would run as a formula (``=HYPERLINK(…)`` in a studio's name)
    gets a leading apostrophe, which makes it text (CSV has no cell types; XLSX cells are typed)."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _join(values: Iterable[Any]) -> str:
    return "；".join(str(v) for v in values)


def suggestions_table(suggestions: Sequence[Mapping[str, Any]]) -> Table:
    """``alliances suggest --json``: one row per suggested partner."""
    components = sorted({c for s in suggestions for c in s.get("components", {})})
    headers = ["工作室编号", "伙伴类型", "伙伴编号", "伙伴名称", "得分", "同一单位", "理由", "理由（英文）"]
    headers += [f"分项·{c}" for c in components]
    rows: list[list[Cell]] = [
        [
            s["studio_id"],
            ALLIANCE_KIND_ZH.get(s["kind"], s["kind"]),
            s["partner_id"],
            s["partner_name"],
            round(float(s["score"]), 4),
            "是" if s.get("same_employer") else "否",
            _join(s.get("reasons", [])),
            _join(s.get("reasons_en", [])),
            *(s.get("components", {}).get(c) for c in components),
        ]
        for s in suggestions
    ]
    return Table("伙伴推荐", headers, rows, (14, 12, 14, 30, 8, 8, 60, 60))


def alliances_table(alliances: Sequence[Mapping[str, Any]], names: Mapping[str, str] | None = None) -> Table:
    """``alliances alliance list --json`` (proposals are alliances in status ``proposed``)."""
    names = names or {}
    headers = ["联盟编号", "联盟名称", "类型", "状态", "成员数", "成员", "牵头工作室", "得分", "已覆盖", "未覆盖",
               "理由", "产业链", "重点项目", "原成员"]  # fmt: skip
    rows: list[list[Cell]] = [
        [
            a["id"],
            a["name"],
            ALLIANCE_KIND_ZH.get(a["kind"], a["kind"]),
            ALLIANCE_STATUS_ZH.get(a["status"], a["status"]),
            len(a.get("member_ids", [])),
            _join(f"{names.get(m, m)}（{m}）" if m in names else m for m in a.get("member_ids", [])),
            a.get("lead_studio_id") or "",
            a.get("score"),
            _join(a.get("covered", [])),
            _join(a.get("uncovered", [])),
            _join(a.get("reasons", [])),
            a.get("chain_id") or "",
            a.get("project_id") or "",
            _join(a.get("former_member_ids", [])),
        ]
        for a in alliances
    ]
    return Table("联盟", headers, rows, (16, 30, 12, 10, 8, 60, 14, 8, 30, 30, 60, 12, 12, 20))


def gaps_table(report: Mapping[str, Any]) -> Table:
    """``alliances gaps --json``: one row per segment (or barrier), fill candidates in one cell."""
    headers = ["产业链编号", "产业链", "优先级", "环节编号", "环节", "阶段", "下游环节编号", "下游环节", "状态",
               "工作室数", "其中推断", "全国劳模领衔", "已组建联盟", "补位候选"]  # fmt: skip
    rows: list[list[Cell]] = []
    for g in report.get("gaps", []):
        candidates = _join(
            f"{c['name']}（{c['studio_id']}）"
            + (f" ↔ {c['partner_name']}（{c['partner_id']}）" if c.get("partner_id") else "")
            + f" {c['score']:.2f}"
            for c in g.get("candidates", [])
        )
        rows.append(
            [
                g["chain"],
                g["chain_name"],
                g["priority"],
                g["segment"],
                g["segment_name"],
                g.get("stage", ""),
                g.get("downstream") or "",
                g.get("downstream_name") or "",
                g.get("status_zh") or g["status"],
                g["studios"],
                g.get("inferred", 0),
                g.get("national_leaders", 0),
                g.get("alliances", 0),
                candidates,
            ]
        )
    return Table("缺口雷达", headers, rows, (12, 20, 8, 12, 22, 8, 12, 22, 8, 8, 8, 10, 10, 80))


def assessment_table(headers: list[str], rows: list[list[str]]) -> Table:
    """The yearly assessment (:meth:`graph.lifecycle.Assessment.table`)."""
    return Table("年度考核", headers, [list(r) for r in rows], (14, 28, 18, 12, 10, 10, 60, 30, 30, 30, 30, 30))


def naming_table(candidates: Sequence[Mapping[str, Any]]) -> Table:
    """``alliances naming --json``: candidates for municipal naming (Articles 6–7), in rank order."""
    verdicts = {"met": "符合", "not-met": "不符合", "unknown": "资料不全"}
    headers = ["排名", "工作室编号", "工作室名称", "全国劳模领衔", "近三年效益成果", "区局命名年份", "条件结论", "理由"]
    rows: list[list[Cell]] = [
        [c["rank"], c["studio_id"], c["name"], "是" if c["national_leader"] else "否", c["results"],
         c.get("named_year"), verdicts.get(c["verdict"], c["verdict"]), _join(c.get("reasons", []))]
        for c in candidates
    ]  # fmt: skip
    return Table("市级命名候选", headers, rows, (6, 14, 30, 12, 14, 12, 10, 60))


def funding_table(checks: Sequence[Mapping[str, Any]]) -> Table:
    """``alliances funding --json``: per studio, the subsidy, the union's match, the employer's funds
    and the shortfall of the 1:1 match (Article 10), in yuan."""
    headers = [
        "工作室编号",
        "工作室名称",
        "市总工会补贴（元）",
        "区局（产业）工会配套（元）",
        "所在单位（元）",
        "配套缺口（元）",
        "是否 1:1 配套",
    ]
    rows: list[list[Cell]] = [
        [
            f["studio_id"],
            f["name"],
            f["municipal"],
            f["union"],
            f["employer"],
            f["shortfall"],
            "是" if f["matched"] else "否",
        ]
        for f in checks
    ]
    return Table("经费配套", headers, rows, (14, 30, 18, 24, 16, 16, 14))
