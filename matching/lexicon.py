"""The domain lexicon behind the text model: which words are kept whole, which surface terms mean the
same thing, which words say little, and the reference texts that tell a specific word from a common
one — all from data that ships with the product (nothing is downloaded).

- **Domain words** (kept whole when texts are segmented): the names and aliases of the 2022 national
  occupation classification (:func:`graph.taxonomy.occupations`) and of the curated trades, the
  GB/T 4754-2017 industry names split into their parts, the chain segments' names and keywords, and
  every term of the concept table.
- **Concepts** (``data/concepts.csv``, ``data/concepts-problems.csv``, ``data/concepts-fields.csv``,
  ``data/concepts-needs.csv`` and ``data/concepts-operations.csv``): groups of surface terms a clerk
  writes for one technical thing (机器视觉 ≈ 视觉检测 ≈ 图像识别), or for one problem as a need
  states it (中暑 ≈ 高温作业), and the concepts related to each (焊缝跟踪 ~ 焊接; 中暑 ~ 防暑降温:
  a problem's related concepts are what answers it). The fourth file bridges a need's problem
  language to an expertise's capability language (电费高 ~ 能量回馈; 机柜散热 ~ 风道设计); the
  fifth bridges everyday operational problems to the technologies and services that answer them
  (设备丢失 ~ 资产定位; 丝状菌 ~ 活性污泥镜检).
- **Generic words** (``data/generic_words.csv``): words that say little about what a studio does or
  needs (改造, 优化, 提升, 需要, 系统, 智能 …), each with a weight factor in [0, 1].
- **Reference documents**: one text per occupation (name, aliases, definition, tasks), per industry
  class and per chain segment. Their document frequencies give a term's specificity before a store
  has enough studios of its own (see :class:`matching.terms.TermModel`).

The data files are validated on load; a bad line is a :class:`graph.errors.ConfigurationError`
naming the file and line.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources

from graph import taxonomy
from graph.errors import ConfigurationError

_SPLIT = re.compile(r"[、，,；;/（）()和及与]+")
_SUFFIXES = ("制造", "加工", "生产", "服务", "管理", "工程技术人员", "技术人员", "人员", "工程师")
_TERM = re.compile(r"^[\u3400-\u9fffa-z0-9+#.\-]{2,12}$")


def normalise(text: str) -> str:
    """NFKC (full-width → half-width, compatibility characters) and lower-case Latin."""
    return unicodedata.normalize("NFKC", text).lower()


@dataclass(frozen=True, eq=False)
class Lexicon:
    """Everything the text model knows before it sees a studio (see the module docs)."""

    words: frozenset[str]
    """Domain words kept whole by segmentation."""
    concept_of: dict[str, str]
    """Surface term → concept id."""
    related: dict[str, frozenset[str]]
    """Concept id → the concepts related to it (symmetric)."""
    generic: dict[str, float]
    """Word → weight factor in [0, 1] (absent: 1)."""
    reference: tuple[str, ...]
    """Reference documents: one per occupation, industry class and chain segment."""
    occupations: tuple[tuple[str, str], ...] = ()
    """``(name, text)`` of each occupation of the 2022 classification that has a definition or
    tasks: its name, aliases, definition and tasks (:mod:`matching.occupations`)."""

    @classmethod
    def default(cls) -> Lexicon:
        """The lexicon built from the shipped taxonomies and data files (built once per process)."""
        return _default()

    @property
    def longest(self) -> int:
        return max((len(w) for w in self.words), default=0)


def _data(name: str) -> str:
    return resources.files("matching").joinpath("data", name).read_text(encoding="utf-8")


def _rows(name: str, header: tuple[str, ...]) -> Iterable[tuple[int, dict[str, str]]]:
    text = _data(name)
    lines = text.splitlines()
    body = [(n, line) for n, line in enumerate(lines, start=1) if line.strip() and not line.startswith("#")]
    if not body:
        raise ConfigurationError(f"matching/data/{name}: no rows")
    first_line, first = body[0]
    got = tuple(next(csv.reader([first])))
    if got != header:
        raise ConfigurationError(f"matching/data/{name}, line {first_line}: header {got}, expected {header}")
    for number, line in body[1:]:
        values = next(csv.reader(io.StringIO(line)))
        if len(values) != len(header):
            raise ConfigurationError(
                f"matching/data/{name}, line {number}: {len(values)} columns, expected {len(header)}"
            )
        yield number, dict(zip(header, values, strict=True))


CONCEPT_FILES = (
    "concepts.csv",
    "concepts-problems.csv",
    "concepts-fields.csv",
    "concepts-needs.csv",
    "concepts-operations.csv",
    "concepts-bridges-industry.csv",
    "concepts-bridges-services.csv",
    "concepts-bridges-digital.csv",
)
"""The concept tables: technical fields, the words of problems as needs state them (each problem's
``related`` concepts are what answers it), and bridges from a need's problem language to an
expertise's capability language, and from everyday operational problems to the technologies and
services that answer them."""


def load_concepts() -> tuple[dict[str, str], dict[str, frozenset[str]]]:
    """The concept tables as (term → concept, concept → related concepts), validated: a term in one
    concept only, across the files; every related concept declared in one of them."""
    concept_of: dict[str, str] = {}
    declared: dict[str, tuple[str, int, list[str]]] = {}
    for name in CONCEPT_FILES:
        for number, row in _rows(name, ("concept", "terms", "related")):
            where = f"matching/data/{name}, line {number}"
            concept = normalise(row["concept"].strip())
            if not concept or concept in declared:
                raise ConfigurationError(f"{where}: empty or repeated concept {concept!r}")
            terms = [normalise(t.strip()) for t in row["terms"].split(";") if t.strip()]
            for term in {concept, *terms}:
                if not _TERM.match(term):
                    raise ConfigurationError(f"{where}: {term!r} is not a term")
                if concept_of.get(term, concept) != concept:
                    raise ConfigurationError(f"{where}: {term!r} is in {concept_of[term]!r} already")
                concept_of[term] = concept
            declared[concept] = (where, number, [normalise(r.strip()) for r in row["related"].split(";") if r.strip()])
    related: dict[str, set[str]] = {c: set() for c in declared}
    for concept, (where, _, others) in declared.items():
        for other in others:
            if other not in declared:
                raise ConfigurationError(f"{where}: related {other!r} is no concept")
            if other != concept:
                related[concept].add(other)
                related[other].add(concept)
    return concept_of, {c: frozenset(r) for c, r in related.items()}


def load_generic() -> dict[str, float]:
    """``data/generic_words.csv`` as word → weight factor, validated."""
    out: dict[str, float] = {}
    for number, row in _rows("generic_words.csv", ("word", "weight")):
        word = normalise(row["word"].strip())
        try:
            weight = float(row["weight"])
        except ValueError:
            weight = -1.0
        if not word or not 0.0 <= weight <= 1.0 or word in out:
            raise ConfigurationError(
                f"matching/data/generic_words.csv, line {number}: {row['word']!r} needs a weight in [0, 1], once"
            )
        out[word] = weight
    return out


def _parts(name: str) -> list[str]:
    """A taxonomy name and its parts (集成电路制造 → 集成电路制造, 集成电路)."""
    name = normalise(name)
    out = [name]
    for piece in _SPLIT.split(name):
        piece = piece.strip()
        for suffix in _SUFFIXES:
            if piece.endswith(suffix) and len(piece) - len(suffix) >= 2:
                out.append(piece[: -len(suffix)])
        out.append(piece)
    return [p for p in out if 2 <= len(p) <= 12 and not p.startswith("其他")]


@cache
def _default() -> Lexicon:
    concept_of, related = load_concepts()
    generic = load_generic()
    words: set[str] = set(concept_of)
    reference: list[str] = []
    occupations: list[tuple[str, str]] = []
    for o in taxonomy.occupations():
        if o.level != "occupation":
            continue
        for name in (o.name, *o.aliases):
            words.update(_parts(name))
        reference.append(normalise("；".join((o.name, *o.aliases, o.definition, o.tasks))))
        if o.definition or o.tasks:
            occupations.append((o.name, reference[-1]))
    for t in taxonomy.trades():
        for name in (t.name, *t.aliases):
            words.update(_parts(name))
    for i in taxonomy.industries():
        words.update(_parts(i.name))
        reference.append(normalise(i.name))
    for s in taxonomy.segments():
        for name in (s.name, *s.keywords):
            words.update(_parts(name))
        reference.append(normalise("；".join((s.name, *s.keywords))))
    words -= {w for w, weight in generic.items() if weight < 0.5}
    return Lexicon(
        words=frozenset(w for w in words if _TERM.match(w)),
        concept_of=concept_of,
        related=related,
        generic=generic,
        reference=tuple(reference),
        occupations=tuple(occupations),
    )
