"""Folding the text clerks type: full-width and half-width forms, stray and doubled spaces.

Chinese punctuation inside names is kept (``中芯国际集成电路制造（上海）有限公司`` stays as it is
written); only the *comparison key* of a value folds brackets and spaces away, so that
``上海市 机电工会`` and ``上海市机电工会`` resolve to the same union.
"""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
_LIST_SEPARATORS = re.compile(r"[;；,，、|\n]+")
_KEY_DROP = re.compile(r"[\s·•・\-_—–()（）\[\]【】「」『』《》<>\"'“”‘’]+")

_KEEP = frozenset("（）")


def fold(value: str) -> str:
    """Fold a cell value for storage: NFKC (full-width letters, digits and spaces become ASCII),
    Chinese brackets （） and 、 kept, runs of whitespace collapsed to one space, ends trimmed.

    >>> fold("  Ｓ１２ 数控  车工　（上海）")
    'S12 数控 车工 （上海）'
    """
    text = "".join(ch if ch in _KEEP else unicodedata.normalize("NFKC", ch) for ch in value)
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


def key(value: str) -> str:
    """A comparison key: folded, lower-cased, without spaces, brackets, dashes and quotes."""
    return _KEY_DROP.sub("", unicodedata.normalize("NFKC", value)).lower()


def fold_header(value: str) -> str:
    return key(value)


def split_list(value: str) -> list[str]:
    """Split a ``;``-separated cell (also ；，、| and line breaks; not /, which joins chain and segment) into folded, non-empty items."""
    return [item for part in _LIST_SEPARATORS.split(value) if (item := fold(part))]
