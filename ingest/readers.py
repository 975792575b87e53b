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
from .limits import Budget, Limits

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


def read_file(path: Path, limits: Limits | None = None) -> Iterator[Sheet]:
    """The sheets of one file, read within ``limits`` (``None``: :meth:`Limits.from_env`); a file
    over a limit raises :class:`ingest.limits.LimitExceeded` as soon as it crosses it."""
    name = str(path)
    if not path.exists():
        raise _unreadable("file not found", "文件不存在", name)
    if path.is_dir():
        raise _unreadable("is a folder, not a file", "这是文件夹，不是文件", name)
    suffix = path.suffix.lower()
    if path.stat().st_size == 0:
        raise _unreadable("the file is empty", "文件为空", name)
    budget = Budget(name, limits or Limits.from_env())
    if suffix in {".csv", ".tsv"}:
        yield _csv_sheet(path, budget)
    elif suffix == ".txt":
        from .text_reader import txt_sheets

        yield from txt_sheets(path, budget)
    elif suffix in {".xlsx", ".xlsm"}:
        from .xlsx_reader import xlsx_sheets

        yield from xlsx_sheets(path, budget)
    elif suffix == ".json":
        yield from _json_sheets(path, budget)
    elif suffix == ".xls":
        from .xls_reader import xls_sheets

        yield from xls_sheets(path, budget)
    elif suffix == ".docx":
        from .docx_reader import docx_sheets

        yield from docx_sheets(path, budget)
    elif suffix == ".pdf":
        from .pdf_reader import pdf_sheets

        yield from pdf_sheets(path, budget)
    else:
        raise _unreadable(
            f"unknown file type {suffix or '(none)'}; use .csv, .txt, .xlsx, .xls, .docx, .pdf or .json",
            f"无法识别的文件类型 {suffix or '（无扩展名）'}，请使用 .csv、.txt、.xlsx、.xls、.docx、.pdf 或 .json",
            name,
        )


def _unreadable(message: str, message_zh: str, file: str, **extra: Any) -> ValidationError:
    return ValidationError(Problem(message, message_zh, file=file, extra={"kind": "file-unreadable", **extra}))


def no_sheet_found(file: str, looked_at: list[str]) -> ValidationError:
    """The refusal of a workbook none of whose sheets has a header of a known kind, naming the
    sheets looked at."""
    shown = "、".join(looked_at[:10]) + ("…" if len(looked_at) > 10 else "")
    return ValidationError(
        Problem(
            "no sheet of studios, projects, collaborations, alliances, ledgers or funding found in the workbook"
            + (f": no header naming their columns in the first {HEADER_SCAN_ROWS} rows of {shown}" if shown else ""),
            "工作簿中没有找到工作室、重点项目、合作记录、联盟、台帐或经费工作表"
            + (f"：{shown} 的前 {HEADER_SCAN_ROWS} 行中没有相应的表头" if shown else ""),
            file=file,
            extra={"kind": "no-header"},
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
        raise _unreadable(
            "this is not a text CSV file (it holds binary data)", "这不是文本 CSV 文件（含二进制内容）", file
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
                extra={"byte": exc.start, "kind": "encoding"},
            )
        ) from None


def text_lines(fh: IO[str], budget: Budget) -> Iterator[str]:
    """The lines of an open text file, each with its line end, without ever holding more than
    one line of at most ``budget.limits.line_chars`` characters: a longer line is refused at
    that length, not read whole."""
    most = budget.limits.line_chars
    number = 0
    while line := fh.readline(most + 1):
        number += 1
        budget.count_line(len(line.rstrip("\r\n")), number)
        yield line


def bad_character(path: Path, encoding: str) -> ValidationError:
    """The refusal of a text file with a byte that is not ``encoding``, naming its line (found
    by decoding the file again in chunks, so never holding it whole)."""
    decoder = codecs.getincrementaldecoder(encoding)()
    newlines = 0
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 16):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                line = newlines + exc.object[: exc.start].count(b"\n") + 1
                break
            newlines += chunk.count(b"\n")
        else:
            line = newlines + 1
    return ValidationError(
        Problem(
            f"a character on line {line} is not valid {encoding}",
            f"第 {line} 行有不符合 {encoding} 编码的字符",
            file=str(path),
            row=line,
            extra={"kind": "encoding"},
        )
    )


def _csv_sheet(path: Path, budget: Budget, *, delimiter: str | None = None) -> Sheet:
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
    reader = csv.reader(text_lines(fh_text, budget), delimiter=delimiter)

    def raw_rows() -> Iterator[tuple[int, list[Any]]]:
        try:
            while True:
                try:
                    values = next(reader)
                except StopIteration:
                    return
                except UnicodeDecodeError:
                    raise bad_character(path, encoding) from None
                except csv.Error as exc:
                    raise ValidationError(
                        Problem(f"broken CSV: {exc}", f"CSV 格式错误：{exc}", file=name, row=reader.line_num,
                                extra={"kind": "file-unreadable"})
                    ) from None  # fmt: skip
                budget.count_row(None, reader.line_num, values)
                yield reader.line_num, values
        finally:
            fh_text.close()

    sheet = _sheet_from_rows(name, None, raw_rows(), encoding=encoding)
    assert sheet is not None  # not optional: a CSV without a header raises
    return sheet


# -- JSON -----------------------------------------------------------------------------------------
def _json_sheets(path: Path, budget: Budget) -> Iterator[Sheet]:
    """A JSON file: a list of row objects, or an object of named lists of them. Read whole (there
    is no streaming JSON parser in the standard library), so its size is checked first."""
    name = str(path)
    budget.count_json(path.stat().st_size)
    try:
        raw = path.read_bytes()
        data = json.loads(raw.decode(detect_encoding(raw[:_SNIFF_BYTES], file=name)))
    except RecursionError:
        raise _unreadable("not a roster: the JSON is nested too deeply", "不是名单：JSON 嵌套层数过多", name) from None
    except (ValueError, UnicodeDecodeError) as exc:  # JSONDecodeError, and numbers of too many digits
        raise _unreadable(f"not valid JSON ({exc})"[:300], f"不是有效的 JSON（{exc}）"[:300], name) from None
    tables: list[tuple[str | None, Any]]
    if isinstance(data, list):
        tables = [(None, data)]
    elif isinstance(data, dict):
        tables = list(data.items())
    else:
        raise _unreadable(
            "JSON must be a list of rows or an object of named lists", "JSON 须为行的列表，或以表名为键的对象", name
        )
    found = False
    for sheet_name, items in tables:
        if not isinstance(items, list):
            continue
        budget.count_sheet(sheet_name)
        hint = sheet_kind_by_name(sheet_name) if sheet_name else None
        rows = _json_rows(name, sheet_name, items, budget)
        sheet = _sheet_from_rows(name, sheet_name, rows, kind_hint=hint, optional=sheet_name is not None)
        if sheet is not None:
            found = True
            yield sheet
    if not found:
        raise ValidationError(
            Problem("no rows of a known kind in the JSON file", "JSON 文件中没有可识别的数据", file=name,
                    extra={"kind": "no-header"})
        )  # fmt: skip


def _json_rows(file: str, sheet: str | None, items: list[Any], budget: Budget) -> Iterator[tuple[int, list[Any]]]:
    """A JSON list's rows: its headers (every key, in the order first seen) as row 0, then each
    object's values under them. Every item must be an object whose values are text, numbers,
    booleans, null, or lists of those."""
    headers: dict[str, None] = {}
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            raise ValidationError(
                Problem("each row must be an object", "每一行都必须是对象", file=file, sheet=sheet, row=number,
                        extra={"kind": "file-unreadable"})
            )  # fmt: skip
        for key, value in item.items():
            headers.setdefault(key, None)
            if isinstance(value, dict) or (isinstance(value, list) and any(isinstance(v, dict | list) for v in value)):
                raise ValidationError(
                    Problem(
                        "a value is an object or a list of lists; write text, a number or a list of texts",
                        "值为对象或嵌套的列表；请填写文字、数字或文字的列表",
                        file=file, sheet=sheet, row=number, column=str(key), extra={"kind": "invalid-value"},
                    )
                )  # fmt: skip
        budget.count_width(sheet, number, len(headers))
    names = list(headers)
    yield 0, list(names)
    for number, item in enumerate(items, start=1):
        values = [item.get(h) for h in names]
        budget.count_row(sheet, number, [v if isinstance(v, str) else cell_text(v) for v in values])
        yield number, values


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
            Problem(
                "no header row: the sheet is empty",
                "没有表头：工作表为空",
                file=file,
                sheet=sheet,
                extra={"kind": "no-rows"},
            )
        )
    first = next((vals for _, vals in scanned if any(cell_text(v).strip() for v in vals)), [])
    return ValidationError(
        Problem(
            "no header row naming the required columns (for studios: 工作室名称, 所在单位)",
            "找不到包含必填列的表头（工作室名单须有：工作室名称、所在单位）",
            file=file,
            sheet=sheet,
            value=";".join(cell_text(v) for v in first)[:200],
            extra={"kind": "no-header"},
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
                    extra={"kind": "duplicate-column"},
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
                    extra={"kind": "missing-column"},
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
