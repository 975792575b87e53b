"""Word ``.docx`` notices, read with python-docx.

Every top-level table of the body (tables in content controls too) becomes a sheet through
:mod:`ingest.table_reader`. Cells are read from the document's own grid, row by row, so that:

- a vertically merged cell (``w:vMerge``, the 区 or 推荐单位 cell a clerk merges over several rows)
  gives its value to every row it spans;
- a horizontally merged cell (``w:gridSpan``) holds its value in its first grid column and leaves
  the others empty, so that a header cell spanning two columns is not read as two headers; a row
  that is one cell spanning the table is a banner (a title above the header, a heading below it);
- a nested table is not read: a cell's text is its own paragraphs, joined by line breaks.

Paragraphs are read only as the titles and headings above each table, or, in a document with no
table of studios, as lines of pasted text. A ``.docx`` that is an OLE2 file is either encrypted
(Word writes a password-protected document as an OLE2 container) or an old ``.doc``: both refused
with one line, as is a broken zip.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from graph.errors import Problem, ValidationError

from .documents import normalise_cjk, sniff
from .readers import Sheet
from .table_reader import DocumentTable, document_sheets

_HEAD_BYTES = 1 << 16


def docx_sheets(path: Path) -> Iterator[Sheet]:
    """The sheets of a Word document (see the module docs)."""
    name = str(path)
    with open(path, "rb") as fh:
        head = fh.read(_HEAD_BYTES)
    why = sniff(".docx", head)
    if why is not None:
        raise ValidationError(Problem(*why, file=name))
    try:
        tables, lines = _read(path)
    except Exception as exc:  # a broken package: python-docx and zipfile raise many kinds
        raise ValidationError(
            Problem(
                f"not a readable .docx document ({type(exc).__name__}: {exc})"[:300],
                f"不是可读取的 .docx 文档（{exc}）"[:300],
                file=name,
            )
        ) from None
    yield from document_sheets(name, tables, lines)


def _read(path: Path) -> tuple[list[DocumentTable], list[tuple[int, str]]]:
    """The body's tables, each with the paragraphs above it, and every paragraph as a numbered line."""
    import docx
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    document = docx.Document(str(path))
    tables: list[DocumentTable] = []
    lines: list[tuple[int, str]] = []
    above: list[str] = []
    p_tag, tbl_tag, sdt_tag, content_tag = qn("w:p"), qn("w:tbl"), qn("w:sdt"), qn("w:sdtContent")

    def walk(parent: Any) -> None:
        for child in parent.iterchildren():
            if child.tag == p_tag:
                text = normalise_cjk(Paragraph(child, document).text)
                lines.append((len(lines) + 1, text))
                above.append(text)
            elif child.tag == tbl_tag:
                tables.append(_table(child, list(above), document))
                above.clear()
            elif child.tag == sdt_tag:
                for content in child.iterchildren(content_tag):
                    walk(content)

    walk(document.element.body)
    return tables, lines


def _table(tbl: Any, above: list[str], document: Any) -> DocumentTable:
    """A table's cells on its grid: merged cells resolved as the module docs say."""
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    p_tag = qn("w:p")
    width = len(tbl.tblGrid.gridCol_lst) if tbl.tblGrid is not None else 0
    rows: list[list[str]] = []
    banners: set[int] = set()
    merged_from: dict[int, str] = {}
    for index, tr in enumerate(tbl.tr_lst):
        cells = [""] * width
        column = tr.grid_before
        tcs = list(tr.tc_lst)
        for tc in tcs:
            span = tc.grid_span
            if tc.vMerge == "continue":
                text = merged_from.get(column, "")
            else:
                text = normalise_cjk("\n".join(Paragraph(p, document).text for p in tc.iterchildren(p_tag)).strip())
                if tc.vMerge == "restart":
                    merged_from[column] = text
                else:
                    merged_from.pop(column, None)
            while len(cells) < column + span:
                cells.append("")
            cells[column] = text
            column += span
        if len(tcs) == 1 and width > 1 and tcs[0].grid_span >= width:
            banners.add(index)
        rows.append(cells)
    wide = max((len(r) for r in rows), default=0)
    return DocumentTable([r + [""] * (wide - len(r)) for r in rows], banners, above)
