"""Commands for alliances and gaps: ``form``, ``alliance …``, ``gaps``, ``what-if``, ``coverage``.

Registered on :data:`api.cli.app`. Each is a thin door onto :mod:`services` (proposals, decisions,
delistings, leader changes, what-ifs, tuning), acting as the operator named by ``--by``, else
``$ALLIANCES_ACTOR``, else ``cli:<login>``; every write is audited in the same write.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated

import typer
from rich.table import Table

from graph.alliances import history
from graph.errors import NotFound
from graph.labels import ALLIANCE_KIND_ZH as KIND_ZH
from graph.labels import ALLIANCE_STATUS_ZH as STATUS_ZH
from graph.labels import GAP_STATUS_ZH as GAP_ZH
from graph.model import Alliance, AllianceAction, AllianceKind, AllianceStatus, Studio, WorkerStatus, this_year
from matching.alliances import FORM_KINDS, describe_element
from matching.gaps import GapStatus, Scenario
from services import alliances as service
from services import studios as studio_service
from services.fits import fit_once
from services.tuning import tune

from .cli_common import (
    ByOption,
    JsonOption,
    OutOption,
    StoreOption,
    _operator,
    _print_json,
    _store,
    _write_table,
    app,
    err,
    out,
    studios_app,
)
from .exports import alliances_table, gaps_table

alliance_app = typer.Typer(help="Alliances (联盟): list, show, accept, reject, dissolve.", no_args_is_help=True)
app.add_typer(alliance_app, name="alliance")


def _names(studios: Iterable[Studio]) -> dict[str, str]:
    return {s.id: s.name for s in studios}


@app.command("form")
def form_command(
    store: StoreOption = None,
    kind: Annotated[
        list[str] | None,
        typer.Option("--kind", help="project | chain | same-trade | same-industry (repeat; default all four)."),
    ] = None,
    chain: Annotated[str | None, typer.Option(help="Only the chain alliance of this chain (id).")] = None,
    project: Annotated[str | None, typer.Option(help="Only the alliance of this key project (id).")] = None,
    min_size: Annotated[int, typer.Option(min=2, help="Least members of a same-trade/industry alliance.")] = 5,
    max_size: Annotated[int, typer.Option(min=2, help="Most members of any alliance.")] = 30,
    per_segment: Annotated[int, typer.Option(min=1, help="Studios per segment a chain alliance aims for.")] = 1,
    max_per_studio: Annotated[
        int | None, typer.Option(min=1, help="Most live alliances per studio, stored ones included.")
    ] = None,
    min_districts: Annotated[int, typer.Option(min=1, help="Least districts per alliance.")] = 1,
    min_employers: Annotated[int, typer.Option(min=1, help="Least employers per alliance.")] = 1,
    seed: Annotated[int, typer.Option(help="Seed of the community detection.")] = 0,
    resolution: Annotated[float, typer.Option(min=0.01, help="Louvain resolution (higher: smaller groups).")] = 1.0,
    include_allied: Annotated[
        bool, typer.Option("--include-allied", help="Also propose studios already in a formed alliance of the kind.")
    ] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Compute and show; store nothing.")] = False,
    by: ByOption = None,
    as_json: JsonOption = False,
) -> None:
    """Propose alliances (组建联盟建议) and store them as proposed, each with its reasons."""
    try:
        kinds = [AllianceKind(k) for k in kind] if kind else list(FORM_KINDS)
    except ValueError as exc:
        err.print(f"error: {exc}")
        raise typer.Exit(2) from None
    with _store(store) as st:
        limits = service.limits_of(min_size, max_size, per_segment, max_per_studio, min_districts, min_employers)
        asked = service.ProposalRequest(kinds, chain, project, limits, seed, resolution, include_allied)
        fit = fit_once(st)
        done = service.propose(st, _operator(by), fit, asked, dry_run=dry_run)
    if as_json:
        data = done.report.to_json()
        for p in data["proposals"]:
            p["saved"] = done.state(p["id"])
        _print_json({**data, "dry_run": dry_run})
        return
    _print_proposals(done, _names(fit.projection.studios), {g.id: g.name for g in fit.projection.segments})


def _print_proposals(done: service.Proposed, names: dict[str, str], segment_names: dict[str, str]) -> None:
    report = done.report
    title = f"Alliance proposals 联盟建议 ({len(report.proposals)})" + (" — dry run" if done.dry_run else "")
    table = Table(title=title)
    for column in ("kind", "alliance 联盟", "members", "lead 牵头", "score", "uncovered 未覆盖", "stored"):
        table.add_column(column, overflow="fold")
    stored = {"existing": "existing 已有", "created": "new 新建", "would-create": "—"}
    for p in report.proposals:
        table.add_row(
            KIND_ZH[p.kind.value],
            f"{p.name}\n{p.id}",
            str(len(p.members)),
            names.get(p.lead or "", "—"),
            f"{p.score:.2f}",
            "、".join(describe_element(e, segment_names) for e in p.uncovered) or "—",
            stored[done.state(p.id)],
        )
    out.print(table)
    for reason, count in sorted(report.left_out.items()):
        out.print(f"left out: {reason}: {count}")


def _alliance_row(a: Alliance, names: dict[str, str]) -> list[str]:
    return [
        a.id,
        a.name,
        KIND_ZH.get(a.kind.value, a.kind.value),
        STATUS_ZH[a.status.value],
        str(len(a.member_ids)),
        names.get(a.lead_studio_id or "", "—"),
        "" if a.score is None else f"{a.score:.2f}",
    ]


@alliance_app.command("list")
def alliance_list(
    store: StoreOption = None,
    status: Annotated[AllianceStatus | None, typer.Option(help="Only this status.")] = None,
    kind: Annotated[AllianceKind | None, typer.Option(help="Only this kind.")] = None,
    out_file: OutOption = None,
    as_json: JsonOption = False,
) -> None:
    """List alliances (联盟列表)."""
    with _store(store) as st:
        alliances = [
            a for a in st.list(Alliance) if (status is None or a.status is status) and (kind is None or a.kind is kind)
        ]
        names = {
            k: s.name for k, s in st.get_many(Studio, {a.lead_studio_id for a in alliances if a.lead_studio_id}).items()
        }
        if out_file is not None:
            members = {m for a in alliances for m in a.member_ids}
            member_names = {k: s.name for k, s in st.get_many(Studio, members).items()}
            _write_table(alliances_table([a.model_dump(mode="json") for a in alliances], member_names), out_file)
    if as_json:
        _print_json([a.model_dump(mode="json") for a in alliances])
        return
    table = Table(title=f"Alliances 联盟 ({len(alliances)})")
    for column in ("id", "name 名称", "kind", "status 状态", "members", "lead 牵头", "score"):
        table.add_column(column, overflow="fold")
    for a in alliances:
        table.add_row(*_alliance_row(a, names))
    out.print(table)


@alliance_app.command("show")
def alliance_show(
    alliance_id: Annotated[str, typer.Argument(help="Alliance id.")],
    store: StoreOption = None,
    as_json: JsonOption = False,
) -> None:
    """An alliance: members, reasons, and its history (who did what, when)."""
    with _store(store) as st:
        alliance = st.get(Alliance, alliance_id)
        studios = st.get_many(Studio, [*alliance.member_ids, *alliance.former_member_ids])
        steps = history(st, alliance_id)
    if as_json:
        _print_json(
            {
                **alliance.model_dump(mode="json"),
                "members": [{"id": m, "name": studios[m].name} for m in alliance.member_ids if m in studios],
                "history": [e.model_dump(mode="json") for e in steps],
            }
        )
        return
    out.print(f"[bold]{alliance.name}[/] ({alliance.id}) — {KIND_ZH.get(alliance.kind.value)} · "
              f"{STATUS_ZH[alliance.status.value]}", highlight=False)  # fmt: skip
    for m in alliance.member_ids:
        lead = " ★ 牵头" if m == alliance.lead_studio_id else ""
        out.print(f"  {studios[m].name if m in studios else m} ({m}){lead}", highlight=False)
    for m in alliance.former_member_ids:
        out.print(f"  [dim]已退出: {studios[m].name if m in studios else m} ({m})[/]", highlight=False)
    for reason in alliance.reasons:
        out.print(f"  · {reason}", highlight=False)
    if alliance.uncovered:
        out.print("  未覆盖: " + "、".join(alliance.uncovered), highlight=False)
    table = Table(title="History 记录")
    for column in ("when 时间", "what", "who 操作人", "note 说明"):
        table.add_column(column, overflow="fold")
    for e in steps:
        table.add_row(e.at, e.action.value, e.actor, e.note + (f" {', '.join(e.studio_ids)}" if e.studio_ids else ""))
    out.print(table)


def _decide(
    store: str | None, alliance_id: str, action: AllianceAction, by: str | None, note: str, as_json: bool
) -> None:
    with _store(store) as st:
        updated = service.decide_alliance(st, _operator(by), alliance_id, action, note)
    if as_json:
        _print_json(updated.model_dump(mode="json"))
    else:
        out.print(f"{updated.name} ({updated.id}): {STATUS_ZH[updated.status.value]} / {updated.status.value}")


NoteOption = Annotated[str, typer.Option("--note", help="Why (recorded with the step).")]


@alliance_app.command("accept")
def alliance_accept(
    alliance_id: Annotated[str, typer.Argument(help="A proposed alliance's id.")],
    store: StoreOption = None,
    by: ByOption = None,
    note: NoteOption = "",
    as_json: JsonOption = False,
) -> None:
    """Accept a proposal: the alliance is formed (同意组建)."""
    _decide(store, alliance_id, AllianceAction.ACCEPTED, by, note, as_json)


@alliance_app.command("reject")
def alliance_reject(
    alliance_id: Annotated[str, typer.Argument(help="A proposed alliance's id.")],
    store: StoreOption = None,
    by: ByOption = None,
    note: NoteOption = "",
    as_json: JsonOption = False,
) -> None:
    """Reject a proposal (不予组建)."""
    _decide(store, alliance_id, AllianceAction.REJECTED, by, note, as_json)


@alliance_app.command("dissolve")
def alliance_dissolve(
    alliance_id: Annotated[str, typer.Argument(help="A formed alliance's id.")],
    store: StoreOption = None,
    by: ByOption = None,
    note: NoteOption = "",
    as_json: JsonOption = False,
) -> None:
    """Dissolve a formed alliance (解散)."""
    _decide(store, alliance_id, AllianceAction.DISSOLVED, by, note, as_json)


@studios_app.command("delist")
def studios_delist(
    studio_id: Annotated[str, typer.Argument(help="Studio id.")],
    reason: Annotated[str, typer.Option("--reason", help="Why (摘牌原因), e.g. 领衔人退休.")] = "",
    store: StoreOption = None,
    by: ByOption = None,
    as_json: JsonOption = False,
) -> None:
    """Delist a studio (摘牌, Article 9): it leaves every live alliance at once, kept in their history. Audited."""
    with _store(store) as st:
        done = studio_service.delist_studio(st, _operator(by), studio_id, reason)
        after = st.get_many(Alliance, list(done.left_alliances))
    studio = done.studio
    if as_json:
        _print_json({"studio": studio.model_dump(mode="json"), "left_alliances": list(done.left_alliances)})
        return
    out.print(f"{studio.name} ({studio.id}) delisted / 已摘牌: {studio.status_reason}", highlight=False)
    for a in after.values():
        out.print(f"  left {a.name} ({a.id}) — now {STATUS_ZH[a.status.value]}", highlight=False)


@studios_app.command("leader")
def studios_leader(
    studio_id: Annotated[str, typer.Argument(help="Studio id.")],
    status: Annotated[
        WorkerStatus | None,
        typer.Option("--status", help="What happened to the leader: deceased | retired | left (or serving again)."),
    ] = None,
    year: Annotated[int | None, typer.Option("--year", help="The year it happened (Article 9 acts from then).")] = None,
    new: Annotated[str | None, typer.Option("--new", help="Name of the new leader (新的领衔人).")] = None,
    honours: Annotated[
        str, typer.Option("--honours", help="The new leader's honours, ;-separated, e.g. 全国劳动模范;上海市劳动模范.")
    ] = "",
    note: Annotated[str, typer.Option("--note", help="A note for the audit trail.")] = "",
    by: ByOption = None,
    store: StoreOption = None,
    as_json: JsonOption = False,
) -> None:
    """Record a leader's death, retirement or departure with its year, or a new leader (领衔人变动).

    Article 9 acts at once: every studio the leader leads takes no part in matching from then on,
    and the next yearly assessment delists it unless a new leader is recorded. Audited."""
    from ingest.text import split_list

    if (status is None) == (new is None):
        err.print(
            "error: give either --status (with --year) or --new NAME / 请给出 --status（及 --year）或 --new 姓名之一"
        )
        raise typer.Exit(2)
    with _store(store) as st:
        if new is not None:
            change = studio_service.appoint_leader(st, _operator(by), studio_id, new, tuple(split_list(honours)),
                                                   note=note)  # fmt: skip
        else:
            assert status is not None
            change = studio_service.record_leader_status(st, _operator(by), studio_id, status, year, note=note)
    if as_json:
        _print_json({"leader": change.leader.model_dump(mode="json"), "studios": list(change.studio_ids),
                     "audit": change.audit.model_dump(mode="json")})  # fmt: skip
        return
    out.print(f"{change.audit.note} / recorded", highlight=False)
    if change.leader.has_left_by(this_year()):
        out.print(f"  left out of matching from now on (Article 9): {', '.join(change.studio_ids)}", highlight=False)


@app.command("tune")
def tune_command(
    store: StoreOption = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Learn and backtest; store nothing.")] = False,
    by: ByOption = None,
    as_json: JsonOption = False,
) -> None:
    """Learn suggestion weights from the store's outcomes (学习推荐权重): past collaborations and
    alliances accepted or rejected. Each kind's learned weights are backtested against the hand
    weights on a time split and used by suggest only where they do better. The model is stored with
    the store's data (versioned, with its training date, counts and backtest) and audited."""
    with _store(store) as st:
        report = tune(st, _operator(by), dry_run=dry_run)
    model = report.model
    if as_json:
        _print_json({**report.to_json(), "written": model is not None and not dry_run})
        return
    if model is None:
        out.print(f"nothing learned: {report.reason}", highlight=False)
        return
    t1, t2 = report.split or (0, 0)
    table = Table(title=f"ranking model v{model.version} — train {t1}–{t2 - 1}, backtest {t2}–")
    for column in ("kind", "weights learned", "hand hits@10 / MRR", "learned hits@10 / MRR", "used"):
        table.add_column(column, overflow="fold")
    for k, r in report.results.items():
        weights = ", ".join(f"{c} {w:.2f}" for c, w in r.weights.items())
        hand = f"{r.hand['hits@10']:.2f} / {r.hand['mrr']:.3f}"
        learned = f"{r.learned['hits@10']:.2f} / {r.learned['mrr']:.3f}"
        table.add_row(f"{KIND_ZH[k]} {k}", weights, hand, learned, "yes 采用" if r.adopted else "no")
    out.print(table)
    out.print("dry run: nothing stored" if dry_run else f"stored as {model.id}", highlight=False)


@app.command("gaps")
def gaps_command(
    store: StoreOption = None,
    chain: Annotated[str | None, typer.Option(help="Only this chain (id).")] = None,
    weak_below: Annotated[int, typer.Option(min=1, help="A segment with fewer live studios is weak.")] = 3,
    candidates: Annotated[int, typer.Option(min=0, max=50, help="Studios proposed per gap.")] = 5,
    open_only: Annotated[bool, typer.Option("--open-only", help="Leave covered segments out.")] = False,
    out_file: OutOption = None,
    as_json: JsonOption = False,
) -> None:
    """The gap radar (空白点雷达): gaps, weak segments and barriers of every chain, and who could fill them."""
    with _store(store) as st:
        report = service.gap_report(fit_once(st), chain, weak_below=weak_below, candidates=candidates)
    if open_only:
        report.rows = [r for r in report.rows if r.status is not GapStatus.COVERED]
    _write_table(gaps_table(report.to_json()), out_file)
    if as_json:
        _print_json(report.to_json())
        return
    summary = Table(title="Chains 产业链覆盖")
    for column in ("chain 产业链", "coverage 覆盖", "gaps 空白", "weak 薄弱", "barriers 壁垒"):
        summary.add_column(column)
    for c in report.chains:
        summary.add_row(f"{c.name} ({c.chain})", f"{c.covered}/{c.segments}", str(c.gaps), str(c.weak), str(c.barriers))
    out.print(summary)
    table = Table(title="Segments and barriers 环节与壁垒")
    for column in ("chain", "segment 环节", "status 状态", "studios", "national", "alliances", "best placed 建议填补"):
        table.add_column(column, overflow="fold")
    for r in report.rows:
        segment = f"{r.segment_name} → {r.downstream_name}" if r.downstream else r.segment_name
        best = "；".join(
            f"{c.name} → {c.partner_name}" if c.partner_name else f"{c.name} ({c.score:.2f})" for c in r.candidates[:3]
        )
        table.add_row(r.chain_name, segment, GAP_ZH[r.status], str(r.studios), str(r.national_leaders),
                      str(r.alliances), best or "—")  # fmt: skip
    out.print(table)
    for p in report.projects:
        if p.uncovered:
            out.print(f"项目 {p.name} ({p.project}) 未覆盖: " + "、".join(p.uncovered), highlight=False)


def _split_pair(value: str) -> tuple[str, str]:
    studio, sep, segment = value.partition(":")
    if not sep or not studio or not segment:
        raise typer.BadParameter(f"{value!r}: write STUDIO:SEGMENT, e.g. SH000012:ic/wafer-fab")
    return studio.strip(), segment.strip()


@app.command("what-if")
def what_if_command(
    store: StoreOption = None,
    form: Annotated[
        list[str] | None, typer.Option("--form", help="Studio ids joined by commas, as one alliance (repeat).")
    ] = None,
    name_in: Annotated[
        list[str] | None,
        typer.Option("--name-in", help="STUDIO:SEGMENT, a studio named in a segment; a new id is a new studio."),
    ] = None,
    delist: Annotated[list[str] | None, typer.Option("--delist", help="A studio id to delist (repeat).")] = None,
    chain: Annotated[str | None, typer.Option(help="Only this chain (id).")] = None,
    weak_below: Annotated[int, typer.Option(min=1, help="A segment with fewer live studios is weak.")] = 3,
    apply: Annotated[
        bool, typer.Option("--apply", help="Write the changes too (proposal, delisting, segment).")
    ] = False,
    by: ByOption = None,
    as_json: JsonOption = False,
) -> None:
    """What if (推演): these studios form an alliance, a studio is named in a segment, a studio is
    delisted — which gaps and barriers open or close. Nothing is written without --apply."""
    scenario = Scenario(
        form=tuple(tuple(m.strip() for m in f.split(",") if m.strip()) for f in form or []),
        name_in=tuple(_split_pair(v) for v in name_in or []),
        delist=tuple(delist or []),
    )
    with _store(store) as st:
        fit = fit_once(st)
        result = service.try_scenario(fit, scenario, chain=chain, weak_below=weak_below)
        written = service.apply_scenario(st, _operator(by), fit, scenario) if apply else []
    if as_json:
        _print_json({**result.to_json(), "applied": written})
        return
    table = Table(title="What if 推演 — coverage 覆盖")
    for column in ("chain", "coverage before → after", "gaps", "barriers"):
        table.add_column(column)
    for c in result.to_json()["chains"]:
        table.add_row(
            c["name"],
            f"{c['coverage_before']:.0%} → {c['coverage_after']:.0%}",
            f"{c['gaps_before']} → {c['gaps_after']}",
            f"{c['barriers_before']} → {c['barriers_after']}",
        )
    out.print(table)
    changes = Table(title="Changes 变化")
    for column in ("chain", "segment 环节", "before", "after", "studios"):
        changes.add_column(column)
    for ch in result.changes:
        seg = f"{ch['segment']} → {ch['downstream']}" if "downstream" in ch else ch["segment"]
        changes.add_row(ch["chain"], seg, ch["before"], ch["after"], f"{ch['studios_before']} → {ch['studios_after']}")
    out.print(changes)
    out.print("written: " + ", ".join(written) if written else "nothing written (use --apply to write)")


@app.command("coverage")
def coverage_command(
    store: StoreOption = None,
    chain: Annotated[str | None, typer.Option(help="Only this chain (id).")] = None,
    as_json: JsonOption = False,
) -> None:
    """Coverage of each chain by year (历年覆盖): segments with a live studio, by the year studios were named."""
    from matching.gaps import coverage_by_year, segment_totals

    with _store(store) as st:
        projection = st.projection()
    counts = coverage_by_year(projection)
    totals = segment_totals(projection)
    if chain is not None:
        if chain not in counts:
            raise NotFoundExit(chain)
        counts = {chain: counts[chain]}
    if as_json:
        _print_json(
            [
                {"chain": c, "segments": totals[c], "by_year": {str(y): n for y, n in years.items()}}
                for c, years in counts.items()
            ]
        )
        return
    names = {c.id: c.name for c in projection.chains}
    years = sorted({y for v in counts.values() for y in v})
    shown = years[-10:]
    table = Table(title="Coverage by year 历年覆盖（已覆盖环节数 / 环节总数）")
    table.add_column("chain 产业链")
    for y in shown:
        table.add_column(str(y), justify="right")
    for c, by_year in counts.items():
        table.add_row(names.get(c, c), *(f"{by_year[y]}/{totals[c]}" for y in shown))
    out.print(table)


class NotFoundExit(typer.Exit):
    def __init__(self, key: str) -> None:
        err.print(f"error: {NotFound('Chain', key)}")
        super().__init__(4)
