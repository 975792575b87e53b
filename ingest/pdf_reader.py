"""PDF notices with a text layer, read with pdfplumber (on pdfminer.six).

Each page's ruled tables are found with pdfplumber's table finder and go through
:mod:`ingest.table_reader` like Word tables:

- the lines a cell's text wraps onto are joined (:func:`ingest.documents.join_wrapped`: nothing
  between Chinese characters, a space between Latin words);
- a cell merged over several rows (pdfplumber leaves the rows below it empty, ``None``) gives its
  value to each row it covers, decided from the cells' boxes; a cell merged across columns keeps
  its value in its first column, and a row that is one cell spanning the table is a banner;
- the first table on a page may continue the last table of the page before: it joins that sheet
  when it has the same number of columns and starts with no header or with the same header (a
  header repeated on each page is dropped), unless a title or heading stands above it;
- the text above a table on its page gives its title and headings; a PDF with no table of
  studios is read as the lines of pasted text.

The characters PDF fonts emit for radicals (⼯, ⻋, ⻓) are mapped to the ideographs they stand for
(:func:`ingest.documents.normalise_cjk`). A PDF with no text on any page (a scan) is refused, never
read as empty; an encrypted or broken PDF is refused with one line.

Within the file's :class:`ingest.limits.Budget`: every deflated stream in the file is inflated once,
counting, before the PDF is parsed (pdfminer inflates a stream whole, so a stream bomb must be
caught before it does); the page count is checked before any page is read, and pages are read one
at a time; and each page's characters, paths, images and form drawings are counted as pdfminer
draws them, so a page of absurd content stops at ``page_objects``.
"""

from __future__ import annotations

import mmap
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pdfminer.layout import LTPage
from pdfminer.pdfinterp import PDFPageInterpreter
from pdfplumber.page import Page, PDFPageAggregatorWithMarkedContent

from graph.errors import Problem, ValidationError

from .documents import ENCRYPTED, join_wrapped, normalise_cjk, sniff
from .limits import Budget
from .readers import Sheet
from .table_reader import DocumentTable, document_sheets

NO_TEXT_LAYER = (
    "the PDF has no text layer (a scan?); export it with text, or type it into the template",
    "PDF 没有文字层（可能是扫描件），请导出带文字的 PDF，或填写名单模板",
)
_HEAD_BYTES = 1 << 16
_TOLERANCE = 1.0
"""Points by which boxes may miss each other and still be taken as touching."""


@dataclass
class _Page:
    tables: list[DocumentTable] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    """Text lines outside the page's tables, top to bottom."""
    has_text: bool = False


def pdf_sheets(path: Path, budget: Budget) -> Iterator[Sheet]:
    """The sheets of a PDF notice (see the module docs)."""
    name = str(path)
    with open(path, "rb") as fh:
        head = fh.read(_HEAD_BYTES)
    why = sniff(".pdf", head)
    if why is not None:
        raise ValidationError(Problem(*why, file=name, extra={"kind": "file-unreadable"}))
    try:
        pages = _read(path, budget)
    except ValidationError:
        raise
    except Exception as exc:  # pdfminer raises many kinds on broken files; pdfplumber wraps some
        if _encrypted(exc):
            raise ValidationError(Problem(*ENCRYPTED, file=name, extra={"kind": "file-unreadable"})) from None
        cause = exc.args[0] if exc.args and isinstance(exc.args[0], Exception) else exc
        raise ValidationError(
            Problem(
                f"not a readable PDF ({type(cause).__name__}: {cause})"[:300],
                f"不是可读取的 PDF 文件（{cause}）"[:300],
                file=name,
                extra={"kind": "file-unreadable"},
            )
        ) from None
    if not any(page.has_text for page in pages):
        raise ValidationError(Problem(*NO_TEXT_LAYER, file=name, extra={"kind": "file-unreadable"}))
    tables = [table for page in pages for table in page.tables]
    lines = list(enumerate((line for page in pages for line in page.lines), start=1))
    yield from document_sheets(name, tables, lines)


def inflate_streams(data: bytes | mmap.mmap, budget: Budget) -> None:
    """Inflate every deflated stream of a PDF's bytes, counting into ``budget`` and keeping
    nothing: a stream keyword is looked for in the raw bytes, so object and cross-reference
    streams are checked too, before pdfminer inflates any of them whole."""
    at = data.find(b"stream")
    while at != -1:
        start = at + len(b"stream")
        if data[at - 3 : at] != b"end" and data[start : start + 1] in (b"\r", b"\n"):
            start += 2 if data[start : start + 2] == b"\r\n" else 1
            _inflate(data, start, budget)
        at = data.find(b"stream", start)


def _inflate(data: bytes | mmap.mmap, start: int, budget: Budget) -> None:
    inflater = zlib.decompressobj()
    packed = inflated = 0
    member = f"the PDF stream at byte {start:,}"
    for offset in range(start, len(data), 1 << 16):
        chunk = data[offset : offset + (1 << 16)]
        packed += len(chunk)
        try:
            while chunk:
                out = inflater.decompress(chunk, 1 << 20)
                inflated += len(out)
                budget.count_unpacked(len(out), member, inflated, packed)
                chunk = inflater.unconsumed_tail
        except zlib.error:
            return  # not deflated (an image, plain content) or damaged: pdfminer decides
        if inflater.eof:
            return


def _encrypted(exc: BaseException) -> bool:
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    seen: BaseException | None = exc
    for _ in range(8):  # pdfplumber wraps pdfminer's error as its first argument
        if seen is None:
            break
        if isinstance(seen, PDFEncryptionError | PDFPasswordIncorrect):
            return True
        inner = seen.args[0] if seen.args and isinstance(seen.args[0], BaseException) else None
        seen = inner or seen.__cause__ or seen.__context__
    return False


def _read(path: Path, budget: Budget) -> list[_Page]:
    import pdfplumber
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdftypes import resolve1

    with open(path, "rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as data:
        inflate_streams(data, budget)
    out: list[_Page] = []
    with pdfplumber.open(path) as pdf:
        tree = resolve1(pdf.doc.catalog.get("Pages"))
        declared = resolve1(tree.get("Count")) if isinstance(tree, dict) else None
        if isinstance(declared, int) and declared > budget.limits.pages:
            budget.refuse("pages", f"the PDF has {declared:,} pages", f"该 PDF 共 {declared:,} 页")
        doctop = 0.0
        for number, page_obj in enumerate(PDFPage.create_pages(pdf.doc), start=1):
            budget.count_page(number)
            page = _CountedPage(pdf, page_obj, page_number=number, initial_doctop=doctop)
            page.budget = budget
            doctop += float(page.height)
            try:
                out.append(_page(page, number, budget))
            finally:
                page.close()
    return out


class _CountingDevice(PDFPageAggregatorWithMarkedContent):
    """pdfplumber's page device, counting what it is given to draw into the page's allowance."""

    budget: Budget
    drawn = 0

    def count(self) -> None:
        self.drawn += 1
        if self.drawn > self.budget.limits.page_objects:
            self.budget.refuse(
                "page_objects",
                f"page {self.pageno:,} draws more than {self.budget.limits.page_objects:,} objects",
                f"第 {self.pageno:,} 页的字符和图形超过 {self.budget.limits.page_objects:,} 个",
            )

    def render_char(self, *args: Any, **kwargs: Any) -> float:
        self.count()
        return super().render_char(*args, **kwargs)

    def render_image(self, *args: Any, **kwargs: Any) -> None:
        self.count()
        super().render_image(*args, **kwargs)

    def paint_path(self, *args: Any, **kwargs: Any) -> None:
        self.count()
        super().paint_path(*args, **kwargs)


class _CountingInterpreter(PDFPageInterpreter):
    """Counts every form a page draws (a form drawn a million times is a million drawings)."""

    counted: _CountingDevice

    def do_Do(self, xobjid_arg: Any) -> None:  # noqa: N802 - pdfminer's operator name
        self.counted.count()
        super().do_Do(xobjid_arg)


class _CountedPage(Page):
    """A pdfplumber page whose layout is drawn by :class:`_CountingDevice`."""

    budget: Budget

    @property
    def layout(self) -> LTPage:
        if hasattr(self, "_layout"):
            return self._layout
        device = _CountingDevice(self.pdf.rsrcmgr, pageno=self.page_number, laparams=self.pdf.laparams)
        device.budget = self.budget
        interpreter = _CountingInterpreter(self.pdf.rsrcmgr, device)
        interpreter.counted = device
        interpreter.process_page(self.page_obj)
        self._layout = device.get_result()
        return self._layout


def _page(page: Any, number: int, budget: Budget) -> _Page:
    result = _Page(has_text=any(c["text"].strip() for c in page.chars))
    if not result.has_text:
        return result
    found = sorted(page.find_tables(), key=lambda t: (t.bbox[1], t.bbox[0]))
    boxes = [t.bbox for t in found]
    lines = [
        (line["top"], line["bottom"], normalise_cjk(line["text"]))
        for line in page.extract_text_lines()
        if not any(_inside(line, box) for box in boxes)
    ]
    result.lines = [text for _, _, text in lines]
    for text in result.lines:
        budget.count_row(None, budget.rows + 1, [text])
    above_from = 0.0
    for index, table in enumerate(found):
        top = table.bbox[1]
        above = [text for t, b, text in lines if t >= above_from - _TOLERANCE and b <= top + _TOLERANCE]
        budget.count_sheet(f"table {index + 1} on page {number}")
        rows, banners = _cells(table)
        for row in rows:
            budget.count_document_cells(len(row), f"page {number:,}", f"第 {number:,} 页")
            budget.count_row(None, budget.rows + 1, row)
        result.tables.append(
            DocumentTable(rows, banners, above, may_continue=index == 0 and number > 1, where=f"第{number}页")
        )
        above_from = table.bbox[3]
    return result


def _inside(line: dict[str, Any], box: tuple[float, float, float, float]) -> bool:
    middle_x = (float(line["x0"]) + float(line["x1"])) / 2
    middle_y = (float(line["top"]) + float(line["bottom"])) / 2
    x0, top, x1, bottom = box
    return x0 <= middle_x <= x1 and top <= middle_y <= bottom


def _cells(table: Any) -> tuple[list[list[str]], set[int]]:
    """A table's cell texts with wrapped lines joined and merged cells resolved; its banner rows."""
    raw: list[list[str | None]] = table.extract()
    boxes = [row.cells for row in table.rows]
    tops = [row.bbox[1] for row in table.rows]
    right = table.bbox[2]
    width = max((len(r) for r in raw), default=0)
    rows: list[list[str]] = []
    banners: set[int] = set()
    for i, values in enumerate(raw):
        cells: list[str] = []
        for j in range(width):
            value = values[j] if j < len(values) else None
            if value is not None:
                cells.append(join_wrapped(normalise_cjk(value)))
                continue
            above = next((k for k in range(i - 1, -1, -1) if j < len(boxes[k]) and boxes[k][j] is not None), None)
            box = boxes[above][j] if above is not None else None
            covers = box is not None and box[3] > tops[i] + _TOLERANCE
            cells.append(rows[above][j] if covers and above is not None else "")
        first = boxes[i][0] if boxes[i] else None
        if width > 1 and first is not None and all(c is None for c in boxes[i][1:]) and first[2] >= right - _TOLERANCE:
            banners.add(i)
        rows.append(cells)
    return rows, banners
