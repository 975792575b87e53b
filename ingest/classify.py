"""Propose a studio's industry, trades and chain segments from its roster text, offline.

A published naming list (命名名单) gives only a studio's name, leader, employer and recommending
union. :class:`Classifier` reads the name, the employer and, when a roster has them, the expertise
(技术专长) and needs (攻关需求), and proposes

- an industry: a GB/T 4754-2017 class (小类) from ``industries.csv``;
- at most two trades (工种) from ``trades.csv``;
- at most two chain segments (产业链环节) from ``chains.json``;

each with the words it rests on, and one confidence. Nothing is downloaded and no model is trained.
The classifier is a weighted lexicon, read from the data files of ``ingest/data/classifier`` (each
names its source; see that package):

1. **Terms.** The words that name each GB/T 4754-2017 class's products and services, drawn from
   every class's name and the standard's notes (``terms.csv``: 葡萄酒 → 1515, 电缆 → 3831, generic
   and widely shared words weighing little); curated employer-name and domain cues (``cues.csv``:
   ``微电子`` → 3973, ``地铁`` → 5412, ``护理`` → the nursing trade …), among them the trade words
   units anywhere in China put in their registered names (…电气, …药业, …农牧, …种业); the central,
   provincial and Shanghai groups, their bureaus and subsidiaries (``groups.csv``: 中铁X局 → 4811,
   中交X航局 → 4823, 宝武 → 3120, 潍柴 → 3412 …); and the shipped taxonomies (segment names and
   keywords, trade names and aliases). A term carries one or more weighted targets: an industry
   code, a trade code, a segment id. A curated cue says what its word means in a unit's name, so the
   standard's own claims of the same word give way (电子 is 39, not the 356 of 电子和电工机械专用设备);
   a cue for a division takes the class the standard names where all its claims lie in that
   division (铝业 → 32 is 3216). A trade's name that holds a product (电力电缆…) carries that
   product's industry too.
2. **Matching.** Each text is NFKC-normalised and lower-cased, with 上海 and 工作室 turned into
   separators (else 上海工具厂 reads 海工; the 市 of 上海市 stays before 政, 容, 场: 上海市政工程…);
   the places a name or employer starts with (北京, 江苏省南京市, 江阴市: ``places.csv``; and the
   national prefixes 中国, 国家: 国家电力 holds no 家电) and places in parentheses are read past,
   and so is a leader's given name in a studio's name (李建设职工创新工作室). Each text is scanned
   once: at every position only the term lengths that exist for its first two characters are
   tried, longest first; a match wholly inside an earlier longer one is dropped
   (``汽车维修工`` is the trade, not ``车工``), and so is one that straddles two adjacent words
   (光电信息 holds no 电信); a trade name's final 工 is not taken from 工艺/工程/工业 …
   (``刻蚀工艺`` is 刻蚀, not the trade 刻蚀工), and a Latin term must stand alone (``led`` is
   not read inside ``oled``).
3. **Registered names.** An employer's own words end where its legal form starts (…股份有限公司,
   …集团), and its trade words (行业表述) before the fillers that may follow them (科技, 实业, 控股 …:
   ``defaults.json``): …防水技术股份有限公司 waterproofs. A product word of the standard in the brand
   before them that names another division counts less; a word that runs into the middle of a filler
   or of the legal form is none (宝安集团 holds no 安集); one character may end the trade words and is
   read there only (…茅台酒股份有限公司). A word naming a kind of company (财务公司, 供电公司) is also
   read with the legal form written into it (…集团财务有限责任公司).
4. **The unit's kind.** The form a name or employer ends with says what kind of unit it is
   (``forms.csv``: …医院, …中学, …研究所 + its field, …局 + its function). The form that ends last
   is the unit's own (…大学医学院附属…医院 is a hospital) unless a company named after it is another
   unit (…医院管理有限公司); its class comes from the qualifier written before it (儿童 … 医学中心 →
   8415, 农业科学院 → 7330), and it governs: the other cues of other divisions count less, in that
   text and, for the employer, in the other fields too (上海电力医院 is a hospital). A research
   institute turned company (…研究所有限公司) counts half and governs nothing; a group known by
   such a name (上海航天技术研究院) goes by the group.
5. **Groups and products.** A group's name counts less where the same text names another product
   after it (上海建工 … 装饰公司 decorates, 上汽 … 变速器 makes parts), not one before it or inside it
   (国家石油天然气管网集团 runs pipelines); a product word that names a works (…冷轧厂) counts more.
6. **Weighting by field.** The employer and the name weigh most for the industry, the expertise
   most for trades and segments; the needs weigh little, since they describe what a studio lacks.
7. **Consistency.** Segment evidence also counts, more weakly, for the segment's industry classes;
   the industry is chosen division first (the sum of its classes), then the best class in it; the
   segments whose classes include the chosen industry get a bonus, and segments of other divisions
   a penalty, so the three answers agree where the text allows.
8. **Confidence.** ``1 - exp(-evidence)`` times the share of the winner against its best rival,
   so that one clear cue gives about 0.75, two agreeing cues more, and a split vote less. Nothing
   below ``min_confidence`` is proposed.

``industry_code`` is always a class: evidence for a division or group stands for its default class
(``defaults.json``: 66 → 6621 商业银行服务), else for its first class that is not a catch-all 其他…
(54 → 5411 公共电汽车客运). Built on a smaller taxonomy that does not subdivide a division, the
classifier proposes the division itself, unless ``classes_only=True`` asks for classes only.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import NamedTuple

from graph import taxonomy
from graph.model import Industry, IndustryLevel, Segment, Trade

from .data.classifier import Lexicon, lexicon

__all__ = ["Classifier", "Inference"]


@dataclass(frozen=True)
class Inference:
    """What :meth:`Classifier.classify` proposes for one studio.

    Attributes
    ----------
    industry_code : str or None
        A code present in the industries the classifier was built with: a class (小类) wherever the
        taxonomy subdivides the division, else the division (大类). ``None`` when nothing was found.
    trade_codes : tuple of str
        ``Trade.code`` values, best first, at most two.
    segment_ids : tuple of str
        ``Segment.id`` values, best first, at most two.
    confidence : float
        In ``[0, 1]``; the industry's confidence when an industry is proposed, else the best of the
        trade and segment confidences; 0 when nothing is proposed.
    basis : tuple of str
        The matched words behind the proposals, strongest first, as ``"<field>:<word>"`` with the field
        one of 名称 (name), 单位 (employer), 专长 (expertise), 需求 (needs); e.g. ``"单位:微电子"``.
    """

    industry_code: str | None
    trade_codes: tuple[str, ...]
    segment_ids: tuple[str, ...]
    confidence: float
    basis: tuple[str, ...]

    @property
    def is_empty(self) -> bool:
        """True when nothing at all is proposed."""
        return self.industry_code is None and not self.trade_codes and not self.segment_ids


_EMPTY = Inference(industry_code=None, trade_codes=(), segment_ids=(), confidence=0.0, basis=())

# --- weights -------------------------------------------------------------------------------------

_IND, _TRADE, _SEG = 0, 1, 2
_GROUP = 3  # an industry from a group's name (groups.csv), counted as _IND once weighed against products
_FIELDS = ("name", "employer", "expertise", "needs")
_FIELD_LABELS = ("名称", "单位", "专长", "需求")
# Rows: fields in _FIELDS order; columns: industry, trade, segment.
_FIELD_WEIGHTS: tuple[tuple[float, float, float], ...] = (
    (1.0, 1.0, 0.8),  # name: 张丽护理创新工作室 names the trade as often as the sector
    (1.5, 0.3, 0.8),  # employer: the strongest industry cue; says little about the trade
    (0.7, 1.0, 1.0),  # expertise: what the studio does
    (0.3, 0.4, 0.4),  # needs: often what the studio lacks, i.e. someone else's field
)
_SEGMENT_TO_INDUSTRY = 0.5  # share of a segment match that counts for the segment's industry classes
_LINK_PREFERRED = 0.6  # bonus × industry confidence for the segment a chosen class implies
_LINK_OTHER = 0.15  # bonus × industry confidence for the other segments listing the chosen class
_OFF_DIVISION = 0.6  # factor on segments none of whose classes is in the chosen division
_REPEAT_SHARE = 0.3  # weight of a field's further cues for a target it already supports
_SECOND_SHARE = 0.5  # a second trade or segment needs at least this share of the first's score
_BASIS_LIMIT = 8
_TAU = {_IND: 1.0, _TRADE: 0.8, _SEG: 0.8}  # evidence scale of 1 - exp(-s / tau)

_STANDARD_TERM = 0.8  # factor on the weights of terms.csv (the words of GB/T 4754-2017's names and notes)
_BRAND_WORD = 0.5  # factor on a product word in a registered name's brand of another division than its trade words
_UNDER_FORM = 0.3  # factor on a text's industry cues of other divisions than the unit kind it names
_UNDER_UNIT = 0.5  # … and on the other fields' industry cues of other divisions than the employer's kind
_INCORPORATED = 0.5  # factor on the form of an incorporated research institute (…研究所有限公司)
_RESEARCH = "73"  # the division of research institutes
_WORKS = 1.5  # factor on the industry cues of a product word that names a works (冷轧厂)
_UNDER_PRODUCT = 0.4  # factor on a group's name where the text names another class's product
_PRODUCT_SHARE = 0.5  # … a product whose cue weighs at least this share of the group's
_TAXONOMY_WEIGHTS = {
    "segment_name": 0.8,
    "segment_keyword": 1.0,
    "trade_name": 1.0,
    "trade_alias": 0.9,
    "trade_stem": 0.6,
}

_TRADE_SUFFIXES = (
    "工程技术人员",
    "技术人员",
    "工程师",
    "技术员",
    "操作工",
    "操作员",
    "教师",
    "医师",
    "医生",
    "技师",
    "人员",
)
_ASCII_WORD = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")
# After these characters a trade name's final 工 starts the next word: 刻蚀工艺 is 刻蚀 + 工艺, not 刻蚀工.
_GONG_WORDS = frozenset("艺程作业厂具序装位种匠会资期")


# 上海市 keeps its 市 where 市政, 市容 or 市场 starts there (上海市政工程… is a municipal-works unit; not
# 上海市政府, 上海市政协).
_BOILERPLATE = re.compile("上海(?:市(?![容场]|政(?![府协])))?|工作室")


def _normalise(text: str) -> str:
    """NFKC (full-width → half-width), lower-case ASCII, and 上海 and 工作室 replaced by a separator.

    Nearly every employer starts with 上海 and every studio name ends with 工作室; left in, they join
    their neighbours into false words (上海工具厂 would read 海工, offshore engineering; 王海工作室
    too). The 市 of 上海市 stays where it starts 市政, 市容 or 市场 (上海市政工程…).
    """
    return _BOILERPLATE.sub("|", unicodedata.normalize("NFKC", text).strip().lower())


# The legal forms a registered name writes into a kind of company (财务 + 有限责任公司).
_LEGAL_INFIXES = ("有限公司", "有限责任公司", "股份有限公司")
# A registered name's own words end where its legal form starts (…股份有限公司, …集团); in parentheses,
# a place or one of these says nothing of the trade.
_LEGAL_FORM = re.compile("股份|有限|公司|集团")
_LEGAL_WORDS = frozenset(("集团", "控股", "股份", "中国", "有限", "总部"))
_PARENTHESES = re.compile(r"\(([^()]{1,8})\)")
# What follows a leader's name in a studio's name (工作室 itself is a separator by then).
_STUDIO_TAIL = re.compile(r"(?:劳模|工匠|职工|创新|技能大师|首席技师|大师|\|)")

# After a unit's form, a company or works (…医院管理有限公司) is another unit unless only boilerplate
# stands between them (…研究所有限公司, 采油三厂).
_COMPANY = re.compile("公司|厂")
_BOILERPLATE_TAIL = re.compile(r"[()|\s\d第一二三四五六七八九十百]*(?:有限责任|有限|股份|集团|控股|总|分|[()|\s])*")


class _FormRow(NamedTuple):
    """One row of forms.csv for one form word: qualifiers, the class it gives, its weight, and whether
    the row names that class itself (rather than a division standing for its default class)."""

    qualifiers: tuple[str, ...]
    code: str
    weight: float
    exact: bool


class _Head(NamedTuple):
    """The unit kind a text names: its form word, class, weight, whether it governs the other cues,
    and whether the class is the form's own (not a division's default)."""

    form: str
    code: str
    weight: float
    governs: bool
    exact: bool


def _weigh_works(found: list[tuple[int, str, float, str]], text: str) -> list[tuple[int, str, float, str]]:
    """A product word that names a works (冷轧厂 in 宝山钢铁股份有限公司冷轧厂, 锅炉厂) says what the
    unit itself makes: its industry cues weigh more."""
    works = {term for kind, _, _, term in found if kind == _IND and (term.endswith("厂") or term + "厂" in text)}
    if not works:
        return found
    return [(k, key, w * _WORKS if k == _IND and term in works else w, term) for k, key, w, term in found]


def _weigh_groups(
    found: list[tuple[int, str, float, str]], matches: list[tuple[str, int, int]]
) -> list[tuple[int, str, float, str]]:
    """The cues of one text with each group's name turned into an industry cue, weighed down where
    the text names another product after it (上海建工 … 装饰 is a decorator, 外高桥造船海洋工程 builds
    offshore platforms): a group's subsidiary goes by what it makes. A product word before the group's
    name, or one that a longer group's name ends inside, is part of that name (国家石油天然气 + 管网集团
    runs pipelines, 中国铁道建筑 + 建筑集团 builds railways) and weighs nothing down; a product word that
    runs on from a group's name no longer than it makes that name a chance read (赛福天钢索 holds 天钢).

    ``matches`` holds the text's terms with their spans; a term's first span counts, and a cue with
    no span (one character ending the trade words) stands last."""
    spans = {term: (start, end) for term, start, end in reversed(matches)}  # the first span wins
    last = max((end for _, _, end in matches), default=0)
    out: list[tuple[int, str, float, str]] = []
    for kind, key, w, term in found:
        if kind == _GROUP:
            start, end = spans.get(term, (0, 0))
            rival = 0.0
            for k, code, pw, t in found:
                if k != _IND or code == key or pw <= rival:
                    continue
                t_start, t_end = spans.get(t, (last, last + 1))
                if t_start >= end or (start < t_start < end < t_end and end - start <= t_end - t_start):
                    rival = pw
            kind, w = _IND, (w * _UNDER_PRODUCT if rival >= _PRODUCT_SHARE * w else w)
        out.append((kind, key, w, term))
    return out


def _first_classes(industries: Iterable[Industry]) -> dict[str, str]:
    """Division or group → its first class (in the taxonomy's order) that is not a catch-all 其他…,
    or its first class when all are."""
    first: dict[str, str] = {}
    fallback: dict[str, str] = {}
    for i in industries:
        if i.level is not IndustryLevel.CLASS:
            continue
        for ancestor in (i.code[:2], i.code[:3]):
            fallback.setdefault(ancestor, i.code)
            if not i.name.startswith("其他"):
                first.setdefault(ancestor, i.code)
    return fallback | first


def _inherit_industries(entries: dict[str, dict[tuple[int, str], float]]) -> None:
    """A trade's name that holds an industry term gives that term's industries too.

    Matching takes the longest term at each place, so the trade 电力电缆 would hide the product 电缆
    inside it; the trade's name carries the industries of the last industry term it holds (the head
    of a Chinese compound is its last word: 电力电缆 is a cable, not electricity).
    """
    carriers = {term: targets for term, targets in entries.items() if any(k == _IND for k, _ in targets)}
    index = _prefix_index(carriers)
    for term, targets in entries.items():
        if len(term) < 3 or any(k != _TRADE for k, _ in targets):
            continue
        inner = _maximal_terms(term, carriers, index)
        if inner:
            for (kind, key), w in carriers[inner[-1]].items():
                if kind == _IND and targets.get((kind, key), 0.0) < w:
                    targets[(kind, key)] = w


def _ending(text: str, end: int, words: frozenset[str], lengths: Mapping[str, tuple[int, ...]]) -> int:
    """The length of the longest of ``words`` that ends at ``end`` in ``text``, 0 for none."""
    for n in lengths.get(text[end - 1], ()):
        if n <= end and text[end - n : end] in words:
            return n
    return 0


def _lengths_by(words: Iterable[str], key: Callable[[str], str]) -> dict[str, tuple[int, ...]]:
    """``key(word)`` (a word's first or last character) → the lengths of the words with that key,
    longest first."""
    lengths: dict[str, set[int]] = defaultdict(set)
    for word in words:
        lengths[key(word)].add(len(word))
    return {k: tuple(sorted(ls, reverse=True)) for k, ls in lengths.items()}


def _prefix_index(terms: Iterable[str]) -> dict[str, tuple[int, ...]]:
    """First two characters → the lengths of the terms that start with them, longest first (every
    term has at least two characters, so most places of a text start no term at all)."""
    lengths: dict[str, set[int]] = defaultdict(set)
    for term in terms:
        lengths[term[:2]].add(len(term))
    return {prefix: tuple(sorted(ls, reverse=True)) for prefix, ls in lengths.items()}


def _maximal_terms(text: str, terms: Mapping[str, object], index: Mapping[str, tuple[int, ...]]) -> list[str]:
    """The maximal terms in ``text`` (see :func:`_maximal_matches`)."""
    return [term for term, _, _ in _maximal_matches(text, terms, index)]


def _maximal_matches(
    text: str, terms: Mapping[str, object], index: Mapping[str, tuple[int, ...]]
) -> list[tuple[str, int, int]]:
    """(term, start, end) of the maximal terms in ``text``: at each start the longest term, minus any
    match that lies wholly inside an earlier one; a Latin term must stand alone and a trade's final 工
    is not taken from 工艺, 工程 …"""
    found: list[tuple[str, int, int]] = []
    n, reach = len(text), 0
    for i in range(n - 1):
        lengths = index.get(text[i : i + 2])
        if lengths is None:
            continue
        for length in lengths:
            end = i + length
            if end <= reach:
                break  # this and every shorter term lie inside an earlier match
            if end > n:
                continue
            term = text[i:end]
            if term in terms:
                if term[0] in _ASCII_WORD and not _ascii_bounded(text, i, end):
                    continue  # "ai" inside "mail", "led" inside "oled" is not the word
                if term[-1] == "工" and end < n and text[end] in _GONG_WORDS:
                    continue
                found.append((term, i, end))
                reach = end
                break
    # a word that straddles two adjacent words is not read: 光电信息 is 光电 + 信息, not 电信
    return [
        m
        for k, m in enumerate(found)
        if not (0 < k < len(found) - 1 and found[k - 1][2] == found[k + 1][1] and found[k - 1][2] < m[2])
    ]


def _ascii_bounded(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start > 0 else ""
    after = text[end] if end < len(text) else ""
    return not (before.isascii() and before.isalpha()) and not (
        after.isascii() and after.isalpha() and text[end - 1].isalpha()
    )


def _trade_stem(name: str) -> str | None:
    for suffix in _TRADE_SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 3:
            return name[: -len(suffix)]
    if name[-1:] in ("工", "员", "师") and len(name) >= 5:
        return name[:-1]
    return None


def _strength(score: float, kind: int) -> float:
    return 1.0 - math.exp(-score / _TAU[kind])


class _Scores:
    """Evidence for one studio: scores per target and the matched words behind them."""

    __slots__ = ("evidence", "scores")

    def __init__(self) -> None:
        self.scores: tuple[defaultdict[str, float], ...] = (defaultdict(float), defaultdict(float), defaultdict(float))
        self.evidence: list[tuple[int, str, float, str, str]] = []  # kind, key, amount, field label, term


class Classifier:
    """Propose industry, trades and segments for studios from their roster text.

    Built once (it compiles its lexicon in the constructor), then called for any number of studios;
    it holds no state between calls and is safe to share between threads.

    Parameters
    ----------
    industries : iterable of Industry, optional
        The GB/T 4754-2017 codes that may be proposed. Default: ``graph.taxonomy.industries()``.
    trades : iterable of Trade, optional
        The trades that may be proposed. Default: ``graph.taxonomy.curated_trades()``.
    segments : iterable of Segment, optional
        The chain segments that may be proposed. Default: ``graph.taxonomy.segments()``.
    min_confidence : float, default 0.2
        Nothing whose confidence is below this is proposed; an industry, trade or segment is either
        proposed with at least this confidence or left out.
    classes_only : bool, default False
        Propose an industry only when it is a class (小类). With the shipped taxonomy, which holds
        every class, nothing changes; built on ``industries`` that do not subdivide a division, the
        division is proposed by default (54 道路运输业 for a metro operator) and nothing with this.

    Notes
    -----
    Building takes O(T) for T the total length of the terms (several thousand, from the data files
    and the taxonomies). :meth:`classify` takes O(L · k + m) for L the length of the text, k the
    number of distinct term lengths that start with a given pair of characters (a few) and m the
    number of matches, independent of the size of the lexicon; the unit's form is found by one
    backward pass over the name and the employer.

    Examples
    --------
    >>> clf = Classifier()
    >>> got = clf.classify(name="王立新劳模创新工作室", employer="上海华力微电子有限公司")
    >>> got.industry_code, got.segment_ids
    ('3973', ('ic/wafer-fab',))
    """

    def __init__(
        self,
        industries: Iterable[Industry] | None = None,
        trades: Iterable[Trade] | None = None,
        segments: Iterable[Segment] | None = None,
        *,
        min_confidence: float = 0.2,
        classes_only: bool = False,
    ) -> None:
        if not 0.0 <= min_confidence <= 1.0:
            raise ValueError(f"min_confidence must be in [0, 1], not {min_confidence}")
        self.min_confidence = min_confidence
        self.classes_only = classes_only
        self._lexicon: Lexicon = lexicon()
        self._stop_terms = frozenset(_normalise(t) for t in self._lexicon.stop_terms)
        self._keyword_weights = {_normalise(k): w for k, w in self._lexicon.keyword_weights.items()}
        industry_list = tuple(taxonomy.industries() if industries is None else industries)
        trade_list = tuple(taxonomy.curated_trades() if trades is None else trades)
        segment_list = tuple(taxonomy.segments() if segments is None else segments)

        self._codes = {i.code for i in industry_list}
        self._classes = {i.code for i in industry_list if i.level is IndustryLevel.CLASS}
        self._first_class = _first_classes(industry_list)
        self._trade_codes = {t.code for t in trade_list}
        self._segment_ids = {s.id for s in segment_list}
        self._link_segments(segment_list)
        self._compile_terms(trade_list, segment_list)
        self._compile_name_reading()

    # --- building -------------------------------------------------------------------------------

    def _link_segments(self, segments: tuple[Segment, ...]) -> None:
        """Each segment's proposable industries, and each class's segments in file order, the
        preferred one first."""
        self._segment_industries: dict[str, tuple[str, ...]] = {}
        for s in segments:
            resolved = (self._resolve(c) for c in s.industry_codes)
            self._segment_industries[s.id] = tuple(dict.fromkeys(c for c in resolved if c is not None))
        self._linked: dict[str, list[str]] = defaultdict(list)
        for s in segments:
            for code in self._segment_industries[s.id]:
                if (code, s.id) not in self._lexicon.no_link:
                    self._linked[code].append(s.id)
        for code, sid in self._lexicon.preferred_segment.items():
            if sid in self._linked.get(code, ()):
                self._linked[code].remove(sid)
                self._linked[code].insert(0, sid)

    def _compile_terms(self, trades: tuple[Trade, ...], segments: tuple[Segment, ...]) -> None:
        """Every term of the taxonomies and the lexicon with what it points at, and their prefix index."""
        entries: dict[str, dict[tuple[int, str], float]] = {}
        self._single: dict[str, tuple[int, str, float]] = {}  # one character → its industry cue (酒 → 15)
        self._build_from_taxonomies(entries, trades, segments)
        self._build_from_lexicon(entries)
        _inherit_industries(entries)
        self._terms: dict[str, tuple[tuple[int, str, float], ...]] = {
            term: tuple((kind, key, w) for (kind, key), w in targets.items()) for term, targets in entries.items()
        }
        self._index = _prefix_index(self._terms)

    def _compile_name_reading(self) -> None:
        """What reading a unit's name takes: the curated words, the groups' terms, the unit forms, the
        places and fillers read past, and the surnames that start a leader's name."""
        # the words of cues.csv and groups.csv, written for units' names (brands among them)
        self._curated = frozenset(
            _normalise(w)
            for words in (*(c.words for c in self._lexicon.cues), *(g.names for g in self._lexicon.groups))
            for w in words
        )
        self._group_terms = frozenset(
            t for t, targets in self._terms.items() if any(k == _GROUP for k, _, _ in targets)
        )
        self._forms, self._form_ends = self._build_forms()
        # places a name starts with, by first character (longest first); a place that is itself a term
        # (矿区) stays a term
        self._places = frozenset(
            p
            for p in map(_normalise, (*self._lexicon.places, *self._lexicon.national_prefixes))
            if "|" not in p and p not in self._terms
        )
        self._place_starts = _lengths_by(self._places, lambda p: p[0])
        self._place_ends = _lengths_by(self._places, lambda p: p[-1])
        self._fillers = frozenset(_normalise(w) for w in self._lexicon.name_fillers)
        self._filler_ends = _lengths_by(self._fillers, lambda w: w[-1])
        self._surnames = self._lexicon.surnames
        self._group_forms: dict[str, tuple[str, ...]] = {
            form: tuple(t for t in self._group_terms if t.endswith(form)) for form in self._forms
        }

    def _resolve(self, code: str) -> str | None:
        """The proposable code that stands for ``code``: itself if a class; for a division or group,
        its curated default class (``defaults.json``), else its first class that is not a catch-all
        其他…; a division the taxonomy does not subdivide stands for itself; a code the taxonomy
        lacks, its nearest ancestor's."""
        while code:
            if code in self._classes:
                return code
            if code in self._codes:
                default = self._lexicon.default_class.get(code)
                if default in self._classes:
                    return default
                first = self._first_class.get(code)
                if first is not None:
                    return first
                if len(code) == 2:
                    return code
            code = code[:-1] if len(code) > 2 else ""
        return None

    def _add(self, entries: dict[str, dict[tuple[int, str], float]], term: str, kind: int, key: str, w: float) -> None:
        term = _normalise(term)
        if len(term) < 2 or term in self._stop_terms:
            return
        targets = entries.setdefault(term, {})
        if targets.get((kind, key), 0.0) < w:
            targets[(kind, key)] = w

    def _build_from_taxonomies(
        self,
        entries: dict[str, dict[tuple[int, str], float]],
        trades: tuple[Trade, ...],
        segments: tuple[Segment, ...],
    ) -> None:
        weights = _TAXONOMY_WEIGHTS
        for s in segments:
            self._add(entries, s.name, _SEG, s.id, weights["segment_name"])
            for keyword in s.keywords:
                w = self._keyword_weights.get(_normalise(keyword), weights["segment_keyword"])
                self._add(entries, keyword, _SEG, s.id, w)
        for t in trades:
            self._add(entries, t.name, _TRADE, t.code, weights["trade_name"])
            for alias in t.aliases:
                self._add(entries, alias, _TRADE, t.code, weights["trade_alias"])
            for name in (t.name, *t.aliases):
                trade_stem = _trade_stem(name)
                if trade_stem:
                    self._add(entries, trade_stem, _TRADE, t.code, weights["trade_stem"])

    def _build_from_lexicon(self, entries: dict[str, dict[tuple[int, str], float]]) -> None:
        # a curated cue says what a word means in a unit's name; the standard's claims of the same word
        # (电子 of 电子和电工机械专用设备, 投资 of a note's list) give way to it
        curated = {_normalise(w) for cue in self._lexicon.cues if cue.industry for w in cue.words}
        standard: defaultdict[str, dict[str, float]] = defaultdict(dict)  # word → class → weight
        for term in self._lexicon.terms:
            code = self._resolve(term.industry)
            if code is None:
                continue
            word = _normalise(term.term)
            standard[word][code] = max(standard[word].get(code, 0.0), term.weight)
            if word not in curated:
                for written in self._with_legal_forms(word):
                    self._add(entries, written, _IND, code, _STANDARD_TERM * term.weight)
        for group in self._lexicon.groups:
            code = self._resolve(group.industry)
            if code is not None:
                for name in group.names:
                    self._add(entries, name, _GROUP, code, group.weight)
        for cue in self._lexicon.cues:
            targets: list[tuple[int, str]] = []
            targets += [(_SEG, s) for s in cue.segments if s in self._segment_ids]
            targets += [(_TRADE, t) for t in cue.trades if t in self._trade_codes]
            for word in cue.words:
                code = self._cue_class(cue.industry, standard.get(_normalise(word), {})) if cue.industry else None
                if len(word) == 1:  # read only as a registered name's last trade word
                    if code is not None:
                        self._single[word] = (_IND, code, max(cue.weight, self._single.get(word, (0, "", 0.0))[2]))
                    continue
                for kind, key in [(_IND, code), *targets] if code is not None else targets:
                    for written in self._with_legal_forms(word):
                        self._add(entries, written, kind, key, cue.weight)

    def _with_legal_forms(self, word: str) -> tuple[str, ...]:
        """A word naming a kind of company (财务公司, 供电公司) and the same word with a legal form
        written into it, as a registered name has it (…财务有限责任公司, …供电有限公司); not where what
        stands before 公司 is a filler (控股公司 would claim every …控股有限公司)."""
        stem = word[: -len("公司")] if word.endswith("公司") else ""
        if len(stem) < 2 or stem in self._lexicon.name_fillers:
            return (word,)
        return (word, *(stem + form for form in _LEGAL_INFIXES))

    def _cue_class(self, industry: str, standard: Mapping[str, float]) -> str | None:
        """The class a cue's word stands for: the cue's own class; for a division or group that every
        claim of the standard on the word lies in, the class the standard names (铝业 → 32 is 3216
        铝冶炼); else the division's or group's default class (食品 → 14, which the standard also
        gives to 3531 食品机械, is 1411, not the 1495 食品及饲料添加剂 its name lists)."""
        if len(industry) < 4 and standard and all(code.startswith(industry) for code in standard):
            # the strongest claim; of equal ones the first class (铝冶炼 before 铝压延加工)
            return min((-w, code) for code, w in standard.items())[1]
        return self._resolve(industry)

    def _build_forms(self) -> tuple[dict[str, tuple[_FormRow, ...]], dict[str, tuple[int, ...]]]:
        """Each form word → its rows, qualified rows first; and, for the backward search, each last
        character of a form word → the lengths of the form words ending with it, longest first."""
        rows: dict[str, list[_FormRow]] = defaultdict(list)
        for form in self._lexicon.forms:
            code = self._resolve(form.industry)
            if code is None:
                continue
            qualifiers = tuple(_normalise(q) for q in form.qualifiers)
            for word in form.forms:
                rows[_normalise(word)].append(_FormRow(qualifiers, code, form.weight, code == form.industry))
        forms = {word: tuple(sorted(r, key=lambda row: not row.qualifiers)) for word, r in rows.items()}
        lengths: dict[str, set[int]] = defaultdict(set)
        for word in forms:
            lengths[word[-1]].add(len(word))
        return forms, {ch: tuple(sorted(ls, reverse=True)) for ch, ls in lengths.items()}

    def _head_form(self, text: str) -> _Head | None:
        """The unit kind a normalised text names, if any: the form word that ends last (the longest of
        those), unless a company or works named after it is another unit, with the first of the
        form's rows whose qualifier comes before it, or its row without qualifiers.

        An incorporated research institute (…研究所有限公司) often makes what it researches: its form
        counts half and does not govern the text's other cues."""
        forms, by_last = self._forms, self._form_ends
        form, start, end = "", 0, 0
        for end in range(len(text), 0, -1):  # the first form found from the end is the one wanted
            for length in by_last.get(text[end - 1], ()):
                start = end - length
                if start >= 0 and text[start:end] in forms:
                    form = text[start:end]
                    break
            if form:
                break
        if not form:
            return None
        company = _COMPANY.search(text, end)
        if company is not None and not _BOILERPLATE_TAIL.fullmatch(text, end, company.start()):
            return None
        rows = forms[form]
        incorporated = company is not None and rows[-1].code[:2] == _RESEARCH
        before = text[:start]
        for row in rows:
            if not row.qualifiers or any(q in before for q in row.qualifiers):
                weight = row.weight * (_INCORPORATED if incorporated else 1.0)
                return _Head(form, row.code, weight, not incorporated, row.exact)
        return None

    def _group_named(self, text: str, form: str) -> bool:
        """Whether the form word is part of a group's own name in the text: 上海航天技术研究院 is a
        maker of launchers known by that name, not a research institute."""
        return any(term.endswith(form) and term in text for term in self._group_forms.get(form, ()))

    # --- reading a registered name --------------------------------------------------------------

    def _place_at(self, text: str, i: int) -> int:
        """The length of the longest place name that starts at ``i``, 0 for none."""
        for length in self._place_starts.get(text[i], ()):
            if i + length <= len(text) and text[i : i + length] in self._places:
                return length
        return 0

    def _term_runs_past(self, text: str, i: int, length: int) -> bool:
        """Whether a lexicon term starts at ``i`` and runs past ``i + length``: 山西焦煤, 淮北矿业 are
        groups' names, not a place and a word."""
        for term_length in self._index.get(text[i : i + 2], ()):
            if term_length <= length:
                return False
            if text[i : i + term_length] in self._terms:
                return True
        return False

    def _read_past_places(self, text: str) -> str:
        """``text`` with the places it starts with (北京, 江苏省南京市, 江阴市) and the places or legal
        words in parentheses ((天津), (集团)) turned into spaces (not into 上海's separator, which the
        names of Shanghai's groups hold): the words of a place are no product (北京东方雨虹 is not
        京东方)."""
        if "(" in text:
            text = _PARENTHESES.sub(lambda m: m[0] if self._says_something(m[1]) else " " * len(m[0]), text)
        i, n = 0, len(text)
        while i < n:
            if text[i] in "| ":
                i += 1
                continue
            length = self._place_at(text, i)
            if not length or self._term_runs_past(text, i, length):
                break
            text = text[:i] + " " * length + text[i + length :]
            i += length
        return text

    def _without_leader(self, name: str) -> str:
        """A studio's name with its leader's given name turned into spaces: two characters after a
        common surname (itself not after another, as 林 in 陈林电力) and right before 劳模, 工匠, 职工,
        创新 … 工作室 (山西新材料李建设职工创新工作室 is 李建设's studio, not a builder's)."""
        if "|" not in name:
            return name
        for found in _STUDIO_TAIL.finditer(name):
            start = found.start()
            surname = start - 3
            if (
                surname >= 0
                and name[surname] in self._surnames
                and not (surname > 0 and name[surname - 1] in self._surnames)  # 陈林 + 电力: 林 is a given name
                and not name[start - 2 : start].isascii()
            ):
                name = name[: start - 2] + "  " + name[start:]
        return name

    def _says_something(self, inner: str) -> bool:
        """Whether the words in a pair of parentheses are more than a place or a legal word."""
        inner = inner.strip("| ")
        return bool(inner) and inner not in self._places and inner not in _LEGAL_WORDS

    def _name_parts(self, text: str) -> tuple[int, int, list[tuple[int, int]]]:
        """(end of the trade words, end of the unit's own words, spans of the fillers and the legal
        form) of a registered name: its own words end where its legal form starts (股份有限公司,
        集团 …), its trade words (行业表述) before the fillers (科技, 实业 …) and places that may follow
        them. 北京东方雨虹防水技术股份有限公司 → the end of 防水, the end of 技术, [技术, 股份]."""
        legal = _LEGAL_FORM.search(text)
        own_end = legal.start() if legal is not None else len(text)
        spans = [legal.span()] if legal is not None else []
        end = own_end
        while end > 0:
            if text[end - 1] in "| ":
                end -= 1
                continue
            filler = _ending(text, end, self._fillers, self._filler_ends)
            place = 0 if filler else _ending(text, end, self._places, self._place_ends)
            if not (filler or place):
                break
            spans.append((end - (filler or place), end))
            end -= filler or place
        return end, own_end, spans

    def _weigh_positions(self, matches: list[tuple[str, int, int]], text: str) -> list[tuple[int, str, float, str]]:
        """The cues of a registered name, each industry cue weighed by where it stands.

        The trade words at the end of the unit's own words (…防水技术股份有限公司, with the words
        right before them: 路桥 + 机械; one character where no word ends them: 茅台酒) say what it
        does. A product word of the standard inside the brand before them that names another division
        than they do says less (京东方 would in 北京东方雨虹防水; a curated cue, often a brand's own
        name, keeps its weight). A word that runs
        into the middle of a filler or of the legal form is no word (豪尔赛科技 holds no 赛科, 宝安集团
        no 安集). Words after the legal form name a part of the unit (…有限公司冷轧厂) and keep their
        weight."""
        trade_end, own_end, spans = self._name_parts(text)
        matches = [m for m in matches if not any(m[1] < a < m[2] < b or a < m[1] < b < m[2] for a, b in spans)]
        chain: set[int] = set()  # the trade words
        for i in range(len(matches) - 1, -1, -1):
            _, start, end = matches[i]
            if start < trade_end <= end:
                chain.add(i)
                for j in range(i - 1, -1, -1):  # the trade words run on backwards: 路桥 + 机械
                    if matches[j][2] != start:
                        break
                    chain.add(j)
                    start = matches[j][1]
                break
        named = {key[:2] for i in chain for kind, key, _ in self._terms[matches[i][0]] if kind == _IND}
        found: list[tuple[int, str, float, str]] = []
        single = self._single.get(text[trade_end - 1]) if trade_end > 0 and not chain else None
        if single is not None:  # 茅台酒: one character ends the trade words
            found.append((*single, text[trade_end - 1]))
            named.add(single[1][:2])
        for i, (term, _, end) in enumerate(matches):
            in_brand = bool(named) and i not in chain and end <= own_end and term not in self._curated
            found += [
                (kind, key, w * _BRAND_WORD if in_brand and kind == _IND and key[:2] not in named else w, term)
                for kind, key, w in self._terms[term]
            ]
        return found

    # --- answering ------------------------------------------------------------------------------

    def classify(self, *, name: str, employer: str = "", expertise: str = "", needs: str = "") -> Inference:
        """Propose the industry, trades and segments of one studio.

        Parameters
        ----------
        name : str
            The studio's name (工作室名称), e.g. ``"张丽护理创新工作室"``.
        employer : str, default ""
            The employer (所在单位), the strongest cue to the industry.
        expertise : str, default ""
            Free text on what the studio does (技术专长), the strongest cue to trades and segments.
        needs : str, default ""
            Free text on what it wants help with (攻关需求); weighs little.

        Returns
        -------
        Inference
            Every code and id in it exists in the taxonomies the classifier was built with; when
            nothing reaches ``min_confidence`` it is empty with confidence 0.

        Notes
        -----
        O(L · k + m) time for L characters of text; see the class notes.
        """
        texts = [_normalise(t) if t else "" for t in (name, employer, expertise, needs)]
        texts[0], texts[1] = self._without_leader(self._read_past_places(texts[0])), self._read_past_places(texts[1])
        # the employer's kind of unit (a hospital, a school) governs what the other fields say too
        unit = self._employer_unit(texts[1])
        unit_division = unit.code[:2] if unit is not None and unit.governs else ""
        scores = _Scores()
        for f, normalised in enumerate(texts):
            if normalised:
                self._score_field(scores, f, normalised, unit, unit_division)
        if not scores.evidence:
            return _EMPTY
        return self._answer(scores, unit_division)

    def _employer_unit(self, employer: str) -> _Head | None:
        """The kind of unit a normalised employer names (…医院, …中学), unless the form word is part of
        a group's own name."""
        unit = self._head_form(employer) if employer else None
        if unit is not None and self._group_named(employer, unit.form):
            unit = None
        return unit

    def _score_field(self, scores: _Scores, f: int, normalised: str, unit: _Head | None, unit_division: str) -> None:
        """Add the cues of field ``f`` (name, employer, expertise, needs) to ``scores``, weighed by the field."""
        field_weights, label = _FIELD_WEIGHTS[f], _FIELD_LABELS[f]
        in_field: dict[tuple[int, str], list[float]] = {}
        for kind, key, w, term in self._field_cues(f, normalised, unit, unit_division):
            amount = w * field_weights[kind]
            in_field.setdefault((kind, key), []).append(amount)
            scores.evidence.append((kind, key, amount, label, term))
        for (kind, key), amounts in in_field.items():
            # several cues in one field for one target say little more than the strongest one
            top = max(amounts)
            scores.scores[kind][key] += top + _REPEAT_SHARE * (sum(amounts) - top)

    def _field_cues(
        self, f: int, normalised: str, unit: _Head | None, unit_division: str
    ) -> list[tuple[int, str, float, str]]:
        """The (kind, key, weight, term) cues of field ``f``: its terms, a registered name's weighed by
        where they stand, works and groups weighed, the unit kind the field names added, and, outside
        the employer, industries other than the employer's kind of unit weighed down."""
        matches = _maximal_matches(normalised, self._terms, self._index)
        matched = [term for term, _, _ in matches]
        if f == 1:
            found = self._weigh_positions(matches, normalised)
        else:
            found = [(kind, key, w, term) for term in matched for kind, key, w in self._terms[term]]
        head = None
        if f < 2:  # a unit's kind and works are in its name or employer
            head = unit if f == 1 else self._head_form(normalised)
            if head is not None and f == 0 and self._group_named(normalised, head.form):
                head = None
            if "厂" in normalised:
                found = _weigh_works(found, normalised)
        if not self._group_terms.isdisjoint(matched):
            found = _weigh_groups(found, matches)
        if head is not None:
            found = self._under_head(found, head)
        if unit_division and f != 1:
            found = [
                (kind, key, w * _UNDER_UNIT if kind == _IND and key[:2] != unit_division else w, term)
                for kind, key, w, term in found
            ]
        return found

    def _under_head(self, found: list[tuple[int, str, float, str]], head: _Head) -> list[tuple[int, str, float, str]]:
        """``found`` with the unit kind a field names added as a cue; a kind that governs weighs the
        industries of other divisions down."""
        code = head.code
        if not head.exact:  # a form naming a division (…工程局) takes the class the text names in it
            named = [(w, key) for kind, key, w, _ in found if kind == _IND and key[:2] == code[:2]]
            code = max(named, key=lambda wk: (wk[0], wk[1]))[1] if named else code
        if head.governs:  # the kind of unit says more than the words that qualify it: 上海电力医院
            found = [
                (kind, key, w * _UNDER_FORM if kind == _IND and key[:2] != code[:2] else w, term)
                for kind, key, w, term in found
            ]
        found.append((_IND, code, head.weight, head.form))
        return found

    def _answer(self, scores: _Scores, unit_division: str) -> Inference:
        """The proposal the scores make: segments lend weight to their industries, then the best
        industry, segments and trades, each only when confident enough."""
        industry_scores = scores.scores[_IND]
        for sid, s in list(scores.scores[_SEG].items()):
            codes = self._segment_industries.get(sid, ())
            for code in codes:
                factor = _UNDER_UNIT if unit_division and code[:2] != unit_division else 1.0
                industry_scores[code] += factor * _SEGMENT_TO_INDUSTRY * s / len(codes)
        industry, industry_conf = self._choose_industry(industry_scores)
        segments, segment_conf = self._choose_segments(scores.scores[_SEG], industry, industry_conf)
        trades, trade_conf = self._choose_trades(scores.scores[_TRADE])
        if industry is None and not segments and not trades:
            return _EMPTY
        confidence = industry_conf if industry is not None else max(segment_conf, trade_conf)
        return Inference(
            industry_code=industry,
            trade_codes=trades,
            segment_ids=segments,
            confidence=round(min(1.0, max(0.0, confidence)), 4),
            basis=self._basis(scores, industry, trades, segments),
        )

    def classify_many(self, rows: Iterable[Mapping[str, str]]) -> list[Inference]:
        """Classify many studios; each row has the keys ``name``, ``employer``, ``expertise``, ``needs``.

        Parameters
        ----------
        rows : iterable of mapping
            A missing key or a ``None`` value counts as empty text.

        Returns
        -------
        list of Inference
            One per row, in order.

        Notes
        -----
        O(Σ rows' text length); several thousand studios a second on one core.
        """
        return [
            self.classify(
                name=row.get("name") or "",
                employer=row.get("employer") or "",
                expertise=row.get("expertise") or "",
                needs=row.get("needs") or "",
            )
            for row in rows
        ]

    def _choose_industry(self, scores: Mapping[str, float]) -> tuple[str | None, float]:
        """Best division by the sum of its codes' scores, then its best code."""
        if not scores:
            return None, 0.0
        by_division: defaultdict[str, float] = defaultdict(float)
        for code, s in scores.items():
            by_division[code[:2]] += s
        ranked = sorted(by_division.items(), key=lambda kv: (-kv[1], kv[0]))
        division, total = ranked[0]
        rival = ranked[1][1] if len(ranked) > 1 else 0.0
        code, best = min(((c, s) for c, s in scores.items() if c[:2] == division), key=lambda cs: (-cs[1], cs[0]))
        share = best / total if total > 0 else 0.0
        confidence = _strength(total, _IND) * (total / (total + rival)) * (0.7 + 0.3 * share)
        if confidence < self.min_confidence or (self.classes_only and code not in self._classes):
            return None, 0.0
        return code, confidence

    def _choose_segments(
        self, keyword_scores: Mapping[str, float], industry: str | None, industry_conf: float
    ) -> tuple[tuple[str, ...], float]:
        scores: dict[str, float] = dict(keyword_scores)
        if industry is not None:
            for rank, sid in enumerate(self._linked.get(industry, ())):
                bonus = _LINK_PREFERRED if rank == 0 else _LINK_OTHER
                scores[sid] = scores.get(sid, 0.0) + bonus * industry_conf
            division = industry[:2]
            for sid in scores:
                if not any(c[:2] == division for c in self._segment_industries.get(sid, ())):
                    scores[sid] *= _OFF_DIVISION
        return self._top_two(scores, _SEG)

    def _choose_trades(self, scores: Mapping[str, float]) -> tuple[tuple[str, ...], float]:
        return self._top_two(scores, _TRADE)

    def _top_two(self, scores: Mapping[str, float], kind: int) -> tuple[tuple[str, ...], float]:
        ranked = sorted(((k, s) for k, s in scores.items() if s > 0), key=lambda kv: (-kv[1], kv[0]))
        if not ranked:
            return (), 0.0
        first, s1 = ranked[0]
        rival = ranked[1][1] if len(ranked) > 1 else 0.0
        confidence = _strength(s1, kind) * math.sqrt(s1 / (s1 + rival))
        if confidence < self.min_confidence:
            return (), 0.0
        chosen = [first]
        if len(ranked) > 1:
            second, s2 = ranked[1]
            if s2 >= _SECOND_SHARE * s1 and _strength(s2, kind) >= self.min_confidence:
                chosen.append(second)
        return tuple(chosen), confidence

    def _basis(
        self, scores: _Scores, industry: str | None, trades: tuple[str, ...], segments: tuple[str, ...]
    ) -> tuple[str, ...]:
        support: defaultdict[str, float] = defaultdict(float)
        for kind, key, amount, field, term in scores.evidence:
            if (
                (kind == _IND and key == industry)
                or (kind == _TRADE and key in trades)
                or (kind == _SEG and (key in segments or industry in self._segment_industries.get(key, ())))
            ):
                support[f"{field}:{term.strip('|')}"] += amount
        ranked = sorted(support.items(), key=lambda kv: (-kv[1], kv[0]))
        return tuple(label for label, _ in ranked[:_BASIS_LIMIT])
