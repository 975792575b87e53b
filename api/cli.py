"""The ``alliances`` command line.

Every command takes ``--store`` (or ``ALLIANCES_STORE``): a file path for the embedded store, or a
``bolt://`` / ``neo4j://`` URI for Neo4j. Errors print one line and exit non-zero; ``--json`` prints
machine-readable output instead of tables.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from graph import taxonomy
from graph.config import STORE_ENV, parse_store_setting
from graph.errors import ConfigurationError
from graph.labels import ALLIANCE_KIND_ZH
from graph.model import StudioLevel, StudioStatus
from graph.store import StudioFilter
from services.partners import Partners, partners
from services.rosters import load_files

from .cli_common import (
    ByOption,
    HomeOption,
    JsonOption,
    OutOption,
    StoreOption,
    _operator,
    _print_json,
    _run,
    _setting,
    _store,
    _write_table,
    app,
    db_app,
    err,
    out,
    studios_app,
)
from .exports import suggestions_table


@app.command()
def init(store: StoreOption = None, as_json: JsonOption = False) -> None:
    """Load the reference taxonomies (industries, trades, chains and segments) into the store."""
    records = taxonomy.reference_records()
    with _store(store) as st:
        summary = st.write(records)
        location = st.location
    if as_json:
        _print_json({"store": location, "kinds": {k: vars(v) for k, v in summary.kinds.items()}})
        return
    table = Table(title=f"Reference taxonomies → {location}")
    for column in ("kind", "created", "updated", "unchanged"):
        table.add_column(column, justify="left" if column == "kind" else "right")
    for kind, s in summary.kinds.items():
        table.add_row(kind, str(s.created), str(s.updated), str(s.unchanged))
    out.print(table)


@app.command()
def status(store: StoreOption = None, as_json: JsonOption = False) -> None:
    """Say which store is in use and count its nodes and relationships."""
    setting = _run(lambda: parse_store_setting(_setting(store)))
    with _store(store) as st:
        counts = st.counts()
    if as_json:
        _print_json({"store": setting.describe(), "counts": counts})
        return
    out.print(f"store: {setting.describe()}")
    table = Table()
    table.add_column("label / relationship")
    table.add_column("count", justify="right")
    for name, count in counts.items():
        table.add_row(name, f"{count:,}")
    out.print(table)


@app.command("ingest")
def ingest_command(
    files: Annotated[
        list[Path],
        typer.Argument(
            help=".xlsx, .xls, .docx, .pdf (with a text layer), .csv, .txt (pasted lists) or .json files "
            "(UTF-8 or GBK; Chinese headers)."
        ),
    ],
    store: StoreOption = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Validate and report what would change; write nothing.")
    ] = False,
    classify: Annotated[
        bool, typer.Option("--classify/--no-classify", help="Propose industry, trades, segments for bare rows.")
    ] = True,
    accept_new: Annotated[
        bool,
        typer.Option("--accept-new", help="Write rows that may be stored studios (likely duplicates) as new studios."),
    ] = False,
    by: ByOption = None,
    as_json: JsonOption = False,
) -> None:
    """Load rosters: validate everything first, then write all of it or nothing (audited)."""
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    actor = _operator(by)
    show_progress = not as_json and err.is_terminal
    with _store(store) as st:
        if show_progress:
            with Progress(
                SpinnerColumn(),
                TextColumn("{task.description}"),
                TextColumn("{task.completed:,} rows"),
                TimeElapsedColumn(),
                console=err,
                transient=True,
            ) as progress:
                task = progress.add_task("reading / 读取", total=None)
                phases = {"resolving": "resolving, classifying / 校验、分类", "writing": "writing / 写入"}
                report = load_files(
                    st,
                    actor,
                    files,
                    dry_run=dry_run,
                    classify=classify,
                    accept_new=accept_new,
                    on_row=lambda: progress.advance(task),
                    on_phase=lambda name: progress.update(task, description=phases.get(name, name)),
                )
        else:
            report = load_files(st, actor, files, dry_run=dry_run, classify=classify, accept_new=accept_new)
    if as_json:
        _print_json(report.to_json())
    else:
        _print_ingest(report)
    if not report.ok:
        raise typer.Exit(6)


def _print_ingest(report: Any) -> None:
    rows = ", ".join(f"{n:,} {kind}" for kind, n in report.rows.items()) or "no rows"
    out.print(f"read {rows} from {len(report.files)} file(s)", highlight=False)
    body = report.to_json()
    if report.warning_count:
        err.print(
            f"{report.warning_count} warning(s), to check / {report.warning_count} 条提示，请核对", highlight=False
        )
        _print_problems(report.warnings, report.warning_count, body["warning_kinds"])
    if not report.ok:
        err.print(
            f"{report.problem_count} problem(s); nothing was written / "
            f"发现 {report.problem_count} 个问题，未写入任何数据",
            style="bold red",
            highlight=False,
            soft_wrap=True,
        )
        _print_problems(report.problems, report.problem_count, body["problem_kinds"])
        return
    verb = "would change (dry run, nothing written)" if report.dry_run else "written"
    table = Table(title=f"{verb} / {'预演，未写入' if report.dry_run else '已写入'}")
    for column in ("kind", "created", "updated", "unchanged"):
        table.add_column(column, justify="left" if column == "kind" else "right")
    for kind, s in report.kinds.items():
        table.add_row(kind, f"{s.created:,}", f"{s.updated:,}", f"{s.unchanged:,}")
    out.print(table)
    if report.inferred:
        out.print(
            f"{report.inferred:,} studio(s) got an inferred industry/trade/segment (kept apart from entered data)"
        )


def _print_problems(problems: list[Any], count: int, kinds: list[dict[str, Any]]) -> None:
    """The problems a report names, one a line, then how many more of each kind it does not."""
    for p in problems:
        err.print(f"  {p.describe()}", highlight=False, soft_wrap=True, markup=False)
    if count <= len(problems):
        return
    err.print(f"  … and {count - len(problems):,} more / 另有 {count - len(problems):,} 条未列出:", highlight=False)
    for kind in kinds:
        if kind["count"] > kind["shown"]:
            more = kind["count"] - kind["shown"]
            err.print(f"    {more:,} × {kind['label']} / {kind['label_zh']} ({kind['kind']})", highlight=False)


@app.command("template")
def template_command(path: Annotated[Path, typer.Argument(help="Where to write the .xlsx template.")]) -> None:
    """Write an empty roster workbook with bilingual headers and drop-down lists."""
    from ingest.template import write_template

    if path.suffix.lower() != ".xlsx":
        err.print("error: the template is an Excel workbook; give a path ending in .xlsx")
        raise typer.Exit(2)
    write_template(path)
    out.print(f"template written to {path}")


@app.command("generate")
def generate_command(
    out_path: Annotated[
        Path, typer.Argument(metavar="OUT", help="Where to write: .xlsx, .json, or .csv (studios only).")
    ],
    studios: Annotated[int, typer.Option("--studios", min=1, max=1_000_000, help="How many studios.")] = 1000,
    seed: Annotated[int, typer.Option(help="Same seed, same roster, byte for byte.")] = 2019,
    encoding: Annotated[str, typer.Option(help="CSV encoding: utf-8, utf-8-sig or gb18030.")] = "utf-8",
) -> None:
    """Generate an illustrative (fictional) roster for tests, demos and benchmarks."""
    from ingest import synthetic

    roster = synthetic.generate(studios, seed=seed)
    suffix = out_path.suffix.lower()
    if suffix == ".xlsx":
        synthetic.write_xlsx(roster, out_path)
    elif suffix == ".json":
        synthetic.write_json(roster, out_path)
    elif suffix == ".csv":
        synthetic.write_csv(roster.studios, out_path, encoding=encoding)
    else:
        err.print("error: OUT must end in .xlsx, .json or .csv")
        raise typer.Exit(2)
    out.print(f"{len(roster.studios):,} illustrative studios written to {out_path} (seed {seed})")


@app.command("suggest")
def suggest_command(
    studio: Annotated[str, typer.Argument(help="Studio id or exact name (工作室编号或名称).")],
    store: StoreOption = None,
    kind: Annotated[str, typer.Option(help="same-trade | same-industry | cross-field | chain | all")] = "all",
    top: Annotated[int, typer.Option("--top", min=1, max=200, help="Partners per kind.")] = 10,
    district: Annotated[str | None, typer.Option(help="Only partners in this district.")] = None,
    union: Annotated[str | None, typer.Option(help="Only partners of this union (id).")] = None,
    level: Annotated[StudioLevel | None, typer.Option(help="Only partners named at this level.")] = None,
    include_allied: Annotated[bool, typer.Option("--include-allied", help="Keep partners already allied.")] = False,
    weights: Annotated[
        Path | None,
        typer.Option(
            "--weights",
            help='JSON of component weights per kind, e.g. {"chain": {"chain": 0.6, "complement": 0.4}}.',
        ),
    ] = None,
    out_file: OutOption = None,
    as_json: JsonOption = False,
) -> None:
    """Suggest Article 12 partners for a studio, with scores and reasons."""
    from matching.suggest import KINDS, Filters, Suggester
    from services.fits import Fit, fit_once

    kinds = list(KINDS) if kind == "all" else [k for k in KINDS if k.value == kind]
    if not kinds:
        err.print(f"error: unknown kind {kind!r}; use one of: all, {', '.join(k.value for k in KINDS)}")
        raise typer.Exit(2)
    chosen = _run(lambda: _load_weights(weights)) if weights else None
    with _store(store) as st:
        fit = fit_once(st) if chosen is None else Fit(0.0, p := st.projection(), Suggester(chosen).fit(p))
        filters = Filters(district=district, union=union, level=level.value if level else None)
        found = partners(fit, studio, kinds, top, filters=filters, include_allied=include_allied)
    _write_table(suggestions_table([x.to_json() for x in found.all()]), out_file)
    if as_json:
        _print_json({"studio_id": found.studio_id, "studio_name": found.studio_name,
                     "excluded": found.excluded.to_json() if found.excluded else None,
                     "suggestions": [x.to_json() for x in found.all()]})  # fmt: skip
        return
    _print_partners(found)


def _print_partners(found: Partners) -> None:
    if found.excluded is not None:
        out.print(f"{found.studio_name}：{found.excluded.reason}", highlight=False)
        out.print(f"{found.studio_name}: {found.excluded.reason_en}", highlight=False)
        return
    for k, suggestions in found.by_kind.items():
        table = Table(title=f"{found.studio_name} — {ALLIANCE_KIND_ZH[k]} / {k.value}", show_lines=False)
        for column in ("#", "partner 伙伴", "score", "reasons 理由"):
            table.add_column(column, overflow="fold")
        for n, x in enumerate(suggestions, start=1):
            table.add_row(str(n), f"{x.partner_name}\n{x.partner_id}", f"{x.score:.3f}", "；".join(x.reasons))
        if not suggestions:
            table.add_row("", "—", "", "no partner of this kind / 暂无")
        out.print(table)


def _load_weights(path: Path) -> Any:
    """Weights from a JSON file keyed by kind (same-trade, same-industry, cross-field, chain) and
    ``min_complement``; kinds left out keep their defaults."""
    from matching.suggest import KINDS, Weights

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigurationError(f"cannot read weights from {path}: {exc}") from exc
    if not isinstance(data, dict):
        raise ConfigurationError(f"{path}: weights must be a JSON object keyed by kind")
    fields = {k.value: k.value.replace("-", "_") for k in KINDS}
    unknown = set(data) - set(fields) - {"min_complement"}
    if unknown:
        raise ConfigurationError(f"{path}: unknown key(s) {sorted(unknown)}; use {sorted(fields)} or min_complement")
    try:
        chosen = Weights(**{fields.get(str(k), str(k)): v for k, v in data.items()})
        for kind in KINDS:
            chosen.of(kind)
    except (TypeError, ValueError) as exc:
        raise ConfigurationError(f"{path}: {exc}") from exc
    return chosen


@studios_app.command("list")
def studios_list(
    store: StoreOption = None,
    union: Annotated[str | None, typer.Option(help="Union id (所属工会).")] = None,
    district: Annotated[str | None, typer.Option(help="District (所在区).")] = None,
    trade: Annotated[str | None, typer.Option(help="Trade code (工种).")] = None,
    industry: Annotated[str | None, typer.Option(help="GB/T 4754 code; includes the codes below it.")] = None,
    segment: Annotated[str | None, typer.Option(help="Segment id (产业链环节).")] = None,
    chain: Annotated[str | None, typer.Option(help="Chain id (产业链).")] = None,
    status_: Annotated[StudioStatus | None, typer.Option("--status")] = None,
    level: Annotated[StudioLevel | None, typer.Option()] = None,
    name: Annotated[str | None, typer.Option(help="Part of the name (名称包含).")] = None,
    limit: Annotated[int, typer.Option(min=0)] = 50,
    offset: Annotated[int, typer.Option(min=0)] = 0,
    as_json: JsonOption = False,
) -> None:
    """List studios matching every filter given."""
    where = StudioFilter(union, district, trade, industry, segment, chain, status_, level, name)
    with _store(store) as st:
        total = st.count_studios(where)
        rows = st.list_studios(where, limit=limit, offset=offset)
    if as_json:
        _print_json({"total": total, "studios": [s.model_dump(mode="json") for s in rows]})
        return
    table = Table(title=f"{total} studio(s) / 工作室")
    for column in ("id", "name 名称", "status", "level", "district", "trades", "industry"):
        table.add_column(column)
    for s in rows:
        table.add_row(
            s.id,
            s.name,
            s.status.value,
            s.level.value if s.level else "",
            s.district or "",
            ";".join(s.trade_codes),
            s.industry_code or "",
        )
    out.print(table)


@studios_app.command("create")
def studios_create(
    studio_id: Annotated[str, typer.Argument(help="The new studio's id (工作室编号).")],
    name: Annotated[str, typer.Option("--name", help="Its name (名称).")],
    union: Annotated[str | None, typer.Option(help="Union id (所属工会).")] = None,
    district: Annotated[str | None, typer.Option(help="District (所在区).")] = None,
    level: Annotated[StudioLevel | None, typer.Option(help="Level named at (命名级别).")] = None,
    named_year: Annotated[int | None, typer.Option(min=1949, max=2100, help="Year named (命名年份).")] = None,
    expertise: Annotated[str, typer.Option(help="What it is good at (擅长领域).")] = "",
    needs: Annotated[str, typer.Option(help="What it needs (技术需求).")] = "",
    trade: Annotated[list[str] | None, typer.Option("--trade", help="Trade code (工种, repeat).")] = None,
    industry: Annotated[str | None, typer.Option(help="GB/T 4754 code (行业).")] = None,
    segment: Annotated[list[str] | None, typer.Option("--segment", help="Segment id (产业链环节, repeat).")] = None,
    store: StoreOption = None,
    by: ByOption = None,
    as_json: JsonOption = False,
) -> None:
    """Create one studio (新建工作室), audited; a roster loads many (``alliances ingest``)."""
    from services.studios import create_studio, studio_from

    fields = {"id": studio_id, "name": name, "union_id": union, "district": district, "level": level,
              "named_year": named_year, "expertise": expertise, "needs": needs, "trade_codes": trade or [],
              "industry_code": industry, "segment_ids": segment or []}  # fmt: skip
    with _store(store) as st:
        created = create_studio(st, _operator(by), studio_from(fields))
    _print_studio(created, "created / 已新建", as_json)


@studios_app.command("edit")
def studios_edit(
    studio_id: Annotated[str, typer.Argument(help="Studio id.")],
    name: Annotated[str | None, typer.Option("--name", help="A new name.")] = None,
    district: Annotated[str | None, typer.Option(help="District (所在区).")] = None,
    members: Annotated[int | None, typer.Option(min=1, max=10_000, help="Team size (成员人数).")] = None,
    expertise: Annotated[str | None, typer.Option(help="What it is good at (擅长领域).")] = None,
    needs: Annotated[str | None, typer.Option(help="What it needs (技术需求).")] = None,
    store: StoreOption = None,
    by: ByOption = None,
    as_json: JsonOption = False,
) -> None:
    """Change some fields of a studio (修改工作室), audited."""
    from services.studios import update_studio

    given = {"name": name, "district": district, "members": members, "expertise": expertise, "needs": needs}
    changes = {k: v for k, v in given.items() if v is not None}
    if not changes:
        err.print("error: say what to change (--name, --district, --members, --expertise, --needs)")
        raise typer.Exit(2)
    with _store(store) as st:
        updated = update_studio(st, _operator(by), studio_id, changes)
    _print_studio(updated, "updated / 已修改", as_json)


def _print_studio(studio: Any, what: str, as_json: bool) -> None:
    if as_json:
        _print_json(studio.model_dump(mode="json"))
    else:
        out.print(f"{studio.name} ({studio.id}) {what}", highlight=False)


@db_app.command("start")
def db_start(
    home: HomeOption = None,
    port: Annotated[int | None, typer.Option(help="Bolt port (default: a free one).")] = None,
    password: Annotated[
        str | None,
        typer.Option(envvar="NEO4J_PASSWORD", help="Initial password; without one, authentication is off."),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Assemble Neo4j Community from Maven Central (first time only), start it, wait for Bolt."""
    from graph import server

    info = _run(lambda: server.start(home, port=port, password=password))
    _report_server(info, as_json)


@db_app.command("status")
def db_status(home: HomeOption = None, as_json: JsonOption = False) -> None:
    """Say whether the project's Neo4j server runs, and where."""
    from graph import server

    info = _run(lambda: server.status(home))
    if info is None:
        if as_json:
            _print_json({"running": False})
        else:
            out.print("Neo4j is not running")
        raise typer.Exit(1)
    _report_server(info, as_json)


@db_app.command("stop")
def db_stop(home: HomeOption = None) -> None:
    """Stop the project's Neo4j server (SIGTERM, then SIGKILL after a timeout)."""
    from graph import server

    stopped = _run(lambda: server.stop(home))
    out.print("Neo4j stopped" if stopped else "Neo4j was not running")


def _report_server(info: Any, as_json: bool) -> None:
    data = {
        "running": True,
        "uri": info.uri,
        "pid": info.pid,
        "port": info.port,
        "version": info.version,
        "home": str(info.home),
        "auth": info.auth,
    }
    if as_json:
        _print_json(data)
        return
    out.print(f"Neo4j {info.version} runs at {info.uri} (pid {info.pid}, home {info.home})")
    auth_hint = "NEO4J_PASSWORD=<the password>" if info.auth else "NEO4J_AUTH=none"
    out.print(f"use it with:  export {STORE_ENV}={info.uri} {auth_hint}", highlight=False)


# after this module's own commands, so that ``--help`` lists the core ones first
from . import cli_accounts, cli_alliances, cli_backup, cli_lifecycle, cli_server, cli_views  # noqa: E402, F401  (they register their commands on ``app``)


def main() -> None:
    """Console entry point."""
    os.environ.setdefault("PYTHONIOENCODING", "utf-8")
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
