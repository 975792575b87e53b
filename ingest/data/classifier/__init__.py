"""The industry classifier's lexicon: data files, read and checked once when first used.

Each file names its source and licence in its header (``#`` lines of a CSV, ``source`` and ``licence``
of a JSON file):

- ``terms.csv``: the words that name each GB/T 4754-2017 class's products and services, generated
  from the standard's names and notes by ``build_terms.py`` (term → an industry and a weight);
- ``cues.csv``: curated employer-name and domain cues (words → an industry, segments, trades, weight);
- ``forms.csv``: the words units end their names with to say what kind of unit they are (…医院,
  …中学, …研究所 + its field), with the class each kind belongs to;
- ``groups.csv``: central and Shanghai state-owned groups, their bureaus and subsidiaries (中铁X局,
  中交X航局, 宝武, 上汽 …), with the class of the business each is known for;
- ``keyword_weights.csv``: chain-segment keywords that say little alone, with their lower weight;
- ``places.csv``: the provinces, prefectures and counties a registered name starts with (北京, 宁波,
  江阴市), generated from the administrative divisions by ``build_places.py``;
- ``defaults.json``: terms never matched, the class a division or group stands for, class → segment
  pairs a class alone does not imply, the segment a class implies first, and the filler words a
  registered name puts between its trade words and its legal form (科技, 实业, 控股 …), the common
  surnames that start a studio leader's name, and the national prefixes a name may start with (中国,
  国家), read past like a place.

A file that breaks its format (an unknown or missing column, a code no taxonomy holds, a weight out of
range) raises :class:`LexiconError` naming the file and line, when the lexicon is loaded; nothing is
half-loaded. Codes are checked against the shipped taxonomies (``graph.taxonomy``): a classifier built
on a smaller taxonomy drops the targets it does not hold, but a code that exists nowhere is a typo.
"""

from __future__ import annotations

import csv
import json
import math
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path
from typing import Any, NamedTuple

from graph import taxonomy
from graph.errors import ConfigurationError

__all__ = ["Cue", "Form", "Group", "Lexicon", "LexiconError", "Term", "lexicon", "load"]

MAX_WEIGHT = 3.0
_PACKAGE_LABEL = "ingest/data/classifier"


class LexiconError(ConfigurationError):
    """A lexicon data file is malformed; the message names the file and the line (or JSON key)."""


@dataclass(frozen=True)
class Cue:
    """Words and what they point at: an industry code ("" for none), segment ids, trade codes."""

    words: tuple[str, ...]
    industry: str
    segments: tuple[str, ...]
    trades: tuple[str, ...]
    weight: float


@dataclass(frozen=True)
class Term:
    """A word that names a product or service of an industry code, with what it says for it."""

    term: str
    industry: str
    weight: float


@dataclass(frozen=True)
class Form:
    """Unit-kind words (医院 …) and the class they give, when one of ``qualifiers`` (if any) precedes them."""

    forms: tuple[str, ...]
    qualifiers: tuple[str, ...]
    industry: str
    weight: float


@dataclass(frozen=True)
class Group:
    """Names of a group, its bureaus or subsidiaries, and the class of its business."""

    names: tuple[str, ...]
    industry: str
    weight: float
    note: str


@dataclass(frozen=True)
class Lexicon:
    """Everything the classifier reads from its data files, validated."""

    terms: tuple[Term, ...]
    cues: tuple[Cue, ...]
    forms: tuple[Form, ...]
    groups: tuple[Group, ...]
    keyword_weights: Mapping[str, float]
    stop_terms: frozenset[str]
    default_class: Mapping[str, str]
    no_link: frozenset[tuple[str, str]]
    preferred_segment: Mapping[str, str]
    places: Mapping[str, str]
    name_fillers: frozenset[str]
    surnames: frozenset[str]
    national_prefixes: frozenset[str]


@dataclass(frozen=True)
class _Reference:
    """The codes a lexicon may name: those of the shipped taxonomies."""

    industries: frozenset[str]
    classes: frozenset[str]
    trades: frozenset[str]
    segments: frozenset[str]
    keywords: frozenset[str]

    @classmethod
    def shipped(cls) -> _Reference:
        industries = taxonomy.industries()
        return cls(
            industries=frozenset(i.code for i in industries),
            classes=frozenset(i.code for i in industries if i.level.value == "class"),
            trades=frozenset(t.code for t in taxonomy.trades()),
            segments=frozenset(s.id for s in taxonomy.segments()),
            keywords=frozenset(k.lower() for s in taxonomy.segments() for k in s.keywords),
        )


_Fail = Callable[[str], LexiconError]


class _Where:
    """A place in a data file, for error messages."""

    def __init__(self, label: str, name: str) -> None:
        self.file = f"{label}/{name}"

    def fail(self, where: str, message: str) -> LexiconError:
        return LexiconError(f"{self.file}, {where}: {message}")


def _rows(root: Traversable, label: str, name: str, columns: tuple[str, ...]) -> Iterator[tuple[str, dict[str, str]]]:
    """(``"line N"``, row) for each data line of a CSV whose header must be exactly ``columns``."""
    here = _Where(label, name)
    path = root.joinpath(name)
    if not path.is_file():
        raise LexiconError(f"{here.file}: the file is missing")
    lines = path.read_text(encoding="utf-8").splitlines()
    if not any(line.startswith("# Source:") for line in lines):
        raise here.fail("header", "no '# Source:' line names where the data comes from")
    header: list[str] | None = None
    for number, line in enumerate(lines, start=1):
        if line.startswith("#") or not line.strip():
            continue
        values = next(csv.reader([line]))
        if header is None:
            unknown = [c for c in values if c not in columns]
            missing = [c for c in columns if c not in values]
            if unknown or missing:
                raise here.fail(
                    f"line {number}", f"header {values}: unknown columns {unknown}, missing columns {missing}"
                )
            header = values
            continue
        if len(values) != len(header):
            raise here.fail(f"line {number}", f"{len(values)} values for {len(header)} columns")
        yield f"line {number}", {c: v.strip() for c, v in zip(header, values, strict=True)}
    if header is None:
        raise here.fail("header", "no header line")


def _weight(text: str, fail: _Fail, *, default: float | None = None) -> float:
    if not text and default is not None:
        return default
    try:
        value = float(text)
    except ValueError:
        raise fail(f"weight {text!r} is not a number") from None
    if not (math.isfinite(value) and 0.0 < value <= MAX_WEIGHT):
        raise fail(f"weight {value} is not in (0, {MAX_WEIGHT:g}]")
    return value


_INDUSTRY_CODE = re.compile(r"\d{2,4}")


def _industry(code: str, ref: _Reference, fail: _Fail) -> str:
    if not _INDUSTRY_CODE.fullmatch(code) or code not in ref.industries:
        raise fail(f"industry {code!r} is not a GB/T 4754-2017 division, group or class of industries.csv")
    return code


def _load_cues(root: Traversable, label: str, ref: _Reference) -> tuple[Cue, ...]:
    here = _Where(label, "cues.csv")
    cues: list[Cue] = []
    for where, row in _rows(root, label, "cues.csv", ("words", "industry", "segments", "trades", "weight")):

        def fail(message: str, where: str = where) -> LexiconError:
            return here.fail(where, message)

        words = tuple(row["words"].split())
        if not words:
            raise fail("no words")
        industry = _industry(row["industry"], ref, fail) if row["industry"] else ""
        segments = tuple(row["segments"].split())
        trades = tuple(row["trades"].split())
        for sid in segments:
            if sid not in ref.segments:
                raise fail(f"segment {sid!r} is not in chains.json")
        for code in trades:
            if code not in ref.trades:
                raise fail(f"trade {code!r} is not in trades.csv")
        if not (industry or segments or trades):
            raise fail("the cue points at nothing (no industry, segment or trade)")
        cues.append(Cue(words, industry, segments, trades, _weight(row["weight"], fail, default=1.0)))
    return tuple(cues)


def _load_terms(root: Traversable, label: str, ref: _Reference) -> tuple[Term, ...]:
    here = _Where(label, "terms.csv")
    seen: set[tuple[str, str]] = set()
    terms: list[Term] = []
    for where, row in _rows(root, label, "terms.csv", ("term", "industry", "weight")):

        def fail(message: str, where: str = where) -> LexiconError:
            return here.fail(where, message)

        term = row["term"]
        if len(term) < 2 or " " in term:
            raise fail(f"term {term!r} is not one word of at least two characters")
        industry = _industry(row["industry"], ref, fail)
        if (term, industry) in seen:
            raise fail(f"{term!r} → {industry} is listed twice")
        seen.add((term, industry))
        terms.append(Term(term, industry, _weight(row["weight"], fail)))
    return tuple(terms)


def _load_forms(root: Traversable, label: str, ref: _Reference) -> tuple[Form, ...]:
    here = _Where(label, "forms.csv")
    forms: list[Form] = []
    defaults: set[str] = set()
    for where, row in _rows(root, label, "forms.csv", ("forms", "qualifiers", "industry", "weight")):

        def fail(message: str, where: str = where) -> LexiconError:
            return here.fail(where, message)

        words = tuple(row["forms"].split())
        if not words:
            raise fail("no forms")
        qualifiers = tuple(row["qualifiers"].split())
        if not qualifiers:
            twice = sorted(defaults.intersection(words))
            if twice:
                raise fail(f"forms {twice} already have a row without qualifiers")
            defaults.update(words)
        forms.append(Form(words, qualifiers, _industry(row["industry"], ref, fail), _weight(row["weight"], fail)))
    return tuple(forms)


_NUMERALS = "一二三四五六七八九十"
_RANGE = re.compile(r"\{(\d+)-(\d+)\}")


def _numeral(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 25 → 二十五 (up to 99)."""
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else "十" if tens == 1 else _NUMERALS[tens - 1] + "十"
    return head + (_NUMERALS[ones - 1] if ones else "")


def _expand(name: str, fail: _Fail) -> list[str]:
    found = _RANGE.search(name)
    if found is None:
        if "{" in name or "}" in name:
            raise fail(f"{name!r}: a range is written {{1-25}}")
        return [name]
    low, high = int(found[1]), int(found[2])
    if not 1 <= low <= high <= 99:
        raise fail(f"{name!r}: range {low}-{high} is not within 1-99")
    return [
        expanded
        for n in range(low, high + 1)
        for expanded in _expand(name[: found.start()] + _numeral(n) + name[found.end() :], fail)
    ]


def _load_groups(root: Traversable, label: str, ref: _Reference) -> tuple[Group, ...]:
    here = _Where(label, "groups.csv")
    groups: list[Group] = []
    for where, row in _rows(root, label, "groups.csv", ("names", "industry", "weight", "note")):

        def fail(message: str, where: str = where) -> LexiconError:
            return here.fail(where, message)

        names = tuple(n for name in row["names"].split() for n in _expand(name, fail))
        if not names:
            raise fail("no names")
        if not row["note"]:
            raise fail("no note naming the group")
        groups.append(Group(names, _industry(row["industry"], ref, fail), _weight(row["weight"], fail), row["note"]))
    return tuple(groups)


def _load_keyword_weights(root: Traversable, label: str, ref: _Reference) -> dict[str, float]:
    here = _Where(label, "keyword_weights.csv")
    out: dict[str, float] = {}
    for where, row in _rows(root, label, "keyword_weights.csv", ("keyword", "weight")):

        def fail(message: str, where: str = where) -> LexiconError:
            return here.fail(where, message)

        keyword = row["keyword"]
        if keyword.lower() not in ref.keywords:
            raise fail(f"{keyword!r} is no segment keyword of chains.json")
        if keyword in out:
            raise fail(f"{keyword!r} is listed twice")
        out[keyword] = _weight(row["weight"], fail)
    return out


_PLACE_LEVELS = frozenset(("province", "prefecture", "county"))
_CJK = re.compile(r"[\u4e00-\u9fff]{2,}")


def _load_places(root: Traversable, label: str) -> dict[str, str]:
    here = _Where(label, "places.csv")
    out: dict[str, str] = {}
    for where, row in _rows(root, label, "places.csv", ("name", "level")):
        name, level = row["name"], row["level"]
        if not _CJK.fullmatch(name):
            raise here.fail(where, f"place {name!r} is not a word of at least two Chinese characters")
        if level not in _PLACE_LEVELS:
            raise here.fail(where, f"level {level!r} is not one of {sorted(_PLACE_LEVELS)}")
        if name in out:
            raise here.fail(where, f"{name!r} is listed twice")
        out[name] = level
    return out


def _section(doc: dict[str, Any], key: str, inner: str, kind: type, here: _Where) -> Any:
    part = doc.get(key)
    if not isinstance(part, dict) or set(part) != {"about", inner} or not isinstance(part[inner], kind):
        raise here.fail(key, f'expected {{"about": ..., "{inner}": {kind.__name__}}}')
    return part[inner]


class _Defaults(NamedTuple):
    stop_terms: frozenset[str]
    default_class: dict[str, str]
    no_link: frozenset[tuple[str, str]]
    preferred_segment: dict[str, str]
    name_fillers: frozenset[str]
    surnames: frozenset[str]
    national_prefixes: frozenset[str]


def _load_defaults(root: Traversable, label: str, ref: _Reference) -> _Defaults:
    """defaults.json, every section checked in turn (the module's notes say what each holds)."""
    here = _Where(label, "defaults.json")
    doc = _defaults_document(root, here)
    terms = _section(doc, "stop_terms", "terms", list, here)
    if not all(isinstance(t, str) and t.strip() for t in terms):
        raise here.fail("stop_terms", "every term must be a non-empty string")
    default_class = _default_classes(doc, ref, here)
    no_link = _no_links(doc, ref, here)
    preferred = _preferred_segments(doc, ref, here)
    fillers = _words(doc, "name_fillers", here)
    surnames = _section(doc, "surnames", "characters", list, here)
    if not all(isinstance(c, str) and len(c) == 1 for c in surnames):
        raise here.fail("surnames", "every surname must be one character")
    national = _words(doc, "national_prefixes", here)
    return _Defaults(
        frozenset(terms),
        default_class,
        frozenset(no_link),
        preferred,
        frozenset(fillers),
        frozenset(surnames),
        frozenset(national),
    )


_DEFAULTS_KEYS = {
    "source",
    "licence",
    "stop_terms",
    "default_class",
    "no_link",
    "preferred_segment",
    "name_fillers",
    "surnames",
    "national_prefixes",
}
"""The top-level keys of defaults.json, every one required."""


def _defaults_document(root: Traversable, here: _Where) -> dict[str, Any]:
    """defaults.json parsed, with exactly its keys and its source and licence named."""
    path = root.joinpath("defaults.json")
    if not path.is_file():
        raise LexiconError(f"{here.file}: the file is missing")
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as err:
        raise here.fail(f"line {err.lineno}", err.msg) from None
    if not isinstance(doc, dict) or set(doc) != _DEFAULTS_KEYS:
        keys = sorted(doc) if isinstance(doc, dict) else type(doc).__name__
        raise here.fail("top level", f"keys {keys}, expected {sorted(_DEFAULTS_KEYS)}")
    for key in ("source", "licence"):
        if not isinstance(doc[key], str) or not doc[key].strip():
            raise here.fail(key, "must name the data's source and licence")
    return doc


def _default_classes(doc: dict[str, Any], ref: _Reference, here: _Where) -> dict[str, str]:
    """``default_class``: the class each division or group stands for, which must lie in it."""
    default_class: dict[str, str] = {}
    for code, cls in _section(doc, "default_class", "classes", dict, here).items():

        def fail(message: str, code: str = code) -> LexiconError:
            return here.fail(f"default_class[{code!r}]", message)

        _industry(code, ref, fail)
        if not isinstance(cls, str) or cls not in ref.classes or not cls.startswith(code) or len(code) == 4:
            raise fail(f"{cls!r} is not a class of {code}")
        default_class[code] = cls
    return default_class


def _no_links(doc: dict[str, Any], ref: _Reference, here: _Where) -> set[tuple[str, str]]:
    """``no_link``: the (class, segment) pairs a class alone does not imply."""
    no_link: set[tuple[str, str]] = set()
    for i, pair in enumerate(_section(doc, "no_link", "pairs", list, here)):
        parts = pair.split() if isinstance(pair, str) else []
        if len(parts) != 2 or parts[0] not in ref.classes or parts[1] not in ref.segments:
            raise here.fail(f"no_link[{i}]", f"{pair!r} is not 'class segment' with a known class and segment")
        no_link.add((parts[0], parts[1]))
    return no_link


def _preferred_segments(doc: dict[str, Any], ref: _Reference, here: _Where) -> dict[str, str]:
    """``preferred_segment``: the segment a class implies first."""
    preferred: dict[str, str] = {}
    for code, sid in _section(doc, "preferred_segment", "segments", dict, here).items():
        if code not in ref.classes or not isinstance(sid, str) or sid not in ref.segments:
            raise here.fail(f"preferred_segment[{code!r}]", f"{code!r} → {sid!r} is not a known class and segment")
        preferred[code] = sid
    return preferred


def _words(doc: dict[str, Any], key: str, here: _Where) -> list[str]:
    """The ``words`` of section ``key`` (``name_fillers``, ``national_prefixes``), each of two
    characters or more."""
    words: list[str] = _section(doc, key, "words", list, here)
    if not all(isinstance(w, str) and len(w.strip()) >= 2 for w in words):
        raise here.fail(key, "every word must be a string of at least two characters")
    return words


def load(directory: Traversable | Path | None = None) -> Lexicon:
    """Read and check the lexicon files in ``directory`` (default: the ones shipped here).

    Raises
    ------
    LexiconError
        A file is missing or malformed; the message names the file and the line or key.
    """
    root: Traversable = resources.files(__name__) if directory is None else directory
    label = _PACKAGE_LABEL if directory is None else str(directory)
    ref = _Reference.shipped()
    defaults = _load_defaults(root, label, ref)
    return Lexicon(
        terms=_load_terms(root, label, ref),
        cues=_load_cues(root, label, ref),
        forms=_load_forms(root, label, ref),
        groups=_load_groups(root, label, ref),
        keyword_weights=_load_keyword_weights(root, label, ref),
        stop_terms=defaults.stop_terms,
        default_class=defaults.default_class,
        no_link=defaults.no_link,
        preferred_segment=defaults.preferred_segment,
        places=_load_places(root, label),
        name_fillers=defaults.name_fillers,
        surnames=defaults.surnames,
        national_prefixes=defaults.national_prefixes,
    )


@cache
def lexicon() -> Lexicon:
    """The shipped lexicon, loaded once."""
    return load()
