"""Word ``.docx`` notices: every table a sheet, merged cells carried down, titles and headings
around the tables, paragraphs read as pasted text when there is no table; broken and
password-protected documents refused in one line. Documents are made here with python-docx."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx

from graph.file_store import FileStore
from graph.model import ModelWorker, Studio, Union

from .notice_files import STUDIOS, docx_notice, load, names_and_employers, one_line, rows_read


def test_a_table_under_its_title_with_the_union_merged_down(tmp_path: Path) -> None:
    path = docx_notice(tmp_path / "名单.docx", STUDIOS)
    read = rows_read(path)
    assert {sheet for sheet, *_ in read} == {"2024年上海市劳模创新工作室命名名单"}
    assert [(n, v["seq"], v["name"], v["leader"], v["employer"], v["union"]) for _, n, v, _ in read] == [
        (2, "1", "张建华劳模创新工作室", "张建华", "上海示例车轮制造有限公司", "上海市示例机电工会"),
        (3, "2", "李秀英创新工作室", "李秀英", "上海示例精密模具有限公司", "上海市示例机电工会"),
        (4, "3", "王志强技能大师工作室", "王志强", "上海示例液压气动有限公司", "上海市示例机电工会"),
        (5, "4", "赵丽娟劳模创新工作室", "赵丽娟", "上海示例微电子（集团）有限公司", "浦东新区总工会"),
    ]


def test_the_merge_is_really_a_vertical_merge_in_the_file(tmp_path: Path) -> None:
    path = docx_notice(tmp_path / "名单.docx", STUDIOS)
    xml = zipfile.ZipFile(path).read("word/document.xml").decode()
    assert xml.count('w:vMerge w:val="restart"') == 1 and xml.count("<w:vMerge/>") == 2


def test_a_title_row_spanning_the_table_is_a_title_not_a_header(tmp_path: Path) -> None:
    path = docx_notice(tmp_path / "名单.docx", STUDIOS, above=(), banner="2024年上海市劳模创新工作室命名名单（共4个）")
    read = rows_read(path)
    assert {sheet for sheet, *_ in read} == {"2024年上海市劳模创新工作室命名名单（共4个）"}
    assert [n for _, n, _, _ in read] == [3, 4, 5, 6]
    assert [v["union"] for _, _, v, _ in read] == ["上海市示例机电工会"] * 3 + ["浦东新区总工会"]


def test_district_merged_down_and_a_header_cell_spanning_two_columns(tmp_path: Path) -> None:
    document = docx.Document()
    table = document.add_table(rows=4, cols=5)
    for column, header in enumerate(["序号", "所在区", "工作室名称", "领衔人", "所在单位"]):
        table.cell(0, column).text = header
    for index, row in enumerate(STUDIOS[:3], start=1):
        for column, header in ((0, "序号"), (2, "工作室名称"), (3, "领衔人"), (4, "所在单位")):
            table.cell(index, column).text = row[header]
    table.cell(1, 1).merge(table.cell(3, 1)).text = "嘉定区"
    wide = document.add_table(rows=2, cols=3)
    wide.cell(0, 1).merge(wide.cell(0, 2)).text = "所在单位"
    wide.cell(0, 0).text = "工作室名称"
    wide.cell(1, 0).text = "孙建国工作室"
    wide.cell(1, 1).text = "上海示例船舶有限公司"
    path = tmp_path / "两表.docx"
    document.save(str(path))
    read = rows_read(path)
    assert [(s, v["name"], v.get("district")) for s, _, v, _ in read] == [
        ("表1", "张建华劳模创新工作室", "嘉定区"),
        ("表1", "李秀英创新工作室", "嘉定区"),
        ("表1", "王志强技能大师工作室", "嘉定区"),
        ("表2", "孙建国工作室", None),
    ]
    assert read[3][2]["employer"] == "上海示例船舶有限公司"


def test_headings_above_and_inside_tables_set_their_columns(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("2024年上海市劳模创新工作室命名名单")
    document.add_paragraph("嘉定区（2个）")
    first = document.add_table(rows=3, cols=2)
    for r, (name, employer) in enumerate([("工作室名称", "所在单位"), ("张建华劳模创新工作室", "上海示例车轮有限公司"),
                                          ("李秀英创新工作室", "上海示例模具有限公司")]):  # fmt: skip
        first.cell(r, 0).text, first.cell(r, 1).text = name, employer
    document.add_paragraph("")
    second = document.add_table(rows=6, cols=2)  # the last row left blank, as clerks leave them
    second.cell(0, 0).text, second.cell(0, 1).text = "工作室名称", "所在单位"
    second.cell(1, 0).merge(second.cell(1, 1)).text = "上海市示例机电工会（1个）"
    second.cell(2, 0).text, second.cell(2, 1).text = "王志强技能大师工作室", "上海示例液压有限公司"
    second.cell(3, 0).merge(second.cell(3, 1)).text = "安亭镇"
    second.cell(4, 0).text, second.cell(4, 1).text = "赵丽娟劳模创新工作室", "上海示例微电子有限公司"
    path = tmp_path / "分组.docx"
    document.save(str(path))
    read = rows_read(path)
    assert [(s, v["name"], v.get("district") or None, v.get("union") or None, x) for s, _, v, x in read] == [
        ("嘉定区（2个）", "张建华劳模创新工作室", "嘉定区", None, {}),
        ("嘉定区（2个）", "李秀英创新工作室", "嘉定区", None, {}),
        ("表2", "王志强技能大师工作室", None, "上海市示例机电工会", {}),
        ("表2", "赵丽娟劳模创新工作室", None, "上海市示例机电工会", {"所在街镇": "安亭镇"}),
    ]


def test_a_nested_table_is_not_read_into_its_cell(tmp_path: Path) -> None:
    path = docx_notice(tmp_path / "名单.docx", STUDIOS[:2], merge=None)
    document = docx.Document(str(path))
    inner = document.tables[0].cell(1, 4).add_table(rows=1, cols=1)
    inner.cell(0, 0).text = "内嵌表格的文字"
    document.save(str(path))
    assert names_and_employers(path) == [
        ("张建华劳模创新工作室", "上海示例车轮制造有限公司"),
        ("李秀英创新工作室", "上海示例精密模具有限公司"),
    ]


def test_a_document_without_a_table_is_read_as_pasted_text(tmp_path: Path) -> None:
    document = docx.Document()
    for line in ["附件", "2021年度职工创新工作室名单", "(2个)", "安亭镇(2个)",
                 "张建华创新工作室 (上海⻓江⼯程有限公司)", "李秀英创新工作室　上海示例⻋轮有限公司"]:  # fmt: skip
        document.add_paragraph(line)
    path = tmp_path / "正文.docx"
    document.save(str(path))
    read = rows_read(path)
    assert [(s, n, v["name"], v["employer"], x) for s, n, v, x in read] == [
        ("正文", 5, "张建华创新工作室", "上海长江工程有限公司", {"所在街镇": "安亭镇"}),
        ("正文", 6, "李秀英创新工作室", "上海示例车轮有限公司", {"所在街镇": "安亭镇"}),
    ]


def test_radicals_in_cells_are_mapped(tmp_path: Path) -> None:
    rows = [{**STUDIOS[0], "工作室名称": "张建华⼯匠创新⼯作室", "所在单位": "上海⻓江⻋辆有限公司"}]
    path = docx_notice(tmp_path / "名单.docx", rows)
    assert names_and_employers(path) == [("张建华工匠创新工作室", "上海长江车辆有限公司")]


def _encrypted_docx(path: Path) -> Path:
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = docx_notice(path.with_suffix(".plain.docx"), STUDIOS)
    out = io.BytesIO()
    with open(plain, "rb") as fh:
        OOXMLFile(fh).encrypt("secret", out)
    path.write_bytes(out.getvalue())
    return path


def test_broken_encrypted_and_old_documents_are_refused_in_one_line(tmp_path: Path) -> None:
    good = docx_notice(tmp_path / "good.docx", STUDIOS).read_bytes()
    truncated = tmp_path / "truncated.docx"
    truncated.write_bytes(good[: len(good) // 2])
    encrypted = _encrypted_docx(tmp_path / "encrypted.docx")
    old = tmp_path / "old.docx"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + "WordDocument".encode("utf-16-le"))
    text = tmp_path / "text.docx"
    text.write_text("工作室名称,所在单位\n", encoding="utf-8")
    store_path = tmp_path / "graph.json"
    for path, words in [
        (truncated, "not a readable .docx document"),
        (encrypted, "password-protected"),
        (old, "old Word .doc"),
        (text, "not a Word .docx document"),
    ]:
        assert words in one_line(load(store_path, path), path)
    assert not store_path.exists() or FileStore(store_path).count_studios() == 0


def test_a_document_with_neither_table_nor_studio_lines_is_refused(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("关于做好2024年度工作室申报工作的通知")
    document.add_paragraph("请各单位按时报送。")
    path = tmp_path / "通知.docx"
    document.save(str(path))
    assert "no studio found" in one_line(load(tmp_path / "graph.json", path), path)


def test_a_word_notice_loads_into_the_store_and_again_changes_nothing(tmp_path: Path) -> None:
    path = docx_notice(tmp_path / "名单.docx", STUDIOS, below=("上海市总工会", "2024年12月30日"))
    store_path = tmp_path / "graph.json"
    first = load(store_path, path)
    assert first.ok, [p.describe() for p in first.problems]
    assert first.kinds["Studio"].created == 4
    store = FileStore(store_path)
    unions = {s.name: store.get(Union, s.union_id or "").name for s in store.list(Studio)}
    assert unions["王志强技能大师工作室"] == "上海市示例机电工会"
    assert unions["赵丽娟劳模创新工作室"] == "浦东新区总工会"
    assert sorted(w.name for w in store.list(ModelWorker)) == sorted(r["领衔人"] for r in STUDIOS)
    before = store.projection()
    second = load(store_path, path)
    assert second.ok and all(k.created == 0 and k.updated == 0 for k in second.kinds.values())
    assert FileStore(store_path).projection() == before


def test_a_leaderless_word_table_loads(tmp_path: Path) -> None:
    """Needs the optional leader column (being made at the same time)."""
    columns = ("序号", "工作室名称", "所在单位", "推荐单位")
    path = docx_notice(tmp_path / "名单.docx", STUDIOS, columns=columns)
    report = load(tmp_path / "graph.json", path)
    assert report.ok, [p.describe() for p in report.problems]
    assert report.kinds["Studio"].created == 4
    assert all(s.leader_id is None for s in FileStore(tmp_path / "graph.json").list(Studio))
