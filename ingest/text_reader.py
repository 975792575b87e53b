"""Pasted text: a naming notice copied from a union's web page or typed into a ``.txt`` file.

A ``.txt`` whose first lines are a header of known columns separated by commas or tabs is a CSV
file and is read as one. Anything else is read line by line with the grammar of
:mod:`ingest.documents`::

    附件                                         title: skipped
    2021年度嘉定职工科技创新英才工作室名单         title: skipped
    (8个)                                        count: skipped
    安亭镇(2个)                                  heading: 所在街镇 = 安亭镇 for the lines below
    肖华峰创新工作室 (上海安谊车轮有限公司)         studio: 工作室名称, 所在单位

A header line of known columns separated by spaces (``序号 工作室名称 领衔人 所在单位``, as a web
table pastes) makes the lines below it, cut at their spaces, rows of that table. Lines that are
none of these are ignored; a text that names no studio at all is refused. The row number of a
studio is its line number in the file. The same parser reads the paragraphs of a Word document
without tables and the text of a PDF without tables.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from graph.errors import Problem, ValidationError

from .columns import COLUMNS, SheetKind, match_header
from .documents import (
    EMPLOYER_COLUMN,
    NAME_COLUMN,
    Heading,
    is_count,
    is_title,
    normalise_cjk,
    read_heading,
    read_studio_line,
    split_cells,
)
from .limits import Budget
from .readers import (
    _SNIFF_BYTES,
    HEADER_SCAN_ROWS,
    Sheet,
    _csv_sheet,
    _sheet_from_rows,
    bad_character,
    detect_encoding,
    text_lines,
)

NO_STUDIO = (
    "no studio found: no line names a studio (a name ending in 工作室, then its employer); "
    "write one studio a line, or fill in the roster template (alliances template)",
    "没有找到工作室：没有一行写有以「工作室」结尾的名称及其所在单位；请每行写一个工作室，或填写名单模板",
)


@dataclass
class Notice:
    """The studios a notice's lines name: ``rows`` are (line number, {header: value}), ``headers``
    every header used, in the order first used."""

    headers: list[str] = field(default_factory=list)
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)

    _canonical: dict[str, str] = field(default_factory=dict)

    def add(self, number: int, values: dict[str, str]) -> None:
        """Add a row; a header meaning a column already used under another header (推荐单位 after
        所属工会) is written under the first one, and a later empty value never hides an earlier one."""
        row: dict[str, str] = {}
        for written, value in values.items():
            column = match_header(SheetKind.STUDIOS, written)
            header = self._canonical.setdefault(column.name, written) if column is not None else written
            if header not in self.headers:
                self.headers.append(header)
            if value or header not in row:
                row[header] = value
        self.rows.append((number, row))


class Headings:
    """The headings in force: a new heading replaces those of its level and below."""

    def __init__(self) -> None:
        self._by_column: dict[str, Heading] = {}

    def set(self, heading: Heading) -> None:
        self._by_column = {c: h for c, h in self._by_column.items() if h.level < heading.level}
        self._by_column[heading.column] = heading

    def values(self) -> dict[str, str]:
        return {column: heading.value for column, heading in self._by_column.items()}

    def copy(self) -> Headings:
        other = Headings()
        other._by_column = dict(self._by_column)
        return other


def _table_header(line: str) -> list[str] | None:
    """The cells of a space-separated header line naming a studio's name and its employer or leader."""
    cells = split_cells(line)
    names = {c.name for cell in cells if (c := match_header(SheetKind.STUDIOS, cell)) is not None}
    if "name" in names and names & {"employer", "leader"} and len(cells) == len(set(cells)):
        return cells
    return None


def read_notice(lines: Iterable[tuple[int, str]], headings: Headings | None = None) -> Notice:
    """Read numbered lines of a notice into studio rows (see the module docs)."""
    notice = Notice()
    state = headings or Headings()
    table: list[str] | None = None
    for number, raw in lines:
        line = normalise_cjk(raw).strip()
        if not line:
            continue
        header = _table_header(line)
        if header is not None:
            table = header
            continue
        cells = split_cells(line)
        if table is not None and len(cells) == len(table):
            notice.add(number, {**state.values(), **dict(zip(table, cells, strict=True))})
            continue
        studio = read_studio_line(line)
        if studio is not None:
            notice.add(number, {**state.values(), NAME_COLUMN: studio.name, EMPLOYER_COLUMN: studio.employer})
            continue
        if is_count(line) or is_title(line):
            continue
        heading = read_heading(line)
        if heading is not None:
            state.set(heading)
    return notice


def notice_sheet(file: str, sheet: str | None, notice: Notice, *, encoding: str | None = None) -> Sheet:
    """The studios of a notice as a :class:`Sheet` of studios; refused when it names none."""
    if not notice.rows:
        raise ValidationError(Problem(*NO_STUDIO, file=file, sheet=sheet, extra={"kind": "no-rows"}))
    headers = notice.headers
    rows = [(0, list(headers))] + [(n, [values.get(h, "") for h in headers]) for n, values in notice.rows]
    result = _sheet_from_rows(file, sheet, iter(rows), kind_hint=SheetKind.STUDIOS, encoding=encoding)
    assert result is not None  # not optional: a missing column raises
    return result


# -- .txt files -------------------------------------------------------------------------------------
def csv_delimiter(lines: Iterable[str]) -> str | None:
    """``,`` or a tab if one of the first non-empty lines is a header of known columns separated by
    it (the file is then a CSV file), else None."""
    seen = 0
    for line in lines:
        if not line.strip():
            continue
        seen += 1
        for delimiter in ("\t", ","):
            cells = [cell.strip() for cell in line.split(delimiter)]
            if len(cells) >= 2 and _known_columns(cells) >= 2:
                return delimiter
        if seen >= HEADER_SCAN_ROWS:
            break
    return None


def _known_columns(cells: list[str]) -> int:
    best = 0
    for kind in COLUMNS:
        names = {c.name for cell in cells if cell and (c := match_header(kind, cell)) is not None} - {"seq"}
        best = max(best, len(names))
    return best


def txt_sheets(path: Path, budget: Budget) -> Iterator[Sheet]:
    """A ``.txt`` file: a CSV file when its header says so, else a pasted notice; streamed either
    way, a line at a time."""
    name = str(path)
    with open(path, "rb") as fh:
        head = fh.read(_SNIFF_BYTES)
    encoding = detect_encoding(head, file=name)
    first_lines = head.decode(encoding, errors="ignore").lstrip("\ufeff").splitlines()[: HEADER_SCAN_ROWS * 4]
    delimiter = csv_delimiter(first_lines)
    if delimiter is not None:
        yield _csv_sheet(path, budget, delimiter=delimiter)
        return
    yield notice_sheet(name, None, read_notice(notice_lines(path, encoding, budget)), encoding=encoding)


def notice_lines(path: Path, encoding: str, budget: Budget) -> Iterator[tuple[int, str]]:
    """A text file's lines, numbered from 1, split as :meth:`str.splitlines` splits the whole text
    (a leading byte-order mark dropped), without reading it whole; each line counts as a row."""
    number = 0
    first = True
    with open(path, encoding=encoding, errors="strict") as fh:
        try:
            for physical in text_lines(fh, budget):
                if first:
                    physical, first = physical.lstrip("\ufeff"), False
                for line in physical.splitlines():
                    number += 1
                    budget.count_row(None, number, [line])
                    yield number, line
        except UnicodeDecodeError:
            raise bad_character(path, encoding) from None
