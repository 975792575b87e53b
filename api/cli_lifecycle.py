"""Commands for a studio's life under the rules: ``eligibility``, ``assess``, ``naming``, ``ledger``,
``funding``, ``audit`` (Articles 3, 6–10). Registered on :data:`api.cli.app`; the rules live in
:mod:`graph.lifecycle`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from graph.labels import ASSESSMENT_ACTION_ZH as ACTION_ZH
from graph.labels import LEDGER_SHORT_ZH as LEDGER_ZH
from graph.labels import VERDICT_ZH
from graph.lifecycle import (
    Action,
    Assessment,
    Records,
    eligibility,
    funding_checks,
    ledger_of,
    naming_candidates,
)
from graph.lookup import StudioLookup
from graph.model import LedgerKind, this_year
from services.audit import audit_trail
from services.lifecycle import apply_year, assess_year

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
)
from .exports import assessment_table, funding_table, naming_table

YearOption = Annotated[int | None, typer.Option("--year", help="The year assessed (default: last year).")]


def _year(year: int | None) -> int:
    return year if year is not None else this_year() - 1


def _records(store: str | None) -> Records:
    with _store(store) as st:
        return Records(st.projection())


def _studio_id(records: Records, studio: str) -> str:
    found = StudioLookup((s.id, s.name) for s in records.studios.values()).matches(studio)
    if len(found) == 1:
        return found[0]
    err.print(f"error: no single studio with id or name {studio!r} / 没有编号或名称为「{studio}」的唯一工作室")
    raise typer.Exit(4)


@app.command("eligibility")
def eligibility_command(
    studio: Annotated[str, typer.Argument(help="Studio id or exact name.")],
    store: StoreOption = None,
    year: YearOption = None,
    as_json: JsonOption = False,
) -> None:
    """Article 3's five conditions for one studio, each with its evidence (资格条件)."""
    records = _records(store)
    check = eligibility(records, _studio_id(records, studio), _year(year))
    if as_json:
        _print_json(check.to_json())
        return
    leader = records.leader(records.studios[check.studio_id])
    out.print(f"领衔人：{leader.name if leader else '未登记'}", highlight=False)
    table = Table(title=f"{check.name} — {check.year} 年资格条件：{VERDICT_ZH[check.verdict]}")
    for column in ("#", "condition 条件", "verdict 结论", "evidence 依据"):
        table.add_column(column, overflow="fold")
    for c in check.conditions:
        table.add_row(str(c.number), c.name, VERDICT_ZH[c.verdict], c.evidence)
    out.print(table)


@app.command("assess")
def assess_command(
    store: StoreOption = None,
    year: YearOption = None,
    union: Annotated[str | None, typer.Option(help="Only studios of this union (id or name).")] = None,
    out_file: Annotated[
        Path | None, typer.Option("--out", help="Write the report as .csv (UTF-8 for Excel), .xlsx or .json.")
    ] = None,
    apply: Annotated[
        bool, typer.Option("--apply", help="Flag and delist as the report says, with an audit record.")
    ] = False,
    by: ByOption = None,
    as_json: JsonOption = False,
) -> None:
    """The yearly assessment (年度考核, Article 9): studios to delist, flag, or complete data for."""
    year = _year(year)
    with _store(store) as st:
        if apply:
            assessment, changed = apply_year(st, _operator(by), year, union=union)
        else:
            assessment, changed = assess_year(st, year, union=union), []
    if out_file is not None:
        _write_report(assessment, out_file)
    if as_json:
        _print_json({**assessment.to_json(), "applied": changed})
        return
    counts = {a: sum(1 for f in assessment.findings if f.action is a) for a in Action}
    out.print(
        f"{year} 年度考核：{assessment.assessed} 个工作室；摘牌 {counts[Action.DELIST]}，警示整改 "
        f"{counts[Action.FLAG]}，补全资料 {counts[Action.COMPLETE]}",
        highlight=False,
    )
    table = Table()
    for column in ("id", "studio 工作室", "union 工会", "action 建议", "reasons 理由"):
        table.add_column(column, overflow="fold")
    for f in assessment.findings:
        table.add_row(f.studio_id, f.name, f.union, ACTION_ZH[f.action], "；".join(f.reasons))
    out.print(table)
    if out_file is not None:
        out.print(f"report written to {out_file}")
    out.print(f"applied: {len(changed)} studio(s) changed" if apply else "nothing changed (use --apply)")


def _write_report(assessment: Assessment, path: Path) -> None:
    suffix = path.suffix.lower()
    if suffix in (".csv", ".xlsx"):
        assessment_table(*assessment.table()).write(path)
    elif suffix == ".json":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(assessment.to_json(), ensure_ascii=False, indent=2), encoding="utf-8")
    else:
        err.print(f"error: write the report as .csv, .xlsx or .json, not {suffix or 'no suffix'}")
        raise typer.Exit(2)


@app.command("naming")
def naming_command(
    store: StoreOption = None,
    year: Annotated[int | None, typer.Option("--year", help="The naming year (default: this year).")] = None,
    quota: Annotated[int, typer.Option(min=1, help="How many (the municipal union names about 100 a year).")] = 100,
    out_file: OutOption = None,
    as_json: JsonOption = False,
) -> None:
    """Candidates for municipal naming (市级命名候选, Articles 6–7), national model workers first."""
    year = year if year is not None else this_year()
    ranked = naming_candidates(_records(store), year, quota)
    _write_table(naming_table([c.to_json() for c in ranked]), out_file)
    if as_json:
        _print_json([c.to_json() for c in ranked])
        return
    table = Table(title=f"{year} 年市级命名候选（{len(ranked)}）")
    for column in ("#", "studio 工作室", "national 全国劳模", "results 成果", "named 命名", "reasons 理由"):
        table.add_column(column, overflow="fold")
    for c in ranked:
        table.add_row(str(c.rank), f"{c.name}\n{c.studio_id}", "是" if c.national_leader else "", str(c.results),
                      str(c.named_year or ""), "；".join(c.reasons))  # fmt: skip
    out.print(table)


@app.command("ledger")
def ledger_command(
    studio: Annotated[str, typer.Argument(help="Studio id or exact name.")],
    store: StoreOption = None,
    kind: Annotated[LedgerKind | None, typer.Option(help="activity | result | member")] = None,
    as_json: JsonOption = False,
) -> None:
    """A studio's ledgers (台帐, Article 8): activities, results, member development."""
    records = _records(store)
    entries = ledger_of(records, _studio_id(records, studio), kind)
    if as_json:
        _print_json([e.model_dump(mode="json") for e in entries])
        return
    table = Table(title=f"{records.studios[entries[0].studio_id].name if entries else studio} 台帐（{len(entries)}）")
    for column in ("year 年份", "ledger 台帐", "title 名称", "benefit 效益", "award 获奖"):
        table.add_column(column, overflow="fold")
    for e in entries:
        table.add_row(str(e.year) + (f"\n{e.date}" if e.date else ""), LEDGER_ZH[e.kind], e.title,
                      e.benefit or (f"{e.benefit_amount:g} 万元" if e.benefit_amount else ""), e.award)  # fmt: skip
    out.print(table)


@app.command("funding")
def funding_command(
    store: StoreOption = None,
    year: Annotated[int | None, typer.Option("--year", help="Count funding up to this year.")] = None,
    short_only: Annotated[bool, typer.Option("--short-only", help="Only studios whose match is short of 1:1.")] = False,
    out_file: OutOption = None,
    as_json: JsonOption = False,
) -> None:
    """Funding (经费, Article 10): the municipal subsidy, the union's 1:1 match, and shortfalls."""
    checks = funding_checks(_records(store), year)
    if short_only:
        checks = [c for c in checks if c.shortfall]
    _write_table(funding_table([c.to_json() for c in checks]), out_file)
    if as_json:
        _print_json([c.to_json() for c in checks])
        return
    table = Table(title=f"经费配套（{len(checks)}）")
    for column in ("studio 工作室", "市总工会", "区局（产业）工会", "所在单位", "shortfall 配套缺口"):
        table.add_column(column, overflow="fold", justify="right")
    for c in checks:
        table.add_row(f"{c.name}\n{c.studio_id}", f"{c.municipal:,}", f"{c.union:,}", f"{c.employer:,}",
                      f"{c.shortfall:,}" if c.shortfall else "—")  # fmt: skip
    out.print(table)


@app.command("audit")
def audit_command(
    store: StoreOption = None,
    subject: Annotated[str | None, typer.Option(help="Only entries about this id.")] = None,
    limit: Annotated[int, typer.Option(min=1, help="Newest entries shown.")] = 50,
    by: ByOption = None,
    as_json: JsonOption = False,
) -> None:
    """The audit trail (操作记录): who changed what, when, newest first."""
    with _store(store) as st:
        entries = audit_trail(st, _operator(by), subject=subject, limit=limit)
    if as_json:
        _print_json([e.model_dump(mode="json") for e in entries])
        return
    table = Table(title=f"Audit trail 操作记录 ({len(entries)})")
    for column in ("when 时间", "who 操作人", "what", "subject", "note 说明"):
        table.add_column(column, overflow="fold")
    for e in entries:
        table.add_row(e.at, e.actor, e.action, f"{e.subject_label} {e.subject_key}", e.note)
    out.print(table)
