"""``ingest``: files in, one all-or-nothing write out.

1. read every sheet of every file (streamed), turning rows into records and collecting every problem;
2. recognise studios already stored under another id (the same studio in next year's list), and
   resolve what collaborations and alliances name, against the files and the store;
3. if anything is wrong, stop: nothing is written, and the report names the first problems
   (:data:`ingest.problems.SHOWN`) and counts all of them by kind (a studio row that may be a
   stored studio is one, unless ``accept_new``); warnings (a trade read by a near match …) are
   reported the same way, and never stop the write. A file over a limit (:mod:`ingest.limits`) is
   one problem, whatever its rows said before it was refused; a file that yields no rows says why;
4. otherwise write the reference taxonomies and the records in one :meth:`BaseStore.write`
   (one transaction), or, with ``dry_run``, only compute what would change.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graph import taxonomy
from graph.errors import Problem, ValidationError
from graph.model import Record
from graph.store import BaseStore, GraphBatch, KindSummary

from . import normalise as norm
from .limits import LimitExceeded, Limits
from .problems import ProblemLog, kind_counts, kind_of
from .readers import read_file
from .roster import LikelyDuplicate, RosterBuilder


@dataclass
class IngestReport:
    """What an ingest read, what it found wrong, and what it wrote (or would write)."""

    files: list[str]
    dry_run: bool
    rows: dict[str, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    """The first problems, in full (at most :data:`ingest.problems.SHOWN`)."""
    problem_count: int = 0
    problem_kinds: Counter[str] = field(default_factory=Counter)
    """How many problems of each kind, all of them (empty: count ``problems``)."""
    warnings: list[Problem] = field(default_factory=list)
    """What loaded but a person should see; never stops the write."""
    warning_count: int = 0
    warning_kinds: Counter[str] = field(default_factory=Counter)
    likely_duplicates: list[LikelyDuplicate] = field(default_factory=list)
    """Rows that may be studios already stored (written as new only with ``accept_new``)."""
    kinds: dict[str, KindSummary] = field(default_factory=dict)
    inferred: int = 0
    written: bool = False

    @property
    def ok(self) -> bool:
        return self.problem_count == 0

    def to_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "dry_run": self.dry_run,
            "written": self.written,
            "files": self.files,
            "rows": self.rows,
            "inferred": self.inferred,
            "problem_count": self.problem_count,
            "problems": [_problem_json(p) for p in self.problems],
            "problem_kinds": _kinds_json(self.problem_kinds, self.problems),
            "warning_count": self.warning_count,
            "warnings": [_problem_json(p) for p in self.warnings],
            "warning_kinds": _kinds_json(self.warning_kinds, self.warnings),
            "likely_duplicates": [d.to_json() for d in self.likely_duplicates],
            "kinds": {k: vars(v) for k, v in self.kinds.items()},
        }

    def refuse(self, problems: list[Problem]) -> None:
        """Replace the report's problems by ``problems`` (a check that refused the whole batch)."""
        log = ProblemLog()
        for problem in problems:
            log.add(problem)
        self.problems, self.problem_count, self.problem_kinds = log.first, log.count, log.by_kind()


def _kinds_json(counts: Counter[str], shown: list[Problem]) -> list[dict[str, Any]]:
    """Counts by kind (all problems), each with how many of them are shown in full."""
    named = Counter(kind_of(p) for p in shown)
    return kind_counts(counts or named, named)


def _problem_json(p: Problem) -> dict[str, Any]:
    return {
        "kind": kind_of(p),
        "file": p.file,
        "sheet": p.sheet,
        "row": p.row,
        "column": p.column,
        "value": p.value,
        "message": p.message,
        "message_zh": p.message_zh,
    }


def default_classifier() -> Callable[[list[dict[str, str]]], list[Any]]:
    from .classify import Classifier

    return Classifier().classify_many


def _read_into(builder: RosterBuilder, files: list[str], limits: Limits | None) -> None:
    """Every sheet of every file into ``builder``; a file that cannot be read adds its problems,
    one over a limit only that refusal, and one that yields no rows says so."""
    for path in files:
        rows = 0
        try:
            for sheet in read_file(Path(path), limits):
                rows += builder.add(sheet)
        except LimitExceeded as exc:
            builder.forget(path)
            builder.report(exc.problems[0])
        except ValidationError as exc:
            for problem in exc.problems:
                builder.report(problem)
        else:
            if rows == 0:
                builder.report(
                    Problem(
                        "no rows: the header is there, but every row below it is empty",
                        "没有数据行：表头之下的每一行都是空的",
                        file=path,
                        extra={"kind": "no-rows"},
                    )
                )


def _note_findings(report: IngestReport, builder: RosterBuilder) -> None:
    """What the builder found (rows read, inferred classes, problems, warnings, likely duplicates)
    into ``report``."""
    report.rows = builder.rows_read
    report.inferred = builder.inferred
    report.problems = builder.problem_log.first
    report.problem_count = builder.problem_log.count
    report.problem_kinds = builder.problem_log.by_kind()
    report.warnings = builder.warning_log.first
    report.warning_count = builder.warning_log.count
    report.warning_kinds = builder.warning_log.by_kind()
    report.likely_duplicates = builder.likely_duplicates


def ingest(
    paths: Iterable[str | Path],
    store: BaseStore,
    *,
    dry_run: bool = False,
    classify: bool = True,
    accept_new: bool = False,
    on_row: Callable[[], None] | None = None,
    on_phase: Callable[[str], None] | None = None,
    reference: norm.Reference | None = None,
    check: Callable[[GraphBatch], list[Problem]] | None = None,
    also: Callable[[GraphBatch], Iterable[Record]] | None = None,
    limits: Limits | None = None,
) -> IngestReport:
    """Validate ``paths`` and write them to ``store`` all or nothing; see the module docs.

    Returns the report; never raises for bad input (the problems are in the report), but store
    errors (:class:`graph.errors.StoreUnavailable` …) propagate. ``on_row`` is called for every row
    read and ``on_phase`` with "resolving" and "writing" as the work moves on (for progress bars).
    ``check`` sees the finished batch before anything is written; the problems it returns (a caller
    outside its scope, say) fail the ingest like any other, with nothing written; ``also(batch)``
    gives records written in the same write (the audit entry of the load). ``accept_new``
    writes rows that may be stored studios (``report.likely_duplicates``) as new studios instead of
    refusing the ingest. Each file is read within ``limits`` (``None``: the settings,
    :meth:`ingest.limits.Limits.from_env`).
    """
    phase = on_phase or (lambda _: None)
    files = [str(p) for p in paths]
    limits = limits or Limits.from_env()
    report = IngestReport(files=files, dry_run=dry_run)
    builder = RosterBuilder(
        store,
        reference=reference or norm.Reference(),
        classify=default_classifier() if classify else None,
        on_row=on_row,
        accept_new=accept_new,
    )
    _read_into(builder, files, limits)
    phase("resolving")
    batch = builder.finish() if builder.problem_count == 0 else None
    _note_findings(report, builder)
    if batch is None or builder.problem_count:
        return report
    if check is not None:
        refused = check(batch)
        if refused:
            report.refuse(refused)
            return report
    if also is not None:
        batch.add(also(batch))
    batch.add(taxonomy.reference_records())
    phase("writing")
    try:
        summary = store.write(batch, dry_run=dry_run)
    except ValidationError as exc:  # a reference the builder did not foresee: still nothing written
        report.refuse(exc.problems)
        return report
    report.kinds = summary.kinds
    report.written = not dry_run
    return report
