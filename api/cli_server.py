"""``alliances serve`` and ``alliances keys create|revoke|list``."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from graph.keys import create_key, revoke
from graph.model import ApiKey, Role

from .cli_common import ByOption, JsonOption, StoreOption, _actor, _print_json, _run, _setting, _store, app, err, out

keys_app = typer.Typer(help="API keys (municipal, union or studio role), kept as digests.", no_args_is_help=True)
app.add_typer(keys_app, name="keys")


@app.command("serve")
def serve_command(
    store: StoreOption = None,
    host: Annotated[str, typer.Option(help="Address to listen on (loopback by default).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535)] = 8000,
    cache_seconds: Annotated[float, typer.Option(min=0, help="Refit matching models at most this often.")] = 300.0,
    ssl_certfile: Annotated[str | None, typer.Option(help="Serve HTTPS with this certificate (PEM).")] = None,
    ssl_keyfile: Annotated[str | None, typer.Option(help="The certificate's private key (PEM).")] = None,
) -> None:
    """Serve the HTTP API (FastAPI + uvicorn) and the web console at /console/; OpenAPI at /docs."""
    import uvicorn

    from .app import create_app
    from .logs import configure

    configure()
    uvicorn.run(
        create_app(_setting(store), cache_seconds=cache_seconds),
        host=host,
        port=port,
        log_config=None,
        access_log=False,
        ssl_certfile=ssl_certfile,
        ssl_keyfile=ssl_keyfile,
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
            key, token = _run(lambda: create_key(st, name, role, union_id=union, studio_id=studio, actor=_actor(by)))
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
        key = _run(lambda: revoke(st, key_id, actor=_actor(by)))
    out.print(f"key {key.id} ({key.name}) revoked at {key.revoked_at}", highlight=False)


@keys_app.command("list")
def keys_list(store: StoreOption = None, as_json: JsonOption = False) -> None:
    """Keys (never their secrets)."""
    with _store(store) as st:
        keys = sorted(st.list(ApiKey), key=lambda k: k.created_at)
    rows = [k.model_dump(mode="json", exclude={"digest"}) for k in keys]
    if as_json:
        _print_json(rows)
        return
    table = Table(title=f"API keys ({len(keys)})")
    for column in ("id", "name", "role", "scope", "created", "revoked"):
        table.add_column(column, overflow="fold")
    for k in keys:
        table.add_row(k.id, k.name, k.role.value, k.union_id or k.studio_id or "—", k.created_at, k.revoked_at or "")
    out.print(table)
