"""What the document readers share (``ingest.documents``): the radical mapping and its data file,
joining wrapped cells, the grammar of a notice's lines, and the first-bytes check the readers and
both upload doors make."""

from __future__ import annotations

import unicodedata

import pytest

from ingest.documents import (
    DISTRICT_COLUMN,
    GROUP_COLUMN,
    TOWN_COLUMN,
    UNION_COLUMN,
    Heading,
    StudioLine,
    is_count,
    join_wrapped,
    normalise_cjk,
    radicals_supplement,
    read_heading,
    read_studio_line,
    sniff,
)
from ingest.readers import cell_text


def test_the_supplement_table_covers_the_block_and_names_match_the_unicode_data() -> None:
    table = radicals_supplement()
    assigned = {chr(c) for c in range(0x2E80, 0x2F00) if unicodedata.category(chr(c)) != "Cn"}
    assert set(table) == assigned - {"\u2e80"}  # CJK RADICAL REPEAT stands for no ideograph
    assert all(unicodedata.name(ideograph).startswith("CJK UNIFIED IDEOGRAPH") for ideograph in table.values())
    by_nfkc = {r: unicodedata.normalize("NFKC", r) for r in table if unicodedata.normalize("NFKC", r) != r}
    assert by_nfkc == {"⺟": "母", "⻳": "龟"}  # NFKC maps two of the block, as the table does, and not ⻋ or ⻓
    assert all(table[r] == i for r, i in by_nfkc.items())


def test_the_data_file_rows_agree_with_their_code_points_and_names() -> None:
    from importlib import resources

    text = resources.files("ingest").joinpath("cjk_radicals_supplement.csv").read_text(encoding="utf-8")
    rows = [line.split(",") for line in text.splitlines() if line and not line.startswith("#")][1:]
    assert len(rows) == 114
    for code, radical, name, ideograph_code, ideograph in rows:
        assert code == f"U+{ord(radical):04X}" and ideograph_code == f"U+{ord(ideograph):04X}"
        assert name == unicodedata.name(radical)


@pytest.mark.parametrize(
    ("radical", "ideograph"),
    [("⻋", "车"), ("⻓", "长"), ("⻔", "门"), ("⻢", "马"), ("⻅", "见"), ("⻚", "页"), ("⻛", "风"),
     ("⻜", "飞"), ("⻝", "食"), ("⻠", "饣"), ("⻥", "鱼"), ("⻬", "齐"), ("⼯", "工"), ("⼈", "人"),
     ("⾦", "金"), ("\uf900", "豈")],
)  # fmt: skip
def test_radicals_and_compatibility_ideographs_map_to_what_they_stand_for(radical: str, ideograph: str) -> None:
    assert normalise_cjk(f"上海{radical}有限公司") == f"上海{ideograph}有限公司"


def test_everything_else_is_left_as_written() -> None:
    text = "中芯国际集成电路制造（上海）有限公司 ＡＢＣ １２３ ①"
    assert normalise_cjk(text) == text
    assert cell_text("上海⻓江⼯程") == "上海长江工程"  # every reader's cells, CSV and Excel too


def test_wrapped_lines_join_without_a_space_in_chinese_and_with_one_in_latin() -> None:
    assert join_wrapped("上海示例微电子\n（集团）有限公司") == "上海示例微电子（集团）有限公司"
    assert (
        join_wrapped("Shanghai Example\nMicroelectronics  \n Co., Ltd.")
        == "Shanghai Example Microelectronics Co., Ltd."
    )
    assert join_wrapped("Tesla\n（上海）有限公司") == "Tesla（上海）有限公司"
    assert join_wrapped("2024\n年") == "2024年"


@pytest.mark.parametrize(
    ("line", "heading"),
    [
        ("安亭镇(2个)", Heading(TOWN_COLUMN, "安亭镇", 2)),
        ("江川路街道", Heading(TOWN_COLUMN, "江川路街道", 2)),
        ("张江高科技园区（3个）", Heading(TOWN_COLUMN, "张江高科技园区", 2)),
        ("浦东新区", Heading(DISTRICT_COLUMN, "浦东新区", 1)),
        ("嘉定（5个）", Heading(DISTRICT_COLUMN, "嘉定区", 1)),
        ("上海市建设交通工会", Heading(UNION_COLUMN, "上海市建设交通工会", 1)),
        ("二、浦东新区总工会（3个）", Heading(UNION_COLUMN, "浦东新区总工会", 1)),
        ("一、市级机关", Heading(GROUP_COLUMN, "市级机关", 0)),
        ("（二）区局（产业）工会", Heading(GROUP_COLUMN, "区局（产业）工会", 0)),
        ("2024年12月30日", None),
        ("2021年度嘉定职工科技创新英才工作室名单", None),
        ("各区局（产业）工会、各有关单位：", None),
        ("联系人 张三", None),
    ],
)
def test_headings(line: str, heading: Heading | None) -> None:
    assert read_heading(line) == heading


@pytest.mark.parametrize(
    ("line", "studio"),
    [
        ("肖工创新工作室 (上海示例车轮有限公司)", StudioLine("肖工创新工作室", "上海示例车轮有限公司")),
        ("（12）示例工作室（上海示例（集团）有限公司）其他", StudioLine("示例工作室", "上海示例（集团）有限公司")),
        ("1、示例劳模创新工作室", StudioLine("示例劳模创新工作室", "")),
        ("2021年度嘉定职工科技创新英才工作室名单", None),
        ("工作室名称 所在单位", None),
        ("关于命名劳模创新工作室的决定", None),
    ],
)
def test_studio_lines(line: str, studio: StudioLine | None) -> None:
    assert read_studio_line(line) == studio


def test_counts() -> None:
    assert is_count("(8个)") and is_count("（共 12 个）") and not is_count("安亭镇(2个)")


@pytest.mark.parametrize(
    ("suffix", "head", "words"),
    [
        (".docx", b"PK\x03\x04rest", None),
        (".docx", b"%PDF-1.7", "not a Word .docx"),
        (".docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptionInfo".encode("utf-16-le"), "password-protected"),
        (".docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), "old Word .doc"),
        (".xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), None),
        (".xls", b"PK\x03\x04", "not an Excel 97-2003"),
        (".pdf", b"\xef\xbb\xbf%PDF-1.4", None),
        (".pdf", b"<html>", "not a PDF"),
        (".csv", b"anything", None),
    ],
)
def test_first_bytes(suffix: str, head: bytes, words: str | None) -> None:
    why = sniff(suffix, head)
    assert (why is None) if words is None else (why is not None and words in why[0] and why[1])


def test_both_upload_doors_check_the_new_types_by_content() -> None:
    """The JSON API and the console refuse uploads through one check (services.rosters)."""
    from services.rosters import UPLOAD_SUFFIXES, upload_problem, upload_problems

    def why(name: str, data: bytes) -> str | None:
        found = upload_problem(name, data)
        return None if found is None else f"{found.file}：{found.message_zh}"

    assert {".docx", ".xls", ".pdf", ".txt"} <= UPLOAD_SUFFIXES
    assert why("名单.docx", b"PK\x03\x04...") is None
    assert why("名单.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1...") is None
    assert why("名单.pdf", b"%PDF-1.7 ...") is None
    assert why("名单.txt", "1、示例工作室　上海示例有限公司".encode()) is None
    assert why("名单.docx", b"not a zip") == "名单.docx：不是 Word 文档（.docx）"
    assert why("名单.xls", b"PK\x03\x04") == "名单.xls：不是 Excel 97-2003 工作簿（.xls）"
    assert why("名单.pdf", b"GIF89a") == "名单.pdf：不是 PDF 文件"
    assert why("名单.txt", b"\x00\x01") == "名单.txt：不是文本文件（CSV、TXT 或 JSON）"
    refused = upload_problems([("a.pdf", b"GIF89a"), ("b.docx", b"PK\x03\x04"), ("c.xls", b"text")])
    assert [(p.file, p.message) for p in refused] == [
        ("a.pdf", "not a PDF file"),
        ("c.xls", "not an Excel 97-2003 .xls workbook"),
    ]
