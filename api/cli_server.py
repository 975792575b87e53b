"""``alliances serve`` and ``alliances keys create|revoke|list``."""

from __future__ import annotations

import os
from typing import Annotated

import typer
from rich.table import Table

from graph.config import STORE_ENV
from graph.model import Role
from services import keys
from services.sessions import IDLE_ENV, MAX_ENV
from services.upload_workers import PER_ACCOUNT_ENV, PROCESSES_ENV

from .cli_common import ByOption, JsonOption, StoreOption, _operator, _print_json, _run, _setting, _store, app, err, out

keys_app = typer.Typer(help="API keys (municipal, union or studio role), kept as digests.", no_args_is_help=True)
app.add_typer(keys_app, name="keys")


CACHE_ENV = "ALLIANCES_CACHE_SECONDS"
"""How often the server refits its matching models at most (``alliances serve --cache-seconds``;
:func:`api.app.create_app` reads it)."""


_PROCESSES_HELP = (
    f"Processes that load roster uploads, per worker; 0: in the server's threads (default 2, or {PROCESSES_ENV})."
)
_PER_ACCOUNT_HELP = (
    f"Uploads of one account loaded at once; the next is refused with 429 (default 2, or {PER_ACCOUNT_ENV})."
)
UploadProcessesOption = Annotated[int | None, typer.Option(min=0, max=64, help=_PROCESSES_HELP)]
UploadsPerAccountOption = Annotated[int | None, typer.Option(min=1, max=64, help=_PER_ACCOUNT_HELP)]


@app.command("serve")
def serve_command(
    store: StoreOption = None,
    host: Annotated[str, typer.Option(help="Address to listen on (loopback by default).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535)] = 8000,
    cache_seconds: Annotated[float, typer.Option(min=0, help="Refit matching models at most this often.")] = 300.0,
    ssl_certfile: Annotated[str | None, typer.Option(help="Serve HTTPS with this certificate (PEM).")] = None,
    ssl_keyfile: Annotated[str | None, typer.Option(help="The certificate's private key (PEM).")] = None,
    workers: Annotated[int, typer.Option(min=1, max=64, help="Worker processes; they share sessions.")] = 1,
    session_idle_minutes: Annotated[
        float | None, typer.Option(min=1, help=f"Console sign-out after this idle time (default 480, or {IDLE_ENV}).")
    ] = None,
    session_max_hours: Annotated[
        float | None,
        typer.Option(min=0.1, help=f"Console sign-out this long after sign-in (default 24, or {MAX_ENV})."),
    ] = None,
    upload_processes: UploadProcessesOption = None,
    uploads_per_account: UploadsPerAccountOption = None,
) -> None:
    """Serve the HTTP API (FastAPI + uvicorn) and the web console at /console/; OpenAPI at /docs.

    With ``--workers N``, N processes serve the same store: console sessions are signed state checked
    against the store, and each worker notices another's writes within a second (the store's data
    version) and refits before it answers. Each worker holds its own fit (about 3.5 GiB at 150,000
    studios), so N workers need N times that. Roster uploads are read and written in processes of their
    own (``--upload-processes``, each worker's), so that a hostile file cannot stall the answers."""
    import uvicorn

    from .logs import configure

    configure()
    setting = _setting(store)
    if setting is not None:
        os.environ[STORE_ENV] = setting
    os.environ[CACHE_ENV] = str(cache_seconds)
    for variable, value in ((IDLE_ENV, session_idle_minutes), (MAX_ENV, session_max_hours),
                            (PROCESSES_ENV, upload_processes), (PER_ACCOUNT_ENV, uploads_per_account)):  # fmt: skip
        if value is not None:
            os.environ[variable] = str(value)
    uvicorn.run(
        "api.app:create_app",
        factory=True,
        host=host,
        port=port,
        log_config=None,
        access_log=False,
        ssl_certfile=ssl_certfile,
        ssl_keyfile=ssl_keyfile,
        workers=workers,
    )


@keys_app.command("create")
def keys_create(
    name: Annotated[str, typer.Option("--name", help="Who holds it, e.g. 浦东新区总工会·张三.")],
    role: Annotated[Role, typer.Option("--role", help="municipal | union | studio")],
    union: Annotated[str | None, typer.Option(help="The union a union key acts for (id).")] = None,
    studio: Annotated[str | None, typer.Option(help="The studio a studio key acts for (id).")] = None,
    store: StoreOption = None,
    by: ByOption = None,
    as_json: JsonOption = False,
) -> None:
    """Create a key; its token is printed once and never stored."""
    try:
        with _store(store) as st:
            key, token = _run(lambda: keys.create_key(st, _operator(by), name, role, union_id=union, studio_id=studio))
    except ValueError as exc:
        err.print(f"error: {exc}")
        raise typer.Exit(2) from None
    if as_json:
        _print_json({"id": key.id, "name": key.name, "role": key.role.value, "token": token})
        return
    out.print(f"key {key.id} for {key.name} ({key.role.value}); token, shown once:", highlight=False)
    out.print(token, highlight=False, soft_wrap=True)


@keys_app.command("revoke")
def keys_revoke(
    key_id: Annotated[str, typer.Argument(help="The key's id (kxxxxxxxxxxxx).")],
    store: StoreOption = None,
    by: ByOption = None,
) -> None:
    """Revoke a key at once."""
    with _store(store) as st:
        key = _run(lambda: keys.revoke_key(st, _operator(by), key_id))
    out.print(f"key {key.id} ({key.name}) revoked at {key.revoked_at}", highlight=False)


@keys_app.command("list")
def keys_list(store: StoreOption = None, by: ByOption = None, as_json: JsonOption = False) -> None:
    """Keys (never their secrets)."""
    with _store(store) as st:
        found = keys.list_keys(st, _operator(by))
    rows = [k.model_dump(mode="json", exclude={"digest"}) for k in found]
    if as_json:
        _print_json(rows)
        return
    table = Table(title=f"API keys ({len(found)})")
    for column in ("id", "name", "role", "scope", "created", "revoked"):
        table.add_column(column, overflow="fold")
    for k in found:
        table.add_row(k.id, k.name, k.role.value, k.union_id or k.studio_id or "—", k.created_at, k.revoked_at or "")
    out.print(table)
