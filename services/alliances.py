"""Alliances (联盟, Article 12): propose them, decide on them (accept, reject, dissolve), read each
chain's gaps, and try what-ifs — and write a what-if when asked.

Proposals are computed on a :class:`services.fits.Fit` and stored as ``proposed`` alliances with a
``proposed`` event each and one audit entry, in one write. A decision writes the alliance, its
event and its audit entry in one write. Who may do what is :mod:`services.policy`'s.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from graph.alliances import SavedProposals, decide, save_proposals
from graph.errors import Invalid, NotFound
from graph.model import Alliance, AllianceAction, AllianceKind, AuditEntry, Record, Studio
from graph.store import BaseStore
from matching.alliances import FORM_KINDS, AllianceFormer, FormReport, Limits, Proposal
from matching.gaps import GapRadar, GapReport, RadarSettings, Scenario, WhatIf, what_if

from .fits import Cache, Fit
from .policy import ALLIANCE_DECIDE, ALLIANCE_PROPOSE, Actor, may_write_studio, require, require_municipal


@dataclass(frozen=True)
class ProposalRequest:
    """What to propose: kinds (default every kind ``form`` knows), or one chain's team, or one
    project's; the limits and the community seed as :class:`matching.alliances.Limits` takes them."""

    kinds: Sequence[AllianceKind] | None = None
    chain: str | None = None
    project: str | None = None
    limits: Limits = field(default_factory=Limits)
    seed: int = 0
    resolution: float = 1.0
    include_allied: bool = False


def limits_of(
    min_size: int = 5,
    max_size: int = 30,
    per_segment: int = 1,
    max_per_studio: int | None = None,
    min_districts: int = 1,
    min_employers: int = 1,
) -> Limits:
    """:class:`Limits` from a door's options; an impossible combination is :class:`Invalid`."""
    try:
        return Limits(min_size, max_size, per_segment, max_per_studio, min_districts, min_employers)
    except ValueError as exc:
        raise Invalid(f"{exc} / 联盟规模等限制不合理") from None


@dataclass(frozen=True)
class Proposed:
    report: FormReport
    saved: SavedProposals
    dry_run: bool

    def state(self, alliance_id: str) -> str:
        """Whether a proposal was stored before (existing), now (created), or would be (dry run)."""
        if alliance_id in self.saved.existing:
            return "existing"
        return "would-create" if self.dry_run else "created"


def propose(store: BaseStore, actor: Actor, fit: Fit, request: ProposalRequest, *, dry_run: bool = False) -> Proposed:
    """Compute proposals on ``fit`` and store the new ones as proposed (the municipal union)."""
    ALLIANCE_PROPOSE.check(actor)
    if request.chain and request.project:
        raise Invalid("ask for one chain or one project, not both / 产业链与重点项目只能选一个")
    kinds = list(request.kinds or FORM_KINDS)
    unknown = [k for k in kinds if k not in FORM_KINDS]
    if unknown:
        raise Invalid(f"cannot form {unknown[0].value} alliances; use {', '.join(k.value for k in FORM_KINDS)}")
    former = AllianceFormer(fit.suggester, fit.projection, limits=request.limits, seed=request.seed,
                            resolution=request.resolution, include_allied=request.include_allied)  # fmt: skip
    try:
        if request.chain or request.project:
            report = FormReport([])
            team = (former.chain_team(request.chain, report) if request.chain
                    else former.project_team(request.project or "", report))  # fmt: skip
            report.proposals = [team] if team is not None and len(team.members) >= 2 else []
        else:
            report = former.form(kinds)
    except KeyError as exc:
        raise NotFound("Chain or project", str(exc.args[0])) from None

    def audit(created: tuple[str, ...]) -> list[AuditEntry]:
        return [AuditEntry.of(actor.name, "alliance.propose", "Alliance", created[0], f"{len(created)} 个联盟建议")]

    saved = save_proposals(store, [p.to_alliance() for p in report.proposals], actor=actor.name, dry_run=dry_run,
                           also=audit)  # fmt: skip
    return Proposed(report, saved, dry_run)


def decide_alliance(
    store: BaseStore, actor: Actor, alliance_id: str, action: AllianceAction, note: str = ""
) -> Alliance:
    """Accept, reject or dissolve an alliance: the municipal union, or a union with a member studio."""
    ALLIANCE_DECIDE.check(actor, store, alliance_id)
    audit = AuditEntry.of(actor.name, f"alliance.{action.value}", "Alliance", alliance_id, note[:2000])
    return decide(store, alliance_id, action, actor=actor.name, note=note, also=[audit])


def gap_report(fit: Fit, chain: str | None = None, *, weak_below: int = 3, candidates: int = 5) -> GapReport:
    """The gap radar of one chain, or of all: gaps, weak segments, barriers, fill candidates, the
    needs of key projects. An unknown chain is :class:`NotFound`."""
    try:
        settings = RadarSettings(weak_below=weak_below, candidates=candidates)
        return GapRadar(fit.suggester, fit.projection, settings).report(chain)
    except KeyError:
        raise NotFound("Chain", chain or "") from None


def gaps_json(cache: Cache, chain: str | None = None, *, weak_below: int = 3, candidates: int = 5) -> dict[str, Any]:
    """:func:`gap_report` as JSON, once per chain, settings and fit (the API and the console share it)."""

    def make(fit: Fit) -> dict[str, Any]:
        return gap_report(fit, chain, weak_below=weak_below, candidates=candidates).to_json()

    return cache(("gaps", chain, weak_below, candidates), make)


def try_scenario(fit: Fit, scenario: Scenario, *, chain: str | None = None, weak_below: int = 3) -> WhatIf:
    """What opens and closes if ``scenario`` happened (nothing is written)."""
    if not (scenario.form or scenario.name_in or scenario.delist):
        raise Invalid("say what to try: form, name_in or delist / 请说明要推演的变化")
    try:
        return what_if(
            fit.suggester, fit.projection, scenario, chain=chain, settings=RadarSettings(weak_below=weak_below)
        )
    except KeyError as exc:
        raise NotFound("Studio, segment or chain", str(exc.args[0])) from None


def apply_scenario(store: BaseStore, actor: Actor, fit: Fit, scenario: Scenario) -> list[str]:
    """Write a what-if (the municipal union): its alliances as proposals, the segments it names
    studios in, its delistings — each audited, all in one write."""
    require_municipal(actor)
    known = {s.id: s for s in fit.projection.studios}
    new = [sid for sid, _ in scenario.name_in if sid not in known]
    if new:
        raise Invalid(
            f"{new[0]!r} is not a stored studio; a new studio is added by loading a roster / 新工作室请通过名单导入"
        )
    records: list[Record] = []
    written: list[str] = []
    for members in scenario.form:
        missing = [m for m in members if m not in known]
        if missing:
            raise NotFound("Studio", missing[0])
        alliance = _what_if_alliance(known, members)
        saved = save_proposals(store, [alliance], actor=actor.name, dry_run=True)
        if not saved.existing:
            records.append(alliance)
            records.append(AuditEntry.of(actor.name, "alliance.propose", "Alliance", alliance.id, "由推演提出"))
        written.append(alliance.id)
    for sid, segment in scenario.name_in:
        studio = known[sid]
        records.append(Studio.model_validate({**studio.model_dump(), "segment_ids": (*studio.segment_ids, segment)}))
        records.append(AuditEntry.of(actor.name, "studio.update", "Studio", sid, f"推演：列入环节 {segment}"))
        written.append(f"{sid}:{segment}")
    for sid in scenario.delist:
        if sid not in known:
            raise NotFound("Studio", sid)
        require(may_write_studio(actor, known[sid]), f"this key may not delist studio {sid} / 无权摘牌")
        records.append(store.get(Studio, sid).delisted(f"推演后摘牌（{actor.name}）"))
        records.append(AuditEntry.of(actor.name, "studio.delist", "Studio", sid, "推演后摘牌"))
        written.append(sid)
    proposals = [r for r in records if isinstance(r, Alliance)]
    others = [r for r in records if not isinstance(r, Alliance)]
    if proposals:
        save_proposals(store, proposals, actor=actor.name, also=lambda _: others)
    elif others:
        store.write(others)
    return written


def _what_if_alliance(known: dict[str, Studio], members: Sequence[str]) -> Alliance:
    proposal = Proposal(
        kind=AllianceKind.CHAIN,
        name="推演联盟：" + "、".join(known[m].name for m in members[:3]) + ("等" if len(members) > 3 else ""),
        members=tuple(sorted(members)),
        lead=None,
        score=0.0,
        reasons=("由推演提出",),
        reasons_en=("proposed from a what-if",),
    )
    return proposal.to_alliance().model_copy(update={"score": None})
