"""Regenerate the illustrative sample files in this folder (示例数据，纯属虚构，并非真实名单).

    python samples/make_samples.py            # writes beside this script
    python samples/make_samples.py OUT_DIR    # writes into OUT_DIR instead

The output is deterministic: the same files, byte for byte, on every run (for one version of
openpyxl, python-docx, xlwt and reportlab): the Word notice's zip entries and core properties carry
a fixed time, the PDF is written with reportlab's ``invariant=1`` (fixed dates and document id) and
the .xls workbook holds no time at all.
"""

from __future__ import annotations

import os
import sys
from itertools import groupby
from pathlib import Path

# The committed workbook was written by openpyxl's own XML writer; with lxml installed (python-docx
# needs it) openpyxl would switch to lxml's and change the bytes, though not the cells. Keep its own.
os.environ.setdefault("OPENPYXL_LXML", "False")

from ingest.synthetic import (
    NAMING_LIST_HEADERS,
    Roster,
    _normalise_zip,
    generate,
    naming_list,
    write_csv,
    write_xlsx,
)

HERE = Path(__file__).resolve().parent
ROSTER_FILE = "shanghai-roster-illustrative.xlsx"
NAMING_LIST_FILE = "naming-list-2024-illustrative.csv"
N_STUDIOS, SEED = 320, 2019
NAMING_COUNT, NAMING_SEED = 40, 2024
NOTICE_SEED = 2025
NOTICE_FILES = {
    "docx": "naming-notice-2025-illustrative.docx",
    "xls": "naming-notice-2025-illustrative.xls",
    "pdf": "naming-notice-2025-illustrative.pdf",
    "txt": "naming-notice-2025-illustrative.txt",
}
NOTICE_TITLE = "2025年度劳模创新工作室命名名单"
ILLUSTRATIVE = "示例数据，纯属虚构，并非真实名单"


def sample_roster() -> Roster:
    """The roster behind ``shanghai-roster-illustrative.xlsx``."""
    return generate(N_STUDIOS, seed=SEED)


def main(out: Path = HERE) -> list[Path]:
    """Write the sample files into ``out``; return their paths."""
    roster = sample_roster()
    roster_path = out / ROSTER_FILE
    write_xlsx(
        roster,
        roster_path,
        note=f"ingest.synthetic.generate({N_STUDIOS}, seed={SEED})；重新生成：python samples/make_samples.py",
    )
    naming_path = out / NAMING_LIST_FILE
    rows = naming_list(NAMING_COUNT, seed=NAMING_SEED, exclude=roster)
    write_csv(rows, naming_path, encoding="gb18030", headers=NAMING_LIST_HEADERS)
    notices = notice_rows(roster, rows)
    writers = {"docx": write_notice_docx, "xls": write_notice_xls, "pdf": write_notice_pdf, "txt": write_notice_txt}
    paths = [roster_path, naming_path]
    for kind, writer in writers.items():
        path = out / NOTICE_FILES[kind]
        writer(notices[kind], path)
        paths.append(path)
    return paths


# -- the notices in the formats unions publish -------------------------------------------------------
def notice_rows(roster: Roster, naming: list[dict[str, str]]) -> dict[str, list[dict[str, str]]]:
    """Eight fictional studios for each notice, none in the roster or the 2024 naming list, in runs of
    two to three studios of one recommending union (so that the notices merge that cell over them)."""
    taken = {r["工作室名称"] for r in naming}
    pool = [r for r in naming_list(120, seed=NOTICE_SEED, exclude=roster) if r["工作室名称"] not in taken]
    pool.sort(key=lambda r: r["推荐单位"])
    runs = [group for _, g in groupby(pool, key=lambda r: r["推荐单位"]) if len(group := list(g)[:3]) >= 2]
    out: dict[str, list[dict[str, str]]] = {}
    for kind in NOTICE_FILES:
        chosen: list[dict[str, str]] = []
        while len(chosen) < 8:
            chosen.extend(runs.pop(0)[: 8 - len(chosen)])
        out[kind] = [{**r, "序号": str(i)} for i, r in enumerate(chosen, start=1)]
    return out


def _runs(rows: list[dict[str, str]]) -> list[tuple[int, int, str]]:
    """(first index, last index, union) of each run of rows with one recommending union."""
    runs: list[tuple[int, int, str]] = []
    for index, row in enumerate(rows):
        if runs and runs[-1][2] == row["推荐单位"]:
            runs[-1] = (runs[-1][0], index, row["推荐单位"])
        else:
            runs.append((index, index, row["推荐单位"]))
    return runs


_NOTICE_COLUMNS = ("序号", "推荐单位", "工作室名称", "领衔人", "所在单位")


def write_notice_docx(rows: list[dict[str, str]], path: Path) -> None:
    """A Word notice: 附件, a title paragraph, then one table whose 推荐单位 cell is merged down over
    each union's studios, as a district or industry union's office writes it."""
    import datetime as dt

    import docx

    document = docx.Document()
    properties = document.core_properties
    properties.author = properties.last_modified_by = "studio-alliances (illustrative data)"
    properties.title = ILLUSTRATIVE
    properties.created = properties.modified = dt.datetime(2025, 1, 1)
    document.add_paragraph("附件")
    document.add_paragraph(f"{NOTICE_TITLE}（{ILLUSTRATIVE}）")
    table = document.add_table(rows=len(rows) + 1, cols=len(_NOTICE_COLUMNS))
    table.style = "Table Grid"
    for column, header in enumerate(_NOTICE_COLUMNS):
        table.cell(0, column).text = header
    for index, row in enumerate(rows, start=1):
        for column, header in enumerate(_NOTICE_COLUMNS):
            if header != "推荐单位":
                table.cell(index, column).text = row[header]
    for first, last, union in _runs(rows):
        table.cell(first + 1, 1).merge(table.cell(last + 1, 1)).text = union
    document.add_paragraph(f"说明：{ILLUSTRATIVE}；由 samples/make_samples.py 生成。")
    temporary = path.with_name(path.name + ".tmp")
    try:
        document.save(str(temporary))
        _normalise_zip(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def write_notice_xls(rows: list[dict[str, str]], path: Path) -> None:
    """An Excel 97-2003 list: a title merged across the table above the header, 推荐单位 merged down."""
    import xlwt

    workbook = xlwt.Workbook(encoding="utf-8")
    sheet = workbook.add_sheet("命名名单")
    sheet.write_merge(0, 0, 0, len(_NOTICE_COLUMNS) - 1, f"{NOTICE_TITLE}（{ILLUSTRATIVE}）")
    for column, header in enumerate(_NOTICE_COLUMNS):
        sheet.write(1, column, header)
    for index, row in enumerate(rows, start=2):
        for column, header in enumerate(_NOTICE_COLUMNS):
            if header == "序号":
                sheet.write(index, column, int(row[header]))
            elif header != "推荐单位":
                sheet.write(index, column, row[header])
    for first, last, union in _runs(rows):
        sheet.write_merge(first + 2, last + 2, 1, 1, union)
    workbook.save(str(path))


def write_notice_pdf(rows: list[dict[str, str]], path: Path) -> None:
    """A PDF notice with a text layer (reportlab's built-in CID font STSong-Light): a title, then a
    ruled table with narrow columns, so that long employers wrap inside their cells."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    body = ParagraphStyle("notice", fontName="STSong-Light", fontSize=10, leading=13, wordWrap="CJK")
    title = ParagraphStyle("title", parent=body, fontSize=14, leading=20, alignment=1)
    columns = ("序号", "工作室名称", "领衔人", "所在单位", "推荐单位")
    data: list[list[object]] = [list(columns)]
    for row in rows:
        data.append(
            [row["序号"], Paragraph(row["工作室名称"], body), row["领衔人"], Paragraph(row["所在单位"], body), ""]
        )
    spans = []
    for first, last, union in _runs(rows):
        data[first + 1][4] = Paragraph(union, body)
        if last > first:
            spans.append(("SPAN", (4, first + 1), (4, last + 1)))
    table = Table(data, colWidths=[32, 150, 50, 120, 110], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, "black"),
                ("FONT", (0, 0), (-1, -1), "STSong-Light", 10),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                *spans,
            ]
        )
    )
    document = SimpleDocTemplate(
        str(path), pagesize=A4, invariant=1, title=ILLUSTRATIVE, author="studio-alliances (illustrative data)"
    )
    document.build(
        [
            Paragraph(f"{NOTICE_TITLE}（{ILLUSTRATIVE}）", title),
            Spacer(1, 10),
            table,
            Spacer(1, 10),
            Paragraph(f"说明：{ILLUSTRATIVE}；由 samples/make_samples.py 生成。", body),
        ]
    )


def write_notice_txt(rows: list[dict[str, str]], path: Path) -> None:
    """A notice as copied from a union's web page: 附件, the title, the count, then each union as a
    heading with its count over its numbered studio lines (employer after a full-width space, in
    brackets, after a tab or after spaces); no leader, as such notices print none. UTF-8."""
    separators = ("\u3000", "（{}）", "\t", "  ")
    lines = ["附件", f"{NOTICE_TITLE}（{ILLUSTRATIVE}）", f"（{len(rows)}个）"]
    for first, last, union in _runs(rows):
        lines.append(f"{union}（{last - first + 1}个）")
        for index in range(first, last + 1):
            row = rows[index]
            separator = separators[index % len(separators)]
            employer = separator.format(row["所在单位"]) if "{}" in separator else separator + row["所在单位"]
            lines.append(f"{row['序号']}、{row['工作室名称']}{employer}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8", newline="\n")


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE
    for path in main(target):
        print(path)
