"""How much one file may unpack to, checked while it is read.

A roster upload is small on the wire but may unpack to far more: a 0.5 MB ``.xlsx`` of three
million rows, a ``.docx`` of a million table cells, a PDF of ten thousand pages, a ``.txt`` that is
one 100 MB line, a zip member that inflates a thousandfold. Every reader counts what it has read
in one :class:`Budget` per file and stops the moment a limit is crossed, with one problem naming
the file, the limit, its setting and how far the reader got (:class:`LimitExceeded`, a
:class:`graph.errors.ValidationError`); the pipeline then writes nothing.

The defaults (:class:`Limits`) are generous for real rosters: a national roster of 150,000
studios in one workbook stays inside every one of them. Each is a setting,
``ALLIANCES_LIMIT_<NAME>`` (see the README), and callers may pass their own :class:`Limits`.
"""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any, NoReturn

from graph.errors import ConfigurationError, Problem, ValidationError

_MIB = 1 << 20

GRACE_BYTES = _MIB
"""A zip member may inflate this much before its compression ratio is checked (small parts such
as ``[Content_Types].xml`` compress well for no bad reason)."""


@dataclass(frozen=True)
class Limits:
    """The most a file may unpack to. Defaults, and why they are enough:

    - ``rows`` 200,000 rows per file, counted over all its sheets, tables and text lines: a
      national roster of 150,000 studios fits, with its header and title rows.
    - ``cells_per_row`` 1,000: the widest sheet of the input contract has 22 columns, and a
      union's extra columns are kept, so 45 times that.
    - ``cell_chars`` 32,767 characters in one cell: Excel's own limit, so no cell Excel wrote is
      longer.
    - ``line_chars`` 1,048,576 characters in one line of a CSV or text file (or one row of a Word
      table): a roster line is under 10,000; a file of one 100 MB line is refused after 1 MiB.
    - ``cells`` 5,000,000 cells per file, each row counting up to its last cell: 200,000 rows of
      25 columns; parsing a cell costs a few microseconds, and rows times cells per row would
      otherwise allow 200 million of them.
    - ``sheets`` 5,000 sheets, tables or JSON lists per file: a PDF at the page limit with two
      tables a page stays inside it.
    - ``pages`` 2,000 pages per PDF; the page count is read before any page is.
    - ``page_objects`` 20,000 characters, lines, rectangles, curves, images and forms drawn on
      one PDF page: a dense A4 table page has about 5,000; pdfplumber's table finder takes about a
      millisecond an object (20,000 rectangles: 19 s on this machine).
    - ``document_cells`` 200,000 table cells per Word document or PDF (a notice of 20,000 studios
      in ten columns): notices are read whole, since a table may continue on the next page, so
      they get a lower bound than the streamed workbooks.
    - ``unpacked_mib`` 1,024 MiB that the members of a zip-based file (``.xlsx``, ``.docx``)
      inflate to, and the streams of a PDF decode to, counted as they inflate: a 200,000-row
      roster workbook unpacks to about 600 MB.
    - ``unpack_ratio`` 100: a zip member (or PDF stream) may inflate at most this many times its
      packed size once past :data:`GRACE_BYTES` (real workbooks: 5–15 times; bombs: 1,000).
    - ``json_mib`` 64 MiB of JSON: JSON is parsed whole (no streaming parser in the standard
      library), so larger rosters go as CSV or ``.xlsx``, which stream.
    """

    rows: int = 200_000
    cells_per_row: int = 1_000
    cell_chars: int = 32_767
    cells: int = 5_000_000
    line_chars: int = 1_048_576
    sheets: int = 5_000
    pages: int = 2_000
    page_objects: int = 20_000
    document_cells: int = 200_000
    unpacked_mib: int = 1_024
    unpack_ratio: int = 100
    json_mib: int = 64

    @property
    def unpacked_bytes(self) -> int:
        return self.unpacked_mib * _MIB

    @property
    def json_bytes(self) -> int:
        return self.json_mib * _MIB

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Limits:
        """The defaults, each overridden by its ``ALLIANCES_LIMIT_…`` setting when set (a positive
        whole number; anything else is a :class:`graph.errors.ConfigurationError`)."""
        env = os.environ if environ is None else environ
        given: dict[str, int] = {}
        for name, (variable, _, _) in LIMIT_TEXT.items():
            text = env.get(variable, "").strip().replace("_", "")
            if not text:
                continue
            if not text.isdigit() or len(text) > 18 or int(text) <= 0:
                raise ConfigurationError(
                    f"{variable} must be a positive whole number, not {env[variable]!r} / {variable} 须为正整数"
                )
            given[name] = int(text)
        return replace(cls(), **given)


LIMIT_TEXT: dict[str, tuple[str, str, str]] = {
    "rows": ("ALLIANCES_LIMIT_ROWS", "rows in a file", "每个文件的行数"),
    "cells_per_row": ("ALLIANCES_LIMIT_CELLS_PER_ROW", "cells in a row", "每行的单元格数"),
    "cell_chars": ("ALLIANCES_LIMIT_CELL_CHARS", "characters in a cell", "每个单元格的字符数"),
    "cells": ("ALLIANCES_LIMIT_CELLS", "cells in a file", "每个文件的单元格数"),
    "line_chars": ("ALLIANCES_LIMIT_LINE_CHARS", "characters in a line", "每行的字符数"),
    "sheets": ("ALLIANCES_LIMIT_SHEETS", "sheets or tables in a file", "每个文件的工作表或表格数"),
    "pages": ("ALLIANCES_LIMIT_PAGES", "pages in a PDF", "PDF 的页数"),
    "page_objects": (
        "ALLIANCES_LIMIT_PAGE_OBJECTS",
        "characters and drawn objects on a PDF page",
        "PDF 每页的字符和图形数",
    ),
    "document_cells": ("ALLIANCES_LIMIT_DOCUMENT_CELLS", "table cells in a document", "每个文档的表格单元格数"),
    "unpacked_mib": ("ALLIANCES_LIMIT_UNPACKED_MIB", "MiB unpacked", "解压后的大小（MiB）"),
    "unpack_ratio": ("ALLIANCES_LIMIT_UNPACK_RATIO", "times its packed size", "解压后与压缩前的大小之比"),
    "json_mib": ("ALLIANCES_LIMIT_JSON_MIB", "MiB of JSON", "JSON 文件的大小（MiB）"),
}
"""Each limit's setting, and how it is named in a refusal (English, Chinese)."""

assert set(LIMIT_TEXT) == {f.name for f in fields(Limits)}


class LimitExceeded(ValidationError):
    """A file crossed a limit: one problem (kind ``limit``) naming the file, the limit, its setting
    and how far the reader got. The reader stopped there; nothing is written."""

    def __init__(self, problem: Problem, limit: str) -> None:
        super().__init__(problem)
        self.limit = limit


@dataclass
class Budget:
    """What one file has used of its :class:`Limits` so far; every reader of the file counts here.

    Each ``count_…`` method raises :class:`LimitExceeded` as soon as a limit is crossed.
    """

    file: str
    limits: Limits
    rows: int = 0
    cells: int = 0
    sheets: int = 0
    pages: int = 0
    document_cells: int = 0
    unpacked: int = 0

    def refuse(
        self, limit: str, reached: str, reached_zh: str, *, sheet: str | None = None, row: int | None = None
    ) -> NoReturn:
        """Raise the one refusal for ``limit``: ``reached`` says how far the reader got."""
        variable, what, what_zh = LIMIT_TEXT[limit]
        allowed = getattr(self.limits, limit)
        raise LimitExceeded(
            Problem(
                f"over the limit of {allowed:,} {what} ({variable}): {reached}; the file was not read further",
                f"超过上限：{what_zh}最多 {allowed:,}（{variable}）；{reached_zh}，已停止读取该文件",
                file=self.file,
                sheet=sheet,
                row=row,
                extra={"kind": "limit", "limit": limit, "allowed": allowed},
            ),
            limit,
        )

    def count_sheet(self, name: str | None) -> None:
        """One more sheet, table or JSON list."""
        self.sheets += 1
        if self.sheets > self.limits.sheets:
            self.refuse(
                "sheets", f"sheet or table {self.sheets:,} ({name})", f"第 {self.sheets:,} 个工作表或表格（{name}）"
            )

    def count_page(self, number: int) -> None:
        self.pages = number
        if number > self.limits.pages:
            self.refuse("pages", f"page {number:,} of the PDF", f"读到第 {number:,} 页")

    def count_row(self, sheet: str | None, number: int, values: list[Any]) -> None:
        """One more row (a sheet's row, a table's row, a text line): the row count, the cells in
        it and the characters of each."""
        self.rows += 1
        if self.rows > self.limits.rows:
            self.refuse(
                "rows", f"row {self.rows:,} of the file", f"读到全文件第 {self.rows:,} 行", sheet=sheet, row=number
            )
        self.count_width(sheet, number, len(values))
        self.cells += len(values)
        if self.cells > self.limits.cells:
            self.refuse(
                "cells",
                f"cell {self.cells:,} of the file",
                f"读到全文件第 {self.cells:,} 个单元格",
                sheet=sheet,
                row=number,
            )
        most = self.limits.cell_chars
        for position, value in enumerate(values):
            if isinstance(value, str) and len(value) > most:
                self.refuse(
                    "cell_chars",
                    f"a cell of {len(value):,} characters (column {position + 1})",
                    f"第 {position + 1} 列的单元格有 {len(value):,} 个字符",
                    sheet=sheet,
                    row=number,
                )

    def count_width(self, sheet: str | None, number: int, width: int) -> None:
        """A row reaching column ``width`` (checked before a row that wide is built)."""
        if width > self.limits.cells_per_row:
            self.refuse(
                "cells_per_row",
                f"a row reaching column {width:,}",
                f"该行写到了第 {width:,} 列",
                sheet=sheet,
                row=number,
            )

    def count_line(self, length: int, number: int) -> None:
        if length > self.limits.line_chars:
            self.refuse(
                "line_chars",
                f"line {number:,} runs past {self.limits.line_chars:,} characters",
                f"第 {number:,} 行超过 {self.limits.line_chars:,} 个字符",
                row=number,
            )

    def count_document_cells(self, cells: int, where: str, where_zh: str) -> None:
        self.document_cells += cells
        if self.document_cells > self.limits.document_cells:
            self.refuse(
                "document_cells",
                f"table cell {self.document_cells:,} ({where})",
                f"读到第 {self.document_cells:,} 个表格单元格（{where_zh}）",
            )

    def count_unpacked(self, more: int, member: str, inflated: int, packed: int) -> None:
        """``more`` bytes inflated (or decoded) from ``member``, which has given ``inflated`` of
        them from ``packed`` bytes so far."""
        self.unpacked += more
        if self.unpacked > self.limits.unpacked_bytes:
            self.refuse(
                "unpacked_mib",
                f"{self.unpacked / _MIB:,.0f} MiB unpacked so far (in {member})",
                f"已解压 {self.unpacked / _MIB:,.0f} MiB（{member}）",
            )
        if inflated > GRACE_BYTES and inflated > self.limits.unpack_ratio * max(packed, 1):
            times = inflated // max(packed, 1)
            self.refuse(
                "unpack_ratio",
                f"{member} inflates from {packed:,} bytes to more than {inflated:,} ({times:,} times)",
                f"{member} 由 {packed:,} 字节解压到超过 {inflated:,} 字节（{times:,} 倍）",
            )

    def count_json(self, size: int) -> None:
        if size > self.limits.json_bytes:
            self.refuse(
                "json_mib",
                f"the file is {size / _MIB:,.1f} MiB; save a roster this large as CSV or .xlsx",
                f"文件有 {size / _MIB:,.1f} MiB；这么大的名单请另存为 CSV 或 .xlsx",
            )


class _CountedFile(io.FileIO):
    """A file opened for reading that counts the bytes read from it (a zip's packed bytes)."""

    consumed = 0

    def read(self, size: int | None = -1) -> bytes:
        data = super().read(-1 if size is None else size)
        self.consumed += len(data or b"")
        return data or b""

    def readinto(self, buffer: Any) -> int:
        count = super().readinto(buffer) or 0
        self.consumed += count
        return count


class MeteredZip(zipfile.ZipFile):
    """A zip archive (read only) whose members are all inflated once when it is opened, counting
    into ``budget`` and keeping nothing, before any part is parsed: neither the sizes the zip's
    directory declares nor its packed sizes are trusted, a member's ratio is what it has inflated
    to over what has been read of it, and a bomb stops a few MB in."""

    def __init__(self, path: Path, budget: Budget) -> None:
        self._file = _CountedFile(path, "r")
        try:
            super().__init__(self._file, "r")
            self.budget = budget
            self._inflate_all()
        except BaseException:
            self.close()
            raise

    def _inflate_all(self) -> None:
        for info in self.infolist():
            start = self._file.consumed
            inflated = 0
            with super().open(info) as member:
                while chunk := member.read(1 << 16):
                    inflated += len(chunk)
                    self.budget.count_unpacked(len(chunk), info.filename, inflated, self._file.consumed - start)

    def close(self) -> None:
        try:
            super().close()
        finally:
            self._file.close()

    def stream(self, name: str) -> Iterator[bytes]:
        """A member's inflated bytes in chunks."""
        with self.open(name) as member:
            while chunk := member.read(1 << 16):
                yield chunk
