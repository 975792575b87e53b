"""Deterministic, fictional rosters of studios (示例数据，纯属虚构) for demos, tests and benchmarks.

:func:`generate` builds a roster shaped like the files unions keep (``shared/docs/input-format.md``):
rows keyed by the Chinese headers a clerk writes, in six sheets — studios (工作室), key projects
(重点项目), past collaborations (合作记录), existing alliances (联盟), the studios' ledgers (台帐,
Article 8) and their funding (经费, Article 10). Every value is drawn from the shipped taxonomies
(``graph.taxonomy``), so every 工种, 行业 and 产业链环节 resolves exactly, and each studio keeps its
true codes in :attr:`Roster.labels` so a classifier can be measured on rows whose codes were stripped.

The ledgers, the funding and the studios' founding days, venues, funds and leaders' status years are
drawn from a second random stream (seeded from the seed), so the first four sheets are the same as
before those were added.

How a studio is made, in one pass and without any all-pairs step:

1. a trade (工种) by a Zipf-like law over a ranked list (电工, 焊工, 车工, 钳工, 护士 … dominate);
2. a *setting* for that trade: either a chain segment (``ic/wafer-fab`` …), whose industry classes
   and employers it takes, or a setting outside the chains (power grid, hospital, school …);
3. an employer of that setting (often one already made: big employers host many studios), which
   fixes the district, the industry class and the union;
4. a leader with a fictional name, honours and status; a level and years; expertise and needs from
   phrase banks per trade family and per segment, the needs pointing at other fields
   (cross-field complementarity) and at the segments upstream and downstream.

Names of people and employers are random combinations of common characters; no real person or
company is meant. District and union names, trades, industries and chains are the real
classifications, used for illustration.

The generator's tables (name characters, employer templates, where each trade works, phrase banks,
projects, weights, templates) are data files under ``ingest/data/synthetic/``, read and checked once
(:func:`ingest.data.synthetic.tables`); this module holds the rules that draw from them.

:func:`records` makes plain store records of ``n`` studios (no roster file, no reading) for the
store, API and view benchmarks.

Complexity: O(n) time and memory for ``n`` studios (150,000 studios take a few seconds); the xlsx
writer streams rows (openpyxl write-only mode) and rewrites the archive entry by entry with fixed
timestamps, so that the same roster gives the same bytes.

>>> roster = generate(50, seed=1)
>>> len(roster.studios), roster.studios[0]["编号"]
(50, 'SH000001')
"""

from __future__ import annotations

import bisect
import csv
import datetime as _dt
import json
import random
import re
import zipfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Generic, TypeVar

from graph import taxonomy
from graph.model import (
    Collaboration,
    Employer,
    ModelWorker,
    Record,
    Segment,
    Studio,
    StudioLevel,
    Trade,
    Union,
    UnionKind,
)

from .data.synthetic import Draws, Names, Tables, tables
from .normalise import DISTRICTS

__all__ = [
    "ALLIANCE_HEADERS",
    "COLLABORATION_HEADERS",
    "DISTRICTS",
    "FUNDING_HEADERS",
    "LEDGER_HEADERS",
    "NAMING_LIST_HEADERS",
    "NOTE_SHEET",
    "PROJECT_HEADERS",
    "SHEETS",
    "STUDIO_HEADERS",
    "Roster",
    "generate",
    "naming_list",
    "records",
    "write_csv",
    "write_json",
    "write_xlsx",
]

SHEETS = ("工作室", "重点项目", "合作记录", "联盟", "台帐", "经费")
"""Sheet names, in the order of :meth:`Roster.sheets`: studios, projects, collaborations, alliances,
ledger, funding."""
NOTE_SHEET = "说明"
"""The first sheet of a written workbook: says the data is illustrative, and how it was made."""

STUDIO_HEADERS = (
    "编号",
    "工作室名称",
    "领衔人",
    "领衔人荣誉",
    "领衔人状态",
    "所在单位",
    "所属工会",
    "所在区",
    "命名级别",
    "命名年份",
    "成立年份",
    "工种",
    "行业",
    "产业链环节",
    "技术专长",
    "攻关需求",
    "团队人数",
    "成立日期",
    "固定场所",
    "专项经费（元/年）",
    "领衔人状态年份",
)
"""The studio columns; the last four (founding day, venue, funds, leader's status year) are filled
for some studios only."""
PROJECT_HEADERS = ("编号", "项目名称", "产业链", "产业链环节", "所需能力", "牵头工会")
COLLABORATION_HEADERS = ("工作室A", "工作室B", "年份", "合作内容")
ALLIANCE_HEADERS = ("编号", "联盟名称", "类型", "成员", "成立年份")
LEDGER_HEADERS = (
    "工作室",
    "台帐类型",
    "年份",
    "日期",
    "名称",
    "内容",
    "经济社会效益",
    "效益金额（万元）",
    "创新类型",
    "获奖情况",
    "认定攻关项目",
)
FUNDING_HEADERS = ("工作室", "年份", "资助来源", "金额（元）", "备注")
NAMING_LIST_HEADERS = ("序号", "工作室名称", "领衔人", "所在单位", "推荐单位")
"""A bare published naming list (命名名单), as unions publish it."""

_HEADERS = (STUDIO_HEADERS, PROJECT_HEADERS, COLLABORATION_HEADERS, ALLIANCE_HEADERS, LEDGER_HEADERS, FUNDING_HEADERS)
_NUMERIC = frozenset({"命名年份", "成立年份", "团队人数", "年份", "专项经费（元/年）", "领衔人状态年份", "金额（元）"})
"""Columns a clerk's Excel holds as numbers; written as numbers to the xlsx, as text to CSV."""

_DISTRICT_SHORT = {d: d.removesuffix("新区").removesuffix("区") for d in DISTRICTS}

FIRST_YEAR, LAST_YEAR = 2005, 2025
"""Naming years (命名年份) run over these years; collaborations from 2016."""
_FIXED_TIME = _dt.datetime(2019, 10, 9, 0, 0, 0)  # 沪工总基〔2019〕191号, the rules' date
_ZIP_TIME = (2019, 10, 9, 0, 0, 0)

T = TypeVar("T")


# ================================================================ the roster


@dataclass(frozen=True)
class Roster:
    """A generated roster: six sheets of rows keyed by Chinese headers, and the studios' true codes.

    ``labels`` maps a studio's 编号 to ``{"industry": code, "trades": [codes], "segments": [ids]}``:
    what the rows say in 行业 / 工种 / 产业链环节, as codes, for evaluating a classifier.
    """

    studios: list[dict[str, str]]
    projects: list[dict[str, str]]
    collaborations: list[dict[str, str]]
    alliances: list[dict[str, str]]
    labels: dict[str, dict[str, Any]] = field(default_factory=dict)
    ledger: list[dict[str, str]] = field(default_factory=list)
    """Ledger lines (台帐, Article 8): activities, results and members' development."""
    funding: list[dict[str, str]] = field(default_factory=list)
    """Funding (经费, Article 10): the municipal subsidy, the union's match, the employer's funds."""

    def sheets(self) -> dict[str, list[dict[str, str]]]:
        """The six sheets by their Chinese names (:data:`SHEETS`)."""
        rows = (self.studios, self.projects, self.collaborations, self.alliances, self.ledger, self.funding)
        return dict(zip(SHEETS, rows, strict=True))


# ================================================================ internal model


class _Picker(Generic[T]):
    """Weighted choice in O(log n) per draw, from cumulative weights (``random.choices`` is O(n))."""

    __slots__ = ("_cum", "_total", "items")

    def __init__(self, items: Sequence[T], weights: Sequence[float]) -> None:
        if not items or len(items) != len(weights) or min(weights) <= 0:
            raise ValueError("a picker needs as many positive weights as items, and at least one")
        self.items = tuple(items)
        self._cum: list[float] = []
        total = 0.0
        for w in weights:
            total += w
            self._cum.append(total)
        self._total = total

    def pick(self, rng: random.Random) -> T:
        return self.items[bisect.bisect_right(self._cum, rng.random() * self._total)]

    @classmethod
    def of(cls, pairs: Sequence[tuple[T, float]]) -> _Picker[T]:
        """A picker of ``(item, weight)`` pairs, in their order."""
        return cls([item for item, _ in pairs], [weight for _, weight in pairs])


@dataclass(frozen=True)
class _Setting:
    """Where a studio works: a chain segment, or a plain setting outside the chains."""

    key: str
    segment: Segment | None
    employers: tuple[tuple[str, tuple[str, ...]], ...]
    unions: tuple[str, ...]
    union_share: float
    public: bool
    expertise: tuple[str, ...]


@dataclass(frozen=True)
class _Draws:
    """The weighted draws of ``draws.json``, as pickers."""

    districts: _Picker[str]
    levels: _Picker[str]
    national_honour_share: dict[str, float]
    statuses: _Picker[str]
    founded_gap: _Picker[int]
    suffixes: _Picker[str]
    collaboration_kinds: _Picker[str]
    ledger_kinds: _Picker[str]
    innovation_types: _Picker[str]
    awards: _Picker[str]
    employer_notes: _Picker[str]
    employer_fund_sources: tuple[str, ...]

    @classmethod
    def of(cls, draws: Draws) -> _Draws:
        return cls(
            districts=_Picker.of(draws.districts),
            levels=_Picker.of(draws.levels),
            national_honour_share=dict(draws.national_honour_share),
            statuses=_Picker.of(draws.leader_statuses),
            founded_gap=_Picker.of(draws.founded_gap),
            suffixes=_Picker.of(draws.studio_suffixes),
            collaboration_kinds=_Picker.of(draws.collaboration_kinds),
            ledger_kinds=_Picker.of(draws.ledger_kinds),
            innovation_types=_Picker.of(draws.innovation_types),
            awards=_Picker.of(draws.awards),
            employer_notes=_Picker.of(draws.employer_notes),
            employer_fund_sources=draws.employer_fund_sources,
        )


@dataclass(frozen=True)
class _Model:
    """Everything the generator derives from the taxonomies and its data files, built once per process."""

    data: Tables
    draws: _Draws
    trade_names: dict[str, str]  # name -> code
    trade_category: dict[str, str]  # name -> category
    trade_picker: _Picker[str]
    trade_settings: dict[str, _Picker[str]]
    setting_trades: dict[str, _Picker[str]]
    settings: dict[str, _Setting]
    segments: dict[str, Segment]
    chain_names: dict[str, str]
    chain_segments: dict[str, tuple[str, ...]]
    upstream: dict[str, tuple[str, ...]]
    downstream: dict[str, tuple[str, ...]]
    industry_segments: dict[str, tuple[str, ...]]
    industry_display: dict[str, str]  # code -> its name when the name is unique, else ""
    industry_names: dict[str, str]  # code -> name
    zihao: tuple[str, ...]


@cache
def _model() -> _Model:
    data = tables()
    trades = taxonomy.curated_trades()
    segments = {s.id: s for s in taxonomy.segments()}
    industries = {i.code: i for i in taxonomy.generator_industries()}
    for seg in segments.values():
        for code in seg.industry_codes:
            if code not in industries:
                raise ValueError(f"segment {seg.id} names industry {code}, not in industries.csv")
    settings = _settings(data, segments)
    trade_weight = _trade_weights(data, trades)
    trade_settings, setting_trades = _trade_settings(data, trades, trade_weight, settings)
    upstream, downstream, chain_segments, industry_segments = _chain_links(segments)
    name_count = Counter(ind.name for ind in industries.values())
    return _Model(
        data=data,
        draws=_Draws.of(data.draws),
        trade_names={t.name: t.code for t in trades},
        trade_category={t.name: t.category for t in trades},
        trade_picker=_Picker(list(trade_weight), list(trade_weight.values())),
        trade_settings=trade_settings,
        setting_trades=setting_trades,
        settings=settings,
        segments=segments,
        chain_names={c.id: c.name for c in taxonomy.chains()},
        chain_segments=chain_segments,
        upstream=upstream,
        downstream=downstream,
        industry_segments=industry_segments,
        industry_display={code: ind.name if name_count[ind.name] == 1 else "" for code, ind in industries.items()},
        industry_names={code: ind.name for code, ind in industries.items()},
        zihao=_zihao(data.names),
    )


def _settings(data: Tables, segments: dict[str, Segment]) -> dict[str, _Setting]:
    """Every setting: the chain segments (in chains.json's order), then the plain settings."""
    settings: dict[str, _Setting] = {}
    for seg in segments.values():
        chain = data.chains[seg.chain_id]
        note = data.segments.get(seg.id)
        unions, share = chain.unions, chain.union_share
        if note is not None and note.unions is not None and note.union_share is not None:
            unions, share = note.unions, note.union_share
        templates = data.service_templates if note is not None and note.service else chain.keyword_templates
        bank = data.setting_expertise[seg.id] + tuple(t.format(kw=kw) for kw in seg.keywords[:4] for t in templates)
        employers = tuple((e.template, e.industries) for e in data.employers[seg.id])
        public = note is not None and note.public
        settings[seg.id] = _Setting(seg.id, seg, employers, unions, share, public, bank)
    for key, plain in data.plain_settings.items():
        employers = tuple((e.template, e.industries or plain.industries) for e in data.employers[key])
        settings[key] = _Setting(
            key, None, employers, plain.unions, plain.union_share, plain.public, data.setting_expertise[key]
        )
    return settings


def _trade_weights(data: Tables, trades: Sequence[Trade]) -> dict[str, float]:
    """Trade name → its weight, in rank order: the ranked trades first, then the rest in file order;
    the trade of rank r weighs 1 / (r + 2) (a Zipf-like law)."""
    ranked = list(data.trades.ranked)
    top = set(ranked)
    ranked += [t.name for t in trades if t.name not in top]
    return {name: 1.0 / (rank + 2) for rank, name in enumerate(ranked)}


def _trade_settings(
    data: Tables, trades: Sequence[Trade], trade_weight: dict[str, float], settings: dict[str, _Setting]
) -> tuple[dict[str, _Picker[str]], dict[str, _Picker[str]]]:
    """Where each trade works (trade → setting picker), and who works in each setting (setting → trade
    picker, weighted by the trade's weight times the setting's weight for it)."""
    trade_settings: dict[str, _Picker[str]] = {}
    setting_pool: dict[str, list[tuple[str, float]]] = {key: [] for key in settings}
    for t in trades:
        pairs = data.trades.trade_settings.get(t.name) or data.trades.family_settings[t.category]
        for key, weight in pairs:
            setting_pool[key].append((t.name, trade_weight[t.name] * weight))
        trade_settings[t.name] = _Picker.of(pairs)
    return trade_settings, {key: _Picker.of(pool) for key, pool in setting_pool.items()}


_Links = dict[str, tuple[str, ...]]


def _chain_links(segments: dict[str, Segment]) -> tuple[_Links, _Links, _Links, _Links]:
    """Each segment's upstream and downstream segments, each chain's segments, each industry's segments."""
    upstream: dict[str, list[str]] = {s: [] for s in segments}
    downstream: dict[str, list[str]] = {s: [] for s in segments}
    for edge in taxonomy.supplies():
        downstream[edge.upstream_id].append(edge.downstream_id)
        upstream[edge.downstream_id].append(edge.upstream_id)
    chain_segments: dict[str, list[str]] = {c.id: [] for c in taxonomy.chains()}
    industry_segments: dict[str, list[str]] = {}
    for seg in segments.values():
        chain_segments[seg.chain_id].append(seg.id)
        for code in seg.industry_codes:
            industry_segments.setdefault(code, []).append(seg.id)

    def frozen(links: dict[str, list[str]]) -> _Links:
        return {k: tuple(v) for k, v in links.items()}

    return frozen(upstream), frozen(downstream), frozen(chain_segments), frozen(industry_segments)


def _zihao(names: Names) -> tuple[str, ...]:
    """Every ordered pair of two different 字号 characters, minus the pairs that spell a known brand."""
    chars = "".join(dict.fromkeys(names.zihao_characters))
    return tuple(a + b for a in chars for b in chars if a != b and a + b not in names.zihao_avoid)


# ================================================================ studios


@dataclass
class _Employer:
    name: str
    short: str
    district: str
    union: str
    industry: str
    setting: str


@dataclass
class _Facts:
    """Per-studio facts the later sheets need, kept as plain parallel lists (no re-parsing of rows)."""

    ids: list[str] = field(default_factory=list)
    trades: list[tuple[str, ...]] = field(default_factory=list)  # trade names
    segments: list[tuple[str, ...]] = field(default_factory=list)
    industry: list[str] = field(default_factory=list)
    district: list[str] = field(default_factory=list)
    category: list[str] = field(default_factory=list)
    founded: list[int] = field(default_factory=list)
    named: list[int] = field(default_factory=list)
    needs: list[str] = field(default_factory=list)  # first cross-field need phrase, or ""

    def add(self, studio_id: str, drawn: _Drawn, employer: _Employer, category: str, years: _Years, cross: str) -> None:
        self.ids.append(studio_id)
        self.trades.append(tuple(drawn.trades))
        self.segments.append(tuple(drawn.segments))
        self.industry.append(employer.industry)
        self.district.append(employer.district)
        self.category.append(category)
        self.founded.append(years.founded)
        self.named.append(years.named)
        self.needs.append(cross)


@dataclass(frozen=True)
class _Drawn:
    """Where a studio works: its trades (the first its own), setting and segments."""

    trades: list[str]
    setting: _Setting
    segments: list[str]


@dataclass(frozen=True)
class _Years:
    """A studio's level, naming and founding years, and its leader's status."""

    level: str
    named: int
    founded: int
    status: str


_YEARS = _Picker(
    tuple(range(FIRST_YEAR, LAST_YEAR + 1)), [1 + 0.25 * (y - FIRST_YEAR) for y in range(FIRST_YEAR, LAST_YEAR + 1)]
)
"""Naming years: later years a little more often (a quarter more each year)."""
_ALLIANCE_YEARS = _Picker(tuple(range(2016, LAST_YEAR + 1)), [1 + 0.2 * k for k in range(LAST_YEAR - 2016 + 1)])


class _StudioMaker:
    """Makes studios one by one; holds the registries that keep names and employers unique."""

    def __init__(self, rng: random.Random, model: _Model) -> None:
        self.rng = rng
        self.m = model
        self.employers: dict[str, _Employer] = {}
        self.pools: dict[str, list[_Employer]] = {}
        self.studio_names: set[str] = set()
        self.year_text = {y: str(y) for y in range(1990, LAST_YEAR + 2)}
        self.honour_text: dict[tuple[str, ...], str] = {}

    # -- people and employers

    def person(self, category: str) -> str:
        rng = self.rng
        names, trades = self.m.data.names, self.m.data.trades
        female = rng.random() < trades.female_share.get(category, trades.default_female_share)
        chars = names.given_female if female else names.given_male
        surnames = names.surnames
        while True:
            surname = surnames[int(rng.random() * len(surnames))]
            given = chars[int(rng.random() * len(chars))]
            if rng.random() < 0.72:
                second = chars[int(rng.random() * len(chars))]
                if second != given:
                    given += second
            name = surname + given
            if name not in names.reserved:
                return name

    def employer(self, setting: _Setting, district: str | None) -> _Employer:
        rng = self.rng
        pool = self.pools.setdefault(setting.key, [])
        if district is None and pool and rng.random() < 0.55:
            return pool[int(rng.random() * len(pool))]
        for _attempt in range(12):
            where = district or self.m.draws.districts.pick(rng)
            template, codes = setting.employers[int(rng.random() * len(setting.employers))]
            z = self.m.zihao[int(rng.random() * len(self.m.zihao))]
            short = _DISTRICT_SHORT[where]
            name = template.format(z=z, d=short, D=where)
            found = self.employers.get(name)
            if found is not None:
                if found.setting == setting.key and (district is None or found.district == district):
                    return found
                continue
            industries = codes or (setting.segment.industry_codes if setting.segment is not None else ())
            industry = industries[int(rng.random() * len(industries))]
            if setting.unions and rng.random() < setting.union_share:
                union = setting.unions[int(rng.random() * len(setting.unions))]
            else:
                union = f"{where}总工会"
            made = _Employer(name, _short_name(name), where, union, industry, setting.key)
            self.employers[name] = made
            pool.append(made)
            return made
        raise RuntimeError(f"could not name a new employer for {setting.key}")  # pragma: no cover

    def leader_and_name(self, category: str, employer: _Employer, trade: str) -> tuple[str, str]:
        """A leader of ``category``'s trades and a studio name no other studio has."""
        leader = self.person(category)
        name = self.studio_name(leader, employer, trade)
        while not name:
            leader = self.person(category)
            name = self.studio_name(leader, employer, trade)
        return leader, name

    def studio_name(self, leader: str, employer: _Employer, trade: str) -> str:
        rng = self.rng
        skilled = self.m.trade_names[trade].startswith(self.m.data.trades.skilled_prefixes)
        suffix = self.m.draws.suffixes.pick(rng)
        if suffix == "技能大师工作室" and not skilled:
            suffix = "劳模创新工作室"
        for name in (f"{leader}{suffix}", f"{employer.short}{leader}{suffix}"):
            if name not in self.studio_names:
                self.studio_names.add(name)
                return name
        return ""

    # -- honours and text

    def honours(self, level: str, public: bool, skilled: bool, district: str) -> str:
        rng = self.rng
        national_p = self.m.draws.national_honour_share[level]
        got: list[str] = []
        if rng.random() < national_p:
            got.append(("全国先进工作者" if public else "全国劳动模范") if rng.random() < 0.55 else "全国五一劳动奖章")
        qualifying = bool(got) or rng.random() > (0.18 if level == "企业级" else 0.03)
        if qualifying and (not got or rng.random() < 0.6):
            r = rng.random()
            if r < 0.5:
                got.append("上海市先进工作者" if public else "上海市劳动模范")
            elif r < 0.85:
                got.append("上海市五一劳动奖章")
            else:
                got += ["上海市劳动模范" if not public else "上海市先进工作者", "上海市五一劳动奖章"]
        if not qualifying:
            r = rng.random()
            if r < 0.45:
                got.append(f"{district}劳动模范")
            elif r < 0.8:
                got.append("集团公司劳动模范")
        if rng.random() < 0.25:
            got.append("上海工匠")
        if skilled and rng.random() < 0.08:
            got.append("全国技术能手")
        if skilled and rng.random() < 0.005:
            got.append("中华技能大奖")
        if skilled and rng.random() < 0.05:
            got.append("上海市首席技师")
        key = tuple(got)
        text = self.honour_text.get(key)
        if text is None:
            text = self.honour_text[key] = ";".join(got)
        return text

    def expertise(self, trade: str, setting: _Setting) -> str:
        rng = self.rng
        if rng.random() < 0.03:
            return ""
        data = self.m.data
        trade_bank = data.trade_expertise.get(trade) or data.family_expertise[self.m.trade_category[trade]]
        first = setting.expertise if setting.segment is not None and rng.random() < 0.6 else trade_bank
        chosen = [first[int(rng.random() * len(first))]]
        for _ in range(int(rng.random() * 3)):
            bank = setting.expertise if rng.random() < 0.5 else trade_bank
            phrase = bank[int(rng.random() * len(bank))]
            if phrase not in chosen:
                chosen.append(phrase)
        return "；".join(chosen)

    def needs(self, trade: str, segments: tuple[str, ...]) -> tuple[str, str]:
        """The needs text, and its first cross-field phrase (for collaboration titles)."""
        rng = self.rng
        if rng.random() < 0.1:
            return "", ""
        m = self.m
        chosen: list[str] = []
        cross = ""
        if rng.random() < 0.75 or not segments:
            bank = m.data.needs[m.trade_category[trade]]
            cross = bank[int(rng.random() * len(bank))]
            chosen.append(cross)
        if segments and rng.random() < 0.6:
            seg = segments[0]
            ups, downs = m.upstream[seg], m.downstream[seg]
            if ups and (not downs or rng.random() < 0.5):
                up = m.segments[ups[int(rng.random() * len(ups))]]
                kw = up.keywords[int(rng.random() * len(up.keywords))]
                chosen.append(_one_of(rng, m.data.texts.upstream_needs).format(seg=up.name, kw=kw))
            elif downs:
                down = m.segments[downs[int(rng.random() * len(downs))]]
                own = m.segments[seg].keywords
                kw = own[int(rng.random() * len(own))]
                chosen.append(_one_of(rng, m.data.texts.downstream_needs).format(seg=down.name, kw=kw))
        if rng.random() < 0.12 or not chosen:
            chosen.append(_one_of(rng, m.data.texts.peer_needs).format(trade=trade))
        return "；".join(chosen), cross


def _short_name(employer: str) -> str:
    """How a studio name carries its employer when the leader's name alone is taken:
    上海华芯汽车有限公司 → 华芯汽车, 国网上海市电力公司浦东供电公司 → 浦东供电."""
    short = employer
    for prefix in ("国网上海市电力公司", "上海市", "上海"):
        short = short.removeprefix(prefix)
    for suffix in ("股份有限公司", "有限公司", "公司", "（集团）"):
        short = short.removesuffix(suffix)
    return short or employer


def _coverage_plan(n: int, model: _Model, rng: random.Random) -> dict[int, tuple[str | None, str | None]]:
    """Positions forced so that a roster of a few dozen studios or more covers every district and chain."""
    plan: dict[int, tuple[str | None, str | None]] = {}
    if n >= len(DISTRICTS):
        for j, district in enumerate(DISTRICTS):
            plan[(j * n) // len(DISTRICTS)] = (district, None)
    chains = list(model.chain_segments)
    if n >= 2 * len(chains):
        for c, chain in enumerate(chains):
            position = (c * n) // len(chains) + 1
            segs = model.chain_segments[chain]
            forced, _ = plan.get(position, (None, None))
            plan[position] = (forced, segs[int(rng.random() * len(segs))])
    return plan


def _studios(
    n: int, rng: random.Random, model: _Model
) -> tuple[list[dict[str, str]], dict[str, dict[str, Any]], _Facts]:
    maker = _StudioMaker(rng, model)
    plan = _coverage_plan(n, model, rng)
    rows: list[dict[str, str]] = []
    labels: dict[str, dict[str, Any]] = {}
    facts = _Facts()
    for i in range(n):
        forced_district, forced_setting = plan.get(i, (None, None))
        trades, setting = _draw_trades(forced_setting, rng, model)
        employer = maker.employer(setting, forced_district)
        drawn = _Drawn(trades, setting, _draw_segments(setting, employer, rng, model))
        studio_id = f"SH{i + 1:06d}"
        category = model.trade_category[drawn.trades[0]]
        row, years, cross = _studio_row(studio_id, drawn, employer, category, maker)
        rows.append(row)
        labels[studio_id] = {
            "industry": employer.industry,
            "trades": [model.trade_names[t] for t in drawn.trades],
            "segments": list(drawn.segments),
        }
        facts.add(studio_id, drawn, employer, category, years, cross)
    return rows, labels, facts


def _draw_trades(forced_setting: str | None, rng: random.Random, model: _Model) -> tuple[list[str], _Setting]:
    """A trade and its setting (or a trade of a forced setting), and sometimes a second trade of that
    setting; the segments are drawn once the employer is known (:func:`_draw_segments`)."""
    if forced_setting is not None:
        setting = model.settings[forced_setting]
        trade = model.setting_trades[forced_setting].pick(rng)
    else:
        trade = model.trade_picker.pick(rng)
        setting = model.settings[model.trade_settings[trade].pick(rng)]
    trades = [trade]
    if rng.random() < 0.15:
        second = model.setting_trades[setting.key].pick(rng)
        if second != trade:
            trades.append(second)
    return trades, setting


def _draw_segments(setting: _Setting, employer: _Employer, rng: random.Random, model: _Model) -> list[str]:
    """The segment of a segment setting, and sometimes a second: another segment of the employer's
    industry, or else a chain neighbour; none for a plain setting."""
    if setting.segment is None:
        return []
    segments = [setting.key]
    if rng.random() < 0.2:
        others = [s for s in model.industry_segments.get(employer.industry, ()) if s != setting.key]
        if not others and rng.random() < 0.4:
            seg = setting.key
            others = list(model.upstream[seg] + model.downstream[seg])
        if others:
            segments.append(others[int(rng.random() * len(others))])
    return segments


def _draw_years(rng: random.Random, model: _Model) -> _Years:
    """A level, naming year (national studios from 2012), founding year and the leader's status."""
    draws = model.draws
    level = draws.levels.pick(rng)
    named = _YEARS.pick(rng)
    if level == "全国" and named < 2012:
        named = 2012 + int(rng.random() * 14)
    founded = max(2000, named - draws.founded_gap.pick(rng))
    status = draws.statuses.pick(rng)
    if status == "在职" and named <= 2010 and rng.random() < 0.06:
        status = "退休"
    return _Years(level, named, founded, status)


def _studio_row(
    studio_id: str, drawn: _Drawn, employer: _Employer, category: str, maker: _StudioMaker
) -> tuple[dict[str, str], _Years, str]:
    """A studio's row (its leader, name, years, honours, expertise and needs drawn here, in this order),
    its years, and its first cross-field need."""
    rng, model = maker.rng, maker.m
    trade, setting, segments = drawn.trades[0], drawn.setting, drawn.segments
    leader, name = maker.leader_and_name(category, employer, trade)
    years = _draw_years(rng, model)
    skilled = model.trade_names[trade].startswith(model.data.trades.skilled_prefixes)
    members = min(80, 5 + int(rng.lognormvariate(2.3, 0.55)))
    needs, cross = maker.needs(trade, tuple(segments))
    industry = employer.industry
    shown_industry = model.industry_display[industry] if rng.random() < 0.45 else ""
    row = {
        "编号": studio_id,
        "工作室名称": name,
        "领衔人": leader,
        "领衔人荣誉": maker.honours(years.level, setting.public, skilled, employer.district),
        "领衔人状态": years.status,
        "所在单位": employer.name,
        "所属工会": employer.union,
        "所在区": employer.district,
        "命名级别": years.level,
        "命名年份": maker.year_text[years.named],
        "成立年份": maker.year_text[years.founded],
        "工种": ";".join(drawn.trades),
        "行业": shown_industry or industry,
        "产业链环节": ";".join(s if rng.random() < 0.6 else model.segments[s].name for s in segments),
        "技术专长": maker.expertise(trade, setting),
        "攻关需求": needs,
        "团队人数": str(members),
    }
    return row, years, cross


# ================================================================ projects

_ORDINALS = "一二三四五六七八九十"


def _projects(count: int, rng: random.Random, model: _Model) -> list[dict[str, str]]:
    chains = list(model.chain_names)  # by priority, as chains.json lists them
    curated = model.data.projects
    rounds = max((len(p) for p in curated.values()), default=0)
    listed = [
        (c, p.name, list(p.segments)) for k in range(rounds) for c in chains for p in curated.get(c, ())[k : k + 1]
    ]
    chain_picker = _Picker(chains, [1.0 / (1 + i) ** 0.5 for i in range(len(chains))])
    rows: list[dict[str, str]] = []
    seen: dict[str, int] = {}
    for i in range(count):
        chain, base, segs = listed[i] if i < len(listed) else _keyword_project(chain_picker.pick(rng), rng, model)
        k = seen.get(base, 0)
        seen[base] = k + 1
        name = base if k == 0 else f"{base}（{_ORDINALS[min(k, 9)]}期）" if k < 10 else f"{base}（第{k + 1}期）"
        trades: list[str] = []
        for _ in range(4):
            t = model.setting_trades[segs[0]].pick(rng)
            if t not in trades:
                trades.append(t)
            if len(trades) == 2:
                break
        keywords = [model.segments[s].keywords[int(rng.random() * len(model.segments[s].keywords))] for s in segs]
        capabilities = f"需要{'、'.join(trades)}等工种；{'、'.join(dict.fromkeys(keywords))}等能力"
        union_names = model.data.chains[chain].unions
        if union_names and rng.random() < 0.7:
            lead = union_names[int(rng.random() * len(union_names))]
        else:
            lead = f"{DISTRICTS[int(rng.random() * len(DISTRICTS))]}总工会"
        rows.append(
            {
                "编号": f"XM{i + 1:05d}",
                "项目名称": name,
                "产业链": model.chain_names[chain] if rng.random() < 0.7 else chain,
                "产业链环节": ";".join(s if rng.random() < 0.5 else model.segments[s].name for s in segs),
                "所需能力": capabilities,
                "牵头工会": lead,
            }
        )
    return rows


def _keyword_project(chain: str, rng: random.Random, model: _Model) -> tuple[str, str, list[str]]:
    """A project of ``chain`` past the curated ones: a segment and a neighbour, named after a keyword."""
    pool = model.chain_segments[chain]
    first = pool[int(rng.random() * len(pool))]
    segs = [first]
    neighbours = model.downstream[first] + model.upstream[first]
    if neighbours:
        segs.append(neighbours[int(rng.random() * len(neighbours))])
    kws = model.segments[first].keywords
    base = kws[int(rng.random() * len(kws))] + _one_of(rng, model.data.texts.project_suffixes)
    return chain, base, segs


# ================================================================ collaborations and alliances


class _Index:
    """Studio positions grouped by trade, segment, chain, industry, district and family."""

    def __init__(self, facts: _Facts) -> None:
        self.trade: dict[str, list[int]] = {}
        self.segment: dict[str, list[int]] = {}
        self.chain: dict[str, list[int]] = {}
        self.industry: dict[str, list[int]] = {}
        self.district: dict[str, list[int]] = {}
        self.category: dict[str, list[int]] = {}
        for i in range(len(facts.ids)):
            for t in facts.trades[i]:
                self.trade.setdefault(t, []).append(i)
            for s in facts.segments[i]:
                self.segment.setdefault(s, []).append(i)
            for c in dict.fromkeys(s.partition("/")[0] for s in facts.segments[i]):
                self.chain.setdefault(c, []).append(i)
            self.industry.setdefault(facts.industry[i], []).append(i)
            self.district.setdefault(facts.district[i], []).append(i)
            self.category.setdefault(facts.category[i], []).append(i)


def _one_of(rng: random.Random, items: Sequence[T]) -> T:
    return items[int(rng.random() * len(items))]


def _collaborations(
    count: int, rng: random.Random, model: _Model, facts: _Facts, index: _Index
) -> list[dict[str, str]]:
    n = len(facts.ids)
    if n < 2:
        return []
    rows: list[dict[str, str]] = []
    seen: set[tuple[int, int, int]] = set()
    attempts = 0
    while len(rows) < count and attempts < count * 20:
        attempts += 1
        a = int(rng.random() * n)
        how = model.draws.collaboration_kinds.pick(rng)
        b, title = _partner(how, a, rng, model, facts, index)
        if b < 0 or not title:
            b = int(rng.random() * n)
            title = _one_of(rng, model.data.texts.collaboration_titles["any"])
        if a == b:
            continue
        lo, hi = (a, b) if a < b else (b, a)
        first = max(2016, facts.founded[a], facts.founded[b])
        year = first + int(rng.random() * (LAST_YEAR - first + 1))
        if (lo, hi, year) in seen:
            continue
        seen.add((lo, hi, year))
        rows.append({"工作室A": facts.ids[lo], "工作室B": facts.ids[hi], "年份": str(year), "合作内容": title})
    return rows


def _partner(how: str, a: int, rng: random.Random, model: _Model, facts: _Facts, index: _Index) -> tuple[int, str]:
    """Studio ``a``'s partner found ``how`` (same segment, chain neighbour, same trade, another field
    nearby) and the collaboration's title; ``(-1, "")`` when ``a`` has no such partner."""
    titles = model.data.texts.collaboration_titles
    if how == "segment" and facts.segments[a]:
        seg = _one_of(rng, facts.segments[a])
        b = _one_of(rng, index.segment[seg])
        kws = model.segments[seg].keywords
        return b, _one_of(rng, titles["segment"]).format(kw=_one_of(rng, kws), seg=model.segments[seg].name)
    if how == "chain" and facts.segments[a]:
        seg = facts.segments[a][0]
        ups, downs = model.upstream[seg], model.downstream[seg]
        others = [s for s in ups + downs if s in index.segment]
        if not others:
            return -1, ""
        other = _one_of(rng, others)
        b = _one_of(rng, index.segment[other])
        up, down = (other, seg) if other in ups else (seg, other)
        kw = _one_of(rng, model.segments[up].keywords)
        return b, _one_of(rng, titles["chain"]).format(
            up=model.segments[up].name, down=model.segments[down].name, kw=kw
        )
    if how == "trade":
        trade = facts.trades[a][0]
        return _one_of(rng, index.trade[trade]), _one_of(rng, titles["trade"]).format(trade=trade)
    if how == "cross" and facts.needs[a].startswith("需要"):
        b = _one_of(rng, index.district[facts.district[a]])
        if facts.category[b] == facts.category[a]:
            b = int(rng.random() * len(facts.ids))
        return b, _one_of(rng, titles["cross"]).format(need=facts.needs[a].removeprefix("需要"))
    return -1, ""


def _alliances(count: int, rng: random.Random, model: _Model, facts: _Facts, index: _Index) -> list[dict[str, str]]:
    n = len(facts.ids)
    if n < 3:
        return []
    kinds = ("同工种", "同行业", "跨领域", "产业链")
    rows: list[dict[str, str]] = []
    names: set[str] = set()
    for i in range(count):
        kind = kinds[i % len(kinds)]
        for _attempt in range(30):
            year = _ALLIANCE_YEARS.pick(rng)
            made = _alliance(kind, year, rng, model, facts, index)
            if made is not None:
                break
        else:
            continue
        base, members = made
        name = base
        k = 1
        while name in names:
            k += 1
            name = f"{base.removesuffix('联盟')}第{_ORDINALS[min(k, 10) - 1]}联盟" if k <= 10 else f"{base}（{k}）"
        names.add(name)
        rows.append(
            {
                "编号": f"LM{len(rows) + 1:04d}",
                "联盟名称": name,
                "类型": kind,
                "成员": ";".join(facts.ids[m] for m in sorted(members)),
                "成立年份": str(year),
            }
        )
    return rows


def _sample(rng: random.Random, pool: Sequence[int], low: int = 3, high: int = 15) -> list[int]:
    k = low + int(rng.random() * (min(high, len(pool)) - low + 1))
    return rng.sample(pool, k)


def _alliance(
    kind: str, year: int, rng: random.Random, model: _Model, facts: _Facts, index: _Index
) -> tuple[str, list[int]] | None:
    """One alliance of ``kind`` founded in ``year`` (its members named by then), or None to try again."""
    n = len(facts.ids)
    anchor = int(rng.random() * n)
    if facts.named[anchor] > year:
        return None
    local = rng.random() < 0.4
    district = facts.district[anchor]
    scope = district if local else "上海市"

    def keep(pool: Sequence[int]) -> list[int]:
        named = facts.named
        if local:
            where = facts.district
            return [i for i in pool if named[i] <= year and where[i] == district]
        return [i for i in pool if named[i] <= year]

    if kind == "同工种":
        trade = facts.trades[anchor][0]
        pool = keep(index.trade[trade])
        if len(pool) < 3:
            return None
        return f"{scope}{trade}劳模创新工作室联盟", _sample(rng, pool)
    if kind == "同行业":
        code = facts.industry[anchor]
        pool = keep(index.industry[code])
        if len(pool) < 3:
            return None
        label = model.industry_names[code]
        label = label if label.endswith("业") else f"{label}行业"
        return f"{scope}{label}劳模创新工作室联盟", _sample(rng, pool)
    if kind == "产业链":
        if not facts.segments[anchor]:
            return None
        chain = facts.segments[anchor][0].partition("/")[0]
        pool = keep(index.chain[chain])
        if len(pool) < 3:
            return None
        chosen = _sample(rng, pool)
        if len({s for m in chosen for s in facts.segments[m]}) < 2:
            return None
        prefix = district if local else ""
        return f"{prefix}{model.chain_names[chain]}产业链上下游劳模创新工作室联盟", chosen
    theme, families = _one_of(rng, model.data.texts.cross_themes)
    members: list[int] = []
    for family in families:
        pool = keep(index.category.get(family, []))
        if pool:
            members.extend(rng.sample(pool, min(len(pool), 1 + int(rng.random() * 2))))
    members = list(dict.fromkeys(members))[:15]
    if len({facts.category[m] for m in members}) < 3:
        return None
    return f"{scope}{theme}跨领域劳模创新工作室联盟", members


# ================================================================ ledgers, funding, venues (a second stream)


def _day(rng: random.Random, year: int) -> tuple[str, str]:
    """A day of ``year``: ISO, and as clerks write dates (mostly ISO, sometimes 2024/5/1 or 2024年5月1日)."""
    day = _dt.date(year, 1, 1) + _dt.timedelta(days=int(rng.random() * 365))
    r = rng.random()
    if r < 0.7:
        return day.isoformat(), day.isoformat()
    if r < 0.85:
        return day.isoformat(), f"{day.year}/{day.month}/{day.day}"
    return day.isoformat(), f"{day.year}年{day.month}月{day.day}日"


def _money(rng: random.Random, amount: int) -> str:
    """An amount in yuan as clerks write it: mostly digits, sometimes 2万 or 20,000."""
    r = rng.random()
    if r < 0.8 or amount % 10_000:
        return str(amount)
    return f"{amount // 10_000}万" if r < 0.9 else f"{amount:,}"


def _studio_extras(rows: list[dict[str, str]], facts: _Facts, model: _Model, rng: random.Random) -> None:
    """Add the founding day, venue, funds and leader's status year columns, filled for some studios."""
    venues = model.data.texts.venues
    for i, row in enumerate(rows):
        founded, named = facts.founded[i], facts.named[i]
        row["成立日期"] = _day(rng, founded)[1] if rng.random() < 0.3 else ""
        venue = ""
        if rng.random() < 0.45:
            venue = "无" if rng.random() < 0.04 else _one_of(rng, venues).format(n=1 + int(rng.random() * 9))
        row["固定场所"] = venue
        funds = ""
        if rng.random() < 0.4:
            funds = "0" if rng.random() < 0.04 else _money(rng, 10_000 * (1 + int(rng.lognormvariate(1.2, 0.7))))
        row["专项经费（元/年）"] = funds
        year = ""
        if row["领衔人状态"] != "在职" and rng.random() < 0.75:
            year = str(named + int(rng.random() * (LAST_YEAR - named + 1)))
        row["领衔人状态年份"] = year


def _ref(rng: random.Random, row: dict[str, str], by_name: float) -> str:
    """How a ledger or funding row names its studio: mostly by 编号, sometimes by name."""
    return row["工作室名称"] if rng.random() < by_name else row["编号"]


def _ledger(
    rows: list[dict[str, str]], facts: _Facts, model: _Model, rng: random.Random, share: float
) -> list[dict[str, str]]:
    maker = _StudioMaker(rng, model)
    out: list[dict[str, str]] = []
    for i, row in enumerate(rows):
        if rng.random() >= share:
            continue
        first = max(2016, facts.founded[i])
        trade = facts.trades[i][0]
        keywords = [p for p in row["技术专长"].split("；") if p] or [trade]
        for seg in facts.segments[i]:
            keywords.extend(model.segments[seg].keywords[:3])
        seen: set[tuple[str, str, str, str]] = set()
        for _ in range(1 + int(rng.random() * 5)):
            kind = model.draws.ledger_kinds.pick(rng)
            year = first + int(rng.random() * (LAST_YEAR - first + 1))
            kw = _one_of(rng, keywords)
            k = 2 + int(rng.random() * 40)
            entry = _ledger_entry(kind, trade, kw, k, facts.category[i], maker)
            day, entry["日期"] = _day(rng, year) if rng.random() < 0.7 else ("", "")
            ident = (kind, str(year), entry["名称"], day)
            if ident in seen:
                continue
            seen.add(ident)
            entry["工作室"] = _ref(rng, row, 0.2)
            entry["台帐类型"] = kind
            entry["年份"] = str(year)
            out.append(entry)
    return out


def _ledger_entry(kind: str, trade: str, kw: str, k: int, category: str, maker: _StudioMaker) -> dict[str, str]:
    """A ledger line of ``kind`` (活动, 成果 or 成员发展), its name and what goes with it; the studio,
    kind, year and day are filled by the caller."""
    rng, model = maker.rng, maker.m
    texts = model.data.texts
    entry = dict.fromkeys(LEDGER_HEADERS, "")
    if kind == "活动":
        title, detail = _one_of(rng, texts.activities)
        entry["名称"] = title.format(trade=trade, kw=kw)
        entry["内容"] = detail.format(trade=trade, kw=kw, k=k)
    elif kind == "成果":
        entry["名称"] = _one_of(rng, texts.results).format(kw=kw)
        entry["创新类型"] = model.draws.innovation_types.pick(rng)
        entry["获奖情况"] = model.draws.awards.pick(rng)
        entry["认定攻关项目"] = "是" if rng.random() < 0.3 else "否"
        r = rng.random()
        if r < 0.55:
            saved = round(1 + rng.lognormvariate(2.5, 1.0), 1)
            entry["经济社会效益"] = f"年节约成本{saved:g}万元"
            entry["效益金额（万元）"] = f"{saved:g}"
        elif r < 0.8:
            entry["经济社会效益"] = f"生产效率提升{5 + int(rng.random() * 40)}%"
    else:
        person = maker.person(category)
        entry["名称"] = _one_of(rng, texts.member_steps).format(p=person, trade=trade, k=k)
    return entry


def _funding(rows: list[dict[str, str]], facts: _Facts, model: _Model, rng: random.Random) -> list[dict[str, str]]:
    out: list[dict[str, str]] = []
    draws = model.draws

    def add(row: dict[str, str], year: int, source: str, amount: int, note: str = "") -> None:
        out.append(
            {"工作室": _ref(rng, row, 0.1), "年份": str(year), "资助来源": source, "金额（元）": _money(rng, amount),
             "备注": note}
        )  # fmt: skip

    for i, row in enumerate(rows):
        named = facts.named[i]
        if row["命名级别"] == "市级" and rng.random() < 0.9:
            add(row, named, "市总工会" if rng.random() < 0.85 else "市总", 20_000, "市级命名一次性资助")
            r = rng.random()
            match = 20_000 if r < 0.72 else 10_000 if r < 0.87 else 0
            if match:
                union = row["所属工会"]
                s = rng.random()
                source = "区局（产业）工会" if s < 0.6 else union if union.endswith("区总工会") else "区局工会"
                add(row, named, source, match, "1:1 配套" if match == 20_000 else "配套")
        if rng.random() < 0.15:
            years = sorted({named + int(rng.random() * (LAST_YEAR - named + 1)) for _ in range(2)})
            for year in years[: 1 + int(rng.random() * 2)]:
                amount = 10_000 * (2 + int(rng.random() * 29))
                source = _one_of(rng, draws.employer_fund_sources)
                add(row, year, source, amount, draws.employer_notes.pick(rng))
    return out


# ================================================================ the public functions


def generate(
    n_studios: int,
    *,
    seed: int = 2019,
    projects: int | None = None,
    collaborations: int | None = None,
    alliances: int | None = None,
    ledger_share: float = 0.35,
) -> Roster:
    """A fictional roster of ``n_studios`` studios, the same for the same arguments.

    Parameters
    ----------
    n_studios
        How many studios (编号 ``SH000001`` …). From 18 on, every district and every chain appears.
    seed
        The seed of the one ``random.Random`` everything is drawn from.
    projects
        Key projects (重点项目); default ``max(12, √n)``, the curated ones first, round-robin over chains.
    collaborations
        Past collaborations (合作记录), one per pair and year; default ``0.6 · n``. Biased toward the
        same segment, the chain neighbours and the same trade, with some cross-field pairs.
    alliances
        Existing alliances (联盟), the four kinds in turn; default ``max(12, n / 250)``.
    ledger_share
        The share of studios that keep a ledger (台帐): one to five lines each (activities, results
        with their benefits and awards, members' development). Funding (经费): municipal-level
        studios get the municipal union's 20,000 yuan in their naming year and, mostly, the union's
        match (sometimes short: 10,000, or none); some studios have employer funds. Founding days,
        venues, funds a year and leaders' status years are filled for some studios. All of these are
        drawn from a second stream seeded from ``seed``, so the other values do not depend on them.

    Returns
    -------
    Roster
        Rows keyed by the Chinese headers (:data:`STUDIO_HEADERS` …) and the studios' labels.

    Complexity: O(n + projects + collaborations + alliances · log n) time and O(n) memory.
    """
    if n_studios < 0:
        raise ValueError("n_studios must not be negative")
    if not 0.0 <= ledger_share <= 1.0:
        raise ValueError("ledger_share must be between 0 and 1")
    model = _model()
    rng = random.Random(seed)  # noqa: S311 -- reproducible fictional data, nothing secret
    rows, labels, facts = _studios(n_studios, rng, model)
    project_rows = _projects(projects if projects is not None else max(12, int(n_studios**0.5)), rng, model)
    index = _Index(facts)
    collaboration_rows = _collaborations(
        collaborations if collaborations is not None else round(0.6 * n_studios), rng, model, facts, index
    )
    alliance_rows = _alliances(
        alliances if alliances is not None else max(12, n_studios // 250), rng, model, facts, index
    )
    extras = random.Random(seed * 7919 + 1)  # noqa: S311 -- a second stream: the sheets above never see it
    _studio_extras(rows, facts, model, extras)
    ledger_rows = _ledger(rows, facts, model, extras, ledger_share)
    funding_rows = _funding(rows, facts, model, extras)
    return Roster(rows, project_rows, collaboration_rows, alliance_rows, labels, ledger_rows, funding_rows)


def naming_list(count: int, *, seed: int = 2024, exclude: Roster | None = None) -> list[dict[str, str]]:
    """A bare published naming list (命名名单) of ``count`` fictional studios none of which is in ``exclude``.

    Columns are exactly :data:`NAMING_LIST_HEADERS` (序号, 工作室名称, 领衔人, 所在单位, 推荐单位); the
    recommending unit is the studio's district or industry union.
    """
    taken_names = {r["工作室名称"] for r in exclude.studios} if exclude else set()
    taken_pairs = {(r["领衔人"], r["所在单位"]) for r in exclude.studios} if exclude else set()
    pool = generate(count * 2 + 20, seed=seed, projects=0, collaborations=0, alliances=0).studios
    rows: list[dict[str, str]] = []
    for studio in pool:
        if studio["工作室名称"] in taken_names or (studio["领衔人"], studio["所在单位"]) in taken_pairs:
            continue
        rows.append(
            {
                "序号": str(len(rows) + 1),
                "工作室名称": studio["工作室名称"],
                "领衔人": studio["领衔人"],
                "所在单位": studio["所在单位"],
                "推荐单位": studio["所属工会"],
            }
        )
        if len(rows) == count:
            break
    return rows


def records(n: int, *, seed: int = 7, collaborations: int = 0) -> list[Record]:
    """Store records of ``n`` fictional studios and everything they point at, for the store, API and
    view benchmarks, the same for the same arguments.

    Unlike :func:`generate` this makes no roster to read: the records go straight to a store (whose
    reference taxonomies must be written first). One municipal union and one union per district;
    ``max(1, n // 4)`` employers named 上海第{i}号企业有限公司; per studio (``s000000`` …) a leader
    (``w0`` …), one or two of all the trades, one segment and its first industry class, four words of
    expertise and two of needs (``texts.json``'s ``store_record_words``). ``collaborations`` random
    pairs of studios, a year each (2015–2024).

    Complexity: O(n + collaborations) time and memory.

    >>> len([r for r in records(10) if isinstance(r, Studio)])
    10
    """
    rng = random.Random(seed)  # noqa: S311 -- reproducible fictional data, nothing secret
    trades = [t.code for t in taxonomy.trades()]
    segments = list(taxonomy.segments())
    words = tables().texts.store_record_words
    out: list[Record] = [Union(id="u-sh", name="上海市总工会", kind=UnionKind.MUNICIPAL)]
    unions = [Union(id=f"u-{i:02d}", name=f"{d}总工会", district=d, parent_id="u-sh") for i, d in enumerate(DISTRICTS)]
    out.extend(unions)
    n_employers = max(1, n // 4)
    out.extend(
        Employer(id=f"e{i}", name=f"上海第{i}号企业有限公司", district=rng.choice(DISTRICTS))
        for i in range(n_employers)
    )
    levels = list(StudioLevel)
    for i in range(n):
        segment = rng.choice(segments)
        out.append(
            ModelWorker(id=f"w{i}", name=f"劳模{i}", honours=("上海市劳动模范",) if i % 3 else ("全国劳动模范",))
        )
        out.append(
            Studio(
                id=f"s{i:06d}",
                name=f"第{i}号劳模创新工作室",
                level=levels[i % len(levels)],
                named_year=2010 + i % 15,
                district=DISTRICTS[i % len(DISTRICTS)],
                expertise="；".join(rng.sample(words, 4)),
                needs="；".join(rng.sample(words, 2)),
                members=5 + i % 30,
                leader_id=f"w{i}",
                employer_id=f"e{rng.randrange(n_employers)}",
                union_id=unions[i % len(unions)].id,
                trade_codes=tuple(rng.sample(trades, 1 + i % 2)),
                industry_code=segment.industry_codes[0],
                segment_ids=(segment.id,),
            )
        )
    for _ in range(collaborations):
        a, b = rng.sample(range(n), 2)
        out.append(Collaboration(studio_a=f"s{a:06d}", studio_b=f"s{b:06d}", year=2015 + rng.randrange(10)))
    return out


def _note_lines(roster: Roster, note: str | None) -> list[tuple[str, str]]:
    return [
        ("说明", "示例数据，纯属虚构，并非真实名单"),
        ("Notice", "ILLUSTRATIVE DATA: fictional, not a real roster of any union"),
        ("人名与单位", "领衔人姓名、所在单位均由常用字随机组合生成，不指向任何真实人物或单位；如有雷同，纯属巧合"),
        ("分类", "区、工会、工种、行业（GB/T 4754-2017）、产业链环节取自公开分类与本项目参考分类，仅作演示"),
        ("生成方式", note or "studio-alliances ingest.synthetic.generate"),
        (
            "数量",
            f"工作室 {len(roster.studios)}；重点项目 {len(roster.projects)}；合作记录 {len(roster.collaborations)}；"
            f"联盟 {len(roster.alliances)}；台帐 {len(roster.ledger)}；经费 {len(roster.funding)}",
        ),
    ]


def write_xlsx(roster: Roster, path: Path, *, note: str | None = None) -> None:
    """Write the roster as a workbook: a first sheet 说明 (illustrative data; how it was made), then one
    sheet per kind (:data:`SHEETS`), each a header row and its rows.

    ``note`` says how the roster was generated (seed, n); it goes on the 说明 sheet. Rows are streamed
    (openpyxl write-only mode), so memory stays bounded whatever the roster's size beyond the roster
    itself; timestamps are fixed, so the same roster gives the same bytes.
    """
    from openpyxl import Workbook

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook = Workbook(write_only=True)
    workbook.properties.creator = "studio-alliances (illustrative data)"
    workbook.properties.title = "示例数据，纯属虚构，并非真实名单"
    notes = workbook.create_sheet(NOTE_SHEET)
    notes.column_dimensions["A"].width = 14
    notes.column_dimensions["B"].width = 100
    for line in _note_lines(roster, note):
        notes.append(list(line))
    for (title, rows), headers in zip(roster.sheets().items(), _HEADERS, strict=True):
        sheet = workbook.create_sheet(title)
        sheet.append(list(headers))
        numeric = [h in _NUMERIC for h in headers]
        for row in rows:
            sheet.append(
                [
                    int(v) if is_number and v.isdigit() else v
                    for v, is_number in zip((row.get(h, "") for h in headers), numeric, strict=True)
                ]
            )
    temporary = path.with_name(path.name + ".tmp")
    try:
        workbook.save(temporary)
        _normalise_zip(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


_CORE_TIMES = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")


def _normalise_zip(source: Path, target: Path) -> None:
    """Copy an xlsx entry by entry with fixed timestamps (in the archive and in docProps/core.xml)."""
    stamp = _FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            if item.filename == "docProps/core.xml":
                data = _CORE_TIMES.sub(lambda m: m.group(1) + stamp + m.group(3), zin.read(item))
                zout.writestr(info, data)
                continue
            with zin.open(item) as src, zout.open(info, "w") as dst:
                while chunk := src.read(1 << 20):
                    dst.write(chunk)


def write_csv(
    rows: list[dict[str, str]],
    path: Path,
    *,
    encoding: str = "utf-8",
    headers: Sequence[str] | None = None,
) -> None:
    """Write rows as CSV with a header row, as a clerk's Excel exports it (CRLF line ends).

    ``encoding`` is ``"utf-8"``, ``"utf-8-sig"`` (with a BOM) or ``"gb18030"`` (what Chinese Excel
    writes as "CSV"). ``headers`` defaults to the keys of the first row, in order; with no rows and
    no headers the file is empty.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    columns = list(headers) if headers is not None else (list(rows[0]) if rows else [])
    with path.open("w", encoding=encoding, newline="") as fh:
        if not columns:
            return
        writer = csv.writer(fh)
        writer.writerow(columns)
        writer.writerows([row.get(c, "") for c in columns] for row in rows)


def write_json(roster: Roster, path: Path) -> None:
    """Write ``{"studios": [...], "projects": [...], "collaborations": [...], "alliances": [...],
    "ledger": [...], "funding": [...]}``, rows keyed by the Chinese headers, in UTF-8 without escapes
    (``ensure_ascii=False``)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {
        "studios": roster.studios,
        "projects": roster.projects,
        "collaborations": roster.collaborations,
        "alliances": roster.alliances,
        "ledger": roster.ledger,
        "funding": roster.funding,
    }
    with path.open("w", encoding="utf-8") as fh:
        json.dump(data, fh, ensure_ascii=False, indent=1)
        fh.write("\n")
