"""Problems by kind, and a report that stays short however many there are.

Every problem the readers and the roster builder find carries a stable kind key in
``Problem.extra["kind"]`` (:func:`kinded`); :data:`KINDS` names each kind in English and Chinese.
A :class:`ProblemLog` keeps the first :data:`SHOWN` problems in full and counts all of them by kind
(and by file, so that a file refused whole can take its row problems back), so that a wrong file
of three million rows reports 200 lines and one count, not three million lines.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Any

from graph.errors import Problem

SHOWN = 200
"""Problems a report names in full; the rest are counted by kind."""

OTHER = "other"

KINDS: dict[str, tuple[str, str]] = {
    "limit": ("files over a limit", "超过上限的文件"),
    "file-unreadable": ("files that cannot be read", "无法读取的文件"),
    "encoding": ("text in neither UTF-8 nor GBK", "编码无法识别的文本"),
    "no-header": ("sheets without a header row", "没有表头的工作表"),
    "missing-column": ("required columns missing", "缺少必填列"),
    "duplicate-column": ("two columns of one meaning", "含义重复的列"),
    "no-rows": ("files that yield no rows", "没有数据行的文件"),
    "missing-value": ("required values left empty", "必填项为空"),
    "invalid-value": ("values that cannot be read", "无法识别的值"),
    "inconsistent": ("values that contradict each other", "相互矛盾的值"),
    "duplicate": ("rows that repeat another row", "重复的行"),
    "unknown-reference": ("studios named that are not found", "找不到所指的工作室"),
    "likely-duplicate": ("rows that may be a stored studio", "疑似已登记的工作室"),
    "invalid-record": ("records the model refuses", "数据无效的记录"),
    "near-match": ("values read by a near match", "按近似匹配读取的值"),
    OTHER: ("other problems", "其他问题"),
}
"""Each kind of problem: (English, Chinese) label."""


def kinded(problem: Problem, kind: str) -> Problem:
    """``problem`` with its kind set."""
    return replace(problem, extra={**problem.extra, "kind": kind})


def kind_of(problem: Problem) -> str:
    """A problem's kind, :data:`OTHER` for a problem that names none (a scope check's, say)."""
    kind = problem.extra.get("kind")
    return kind if isinstance(kind, str) and kind in KINDS else OTHER


def kind_counts(counts: Counter[str], shown: Counter[str] | None = None) -> list[dict[str, Any]]:
    """Counts by kind as the reports give them, the commonest first: kind, both labels, how many
    there are and how many of them the report names in full."""
    return [
        {
            "kind": kind,
            "label": KINDS[kind][0],
            "label_zh": KINDS[kind][1],
            "count": n,
            "shown": (shown or counts)[kind],
        }
        for kind, n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    ]


@dataclass
class ProblemLog:
    """The first :data:`SHOWN` problems in full, and how many there are of each kind in each file."""

    shown: int = SHOWN
    first: list[Problem] = field(default_factory=list)
    count: int = 0
    _counts: Counter[tuple[str | None, str]] = field(default_factory=Counter)

    def add(self, problem: Problem) -> None:
        self.count += 1
        self._counts[(problem.file, kind_of(problem))] += 1
        if len(self.first) < self.shown:
            self.first.append(problem)

    def by_kind(self) -> Counter[str]:
        out: Counter[str] = Counter()
        for (_, kind), n in self._counts.items():
            out[kind] += n
        return out

    def counts_of(self, file: str) -> int:
        """How many problems ``file`` has."""
        return sum(n for (where, _), n in self._counts.items() if where == file)

    def forget(self, file: str) -> None:
        """Drop every problem of ``file`` (a file refused whole: its one refusal says it all)."""
        self.first = [p for p in self.first if p.file != file]
        for key in [k for k in self._counts if k[0] == file]:
            self.count -= self._counts.pop(key)
