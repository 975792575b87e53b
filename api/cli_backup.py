"""``alliances export FILE`` and ``alliances import FILE``: back a store up to one file, and load such a
file into an empty store of either kind (the way from the embedded store to Neo4j)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from services.backup import export_store, import_store

from .cli_common import ByOption, JsonOption, StoreOption, _operator, _print_json, _store, app, out


@app.command("export")
def export_command(
    file: Annotated[Path, typer.Argument(help="The export to write (JSON lines), e.g. backup-2026-12-01.jsonl.")],
    store: StoreOption = None,
    with_secrets: Annotated[
        bool,
        typer.Option(
            "--with-secrets",
            help="Also write key digests, password hashes and the session secret (keep the file as safe as the "
            "store); without it keys and accounts are imported locked.",
        ),
    ] = False,
    by: ByOption = None,
    as_json: JsonOption = False,
) -> None:
    """Write every record of the store to one versioned, store-neutral file (audited)."""
    with _store(store) as st:
        summary = export_store(st, _operator(by), file, with_secrets=with_secrets)
    if as_json:
        _print_json(summary.to_json())
        return
    secrets = "secrets included / 含密钥" if with_secrets else "secrets left out / 不含密钥"
    out.print(
        f"{summary.records:,} records written to {file} ({summary.size:,} bytes, sha256 {summary.sha256[:16]}…); "
        f"{secrets} / 已导出 {summary.records:,} 条记录",
        highlight=False,
        soft_wrap=True,
    )


@app.command("import")
def import_command(
    file: Annotated[Path, typer.Argument(help="An export written by `alliances export`.")],
    store: StoreOption = None,
    by: ByOption = None,
    as_json: JsonOption = False,
) -> None:
    """Load an export into an empty store, all or nothing (audited); a file cut short or edited is
    refused with the line it fails at, and the store is left empty."""
    with _store(store) as st:
        summary = import_store(st, _operator(by), file)
    if as_json:
        _print_json(summary.to_json())
        return
    out.print(
        f"{summary.records:,} records imported into {summary.store} / 已导入 {summary.records:,} 条记录",
        highlight=False,
        soft_wrap=True,
    )
    for label, n in summary.locked.items():
        out.print(
            f"{n:,} {label} record(s) imported locked: the export left their secrets out "
            f"(make new keys, reset passwords) / {n:,} 条{label}记录已锁定（导出不含密钥）",
            highlight=False,
            soft_wrap=True,
        )
