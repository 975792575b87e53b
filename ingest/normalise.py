"""Turning clerks' values into domain values: codes or names resolved against the reference
taxonomies, Chinese enumerations mapped to the model's enums, years and counts parsed.

Every parser raises :class:`Invalid` with an English and a Chinese message; a value that resolves to
nothing names the closest known values.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation
from functools import cached_property

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


def _enum_lookup(table: dict[object, tuple[str, ...]]) -> dict[str, object]:
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

_LEVEL_KEYS = _enum_lookup(_LEVELS)  # type: ignore[arg-type]
_STATUS_KEYS = _enum_lookup(_WORKER_STATUS)  # type: ignore[arg-type]
_KIND_KEYS = _enum_lookup(_ALLIANCE_KINDS)  # type: ignore[arg-type]
_LEDGER_KEYS = _enum_lookup(_LEDGER_KINDS)  # type: ignore[arg-type]
_SOURCE_KEYS = _enum_lookup(_FUNDING_SOURCES)  # type: ignore[arg-type]


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
    return found  # type: ignore[return-value]


def worker_status(text: str) -> WorkerStatus:
    found = _STATUS_KEYS.get(key(text))
    if found is None:
        raise _unknown("leader status", "领衔人状态", text, ["在职", "退休", "离职", "已故"])
    return found  # type: ignore[return-value]


def alliance_kind(text: str) -> AllianceKind:
    found = _KIND_KEYS.get(key(text))
    if found is None:
        raise _unknown("alliance kind", "联盟类型", text, ["同工种", "同行业", "跨领域", "产业链", "重点项目"])
    return found  # type: ignore[return-value]


def ledger_kind(text: str) -> LedgerKind:
    """活动 / 成果 / 成员发展 (or activity / result / member) → the ledger it belongs to."""
    found = _LEDGER_KEYS.get(key(text))
    if found is None:
        raise _unknown("ledger kind", "台帐类型", fold(text), ["活动", "成果", "成员发展"])
    return found  # type: ignore[return-value]


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
    return found  # type: ignore[return-value]


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
    value = int(folded)
    if not 1 <= value <= largest:
        raise Invalid(f"{value} is outside 1–{largest}", f"{value} 不在 1–{largest} 之间")
    return value


class Reference:
    """The reference taxonomies, indexed for resolving what clerks write (codes, names, aliases)."""

    def __init__(
        self,
        industries: Sequence[Industry] | None = None,
        trades: Sequence[Trade] | None = None,
        chains: Sequence[Chain] | None = None,
        segments: Sequence[Segment] | None = None,
    ) -> None:
        self.industries = tuple(industries if industries is not None else taxonomy.industries())
        self.trades = tuple(trades if trades is not None else taxonomy.trades())
        self.chains = tuple(chains if chains is not None else taxonomy.chains())
        self.segments = tuple(segments if segments is not None else taxonomy.segments())

    @cached_property
    def _trade_keys(self) -> dict[str, Trade]:
        out: dict[str, Trade] = {}
        for t in self.trades:
            out.setdefault(key(t.code), t)
            out.setdefault(key(t.name), t)
        for t in self.trades:
            for alias in t.aliases:
                out.setdefault(key(alias), t)
        return out

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
        found = self._trade_keys.get(key(text))
        if found is None:
            raise _unknown(
                "trade", "工种", fold(text), [t.name for t in self.trades] + [a for t in self.trades for a in t.aliases]
            )
        return found

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
