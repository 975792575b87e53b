"""The tables of the illustrative roster generator (:mod:`ingest.synthetic`): data files, read and
checked once when first used.

Every value is the project's own illustrative data, fictional except the public classifications
(districts, unions, trades, industries, chains) it names; each file says so, and gives its licence,
in its header (``#`` lines of a CSV, ``source`` and ``licence`` of a JSON file, whose ``about`` says
what each key holds):

- ``names.json``: the characters of leaders' fictional names (surnames, men's and women's given
  names), the famous names never produced, and the characters of fictional company names (字号);
- ``trades.json``: the most frequent trades in rank order, the share of women by trade family, the
  occupation codes of skilled trades;
- ``trade_settings.csv``: where each trade family (and each trade that differs) works, with weights;
- ``settings.json``: the settings outside the chains (power grid, hospital, school …) with their
  industry classes and unions, and per chain and segment the unions, public services and the
  templates that turn a segment's keywords into expertise;
- ``employers.csv``: the employer-name templates of every setting;
- ``expertise.csv`` and ``needs.csv``: the phrase banks of expertise (技术专长) per trade family,
  trade and setting, and of needs (攻关需求) per trade family;
- ``projects.csv``: the curated key projects of each chain;
- ``draws.json``: the weights of the generator's other draws (districts, levels, statuses, studio
  name endings, ledger kinds, awards …);
- ``texts.json``: the templates of needs toward the chain, collaboration titles, cross-field themes,
  venues and ledger lines, and the words of the store-benchmark records.

Order is data here: the generator draws by position, so the rows of a bank stay in file order. A
file that breaks its format (a missing or unknown column or key, a weight that is not positive, a
template field the generator does not fill, a name no taxonomy holds) raises
:class:`SyntheticDataError` naming the file and the line or key, when the tables are loaded; nothing
is half-loaded. Names are checked against the shipped taxonomies (``graph.taxonomy``: the curated
trades and their families, the chains and segments, the generator's industries) and Shanghai's
districts.
"""

from __future__ import annotations

import csv
import json
import math
import string
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path
from typing import Any, TypeVar

from graph import taxonomy
from graph.errors import ConfigurationError
from graph.model import Segment

from ...normalise import DISTRICTS

__all__ = [
    "ChainSetting",
    "Draws",
    "Employer",
    "Names",
    "PlainSetting",
    "Project",
    "SegmentNote",
    "SyntheticDataError",
    "Tables",
    "Texts",
    "Trades",
    "Weights",
    "load",
    "tables",
]

_PACKAGE_LABEL = "ingest/data/synthetic"

_T = TypeVar("_T")

Weights = tuple[tuple[str, float], ...]
"""Items and their positive weights, in the order a draw lays them out."""


class SyntheticDataError(ConfigurationError):
    """A data file of the roster generator is malformed; the message names the file and the line or key."""


# ================================================================ the tables


@dataclass(frozen=True)
class Names:
    """``names.json``: characters drawn by position (a surname written twice is drawn twice as often)."""

    surnames: str
    given_male: str
    given_female: str
    reserved: frozenset[str]
    zihao_characters: str
    zihao_avoid: frozenset[str]


@dataclass(frozen=True)
class Trades:
    """``trades.json`` and ``trade_settings.csv``: how trades are drawn and where they work."""

    ranked: tuple[str, ...]
    female_share: Mapping[str, float]
    default_female_share: float
    skilled_prefixes: tuple[str, ...]
    family_settings: Mapping[str, Weights]
    trade_settings: Mapping[str, Weights]
    """Trades whose settings replace their family's."""


@dataclass(frozen=True)
class PlainSetting:
    """A setting outside the chains (``settings.json``'s ``plain``)."""

    industries: tuple[str, ...]
    unions: tuple[str, ...]
    union_share: float
    public: bool


@dataclass(frozen=True)
class ChainSetting:
    """What the segments of one chain share (``settings.json``'s ``chains``)."""

    unions: tuple[str, ...]
    union_share: float
    keyword_templates: tuple[str, ...]


@dataclass(frozen=True)
class SegmentNote:
    """How a segment differs from its chain (``settings.json``'s ``segments``); None: as its chain."""

    unions: tuple[str, ...] | None
    union_share: float | None
    public: bool
    service: bool


@dataclass(frozen=True)
class Employer:
    """An employer-name template and the industry classes it may take (empty: any of its setting's)."""

    template: str
    industries: tuple[str, ...]


@dataclass(frozen=True)
class Project:
    """A curated key project of a chain; the first segment is the one its trades come from."""

    name: str
    segments: tuple[str, ...]


@dataclass(frozen=True)
class Draws:
    """``draws.json``: the weights of the generator's other draws."""

    districts: Weights
    levels: Weights
    national_honour_share: Mapping[str, float]
    leader_statuses: Weights
    founded_gap: tuple[tuple[int, float], ...]
    studio_suffixes: Weights
    collaboration_kinds: Weights
    ledger_kinds: Weights
    innovation_types: Weights
    awards: Weights
    employer_notes: Weights
    employer_fund_sources: tuple[str, ...]


@dataclass(frozen=True)
class Texts:
    """``texts.json``: templates and word lists."""

    upstream_needs: tuple[str, ...]
    downstream_needs: tuple[str, ...]
    peer_needs: tuple[str, ...]
    project_suffixes: tuple[str, ...]
    collaboration_titles: Mapping[str, tuple[str, ...]]
    cross_themes: tuple[tuple[str, tuple[str, ...]], ...]
    venues: tuple[str, ...]
    activities: tuple[tuple[str, str], ...]
    results: tuple[str, ...]
    member_steps: tuple[str, ...]
    store_record_words: tuple[str, ...]


@dataclass(frozen=True)
class Tables:
    """Everything the generator reads from its data files, checked."""

    names: Names
    trades: Trades
    plain_settings: Mapping[str, PlainSetting]
    chains: Mapping[str, ChainSetting]
    segments: Mapping[str, SegmentNote]
    service_templates: tuple[str, ...]
    employers: Mapping[str, tuple[Employer, ...]]
    family_expertise: Mapping[str, tuple[str, ...]]
    trade_expertise: Mapping[str, tuple[str, ...]]
    setting_expertise: Mapping[str, tuple[str, ...]]
    needs: Mapping[str, tuple[str, ...]]
    projects: Mapping[str, tuple[Project, ...]]
    draws: Draws
    texts: Texts


# ================================================================ what names may point at


@dataclass(frozen=True)
class _Reference:
    """The names the files may use: those of the shipped taxonomies, and the plain settings."""

    trades: Mapping[str, str]
    """Curated trade name → its family (category)."""
    families: frozenset[str]
    chains: tuple[str, ...]
    segments: Mapping[str, Segment]
    industries: frozenset[str]
    plain: Mapping[str, PlainSetting]

    @classmethod
    def shipped(cls) -> _Reference:
        curated = taxonomy.curated_trades()
        return cls(
            trades={t.name: t.category for t in curated},
            families=frozenset(t.category for t in curated),
            chains=tuple(c.id for c in taxonomy.chains()),
            segments={s.id: s for s in taxonomy.segments()},
            industries=frozenset(i.code for i in taxonomy.generator_industries()),
            plain={},
        )

    def with_plain(self, plain: Mapping[str, PlainSetting]) -> _Reference:
        return _Reference(self.trades, self.families, self.chains, self.segments, self.industries, plain)

    def setting_industries(self, key: str) -> tuple[str, ...] | None:
        """The industry classes of a setting (a segment or a plain setting); None for no setting."""
        if key in self.segments:
            return self.segments[key].industry_codes
        plain = self.plain.get(key)
        return plain.industries if plain is not None else None


# ================================================================ reading files


class _File:
    """A data file, for error messages."""

    def __init__(self, root: Traversable, label: str, name: str) -> None:
        self.path = root.joinpath(name)
        self.name = f"{label}/{name}"

    def fail(self, where: str, message: str) -> SyntheticDataError:
        return SyntheticDataError(f"{self.name}, {where}: {message}")

    def text(self) -> str:
        if not self.path.is_file():
            raise SyntheticDataError(f"{self.name}: the file is missing")
        try:
            return self.path.read_text(encoding="utf-8")
        except UnicodeDecodeError as err:
            raise self.fail(f"byte {err.start}", "the file is not UTF-8") from None


def _rows(file: _File, columns: tuple[str, ...]) -> Iterator[tuple[str, dict[str, str]]]:
    """(``"line N"``, row) for each data line of a CSV whose header must be exactly ``columns``."""
    lines = file.text().splitlines()
    for mark in ("# Source:", "# Licence:"):
        if not any(line.startswith(mark) for line in lines):
            raise file.fail("header", f"no '{mark}' line says where the data comes from and its licence")
    header: list[str] | None = None
    for number, line in enumerate(lines, start=1):
        if line.startswith("#") or not line.strip():
            continue
        values = next(csv.reader([line]))
        if header is None:
            if tuple(values) != columns:
                raise file.fail(f"line {number}", f"header {values}, expected {list(columns)}")
            header = values
            continue
        if len(values) != len(header):
            raise file.fail(f"line {number}", f"{len(values)} values for {len(header)} columns")
        yield f"line {number}", {c: v.strip() for c, v in zip(header, values, strict=True)}
    if header is None:
        raise file.fail("header", "no header line")


class _DuplicateKey(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _refuse_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _DuplicateKey(key)
        out[key] = value
    return out


def _document(file: _File, keys: tuple[str, ...]) -> dict[str, _Node]:
    """The top-level keys of a JSON file: ``source``, ``licence``, ``about`` and exactly ``keys``."""
    try:
        doc = json.loads(file.text(), object_pairs_hook=_refuse_duplicates)
    except json.JSONDecodeError as err:
        raise file.fail(f"line {err.lineno}", err.msg) from None
    except _DuplicateKey as err:
        raise file.fail(f"key {err.key}", "given twice in one object") from None
    root = _Node(file, doc, "")
    parts = root.members(("source", "licence", "about", *keys))
    parts["source"].text()
    parts["licence"].text()
    for key, node in parts["about"].members().items():
        if key not in keys:
            raise node.fail(f"says what {key!r} holds, but the file has no such key")
        node.text()
    return parts


class _Node:
    """A value of a JSON file and the key path to it, for error messages (``needs.peer[2]``)."""

    def __init__(self, file: _File, value: Any, path: str) -> None:
        self.file = file
        self.value = value
        self.path = path

    def fail(self, message: str) -> SyntheticDataError:
        return self.file.fail(f"key {self.path or '(top level)'}", message)

    def members(self, keys: tuple[str, ...] | None = None) -> dict[str, _Node]:
        """The members of an object; with ``keys``, it must have exactly those."""
        if not isinstance(self.value, dict):
            raise self.fail(f"expected an object, found {type(self.value).__name__}")
        if keys is not None and set(self.value) != set(keys):
            unknown, missing = sorted(set(self.value) - set(keys)), [k for k in keys if k not in self.value]
            raise self.fail(f"unknown keys {unknown}, missing keys {missing}")
        return {k: _Node(self.file, v, f"{self.path}.{k}" if self.path else k) for k, v in self.value.items()}

    def elements(self, *, none: bool = False) -> list[_Node]:
        """The items of a list; it must hold at least one unless ``none``."""
        if not isinstance(self.value, list) or not (self.value or none):
            raise self.fail(f"expected a list of {'' if none else 'at least one item'}")
        return [_Node(self.file, v, f"{self.path}[{i}]") for i, v in enumerate(self.value)]

    def text(self, *, empty: bool = False) -> str:
        if not isinstance(self.value, str) or (not empty and not self.value.strip()):
            raise self.fail(f"expected a {'' if empty else 'non-empty '}string, found {self.value!r}")
        return self.value

    def texts(self, *, empty: bool = False, unique: bool = True, none: bool = False) -> tuple[str, ...]:
        """A list of strings (non-empty unless ``empty``; distinct if ``unique``)."""
        out = tuple(item.text(empty=empty) for item in self.elements(none=none))
        if unique and len(set(out)) != len(out):
            raise self.fail(f"{sorted({t for t in out if out.count(t) > 1})} listed twice")
        return out

    def number(self, low: float, high: float, *, positive: bool = False) -> float:
        value = self.value
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise self.fail(f"expected a number, found {value!r}")
        if not low <= value <= high or (positive and value <= 0):
            raise self.fail(f"{value} is not in {'(' if positive else '['}{low:g}, {high:g}]")
        return float(value)

    def flag(self) -> bool:
        if not isinstance(self.value, bool):
            raise self.fail(f"expected true or false, found {self.value!r}")
        return self.value

    def weights(self) -> Weights:
        """An object of item → positive weight."""
        members = self.members()
        if not members:
            raise self.fail("expected at least one item")
        return tuple((key, node.number(0, math.inf, positive=True)) for key, node in members.items())

    def pairs(self, item: Callable[[_Node], _T]) -> tuple[tuple[_T, float], ...]:
        """A list of ``[item, weight]``, each item read by ``item`` and distinct, each weight positive."""
        out: list[tuple[_T, float]] = []
        for pair in self.elements():
            if not isinstance(pair.value, list) or len(pair.value) != 2:
                raise pair.fail(f"expected [item, weight], found {pair.value!r}")
            first, second = (_Node(self.file, v, f"{pair.path}[{i}]") for i, v in enumerate(pair.value))
            value = item(first)
            if any(value == seen for seen, _ in out):
                raise first.fail(f"{value!r} listed twice")
            out.append((value, second.number(0, math.inf, positive=True)))
        return tuple(out)


_Fail = Callable[[str], SyntheticDataError]


def _fields(template: str) -> set[str]:
    """The fields a ``str.format`` template names; ValueError for a malformed one."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def _template(text: str, allowed: frozenset[str], fail: _Fail) -> str:
    """``text``, if every field it names is one the generator fills (``allowed``)."""
    try:
        unknown = sorted(_fields(text) - allowed)
    except ValueError as err:
        raise fail(f"template {text!r}: {err}") from None
    if unknown:
        shown = ", ".join(f"{{{f}}}" for f in sorted(allowed)) or "none"
        raise fail(f"template {text!r} names fields {unknown}; it may name only {shown}")
    return text


def _templates(node: _Node, allowed: frozenset[str]) -> tuple[str, ...]:
    return tuple(_template(item.text(), allowed, item.fail) for item in node.elements())


def _weight(text: str, fail: _Fail) -> float:
    try:
        value = float(text)
    except ValueError:
        raise fail(f"weight {text!r} is not a number") from None
    if not (math.isfinite(value) and value > 0):
        raise fail(f"weight {value} is not a positive number")
    return value


def _is_han(text: str) -> bool:
    return bool(text) and all("\u4e00" <= c <= "\u9fff" for c in text)


def _characters(node: _Node) -> str:
    text = node.text()
    if not _is_han(text):
        raise node.fail("expected Chinese characters only (each one a name part), no spaces")
    return text


# ================================================================ the files, one loader each


def _load_names(file: _File) -> Names:
    keys = ("surnames", "given_male", "given_female", "reserved_names", "zihao_characters", "zihao_avoid")
    doc = _document(file, keys)
    for key in ("reserved_names", "zihao_avoid"):
        for item in doc[key].elements():
            if not _is_han(item.text()) or (key == "zihao_avoid" and len(item.value) != 2):
                raise item.fail(
                    f"{item.value!r} is not a {'pair of' if key == 'zihao_avoid' else 'name of'} Chinese characters"
                )
    return Names(
        surnames=_characters(doc["surnames"]),
        given_male=_characters(doc["given_male"]),
        given_female=_characters(doc["given_female"]),
        reserved=frozenset(doc["reserved_names"].texts()),
        zihao_characters=_characters(doc["zihao_characters"]),
        zihao_avoid=frozenset(doc["zihao_avoid"].texts()),
    )


def _load_trades(root: Traversable, label: str, ref: _Reference) -> Trades:
    file = _File(root, label, "trades.json")
    doc = _document(file, ("ranked", "female_share", "default_female_share", "skilled_occupation_prefixes"))
    for item in doc["ranked"].elements():
        if item.text() not in ref.trades:
            raise item.fail(f"trade {item.value!r} is not in graph/taxonomy/trades.csv")
    female: dict[str, float] = {}
    for family, node in doc["female_share"].members().items():
        if family not in ref.families:
            raise node.fail(f"{family!r} is no trade family (category) of graph/taxonomy/trades.csv")
        female[family] = node.number(0, 1)
    families, trades = _load_trade_settings(_File(root, label, "trade_settings.csv"), ref)
    return Trades(
        ranked=doc["ranked"].texts(),
        female_share=female,
        default_female_share=doc["default_female_share"].number(0, 1),
        skilled_prefixes=doc["skilled_occupation_prefixes"].texts(),
        family_settings=families,
        trade_settings=trades,
    )


def _load_trade_settings(file: _File, ref: _Reference) -> tuple[dict[str, Weights], dict[str, Weights]]:
    found: dict[tuple[str, str], list[tuple[str, float]]] = {}
    for where, row in _rows(file, ("of", "key", "setting", "weight")):

        def fail(message: str, where: str = where) -> SyntheticDataError:
            return file.fail(where, message)

        of, key, setting = row["of"], row["key"], row["setting"]
        if of not in ("family", "trade"):
            raise fail(f"of {of!r} is neither 'family' nor 'trade'")
        if key not in (ref.families if of == "family" else ref.trades):
            raise fail(f"{key!r} is no {'trade family' if of == 'family' else 'trade'} of graph/taxonomy/trades.csv")
        if ref.setting_industries(setting) is None:
            raise fail(f"setting {setting!r} is neither a segment of chains.json nor a plain setting of settings.json")
        weights = found.setdefault((of, key), [])
        if any(setting == seen for seen, _ in weights):
            raise fail(f"setting {setting!r} is listed twice for {key!r}")
        weights.append((setting, _weight(row["weight"], fail)))
    families = {key: tuple(w) for (of, key), w in found.items() if of == "family"}
    trades = {key: tuple(w) for (of, key), w in found.items() if of == "trade"}
    missing = sorted(ref.families - set(families))
    if missing:
        raise file.fail("all lines", f"trade families without settings: {missing}")
    used = {s for name, family in ref.trades.items() for s, _ in trades.get(name) or families[family]}
    idle = [s for s in (*ref.segments, *ref.plain) if s not in used]
    if idle:
        raise file.fail("all lines", f"settings no trade works in: {idle}")
    return families, trades


def _unions(part: dict[str, _Node]) -> tuple[tuple[str, ...], float]:
    return part["unions"].texts(none=True), part["union_share"].number(0, 1)


def _load_plain(node: _Node, ref: _Reference) -> dict[str, PlainSetting]:
    plain: dict[str, PlainSetting] = {}
    for key, entry in node.members().items():
        if key in ref.segments:
            raise entry.fail(f"plain setting {key!r} has a segment's id")
        part = entry.members(("industries", "unions", "union_share", "public"))
        for item in part["industries"].elements():
            if item.text() not in ref.industries:
                raise item.fail(f"industry {item.value!r} is not one the generator draws on (industries.csv)")
        unions, share = _unions(part)
        plain[key] = PlainSetting(part["industries"].texts(), unions, share, part["public"].flag())
    return plain


def _load_chains(node: _Node, ref: _Reference) -> dict[str, ChainSetting]:
    chains: dict[str, ChainSetting] = {}
    for chain, entry in node.members(ref.chains).items():
        part = entry.members(("unions", "union_share", "keyword_templates"))
        unions, share = _unions(part)
        chains[chain] = ChainSetting(unions, share, _templates(part["keyword_templates"], _KEYWORD_FIELDS))
    return chains


def _load_segment_notes(node: _Node, ref: _Reference) -> dict[str, SegmentNote]:
    notes: dict[str, SegmentNote] = {}
    for sid, entry in node.members().items():
        if sid not in ref.segments:
            raise entry.fail(f"{sid!r} is not a segment of graph/taxonomy/chains.json")
        part = entry.members()
        unknown = sorted(set(part) - {"unions", "union_share", "public", "service"})
        if unknown or ("unions" in part) != ("union_share" in part) or not part:
            raise entry.fail(f"keys {sorted(part)}: expected some of unions with union_share, public, service")
        unions, share = _unions(part) if "unions" in part else (None, None)
        notes[sid] = SegmentNote(
            unions, share, "public" in part and part["public"].flag(), "service" in part and part["service"].flag()
        )
    return notes


def _load_settings(
    file: _File, ref: _Reference
) -> tuple[dict[str, PlainSetting], dict[str, ChainSetting], dict[str, SegmentNote], tuple[str, ...]]:
    doc = _document(file, ("plain", "chains", "segments", "service_templates"))
    return (
        _load_plain(doc["plain"], ref),
        _load_chains(doc["chains"], ref),
        _load_segment_notes(doc["segments"], ref),
        _templates(doc["service_templates"], _KEYWORD_FIELDS),
    )


def _every_setting(file: _File, ref: _Reference, found: Mapping[str, object], what: str) -> None:
    missing = [s for s in (*ref.segments, *ref.plain) if s not in found]
    if missing:
        raise file.fail("all lines", f"settings without {what}: {missing}")


def _load_employers(file: _File, ref: _Reference) -> dict[str, tuple[Employer, ...]]:
    found: dict[str, list[Employer]] = {}
    for where, row in _rows(file, ("setting", "template", "industries")):

        def fail(message: str, where: str = where) -> SyntheticDataError:
            return file.fail(where, message)

        setting = row["setting"]
        allowed = ref.setting_industries(setting)
        if allowed is None:
            raise fail(f"setting {setting!r} is neither a segment of chains.json nor a plain setting of settings.json")
        template = _template(row["template"], _EMPLOYER_FIELDS, fail)
        codes = tuple(row["industries"].split())
        stray = [c for c in codes if c not in allowed or c not in ref.industries]
        if stray:
            raise fail(f"industries {stray} are not classes of setting {setting!r} ({' '.join(allowed)})")
        employers = found.setdefault(setting, [])
        if any(e.template == template for e in employers):
            raise fail(f"template {template!r} is listed twice for {setting!r}")
        employers.append(Employer(template, codes))
    _every_setting(file, ref, found, "employers")
    return {key: tuple(v) for key, v in found.items()}


def _load_expertise(file: _File, ref: _Reference) -> dict[str, dict[str, tuple[str, ...]]]:
    """``{"family": …, "trade": …, "setting": …}``: each a key → its phrases."""
    found: dict[str, dict[str, list[str]]] = {"family": {}, "trade": {}, "setting": {}}
    for where, row in _rows(file, ("of", "key", "phrase")):
        of, key, phrase = row["of"], row["key"], row["phrase"]
        if of not in found:
            raise file.fail(where, f"of {of!r} is not one of {sorted(found)}")
        if not _known(ref, of, key):
            raise file.fail(where, f"{key!r} is no {of} the generator knows")
        _add_phrase(found[of].setdefault(key, []), phrase, file, where)
    missing = sorted(ref.families - set(found["family"]))
    if missing:
        raise file.fail("all lines", f"trade families without expertise: {missing}")
    _every_setting(file, ref, found["setting"], "expertise")
    return {of: {key: tuple(v) for key, v in bank.items()} for of, bank in found.items()}


def _known(ref: _Reference, of: str, key: str) -> bool:
    """Whether ``key`` names a trade family, a trade or a setting, as ``of`` says."""
    if of == "family":
        return key in ref.families
    if of == "trade":
        return key in ref.trades
    return ref.setting_industries(key) is not None


def _add_phrase(bank: list[str], phrase: str, file: _File, where: str) -> None:
    if not phrase:
        raise file.fail(where, "the phrase is empty")
    if phrase in bank:
        raise file.fail(where, f"phrase {phrase!r} is listed twice")
    bank.append(phrase)


def _load_needs(file: _File, ref: _Reference) -> dict[str, tuple[str, ...]]:
    found: dict[str, list[str]] = {}
    for where, row in _rows(file, ("family", "phrase")):
        if row["family"] not in ref.families:
            raise file.fail(where, f"{row['family']!r} is no trade family of graph/taxonomy/trades.csv")
        _add_phrase(found.setdefault(row["family"], []), row["phrase"], file, where)
    missing = sorted(ref.families - set(found))
    if missing:
        raise file.fail("all lines", f"trade families without needs: {missing}")
    return {key: tuple(v) for key, v in found.items()}


def _load_projects(file: _File, ref: _Reference) -> dict[str, tuple[Project, ...]]:
    found: dict[str, list[Project]] = {}
    for where, row in _rows(file, ("chain", "name", "segments")):
        chain, name, segments = row["chain"], row["name"], tuple(row["segments"].split())
        if chain not in ref.chains:
            raise file.fail(where, f"chain {chain!r} is not in graph/taxonomy/chains.json")
        if not name or any(p.name == name for p in found.get(chain, ())):
            raise file.fail(where, f"project name {name!r} is empty or listed twice")
        stray = [s for s in segments if s not in ref.segments or ref.segments[s].chain_id != chain]
        if not segments or stray:
            raise file.fail(where, f"segments {list(segments)}: expected segments of chain {chain!r}")
        found.setdefault(chain, []).append(Project(name, segments))
    return {key: tuple(v) for key, v in found.items()}


_EMPLOYER_FIELDS = frozenset(("z", "d", "D"))
_KEYWORD_FIELDS = frozenset(("kw",))
_LEVELS = ("全国", "市级", "区局级", "企业级")
_STATUSES = frozenset(("在职", "退休", "离职", "已故"))
_COLLABORATION_KINDS = ("segment", "chain", "trade", "cross", "any")
_LEDGER_KINDS = frozenset(("活动", "成果", "成员发展"))


def _text_item(node: _Node) -> str:
    return node.text()


def _label_item(node: _Node) -> str:
    return node.text(empty=True)


def _year_gap(node: _Node) -> int:
    if isinstance(node.value, bool) or not isinstance(node.value, int) or node.value < 0:
        raise node.fail(f"expected a whole number of years, found {node.value!r}")
    return node.value


def _one_of(allowed: frozenset[str] | tuple[str, ...]) -> Callable[[_Node], str]:
    def read(node: _Node) -> str:
        value = node.text()
        if value not in allowed:
            raise node.fail(f"{value!r} is not one of {sorted(allowed)}")
        return value

    return read


def _load_draws(file: _File) -> Draws:
    keys = ("districts", "levels", "national_honour_share", "leader_statuses", "founded_gap", "studio_suffixes")
    more = ("collaboration_kinds", "ledger_kinds", "innovation_types", "awards", "employer_notes")
    doc = _document(file, (*keys, *more, "employer_fund_sources"))
    districts = doc["districts"].weights()
    if tuple(d for d, _ in districts) != DISTRICTS:
        raise doc["districts"].fail(f"expected Shanghai's districts in order: {list(DISTRICTS)}")
    levels = doc["levels"].pairs(_one_of(_LEVELS))
    national = {k: n.number(0, 1) for k, n in doc["national_honour_share"].members(_LEVELS).items()}
    kinds = doc["collaboration_kinds"].weights()
    if tuple(k for k, _ in kinds) != _COLLABORATION_KINDS:
        raise doc["collaboration_kinds"].fail(f"expected the kinds {list(_COLLABORATION_KINDS)}, in order")
    ledger = doc["ledger_kinds"].pairs(_one_of(_LEDGER_KINDS))
    if {k for k, _ in ledger} != _LEDGER_KINDS:
        raise doc["ledger_kinds"].fail(f"expected each of {sorted(_LEDGER_KINDS)}")
    return Draws(
        districts=districts,
        levels=levels,
        national_honour_share=national,
        leader_statuses=doc["leader_statuses"].pairs(_one_of(_STATUSES)),
        founded_gap=doc["founded_gap"].pairs(_year_gap),
        studio_suffixes=doc["studio_suffixes"].pairs(_text_item),
        collaboration_kinds=kinds,
        ledger_kinds=ledger,
        innovation_types=doc["innovation_types"].pairs(_text_item),
        awards=doc["awards"].pairs(_label_item),
        employer_notes=doc["employer_notes"].pairs(_label_item),
        employer_fund_sources=doc["employer_fund_sources"].texts(unique=False),
    )


_TITLE_FIELDS = {
    "segment": frozenset(("kw", "seg")),
    "chain": frozenset(("up", "down", "kw")),
    "trade": frozenset(("trade",)),
    "cross": frozenset(("need",)),
    "any": frozenset(),
}


def _load_activities(node: _Node) -> tuple[tuple[str, str], ...]:
    out: list[tuple[str, str]] = []
    for item in node.elements():
        if not isinstance(item.value, list) or len(item.value) != 2:
            raise item.fail("expected [name, content]")
        name, content = (str(_Node(item.file, v, f"{item.path}[{i}]").text()) for i, v in enumerate(item.value))
        _template(name, frozenset(("trade", "kw")), item.fail)
        out.append((name, _template(content, frozenset(("trade", "kw", "k")), item.fail)))
    return tuple(out)


def _load_themes(node: _Node, ref: _Reference) -> tuple[tuple[str, tuple[str, ...]], ...]:
    themes: list[tuple[str, tuple[str, ...]]] = []
    for item in node.elements():
        part = item.members(("theme", "families"))
        for family in part["families"].elements():
            if family.text() not in ref.families:
                raise family.fail(f"{family.value!r} is no trade family of graph/taxonomy/trades.csv")
        themes.append((part["theme"].text(), part["families"].texts()))
    return tuple(themes)


def _load_texts(file: _File, ref: _Reference) -> Texts:
    keys = ("needs", "project_suffixes", "collaboration_titles", "cross_themes", "venues", "activities")
    doc = _document(file, (*keys, "results", "member_steps", "store_record_words"))
    needs = doc["needs"].members(("upstream", "downstream", "peer"))
    titles = doc["collaboration_titles"].members(_COLLABORATION_KINDS)
    words = doc["store_record_words"].texts()
    if len(words) < 4:
        raise doc["store_record_words"].fail("the store records draw four distinct words: list at least four")
    return Texts(
        upstream_needs=_templates(needs["upstream"], frozenset(("seg", "kw"))),
        downstream_needs=_templates(needs["downstream"], frozenset(("seg", "kw"))),
        peer_needs=_templates(needs["peer"], frozenset(("trade",))),
        project_suffixes=doc["project_suffixes"].texts(),
        collaboration_titles={kind: _templates(titles[kind], _TITLE_FIELDS[kind]) for kind in _COLLABORATION_KINDS},
        cross_themes=_load_themes(doc["cross_themes"], ref),
        venues=_templates(doc["venues"], frozenset(("n",))),
        activities=_load_activities(doc["activities"]),
        results=_templates(doc["results"], frozenset(("kw",))),
        member_steps=_templates(doc["member_steps"], frozenset(("p", "trade", "k"))),
        store_record_words=words,
    )


# ================================================================ all of them


def load(directory: Traversable | Path | None = None) -> Tables:
    """Read and check the generator's data files in ``directory`` (default: the ones shipped here).

    Raises
    ------
    SyntheticDataError
        A file is missing or malformed; the message names the file and the line or key.
    """
    root: Traversable = resources.files(__name__) if directory is None else directory
    label = _PACKAGE_LABEL if directory is None else str(directory)
    ref = _Reference.shipped()
    plain, chains, segments, service = _load_settings(_File(root, label, "settings.json"), ref)
    ref = ref.with_plain(plain)
    expertise = _load_expertise(_File(root, label, "expertise.csv"), ref)
    return Tables(
        names=_load_names(_File(root, label, "names.json")),
        trades=_load_trades(root, label, ref),
        plain_settings=plain,
        chains=chains,
        segments=segments,
        service_templates=service,
        employers=_load_employers(_File(root, label, "employers.csv"), ref),
        family_expertise=expertise["family"],
        trade_expertise=expertise["trade"],
        setting_expertise=expertise["setting"],
        needs=_load_needs(_File(root, label, "needs.csv"), ref),
        projects=_load_projects(_File(root, label, "projects.csv"), ref),
        draws=_load_draws(_File(root, label, "draws.json")),
        texts=_load_texts(_File(root, label, "texts.json"), ref),
    )


@cache
def tables() -> Tables:
    """The shipped tables, read and checked once per process."""
    return load()
