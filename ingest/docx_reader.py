"""Word ``.docx`` notices, streamed with lxml and python-docx's element classes.

The main document part (found as Word finds it, through the package's relationships) is parsed
as it inflates, within the file's :class:`ingest.limits.Budget`: each paragraph and each table row
of the body is read when it closes and then dropped, table cells are counted as they open, so a
document of a million cells or of one endless paragraph is refused at the limit, never held whole.
The parser leaves XML entities unexpanded and reads no DTD, as python-docx's own does.

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

import posixpath
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from graph.errors import Problem, ValidationError

from .documents import normalise_cjk, sniff
from .limits import Budget, MeteredZip
from .readers import Sheet
from .table_reader import DocumentTable, document_sheets

_HEAD_BYTES = 1 << 16
_WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_OFFICE_DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"


def docx_sheets(path: Path, budget: Budget) -> Iterator[Sheet]:
    """The sheets of a Word document (see the module docs)."""
    name = str(path)
    with open(path, "rb") as fh:
        head = fh.read(_HEAD_BYTES)
    why = sniff(".docx", head)
    if why is not None:
        raise ValidationError(Problem(*why, file=name, extra={"kind": "file-unreadable"}))
    try:
        with MeteredZip(path, budget) as archive:
            tables, lines = _Body(budget).read(archive, _main_part(archive, name))
    except ValidationError:
        raise
    except Exception as exc:  # a broken package: zipfile, lxml and python-docx raise many kinds
        raise ValidationError(
            Problem(
                f"not a readable .docx document ({type(exc).__name__}: {exc})"[:300],
                f"不是可读取的 .docx 文档（{exc}）"[:300],
                file=name,
                extra={"kind": "file-unreadable"},
            )
        ) from None
    yield from document_sheets(name, tables, lines)


def _parser(**events: Any) -> Any:
    """lxml's parser as python-docx configures its own (blank text dropped, entities left
    unexpanded, python-docx's element classes), pulled from as the part inflates."""
    from docx.oxml.parser import element_class_lookup
    from lxml import etree

    parser = etree.XMLPullParser(remove_blank_text=True, resolve_entities=False, no_network=True, **events)
    parser.set_element_class_lookup(element_class_lookup)
    return parser


def _xml(archive: MeteredZip, member: str) -> Any:
    parser = _parser()
    for chunk in archive.stream(member):
        parser.feed(chunk)
    return parser.close()


def _main_part(archive: MeteredZip, file: str) -> str:
    """The package's main document part, as its relationships name it; refused unless it is a
    Word document (an ``.xlsx`` renamed ``.docx``, say)."""
    rels = _xml(archive, "_rels/.rels")
    target = next((r.get("Target", "") for r in rels if r.get("Type") == _OFFICE_DOCUMENT), "")
    part = posixpath.normpath(posixpath.join("/", target)).lstrip("/")
    kinds = _xml(archive, "[Content_Types].xml")
    found = {e.get("PartName", "").lower(): e.get("ContentType") for e in kinds if e.tag.endswith("Override")}
    default = {e.get("Extension", "").lower(): e.get("ContentType") for e in kinds if e.tag.endswith("Default")}
    content_type = found.get(f"/{part}".lower()) or default.get(posixpath.splitext(part)[1][1:].lower())
    if content_type != _WORD_MAIN:
        raise ValueError(f"file '{file}' is not a Word file, content type is '{content_type}'")
    return part


class _Body:
    """The body's tables, each with the paragraphs above it, and every paragraph as a numbered
    line, read from a streamed main part (see the module docs)."""

    def __init__(self, budget: Budget) -> None:
        from docx.oxml.ns import qn

        self.budget = budget
        self.tables: list[DocumentTable] = []
        self.lines: list[tuple[int, str]] = []
        self.above: list[str] = []
        self.grid: _Grid | None = None
        self.chars = 0
        """Characters in the paragraph or table row being read."""
        self.tags = {name: qn(f"w:{name}") for name in ("body", "p", "tbl", "tr", "tc", "t", "sdt", "sdtContent")}

    def read(self, archive: MeteredZip, part: str) -> tuple[list[DocumentTable], list[tuple[int, str]]]:
        tags = self.tags
        parser = _parser(events=("start", "end"), tag=[tags[name] for name in ("p", "tbl", "tr", "tc", "t")])
        for chunk in archive.stream(part):
            parser.feed(chunk)
            for event, element in parser.read_events():
                self._event(event, element)
        parser.close()
        return self.tables, self.lines

    def _top(self, element: Any) -> bool:
        """A child of the body, or of a content control's content there."""
        parent = element.getparent()
        while parent is not None and parent.tag == self.tags["sdtContent"]:
            control = parent.getparent()
            parent = control.getparent() if control is not None and control.tag == self.tags["sdt"] else None
        return parent is not None and parent.tag == self.tags["body"]

    def _event(self, event: str, element: Any) -> None:
        tag, tags = element.tag, self.tags
        if event == "start":
            if tag == tags["tc"]:
                self.budget.count_document_cells(
                    1, f"table {len(self.tables) + 1}", f"第 {len(self.tables) + 1} 个表格"
                )
            elif tag == tags["tbl"] and self.grid is None and self._top(element):
                self.budget.count_sheet(f"table {len(self.tables) + 1}")
                self.grid = _Grid(element)
            return
        if tag == tags["t"]:
            self.chars += len(element.text or "")
            self.budget.count_line(self.chars, len(self.lines) + 1)
        elif tag == tags["tr"] and self.grid is not None and element.getparent() is self.grid.tbl:
            cells = self.grid.add(element)
            self.budget.count_row(None, len(self.grid.rows), cells)
            self._drop(element)
        elif tag == tags["tbl"] and self.grid is not None and element is self.grid.tbl:
            self.tables.append(self.grid.table(list(self.above)))
            self.above.clear()
            self.grid = None
            self._drop(element)
        elif tag == tags["p"] and self._top(element):
            text = normalise_cjk(element.text)
            self.lines.append((len(self.lines) + 1, text))
            self.above.append(text)
            self.budget.count_row(None, len(self.lines), [text])
            self._drop(element)

    def _drop(self, element: Any) -> None:
        """Forget an element once read: memory stays that of one paragraph or table row."""
        self.chars = 0
        element.clear()
        parent = element.getparent()
        if parent is not None:
            parent.remove(element)


class _Grid:
    """One table's cells on its grid, a row at a time: merged cells resolved as the module docs say."""

    def __init__(self, tbl: Any) -> None:
        from docx.oxml.ns import qn

        self.tbl = tbl
        self.rows: list[list[str]] = []
        self.banners: set[int] = set()
        self.merged_from: dict[int, str] = {}
        self.p_tag = qn("w:p")

    def add(self, tr: Any) -> list[str]:
        p_tag = self.p_tag
        width = len(self.tbl.tblGrid.gridCol_lst) if self.tbl.tblGrid is not None else 0
        cells = [""] * width
        column = tr.grid_before
        tcs = list(tr.tc_lst)
        for tc in tcs:
            span = tc.grid_span
            if tc.vMerge == "continue":
                text = self.merged_from.get(column, "")
            else:
                text = normalise_cjk("\n".join(p.text for p in tc.iterchildren(p_tag)).strip())
                if tc.vMerge == "restart":
                    self.merged_from[column] = text
                else:
                    self.merged_from.pop(column, None)
            while len(cells) < column + span:
                cells.append("")
            cells[column] = text
            column += span
        if len(tcs) == 1 and width > 1 and tcs[0].grid_span >= width:
            self.banners.add(len(self.rows))
        self.rows.append(cells)
        return cells

    def table(self, above: list[str]) -> DocumentTable:
        wide = max((len(r) for r in self.rows), default=0)
        return DocumentTable([r + [""] * (wide - len(r)) for r in self.rows], self.banners, above)
