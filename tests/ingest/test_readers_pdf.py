"""PDF notices with a text layer: ruled tables on each page, wrapped cells joined, merged cells
carried down, a table continued over pages, radicals mapped; scans, broken and encrypted PDFs
refused in one line. PDFs are made here with reportlab (CID font STSong-Light) or by hand."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from graph.file_store import FileStore
from graph.model import Employer, Studio

from .notice_files import (
    STUDIOS,
    load,
    names_and_employers,
    one_line,
    pdf_blank,
    pdf_image_only,
    pdf_table,
    pdf_text_layer,
    rows_read,
)

HEADER = ("序号", "所在区", "工作室名称", "领衔人", "所在单位")


def _rows(studios: list[dict[str, str]]) -> list[list[str]]:
    return [[s["序号"], s["所在区"], s["工作室名称"], s["领衔人"], s["所在单位"]] for s in studios]


def test_wrapped_cells_are_joined_and_merged_districts_carried_down(tmp_path: Path) -> None:
    studios = [
        *STUDIOS[:3],
        {**STUDIOS[3], "所在单位": "Shanghai Example Microelectronics Manufacturing Co., Ltd."},
    ]
    rows = _rows(studios)
    rows[1][1] = ""  # merged with the cell above: 嘉定区 over rows 1 and 2
    rows[3][1] = ""
    path = pdf_table(
        tmp_path / "名单.pdf", HEADER, rows, widths=(30, 50, 90, 45, 95), spans=((1, 1, 1, 2), (1, 3, 1, 4))
    )
    read = rows_read(path)
    assert {s for s, *_ in read} == {"2024年上海市劳模创新工作室命名名单"}
    assert [(v["seq"], v["district"], v["name"], v["leader"], v["employer"]) for _, _, v, _ in read] == [
        ("1", "嘉定区", "张建华劳模创新工作室", "张建华", "上海示例车轮制造有限公司"),
        ("2", "嘉定区", "李秀英创新工作室", "李秀英", "上海示例精密模具有限公司"),
        ("3", "浦东新区", "王志强技能大师工作室", "王志强", "上海示例液压气动有限公司"),
        (
            "4",
            "浦东新区",
            "赵丽娟劳模创新工作室",
            "赵丽娟",
            "Shanghai Example Microelectronics Manufacturing Co., Ltd.",
        ),
    ]


def test_the_cells_really_wrap_in_the_file(tmp_path: Path) -> None:
    import pdfplumber

    path = pdf_table(tmp_path / "名单.pdf", HEADER, _rows(STUDIOS), widths=(30, 50, 90, 45, 95))
    with pdfplumber.open(path) as pdf:
        cells = pdf.pages[0].extract_tables()[0]
    assert "\n" in (cells[1][4] or "") and "\n" in (cells[1][2] or "")


@pytest.mark.parametrize("repeat_header", [True, False])
def test_a_table_over_several_pages_is_one_sheet(tmp_path: Path, repeat_header: bool) -> None:
    studios = [
        {"序号": str(i), "所在区": "嘉定区", "工作室名称": f"示例{i}号劳模创新工作室", "领衔人": f"张{i}",
         "所在单位": f"上海示例第{i}制造有限公司"}
        for i in range(1, 91)
    ]  # fmt: skip
    path = pdf_table(tmp_path / "长名单.pdf", HEADER, _rows(studios), repeat_header=repeat_header)
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        assert len(pdf.pages) >= 3
    read = rows_read(path)
    assert len({s for s, *_ in read}) == 1
    assert [v["name"] for _, _, v, _ in read] == [s["工作室名称"] for s in studios]
    assert [v["employer"] for _, _, v, _ in read] == [s["所在单位"] for s in studios]
    assert len({n for _, n, _, _ in read}) == 90


def test_radicals_the_font_emits_are_mapped(tmp_path: Path) -> None:
    rows = [["1", "嘉定区", "⻓江创新工作室", "张建华", "上海⻓江⻋辆有限公司"]]
    path = pdf_table(tmp_path / "名单.pdf", HEADER, rows)
    assert names_and_employers(path) == [("长江创新工作室", "上海长江车辆有限公司")]


def test_a_text_layer_of_kangxi_and_supplement_radicals_is_read_as_pasted_text(tmp_path: Path) -> None:
    path = pdf_text_layer(
        tmp_path / "通知.pdf",
        ["附件", "2024年职⼯创新⼯作室名单", "（2个）", "1、张建华⼯匠创新⼯作室　上海⻓江⻋辆有限公司",
         "2、李秀英创新工作室 (上海示例⻔窗有限公司)"],
    )  # fmt: skip
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        assert "⼯" in pdf.pages[0].extract_text()  # the text layer really holds U+2F2F
    assert names_and_employers(path) == [
        ("张建华工匠创新工作室", "上海长江车辆有限公司"),
        ("李秀英创新工作室", "上海示例门窗有限公司"),
    ]


@pytest.mark.parametrize("make", [pdf_image_only, pdf_blank])
def test_a_pdf_without_a_text_layer_is_refused_never_read_as_empty(
    tmp_path: Path, make: Callable[[Path], Path]
) -> None:
    path = make(tmp_path / "扫描件.pdf")
    line = one_line(load(tmp_path / "graph.json", path), path)
    assert "no text layer" in line and "PDF 没有文字层（可能是扫描件）" in line


def test_broken_and_encrypted_pdfs_are_refused_in_one_line(tmp_path: Path) -> None:
    good = pdf_table(tmp_path / "good.pdf", HEADER, _rows(STUDIOS)).read_bytes()
    truncated = tmp_path / "truncated.pdf"
    truncated.write_bytes(good[: len(good) // 3])
    header_only = tmp_path / "header.pdf"
    header_only.write_bytes(b"%PDF-1.4")
    encrypted = pdf_table(tmp_path / "encrypted.pdf", HEADER, _rows(STUDIOS), encrypt="secret")
    not_pdf = tmp_path / "picture.pdf"
    not_pdf.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    store_path = tmp_path / "graph.json"
    for path, words in [
        (truncated, "not a readable PDF"),
        (header_only, "not a readable PDF"),
        (encrypted, "password-protected"),
        (not_pdf, "not a PDF file"),
    ]:
        assert words in one_line(load(store_path, path), path)
    assert not store_path.exists() or FileStore(store_path).count_studios() == 0


def test_a_pdf_list_loads_into_the_store_and_again_changes_nothing(tmp_path: Path) -> None:
    path = pdf_table(tmp_path / "名单.pdf", HEADER, _rows(STUDIOS), widths=(30, 50, 90, 45, 95))
    store_path = tmp_path / "graph.json"
    first = load(store_path, path)
    assert first.ok, [p.describe() for p in first.problems]
    assert first.kinds["Studio"].created == 4
    store = FileStore(store_path)
    employers = sorted(store.get(Employer, s.employer_id or "").name for s in store.list(Studio))
    assert employers == sorted(s["所在单位"] for s in STUDIOS)
    before = store.projection()
    second = load(store_path, path)
    assert second.ok and all(k.created == 0 and k.updated == 0 for k in second.kinds.values())
    assert FileStore(store_path).projection() == before


def test_a_leaderless_pdf_list_loads(tmp_path: Path) -> None:
    """Needs the optional leader column (being made at the same time)."""
    rows = [[s["序号"], s["工作室名称"], s["所在单位"]] for s in STUDIOS]
    path = pdf_table(tmp_path / "名单.pdf", ("序号", "工作室名称", "所在单位"), rows)
    report = load(tmp_path / "graph.json", path)
    assert report.ok, [p.describe() for p in report.problems]
    assert report.kinds["Studio"].created == 4
