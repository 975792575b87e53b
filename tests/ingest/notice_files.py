"""Builders for the notices the reader tests read: Word, Excel 97-2003, PDF and text files made in
the test's temporary folder, with fictional studios, and the one-line check for refused files."""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

from graph.file_store import FileStore
from ingest.pipeline import IngestReport, ingest
from ingest.readers import read_file

Row = dict[str, str]

STUDIOS: list[Row] = [
    {"序号": "1", "推荐单位": "上海市示例机电工会", "所在区": "嘉定区", "工作室名称": "张建华劳模创新工作室",
     "领衔人": "张建华", "所在单位": "上海示例车轮制造有限公司"},
    {"序号": "2", "推荐单位": "上海市示例机电工会", "所在区": "嘉定区", "工作室名称": "李秀英创新工作室",
     "领衔人": "李秀英", "所在单位": "上海示例精密模具有限公司"},
    {"序号": "3", "推荐单位": "上海市示例机电工会", "所在区": "浦东新区", "工作室名称": "王志强技能大师工作室",
     "领衔人": "王志强", "所在单位": "上海示例液压气动有限公司"},
    {"序号": "4", "推荐单位": "浦东新区总工会", "所在区": "浦东新区", "工作室名称": "赵丽娟劳模创新工作室",
     "领衔人": "赵丽娟", "所在单位": "上海示例微电子（集团）有限公司"},
]  # fmt: skip
"""Four fictional studios: the first three recommended by one union (a cell merged over them)."""


def rows_read(path: Path) -> list[tuple[str | None, int, dict[str, str], dict[str, str]]]:
    """(sheet, row number, values by column, extras) of every row the readers give for ``path``."""
    return [(sheet.sheet, number, values, extra) for sheet in read_file(path) for number, values, extra in sheet.rows]


def names_and_employers(path: Path) -> list[tuple[str, str]]:
    return [(values["name"], values.get("employer", "")) for _, _, values, _ in rows_read(path)]


def load(store_path: Path, *paths: Path) -> IngestReport:
    """Ingest into the file store at ``store_path`` (a fresh store the first time)."""
    return ingest(paths, FileStore(store_path), classify=False)


def one_line(report: IngestReport, path: Path) -> str:
    """The single problem of a refused file, checked to name the file and to say it in both languages."""
    assert not report.ok and not report.written
    assert len(report.problems) == 1, [p.describe() for p in report.problems]
    problem = report.problems[0]
    assert problem.file == str(path)
    assert problem.message and problem.message_zh
    assert "\n" not in problem.describe()
    return problem.describe()


# -- Word -------------------------------------------------------------------------------------------
def docx_notice(
    path: Path,
    rows: Sequence[Row],
    *,
    columns: Sequence[str] = ("序号", "推荐单位", "工作室名称", "领衔人", "所在单位"),
    merge: str | None = "推荐单位",
    above: Sequence[str] = ("附件", "2024年上海市劳模创新工作室命名名单"),
    banner: str | None = None,
    below: Sequence[str] = (),
) -> Path:
    """A Word notice: paragraphs ``above``, one table (a ``banner`` row spanning it above the header
    if given), the ``merge`` column's cell merged down over each run of equal values."""
    import docx

    document = docx.Document()
    for text in above:
        document.add_paragraph(text)
    offset = 1 if banner else 0
    table = document.add_table(rows=len(rows) + 1 + offset, cols=len(columns))
    if banner:
        table.cell(0, 0).merge(table.cell(0, len(columns) - 1)).text = banner
    for column, header in enumerate(columns):
        table.cell(offset, column).text = header
    for index, row in enumerate(rows, start=offset + 1):
        for column, header in enumerate(columns):
            if header != merge:
                table.cell(index, column).text = row[header]
    if merge is not None:
        at = list(columns).index(merge)
        start = 0
        for index in range(1, len(rows) + 1):
            if index == len(rows) or rows[index][merge] != rows[start][merge]:
                cell = table.cell(start + offset + 1, at)
                if index - 1 > start:
                    cell = cell.merge(table.cell(index + offset, at))
                cell.text = rows[start][merge]
                start = index
    for text in below:
        document.add_paragraph(text)
    document.save(str(path))
    return path


# -- Excel 97-2003 ----------------------------------------------------------------------------------
def xls_bytes(sheets: dict[str, list[list[object]]], merges: dict[str, list[tuple[int, int, int, int]]]) -> bytes:
    """A BIFF8 workbook (xlwt): each sheet's rows, and merged ranges (first row, last row, first
    column, last column; inclusive) whose value is the range's first cell."""
    import datetime as dt

    import xlwt

    workbook = xlwt.Workbook(encoding="utf-8")
    date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    for title, rows in sheets.items():
        sheet = workbook.add_sheet(title)
        covered = {
            (r, c) for r1, r2, c1, c2 in merges.get(title, []) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)
        }
        for r1, r2, c1, c2 in merges.get(title, []):
            sheet.write_merge(r1, r2, c1, c2, rows[r1][c1])
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if (r, c) in covered or value is None:
                    continue
                if isinstance(value, dt.date):
                    sheet.write(r, c, value, date_style)
                else:
                    sheet.write(r, c, value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def with_filepass(data: bytes) -> bytes:
    """The workbook with a FILEPASS record (XOR obfuscation) right after its first BOF, as Excel
    writes a password-protected file: the records INTERFACEHDR, MMS and INTERFACEEND that xlwt puts
    there (16 bytes) give way to FILEPASS (10 bytes) and MMS (6 bytes), so no stream changes size."""
    bof = data.index(b"\x09\x08\x10\x00")
    after = bof + 4 + 16
    replaced = bytes.fromhex("e1000200b004c10002000000e2000000")
    assert data[after : after + 16] == replaced, data[after : after + 16].hex()
    filepass = bytes.fromhex("2f000600000034127856") + bytes.fromhex("c10002000000")
    return data[:after] + filepass + data[after + 16 :]


# -- PDF --------------------------------------------------------------------------------------------
def _cid_font() -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    return "STSong-Light"


def pdf_table(
    path: Path,
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    title: str | None = "2024年上海市劳模创新工作室命名名单",
    widths: Sequence[float] | None = None,
    spans: Sequence[tuple[int, int, int, int]] = (),
    repeat_header: bool = True,
    encrypt: str | None = None,
) -> Path:
    """A PDF (reportlab, text layer in STSong-Light) with a title and one ruled table; cells wrap
    inside ``widths``; ``spans`` are (column, first row, column, last row) of merged cells, rows
    counted from the header (0); a table longer than a page repeats its header unless told not."""
    from reportlab.lib import pdfencrypt
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    font = _cid_font()
    style = ParagraphStyle("cell", fontName=font, fontSize=10, leading=12, wordWrap="CJK")
    data: list[list[object]] = [list(header)] + [[Paragraph(cell, style) for cell in row] for row in rows]
    table = Table(data, colWidths=list(widths) if widths else None, repeatRows=1 if repeat_header else 0)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, "black"),
                ("FONT", (0, 0), (-1, -1), font, 10),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                *(("SPAN", (c1, r1), (c2, r2)) for c1, r1, c2, r2 in spans),
            ]
        )
    )
    options: dict[str, object] = {"pagesize": A4, "invariant": 1}
    if encrypt:
        options["encrypt"] = pdfencrypt.StandardEncryption(encrypt, ownerPassword=encrypt + "-owner")
    document = SimpleDocTemplate(str(path), **options)
    story: list[object] = [Paragraph(title, style), Spacer(1, 12)] if title else []
    document.build([*story, table])
    return path


def pdf_text_layer(path: Path, lines: Sequence[str]) -> Path:
    """A one-page PDF written by hand whose only font maps its one-byte codes to the characters of
    ``lines`` through a ToUnicode CMap, as PDF producers embed subset fonts. This is how radicals
    such as ⼯ (U+2F2F) reach the text layer; the glyphs drawn are irrelevant to a reader."""
    chars = sorted({char for line in lines for char in line})
    assert len(chars) <= 200
    code = {char: 0x30 + index for index, char in enumerate(chars)}
    entries = [f"<{code[c]:02X}> <{''.join(f'{u:04X}' for u in _utf16(c))}>" for c in chars]
    blocks = "".join(
        f"{len(chunk)} beginbfchar\n" + "\n".join(chunk) + "\nendbfchar\n"
        for chunk in (entries[i : i + 100] for i in range(0, len(entries), 100))
    )
    cmap = (
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
        "/CMapName /Notice def /CMapType 2 def\n1 begincodespacerange\n<00> <FF>\nendcodespacerange\n"
        f"{blocks}endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n"
    ).encode()
    content = "BT\n/F1 12 Tf\n"
    for index, line in enumerate(lines):
        content += f"1 0 0 1 40 {800 - 20 * index} Tm <{''.join(f'{code[c]:02X}' for c in line)}> Tj\n"
    content_bytes = (content + "ET\n").encode()
    widths = " ".join(["1000"] * 256)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents 5 0 R >>",
        f"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /FirstChar 0 /LastChar 255 /Widths [{widths}] "
        f"/ToUnicode 6 0 R >>".encode(),
        b"<< /Length %d >>\nstream\n" % len(content_bytes) + content_bytes + b"endstream",
        b"<< /Length %d >>\nstream\n" % len(cmap) + cmap + b"endstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(bytes(out))
    return path


def _utf16(char: str) -> list[int]:
    data = char.encode("utf-16-be")
    return [int.from_bytes(data[i : i + 2], "big") for i in range(0, len(data), 2)]


def pdf_image_only(path: Path) -> Path:
    """A PDF whose one page is a picture of a list (a scan): no text layer at all."""
    from PIL import Image, ImageDraw
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    picture = Image.new("RGB", (400, 200), "white")
    draw = ImageDraw.Draw(picture)
    for y in range(20, 200, 30):
        draw.line((10, y, 390, y), fill="black", width=2)
    page = canvas.Canvas(str(path), invariant=1)
    page.drawImage(ImageReader(picture), 50, 500, width=400, height=200)
    page.showPage()
    page.save()
    return path


def pdf_blank(path: Path) -> Path:
    """A PDF of two pages with nothing on them but a ruled frame."""
    from reportlab.pdfgen import canvas

    page = canvas.Canvas(str(path), invariant=1)
    for _ in range(2):
        page.rect(50, 50, 400, 600)
        page.showPage()
    page.save()
    return path
