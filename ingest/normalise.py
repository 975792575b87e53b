"""Turning clerks' values into domain values: codes or names resolved against the reference
taxonomies, Chinese enumerations mapped to the model's enums, years and counts parsed.

Every parser raises :class:`Invalid` with an English and a Chinese message; a value that resolves to
nothing names the closest known values.

Trades (:meth:`Reference.match_trade`) are read in this order:

1. the curated trades (``trades.csv``) by code, name or alias, exactly as they always were;
2. the rest of the 2022 classification by code (``6-18-02-04``), then exact name, then alias; an
   alias (or name) that several occupations share resolves only to the one curated trade among them;
3. a near match (:data:`NEAR_MATCH_RULE`), which loads with a warning naming what it was read as.

Only a value that matches nothing, or two trades equally, is an error; both name the closest trades.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from functools import cache, cached_property
from importlib import resources
from typing import TypeVar

from graph import taxonomy
from graph.model import (
    AllianceKind,
    Chain,
    FundingSource,
    Industry,
    IndustryLevel,
    LedgerKind,
    Segment,
    StudioLevel,
    Trade,
    WorkerStatus,
)
from graph.taxonomy import Occupation

from .text import fold, key


class Invalid(ValueError):
    """A cell value that cannot be used; ``message``/``message_zh`` say why."""

    def __init__(self, message: str, message_zh: str) -> None:
        super().__init__(message)
        self.message = message
        self.message_zh = message_zh


DISTRICTS: tuple[str, ...] = (
    "黄浦区", "徐汇区", "长宁区", "静安区", "普陀区", "虹口区", "杨浦区", "闵行区",
    "宝山区", "嘉定区", "浦东新区", "金山区", "松江区", "青浦区", "奉贤区", "崇明区",
)  # fmt: skip
"""Shanghai's 16 districts."""

_DISTRICT_KEYS = {key(d): d for d in DISTRICTS} | {key(d.removesuffix("新区").removesuffix("区")): d for d in DISTRICTS}

_LEVELS = {
    StudioLevel.NATIONAL: ("全国", "国家级", "全国级", "national"),
    StudioLevel.MUNICIPAL: ("市级", "上海市", "市", "市级命名", "municipal"),
    StudioLevel.DISTRICT: ("区局级", "区级", "局级", "区局", "区局（产业）级", "产业级", "district"),
    StudioLevel.ENTERPRISE: ("企业级", "公司级", "集团级", "enterprise"),
}
_WORKER_STATUS = {
    WorkerStatus.SERVING: ("在职", "在岗", "serving", "active"),
    WorkerStatus.RETIRED: ("退休", "已退休", "retired"),
    WorkerStatus.LEFT: ("离职", "调离", "已离职", "left"),
    WorkerStatus.DECEASED: ("已故", "去世", "逝世", "病故", "deceased"),
}
_ALLIANCE_KINDS = {
    AllianceKind.SAME_TRADE: ("同工种", "同工种联盟", "same-trade"),
    AllianceKind.SAME_INDUSTRY: ("同行业", "同行业联盟", "same-industry"),
    AllianceKind.CROSS_FIELD: ("跨领域", "跨专业", "跨领域、跨专业", "跨领域跨专业", "cross-field"),
    AllianceKind.CHAIN: ("产业链", "上下游", "产业链联盟", "chain"),
    AllianceKind.PROJECT: ("重点项目", "项目", "project"),
}


E = TypeVar("E", bound=StrEnum)


def _enum_lookup(table: Mapping[E, tuple[str, ...]]) -> dict[str, E]:
    return {key(text): value for value, texts in table.items() for text in texts}


_LEDGER_KINDS = {
    LedgerKind.ACTIVITY: ("活动", "活动台帐", "活动台账", "activity", "activities"),
    LedgerKind.RESULT: ("成果", "创新成果", "成果台帐", "成果台账", "创新成果台帐", "创新成果台账", "result",
                        "results"),
    LedgerKind.MEMBER: ("成员发展", "成员", "成员发展台帐", "成员发展台账", "member", "members"),
}  # fmt: skip
_FUNDING_SOURCES = {
    FundingSource.MUNICIPAL: ("市总工会", "市总", "上海市总工会", "municipal"),
    FundingSource.UNION: (
        "区局（产业）工会", "区局工会", "区总工会", "产业工会", "区局产业工会", "区县工会", "局（产业）工会", "union",
    ),
    FundingSource.EMPLOYER: ("所在单位", "单位", "企业", "所在企业", "employer"),
}  # fmt: skip

_LEVEL_KEYS = _enum_lookup(_LEVELS)
_STATUS_KEYS = _enum_lookup(_WORKER_STATUS)
_KIND_KEYS = _enum_lookup(_ALLIANCE_KINDS)
_LEDGER_KEYS = _enum_lookup(_LEDGER_KINDS)
_SOURCE_KEYS = _enum_lookup(_FUNDING_SOURCES)


def closest(text: str, choices: Iterable[str], n: int = 3) -> list[str]:
    """The known values nearest to ``text``: close spellings first, then values containing it."""
    pool = list(dict.fromkeys(choices))
    near = difflib.get_close_matches(text, pool, n=n, cutoff=0.4)
    if len(near) < n:
        near += [c for c in pool if (text in c or c in text) and c not in near][: n - len(near)]
    return near


def _unknown(what_en: str, what_zh: str, text: str, choices: Iterable[str]) -> Invalid:
    near = closest(text, choices)
    hint_en = f"; closest: {', '.join(near)}" if near else ""
    hint_zh = f"；最接近的有：{'、'.join(near)}" if near else ""
    return Invalid(f"unknown {what_en} {text!r}{hint_en}", f"无法识别的{what_zh}「{text}」{hint_zh}")


def district(text: str) -> str:
    found = _DISTRICT_KEYS.get(key(text))
    if found is None:
        raise _unknown("district", "区", text, DISTRICTS)
    return found


def level(text: str) -> StudioLevel:
    found = _LEVEL_KEYS.get(key(text))
    if found is None:
        raise _unknown("level", "命名级别", text, ["全国", "市级", "区局级", "企业级"])
    return found


def worker_status(text: str) -> WorkerStatus:
    found = _STATUS_KEYS.get(key(text))
    if found is None:
        raise _unknown("leader status", "领衔人状态", text, ["在职", "退休", "离职", "已故"])
    return found


def alliance_kind(text: str) -> AllianceKind:
    found = _KIND_KEYS.get(key(text))
    if found is None:
        raise _unknown("alliance kind", "联盟类型", text, ["同工种", "同行业", "跨领域", "产业链", "重点项目"])
    return found


def ledger_kind(text: str) -> LedgerKind:
    """活动 / 成果 / 成员发展 (or activity / result / member) → the ledger it belongs to."""
    found = _LEDGER_KEYS.get(key(text))
    if found is None:
        raise _unknown("ledger kind", "台帐类型", fold(text), ["活动", "成果", "成员发展"])
    return found


_LEDGER_WORDS = ("台帐", "台账", "ledger")
_LEDGER_NAME_MARKERS = (
    (LedgerKind.MEMBER, ("成员", "member")),
    (LedgerKind.RESULT, ("成果", "result")),
    (LedgerKind.ACTIVITY, ("活动", "activit")),
)


def ledger_kind_in_name(name: str | None) -> LedgerKind | None:
    """The ledger a sheet or file name says it holds: ``活动台帐`` → activity, ``2024年创新成果台账`` →
    result, ``成员发展台帐`` → member; ``None`` for a name that names no one ledger (``台帐``).

    >>> ledger_kind_in_name("2024年活动台帐")
    <LedgerKind.ACTIVITY: 'activity'>
    """
    folded = key(name or "")
    if not any(word in folded for word in _LEDGER_WORDS):
        return None
    found = [kind for kind, markers in _LEDGER_NAME_MARKERS if any(m in folded for m in markers)]
    return found[0] if len(found) == 1 else None


def funding_source(text: str) -> FundingSource:
    """Who paid (Article 10): 市总工会 → municipal; 区局（产业）工会, 区总工会, 产业工会, or a district or
    industry union's name (浦东新区总工会, 上海市机电工会) → union; 所在单位, 单位, 企业 → employer."""
    folded = key(text)
    found = _SOURCE_KEYS.get(folded)
    if found is None and folded.endswith("工会") and folded.startswith(("上海市", *(key(d) for d in DISTRICTS))):
        found = FundingSource.UNION  # a district union (浦东新区总工会) or an industry union (上海市机电工会)
    if found is None:
        raise _unknown("funding source", "资助来源", fold(text), ["市总工会", "区局（产业）工会", "所在单位"])
    return found


_YES = frozenset({"是", "有", "y", "yes", "true", "1", "√", "✓", "✔", "认定", "已认定"})
_NO = frozenset({"否", "无", "没有", "n", "no", "false", "0", "×", "✗", "未认定", "不是"})


def yes_no(text: str) -> bool:
    """是 / 否, yes / no, true / false, 1 / 0."""
    folded = key(text)
    if folded in _YES:
        return True
    if folded in _NO:
        return False
    raise Invalid(f"{text!r} is not yes or no (是/否)", f"「{text}」应填“是”或“否”")


_DATE = re.compile(
    r"^((?:19|20)\d{2})\s*(?:[-./]|年)\s*(\d{1,2})\s*(?:[-./]|月)\s*(\d{1,2})\s*日?"
    r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"
)
_COMPACT_DATE = re.compile(r"^((?:19|20)\d{2})(\d{2})(\d{2})$")
_EXCEL_SERIAL = re.compile(r"^(\d{5})(?:\.0+)?$")
_EXCEL_EPOCH = dt.date(1899, 12, 30)


def date(text: str, *, earliest: int = 1949, latest: int | None = None) -> str:
    """A calendar day as ``YYYY-MM-DD`` from ``2024-05-01``, ``2024/5/1``, ``2024.5.1``,
    ``2024年5月1日``, ``20240501``, or an Excel day number (``45413``, a date cell exported as a
    number)."""
    latest = dt.date.today().year if latest is None else latest
    folded = fold(text)
    parsed: dt.date | None = None
    try:
        if match := _DATE.match(folded) or _COMPACT_DATE.match(folded):
            parsed = dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        elif match := _EXCEL_SERIAL.match(folded):
            parsed = _EXCEL_EPOCH + dt.timedelta(days=int(match.group(1)))
    except ValueError:
        raise Invalid(f"{text!r} is not a calendar day", f"「{text}」不是有效的日期") from None
    if parsed is None:
        raise Invalid(
            f"{text!r} is not a date (e.g. 2024-05-01, 2024/5/1 or 2024年5月1日)",
            f"「{text}」不是日期（应如 2024-05-01、2024/5/1 或 2024年5月1日）",
        )
    if not earliest <= parsed.year <= latest:
        raise Invalid(
            f"date {parsed.isoformat()} is outside {earliest}–{latest}",
            f"日期 {parsed.isoformat()} 不在 {earliest}–{latest} 年之间",
        )
    return parsed.isoformat()


_NONE_WORDS = frozenset({"无", "没有", "暂无", "none", "no"})
_MONEY = re.compile(r"^(\d+(?:\.\d+)?)(万)?元?$")


def _money_text(text: str) -> str:
    folded = re.sub(r"[\s,，]", "", fold(text)).lower()
    for prefix in ("¥", "￥", "rmb", "人民币"):
        folded = folded.removeprefix(prefix)
    return folded.removesuffix("/年").removesuffix("每年").removesuffix("/年度")


def amount(text: str, *, none_is_zero: bool = False) -> int:
    """A sum of money in whole yuan (元) from ``20000``, ``20,000``, ``20000元``, ``¥20,000.00``,
    ``2万`` or ``2.5万元``; with ``none_is_zero``, ``无`` (none) is 0."""
    folded = _money_text(text)
    if none_is_zero and folded in _NONE_WORDS:
        return 0
    if folded.startswith("-"):
        raise Invalid(f"{text!r} is negative", f"「{text}」是负数")
    match = _MONEY.match(folded)
    if not match:
        raise Invalid(
            f"{text!r} is not an amount in yuan (e.g. 20000, 20,000 or 2万)",
            f"「{text}」不是金额（应以元为单位，如 20000、20,000 或 2万）",
        )
    value = Decimal(match.group(1)) * (10_000 if match.group(2) else 1)
    if value != value.to_integral_value():
        raise Invalid(f"{text!r} is not a whole number of yuan", f"「{text}」不是整数元")
    return int(value)


_BENEFIT = re.compile(r"^(\d+(?:\.\d+)?)(万元|万|元)?$")


def benefit_amount(text: str) -> float:
    """A benefit in 10,000 RMB (万元) from ``12.5``, ``12.5万``, ``12.5万元`` or ``125,000元``."""
    folded = _money_text(text)
    if folded.startswith("-"):
        raise Invalid(f"{text!r} is negative", f"「{text}」是负数")
    match = _BENEFIT.match(folded)
    if not match:
        raise Invalid(
            f"{text!r} is not an amount in 10,000 yuan (e.g. 12.5)", f"「{text}」不是金额（以万元为单位，如 12.5）"
        )
    try:
        value = Decimal(match.group(1))
    except InvalidOperation:  # pragma: no cover - the pattern rules it out
        raise Invalid(f"{text!r} is not a number", f"「{text}」不是数字") from None
    if match.group(2) == "元":
        value /= 10_000
    return float(value)


_YEAR = re.compile(r"^\s*((?:19|20)\d{2})(?:\s*年|[-./]\d{1,2}(?:[-./]\d{1,2})?|年\d{1,2}月(?:\d{1,2}日)?)?\s*$")


def year(text: str, *, earliest: int = 1949, latest: int | None = None) -> int:
    """A year from ``2019``, ``2019年``, ``2019-10-09``, ``2019.10`` or ``2019年10月``."""
    latest = dt.date.today().year if latest is None else latest
    match = _YEAR.match(fold(text))
    if not match:
        raise Invalid(
            f"{text!r} is not a year (four digits, e.g. 2019)", f"「{text}」不是年份（应为四位数字，如 2019）"
        )
    value = int(match.group(1))
    if not earliest <= value <= latest:
        raise Invalid(f"year {value} is outside {earliest}–{latest}", f"年份 {value} 不在 {earliest}–{latest} 之间")
    return value


def positive_int(text: str, *, largest: int = 10_000) -> int:
    folded = fold(text).removesuffix("人").removesuffix("名").strip()
    if not re.fullmatch(r"\d+", folded):
        raise Invalid(f"{text!r} is not a whole number", f"「{text}」不是整数")
    if len(folded.lstrip("0")) > len(str(largest)):  # before int(): a cell of 5,000 digits is no count
        raise Invalid(f"{folded[:12]}… is outside 1–{largest}", f"{folded[:12]}… 不在 1–{largest} 之间")
    value = int(folded)
    if not 1 <= value <= largest:
        raise Invalid(f"{value} is outside 1–{largest}", f"{value} 不在 1–{largest} 之间")
    return value


_BRACKETED = re.compile(r"[（(【\[][^（）()【】\[\]]*[）)】\]]")
_EMPLOYER_SUFFIXES = ("股份有限公司", "有限责任公司", "有限公司", "集团")
_EMPLOYER_PREFIXES = ("国网", "上海市", "上海")


def _employer_stem(name: str) -> str:
    """A name without brackets (and what they hold), company-form suffixes and Shanghai prefixes."""
    out = key(_BRACKETED.sub("", fold(name)))
    changed = True
    while changed:
        changed = False
        for suffix in _EMPLOYER_SUFFIXES:
            if out.endswith(suffix) and len(out) > len(suffix):
                out, changed = out[: -len(suffix)], True
        for prefix in _EMPLOYER_PREFIXES:
            if out.startswith(prefix) and len(out) > len(prefix):
                out, changed = out[len(prefix) :], True
    return out or key(name)


@cache
def _employer_aliases() -> dict[str, str]:
    """``ingest/data/employer_aliases.csv``: every listed name's stem → its employer's current stem."""
    text = resources.files("ingest.data").joinpath("employer_aliases.csv").read_text(encoding="utf-8")
    rows = csv.DictReader(line for line in text.splitlines() if not line.startswith("#"))
    out: dict[str, str] = {}
    for row in rows:
        current = _employer_stem(row["name"])
        for alias in (row["name"], *(a for a in row["aliases"].split(";") if a.strip())):
            out[_employer_stem(alias)] = current
    return out


def employer_key(name: str) -> str:
    """A comparison key under which the ways a list writes one employer meet: folded, without
    brackets, 有限公司 / 有限责任公司 / 股份有限公司 / 集团 and the 上海市 / 上海 / 国网 prefixes, and known
    renames and short names (``ingest/data/employer_aliases.csv``) taken to the current name.

    >>> employer_key("上海市电力公司") == employer_key("国网上海市电力公司")
    True
    """
    stem = _employer_stem(name)
    return _employer_aliases().get(stem, stem)


_STUDIO_SUFFIXES = ("职工创新工作室", "劳模创新工作室", "劳模工作室", "创新工作室", "工作室")


def studio_name_core(name: str) -> str:
    """A studio's name without the words every studio's name ends in (李斌劳模创新工作室 → 李斌)."""
    folded = key(name)
    for suffix in _STUDIO_SUFFIXES:
        if folded.endswith(suffix) and len(folded) > len(suffix):
            return folded[: -len(suffix)]
    return folded


def studio_name_variants(name: str) -> list[str]:
    """The spellings of a studio's name to look a stored studio up by (one batched lookup): the
    name as folded for storage, and its core with each of the usual endings."""
    folded = fold(name)
    core = fold(name)
    for suffix in _STUDIO_SUFFIXES:
        if core.endswith(suffix) and len(core) > len(suffix):
            core = core[: -len(suffix)]
            break
    return list(dict.fromkeys([folded, folded.replace(" ", ""), *(core + suffix for suffix in _STUDIO_SUFFIXES)]))


class TradeMatchKind(StrEnum):
    """How a trade was read from what a clerk wrote."""

    CODE = "code"
    NAME = "name"
    ALIAS = "alias"
    NEAR = "near"


@dataclass(frozen=True)
class TradeMatch:
    """A trade read from a clerk's text, and how it was read."""

    text: str
    trade: Trade
    kind: TradeMatchKind

    @property
    def warning(self) -> tuple[str, str] | None:
        """English and Chinese words for a near match (which loads, but a person should see it);
        ``None`` for a code, name or alias."""
        if self.kind is not TradeMatchKind.NEAR:
            return None
        t = self.trade
        return (
            f"trade {self.text!r} read as {t.name} ({t.code})",
            f"工种「{self.text}」按「{t.name}」({t.code}) 读取",
        )


_GRADE_PREFIXES = ("正高级", "副高级", "高级", "中级", "初级", "特级", "首席", "资深", "一级", "二级", "三级",
                   "四级", "五级")  # fmt: skip
_GRADE_SUFFIXES = ("特级技师", "首席技师", "高级技师", "技师", "高级工", "中级工", "初级工", "学徒工", "高级",
                   "中级", "初级", "一级", "二级", "三级", "四级", "五级")  # fmt: skip
_FORMS = (("工程师", "工程技术人员"), ("操作工", "工"), ("操作员", "员"))
_HEADS = ("工程技术人员", "专业技术人员", "技术人员", "工程师", "操作工", "操作员", "技术员", "管理员", "人员",
          "工人", "技师", "师", "员", "工")  # fmt: skip
NEAR_COVERAGE = 0.5
"""The least share of the longer text a near match's shorter text must cover."""

NEAR_MATCH_RULE = """\
A near match of a trade text (compared folded: ``ingest.text.key``), tried only when no code, name
or alias matches it:

1. *forms*: the text without a skill grade (高级焊工, 焊工（高级）, 电工高级技师, 二级焊工 → the text
   without 高级, 技师, 高级技师, 一级…五级 …), or with …工程师 written …工程技术人员, …操作工 written
   …工, …操作员 written …员, is a code, name or alias;
2. otherwise *containment*: a known name or alias contains the text, or the text contains one
   (软件工程技术人员 → 计算机软件工程技术人员, 数控车床工 → 车床工 → 车工), the shorter covering at
   least half the longer (``NEAR_COVERAGE``); the text (or its grade-free form) must keep two
   characters once a worker word (工, 员, 师, 人员, 工程师, 操作工 …) is taken off its end, so that 操作工
   or 维修工 alone never matches. Candidates are ranked by whether the shorter ends the longer (the
   head of a Chinese trade name is its end: 数控车工 is a kind of 车工), then by the share covered.

The best trade wins. Two trades reached equally well (in 1, any two; in 2, the same rank) are an
ambiguity, reported with both; nothing else is guessed (a misspelling such as 车公 is an error naming
the closest trades)."""


def _grade_free(text: str) -> str:
    """``text`` without skill-grade words at either end (高级焊工, 焊工高级技师 → 焊工)."""
    out = text
    changed = True
    while changed:
        changed = False
        for prefix in _GRADE_PREFIXES:
            if out.startswith(prefix) and len(out) > len(prefix):
                out, changed = out[len(prefix) :], True
        for suffix in _GRADE_SUFFIXES:
            if out.endswith(suffix) and len(out) > len(suffix):
                out, changed = out[: -len(suffix)], True
    return out


def _stem(text: str) -> str:
    """``text`` without the worker word ending it (软件工程技术人员 → 软件)."""
    for head in _HEADS:
        if text.endswith(head):
            return text[: -len(head)]
    return text


_TradeEntry = tuple[tuple[Trade, ...], TradeMatchKind]


class Reference:
    """The reference taxonomies, indexed for resolving what clerks write (codes, names, aliases).

    ``trades`` defaults to every trade (:func:`graph.taxonomy.trades`); ``curated`` names the codes
    whose code, name and aliases are read first, exactly as before the whole classification was
    shipped (default: the curated trades when ``trades`` is the default, else all of ``trades``);
    ``occupations`` adds the classification's names and aliases of the occupations the trades name
    by ``occupation_code``.
    """

    def __init__(
        self,
        industries: Sequence[Industry] | None = None,
        trades: Sequence[Trade] | None = None,
        chains: Sequence[Chain] | None = None,
        segments: Sequence[Segment] | None = None,
        *,
        curated: Iterable[str] | None = None,
        occupations: Sequence[Occupation] | None = None,
    ) -> None:
        self.industries = tuple(industries if industries is not None else taxonomy.industries())
        self.trades = tuple(trades if trades is not None else taxonomy.trades())
        self.chains = tuple(chains if chains is not None else taxonomy.chains())
        self.segments = tuple(segments if segments is not None else taxonomy.segments())
        if curated is None:
            curated = (t.code for t in (taxonomy.curated_trades() if trades is None else self.trades))
        self.curated = frozenset(curated)
        self.occupations = tuple(occupations if occupations is not None else taxonomy.occupations())
        self._trade_cache: dict[str, TradeMatch | Invalid] = {}

    @cached_property
    def _trade_keys(self) -> dict[str, _TradeEntry]:
        """Folded code, name or alias → the trades it names and how; several trades only where a
        name or alias outside the curated trades is shared and no one of them is curated."""
        out: dict[str, _TradeEntry] = {}
        curated = [t for t in self.trades if t.code in self.curated]
        for t in curated:  # the curated trades, as they have always been read
            out.setdefault(key(t.code), ((t,), TradeMatchKind.CODE))
            out.setdefault(key(t.name), ((t,), TradeMatchKind.NAME))
        for t in curated:
            for alias in t.aliases:
                out.setdefault(key(alias), ((t,), TradeMatchKind.ALIAS))
        others = [t for t in self.trades if t.code not in self.curated]
        by_occupation: dict[str, Trade] = {}
        for t in (*curated, *others):
            if t.occupation_code:
                by_occupation.setdefault(t.occupation_code, t)
        occupations = [o for o in self.occupations if o.level == "occupation" and o.code in by_occupation]
        codes = [(t.code, t) for t in others] + [(t.occupation_code, t) for t in others if t.occupation_code]
        codes += [(o.code, by_occupation[o.code]) for o in occupations]
        for code, t in codes:
            out.setdefault(key(code), ((t,), TradeMatchKind.CODE))
        for kind, texts in (
            (
                TradeMatchKind.NAME,
                [(t.name, t) for t in others] + [(o.name, by_occupation[o.code]) for o in occupations],
            ),
            (
                TradeMatchKind.ALIAS,
                [(a, t) for t in others for a in t.aliases]
                + [(a, by_occupation[o.code]) for o in occupations for a in o.aliases],
            ),
        ):
            shared: dict[str, dict[str, Trade]] = {}
            for text, t in texts:
                shared.setdefault(key(text), {})[t.code] = t
            for k, found in shared.items():
                if k in out:
                    continue
                named = tuple(found.values())
                chosen = [t for t in named if t.code in self.curated]
                out[k] = ((chosen[0],) if len(named) > 1 and len(chosen) == 1 else named, kind)
        return out

    @cached_property
    def _trade_texts(self) -> list[tuple[str, tuple[Trade, ...]]]:
        """Every folded name and alias with its trades, for near matching."""
        return [(k, trades) for k, (trades, kind) in self._trade_keys.items() if kind is not TradeMatchKind.CODE]

    @cached_property
    def _trade_choices(self) -> list[str]:
        """Names and aliases to suggest when a trade matches nothing."""
        return [t.name for t in self.trades] + [a for t in self.trades for a in t.aliases]

    def match_trade(self, text: str) -> TradeMatch:
        """Read a trade from ``text`` (a code, name, alias or near match, in that order; see the
        module docs and :data:`NEAR_MATCH_RULE`). Raises :class:`Invalid` for a text that matches no
        trade or two equally, naming the closest trades."""
        shown = fold(text)
        cached = self._trade_cache.get(shown)  # a roster repeats its trades: read each spelling once
        if cached is None:
            try:
                cached = self._match_trade(shown, key(text))
            except Invalid as exc:
                cached = exc
            self._trade_cache[shown] = cached
        if isinstance(cached, Invalid):
            raise Invalid(cached.message, cached.message_zh)
        return cached

    def _match_trade(self, shown: str, folded: str) -> TradeMatch:
        entry = self._trade_keys.get(folded)
        if entry is not None:
            trades, kind = entry
            if len(trades) > 1:
                raise self._tied(shown, trades)
            return TradeMatch(shown, trades[0], kind)
        graded = _grade_free(folded)
        forms = [graded] if graded != folded else []
        forms += [v[: -len(a)] + b for v in (folded, *forms) for a, b in _FORMS if v.endswith(a)]
        hits: dict[str, Trade] = {}
        for form in forms:
            if (found := self._trade_keys.get(form)) is not None:
                hits.update((t.code, t) for t in found[0])
        if len(hits) == 1:
            return TradeMatch(shown, next(iter(hits.values())), TradeMatchKind.NEAR)
        if hits:
            raise self._tied(shown, tuple(hits.values()))
        best: dict[str, tuple[tuple[bool, float], Trade]] = {}
        for text in dict.fromkeys((folded, graded)):
            if len(_stem(text)) < 2:
                continue
            for known, trades in self._trade_texts:
                if text in known:
                    shorter, longer = text, known
                elif known in text:
                    shorter, longer = known, text
                else:
                    continue
                coverage = len(shorter) / len(longer)
                if coverage < NEAR_COVERAGE:
                    continue
                score = (longer.endswith(shorter), coverage)
                for t in trades:
                    if t.code not in best or score > best[t.code][0]:
                        best[t.code] = (score, t)
        if not best:
            raise _unknown("trade", "工种", shown, self._trade_choices)
        top = max(score for score, _ in best.values())
        winners = tuple(t for score, t in best.values() if score == top)
        if len(winners) > 1:
            raise self._tied(shown, winners)
        return TradeMatch(shown, winners[0], TradeMatchKind.NEAR)

    @staticmethod
    def _tied(text: str, trades: Sequence[Trade], shown: int = 5) -> Invalid:
        """A text two or more trades match equally well: name them (the first ``shown`` by code)."""
        ordered = sorted(trades, key=lambda t: t.code)
        en = ", ".join(f"{t.name} ({t.code})" for t in ordered[:shown])
        zh = "、".join(f"{t.name}（{t.code}）" for t in ordered[:shown])
        more = len(ordered) - shown
        if more > 0:
            en, zh = f"{en} and {more} more", f"{zh}等 {len(ordered)} 个"
        return Invalid(
            f"trade {text!r} matches several trades equally: {en}; write one of them",
            f"工种「{text}」同样接近多个工种：{zh}，请写明其中一个",
        )

    @cached_property
    def _industry_keys(self) -> dict[str, Industry]:
        out: dict[str, Industry] = {i.code: i for i in self.industries}
        order = {IndustryLevel.CLASS: 0, IndustryLevel.GROUP: 1, IndustryLevel.DIVISION: 2, IndustryLevel.SECTION: 3}
        for i in sorted(self.industries, key=lambda i: order[i.level]):  # the most specific level wins a name
            out.setdefault(key(i.name), i)
        return out

    @cached_property
    def _chain_keys(self) -> dict[str, Chain]:
        out = {c.id: c for c in self.chains}
        for c in self.chains:
            out.setdefault(key(c.name), c)
            if c.name_en:
                out.setdefault(key(c.name_en), c)
        return out

    @cached_property
    def _segment_keys(self) -> dict[str, list[Segment]]:
        out: dict[str, list[Segment]] = {}
        chain_names = {c.id: c.name for c in self.chains}
        for s in self.segments:
            for text in (s.id, s.name, f"{chain_names.get(s.chain_id, s.chain_id)}/{s.name}", s.name_en):
                if text:
                    bucket = out.setdefault(key(text), [])
                    if s not in bucket:
                        bucket.append(s)
        return out

    def trade(self, text: str) -> Trade:
        """The trade ``text`` names (see :meth:`match_trade`, which also says how it was read)."""
        return self.match_trade(text).trade

    def knows_trade(self, text: str) -> bool:
        """Whether ``text`` is exactly a trade's code, name or alias (no near match)."""
        return key(text) in self._trade_keys

    def industry(self, text: str) -> Industry:
        folded = fold(text)
        code = re.sub(r"^[A-Ta-t](?=\d{2,4}$)", "", folded)  # "C3973" → "3973"
        found = self._industry_keys.get(code) or self._industry_keys.get(key(folded))
        if found is None:
            raise _unknown("industry", "行业", folded, [i.name for i in self.industries])
        return found

    def chain(self, text: str) -> Chain:
        found = self._chain_keys.get(key(text))
        if found is None:
            raise _unknown("chain", "产业链", fold(text), [c.name for c in self.chains] + [c.id for c in self.chains])
        return found

    def segment(self, text: str, *, chain_id: str | None = None) -> Segment:
        candidates = self._segment_keys.get(key(text), [])
        if chain_id is not None and len(candidates) > 1:
            candidates = [s for s in candidates if s.chain_id == chain_id] or candidates
        if len(candidates) == 1:
            return candidates[0]
        if len(candidates) > 1:
            options = ", ".join(s.id for s in candidates)
            raise Invalid(
                f"segment {text!r} is in several chains ({options}); write it as chain/segment",
                f"环节「{text}」属于多条产业链（{options}），请写成“产业链/环节”",
            )
        names = [s.name for s in self.segments] + [s.id for s in self.segments]
        raise _unknown("chain segment", "产业链环节", fold(text), names)
