"""Tables found in a document (Word, PDF) turned into sheets, with what surrounds them.

A format's reader hands over each table as rows of cell text, merged cells already resolved (a
vertically merged cell's value carried down into every row it spans), and says which rows are one
cell spanning the whole table (a *banner*). Here:

- banners above the header are titles; the first of them names the sheet when no title paragraph
  does;
- a banner below the header that is a heading (浦东新区, 上海市建设交通工会, 安亭镇) sets that column
  for the rows below it, as a heading line does in pasted text; any other banner (注：…) is dropped;
- headings in the text above a table apply to its rows in the same way (a column the table lacks
  is added; one it has is filled where empty);
- a table marked as possibly continuing the previous one (the first table of a PDF page) whose
  first row is not a header joins the previous table's sheet; one that repeats the previous
  header drops the repeat;
- tables that are not rosters (a signature block) are skipped; when no table is a roster, the
  document's text lines are read as pasted text.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from graph.errors import Problem, ValidationError

from .columns import SheetKind, match_header
from .documents import is_title, join_wrapped, read_heading
from .readers import HEADER_SCAN_ROWS, Sheet, _sheet_from_rows
from .text_reader import Headings, notice_sheet, read_notice

_TITLE_MAX = 60
_TITLE_LINES = 3


@dataclass
class DocumentTable:
    """One table of a document, as its reader found it."""

    rows: list[list[str]]
    """Cell texts, one list per row, as wide as the table."""
    banners: set[int] = field(default_factory=set)
    """Indices of rows that are a single cell spanning the table."""
    above: list[str] = field(default_factory=list)
    """The text lines between the previous table (or the start) and this one."""
    may_continue: bool = False
    """True where the table may be the rest of the previous one (the first table on a PDF page)."""
    where: str = ""
    """Where the table is, for its sheet name when nothing names it (第2页)."""


@dataclass
class _Group:
    name: str
    header_at: int | None
    rows: list[list[str]]
    banners: set[int]
    headings: Headings
    """The headings in force above the table."""


def _is_header(cells: Sequence[str]) -> bool:
    names = {c.name for cell in cells if cell and (c := match_header(SheetKind.STUDIOS, cell.strip())) is not None}
    return "name" in names and len(names - {"seq"}) >= 2


def _header_index(table: DocumentTable) -> int | None:
    for index, row in enumerate(table.rows[: HEADER_SCAN_ROWS + len(table.banners)]):
        if index not in table.banners and _is_header(row):
            return index
    return None


def _title(lines: list[str]) -> str | None:
    """The text just above a table when it is a title or a heading, not a paragraph of prose; a
    title a PDF wrapped onto two or three lines is joined again."""
    texts = [line.strip() for line in lines if line.strip()][-_TITLE_LINES:]
    for count in range(1, len(texts) + 1):
        text = join_wrapped("\n".join(texts[-count:]))
        if len(text) > _TITLE_MAX:
            return None
        if is_title(text) or read_heading(text) is not None:
            return text
    return None


def document_sheets(file: str, tables: list[DocumentTable], lines: list[tuple[int, str]]) -> Iterator[Sheet]:
    """The sheets of a document's tables; the text ``lines`` (line number, text) as pasted text
    when no table is a roster. Refuses a document with neither."""
    groups: list[_Group] = []
    state = Headings()
    names: set[str] = set()
    for number, table in enumerate(tables, start=1):
        for line in table.above:
            if (heading := read_heading(line)) is not None:
                state.set(heading)
        header_at = _header_index(table)
        previous = groups[-1] if groups else None
        if (
            table.may_continue
            and _title(table.above) is None
            and previous is not None
            and previous.header_at is not None
            and table.rows
            and len(table.rows[0]) == len(previous.rows[previous.header_at])
            and (header_at is None or table.rows[header_at] == previous.rows[previous.header_at])
        ):
            start = 0 if header_at is None else header_at + 1
            offset = len(previous.rows) - start
            previous.rows.extend(table.rows[start:])
            previous.banners |= {i + offset for i in table.banners if i >= start}
            continue
        name = _title(table.above)
        if name is None:
            first_banner = min(table.banners) if table.banners else None
            if first_banner is not None and (header_at is None or first_banner < header_at):
                banner = next((c for c in table.rows[first_banner] if c.strip()), "").strip()
                name = banner if banner and len(banner) <= _TITLE_MAX else None
        name = name or (f"表{number}（{table.where}）" if table.where else f"表{number}")
        if name in names:
            name = f"{name}（表{number}）"
        names.add(name)
        groups.append(_Group(name, header_at, list(table.rows), set(table.banners), state.copy()))
    found = False
    for group in groups:
        sheet = _group_sheet(file, group)
        if sheet is not None:
            found = True
            yield sheet
    if found:
        return
    if any(text.strip() for _, text in lines):
        yield notice_sheet(file, "正文", read_notice(lines))
        return
    raise ValidationError(
        Problem(
            "no table of studios and no text naming studios in the document",
            "文档中既没有工作室名单表格，也没有列出工作室的文字",
            file=file,
            extra={"kind": "no-rows"},
        )
    )


def _group_sheet(file: str, group: _Group) -> Sheet | None:
    """A group's rows with the headings applied, through the shared header finder."""
    header_at = group.header_at if group.header_at is not None else 0
    rows = group.rows
    header = list(rows[header_at]) if rows else []
    state = group.headings.copy()
    per_row: list[tuple[int, dict[str, str]]] = []
    for index, row in enumerate(rows):
        if index <= header_at:
            continue
        if index in group.banners:
            text = next((c for c in row if c.strip()), "")
            if (heading := read_heading(text)) is not None:
                state.set(heading)
            continue
        if any(cell.strip() for cell in row):  # blank rows left at a table's end stay blank
            per_row.append((index, dict(state.values())))
    position: dict[str, int] = {}
    for index, text in enumerate(header):
        column = match_header(SheetKind.STUDIOS, text.strip()) if text.strip() else None
        if column is not None:
            position.setdefault(column.name, index)
    added: dict[str, int] = {}
    for _, values in per_row:
        for written in values:
            column = match_header(SheetKind.STUDIOS, written)
            if (column is None or column.name not in position) and written not in added:
                added[written] = len(header) + len(added)
    out: list[tuple[int, list[str]]] = [
        (index + 1, list(row)) for index, row in enumerate(rows[: header_at + 1]) if index not in group.banners
    ]
    if out and out[-1][0] == header_at + 1:
        out[-1] = (header_at + 1, header + list(added))
    for index, values in per_row:
        cells = list(rows[index]) + [""] * len(added)
        for written, value in values.items():
            column = match_header(SheetKind.STUDIOS, written)
            at = position[column.name] if column is not None and column.name in position else added[written]
            if not cells[at].strip():
                cells[at] = value
        out.append((index + 1, cells))
    return _sheet_from_rows(file, group.name, iter(out), optional=True)
