"""Excel 97-2003 ``.xls`` workbooks (BIFF8), read with xlrd.

Every visible sheet (and a hidden one named like a known sheet, as for ``.xlsx``) goes through the
same header finder as every other table, so a merged title row above the header is skipped like
any title row. With ``formatting_info`` xlrd reports merged ranges: a range spanning several rows
(the 区 or 推荐单位 cell merged over a district's studios) gives its value to every row it spans, in
its first column; a range spanning only columns keeps its value in its first cell. Date cells
become dates (written as ISO dates), whole numbers lose their ``.0``, error cells are empty.

An encrypted workbook (a FILEPASS record, or an encrypted ``.xlsx`` saved under ``.xls``) and a
broken one are refused with one line.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from graph.errors import Problem, ValidationError

from .columns import sheet_kind_by_name
from .documents import ENCRYPTED, sniff
from .limits import Budget
from .readers import Sheet, _sheet_from_rows, no_sheet_found

_HEAD_BYTES = 1 << 16


def xls_sheets(path: Path, budget: Budget) -> Iterator[Sheet]:
    """The sheets of an ``.xls`` workbook (see the module docs)."""
    name = str(path)
    with open(path, "rb") as fh:
        head = fh.read(_HEAD_BYTES)
    why = sniff(".xls", head)
    if why is not None:
        raise ValidationError(Problem(*why, file=name, extra={"kind": "file-unreadable"}))
    try:
        tables = _read(path, budget)
    except ValidationError:
        raise
    except Exception as exc:  # xlrd raises XLRDError, CompoundDocError, struct.error … on broken files
        if "encrypted" in str(exc).lower():
            raise ValidationError(Problem(*ENCRYPTED, file=name, extra={"kind": "file-unreadable"})) from None
        raise ValidationError(
            Problem(
                f"not a readable Excel 97-2003 .xls workbook ({type(exc).__name__}: {exc})"[:300],
                f"不是可读取的 Excel 97-2003 .xls 工作簿（{exc}）"[:300],
                file=name,
                extra={"kind": "file-unreadable"},
            )
        ) from None
    looked_at: list[str] = []
    found = False
    for title, rows in tables:
        looked_at.append(title)
        sheet = _sheet_from_rows(
            name, title, iter(enumerate(rows, start=1)), kind_hint=sheet_kind_by_name(title), optional=True
        )
        if sheet is not None:
            found = True
            yield sheet
    if not found:
        raise no_sheet_found(name, looked_at)


def _read(path: Path, budget: Budget) -> list[tuple[str, list[list[Any]]]]:
    """Each sheet to read, with its cell values, vertically merged ranges filled down; sheets are
    loaded one at a time, and every row counts into ``budget``."""
    import xlrd

    book = xlrd.open_workbook(str(path), formatting_info=True, on_demand=True)
    try:
        out: list[tuple[str, list[list[Any]]]] = []
        for index in range(book.nsheets):
            sheet = book.sheet_by_index(index)
            if sheet.visibility != 0 and sheet_kind_by_name(sheet.name) is None:
                book.unload_sheet(index)
                continue
            budget.count_sheet(sheet.name)
            budget.count_width(sheet.name, 1, sheet.ncols)
            rows: list[list[Any]] = []
            for r in range(sheet.nrows):
                rows.append([_value(cell, book.datemode) for cell in sheet.row(r)])
                budget.count_row(sheet.name, r + 1, rows[-1])
            for rlo, rhi, clo, _chi in sheet.merged_cells:
                for r in range(rlo + 1, min(rhi, len(rows))):
                    if clo < len(rows[r]):
                        rows[r][clo] = rows[rlo][clo]
            out.append((sheet.name, rows))
            book.unload_sheet(index)
        return out
    finally:
        book.release_resources()


def _value(cell: Any, datemode: int) -> Any:
    import xlrd

    kind = cell.ctype
    if kind == xlrd.XL_CELL_DATE:
        try:
            moment: dt.datetime = xlrd.xldate.xldate_as_datetime(cell.value, datemode)
        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
            return cell.value
        return moment.date() if moment.time() == dt.time() else moment
    if kind == xlrd.XL_CELL_BOOLEAN:
        return bool(cell.value)
    if kind in (xlrd.XL_CELL_ERROR, xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return None
    return cell.value
