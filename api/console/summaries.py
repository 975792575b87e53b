"""What the console's pages show, computed once per fit of the models from the projection (and kept
in the fit's :class:`services.fits.Cache` until the next fit): names by id, the filter choices, per-studio
indexes, the home page's counts. Counting and looking up only: the rules live in ``graph`` and
``matching``."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from graph.lifecycle import Records
from graph.lookup import StudioLookup
from graph.model import (
    AllianceStatus,
    Chain,
    Collaboration,
    Industry,
    IndustryLevel,
    ModelWorker,
    Segment,
    Studio,
    StudioStatus,
)
from graph.store import Projection
from matching.gaps import GapRadar, coverage_by_year, segment_totals
from matching.suggest import Suggester

from . import charts


@dataclass
class Directory:
    """Names and indexes over one projection (beside the lifecycle's :class:`Records` of it)."""

    records: Records
    unions: dict[str, str]
    employers: dict[str, str]
    industries: dict[str, Industry]
    trades: dict[str, str]
    chains: dict[str, Chain]
    segments: dict[str, Segment]
    projects: dict[str, str]
    districts: list[str]
    collaborations: dict[str, list[Collaboration]] = field(default_factory=dict)
    alliances: list[tuple[str, str, str, float]] = field(default_factory=list)
    """Every alliance as (status, kind, id, score), best score first: the lists page through it
    and read the records they show from the store."""
    _lookup: StudioLookup | None = None

    @property
    def studios(self) -> dict[str, Studio]:
        return self.records.studios

    @property
    def workers(self) -> dict[str, ModelWorker]:
        return self.records.workers

    @classmethod
    def of(cls, projection: Projection, records: Records) -> Directory:
        collaborations: dict[str, list[Collaboration]] = defaultdict(list)
        for c in projection.collaborations:
            collaborations[c.studio_a].append(c)
            collaborations[c.studio_b].append(c)
        return cls(
            records=records,
            unions={u.id: u.name for u in projection.unions},
            employers={e.id: e.name for e in projection.employers},
            industries={i.code: i for i in projection.industries},
            trades={t.code: t.name for t in projection.trades},
            chains={c.id: c for c in sorted(projection.chains, key=lambda c: (c.priority, c.id))},
            segments={g.id: g for g in projection.segments},
            projects={p.id: p.name for p in projection.projects},
            districts=sorted({s.district for s in projection.studios if s.district}),
            collaborations=dict(collaborations),
            alliances=sorted(
                ((a.status.value, a.kind.value, a.id, a.score or 0.0) for a in projection.alliances),
                key=lambda a: (-a[3], a[2]),
            ),
        )

    def alliance_ids(self, status: str = "", kind: str = "") -> list[str]:
        """Ids of the alliances of a status and kind ("" for any), best score first."""
        return [a[2] for a in self.alliances if (not status or a[0] == status) and (not kind or a[1] == kind)]

    def section(self, code: str | None) -> Industry | None:
        """The GB/T 4754 section (门类) a code belongs to."""
        seen = 0
        node = self.industries.get(code or "")
        while node is not None and node.level is not IndustryLevel.SECTION and seen < 8:
            node = self.industries.get(node.parent_code or "")
            seen += 1
        return node

    def industry_choices(self) -> list[tuple[str, str]]:
        """Sections and divisions, for a filter (a division includes the codes below it)."""
        levels = (IndustryLevel.SECTION, IndustryLevel.DIVISION)
        chosen = [i for i in self.industries.values() if i.level in levels]
        chosen.sort(key=lambda i: ((section.code if (section := self.section(i.code)) else ""), i.code))
        return [(i.code, ("" if i.level is IndustryLevel.SECTION else "　") + f"{i.code} {i.name}") for i in chosen]

    def chains_of(self, studio: Studio) -> list[str]:
        segments = studio.effective_segments
        return sorted({self.segments[g].chain_id for g in segments if g in self.segments})

    def studio_id(self, text: str) -> str:
        """A studio typed by id or by exact name (a name several studios share stays as typed)."""
        if self._lookup is None:
            self._lookup = StudioLookup((s.id, s.name) for s in self.studios.values())
        found = self._lookup.matches(text)
        return found[0] if len(found) == 1 else text

    def name(self, studio_id: str) -> str:
        found = self.studios.get(studio_id)
        return found.name if found else studio_id


def dashboard(
    projection: Projection,
    suggester: Suggester,
    directory: Directory,
    coverage: tuple[list[int], dict[str, list[float]]],
) -> dict[str, Any]:
    """The home page: studios by status, district, industry section and chain; alliances by status;
    each chain's segments by gap status; coverage of each chain by year."""
    status = Counter(s.status.value for s in projection.studios)
    live = [s for s in projection.studios if s.status is not StudioStatus.DELISTED]
    by_district = Counter(s.district or "未填写" for s in live)
    by_section: Counter[str] = Counter()
    by_chain: Counter[str] = Counter()
    for s in live:
        section = directory.section(s.effective_industry)
        by_section[section.name if section else "未分类"] += 1
        for c in directory.chains_of(s):
            by_chain[directory.chains[c].name] += 1
    alliances = Counter(a.status.value for a in projection.alliances)
    report = GapRadar(suggester, projection).report(None, with_candidates=False, projects=False)
    chains = [c.to_json() for c in report.chains]
    gap_chart = charts.stacked(
        "各产业链环节状态（个）",
        [c["name"] for c in chains],
        {key: [c[col] for c in chains] for key, col in
         (("gap", "gaps"), ("barrier", "barriers"), ("weak", "weak"), ("covered", "covered"))},
        {"gap": "空白", "barrier": "壁垒", "weak": "薄弱", "covered": "已覆盖"},
    )  # fmt: skip
    years, by_chain_year = coverage
    return {
        "studios": len(projection.studios),
        "status": {k.value: status.get(k.value, 0) for k in StudioStatus},
        "alliances": {k.value: alliances.get(k.value, 0) for k in AllianceStatus},
        "chains": chains,
        "open_gaps": sum(c["gaps"] for c in chains),
        "open_barriers": sum(c["barriers"] for c in chains),
        "weak": sum(c["weak"] for c in chains),
        "by_district": dict(by_district.most_common()),
        "by_section": dict(by_section.most_common()),
        "by_chain": dict(by_chain.most_common()),
        "charts": {
            "district": charts.bars("各区在册工作室（家）", by_district),
            "section": charts.bars("各行业门类在册工作室（家）", by_section, colour="#3e8e41"),
            "chain": charts.bars("各产业链在册工作室（家）", by_chain, colour="#b7791f"),
            "gaps": gap_chart,
            "coverage": charts.lines(
                "各产业链环节覆盖率（%）", years, {directory.chains[c].name: v for c, v in by_chain_year.items()}
            ),
        },
        "years": years,
        "coverage": by_chain_year,
    }


def chain_coverage(
    projection: Projection, directory: Directory, last: int = 10
) -> tuple[list[int], dict[str, list[float]]]:
    """Per chain, the share of its segments with a live studio in each of the last ``last`` years (%)."""
    counts = coverage_by_year(projection)
    totals = segment_totals(projection)
    years = sorted({y for per in counts.values() for y in per})[-last:]
    return years, {
        c: [round(100 * counts[c].get(y, 0) / totals[c], 1) if totals.get(c) else 0.0 for y in years]
        for c in directory.chains
        if c in counts
    }
