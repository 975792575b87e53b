"""Builders of hostile files, at any size: the limit and fuzz tests make small ones, the benchmark
``benchmarks/hostile.py`` full-size ones (a workbook of three million rows, a PDF of 10,000
pages …). Each writes its file as a stream, so a large one is cheap to make."""

from __future__ import annotations

import json
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
WORD = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'

STUDIO_HEADER = ("工作室名称", "领衔人", "所在单位")


def laughs(depth: int = 9, name: str = "lolz") -> str:
    """A DOCTYPE declaring ``&lol{depth};``, which expands to 10**depth copies of "lol"."""
    entities = "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, depth + 1))
    return f'<!DOCTYPE {name} [<!ENTITY lol0 "lol">{entities}]>'


def _cells(values: Iterable[str], shared: dict[str, int] | None) -> str:
    if shared is None:
        return "".join(f'<c t="inlineStr"><is><t>{v}</t></is></c>' for v in values)
    return "".join(f'<c t="s"><v>{shared.setdefault(v, len(shared))}</v></c>' for v in values)


def xlsx(
    path: Path,
    rows: Iterable[str | bytes],
    *,
    strings: Iterable[str] = (),
    prolog: str = "",
    strings_prolog: str = "",
    dimension: str = "",
    title: str = "工作室",
    level: int = 6,
) -> Path:
    """A workbook of one sheet whose ``<sheetData>`` is ``rows`` (row elements, as text), written as
    they come; ``strings`` its shared strings; ``prolog`` (``strings_prolog``) what goes between the
    XML declaration and the root of the sheet (of the shared strings): a DOCTYPE, say."""
    strings = list(strings)
    types = (
        f'{XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/sharedStrings.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
    )
    book = (
        f'{XML_HEAD}<workbook xmlns="{MAIN}" xmlns:r="{DOC_RELS}"><sheets>'
        f'<sheet name="{title}" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )
    book_rels = (
        f'{XML_HEAD}<Relationships xmlns="{RELS}">'
        f'<Relationship Id="rId1" Type="{DOC_RELS}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{DOC_RELS}/sharedStrings" Target="sharedStrings.xml"/></Relationships>'
    )
    package_rels = (
        f'{XML_HEAD}<Relationships xmlns="{RELS}">'
        f'<Relationship Id="rId1" Type="{DOC_RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    )
    shared = "".join(f"<si><t>{s}</t></si>" for s in strings)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        archive.writestr("[Content_Types].xml", types)
        archive.writestr("_rels/.rels", package_rels)
        archive.writestr("xl/workbook.xml", book)
        archive.writestr("xl/_rels/workbook.xml.rels", book_rels)
        archive.writestr("xl/sharedStrings.xml", f'{XML_HEAD}{strings_prolog}<sst xmlns="{MAIN}">{shared}</sst>')
        head = f'{XML_HEAD}{prolog}<worksheet xmlns="{MAIN}">{dimension}<sheetData>'
        _stream(archive, "xl/worksheets/sheet1.xml", head, rows, "</sheetData></worksheet>")
    return path


def xlsx_roster(path: Path, rows: int, *, header: tuple[str, ...] = STUDIO_HEADER, distinct: bool = False) -> Path:
    """A roster workbook: ``header``, then ``rows`` studio rows, all the same one (the issue's file:
    1.8 MB for three million rows) or each a different studio with its row number."""
    strings = [*header, "张三创新工作室", "张三", "上海示例有限公司"]
    index = {s: i for i, s in enumerate(strings)}
    head = "<row>" + "".join(f'<c t="s"><v>{index[h]}</v></c>' for h in header) + "</row>"

    def body() -> Iterator[bytes]:
        yield head.encode()
        if not distinct:
            same = ("<row>" + _cells(strings[len(header) :], index) + "</row>").encode()
            for _ in range(rows // 1000):
                yield same * 1000
            yield same * (rows % 1000)
            return
        for n in range(2, rows + 2):
            name = f'<c r="A{n}" t="inlineStr"><is><t>第{n}号创新工作室</t></is></c>'
            leader = f'<c r="B{n}" t="s"><v>{index["张三"]}</v></c>'
            employer = f'<c r="C{n}" t="inlineStr"><is><t>上海示例{n % 9973}有限公司</t></is></c>'
            yield f'<row r="{n}">{name}{leader}{employer}</row>'.encode()

    return xlsx(path, body(), strings=strings)


def xlsx_zip_bomb(path: Path, mib: int, *, header: tuple[str, ...] = STUDIO_HEADER[:2]) -> Path:
    """A workbook whose sheet, after its header (lacking 所在单位 unless told otherwise), is ``mib``
    MiB of empty cells: a thousandth of that packed."""
    row = b"<row>" + b"<c/>" * 200 + b"</row>"
    count = mib * (1 << 20) // len(row)
    return xlsx(path, [f"<row>{_cells(header, None)}</row>", *([row * 100] * (count // 100))], level=9)


def xlsx_laughs(path: Path, depth: int = 9) -> Path:
    """A sheet declaring the billion laughs and using them in a cell."""
    cells = _cells([f"甲创新工作室&lol{depth};", "张三", "乙"], None)
    rows = [f"<row>{_cells(STUDIO_HEADER, None)}</row>", f"<row>{cells}</row>"]
    return xlsx(path, rows, prolog=laughs(depth, "worksheet"))


def xlsx_nested(path: Path, depth: int) -> Path:
    """A cell whose inline string nests ``depth`` elements deep."""
    deep = "<r>" * depth + "</r>" * depth
    return xlsx(path, [f"<row>{_cells(STUDIO_HEADER, None)}</row>", f'<row><c t="inlineStr"><is>{deep}</is></c></row>'])


def docx(path: Path, body: Iterable[str | bytes], *, prolog: str = "") -> Path:
    """A Word document whose ``<w:body>`` is ``body`` (as text), written as it comes."""
    types = (
        f'{XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/word/document.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
    )
    package_rels = (
        f'{XML_HEAD}<Relationships xmlns="{RELS}">'
        f'<Relationship Id="rId1" Type="{DOC_RELS}/officeDocument" Target="word/document.xml"/></Relationships>'
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", types)
        archive.writestr("_rels/.rels", package_rels)
        _stream(archive, "word/document.xml", f'{XML_HEAD}{prolog}<w:document xmlns:w="{WORD}"><w:body>', body,
                "</w:body></w:document>")  # fmt: skip
    return path


def word_row(values: Iterable[str]) -> str:
    return "<w:tr>" + "".join(f"<w:tc><w:p><w:r><w:t>{v}</w:t></w:r></w:p></w:tc>" for v in values) + "</w:tr>"


def docx_cells(path: Path, cells: int, columns: int = 10) -> Path:
    """A Word notice whose one table has ``cells`` cells, ``columns`` a row, under a studio header;
    each row a different studio (so the document packs no better than a real one)."""
    header = [*STUDIO_HEADER, *(f"备注{i}" for i in range(columns - len(STUDIO_HEADER)))]
    grid = "<w:tblGrid>" + "<w:gridCol/>" * columns + "</w:tblGrid>"

    def body() -> Iterator[bytes]:
        yield f"<w:p><w:r><w:t>名单</w:t></w:r></w:p><w:tbl>{grid}{word_row(header)}".encode()
        for n in range(cells // columns - 1):
            notes = [str(n * 7919 % (k + 1000)) for k in range(columns - 3)]
            yield word_row([f"第{n}号创新工作室", f"张{n % 97}", f"上海示例{n % 9973}有限公司", *notes]).encode()
        yield b"</w:tbl>"

    return docx(path, body())


def docx_laughs(path: Path, depth: int = 9) -> Path:
    """A Word document declaring the billion laughs and using them in a paragraph."""
    return docx(
        path, [f"<w:p><w:r><w:t>甲创新工作室 乙公司&lol{depth};</w:t></w:r></w:p>"], prolog=laughs(depth, "w:document")
    )


def docx_nested(path: Path, depth: int) -> Path:
    """Tables nested in table cells ``depth`` deep."""
    return docx(path, ["<w:tbl><w:tr><w:tc>" * depth + "<w:p/>" + "</w:tc></w:tr></w:tbl>" * depth])


def text_line(path: Path, mib: int) -> Path:
    """A text file of one line of ``mib`` MiB (no line break at all)."""
    chunk = ("肖华峰创新工作室 上海安谊车轮有限公司 " * 1000).encode()
    with open(path, "wb") as out:
        written = 0
        while written < mib << 20:
            out.write(chunk)
            written += len(chunk)
    return path


def json_nested(path: Path, depth: int) -> Path:
    path.write_text("[" * depth + "]" * depth, encoding="utf-8")
    return path


def json_rows(path: Path, rows: int) -> Path:
    with open(path, "w", encoding="utf-8") as out:
        out.write("[")
        for n in range(rows):
            out.write(
                ("," if n else "") + json.dumps({"工作室名称": f"第{n}号创新工作室", "所在单位": "上海示例有限公司"})
            )
        out.write("]")
    return path


def pdf(
    path: Path, pages: Iterable[bytes], *, count: int | None = None, compress: bool = False, deflated: bool = False
) -> Path:
    """A PDF written by hand: one page per content stream in ``pages`` (Helvetica, text shown with
    ``Tj``), deflated if ``compress`` (or already, if ``deflated``), ``count`` the page count its
    page tree declares (the true count if None)."""
    with open(path, "wb") as out:
        offsets: list[int] = []
        out.write(b"%PDF-1.4\n")

        def obj(body: bytes) -> int:
            offsets.append(out.tell())
            out.write(b"%d 0 obj\n" % len(offsets) + body + b"\nendobj\n")
            return len(offsets)

        obj(b"<< /Type /Catalog /Pages 2 0 R >>")
        obj(b"")  # the page tree, written last (its kids are known then)
        obj(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
        kids = []
        for content in pages:
            data = zlib.compress(content) if compress else content
            flate = b" /Filter /FlateDecode" if compress or deflated else b""
            stream = obj(b"<< /Length %d%s >>\nstream\n" % (len(data), flate) + data + b"\nendstream")
            kids.append(obj(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
                            b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % stream))  # fmt: skip
        tree = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
            b" ".join(b"%d 0 R" % k for k in kids),
            len(kids) if count is None else count,
        )
        offsets[1] = out.tell()
        out.write(b"2 0 obj\n" + tree + b"\nendobj\n")
        xref = out.tell()
        out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(offsets) + 1))
        out.write(b"".join(b"%010d 00000 n \n" % offset for offset in offsets))
        out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(offsets) + 1, xref))
    return path


def text_page(lines: Iterable[str]) -> bytes:
    """A page's content stream showing ``lines`` (ASCII) one under the other."""
    body = b"BT /F1 10 Tf "
    for n, line in enumerate(lines):
        body += b"1 0 0 1 40 %d Tm (%s) Tj " % (800 - 12 * (n % 60), line.encode("ascii"))
    return body + b"ET"


def pdf_pages(path: Path, pages: int) -> Path:
    """A PDF of ``pages`` pages, each a line of text."""
    return pdf(path, (text_page([f"Studio list page {n}"]) for n in range(pages)))


def pdf_busy_page(path: Path, chars: int, *, compress: bool = False) -> Path:
    """A one-page PDF whose page shows ``chars`` characters (its content stream deflated if
    ``compress``: so repetitive a stream then inflates past the ratio limit first)."""
    return pdf(path, [text_page(["x" * 100] * (chars // 100))], compress=compress)


def pdf_stream_bomb(path: Path, mib: int) -> Path:
    """A one-page PDF whose content stream inflates to ``mib`` MiB of one repeated operator."""
    packer = zlib.compressobj(9)
    chunk = b"0 0 m " * ((1 << 20) // 6)
    packed = b"".join(packer.compress(chunk) for _ in range(mib)) + packer.flush()
    return pdf(path, [packed], deflated=True)


def _stream(archive: zipfile.ZipFile, name: str, head: str, parts: Iterable[str | bytes], tail: str) -> None:
    """Write the member ``name`` of ``archive`` as it comes: ``head``, each of ``parts``, ``tail``."""
    with archive.open(name, "w", force_zip64=True) as member:
        member.write(head.encode())
        for part in parts:
            member.write(part if isinstance(part, bytes) else part.encode())
        member.write(tail.encode())
