"""Excel ``.xlsx`` workbooks, streamed row by row within the file's :class:`ingest.limits.Budget`.

openpyxl reads the workbook's parts (the sheet list, shared strings, number formats for dates)
and parses each row; the rows themselves are streamed here, from a zip archive whose members have
all been inflated once, counting, before any is parsed (:class:`ingest.limits.MeteredZip`), so that:

- nothing is read before the first row: openpyxl's read-only worksheet parses a sheet that lacks
  a ``<dimension>`` element from end to end when it is opened, just to size it (a 1 MB sheet of
  1.5 million rows took 36 s before its header's missing column was reported);
- the sheet's declared dimension is not trusted either way: rows and cells outside it are read,
  and rows are not padded to it (a dimension of ``A1:XFD1048576`` made every row 16,384 cells);
- a row's cells are counted as they open, so a row of a million cells is refused at the limit
  rather than built; parsed rows are dropped at once, so memory does not grow with the rows read;
- sheets are parsed by lxml (libxml2) with entities left unexpanded and no DTD loaded or
  fetched, and libxml2 refuses a document whose entities amplify it (a billion-laughs sheet);
  the shared strings are parsed by openpyxl with expat, which refuses the same (expat 2.4 on).

Empty rows the sheet leaves out within the first :data:`ingest.readers.HEADER_SCAN_ROWS` rows are
given as empty rows, as openpyxl gives them, so a header is looked for in the same rows; later
gaps are skipped (they are blank rows, which the readers skip anyway).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from graph.errors import Problem, ValidationError

from .columns import sheet_kind_by_name
from .limits import Budget, MeteredZip
from .readers import HEADER_SCAN_ROWS, Sheet, _sheet_from_rows, no_sheet_found


def xlsx_sheets(path: Path, budget: Budget) -> Iterator[Sheet]:
    """The sheets of an ``.xlsx`` workbook: every visible sheet, and a hidden one named like a
    known sheet."""
    name = str(path)
    try:
        archive = MeteredZip(path, budget)
    except ValidationError:
        raise
    except Exception as exc:  # zipfile raises BadZipFile, OSError, ValueError, EOFError … on broken files
        raise _unreadable(name, None, exc) from None
    with archive:
        workbook, worksheets = _workbook(archive, name)
        looked_at: list[str] = []
        found = False
        for title, target in worksheets:
            budget.count_sheet(title)
            looked_at.append(title)
            rows = _rows(archive, workbook, target, title, budget)
            sheet = _sheet_from_rows(name, title, rows, kind_hint=sheet_kind_by_name(title), optional=True)
            if sheet is not None:
                found = True
                yield sheet
        if not found:
            raise no_sheet_found(name, looked_at)


def _unreadable(file: str, sheet: str | None, exc: BaseException) -> ValidationError:
    return ValidationError(
        Problem(
            f"not a readable .xlsx workbook ({type(exc).__name__}: {exc})"[:300],
            f"不是可读取的 .xlsx 工作簿（{exc}）"[:300],
            file=file,
            sheet=sheet,
            extra={"kind": "file-unreadable"},
        )
    )


def _workbook(archive: MeteredZip, file: str) -> tuple[Any, list[tuple[str, str]]]:
    """openpyxl's reader of the workbook's parts (sheet list, shared strings, styles), reading
    from ``archive``, and the worksheets to read; no worksheet is opened."""
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.styles.stylesheet import apply_stylesheet

    try:
        reader = ExcelReader(archive.filename, read_only=True, data_only=True, keep_links=False, keep_vba=False)
        reader.archive.close()
        reader.archive = archive  # every part is read through the metered archive
        reader.read_manifest()
        reader.read_strings()
        reader.read_workbook()
        apply_stylesheet(archive, reader.wb)
        worksheets = list(_worksheets(reader))
    except ValidationError:
        raise
    except Exception as exc:  # openpyxl, zipfile, lxml and expat raise many kinds on broken files
        raise _unreadable(file, None, exc) from None
    return reader, worksheets


def _worksheets(workbook: Any) -> Iterator[tuple[str, str]]:
    """(title, part) of each worksheet to read: visible ones, and hidden ones named like a known
    sheet (the template's drop-down lists and other helper sheets are skipped); chart sheets and
    sheets whose part is missing are not worksheets."""
    present = set(workbook.valid_files)
    for sheet, rel in workbook.parser.find_sheets():
        if rel.target not in present or "chartsheet" in rel.Type:
            continue
        if (sheet.state or "visible") != "visible" and sheet_kind_by_name(sheet.name) is None:
            continue
        yield sheet.name, rel.target


def _rows(
    archive: MeteredZip, workbook: Any, target: str, title: str, budget: Budget
) -> Iterator[tuple[int, list[Any]]]:
    """A worksheet's rows as (row number, cell values), streamed (see the module docs)."""
    from lxml import etree
    from openpyxl.worksheet._reader import CELL_TAG, ROW_TAG, WorkSheetParser

    wb = workbook.wb
    try:
        with archive.open(target) as source:
            # openpyxl's own parser of a row's cells (shared strings, dates by number format), fed
            # rows by lxml; openpyxl keeps a workbook's date formats under these names
            cells = WorkSheetParser(source, workbook.shared_strings, data_only=True, epoch=wb.epoch,
                                    date_formats=wb._date_formats, timedelta_formats=wb._timedelta_formats)  # fmt: skip
            events = etree.iterparse(source, events=("start", "end"), tag=(ROW_TAG, CELL_TAG), resolve_entities=False,
                                     no_network=True, remove_comments=True, remove_pis=True)  # fmt: skip
            opened = row_no = 0
            following = 1
            for event, element in events:
                if element.tag == CELL_TAG:
                    if event == "start":
                        opened += 1
                        budget.count_width(title, row_no, opened)
                    continue
                if event == "start":
                    given = element.get("r", "")
                    opened, row_no = 0, int(given) if given.isdigit() else following
                    continue
                number, parsed = cells.parse_row(element)
                _drop(element)
                while following < number and following <= HEADER_SCAN_ROWS:
                    yield following, []
                    following += 1
                following = number + 1
                yield number, _values(parsed, title, number, budget)
    except ValidationError:
        raise
    except Exception as exc:  # a broken part: libxml2, openpyxl's cell parsing, zipfile's CRC check …
        raise _unreadable(archive.budget.file, title, exc) from None


def _drop(row: Any) -> None:
    """Forget a row once parsed, and the rows before it: memory stays that of one row."""
    row.clear()
    parent = row.getparent()
    while parent is not None and row.getprevious() is not None:
        del parent[0]


def _values(parsed: list[dict[str, Any]], title: str, number: int, budget: Budget) -> list[Any]:
    """A parsed row's values by position (cells without a reference take the next column)."""
    width = max((cell["column"] for cell in parsed), default=0)
    budget.count_width(title, number, width)
    values: list[Any] = [None] * width
    for cell in parsed:
        if cell["column"] >= 1:
            values[cell["column"] - 1] = cell["value"]
    budget.count_row(title, number, values)
    return values
