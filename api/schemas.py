"""Response models of the routes that answer with matching and lifecycle results, so that the OpenAPI
schema describes every answer (request models live beside their routes)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from graph.model import AllianceAction, AllianceKind, AllianceStatus


class AllianceEventPublic(BaseModel):
    id: str
    action: AllianceAction
    actor: str
    at: str
    studio_ids: list[str] = []
    note: str = ""


class AlliancePublic(BaseModel):
    id: str
    name: str
    kind: AllianceKind
    status: AllianceStatus
    member_ids: list[str]
    lead_studio_id: str | None = None
    founded_year: int | None = None
    chain_id: str | None = None
    project_id: str | None = None
    note: str = ""
    former_member_ids: list[str] = []
    score: float | None = None
    reasons: list[str] = []
    covered: list[str] = []
    uncovered: list[str] = []


class AllianceDetail(AlliancePublic):
    history: list[AllianceEventPublic]


class ProposalPublic(BaseModel):
    id: str
    kind: AllianceKind
    name: str
    members: list[str]
    lead: str | None
    score: float
    covered: list[str]
    uncovered: list[str]
    reasons: list[str]
    reasons_en: list[str]
    chain_id: str | None = None
    project_id: str | None = None
    details: dict[str, Any] = {}
    saved: str

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "id": "al-e3c59fb328b4",
                    "kind": "chain",
                    "name": "汽车产业链上下游联盟",
                    "members": ["SH000010", "SH000012", "SH000108"],
                    "lead": "SH000010",
                    "score": 0.875,
                    "covered": ["auto/battery", "auto/vehicle"],
                    "uncovered": ["auto/materials"],
                    "reasons": ["覆盖汽车产业链 7/8 个环节", "空白环节：汽车材料与轻量化"],
                    "reasons_en": ["covers 7/8 segments of the auto chain"],
                    "chain_id": "auto",
                    "saved": "created",
                }
            ]
        }
    }


class ProposalReport(BaseModel):
    proposals: list[ProposalPublic]
    left_out: dict[str, int]


class GapCandidate(BaseModel):
    studio_id: str
    name: str
    score: float
    partner_id: str | None = None
    partner_name: str | None = None
    reasons: list[str]


class GapRow(BaseModel):
    chain: str
    chain_name: str
    priority: int
    segment: str
    segment_name: str
    status: str
    status_zh: str
    studios: int
    inferred: int
    national_leaders: int
    alliances: int
    stage: str
    downstream: str | None = None
    downstream_name: str | None = None
    candidates: list[GapCandidate]

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "chain": "ic",
                    "chain_name": "集成电路",
                    "priority": 1,
                    "segment": "ic/eda-ip",
                    "segment_name": "EDA工具与IP核",
                    "status": "gap",
                    "status_zh": "空白",
                    "studios": 0,
                    "inferred": 0,
                    "national_leaders": 0,
                    "alliances": 0,
                    "stage": "upstream",
                    "candidates": [
                        {
                            "studio_id": "SH000225",
                            "name": "罗鑫雷劳模创新工作室",
                            "score": 0.57,
                            "reasons": ["位于相邻环节芯片设计（链路强度 0.90）"],
                        }
                    ],
                }
            ]
        }
    }


class ChainCoverage(BaseModel):
    chain: str
    name: str
    priority: int
    segments: int
    covered: int
    weak: int
    gaps: int
    barriers: int
    coverage: float


class ProjectGap(BaseModel):
    project: str
    name: str
    chain: str | None
    needs: int
    uncovered: list[str]


class GapReport(BaseModel):
    chains: list[ChainCoverage]
    gaps: list[GapRow]
    projects: list[ProjectGap]


class ChainChange(BaseModel):
    chain: str
    name: str
    coverage_before: float
    coverage_after: float
    gaps_before: int
    gaps_after: int
    barriers_before: int
    barriers_after: int


class StatusChange(BaseModel):
    chain: str
    segment: str
    downstream: str | None = None
    before: str
    after: str
    studios_before: int
    studios_after: int


class WhatIfResult(BaseModel):
    chains: list[ChainChange]
    changes: list[StatusChange]


class ConditionPublic(BaseModel):
    number: int
    condition: str
    verdict: str
    verdict_zh: str
    evidence: str


class EligibilityPublic(BaseModel):
    studio_id: str
    name: str
    year: int
    verdict: str
    conditions: list[ConditionPublic]

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "studio_id": "SH000012",
                    "name": "沈忠振劳模创新工作室",
                    "year": 2025,
                    "verdict": "unknown",
                    "conditions": [
                        {
                            "number": 1,
                            "condition": "领衔人为省部级以上劳模或全国五一劳动奖章获得者",
                            "verdict": "met",
                            "verdict_zh": "符合",
                            "evidence": "领衔人沈忠振：上海市劳动模范（省部级）",
                        }
                    ],
                }
            ]
        }
    }


class FindingPublic(BaseModel):
    studio_id: str
    name: str
    union: str
    district: str
    status: str
    action: str
    action_zh: str
    reasons: list[str]
    eligibility: EligibilityPublic


class AssessmentPublic(BaseModel):
    year: int
    assessed: int
    findings: list[FindingPublic]


class AppliedAssessment(BaseModel):
    year: int
    changed: list[str]


class NamingCandidate(BaseModel):
    rank: int
    studio_id: str
    name: str
    national_leader: bool
    results: int
    named_year: int | None
    verdict: str
    reasons: list[str]


class FundingPublic(BaseModel):
    studio_id: str
    name: str
    municipal: int
    union: int
    employer: int
    shortfall: int
    matched: bool


class LedgerEntryPublic(BaseModel):
    id: str
    studio_id: str
    kind: str
    year: int
    date: str | None = None
    title: str
    detail: str = ""
    benefit: str = ""
    benefit_amount: float | None = None
    innovation_type: str = ""
    award: str = ""
    recognised_project: bool = False


class AuditEntryPublic(BaseModel):
    id: str
    at: str
    actor: str
    action: str
    subject_label: str
    subject_key: str
    note: str = ""


class ProblemPublic(BaseModel):
    kind: str = "other"
    """A stable key of the kind of problem (``ingest.problems.KINDS``)."""
    file: str | None = None
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    value: Any = None
    message: str
    message_zh: str = ""


class KindCounts(BaseModel):
    created: int
    updated: int
    unchanged: int


class LikelyDuplicatePublic(BaseModel):
    """A studio row that may be a studio already stored (written as new only with ``accept_new``)."""

    file: str | None = None
    sheet: str | None = None
    row: int
    name: str
    stored_id: str
    stored_name: str
    stored_employer: str = ""
    why: str
    why_zh: str = ""


class ProblemKindCount(BaseModel):
    """How many problems of one kind a report found, and how many of them it names in full."""

    kind: str
    label: str
    label_zh: str
    count: int
    shown: int


class IngestResult(BaseModel):
    ok: bool
    dry_run: bool
    written: bool
    files: list[str]
    rows: dict[str, int]
    inferred: int
    problem_count: int
    problems: list[ProblemPublic]
    """The first problems (at most 200); ``problem_kinds`` counts all of them by kind."""
    problem_kinds: list[ProblemKindCount] = []
    warning_count: int = 0
    warnings: list[ProblemPublic] = []
    warning_kinds: list[ProblemKindCount] = []
    likely_duplicates: list[LikelyDuplicatePublic] = []
    kinds: dict[str, KindCounts]
