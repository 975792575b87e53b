"""Random and mutated roster files for fuzzing the readers: valid seed files of every format, and
mutations of them driven by a :class:`random.Random` (hypothesis's, in the tests, so that a
failure shrinks; a seeded one in the longer campaign of ``benchmarks/hostile.py``).

The mutations are those a careful tester tries: a file cut short, bytes flipped, NUL bytes,
wrong magic bytes, random bytes with the right suffix, mixed encodings, a line of megabytes, and
inside a zip's XML: entity expansion, cells and rows without references, references far away,
shared-string indexes out of range, deep nesting, slices repeated or deleted.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from random import Random

from graph.errors import ValidationError
from ingest.limits import Limits
from ingest.readers import read_file

from . import hostile_files as hostile
from .notice_files import STUDIOS, docx_notice, pdf_table, pdf_text_layer, xls_bytes

SMALL = Limits(
    rows=3_000, cells_per_row=300, cell_chars=5_000, line_chars=100_000, sheets=30, pages=6,
    page_objects=5_000, document_cells=6_000, unpacked_mib=24, json_mib=2,
)  # fmt: skip
"""Limits low enough that any file the fuzzers make is read or refused within a second or so."""

SUFFIXES = (".csv", ".txt", ".json", ".xlsx", ".xls", ".docx", ".pdf")

COLUMNS = ("序号", "推荐单位", "工作室名称", "领衔人", "所在单位")


def _roster_rows() -> list[list[str]]:
    return [list(COLUMNS)] + [[s[c] for c in COLUMNS] for s in STUDIOS]


def seeds(folder: Path) -> dict[str, list[bytes]]:
    """Valid files of each format (made in ``folder``), as bytes, by suffix."""
    import openpyxl

    rows = _roster_rows()
    table = "\n".join(",".join(r) for r in rows) + "\n"
    notice = "附件\n2024年上海市劳模创新工作室名单\n浦东新区（2个）\n" + "".join(
        f"{i}、{s['工作室名称']}　{s['所在单位']}\n" for i, s in enumerate(STUDIOS, start=1)
    )
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "工作室"
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    made = {
        "docx": docx_notice(folder / "seed.docx", STUDIOS),
        "pdf": pdf_table(folder / "seed.pdf", list(COLUMNS[2:]), [[s[c] for c in COLUMNS[2:]] for s in STUDIOS]),
        "pdf-text": pdf_text_layer(folder / "seed-text.pdf", [f"{s['工作室名称']} {s['所在单位']}" for s in STUDIOS]),
        "pdf-pages": hostile.pdf_pages(folder / "seed-pages.pdf", 3),
        "xlsx-shared": hostile.xlsx_roster(folder / "seed-shared.xlsx", 20, distinct=True),
    }
    return {
        ".csv": [table.encode(), table.encode("gb18030"), b"\xef\xbb\xbf" + table.encode()],
        ".txt": [notice.encode(), notice.encode("gb18030"), table.replace(",", "\t").encode()],
        ".json": [json.dumps([dict(zip(rows[0], r, strict=True)) for r in rows[1:]], ensure_ascii=False).encode(),
                  json.dumps({"工作室": [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]}).encode()],
        ".xlsx": [buffer.getvalue(), made["xlsx-shared"].read_bytes()],
        ".xls": [xls_bytes({"名单": rows}, {"名单": [(1, 3, 1, 1)]})],
        ".docx": [made["docx"].read_bytes()],
        ".pdf": [made["pdf"].read_bytes(), made["pdf-text"].read_bytes(), made["pdf-pages"].read_bytes()],
    }  # fmt: skip


# -- byte mutations ---------------------------------------------------------------------------------
def _truncate(data: bytes, rnd: Random) -> bytes:
    return data[: rnd.randrange(len(data) + 1)]


def _flip(data: bytes, rnd: Random) -> bytes:
    out = bytearray(data)
    for _ in range(rnd.randint(1, 12)):
        if out:
            out[rnd.randrange(len(out))] ^= 1 << rnd.randrange(8)
    return bytes(out)


def _insert(data: bytes, rnd: Random) -> bytes:
    at = rnd.randrange(len(data) + 1)
    what = rnd.choice([b"\x00" * rnd.randint(1, 64), rnd.randbytes(rnd.randint(1, 256)), b"\r", b"\n" * 1000])
    return data[:at] + what + data[at:]


def _magic(data: bytes, rnd: Random) -> bytes:
    heads = [b"PK\x03\x04", b"%PDF-1.4", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"\xff\xfe", b"\xef\xbb\xbf", b"{", b"["]
    return rnd.choice([*heads, rnd.randbytes(8)]) + data[rnd.randint(0, 8) :]


def _random(data: bytes, rnd: Random) -> bytes:
    return rnd.randbytes(rnd.randint(1, 4096))


def _encodings(data: bytes, rnd: Random) -> bytes:
    text = data.decode("utf-8", "replace")
    pieces = [text[i : i + 40].encode(rnd.choice(["utf-8", "gb18030", "utf-16-le", "latin-1"]), "replace")
              for i in range(0, len(text), 40)]  # fmt: skip
    return b"".join(pieces)


def _long_line(data: bytes, rnd: Random) -> bytes:
    at = rnd.randrange(len(data) + 1)
    return data[:at] + rnd.choice([b"x", "工".encode(), b",", b'"']) * rnd.randint(50_000, 300_000) + data[at:]


BYTE_MUTATIONS: list[Callable[[bytes, Random], bytes]] = [_truncate, _flip, _insert, _magic, _random]
TEXT_MUTATIONS: list[Callable[[bytes, Random], bytes]] = [_encodings, _long_line]


# -- mutations of a zip's XML -----------------------------------------------------------------------
def _xml_laughs(text: str, rnd: Random) -> str:
    depth = rnd.randint(1, 9)
    text = text.replace("?>", "?>" + hostile.laughs(depth, "x"), 1)
    return re.sub(r"<(w:)?t([ >])", lambda m: f"<{m.group(1) or ''}t{m.group(2)}&lol{depth};", text, count=3)


def _xml_no_refs(text: str, rnd: Random) -> str:
    return re.sub(r' r="[A-Z]*\d+"', "", text)


def _xml_far(text: str, rnd: Random) -> str:
    far = rnd.choice(['r="XFD1048576"', 'r="A999999999"', 'r="ZZZZ1"', 'r="A0"', 'r="-3"', 'r="1.5"'])
    return re.sub(r'r="[A-Z]*\d+"', far, text, count=rnd.randint(1, 3))


def _xml_indexes(text: str, rnd: Random) -> str:
    return re.sub(r"<v>\d+</v>", lambda _: f"<v>{rnd.choice(['-1', '999999', '1e400', 'x', ''])}</v>", text, count=2)


def _xml_nest(text: str, rnd: Random) -> str:
    at = rnd.randrange(len(text) + 1)
    depth = rnd.randint(10, 3000)
    tag = rnd.choice(["a", "w:tbl", "w:tr", "w:tc", "row", "c", "w:sdt"])
    return text[:at] + f"<{tag}>" * depth + f"</{tag}>" * depth + text[at:]


def _xml_repeat(text: str, rnd: Random) -> str:
    start = rnd.randrange(len(text) + 1)
    end = min(len(text), start + rnd.randint(1, 400))
    return text[:end] + text[start:end] * rnd.randint(2, 200) + text[end:]


def _xml_cut(text: str, rnd: Random) -> str:
    start = rnd.randrange(len(text) + 1)
    return text[:start] + text[start + rnd.randint(1, 200) :]


XML_MUTATIONS: list[Callable[[str, Random], str]] = [
    _xml_laughs, _xml_no_refs, _xml_far, _xml_indexes, _xml_nest, _xml_repeat, _xml_cut,
]  # fmt: skip


def mutate_zip(data: bytes, rnd: Random) -> bytes:
    """One member of a zip (an XML part, mostly) changed by an XML mutation; the zip rewritten."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as source:
            members = [(info.filename, source.read(info.filename)) for info in source.infolist()]
    except Exception:  # a zip an earlier mutation broke (zipfile and zlib raise many kinds): left as it is
        return data
    xml = [i for i, (name, _) in enumerate(members) if name.endswith((".xml", ".rels"))] or list(range(len(members)))
    if not xml:
        return data
    index = rnd.choice(xml)
    name, body = members[index]
    changed = rnd.choice(XML_MUTATIONS)(body.decode("utf-8", "replace"), rnd)
    members[index] = (name, changed.encode("utf-8"))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, content in members:
            archive.writestr(member, content)
    return out.getvalue()


def mutant(seed: bytes, suffix: str, rnd: Random) -> bytes:
    """A mutation of ``seed``, chosen at random among those that make sense for ``suffix``; now
    and then two in a row."""
    choices = list(BYTE_MUTATIONS)
    if suffix in (".csv", ".txt", ".json"):
        choices += TEXT_MUTATIONS * 2
    if suffix in (".xlsx", ".docx"):
        choices += [mutate_zip] * 4
    data = seed
    for _ in range(rnd.choice([1, 1, 1, 2])):
        data = rnd.choice(choices)(data, rnd)
    return data


def outcome(path: Path, limits: Limits = SMALL) -> str:
    """``rows`` when every sheet of ``path`` reads to its end, ``refused`` for a ValidationError
    naming the file in both languages; any other exception propagates (a finding)."""
    problems = None
    try:
        for sheet in read_file(path, limits):
            for _ in sheet.rows:
                pass
    except ValidationError as exc:
        problems = exc.problems
    if problems is None:
        return "rows"
    assert problems, "a refusal names its problem"
    for problem in problems:
        assert problem.file == str(path), problem
        assert problem.message and problem.message_zh, problem
    return "refused"
