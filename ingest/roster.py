"""Building domain records from the rows of a roster, with every problem located by file, sheet,
row and column.

A studio row gives a ``Studio``, its ``ModelWorker`` (leader, when the row names one: a studio
named after a team or unit may have none), ``Employer`` and ``Union``. Ids are stable: the ``编号``
column when given, otherwise derived from the folded name and employer, so the same row ingested
twice (or typed with full-width characters the second time) is the same studio; a row without
``编号`` that names a stored studio under another id (next year's list, a renamed employer) is
recognised as that studio (:meth:`RosterBuilder._recognise_stored`). Columns a sheet does not have
leave the stored values as they were, so a bare naming list never wipes the expertise a richer
roster gave before.

A ledger row (台帐, Article 8) gives a ``LedgerEntry`` and a funding row (经费, Article 10) a
``Funding``; both name their studio by id or exact name, resolved like collaborations. Their ids are
the ``编号`` column, or derived from the resolved studio id and the row's identifying values, so the
same row ingested twice is the same record.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from graph.errors import Problem
from graph.model import (
    Alliance,
    AllianceStatus,
    Collaboration,
    Employer,
    Funding,
    LedgerEntry,
    ModelWorker,
    Project,
    Record,
    Studio,
    Trade,
    Union,
    UnionKind,
    WorkerStatus,
    this_year,
)
from graph.store import BaseStore, GraphBatch

from . import normalise as norm
from .columns import SheetKind
from .problems import ProblemLog
from .readers import Sheet
from .text import fold, key, split_list, split_trades

MUNICIPAL_UNION = Union(id="un-shanghai", name="上海市总工会", kind=UnionKind.MUNICIPAL)
"""The Shanghai Federation of Trade Unions: every district and industry union is part of it."""


def derive_id(prefix: str, *parts: str) -> str:
    """A stable id from folded parts: ``derive_id("st", "李斌劳模创新工作室", "上海电气")``."""
    digest = hashlib.sha1("|".join(key(p) for p in parts).encode("utf-8"), usedforsecurity=False).hexdigest()
    return f"{prefix}-{digest[:12]}"


@dataclass
class _Where:
    file: str
    sheet: str | None
    row: int
    headers: dict[str, str]

    def problem(self, column: str | None, value: Any, message: str, message_zh: str, *, kind: str) -> Problem:
        """A problem here, of ``kind`` (a key of :data:`ingest.problems.KINDS`)."""
        shown = self.headers.get(column, column) if column else None
        return Problem(message, message_zh, file=self.file, sheet=self.sheet, row=self.row, column=shown, value=value,
                       extra={"kind": kind})  # fmt: skip

    def describe(self) -> str:
        return f"{self.sheet + ' ' if self.sheet else ''}row {self.row}"

    def describe_zh(self) -> str:
        return f"{self.sheet or ''}第 {self.row} 行"


@dataclass
class _StudioRow:
    studio: dict[str, Any]
    present: frozenset[str]
    where: _Where
    given_id: bool
    """The row gave its 编号 (else the id is derived from the name and employer)."""
    leader: str
    employer: str


class _LeaderFacts(NamedTuple):
    honours: tuple[str, ...]
    status: WorkerStatus | None
    status_year: int | None


@dataclass(frozen=True)
class LikelyDuplicate:
    """A studio row that may be a studio already stored, for a person to confirm (written as a new
    studio only with ``accept_new``)."""

    file: str
    sheet: str | None
    row: int
    name: str
    stored_id: str
    stored_name: str
    stored_employer: str
    why: str
    why_zh: str

    def to_json(self) -> dict[str, Any]:
        return dict(vars(self))


@dataclass
class _RefRow:
    data: dict[str, Any]
    refs: dict[str, list[str]]
    where: _Where


@dataclass
class RosterBuilder:
    """Collects records and problems from sheets, then resolves references against the store.

    Parameters
    ----------
    store:
        Read (never written) to merge with stored studios and to resolve studios that
        collaborations and alliances name but the file does not hold.
    reference:
        The taxonomies trades, industries and segments are resolved against.
    classify:
        Proposes industry, trades and segments for studios whose row has none (see
        :mod:`ingest.classify`); ``None`` turns classification off.
    accept_new:
        Write studio rows that may be stored studios (``likely_duplicates``) as new studios, with a
        warning each, instead of reporting them as problems (default ``False``).
    """

    store: BaseStore
    reference: norm.Reference = field(default_factory=norm.Reference)
    classify: Callable[[list[dict[str, str]]], list[Any]] | None = None
    on_row: Callable[[], None] | None = None
    accept_new: bool = False
    problem_log: ProblemLog = field(default_factory=ProblemLog)
    """The first problems in full, and how many of each kind (:mod:`ingest.problems`)."""
    warning_log: ProblemLog = field(default_factory=ProblemLog)
    """What loads but a person should see (a trade read by a near match …); never stops the write."""
    likely_duplicates: list[LikelyDuplicate] = field(default_factory=list)
    rows_read: dict[str, int] = field(default_factory=dict)
    inferred: int = 0
    _studios: dict[str, _StudioRow] = field(default_factory=dict)
    _workers: dict[str, tuple[ModelWorker, set[str], _Where]] = field(default_factory=dict)
    _employers: dict[str, Employer] = field(default_factory=dict)
    _unions: dict[str, Union] = field(default_factory=dict)
    _stored_unions: dict[str, str | None] = field(default_factory=dict)
    _projects: dict[str, tuple[Project, _Where]] = field(default_factory=dict)
    _collaborations: list[_RefRow] = field(default_factory=list)
    _alliances: list[_RefRow] = field(default_factory=list)
    _ledger: list[_RefRow] = field(default_factory=list)
    _funding: list[_RefRow] = field(default_factory=list)

    def report(self, problem: Problem) -> None:
        """Record a problem (past :data:`ingest.problems.SHOWN` only its kind's count grows)."""
        self.problem_log.add(problem)

    def warn(self, problem: Problem) -> None:
        """Record a warning (it never stops the write)."""
        self.warning_log.add(problem)

    @property
    def problem_count(self) -> int:
        return self.problem_log.count

    def forget(self, file: str) -> None:
        """Drop the problems and warnings of ``file``: it was refused whole (over a limit), and
        that one refusal is what the report says of it."""
        self.problem_log.forget(file)
        self.warning_log.forget(file)

    # -- reading ------------------------------------------------------------------------------------
    def add(self, sheet: Sheet) -> int:
        """Every row of ``sheet``; returns how many rows it had."""
        handler = {
            SheetKind.STUDIOS: self._studio_row,
            SheetKind.PROJECTS: self._project_row,
            SheetKind.COLLABORATIONS: self._collaboration_row,
            SheetKind.ALLIANCES: self._alliance_row,
            SheetKind.LEDGER: self._ledger_row,
            SheetKind.FUNDING: self._funding_row,
        }[sheet.kind]
        count = 0
        for number, values, extra in sheet.rows:
            count += 1
            handler(_Where(sheet.file, sheet.sheet, number, sheet.headers), values, extra, sheet)
            if self.on_row is not None:
                self.on_row()
        self.rows_read[sheet.kind.value] = self.rows_read.get(sheet.kind.value, 0) + count
        return count

    def _parse(self, where: _Where, column: str, raw: str, parse: Callable[[str], Any]) -> Any:
        if not raw.strip():
            return None
        try:
            return parse(raw)
        except norm.Invalid as exc:
            self.report(where.problem(column, raw, exc.message, exc.message_zh, kind="invalid-value"))
            return None

    def _trade_items(self, raw: str) -> list[str]:
        """The trades a 工种 cell names: several may be given (电工、焊工 / 电工;焊工 / 电工/焊工), and
        a cell that is one trade's exact name is kept whole."""
        whole = fold(raw)
        if whole and self.reference.knows_trade(whole):
            return [whole]
        return split_trades(raw)

    def _trade(self, where: _Where, text: str) -> Trade | None:
        try:
            match = self.reference.match_trade(text)
        except norm.Invalid as exc:
            self.report(where.problem("trades", text, exc.message, exc.message_zh, kind="invalid-value"))
            return None
        if (warning := match.warning) is not None:
            self.warn(where.problem("trades", text, *warning, kind="near-match"))
        return match.trade

    def _required(self, where: _Where, column: str, values: dict[str, str], zh: str) -> str:
        text = fold(values.get(column, ""))
        if not text:
            self._missing(where, column, zh)
        return text

    def _parse_required(
        self, where: _Where, column: str, values: dict[str, str], zh: str, parse: Callable[[str], Any]
    ) -> Any:
        """A cell that must be given and must parse: one problem either way."""
        raw = values.get(column, "")
        if not raw.strip():
            self._missing(where, column, zh)
            return None
        return self._parse(where, column, raw, parse)

    def _missing(self, where: _Where, column: str, zh: str) -> None:
        self.report(where.problem(column, "", f"{column} is required", f"「{zh}」不能为空", kind="missing-value"))

    def _union(self, name: str) -> str:
        folded = fold(name)
        if key(folded) == key(MUNICIPAL_UNION.name):
            self._unions[MUNICIPAL_UNION.id] = MUNICIPAL_UNION
            return MUNICIPAL_UNION.id
        if folded not in self._stored_unions:  # a union the store has under this exact name, whatever its id
            stored = self.store.keys_by_name(Union, [folded]).get(folded, [])
            found = self.store.get_many(Union, stored[:1]) if len(stored) == 1 else {}
            self._stored_unions[folded] = stored[0] if found else None
            self._unions.update(found)
        if (known := self._stored_unions[folded]) is not None:
            return known
        union_id = derive_id("un", folded)
        if union_id not in self._unions:
            district = next((d for d in norm.DISTRICTS if folded.startswith(d)), None)
            kind = UnionKind.DISTRICT if district and "总工会" in folded else UnionKind.INDUSTRY
            self._unions[union_id] = Union(
                id=union_id, name=folded, kind=kind, district=district, parent_id=MUNICIPAL_UNION.id
            )
            self._unions[MUNICIPAL_UNION.id] = MUNICIPAL_UNION
        return union_id

    def _studio_row(self, where: _Where, values: dict[str, str], extra: dict[str, str], sheet: Sheet) -> None:
        before = self.problem_count
        name = self._required(where, "name", values, "工作室名称")
        leader = fold(values.get("leader", ""))  # a studio named after a team or unit may have none
        employer = self._required(where, "employer", values, "所在单位")
        data: dict[str, Any] = {"name": name}
        present = self._studio_fields(where, values, data, frozenset(values) - {"seq"})
        self._studio_classes(where, values, data)
        leader_facts = self._leader_facts(where, values, leader)
        if self.problem_count > before or not (name and employer):
            return
        if leader_facts.status is WorkerStatus.SERVING:
            present |= {"leader_status_year"}  # a serving leader has no year of leaving: a stored one goes
        studio_id = fold(values.get("id", "")) or derive_id("st", name, employer)
        if studio_id in self._studios:
            earlier = self._studios[studio_id].where
            self.report(
                where.problem(
                    "id" if values.get("id") else "name",
                    values.get("id") or name,
                    f"the same studio appears twice in the input (first at {earlier.describe()})",
                    f"同一工作室在输入中出现两次（首次在{earlier.describe_zh()}）",
                    kind="duplicate",
                )
            )
            return
        employer_id = derive_id("em", employer)
        self._employers.setdefault(employer_id, Employer(id=employer_id, name=employer))
        data["id"] = studio_id
        data["leader_id"] = self._leader(where, values, leader, employer, leader_facts, present)
        data["employer_id"] = employer_id
        present = self._studio_union(values, data, present)
        data["extra"] = {fold(k): fold(v) for k, v in extra.items()}
        if extra:
            present |= {"extra"}
        self._studios[studio_id] = _StudioRow(
            data, present, where, bool(values.get("id", "").strip()), leader, employer
        )

    def _studio_fields(
        self, where: _Where, values: dict[str, str], data: dict[str, Any], present: frozenset[str]
    ) -> frozenset[str]:
        """The studio's own values (district, level, years, members, venue, funds, expertise, needs)
        into ``data``; ``present`` with the columns that the row's values fill in (a day gives the year)."""
        data["district"] = self._parse(where, "district", values.get("district", ""), norm.district)
        data["level"] = self._parse(where, "level", values.get("level", ""), norm.level)
        present = self._studio_dates(where, values, data, present)
        data["members"] = self._parse(where, "members", values.get("members", ""), norm.positive_int)
        data["venue"] = fold(values.get("venue", ""))
        data["funds_per_year"] = self._parse(
            where, "funds_per_year", values.get("funds_per_year", ""), lambda t: norm.amount(t, none_is_zero=True)
        )
        data["expertise"] = fold(values.get("expertise", ""))
        data["needs"] = fold(values.get("needs", ""))
        return present

    def _studio_dates(
        self, where: _Where, values: dict[str, str], data: dict[str, Any], present: frozenset[str]
    ) -> frozenset[str]:
        """The naming year, founding year and founding day, which must agree: a day without a year
        gives the year; a day in another year, or a founding after the naming, is a problem."""
        this = this_year()
        data["named_year"] = self._parse(
            where, "named_year", values.get("named_year", ""), lambda t: norm.year(t, earliest=2000, latest=this)
        )
        data["founded_year"] = self._parse(where, "founded_year", values.get("founded_year", ""), norm.year)
        founded_on = self._parse(where, "founded_on", values.get("founded_on", ""), norm.date)
        data["founded_on"] = founded_on
        if founded_on is not None and data["founded_year"] is None and not values.get("founded_year", "").strip():
            data["founded_year"] = int(founded_on[:4])  # the day gives the year
            present |= {"founded_year"}
        elif (
            founded_on is not None and data["founded_year"] is not None and int(founded_on[:4]) != data["founded_year"]
        ):
            self.report(
                where.problem(
                    "founded_on",
                    values.get("founded_on"),
                    f"founded on {founded_on}, but the founding year is {data['founded_year']}",
                    f"成立日期 {founded_on} 与成立年份 {data['founded_year']} 不一致",
                    kind="inconsistent",
                )
            )
        if data["named_year"] and data["founded_year"] and data["founded_year"] > data["named_year"]:
            self.report(
                where.problem(
                    "founded_year",
                    values.get("founded_year"),
                    f"founded in {data['founded_year']}, after it was named ({data['named_year']})",
                    f"成立年份 {data['founded_year']} 晚于命名年份 {data['named_year']}",
                    kind="inconsistent",
                )
            )
        return present

    def _studio_classes(self, where: _Where, values: dict[str, str], data: dict[str, Any]) -> None:
        """The studio's trades, industry and segments, resolved against the taxonomies, into ``data``."""
        ref = self.reference
        trades = [self._trade(where, t) for t in self._trade_items(values.get("trades", ""))]
        data["trade_codes"] = tuple(t.code for t in trades if t is not None)
        industry = self._parse(where, "industry", values.get("industry", ""), ref.industry)
        data["industry_code"] = industry.code if industry else None
        segments = [self._parse(where, "segments", s, ref.segment) for s in split_list(values.get("segments", ""))]
        data["segment_ids"] = tuple(s.id for s in segments if s is not None)

    def _leader_facts(self, where: _Where, values: dict[str, str], leader: str) -> _LeaderFacts:
        """The leader's honours, status and status year; a year of leaving for a serving leader, or a
        leader's facts with no leader named, is a problem."""
        honours = tuple(split_list(values.get("leader_honours", "")))
        status = self._parse(where, "leader_status", values.get("leader_status", ""), norm.worker_status)
        status_year = self._parse(where, "leader_status_year", values.get("leader_status_year", ""), norm.year)
        if status_year is not None and status is WorkerStatus.SERVING:
            self.report(
                where.problem(
                    "leader_status_year",
                    values.get("leader_status_year"),
                    "a year the leader retired, left or died is given, but the leader is serving",
                    "领衔人状态为在职，却填写了退休、离职或去世的年份",
                    kind="inconsistent",
                )
            )
        if not leader:
            for column, zh in (
                ("leader_honours", "荣誉"),
                ("leader_status", "状态"),
                ("leader_status_year", "状态年份"),
            ):
                if values.get(column, "").strip():
                    self.report(
                        where.problem(
                            column,
                            values[column],
                            "the leader's honours or status are given, but no leader (领衔人) is named",
                            f"填写了领衔人{zh}，但未填写领衔人",
                            kind="inconsistent",
                        )
                    )
        return _LeaderFacts(honours, status, status_year)

    def _studio_union(self, values: dict[str, str], data: dict[str, Any], present: frozenset[str]) -> frozenset[str]:
        """The studio's union into ``data``, and its district when only a district union names it."""
        union_text = fold(values.get("union", ""))
        data["union_id"] = self._union(union_text) if union_text else None
        if data["district"] is None and data["union_id"] is not None:
            data["district"] = self._unions[data["union_id"]].district  # a district union names it
            if data["district"] is not None:
                present |= {"district"}
        return present

    def _leader(
        self,
        where: _Where,
        values: dict[str, str],
        leader: str,
        employer: str,
        facts: _LeaderFacts,
        present: frozenset[str],
    ) -> str | None:
        """The row's leader as a ``ModelWorker`` (merged with the same leader's earlier rows); its
        id, or ``None`` for a studio without a leader."""
        if not leader:
            return None
        honours, status, status_year = facts
        worker_id = derive_id("mw", leader, employer)
        worker_present: set[str] = {
            f for f in ("leader_honours", "leader_status", "leader_status_year") if f in present
        }
        prior = self._workers.get(worker_id)
        if prior is None:
            worker = ModelWorker(
                id=worker_id,
                name=leader,
                honours=honours,
                status=status or WorkerStatus.SERVING,
                status_year=status_year,
            )
            self._workers[worker_id] = (worker, worker_present, where)
        else:
            worker = self._merged_worker(where, values, leader, prior, facts)
            self._workers[worker_id] = (worker, prior[1] | worker_present, prior[2])
        return worker_id

    def _merged_worker(
        self,
        where: _Where,
        values: dict[str, str],
        leader: str,
        prior: tuple[ModelWorker, set[str], _Where],
        facts: _LeaderFacts,
    ) -> ModelWorker:
        """The leader of an earlier row with this row's honours added and its status and year where
        given; a status or year that differs from one an earlier row gave is a problem."""
        honours, status, status_year = facts
        merged = tuple(dict.fromkeys((*prior[0].honours, *honours)))
        new_status = status or prior[0].status
        if status is not None and "leader_status" in prior[1] and status != prior[0].status:
            self.report(
                where.problem(
                    "leader_status",
                    values.get("leader_status"),
                    f"{leader}'s status differs from {prior[2].describe()}",
                    f"领衔人{leader}的状态与{prior[2].describe_zh()}不一致",
                    kind="inconsistent",
                )
            )
        new_year = status_year or prior[0].status_year
        if (
            status_year is not None
            and "leader_status_year" in prior[1]
            and prior[0].status_year is not None
            and status_year != prior[0].status_year
        ):
            self.report(
                where.problem(
                    "leader_status_year",
                    values.get("leader_status_year"),
                    f"{leader}'s status year differs from {prior[2].describe()}",
                    f"领衔人{leader}的状态年份与{prior[2].describe_zh()}不一致",
                    kind="inconsistent",
                )
            )
        return prior[0].model_copy(update={"honours": merged, "status": new_status, "status_year": new_year})

    def _project_row(self, where: _Where, values: dict[str, str], extra: dict[str, str], sheet: Sheet) -> None:
        before = self.problem_count
        name = self._required(where, "name", values, "项目名称")
        chain = self._parse(where, "chain", values.get("chain", ""), self.reference.chain)
        chain_id = chain.id if chain else None
        segments = [
            self._parse(where, "segments", s, lambda t: self.reference.segment(t, chain_id=chain_id))
            for s in split_list(values.get("segments", ""))
        ]
        year = self._parse(where, "year", values.get("year", ""), norm.year)
        lead = fold(values.get("lead_union", ""))
        if self.problem_count > before or not name:
            return
        project_id = fold(values.get("id", "")) or derive_id("pj", name)
        if project_id in self._projects:
            self.report(
                where.problem("name", name, "the same project appears twice", "同一项目出现两次", kind="duplicate")
            )
            return
        project = Project(
            id=project_id,
            name=name,
            chain_id=chain_id or (segments[0].chain_id if segments and segments[0] else None),
            segment_ids=tuple(s.id for s in segments if s is not None),
            capabilities=fold(values.get("capabilities", "")),
            lead_union_id=self._union(lead) if lead else None,
            year=year,
        )
        self._projects[project_id] = (project, where)

    def _collaboration_row(self, where: _Where, values: dict[str, str], extra: dict[str, str], sheet: Sheet) -> None:
        before = self.problem_count
        a = self._required(where, "studio_a", values, "工作室A")
        b = self._required(where, "studio_b", values, "工作室B")
        year = self._parse_required(where, "year", values, "年份", norm.year)
        if self.problem_count > before:
            return
        if key(a) == key(b):
            self.report(
                where.problem(
                    "studio_b",
                    b,
                    "a studio cannot collaborate with itself",
                    "工作室不能与自己合作",
                    kind="inconsistent",
                )
            )
            return
        data = {"year": year, "title": fold(values.get("title", ""))}
        self._collaborations.append(_RefRow(data, {"studio_a": [a], "studio_b": [b]}, where))

    def _alliance_row(self, where: _Where, values: dict[str, str], extra: dict[str, str], sheet: Sheet) -> None:
        before = self.problem_count
        name = self._required(where, "name", values, "联盟名称")
        kind = self._parse_required(where, "kind", values, "类型", norm.alliance_kind)
        members = split_list(values.get("members", ""))
        if not members:
            self.report(
                where.problem("members", "", "an alliance needs members", "联盟必须有成员", kind="missing-value")
            )
        founded = self._parse(where, "founded_year", values.get("founded_year", ""), norm.year)
        if self.problem_count > before:
            return
        data = {
            "id": fold(values.get("id", "")) or derive_id("al", name),
            "name": name,
            "kind": kind,
            "founded_year": founded,
            "status": AllianceStatus.FORMED,
        }
        self._alliances.append(_RefRow(data, {"members": members}, where))

    def _ledger_row(self, where: _Where, values: dict[str, str], extra: dict[str, str], sheet: Sheet) -> None:
        before = self.problem_count
        studio = self._required(where, "studio", values, "工作室")
        named = norm.ledger_kind_in_name(sheet.sheet if sheet.sheet is not None else Path(sheet.file).stem)
        kind_text = values.get("kind", "")
        kind = self._parse(where, "kind", kind_text, norm.ledger_kind)
        if not kind_text.strip():
            kind = named
            if kind is None:
                self.report(
                    where.problem(
                        "kind",
                        "",
                        "the ledger kind is required (活动, 成果 or 成员发展), unless the sheet is named after "
                        "one ledger (活动台帐, 成果台帐, 成员发展台帐)",
                        "「台帐类型」不能为空（活动、成果或成员发展），除非工作表名称指明台帐（活动台帐、成果台帐、成员发展台帐）",
                        kind="missing-value",
                    )
                )
        elif kind is not None and named is not None and kind is not named:
            self.report(
                where.problem(
                    "kind",
                    kind_text,
                    f"a {kind.value} entry in the {named.value} ledger sheet {sheet.sheet or sheet.file!r}",
                    f"台帐类型「{kind_text}」与工作表「{sheet.sheet or Path(sheet.file).stem}」不一致",
                    kind="inconsistent",
                )
            )
        day = self._parse(where, "date", values.get("date", ""), norm.date)
        year = self._ledger_year(where, values, day)
        title = self._required(where, "title", values, "名称")
        amount = self._parse(where, "benefit_amount", values.get("benefit_amount", ""), norm.benefit_amount)
        recognised = self._parse(where, "recognised_project", values.get("recognised_project", ""), norm.yes_no)
        if self.problem_count > before:
            return
        data = {
            "id": fold(values.get("id", "")) or None,
            "kind": kind,
            "year": year,
            "date": day,
            "title": title,
            "detail": fold(values.get("detail", "")),
            "benefit": fold(values.get("benefit", "")),
            "benefit_amount": amount,
            "innovation_type": fold(values.get("innovation_type", "")),
            "award": fold(values.get("award", "")),
            "recognised_project": bool(recognised),
        }
        self._ledger.append(_RefRow(data, {"studio": [studio]}, where))

    def _ledger_year(self, where: _Where, values: dict[str, str], day: str | None) -> int | None:
        """The row's year; an empty year is taken from the date, and a year must agree with it."""
        text = values.get("year", "")
        if not text.strip():
            if day is not None:
                return int(day[:4])
            if not values.get("date", "").strip():
                self._missing(where, "year", "年份")
            return None
        year: int | None = self._parse(where, "year", text, norm.year)
        if year is not None and day is not None and int(day[:4]) != year:
            self.report(
                where.problem(
                    "date",
                    values.get("date"),
                    f"the date {day} is not in the year {year}",
                    f"日期 {day} 不在 {year} 年内",
                    kind="inconsistent",
                )
            )
        return year

    def _funding_row(self, where: _Where, values: dict[str, str], extra: dict[str, str], sheet: Sheet) -> None:
        before = self.problem_count
        studio = self._required(where, "studio", values, "工作室")
        year = self._parse_required(where, "year", values, "年份", lambda t: norm.year(t, latest=this_year() + 1))
        source = self._parse_required(where, "source", values, "资助来源", norm.funding_source)
        amount = self._parse_required(where, "amount", values, "金额", norm.amount)
        if self.problem_count > before:
            return
        data = {
            "id": fold(values.get("id", "")) or None,
            "year": year,
            "source": source,
            "amount": amount,
            "note": fold(values.get("note", "")),
        }
        self._funding.append(_RefRow(data, {"studio": [studio]}, where))

    # -- resolving ----------------------------------------------------------------------------------
    def _resolve_studios(self, names: Iterable[str]) -> dict[str, list[str]]:
        """Studio references (an id or an exact name) → the studio ids they may mean."""
        wanted = list(dict.fromkeys(fold(n) for n in names))
        found: dict[str, list[str]] = {}
        by_name: dict[str, list[str]] = {}
        for studio_id, row in self._studios.items():
            by_name.setdefault(key(row.studio["name"]), []).append(studio_id)
        for ref in wanted:
            if ref in self._studios:
                found[ref] = [ref]
            elif key(ref) in by_name:
                found[ref] = by_name[key(ref)]
        rest = [r for r in wanted if r not in found]
        if rest:
            stored_ids = self.store.get_many(Studio, rest)
            for ref in rest:
                if ref in stored_ids:
                    found[ref] = [ref]
            rest = [r for r in rest if r not in found]
        if rest:
            for name, ids in self.store.keys_by_name(Studio, rest).items():
                found[name] = ids
        return found

    def _check_refs(self, row: _RefRow, column: str, refs: list[str], resolved: dict[str, list[str]]) -> list[str]:
        ids: list[str] = []
        for ref in refs:
            matches = resolved.get(fold(ref), [])
            if not matches:
                self.report(
                    row.where.problem(
                        column,
                        ref,
                        "no studio with this id or name, in the file or the store",
                        "文件和库中都没有这个编号或名称的工作室",
                        kind="unknown-reference",
                    )
                )
            elif len(matches) > 1:
                self.report(
                    row.where.problem(
                        column,
                        ref,
                        f"several studios have this name ({', '.join(matches)}); use the id",
                        f"有多个工作室同名（{'、'.join(matches)}），请填写编号",
                        kind="unknown-reference",
                    )
                )
            else:
                ids.append(matches[0])
        return ids

    def finish(self) -> GraphBatch:
        """Recognise stored studios, resolve references, merge with stored studios, classify bare
        studios; return the batch."""
        stored = self._recognise_stored()
        rows = (*self._collaborations, *self._alliances, *self._ledger, *self._funding)
        refs = [r for row in rows for rs in row.refs.values() for r in rs]
        resolved = self._resolve_studios(refs) if refs else {}
        collaborations = self._resolved_collaborations(resolved)
        alliances = self._resolved_alliances(resolved)
        ledger = self._entries(
            self._ledger,
            resolved,
            LedgerEntry,
            lambda studio, d: derive_id("lg", studio, d["kind"].value, str(d["year"]), d["title"], d["date"] or ""),
            ("the same ledger entry appears twice", "同一台帐记录重复出现"),
        )
        funding = self._entries(
            self._funding,
            resolved,
            Funding,
            lambda studio, d: derive_id("fd", studio, str(d["year"]), d["source"].value, str(d["amount"])),
            ("the same funding appears twice", "同一经费记录重复出现"),
        )

        studios = self._merged_studios(stored)
        workers = self._merged_workers()
        records: list[Record] = [
            *self._unions.values(),
            *self._employers.values(),
            *workers,
            *(p for p, _ in self._projects.values()),
            *studios,
            *alliances,
            *ledger,
            *funding,
            *collaborations,
        ]
        return GraphBatch.of(records)

    def _resolved_collaborations(self, resolved: dict[str, list[str]]) -> list[Collaboration]:
        """The collaboration rows whose two ends resolve to two studios, each pair and year once."""
        collaborations: dict[tuple[str, str, int], tuple[Collaboration, _Where]] = {}
        for row in self._collaborations:
            a = self._check_refs(row, "studio_a", row.refs["studio_a"], resolved)
            b = self._check_refs(row, "studio_b", row.refs["studio_b"], resolved)
            if len(a) != 1 or len(b) != 1:
                continue
            if a[0] == b[0]:
                self.report(
                    row.where.problem(
                        "studio_b",
                        row.refs["studio_b"][0],
                        "both ends are the same studio",
                        "合作双方是同一个工作室",
                        kind="inconsistent",
                    )
                )
                continue
            link = Collaboration(studio_a=a[0], studio_b=b[0], **row.data)
            ident = (link.studio_a, link.studio_b, link.year)
            if ident in collaborations:
                first, first_zh = collaborations[ident][1].describe(), collaborations[ident][1].describe_zh()
                self.report(
                    row.where.problem(
                        "studio_a",
                        row.refs["studio_a"][0],
                        f"the same collaboration and year appear twice (first at {first})",
                        f"同一合作及年份重复出现（首次在{first_zh}）",
                        kind="duplicate",
                    )
                )
                continue
            collaborations[ident] = (link, row.where)
        return [c for c, _ in collaborations.values()]

    def _resolved_alliances(self, resolved: dict[str, list[str]]) -> list[Alliance]:
        """The alliance rows whose every member resolves to a studio, each alliance once."""
        alliances: dict[str, Alliance] = {}
        for row in self._alliances:
            members = self._check_refs(row, "members", row.refs["members"], resolved)
            if len(members) != len(row.refs["members"]):
                continue
            if row.data["id"] in alliances:
                self.report(
                    row.where.problem(
                        "name",
                        row.data["name"],
                        "the same alliance appears twice",
                        "同一联盟重复出现",
                        kind="duplicate",
                    )
                )
                continue
            alliances[row.data["id"]] = Alliance(member_ids=tuple(members), **row.data)
        return list(alliances.values())

    # -- the same studio in another year's list -------------------------------------------------
    def _recognise_stored(self) -> dict[str, Studio]:
        """Recognise rows that are studios already stored under another id, and return the stored
        studios the rows now name (by id).

        A row without 编号 whose derived id is not stored is matched, by folded name, to a stored
        studio (one batched lookup of every such row's name spellings, then one read each of the
        candidates, their employers and their leaders):

        - **certain**: the same name and the same leader, or the same name and the same employer
          (:func:`ingest.normalise.employer_key`: 上海市电力公司 is 国网上海市电力公司). The row takes
          the stored studio's id (and its leader's, when the leader is the same person), and
          merges into it as an edited row does;
        - **likely duplicate**: the same name with another employer and leader, or the same leader
          and employer (or the same employer, neither with a leader) with a name that differs only in
          its ending (李斌创新工作室 / 李斌劳模创新工作室), or several certain matches. The row is
          reported for a person to confirm and nothing is written, unless ``accept_new``, when it is
          written as a new studio (and a warning says so).
        """
        stored = self.store.get_many(Studio, list(self._studios))
        loose = [r for r in self._studios.values() if not r.given_id and r.studio["id"] not in stored]
        if not loose:
            return stored
        spellings = {r.studio["id"]: norm.studio_name_variants(r.studio["name"]) for r in loose}
        by_name = self.store.keys_by_name(Studio, [v for vs in spellings.values() for v in vs])
        candidates = self.store.get_many(Studio, sorted({i for ids in by_name.values() for i in ids}))
        if not candidates:
            return stored
        employers = self.store.get_many(Employer, sorted({c.employer_id for c in candidates.values() if c.employer_id}))
        leaders = self.store.get_many(ModelWorker, sorted({c.leader_id for c in candidates.values() if c.leader_id}))
        moves: dict[str, Studio] = {}
        for row in loose:
            ids = sorted({i for v in spellings[row.studio["id"]] for i in by_name.get(v, ())} & candidates.keys())
            verdicts = [
                (candidates[i], v) for i in ids if (v := self._likeness(row, candidates[i], employers, leaders))
            ]
            certain = [(c, v) for c, v in verdicts if v[0]]
            if len(certain) == 1:
                moves[row.studio["id"]] = certain[0][0]
                continue
            if len(certain) > 1:
                several = ", ".join(c.id for c, _ in certain)
                verdicts = [
                    (
                        c,
                        (
                            False,
                            f"one of several stored studios ({several}) with this name and employer or leader",
                            f"库中有多个同名且所在单位或领衔人相同的工作室（{'、'.join(c.id for c, _ in certain)}）",
                        ),
                    )
                    for c, _ in certain
                ]
            for studio, (_, why, why_zh) in verdicts:
                self._likely_duplicate(row, studio, employers, why, why_zh)
        self._move(moves, leaders)
        stored.update({s.id: s for s in moves.values() if s.id in self._studios})
        return stored

    @staticmethod
    def _likeness(
        row: _StudioRow, studio: Studio, employers: dict[str, Employer], leaders: dict[str, ModelWorker]
    ) -> tuple[bool, str, str] | None:
        """``(certain, why, why_zh)`` when ``studio`` may be the row's studio, else ``None``."""
        employer = employers.get(studio.employer_id or "")
        same_employer = employer is not None and norm.employer_key(row.employer) == norm.employer_key(employer.name)
        leader = leaders.get(studio.leader_id or "")
        same_leader = bool(row.leader) and leader is not None and key(row.leader) == key(leader.name)
        if key(row.studio["name"]) == key(studio.name):
            if same_leader or same_employer:
                return True, "", ""
            return False, "the same name, with another employer and leader", "名称相同，但所在单位和领衔人均不同"
        no_leaders = not row.leader and studio.leader_id is None
        if (
            norm.studio_name_core(row.studio["name"]) == norm.studio_name_core(studio.name)
            and same_employer
            and (same_leader or no_leaders)
        ):
            if same_leader:
                return (
                    False,
                    "the same leader and employer, with a name that differs only slightly",
                    "领衔人和所在单位相同，名称略有不同",
                )
            return (
                False,
                "the same employer, neither with a leader, and a name that differs only slightly",
                "所在单位相同，均未登记领衔人，名称略有不同",
            )
        return None

    def _likely_duplicate(
        self, row: _StudioRow, studio: Studio, employers: dict[str, Employer], why: str, why_zh: str
    ) -> None:
        employer = employers.get(studio.employer_id or "")
        found = LikelyDuplicate(
            row.where.file,
            row.where.sheet,
            row.where.row,
            row.studio["name"],
            studio.id,
            studio.name,
            employer.name if employer else "",
            why,
            why_zh,
        )
        self.likely_duplicates.append(found)
        stored = f"{studio.id} {studio.name} ({found.stored_employer or '-'})"
        stored_zh = f"{studio.id}「{studio.name}」（{found.stored_employer or '-'}）"
        if self.accept_new:
            self.warn(
                row.where.problem(
                    "name",
                    row.studio["name"],
                    f"written as a new studio (--accept-new), though it may be the stored studio {stored}: {why}",
                    f"已按新工作室写入（--accept-new），但可能是已登记的工作室 {stored_zh}：{why_zh}",
                    kind="likely-duplicate",
                )
            )
            return
        self.report(
            row.where.problem(
                "name",
                row.studio["name"],
                f"may be the stored studio {stored}: {why}; check it, and load again with --accept-new "
                "(accept_new) if it is a new studio",
                f"可能是已登记的工作室 {stored_zh}：{why_zh}；请核对，"
                "如确为新工作室，请加 --accept-new（accept_new）重新导入",
                kind="likely-duplicate",
            )
        )

    def _move(self, moves: dict[str, Studio], leaders: dict[str, ModelWorker]) -> None:
        """Give recognised rows their stored studio's id (and its leader's id, when the leader is the
        same person and no other row names the row's leader); keep the rows' order."""
        if not moves:
            return
        uses = Counter(r.studio["leader_id"] for r in self._studios.values() if r.studio["leader_id"])
        taken = set(self._studios) - set(moves)
        out: dict[str, _StudioRow] = {}
        for studio_id, row in self._studios.items():
            target = moves.get(studio_id)
            if target is None:
                out[studio_id] = row
                continue
            if target.id in taken:
                self.report(
                    row.where.problem(
                        "name",
                        row.studio["name"],
                        f"the same studio appears twice in the input (as {target.id} too)",
                        f"同一工作室在输入中出现两次（另有一行即 {target.id}）",
                        kind="duplicate",
                    )
                )
                continue
            taken.add(target.id)
            row.studio["id"] = target.id
            old_leader, leader = row.studio["leader_id"], leaders.get(target.leader_id or "")
            if (
                old_leader is not None
                and leader is not None
                and leader.id != old_leader
                and key(leader.name) == key(row.leader)
                and uses[old_leader] == 1
                and leader.id not in self._workers
            ):
                worker, present, where = self._workers.pop(old_leader)
                self._workers[leader.id] = (worker.model_copy(update={"id": leader.id}), present, where)
                row.studio["leader_id"] = leader.id
            out[target.id] = row
        self._studios = out

    def _entries(
        self,
        rows: list[_RefRow],
        resolved: dict[str, list[str]],
        kind: type[LedgerEntry] | type[Funding],
        derive: Callable[[str, dict[str, Any]], str],
        twice: tuple[str, str],
    ) -> list[LedgerEntry | Funding]:
        """Ledger or funding rows → records: the studio resolved, the id given or derived, a
        second row with the same id reported."""
        out: dict[str, tuple[LedgerEntry | Funding, _Where]] = {}
        for row in rows:
            ids = self._check_refs(row, "studio", row.refs["studio"], resolved)
            if len(ids) != 1:
                continue
            data = dict(row.data)
            given = data.pop("id")
            record_id = given or derive(ids[0], data)
            if record_id in out:
                first = out[record_id][1]
                hint, hint_zh = (
                    ("", "")
                    if given
                    else ("; give each its own 编号 if both are meant", "；如确为两条，请分别填写编号")
                )
                self.report(
                    row.where.problem(
                        "id" if given else "studio",
                        given or row.refs["studio"][0],
                        f"{twice[0]} (first at {first.describe()}){hint}",
                        f"{twice[1]}（首次在{first.describe_zh()}）{hint_zh}",
                        kind="duplicate",
                    )
                )
                continue
            try:
                record = kind.model_validate({"id": record_id, "studio_id": ids[0], **data})
            except ValueError as exc:
                self.report(
                    row.where.problem(
                        None, None, f"invalid {kind.label}: {exc}", f"数据无效：{exc}", kind="invalid-record"
                    )
                )
                continue
            out[record_id] = (record, row.where)
        return [record for record, _ in out.values()]

    def _merged_studios(self, stored: dict[str, Studio]) -> list[Studio]:
        rows = list(self._studios.values())
        merged: list[dict[str, Any]] = []
        bad: set[int] = set()
        for row in rows:
            data = dict(row.studio)
            old = stored.get(data["id"])
            if old is not None:
                kept = old.model_dump()
                for column, fields in _STUDIO_FIELDS.items():
                    if column not in row.present:
                        for f in fields:
                            data[f] = kept[f]
                data["status"] = old.status
                data["status_reason"] = old.status_reason
                data["project_ids"] = old.project_ids
                if (
                    data.get("founded_on")
                    and data.get("founded_year")
                    and int(data["founded_on"][:4]) != data["founded_year"]
                ):
                    # the sheet gave a founding year and no day; the stored day says another year
                    self.report(
                        row.where.problem(
                            "founded_year",
                            data["founded_year"],
                            f"founding year {data['founded_year']} disagrees with the stored founding day "
                            f"{data['founded_on']} (give 成立日期 and 成立年份 together)",
                            f"成立年份 {data['founded_year']} 与已登记的成立日期 {data['founded_on']} 不一致"
                            "（请同时填写成立日期和成立年份）",
                            kind="inconsistent",
                        )
                    )
                    bad.add(len(merged))
            else:
                data = {k: v for k, v in data.items() if v is not None}
            merged.append(data)
        self._infer(merged)
        out: list[Studio] = []
        for index, (data, row) in enumerate(zip(merged, rows, strict=True)):
            if index in bad:
                continue
            try:
                out.append(Studio.model_validate(data))
            except ValueError as exc:
                self.report(
                    row.where.problem(
                        None, None, f"invalid studio: {exc}", f"工作室数据无效：{exc}", kind="invalid-record"
                    )
                )
        return out

    def _infer(self, studios: list[dict[str, Any]]) -> None:
        """Propose industry, trades and segments for studios without them; never override entries."""
        for data in studios:
            if data.get("industry_code"):
                data["inferred_industry_code"] = None
            if data.get("trade_codes"):
                data["inferred_trade_codes"] = ()
            if data.get("segment_ids"):
                data["inferred_segment_ids"] = ()
        bare = [d for d in studios if not (d.get("industry_code") and d.get("trade_codes") and d.get("segment_ids"))]
        if self.classify is None or not bare:
            return
        employers = {e.id: e.name for e in self._employers.values()}
        inputs = [
            {
                "name": d["name"],
                "employer": employers.get(d.get("employer_id") or "", ""),
                "expertise": d.get("expertise") or "",
                "needs": d.get("needs") or "",
            }
            for d in bare
        ]
        for data, guess in zip(bare, self.classify(inputs), strict=True):
            touched = False
            if not data.get("industry_code") and guess.industry_code:
                data["inferred_industry_code"] = guess.industry_code
                touched = True
            if not data.get("trade_codes") and guess.trade_codes:
                data["inferred_trade_codes"] = tuple(guess.trade_codes)
                touched = True
            if not data.get("segment_ids") and guess.segment_ids:
                data["inferred_segment_ids"] = tuple(guess.segment_ids)
                touched = True
            if touched:
                data["inferred_confidence"] = round(float(guess.confidence), 3)
                data["inferred_basis"] = "；".join(guess.basis)
                self.inferred += 1
            else:
                data["inferred_confidence"] = None
                data["inferred_basis"] = ""

    def _merged_workers(self) -> list[ModelWorker]:
        stored = self.store.get_many(ModelWorker, list(self._workers))
        out = []
        for worker_id, (worker, present, _) in self._workers.items():
            old = stored.get(worker_id)
            if old is not None:
                update: dict[str, Any] = {}
                if "leader_honours" not in present:
                    update["honours"] = old.honours
                if "leader_status" not in present:
                    update["status"] = old.status
                if "leader_status_year" not in present:
                    update["status_year"] = old.status_year
                worker = worker.model_copy(update=update)
            out.append(worker)
        return out


_STUDIO_FIELDS: dict[str, tuple[str, ...]] = {
    "district": ("district",),
    "level": ("level",),
    "named_year": ("named_year",),
    "founded_year": ("founded_year",),
    "members": ("members",),
    "founded_on": ("founded_on",),
    "venue": ("venue",),
    "funds_per_year": ("funds_per_year",),
    "expertise": ("expertise",),
    "needs": ("needs",),
    "trades": ("trade_codes",),
    "industry": ("industry_code",),
    "segments": ("segment_ids",),
    "union": ("union_id",),
    "leader": ("leader_id",),
    "extra": ("extra",),
}
"""Sheet column → studio fields it fills; a column the sheet lacks keeps the stored fields."""
