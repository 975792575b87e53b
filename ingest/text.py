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
_TRADE_SEPARATORS = re.compile(r"[;；,，、|\n/／]+")
_KEY_DROP = re.compile(r"[\s·•・\-_—–()（）\[\]【】「」『』《》<>\"'“”‘’]+")

_SHIELD = str.maketrans({"（": "\ue000", "）": "\ue001"})
_UNSHIELD = str.maketrans({"\ue000": "（", "\ue001": "）"})


def fold(value: str) -> str:
    """Fold a cell value for storage: NFKC (full-width letters, digits and spaces become ASCII),
    Chinese brackets （） and 、 kept, runs of whitespace collapsed to one space, ends trimmed.

    >>> fold("  Ｓ１２ 数控  车工　（上海）")
    'S12 数控 车工 （上海）'
    """
    if not unicodedata.is_normalized("NFKC", value):
        # shield the Chinese brackets (NFKC would make them ASCII) behind private-use characters
        value = unicodedata.normalize("NFKC", value.translate(_SHIELD)).translate(_UNSHIELD)
    return _SPACES.sub(" ", value).strip()


def key(value: str) -> str:
    """A comparison key: folded, lower-cased, without spaces, brackets, dashes and quotes."""
    return _KEY_DROP.sub("", unicodedata.normalize("NFKC", value)).lower()


def fold_header(value: str) -> str:
    return key(value)


def split_list(value: str) -> list[str]:
    """Split a ``;``-separated cell into folded, non-empty items.

    Also splits on ；，、| and line breaks; not on ``/``, which joins a chain and its segment.
    """
    return [item for part in _LIST_SEPARATORS.split(value) if (item := fold(part))]


def split_trades(value: str) -> list[str]:
    """Split a trades cell (工种) into folded, non-empty items: on everything :func:`split_list`
    splits on, and on ``/`` and ``／`` too (``电工/焊工``), which no trade name holds.

    >>> split_trades("电工、焊工／车工; 钳工")
    ['电工', '焊工', '车工', '钳工']
    """
    return [item for part in _TRADE_SEPARATORS.split(value) if (item := fold(part))]
