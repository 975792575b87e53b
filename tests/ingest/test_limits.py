"""Limits on what a file unpacks to (ingest.limits): each one refuses its file with one problem, as
soon as it is crossed, and nothing is written; the report stays short however many rows are wrong."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest

from api.schemas import IngestResult
from graph.errors import ConfigurationError, ValidationError
from graph.file_store import FileStore
from ingest.limits import LimitExceeded, Limits
from ingest.pipeline import ingest
from ingest.problems import KINDS, SHOWN
from ingest.readers import read_file

from . import hostile_files as hostile
from .notice_files import STUDIOS, docx_notice, pdf_table, rows_read

HEADER = "工作室名称,领衔人,所在单位\n"


def csv_file(path: Path, rows: int, *, same: bool = False) -> Path:
    lines = [HEADER] + [f"{'同一' if same else f'第{i}'}创新工作室,张三,上海示例有限公司\n" for i in range(rows)]
    path.write_text("".join(lines), encoding="utf-8")
    return path


def xlsx_file(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    workbook.save(path)
    return path


def rewrite_member(path: Path, member: str, text: str) -> Path:
    """The workbook or document at ``path`` with one member's XML replaced."""
    with zipfile.ZipFile(path) as source:
        items = [(info, source.read(info.filename)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info, data in items:
            out.writestr(info.filename, text.encode() if info.filename == member else data)
    return path


SHEET_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{dimension}<sheetData>{rows}'
    "</sheetData></worksheet>"
)


def inline_row(*values: str, number: int | None = None, refs: bool = False) -> str:
    """A sheet row of inline strings; cells with references (A1, B1 …) when ``refs``."""
    cells = ""
    for i, value in enumerate(values):
        ref = f' r="{chr(65 + i)}{number}"' if refs else ""
        cells += f'<c{ref} t="inlineStr"><is><t>{value}</t></is></c>'
    row = f' r="{number}"' if number else ""
    return f"<row{row}>{cells}</row>"


def refusal(path: Path, limits: Limits) -> LimitExceeded:
    with pytest.raises(LimitExceeded) as caught:
        rows_read_within(path, limits)
    problem = caught.value.problems[0]
    assert len(caught.value.problems) == 1
    assert problem.file == str(path)
    assert problem.message and problem.message_zh
    assert problem.extra["kind"] == "limit"
    return caught.value


def rows_read_within(path: Path, limits: Limits) -> list[tuple[str | None, int, dict[str, str]]]:
    return [(s.sheet, n, v) for s in read_file(path, limits) for n, v, _ in s.rows]


# -- the settings -----------------------------------------------------------------------------------
def test_limits_are_settings_with_generous_defaults() -> None:
    defaults = Limits.from_env({})
    assert defaults == Limits()
    assert defaults.rows == 200_000 and defaults.pages == 2_000
    assert Limits.from_env({"ALLIANCES_LIMIT_ROWS": "5_000", "ALLIANCES_LIMIT_UNPACKED_MIB": "64"}) == Limits(
        rows=5_000, unpacked_mib=64
    )
    for wrong in ("0", "-3", "many", "1.5"):
        with pytest.raises(ConfigurationError, match="ALLIANCES_LIMIT_PAGES"):
            Limits.from_env({"ALLIANCES_LIMIT_PAGES": wrong})


def test_the_settings_are_read_when_no_limits_are_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = csv_file(tmp_path / "roster.csv", 30)
    monkeypatch.setenv("ALLIANCES_LIMIT_ROWS", "10")
    report = ingest([path], FileStore(tmp_path / "graph.json"), classify=False)
    assert [p.extra["limit"] for p in report.problems] == ["rows"]
    assert "ALLIANCES_LIMIT_ROWS" in report.problems[0].message


# -- each limit -------------------------------------------------------------------------------------
def test_rows_over_the_limit_refuse_the_file_at_the_first_row_past_it(tmp_path: Path) -> None:
    path = csv_file(tmp_path / "roster.csv", 50)
    refused = refusal(path, Limits(rows=20))
    problem = refused.problems[0]
    assert refused.limit == "rows" and problem.row == 21
    assert "20 rows in a file (ALLIANCES_LIMIT_ROWS)" in problem.message and "row 21" in problem.message
    assert "每个文件的行数最多 20" in problem.message_zh
    assert len(rows_read_within(path, Limits(rows=51))) == 50  # the header is a row too


def test_rows_are_counted_over_every_sheet_of_a_workbook(tmp_path: Path) -> None:
    rows = [["工作室名称", "所在单位"]] + [[f"第{i}创新工作室", "上海示例有限公司"] for i in range(8)]
    path = xlsx_file(tmp_path / "two.xlsx", {"工作室": rows, "工作室2": rows})
    assert len(rows_read_within(path, Limits(rows=18))) == 16
    assert refusal(path, Limits(rows=17)).problems[0].sheet == "工作室2"


def test_a_limit_refusal_is_the_one_problem_of_its_file_and_nothing_is_written(tmp_path: Path) -> None:
    """The issue's file: one row repeated (every row after the first is 'the same studio appears
    twice'), far past the row limit: one line, not a line per row."""
    repeated = csv_file(tmp_path / "repeated.csv", 300, same=True)
    other = tmp_path / "other.csv"
    other.write_text(HEADER + "甲创新工作室,,上海示例有限公司\n甲创新工作室,,上海示例有限公司\n", encoding="utf-8")
    store = FileStore(tmp_path / "graph.json")
    report = ingest([repeated, other], store, classify=False, limits=Limits(rows=100))
    assert [(p.file, p.extra["kind"]) for p in report.problems] == [(str(repeated), "limit"), (str(other), "duplicate")]
    assert report.problem_count == 2 and not report.written
    assert store.count_studios() == 0


def test_cells_per_row_are_checked_before_a_row_that_wide_is_built(tmp_path: Path) -> None:
    wide = tmp_path / "wide.csv"
    wide.write_text(HEADER + "甲创新工作室,张三,上海示例有限公司" + ",x" * 40 + "\n", encoding="utf-8")
    assert refusal(wide, Limits(cells_per_row=30)).limit == "cells_per_row"
    far = xlsx_file(
        tmp_path / "far.xlsx", {"工作室": [["工作室名称", "所在单位"], ["甲创新工作室", "上海示例有限公司"]]}
    )
    far = rewrite_member(far, "xl/worksheets/sheet1.xml", SHEET_XML.format(
        dimension="", rows=inline_row("工作室名称", "所在单位", number=1, refs=True)
        + '<row r="2"><c r="XFD2" t="inlineStr"><is><t>x</t></is></c></row>'))  # fmt: skip
    refused = refusal(far, Limits(cells_per_row=100))
    assert refused.limit == "cells_per_row" and refused.problems[0].row == 2 and "16,384" in refused.problems[0].message
    many = rewrite_member(far, "xl/worksheets/sheet1.xml", SHEET_XML.format(
        dimension="", rows=inline_row("工作室名称", "所在单位") + "<row>" + "<c/>" * 500 + "</row>"))  # fmt: skip
    assert refusal(many, Limits(cells_per_row=100)).problems[0].row == 2


def test_cells_per_file(tmp_path: Path) -> None:
    """Rows times cells per row could be 200 million; the file's cells are counted too."""
    path = csv_file(tmp_path / "roster.csv", 40)
    refused = refusal(path, Limits(cells=60))
    assert (
        refused.limit == "cells"
        and refused.problems[0].row == 21
        and "cell 63 of the file" in refused.problems[0].message
    )
    assert "ALLIANCES_LIMIT_CELLS" in refused.problems[0].message
    assert len(rows_read_within(path, Limits(cells=123))) == 40


def test_characters_per_cell_and_per_line(tmp_path: Path) -> None:
    long_cell = tmp_path / "long.csv"
    long_cell.write_text(HEADER + "甲创新工作室,张三," + "上" * 500 + "\n", encoding="utf-8")
    refused = refusal(long_cell, Limits(cell_chars=100))
    assert refused.limit == "cell_chars" and refused.problems[0].row == 2 and "column 3" in refused.problems[0].message
    one_line = tmp_path / "one-line.txt"
    one_line.write_text("肖华峰创新工作室 " * 20_000, encoding="utf-8")
    refused = refusal(one_line, Limits(line_chars=10_000))
    assert refused.limit == "line_chars" and refused.problems[0].row == 1
    csv_line = tmp_path / "line.csv"
    csv_line.write_text(HEADER + "x" * 50_000, encoding="utf-8")
    assert refusal(csv_line, Limits(line_chars=10_000)).problems[0].row == 2


def test_sheets_per_file(tmp_path: Path) -> None:
    rows = [["工作室名称", "所在单位"], ["甲创新工作室", "上海示例有限公司"]]
    path = xlsx_file(tmp_path / "many.xlsx", {f"工作室{i}": rows for i in range(4)})
    assert refusal(path, Limits(sheets=3)).limit == "sheets"
    document = docx.Document()
    for _ in range(4):
        document.add_table(rows=1, cols=2)
    document.save(str(tmp_path / "tables.docx"))
    assert refusal(tmp_path / "tables.docx", Limits(sheets=3)).limit == "sheets"


def test_table_cells_of_a_document(tmp_path: Path) -> None:
    path = docx_notice(tmp_path / "notice.docx", STUDIOS)
    assert len(rows_read(path)) == 4
    refused = refusal(path, Limits(document_cells=20))
    assert refused.limit == "document_cells" and "table cell 21" in refused.problems[0].message


def test_pages_of_a_pdf_are_counted_before_any_is_read(tmp_path: Path) -> None:
    rows = [[s["工作室名称"], s["所在单位"]] for s in STUDIOS] * 40
    path = pdf_table(tmp_path / "long.pdf", ["工作室名称", "所在单位"], rows)
    assert len(rows_read(path)) == 160
    refused = refusal(path, Limits(pages=2))
    assert refused.limit == "pages" and "the PDF has" in refused.problems[0].message


def test_objects_drawn_on_a_pdf_page(tmp_path: Path) -> None:
    path = pdf_table(
        tmp_path / "notice.pdf", ["工作室名称", "所在单位"], [[s["工作室名称"], s["所在单位"]] for s in STUDIOS]
    )
    assert len(rows_read(path)) == 4
    refused = refusal(path, Limits(page_objects=50))
    assert refused.limit == "page_objects" and "page 1 draws more than 50" in refused.problems[0].message


def test_unpacked_bytes_are_counted_as_they_inflate_whatever_the_zip_directory_says(tmp_path: Path) -> None:
    rows = [["工作室名称", "所在单位", "技术专长"]] + [
        [f"第{i}创新工作室", f"上海示例{i}有限公司", f"专长{i * 7919 % 100_003}"] for i in range(20_000)
    ]
    path = xlsx_file(tmp_path / "big.xlsx", {"工作室": rows})
    assert refusal(path, Limits(unpacked_mib=1)).limit == "unpacked_mib"
    # the same workbook with each member's declared size in the zip directory set to 1 byte, so that a
    # check of declared sizes would pass it: zipfile stops a member at its declared size (a CRC
    # error), so it is refused all the same, and never inflates further
    lying = tmp_path / "lying.xlsx"
    lying.write_bytes(declared_sizes(path.read_bytes(), 1))
    with pytest.raises(ValidationError) as caught:
        rows_read_within(lying, Limits(unpacked_mib=1))
    assert caught.value.problems[0].extra["kind"] in {"file-unreadable", "limit"}


def declared_sizes(data: bytes, size: int) -> bytes:
    """A zip with every member's uncompressed size, in its local header and in the central
    directory, declared as ``size``."""
    out = bytearray(data)
    central = int.from_bytes(out[out.rfind(b"PK\x05\x06") + 16 :][:4], "little")
    at = central
    while out[at : at + 4] == b"PK\x01\x02":
        out[at + 24 : at + 28] = size.to_bytes(4, "little")
        local = int.from_bytes(out[at + 42 : at + 46], "little")
        out[local + 22 : local + 26] = size.to_bytes(4, "little")
        name, extra, comment = (int.from_bytes(out[at + k : at + k + 2], "little") for k in (28, 30, 32))
        at += 46 + name + extra + comment
    return bytes(out)


def test_a_zip_bomb_is_refused_before_any_part_is_parsed(tmp_path: Path) -> None:
    """Its header lacks a column, which parsing would report at row 1: the bomb is refused first,
    a few MB into inflating it, however far it would go."""
    bomb = hostile.xlsx_zip_bomb(tmp_path / "bomb.xlsx", 64)
    refused = refusal(bomb, Limits())
    assert refused.limit == "unpack_ratio" and "xl/worksheets/sheet1.xml" in refused.problems[0].message
    inflated = int(refused.problems[0].message.split("to more than ")[1].split(" ")[0].replace(",", ""))
    assert inflated < 16 * 2**20


def test_a_zip_bomb_is_refused_by_its_inflation_ratio(tmp_path: Path) -> None:
    path = xlsx_file(tmp_path / "bomb.xlsx", {"工作室": [["工作室名称", "所在单位"]]})
    bomb = SHEET_XML.format(dimension="", rows=inline_row("工作室名称", "所在单位") + "<row><c/></row>" * 300_000)
    rewrite_member(path, "xl/worksheets/sheet1.xml", bomb)
    refused = refusal(path, Limits())
    assert refused.limit == "unpack_ratio" and "xl/worksheets/sheet1.xml" in refused.problems[0].message


def test_a_deflate_bomb_inside_a_pdf_is_caught_before_pdfminer_inflates_it(tmp_path: Path) -> None:
    import zlib

    packed = zlib.compress(b"0 0 m " * 3_000_000, 9)
    body = b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed) + packed + b"\nendstream"
    path = tmp_path / "bomb.pdf"
    path.write_bytes(b"%PDF-1.4\n1 0 obj\n" + body + b"\nendobj\ntrailer\n<< >>\n%%EOF\n")
    assert refusal(path, Limits()).limit == "unpack_ratio"


def test_json_size_depth_and_shape(tmp_path: Path) -> None:
    big = tmp_path / "big.json"
    big.write_text(
        json.dumps([{"工作室名称": "甲" * 1000, "所在单位": "乙"}] * 1200, ensure_ascii=False), encoding="utf-8"
    )
    assert refusal(big, Limits(json_mib=1)).limit == "json_mib"
    for name, text, words in [
        ("deep.json", "[" * 100_000 + "]" * 100_000, "nested too deeply"),
        ("digits.json", '[{"工作室名称": ' + "9" * 10_000 + "}]", "not valid JSON"),
        ("nested.json", '[{"工作室名称": [["甲"]], "所在单位": "乙"}]', "list of lists"),
    ]:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        with pytest.raises(ValidationError) as caught:
            rows_read_within(path, Limits())
        assert words in caught.value.problems[0].message
    rows = tmp_path / "rows.json"
    rows.write_text(json.dumps([{"工作室名称": f"第{i}工作室", "所在单位": "乙"} for i in range(30)]), encoding="utf-8")
    assert refusal(rows, Limits(rows=10)).limit == "rows"


# -- reading stops where it should ------------------------------------------------------------------
def test_a_header_lacking_a_column_stops_the_read_of_a_workbook_at_its_header(tmp_path: Path) -> None:
    """No dimension element, and a sheet broken 200 KB after its header: the missing column is
    reported, so nothing past the header was parsed (openpyxl's read-only sheet parses a sheet
    without a dimension from end to end when it is opened, and stopped at the break)."""
    filler = inline_row("甲创新工作室", "张三") * 3000
    path = hostile.xlsx(
        tmp_path / "roster.xlsx", [inline_row("工作室名称", "领衔人"), filler, "<row><c><v>1</v></row>"]
    )
    with pytest.raises(ValidationError) as caught:
        rows_read_within(path, Limits())
    assert [(p.row, p.column, p.extra["kind"]) for p in caught.value.problems] == [(1, "所在单位", "missing-column")]
    whole = hostile.xlsx(
        tmp_path / "whole.xlsx", [inline_row("工作室名称", "所在单位"), filler, "<row><c><v>1</v></row>"]
    )
    with pytest.raises(ValidationError, match=r"not a readable \.xlsx workbook"):
        rows_read_within(whole, Limits())  # read on, it does reach the break


def test_a_sheet_dimension_is_not_trusted(tmp_path: Path) -> None:
    rows = inline_row("工作室名称", "所在单位", number=1, refs=True) + "".join(
        inline_row(f"第{i}创新工作室", "上海示例有限公司", number=i, refs=True) for i in range(2, 7)
    )
    path = xlsx_file(tmp_path / "roster.xlsx", {"工作室": [["工作室名称"]]})
    rewrite_member(path, "xl/worksheets/sheet1.xml", SHEET_XML.format(dimension='<dimension ref="A1:A2"/>', rows=rows))
    assert [(n, v["name"], v["employer"]) for _, n, v in rows_read_within(path, Limits())] == [
        (i, f"第{i}创新工作室", "上海示例有限公司") for i in range(2, 7)
    ]
    far = SHEET_XML.format(dimension='<dimension ref="A1:XFD1048576"/>', rows=rows)
    rewrite_member(path, "xl/worksheets/sheet1.xml", far)
    assert len(rows_read_within(path, Limits(cells_per_row=10, rows=10))) == 5


# -- XML that expands -------------------------------------------------------------------------------
LAUGHS = (
    '<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10 if i > 1 else "&lol;" * 10}">' for i in range(1, 10))
    + "]>"
)


def test_a_billion_laughs_workbook_is_refused_and_smaller_entities_are_not_expanded(tmp_path: Path) -> None:
    """In a sheet (lxml: libxml2 refuses the amplification) and in the shared strings (expat does)."""
    sheet = hostile.xlsx_laughs(tmp_path / "laughs.xlsx")
    strings = hostile.xlsx(
        tmp_path / "shared.xlsx",
        [inline_row(*hostile.STUDIO_HEADER), '<row><c t="s"><v>0</v></c></row>'],
        strings=["&lol9;"],
        strings_prolog=hostile.laughs(9, "sst"),
    )
    for path in (sheet, strings):
        with pytest.raises(ValidationError) as caught:
            rows_read_within(path, Limits())
        assert caught.value.problems[0].extra["kind"] == "file-unreadable"
        assert "amplification" in caught.value.problems[0].message
    small = hostile.xlsx_laughs(tmp_path / "small.xlsx", depth=3)
    assert [v["name"] for _, _, v in rows_read_within(small, Limits())] == ["甲创新工作室"]


def test_a_billion_laughs_document_is_refused_and_smaller_entities_are_not_expanded(tmp_path: Path) -> None:
    with pytest.raises(ValidationError) as caught:
        rows_read_within(hostile.docx_laughs(tmp_path / "laughs.docx"), Limits())
    assert "not a readable .docx document" in caught.value.problems[0].message
    assert "amplification" in caught.value.problems[0].message
    small = hostile.docx_laughs(tmp_path / "small.docx", depth=3)
    assert [(v["name"], v["employer"]) for _, _, v in rows_read_within(small, Limits())] == [("甲创新工作室", "乙公司")]


def test_an_external_entity_in_a_word_document_is_never_fetched(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET", encoding="utf-8")
    path = docx_notice(tmp_path / "notice.docx", STUDIOS)
    with zipfile.ZipFile(path) as archive:
        body = archive.read("word/document.xml").decode()
    body = body.replace("?>", f'?><!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file://{secret}">]>', 1)
    rewrite_member(path, "word/document.xml", body.replace("张建华劳模创新工作室", "张建华劳模创新工作室&xxe;"))
    read = rows_read(path)
    assert read[0][2]["name"] == "张建华劳模创新工作室"
    assert all("SECRET" not in v for _, _, values, _ in read for v in values.values())


def test_deep_nesting_is_refused_never_a_crash(tmp_path: Path) -> None:
    """A cell nesting 5,000 elements, tables nested 2,000 deep: past libxml2's depth limit (256),
    refused as unreadable, in one line each."""
    deep_sheet = hostile.xlsx_nested(tmp_path / "deep.xlsx", 5_000)
    deep_tables = hostile.docx_nested(tmp_path / "deep.docx", 2_000)
    report = ingest([deep_sheet, deep_tables], FileStore(tmp_path / "graph.json"), classify=False)
    assert [(p.file, p.extra["kind"]) for p in report.problems] == [
        (str(deep_sheet), "file-unreadable"),
        (str(deep_tables), "file-unreadable"),
    ]
    assert all("Excessive depth" in p.message for p in report.problems)


# -- the report -------------------------------------------------------------------------------------
def test_a_report_names_the_first_problems_and_counts_the_rest_by_kind(tmp_path: Path) -> None:
    path = csv_file(tmp_path / "repeated.csv", 500, same=True)
    extra = tmp_path / "empty-employer.csv"
    extra.write_text(HEADER + "乙创新工作室,张三,\n", encoding="utf-8")
    report = ingest([path, extra], FileStore(tmp_path / "graph.json"), classify=False)
    assert report.problem_count == 500 and len(report.problems) == SHOWN
    assert dict(report.problem_kinds) == {"duplicate": 499, "missing-value": 1}
    body = report.to_json()
    assert body["problem_kinds"] == [
        {"kind": "duplicate", "label": KINDS["duplicate"][0], "label_zh": KINDS["duplicate"][1], "count": 499,
         "shown": SHOWN},
        {"kind": "missing-value", "label": KINDS["missing-value"][0], "label_zh": KINDS["missing-value"][1],
         "count": 1, "shown": 0},
    ]  # fmt: skip
    assert {p["kind"] for p in body["problems"]} == {"duplicate"}
    assert IngestResult.model_validate(body).problem_kinds[0].count == 499


@pytest.mark.parametrize(
    ("name", "content", "kind", "words"),
    [
        ("header-only.csv", HEADER, "no-rows", "every row below it is empty"),
        ("blank-rows.csv", HEADER + ",,\n,,\n", "no-rows", "every row below it is empty"),
        ("no-header.csv", "一些说明\n其他文字\n", "no-header", "no header row naming the required columns"),
        ("missing.csv", "工作室名称,领衔人\n甲创新工作室,张三\n", "missing-column", "required column employer"),
    ],
)
def test_a_file_that_yields_no_rows_says_why(tmp_path: Path, name: str, content: str, kind: str, words: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    report = ingest([path], FileStore(tmp_path / "graph.json"), classify=False)
    assert [(p.extra["kind"], words in p.message) for p in report.problems] == [(kind, True)]


def test_a_workbook_without_a_known_sheet_names_the_sheets_it_looked_at(tmp_path: Path) -> None:
    path = xlsx_file(tmp_path / "notes.xlsx", {"Sheet1": [["说明"]], "汇总": [["合计", 3]]})
    with pytest.raises(ValidationError) as caught:
        rows_read_within(path, Limits())
    problem = caught.value.problems[0]
    assert "Sheet1、汇总" in problem.message and "Sheet1、汇总" in problem.message_zh
    assert problem.extra["kind"] == "no-header"


def test_every_kind_has_both_labels() -> None:
    assert all(en and zh and en != zh for en, zh in KINDS.values())


def _zip_of(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_a_workbook_renamed_docx_is_refused_as_not_a_word_file(tmp_path: Path) -> None:
    path = xlsx_file(tmp_path / "roster.xlsx", {"工作室": [["工作室名称", "所在单位"]]})
    renamed = tmp_path / "roster.docx"
    renamed.write_bytes(path.read_bytes())
    with pytest.raises(ValidationError, match="is not a Word file"):
        rows_read_within(renamed, Limits())
    empty = tmp_path / "empty.docx"
    empty.write_bytes(_zip_of({"a.txt": b"x"}))
    with pytest.raises(ValidationError, match=r"not a readable \.docx document"):
        rows_read_within(empty, Limits())
