"""Reading the unions' files: CSV (UTF-8, UTF-8 with BOM, GBK/GB18030, detected), Excel ``.xlsx``
(any number of sheets) and JSON, streamed row by row; and the formats unions publish notices in,
each read by a module of its own into the same tables: Word ``.docx`` (:mod:`ingest.docx_reader`),
Excel 97-2003 ``.xls`` (:mod:`ingest.xls_reader`), PDF with a text layer (:mod:`ingest.pdf_reader`)
and pasted text ``.txt`` (:mod:`ingest.text_reader`).

Each file gives :class:`Sheet` objects whose rows are plain ``{column: text}`` dicts keyed by the
canonical column names of :mod:`ingest.columns`, with the row number a clerk sees in Excel (the
header row is row 1 unless a title row sits above it). Problems that stop a whole sheet (no header,
a missing required column, a binary file) are raised as :class:`graph.errors.ValidationError`.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from graph.errors import Problem, ValidationError

from .columns import COLUMNS, Column, SheetKind, match_header, sheet_kind_by_headers, sheet_kind_by_name
from .documents import normalise_cjk

HEADER_SCAN_ROWS = 6
"""How many rows to look through for the header row (published lists put a title above it)."""

_SNIFF_BYTES = 1 << 20


@dataclass
class Sheet:
    """One table of input: a CSV file, an Excel sheet, or a list in a JSON file."""

    file: str
    sheet: str | None
    kind: SheetKind
    columns: dict[int, Column]
    """Position of each recognised column."""
    extras: dict[int, str]
    """Position → header of columns the contract does not know (kept as studio properties)."""
    headers: dict[str, str]
    """Canonical column name → the header as written, for messages."""
    rows: Iterator[tuple[int, dict[str, str], dict[str, str]]] = field(repr=False)
    """(row number, values by column name, extra values by header)."""
    encoding: str | None = None

    def problem(
        self, message: str, message_zh: str, *, row: int | None = None, column: str | None = None, value: Any = None
    ) -> Problem:
        shown = self.headers.get(column, column) if column else None
        return Problem(message, message_zh, file=self.file, sheet=self.sheet, row=row, column=shown, value=value)


def read_file(path: Path) -> Iterator[Sheet]:
    name = str(path)
    if not path.exists():
        raise ValidationError(Problem("file not found", "文件不存在", file=name))
    if path.is_dir():
        raise ValidationError(Problem("is a folder, not a file", "这是文件夹，不是文件", file=name))
    suffix = path.suffix.lower()
    if path.stat().st_size == 0:
        raise ValidationError(Problem("the file is empty", "文件为空", file=name))
    if suffix in {".csv", ".tsv"}:
        yield _csv_sheet(path)
    elif suffix == ".txt":
        from .text_reader import txt_sheets

        yield from txt_sheets(path)
    elif suffix in {".xlsx", ".xlsm"}:
        yield from _xlsx_sheets(path)
    elif suffix == ".json":
        yield from _json_sheets(path)
    elif suffix == ".xls":
        from .xls_reader import xls_sheets

        yield from xls_sheets(path)
    elif suffix == ".docx":
        from .docx_reader import docx_sheets

        yield from docx_sheets(path)
    elif suffix == ".pdf":
        from .pdf_reader import pdf_sheets

        yield from pdf_sheets(path)
    else:
        raise ValidationError(
            Problem(
                f"unknown file type {suffix or '(none)'}; use .csv, .txt, .xlsx, .xls, .docx, .pdf or .json",
                f"无法识别的文件类型 {suffix or '（无扩展名）'}，请使用 .csv、.txt、.xlsx、.xls、.docx、.pdf 或 .json",
                file=name,
            )
        )


# -- CSV ------------------------------------------------------------------------------------------
def detect_encoding(head: bytes, *, file: str) -> str:
    """``utf-8-sig`` for a UTF-8 BOM, ``utf-8`` if the head decodes as UTF-8, else ``gb18030``
    (a superset of GBK and GB2312). A head with NUL bytes is not a text file."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if b"\x00" in head:
        raise ValidationError(
            Problem(
                "this is not a text CSV file (it holds binary data)", "这不是文本 CSV 文件（含二进制内容）", file=file
            )
        )
    try:
        head.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        if exc.start >= len(head) - 3 and len(head) >= _SNIFF_BYTES:  # a character cut at the end of the sample
            return "utf-8"
    try:
        head.decode("gb18030")
        return "gb18030"
    except UnicodeDecodeError as exc:
        if exc.start >= len(head) - 3 and len(head) >= _SNIFF_BYTES:
            return "gb18030"
        raise ValidationError(
            Problem(
                "the file is neither UTF-8 nor GBK/GB18030 text",
                "文件既不是 UTF-8 也不是 GBK/GB18030 编码的文本",
                file=file,
                extra={"byte": exc.start},
            )
        ) from None


def _csv_sheet(path: Path, *, delimiter: str | None = None) -> Sheet:
    """A CSV file; the delimiter is a tab for ``.tsv`` or a first line with more tabs than commas,
    unless the caller found it (a ``.txt`` file whose header is below a title line)."""
    name = str(path)
    with open(path, "rb") as fh:
        head = fh.read(_SNIFF_BYTES)
    encoding = detect_encoding(head, file=name)
    sample = head.decode(encoding, errors="ignore")[:20000]
    if delimiter is None:
        first = sample.split("\n", 1)[0]
        delimiter = "\t" if path.suffix.lower() == ".tsv" or first.count("\t") > first.count(",") else ","
    fh_text: IO[str] = open(path, encoding=encoding, newline="", errors="strict")  # noqa: SIM115 - closed by the generator
    reader = csv.reader(fh_text, delimiter=delimiter)

    def raw_rows() -> Iterator[tuple[int, list[Any]]]:
        try:
            while True:
                try:
                    values = next(reader)
                except StopIteration:
                    return
                except UnicodeDecodeError:
                    raise ValidationError(
                        Problem(
                            f"a character after line {reader.line_num} is not valid {encoding}",
                            f"第 {reader.line_num} 行之后有不符合 {encoding} 编码的字符",
                            file=name,
                            row=reader.line_num + 1,
                        )
                    ) from None
                except csv.Error as exc:
                    raise ValidationError(
                        Problem(f"broken CSV: {exc}", f"CSV 格式错误：{exc}", file=name, row=reader.line_num)
                    ) from None
                yield reader.line_num, values
        finally:
            fh_text.close()

    sheet = _sheet_from_rows(name, None, raw_rows(), encoding=encoding)
    assert sheet is not None  # not optional: a CSV without a header raises
    return sheet


# -- Excel ----------------------------------------------------------------------------------------
def _xlsx_sheets(path: Path) -> Iterator[Sheet]:
    import zipfile

    from openpyxl import load_workbook

    name = str(path)
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ValidationError(
            Problem(f"not a readable .xlsx workbook ({exc})", f"不是可读取的 .xlsx 工作簿（{exc}）", file=name)
        ) from None
    found = False
    try:
        for ws in workbook.worksheets:
            if ws.sheet_state != "visible" and sheet_kind_by_name(ws.title) is None:
                continue  # the template's drop-down lists, and other helper sheets
            rows = ((i, list(values)) for i, values in enumerate(ws.iter_rows(values_only=True), start=1))
            sheet = _sheet_from_rows(name, ws.title, rows, kind_hint=sheet_kind_by_name(ws.title), optional=True)
            if sheet is not None:
                found = True
                yield sheet
    finally:
        workbook.close()
    if not found:
        raise ValidationError(
            Problem(
                "no sheet of studios, projects, collaborations, alliances, ledgers or funding found in the workbook",
                "工作簿中没有找到工作室、重点项目、合作记录、联盟、台帐或经费工作表",
                file=name,
            )
        )


# -- JSON -----------------------------------------------------------------------------------------
def _json_sheets(path: Path) -> Iterator[Sheet]:
    name = str(path)
    try:
        raw = path.read_bytes()
        data = json.loads(raw.decode(detect_encoding(raw[:_SNIFF_BYTES], file=name)))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ValidationError(Problem(f"not valid JSON ({exc})", f"不是有效的 JSON（{exc}）", file=name)) from None
    tables: list[tuple[str | None, Any]]
    if isinstance(data, list):
        tables = [(None, data)]
    elif isinstance(data, dict):
        tables = list(data.items())
    else:
        raise ValidationError(
            Problem(
                "JSON must be a list of rows or an object of named lists",
                "JSON 须为行的列表，或以表名为键的对象",
                file=name,
            )
        )
    found = False
    for sheet_name, items in tables:
        if not isinstance(items, list):
            continue
        bad = next((i for i, item in enumerate(items, start=1) if not isinstance(item, dict)), None)
        if bad is not None:
            raise ValidationError(
                Problem("each row must be an object", "每一行都必须是对象", file=name, sheet=sheet_name, row=bad)
            )
        headers: list[str] = []
        for item in items:
            headers.extend(k for k in item if k not in headers)
        rows = [(0, headers)] + [(i, [item.get(h) for h in headers]) for i, item in enumerate(items, start=1)]
        hint = sheet_kind_by_name(sheet_name) if sheet_name else None
        sheet = _sheet_from_rows(name, sheet_name, iter(rows), kind_hint=hint, optional=sheet_name is not None)
        if sheet is not None:
            found = True
            yield sheet
    if not found:
        raise ValidationError(
            Problem("no rows of a known kind in the JSON file", "JSON 文件中没有可识别的数据", file=name)
        )


# -- shared ---------------------------------------------------------------------------------------
def cell_text(value: Any) -> str:
    """A cell as text: numbers without a spurious ``.0``, dates as ISO dates, lists joined by ``;``,
    radicals and compatibility ideographs mapped to the ideographs they stand for (:func:`normalise_cjk`)."""
    if isinstance(value, str):
        return normalise_cjk(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return ";".join(cell_text(v) for v in value)
    return normalise_cjk(str(value))


def _sheet_from_rows(
    file: str,
    sheet: str | None,
    rows: Iterator[tuple[int, list[Any]]],
    *,
    kind_hint: SheetKind | None = None,
    optional: bool = False,
    encoding: str | None = None,
) -> Sheet | None:
    """Find the header row, map the columns, and return a Sheet that streams the remaining rows."""
    scanned, header_at, kind = _scan_for_header(rows, kind_hint)
    if header_at is None and not (optional and kind_hint is None):
        header_at, kind = _likeliest_header(scanned, kind)
    if header_at is None or kind is None:
        if optional and kind_hint is None:
            return None  # a notes sheet (说明) or anything else that is not data
        raise _no_header(file, sheet, scanned)
    header_number, header_values = scanned[header_at]
    columns, extras, headers = _map_header(file, sheet, kind, header_number, header_values)
    return Sheet(file, sheet, kind, columns, extras, headers, _data_rows(rows, columns, extras), encoding)


def _scan_for_header(
    rows: Iterator[tuple[int, list[Any]]], kind: SheetKind | None
) -> tuple[list[tuple[int, list[Any]]], int | None, SheetKind | None]:
    """Read rows (at most :data:`HEADER_SCAN_ROWS`) until one is a header: of ``kind`` if given, else
    of the kind its cells name. Returns the rows read, the header's index among them (or None) and
    the kind; the rows after the header stay in ``rows``."""
    scanned: list[tuple[int, list[Any]]] = []
    for number, values in rows:
        scanned.append((number, values))
        texts = [cell_text(v).strip() for v in values]
        guess = sheet_kind_by_headers([t for t in texts if t])
        if guess is not None and (kind is None or guess == kind or _fits(kind, texts)):
            return scanned, len(scanned) - 1, kind or guess
        if kind is not None and _fits(kind, texts) and any(texts):
            return scanned, len(scanned) - 1, kind
        if len(scanned) >= HEADER_SCAN_ROWS:
            break
    return scanned, None, kind


def _no_header(file: str, sheet: str | None, scanned: list[tuple[int, list[Any]]]) -> ValidationError:
    """The error for a sheet with no header row: empty, or its first non-empty row as the value."""
    if not any(any(cell_text(v).strip() for v in vals) for _, vals in scanned):
        return ValidationError(
            Problem("no header row: the sheet is empty", "没有表头：工作表为空", file=file, sheet=sheet)
        )
    first = next((vals for _, vals in scanned if any(cell_text(v).strip() for v in vals)), [])
    return ValidationError(
        Problem(
            "no header row naming the required columns (for studios: 工作室名称, 所在单位)",
            "找不到包含必填列的表头（工作室名单须有：工作室名称、所在单位）",
            file=file,
            sheet=sheet,
            value=";".join(cell_text(v) for v in first)[:200],
        )
    )


def _map_header(
    file: str, sheet: str | None, kind: SheetKind, header_number: int, header_values: list[Any]
) -> tuple[dict[int, Column], dict[int, str], dict[str, str]]:
    """The header's known columns by position, its other headers by position, and each known
    column's header text; two headers of one column, or a required column missing, raise."""
    columns: dict[int, Column] = {}
    extras: dict[int, str] = {}
    headers: dict[str, str] = {}
    problems: list[Problem] = []
    for position, raw in enumerate(header_values):
        text = cell_text(raw).strip()
        if not text:
            continue
        column = match_header(kind, text)
        if column is None:
            extras[position] = text
        elif column.name in headers:
            problems.append(
                Problem(
                    f"two columns both mean {column.label}: {headers[column.name]!r} and {text!r}",
                    f"有两列都表示「{column.zh}」：{headers[column.name]!r} 和 {text!r}",
                    file=file,
                    sheet=sheet,
                    row=header_number,
                    column=text,
                )
            )
        else:
            columns[position] = column
            headers[column.name] = text
    for column in COLUMNS[kind]:
        if column.required and column.name not in headers:
            problems.append(
                Problem(
                    f"required column {column.label} is missing",
                    f"缺少必填列「{column.zh}」",
                    file=file,
                    sheet=sheet,
                    row=header_number,
                    column=column.zh,
                )
            )
    if problems:
        raise ValidationError(problems)
    return columns, extras, headers


def _data_rows(
    rows: Iterator[tuple[int, list[Any]]], columns: dict[int, Column], extras: dict[int, str]
) -> Iterator[tuple[int, dict[str, str], dict[str, str]]]:
    """The rows after the header as (row number, known columns' values, other non-empty values),
    blank rows skipped."""
    for number, values in rows:
        texts = [cell_text(v) for v in values]
        if not any(t.strip() for t in texts):
            continue
        record = {col.name: texts[pos] if pos < len(texts) else "" for pos, col in columns.items()}
        extra = {hdr: texts[pos] for pos, hdr in extras.items() if pos < len(texts) and texts[pos].strip()}
        yield number, record, extra


def _likeliest_header(
    scanned: list[tuple[int, list[Any]]], kind: SheetKind | None
) -> tuple[int | None, SheetKind | None]:
    """The row that names the most known columns (at least two), so that a header missing a
    required column is reported as exactly that rather than as no header at all."""
    best: tuple[int, int, SheetKind] | None = None
    for index, (_, values) in enumerate(scanned):
        texts = [cell_text(v).strip() for v in values]
        for candidate in [kind] if kind is not None else list(COLUMNS):
            known = {c.name for t in texts if t and (c := match_header(candidate, t)) is not None} - {"seq"}
            if len(known) >= 2 and (best is None or len(known) > best[0]):
                best = (len(known), index, candidate)
    return (None, kind) if best is None else (best[1], best[2])


def _fits(kind: SheetKind, texts: list[str]) -> bool:
    present = {c.name for t in texts if t and (c := match_header(kind, t)) is not None}
    return all(c.name in present for c in COLUMNS[kind] if c.required)
