"""Articles 3 and 6–10 as jobs: eligibility, the yearly assessment and its apply, naming candidates,
ledgers and funding. Reads are cached per fit (:class:`services.fits.Cache`), so the API and the
console compute an assessment once per year and fit; applying the assessment is the municipal
union's, audited per studio in the same write (:func:`graph.lifecycle.apply_assessment`).
"""

from __future__ import annotations

from dataclasses import replace

from graph.errors import NotFound
from graph.lifecycle import (
    Assessment,
    Candidate,
    FundingCheck,
    Records,
    apply_assessment,
    assess,
    funding_checks,
    naming_candidates,
)
from graph.store import BaseStore

from .fits import Cache
from .policy import ASSESSMENT_APPLY, Actor


def records_of(cache: Cache) -> Records:
    """The lifecycle's view of the graph, built once per fit of the models (not per request)."""
    return cache(("records",), lambda fit: Records(fit.projection))


def assessment_of(cache: Cache, year: int) -> Assessment:
    """The yearly assessment of every studio, once per year and fit."""
    records = records_of(cache)
    return cache(("assessment", year), lambda fit: assess(records, year))


def naming_of(cache: Cache, year: int, quota: int) -> list[Candidate]:
    records = records_of(cache)
    return cache(("naming", year, quota), lambda fit: naming_candidates(records, year, quota))


def funding_of(cache: Cache, year: int | None) -> list[FundingCheck]:
    records = records_of(cache)
    return cache(("funding", year), lambda fit: funding_checks(records, year))


def assess_year(store: BaseStore, year: int, *, union: str | None = None) -> Assessment:
    """The assessment of ``year`` on the store as it is now, of one union's studios (id or name)
    when ``union`` is given; an unknown union is :class:`NotFound`."""
    records = Records(store.projection())
    assessment = assess(records, year)
    if union:
        ids = {u.id for u in records.unions.values() if union in (u.id, u.name)}
        if not ids:
            raise NotFound("Union", union)
        kept = [f for f in assessment.findings if records.studios[f.studio_id].union_id in ids]
        assessment = replace(assessment, findings=kept)
    return assessment


def apply_year(
    store: BaseStore, actor: Actor, year: int, *, union: str | None = None, dry_run: bool = False
) -> tuple[Assessment, list[str]]:
    """Assess ``year`` (of one union, when given) and write its delistings and flags, each with its
    audit entry, in one write (the municipal union). Returns the assessment and the studios changed."""
    ASSESSMENT_APPLY.check(actor)
    assessment = assess_year(store, year, union=union)
    return assessment, apply_assessment(store, assessment, actor=actor.name, dry_run=dry_run)
