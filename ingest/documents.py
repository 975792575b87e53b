"""What the unions' published documents look like, as text: shared by the readers of Word, PDF and
pasted-text notices (:mod:`ingest.docx_reader`, :mod:`ingest.pdf_reader`, :mod:`ingest.text_reader`).

- :func:`normalise_cjk` maps the radical and compatibility characters that PDF fonts and web pages
  emit in place of ordinary ideographs (``⼯`` U+2F2F, ``⻋`` U+2ECB …) back to the ideograph they
  stand for, so that ``上海⻓江⼯程`` and ``上海长江工程`` are the same employer.
- :func:`join_wrapped` joins the lines of a table cell that a PDF wraps.
- :func:`read_heading`, :func:`read_studio_line`, :func:`is_title` and :func:`is_count` are the
  grammar of a notice's lines: ``安亭镇(2个)`` sets a town for the lines below it,
  ``1、肖华峰创新工作室　上海安谊车轮有限公司`` is a studio and its employer.
- :func:`sniff` says from a file's first bytes whether it can be what its name says (the readers
  and the upload doors ask the same question, so they give the same answer).
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass
from importlib import resources

from .columns import SheetKind, match_header
from .normalise import DISTRICTS
from .text import key

# -- characters -------------------------------------------------------------------------------------
RADICALS_FILE = "cjk_radicals_supplement.csv"
"""The CJK Radicals Supplement table, made from the Unicode Character Database (its header says how)."""

_NFKC_BLOCKS = ((0x2F00, 0x2FDF), (0xF900, 0xFAFF), (0x2F800, 0x2FA1F))
"""Kangxi Radicals, CJK Compatibility Ideographs and their supplement: NFKC maps these one by one."""

_CJK_SUSPECTS = re.compile("[\u2e80-\u2fdf\uf900-\ufaff\U0002f800-\U0002fa1f]")


def radicals_supplement() -> dict[str, str]:
    """Radical → ideograph for the CJK Radicals Supplement block (U+2E80–U+2EFF), from the data file.

    NFKC leaves this block alone (the Unicode Character Database gives these characters no
    decomposition, only an *equivalent unified ideograph*), so the table is kept as data.
    """
    text = resources.files("ingest").joinpath(RADICALS_FILE).read_text(encoding="utf-8")
    rows = csv.DictReader(io.StringIO("".join(line for line in text.splitlines(True) if not line.startswith("#"))))
    return {row["radical"]: row["ideograph"] for row in rows}


def _translation() -> dict[int, str]:
    table: dict[int, str] = {}
    for start, end in _NFKC_BLOCKS:
        for code in range(start, end + 1):
            normal = unicodedata.normalize("NFKC", chr(code))
            if normal != chr(code):
                table[code] = normal
    table.update({ord(radical): ideograph for radical, ideograph in radicals_supplement().items()})
    return table


_TRANSLATION = _translation()


def normalise_cjk(text: str) -> str:
    """Map Kangxi radicals, CJK radicals-supplement characters and CJK compatibility ideographs to
    the ideographs they stand for; leave every other character as it is.

    Only these blocks are touched (not the whole string through NFKC), so full-width brackets in
    ``中芯国际集成电路制造（上海）有限公司`` stay as written; :func:`ingest.text.fold` does the rest.

    >>> normalise_cjk("上海⻓江⼯程⻋辆有限公司")
    '上海长江工程车辆有限公司'
    """
    if text.isascii() or _CJK_SUSPECTS.search(text) is None:  # the first test is the cheap one
        return text
    return text.translate(_TRANSLATION)


def _wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in {"W", "F"}


def join_wrapped(text: str) -> str:
    """Join the lines of a cell that wrapped: nothing between two lines where either side is a
    Chinese (wide) character, one space between two Latin ones.

    >>> join_wrapped("上海华力微电子\\n有限公司")
    '上海华力微电子有限公司'
    >>> join_wrapped("Shanghai Huali\\nMicroelectronics")
    'Shanghai Huali Microelectronics'
    """
    parts = [part.strip() for part in text.splitlines()]
    out = ""
    for part in parts:
        if not part:
            continue
        if out and not _wide(out[-1]) and not _wide(part[0]):
            out += " "
        out += part
    return out


# -- the grammar of a notice ------------------------------------------------------------------------
DISTRICT_COLUMN = "所在区"
UNION_COLUMN = "所属工会"
TOWN_COLUMN = "所在街镇"
GROUP_COLUMN = "分组"
NAME_COLUMN = "工作室名称"
EMPLOYER_COLUMN = "所在单位"

_TITLE_WORDS = ("名单", "决定", "通知", "附件")
_SPACE = "[ \t\u3000\u00a0]"
_NUMBER = re.compile(
    rf"^{_SPACE}*(?:[（(]{_SPACE}*\d{{1,4}}{_SPACE}*[)）]|\d{{1,4}}{_SPACE}*[.、．,，:：)）](?!\d)|\d{{1,4}}(?={_SPACE})){_SPACE}*"
)
_ENUMERATOR = re.compile(
    rf"^{_SPACE}*(?:[一二三四五六七八九十]+{_SPACE}*[、.．]|[（(][一二三四五六七八九十]+[)）]){_SPACE}*"
)
_COUNT = re.compile(rf"[（(]{_SPACE}*(?:共{_SPACE}*)?\d+{_SPACE}*[个家项]{_SPACE}*[)）]")
_COUNT_LINE = re.compile(rf"^{_SPACE}*[（(]?{_SPACE}*(?:共{_SPACE}*)?\d+{_SPACE}*[个家项]{_SPACE}*[)）]?{_SPACE}*$")
_GAPS = re.compile(f"{_SPACE}+")
_TOWN_ENDINGS = ("镇", "乡", "街道", "园区", "工业区", "开发区")
_OPEN, _CLOSE = "(（[【〔", ")）]】〕"
_DISTRICT_BY_KEY = {key(d): d for d in DISTRICTS} | {
    key(d.removesuffix("新区").removesuffix("区")): d for d in DISTRICTS
}
_HEADING_MAX = 40
_UNION_KINDS = {
    key(k)
    for k in ("区局（产业）工会", "区局工会", "产业工会", "区总工会", "区县总工会", "基层工会", "各区局（产业）工会")
}
"""Kinds of union a list may group by: a group heading, not the name of one union."""


@dataclass(frozen=True)
class Heading:
    """A line that sets a column for the studio lines below it, until a heading of the same or a
    higher level replaces it: level 0 a numbered group (一、市级机关), 1 a district or a union, 2 a
    town or street."""

    column: str
    value: str
    level: int


@dataclass(frozen=True)
class StudioLine:
    """A studio named on one line, and its employer ("" when the line names none)."""

    name: str
    employer: str


def is_count(line: str) -> bool:
    """``(8个)``, ``（共 12 个）``: the count a notice prints under its title."""
    return _COUNT_LINE.match(line) is not None


def is_title(line: str) -> bool:
    """A notice's title, attachment mark or subject line (名单, 决定, 通知, 附件)."""
    return any(word in line for word in _TITLE_WORDS)


def district_of(text: str) -> str | None:
    """The Shanghai district ``text`` names exactly (嘉定区, 嘉定, 浦东新区, 浦东), or None."""
    return _DISTRICT_BY_KEY.get(key(text))


def read_heading(line: str) -> Heading | None:
    """The heading a line is, or None: a district (浦东新区) sets 所在区, a name ending in 工会 sets
    所属工会, a town, street or park (安亭镇, 江川路街道, 张江高科技园区) sets 所在街镇, and a numbered
    group or a line with a count that is none of these (一、市级机关, 市级机关(12个)) sets 分组.
    Counts and numbering are not part of the value."""
    if is_title(line) or "工作室" in line:
        return None
    text = line.strip()
    numbered = _ENUMERATOR.match(text) is not None
    text = _ENUMERATOR.sub("", text)
    counted = _COUNT.search(text) is not None
    text = _COUNT.sub("", text)
    text = _NUMBER.sub("", text).strip().rstrip("：:").strip()
    if not text or len(text) > _HEADING_MAX or _GAPS.search(text):
        return None
    if text.endswith("工会") and key(text) not in _UNION_KINDS:
        return Heading(UNION_COLUMN, text, 1)
    if (district := district_of(text)) is not None:
        return Heading(DISTRICT_COLUMN, district, 1)
    if text.endswith(_TOWN_ENDINGS):
        return Heading(TOWN_COLUMN, text, 2)
    if numbered or counted or key(text) in _UNION_KINDS:
        return Heading(GROUP_COLUMN, text, 0)
    return None


def _bracketed(text: str) -> str | None:
    """The inside of the bracket ``text`` opens with, nested brackets kept; None if it never closes."""
    depth = 0
    for index, char in enumerate(text):
        if char in _OPEN:
            depth += 1
        elif char in _CLOSE:
            depth -= 1
            if depth == 0:
                return text[1:index]
    return None


def strip_number(line: str) -> str:
    """A line without its running number (1. 1、 （1） 1 and the like)."""
    return _NUMBER.sub("", line, count=1)


def read_studio_line(line: str) -> StudioLine | None:
    """A studio line: an optional number, the studio's name (ending in 工作室), then its employer
    after spaces, a full-width space, a tab or in brackets; or the employer first and the studio's
    name last (``上海XX有限公司 XX创新工作室``). None for any other line.

    >>> read_studio_line("1、肖华峰创新工作室（上海安谊车轮有限公司）")
    StudioLine(name='肖华峰创新工作室', employer='上海安谊车轮有限公司')
    """
    text = strip_number(line).strip()
    end = None
    for found in re.finditer("工作室", text):
        after = text[found.end() : found.end() + 1]
        if not after or after.isspace() or after in _OPEN:
            end = found.end()
            break
    if end is None:
        return None
    name, rest = text[:end].strip(), text[end:].strip()
    gap = list(_GAPS.finditer(name))
    if not rest and gap:  # the employer first, the studio last
        last = gap[-1]
        employer, name = name[: last.start()].strip(), name[last.end() :].strip()
    elif rest[:1] in _OPEN and rest:
        inside = _bracketed(rest)
        employer = (inside if inside is not None else rest[1:]).strip()
    else:
        employer = rest
    if name == "工作室" or match_header(SheetKind.STUDIOS, name) is not None:
        return None
    return StudioLine(_GAPS.sub(" ", name), _GAPS.sub(" ", employer))


def split_cells(line: str) -> list[str]:
    """A line of a table typed or copied with spaces between its cells."""
    return [cell for cell in _GAPS.split(line.strip()) if cell]


# -- what a file's first bytes say ------------------------------------------------------------------
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
PDF_MAGIC = b"%PDF-"
_ENCRYPTED_OOXML = "EncryptionInfo".encode("utf-16-le")

ENCRYPTED = (
    "the file is password-protected (encrypted); remove the password and save it again",
    "文件有密码保护（已加密），请取消密码后重新保存",
)


def sniff(suffix: str, head: bytes) -> tuple[str, str] | None:
    """Why bytes beginning with ``head`` cannot be a ``suffix`` file (English, Chinese), or None.

    Only the new document types are checked here (.docx, .xls, .pdf); ``head`` should be the
    file's first 64 KiB, so that an encrypted Office file is recognised by its stream names.
    """
    suffix = suffix.lower()
    if suffix == ".docx":
        if head.startswith(OLE2_MAGIC):
            if _ENCRYPTED_OOXML in head:
                return ENCRYPTED
            return (
                "an old Word .doc file (or one renamed .docx); open it in Word and save it as .docx",
                "这是旧版 Word .doc 文件（或被改名为 .docx），请用 Word 打开后另存为 .docx",
            )
        if not head.startswith(ZIP_MAGIC):
            return ("not a Word .docx document", "不是 Word 文档（.docx）")
    elif suffix == ".xls":
        if not head.startswith(OLE2_MAGIC):
            return ("not an Excel 97-2003 .xls workbook", "不是 Excel 97-2003 工作簿（.xls）")
        if _ENCRYPTED_OOXML in head:
            return ENCRYPTED
    elif suffix == ".pdf" and PDF_MAGIC not in head[:1024]:
        return ("not a PDF file", "不是 PDF 文件")
    return None
