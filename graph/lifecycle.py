"""A studio's life under the rules (沪工总基〔2019〕191号): eligibility (Article 3), the yearly
assessment (Article 9), candidates for municipal naming (Articles 6–7), ledgers (Article 8) and
funding (Article 10), as checks the union can run every year.

Every check reads records only (a :class:`graph.store.Projection`) and shows its evidence. Missing
data is ``unknown``, never ``not met``: a studio is only flagged or delisted on what is recorded.
Applying an assessment writes the status changes and an :class:`AuditEntry` per studio in one
write; a delisted studio leaves its live alliances in that same write (``BaseStore.write``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from .labels import ASSESSMENT_ACTION_ZH, CONDITIONS_ZH, VERDICT_ZH, WORKER_LEFT_VERB_ZH
from .model import (
    AuditEntry,
    Funding,
    FundingSource,
    HonourLevel,
    LedgerEntry,
    LedgerKind,
    ModelWorker,
    Studio,
    StudioLevel,
    StudioStatus,
    now,
)
from .store import BaseStore, Projection

MUNICIPAL_SUBSIDY = 20_000
"""Article 10: the municipal union's one-off subsidy, RMB."""

NONE_WORDS = frozenset({"无", "没有", "暂无", "none", "no", "-", "—", "/"})
"""Cell values that record an absence (as opposed to leaving the cell empty)."""


class Verdict(StrEnum):
    MET = "met"  # 符合
    NOT_MET = "not-met"  # 不符合
    UNKNOWN = "unknown"  # 资料不全


@dataclass(frozen=True)
class Condition:
    number: int
    verdict: Verdict
    evidence: str
    """What the verdict rests on, in Chinese."""

    @property
    def name(self) -> str:
        return CONDITIONS_ZH[self.number]

    def to_json(self) -> dict[str, Any]:
        return {"number": self.number, "condition": self.name, "verdict": self.verdict.value,
                "verdict_zh": VERDICT_ZH[self.verdict], "evidence": self.evidence}  # fmt: skip


@dataclass(frozen=True)
class Eligibility:
    studio_id: str
    name: str
    year: int
    conditions: tuple[Condition, ...]

    @property
    def verdict(self) -> Verdict:
        """Not met if any condition is not met; met if all are; unknown otherwise."""
        verdicts = {c.verdict for c in self.conditions}
        if Verdict.NOT_MET in verdicts:
            return Verdict.NOT_MET
        return Verdict.MET if verdicts == {Verdict.MET} else Verdict.UNKNOWN

    def to_json(self) -> dict[str, Any]:
        return {"studio_id": self.studio_id, "name": self.name, "year": self.year, "verdict": self.verdict.value,
                "conditions": [c.to_json() for c in self.conditions]}  # fmt: skip


class Records:
    """A projection indexed for the checks: each studio's leader, ledger and funding."""

    def __init__(self, projection: Projection) -> None:
        self.projection = projection
        self.studios = {s.id: s for s in projection.studios}
        self.workers = {w.id: w for w in projection.workers}
        self.ledger: dict[str, list[LedgerEntry]] = defaultdict(list)
        for entry in projection.ledger:
            self.ledger[entry.studio_id].append(entry)
        self.funding: dict[str, list[Funding]] = defaultdict(list)
        for money in projection.funding:
            self.funding[money.studio_id].append(money)
        self.unions = {u.id: u for u in projection.unions}

    def leader(self, studio: Studio) -> ModelWorker | None:
        return self.workers.get(studio.leader_id or "")


# -- Article 3 -------------------------------------------------------------------------------------
def eligibility(records: Records, studio_id: str, year: int) -> Eligibility:
    """Article 3's five conditions for one studio as of the end of ``year``."""
    studio = records.studios[studio_id]
    entries = [e for e in records.ledger[studio_id] if e.year <= year]
    return Eligibility(
        studio_id,
        studio.name,
        year,
        (
            _leader_condition(records.leader(studio)),
            _running_condition(studio, year),
            _project_condition(studio, entries),
            _benefit_condition(entries),
            _venue_condition(studio),
        ),
    )


def _leader_condition(leader: ModelWorker | None) -> Condition:
    """Condition 1 on the leader's honours. A studio without a leader (many are named after a team,
    a unit or a theme, and their lists name none) is ``unknown`` (资料不全), never ``not met``."""
    if leader is None:
        return Condition(1, Verdict.UNKNOWN, "未登记领衔人")
    if not leader.honours:
        return Condition(1, Verdict.UNKNOWN, f"领衔人{leader.name}未登记荣誉")
    level = leader.honour_level
    honours = "、".join(leader.honours)
    if level in (HonourLevel.NATIONAL, HonourLevel.PROVINCIAL):
        label = "全国级" if level is HonourLevel.NATIONAL else "省部级"
        return Condition(1, Verdict.MET, f"领衔人{leader.name}：{honours}（{label}）")
    return Condition(1, Verdict.NOT_MET, f"领衔人{leader.name}的荣誉（{honours}）低于省部级")


def _running_condition(studio: Studio, year: int) -> Condition:
    """More than one year of running by 31 December of ``year``: exact with a founding day; with a
    founding year only, two or more years is met, the same year is not, and one year is unknown
    (it depends on the day)."""
    end = dt.date(year, 12, 31)
    if studio.founded_on:
        start = dt.date.fromisoformat(studio.founded_on)
        try:
            anniversary = start.replace(year=start.year + 1)
        except ValueError:  # founded on 29 February
            anniversary = start.replace(year=start.year + 1, day=28)
        if end > anniversary:
            return Condition(2, Verdict.MET, f"{studio.founded_on} 成立，至 {year} 年底运行满一年以上")
        return Condition(2, Verdict.NOT_MET, f"{studio.founded_on} 成立，至 {year} 年底未满一年以上")
    founded = studio.founded_year or studio.named_year
    if founded is None:
        return Condition(2, Verdict.UNKNOWN, "未登记成立时间")
    what = "成立" if studio.founded_year else "命名"
    if year - founded >= 2:
        return Condition(2, Verdict.MET, f"{founded} 年{what}，已运行 {year - founded} 年以上")
    if year - founded <= 0:
        return Condition(2, Verdict.NOT_MET, f"{founded} 年{what}，{year} 年内未满一年")
    return Condition(2, Verdict.UNKNOWN, f"{founded} 年{what}，只登记年份，无法判断是否已满一年以上（请填写成立日期）")


def _project_condition(studio: Studio, entries: list[LedgerEntry]) -> Condition:
    recognised = [e.title for e in entries if e.recognised_project]
    if studio.project_ids or recognised:
        named = [*studio.project_ids, *recognised]
        return Condition(3, Verdict.MET, "攻关项目：" + "、".join(named[:5]))
    return Condition(3, Verdict.UNKNOWN, "未登记认定的攻关项目")


def _benefit_condition(entries: list[LedgerEntry]) -> Condition:
    results = [e for e in entries if e.kind is LedgerKind.RESULT]
    if not results:
        return Condition(4, Verdict.UNKNOWN, "成果台帐为空")
    with_benefit = [e for e in results if _recorded(e.benefit) or (e.benefit_amount or 0) > 0]
    if with_benefit:
        first = with_benefit[0]
        shown = first.benefit or f"{first.benefit_amount:g} 万元"
        return Condition(4, Verdict.MET, f"{len(with_benefit)} 项成果有效益，如「{first.title}」：{shown}")
    return Condition(4, Verdict.NOT_MET, f"{len(results)} 项成果均未记录经济社会效益")


def _venue_condition(studio: Studio) -> Condition:
    venue, funds = studio.venue.strip(), studio.funds_per_year
    if venue.lower() in NONE_WORDS or funds == 0:
        lacking = [w for w, missing in (("固定场所", venue.lower() in NONE_WORDS), ("专项经费", funds == 0)) if missing]
        return Condition(5, Verdict.NOT_MET, "登记为无" + "、".join(lacking))
    if venue and funds:
        return Condition(5, Verdict.MET, f"场所：{venue}；经费 {funds:,} 元/年")
    missing = [w for w, absent in (("场所", not venue), ("经费", funds is None)) if absent]
    return Condition(5, Verdict.UNKNOWN, "未登记" + "、".join(missing))


def _recorded(text: str) -> bool:
    return bool(text.strip()) and text.strip().lower() not in NONE_WORDS


# -- Article 9 -------------------------------------------------------------------------------------
class Action(StrEnum):
    DELIST = "delist"  # 摘牌
    FLAG = "flag"  # 警示（限期整改）
    COMPLETE = "complete-data"  # 补全资料


@dataclass(frozen=True)
class Finding:
    """One studio the assessment says something about."""

    studio_id: str
    name: str
    union: str
    district: str
    status: StudioStatus
    action: Action
    reasons: tuple[str, ...]
    eligibility: Eligibility

    def to_json(self) -> dict[str, Any]:
        return {
            "studio_id": self.studio_id, "name": self.name, "union": self.union, "district": self.district,
            "status": self.status.value, "action": self.action.value, "action_zh": ASSESSMENT_ACTION_ZH[self.action],
            "reasons": list(self.reasons), "eligibility": self.eligibility.to_json(),
        }  # fmt: skip


@dataclass
class Assessment:
    year: int
    findings: list[Finding] = field(default_factory=list)
    assessed: int = 0

    def to_json(self) -> dict[str, Any]:
        return {"year": self.year, "assessed": self.assessed, "findings": [f.to_json() for f in self.findings]}

    def table(self) -> tuple[list[str], list[list[str]]]:
        """Headers and rows for a CSV or XLSX report a district union can act on."""
        headers = [
            "工作室编号",
            "工作室名称",
            "所属工会",
            "所在区",
            "当前状态",
            "处理建议",
            "理由",
            *CONDITIONS_ZH.values(),
        ]
        rows = [
            [f.studio_id, f.name, f.union, f.district, f.status.value, ASSESSMENT_ACTION_ZH[f.action],
             "；".join(f.reasons), *(f"{VERDICT_ZH[c.verdict]}：{c.evidence}" for c in f.eligibility.conditions)]
            for f in self.findings
        ]  # fmt: skip
        return headers, rows


def assess(records: Records, year: int) -> Assessment:
    """Article 9's yearly assessment of every active or flagged studio, as of the end of ``year``.

    - **delist** (摘牌): the leader died, left or retired in ``year`` or before (or when, is not
      recorded), or a studio flagged at an earlier assessment still fails a condition;
    - **flag** (警示整改): a condition of Article 3 is no longer met;
    - **complete data** (补全资料): nothing fails, but some condition cannot be judged.
    """
    out = Assessment(year)
    for studio in sorted(records.studios.values(), key=lambda s: s.id):
        if studio.status is StudioStatus.DELISTED:
            continue
        if studio.named_year and studio.named_year > year:
            continue
        out.assessed += 1
        check = eligibility(records, studio.id, year)
        leader = records.leader(studio)
        reasons: list[str] = []
        action: Action | None = None
        if leader is not None and leader.status in WORKER_LEFT_VERB_ZH and (leader.status_year or year) <= year:
            when = f"（{leader.status_year} 年）" if leader.status_year else ""
            reasons.append(f"领衔人{leader.name}已{WORKER_LEFT_VERB_ZH[leader.status]}{when}（第九条）")
            action = Action.DELIST
        failed = [c for c in check.conditions if c.verdict is Verdict.NOT_MET]
        if failed:
            reasons += [f"不符合第三条第{c.number}项：{c.evidence}" for c in failed]
            if action is None:
                action = Action.DELIST if studio.status is StudioStatus.FLAGGED else Action.FLAG
                if action is Action.DELIST:
                    reasons.append("上次考核已警示，仍不符合")
        unknown = [c for c in check.conditions if c.verdict is Verdict.UNKNOWN]
        if action is None and unknown:
            action = Action.COMPLETE
            reasons += [f"第三条第{c.number}项资料不全：{c.evidence}" for c in unknown]
        if action is None:
            continue
        union = records.unions.get(studio.union_id or "")
        out.findings.append(
            Finding(
                studio.id,
                studio.name,
                union.name if union else "",
                studio.district or "",
                studio.status,
                action,
                tuple(reasons),
                check,
            )
        )
    order = {Action.DELIST: 0, Action.FLAG: 1, Action.COMPLETE: 2}
    out.findings.sort(key=lambda f: (order[f.action], f.union, f.studio_id))
    return out


def apply_assessment(store: BaseStore, assessment: Assessment, *, actor: str, dry_run: bool = False) -> list[str]:
    """Write the assessment's delistings and flags (not the data requests) with an audit entry
    each, in one write; returns the studio ids changed. Delisted studios leave live alliances in
    the same write, and matching leaves them out from then on."""
    acting = [f for f in assessment.findings if f.action in (Action.DELIST, Action.FLAG)]
    if not acting:
        return []
    stored = store.get_many(Studio, [f.studio_id for f in acting])
    at = now()
    records: list[Studio | AuditEntry] = []
    for f in acting:
        studio = stored[f.studio_id]
        status = StudioStatus.DELISTED if f.action is Action.DELIST else StudioStatus.FLAGGED
        if studio.status is status:
            continue
        update: dict[str, Any] = {"status": status, "status_reason": "；".join(f.reasons)[:2000]}
        if status is StudioStatus.DELISTED:
            update["delisted_year"] = assessment.year
        records.append(Studio.model_validate({**studio.model_dump(), **update}))
        note = f"{assessment.year} 年度考核：" + "；".join(f.reasons)
        records.append(AuditEntry.of(actor, f"studio.{f.action.value}", "Studio", f.studio_id, note, at=at))
    if records:
        store.write(records, dry_run=dry_run)
    return [r.id for r in records if isinstance(r, Studio)]


# -- Articles 6–7 ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Candidate:
    rank: int
    studio_id: str
    name: str
    national_leader: bool
    results: int
    """Results with benefits recorded in the last three years."""
    named_year: int | None
    verdict: Verdict
    reasons: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {**vars(self), "verdict": self.verdict.value, "reasons": list(self.reasons)}


def naming_candidates(records: Records, year: int, quota: int = 100) -> list[Candidate]:
    """Candidates for municipal naming in ``year`` (Articles 6–7): active studios named by a
    district or industry union, running for at least a year since (named in ``year − 1`` or
    before), meeting no condition of Article 3 that fails; national model workers first, then by
    results with benefits in the last three years, then the earlier named, then id. The first
    ``quota`` are returned (about 100 a year)."""
    rows = []
    for studio in records.studios.values():
        if studio.status is not StudioStatus.ACTIVE or studio.level is not StudioLevel.DISTRICT:
            continue
        if studio.named_year is None or studio.named_year > year - 1:
            continue
        check = eligibility(records, studio.id, year)
        if check.verdict is Verdict.NOT_MET:
            continue
        leader = records.leader(studio)
        national = leader is not None and leader.honour_level is HonourLevel.NATIONAL
        results = sum(
            1
            for e in records.ledger[studio.id]
            if e.kind is LedgerKind.RESULT and year - 3 < e.year <= year and (_recorded(e.benefit) or e.benefit_amount)
        )
        reasons = [f"{studio.named_year} 年区局（产业）命名，已运行 {year - studio.named_year} 年"]
        if national:
            reasons.append("全国劳模领衔，优先（第七条）")
        reasons.append(f"近三年有效益成果 {results} 项")
        if check.verdict is Verdict.UNKNOWN:
            reasons.append("部分条件资料不全，需核实")
        rows.append((national, results, studio, check.verdict, tuple(reasons)))
    rows.sort(key=lambda r: (not r[0], -r[1], r[2].named_year or 0, r[2].id))
    return [
        Candidate(k, s.id, s.name, national, results, s.named_year, verdict, reasons)
        for k, (national, results, s, verdict, reasons) in enumerate(rows[:quota], start=1)
    ]


# -- Article 10 ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class FundingCheck:
    studio_id: str
    name: str
    municipal: int
    union: int
    employer: int

    @property
    def shortfall(self) -> int:
        """How much the district/industry union's match falls short of 1:1."""
        return max(0, self.municipal - self.union)

    def to_json(self) -> dict[str, Any]:
        return {**vars(self), "shortfall": self.shortfall, "matched": self.shortfall == 0}


def funding_checks(records: Records, year: int | None = None) -> list[FundingCheck]:
    """Per studio with any funding recorded (up to ``year``): the municipal subsidy, the union's
    match and the employer's funds, and how far the match falls short of 1:1 (Article 10)."""
    out = []
    for studio_id, moneys in sorted(records.funding.items()):
        if studio_id not in records.studios:
            continue
        totals = dict.fromkeys(FundingSource, 0)
        for m in moneys:
            if year is None or m.year <= year:
                totals[m.source] += m.amount
        if not any(totals.values()):
            continue
        out.append(
            FundingCheck(
                studio_id,
                records.studios[studio_id].name,
                totals[FundingSource.MUNICIPAL],
                totals[FundingSource.UNION],
                totals[FundingSource.EMPLOYER],
            )
        )
    return out


# -- Article 8 -------------------------------------------------------------------------------------
def ledger_of(records: Records, studio_id: str, kind: LedgerKind | None = None) -> list[LedgerEntry]:
    """A studio's ledger entries (of one kind, or all), newest first."""
    if studio_id not in records.studios:
        raise KeyError(studio_id)
    entries = [e for e in records.ledger[studio_id] if kind is None or e.kind is kind]
    return sorted(entries, key=lambda e: (-e.year, e.date or "", e.id))
