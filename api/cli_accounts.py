"""``alliances users create|list|disable|enable|reset``: console accounts (登录名和密码), set up by
the municipal union's administrator (:mod:`services.accounts`)."""

from __future__ import annotations

import getpass
import sys
from typing import Annotated

import typer
from rich.table import Table

from graph.model import Role
from services import accounts

from .cli_common import ByOption, JsonOption, StoreOption, _operator, _print_json, _run, _store, app, err, out

users_app = typer.Typer(help="Console accounts (login name and password) with the roles of API keys.",
                        no_args_is_help=True)  # fmt: skip
app.add_typer(users_app, name="users")


def _password(from_stdin: bool) -> str | None:
    """The new account's password: from standard input (one line), from a prompt asked twice, or
    ``None`` (an empty prompt: a one-time password is made and printed once)."""
    if from_stdin:
        line = sys.stdin.readline().rstrip("\r\n")
        if not line:
            err.print("error: --password-stdin read an empty line / 标准输入中没有密码")
            raise typer.Exit(2)
        return line
    if not sys.stdin.isatty():
        return None
    first = getpass.getpass("Password (empty: make a one-time password) / 密码（留空则生成一次性密码）: ")
    if not first:
        return None
    if getpass.getpass("Again / 再次输入: ") != first:
        err.print("error: the two passwords differ / 两次输入的密码不一致")
        raise typer.Exit(2)
    return first


@users_app.command("create")
def users_create(
    login: Annotated[str, typer.Argument(help="The login name: lower-case letters, digits and . _ @ -.")],
    role: Annotated[Role, typer.Option("--role", help="municipal | union | studio")],
    union: Annotated[str | None, typer.Option(help="The union a union account acts for (id).")] = None,
    studio: Annotated[str | None, typer.Option(help="The studio a studio account acts for (id).")] = None,
    name: Annotated[str, typer.Option("--name", help="The name shown, e.g. 浦东新区总工会·张三.")] = "",
    password_stdin: Annotated[bool, typer.Option("--password-stdin", help="Read the password from stdin.")] = False,
    store: StoreOption = None,
    by: ByOption = None,
    as_json: JsonOption = False,
) -> None:
    """Open an account. Without a password (an empty prompt, or no terminal), a one-time password is
    printed once and must be changed at the first sign-in."""
    password = _password(password_stdin)
    with _store(store) as st:
        user, one_time = _run(lambda: accounts.create_user(st, _operator(by), login, role, name=name, union_id=union,
                                                           studio_id=studio, password=password))  # fmt: skip
    _say(user.id, user.role.value, one_time, as_json, "created")


def _say(login: str, role: str, one_time: str | None, as_json: bool, what: str) -> None:
    if as_json:
        _print_json({"login": login, "role": role, "one_time_password": one_time})
        return
    out.print(f"account {login} ({role}) {what}", highlight=False)
    if one_time:
        out.print("one-time password, shown once (to be changed at the next sign-in) / 一次性密码（仅显示一次）:",
                  highlight=False)  # fmt: skip
        out.print(one_time, highlight=False)


@users_app.command("list")
def users_list(store: StoreOption = None, by: ByOption = None, as_json: JsonOption = False) -> None:
    """Accounts (never their password hashes)."""
    with _store(store) as st:
        found = _run(lambda: accounts.list_users(st, _operator(by)))
    rows = [u.model_dump(mode="json", exclude={"password_hash"}) for u in found]
    if as_json:
        _print_json(rows)
        return
    table = Table(title=f"accounts ({len(found)})")
    for column in ("login", "name", "role", "scope", "state", "created"):
        table.add_column(column, overflow="fold")
    for u in found:
        state = (
            "disabled" if u.disabled_at else "locked" if u.locked_until else "must change" if u.must_change else "ok"
        )
        table.add_row(u.id, u.name, u.role.value, u.union_id or u.studio_id or "—", state, u.created_at)
    out.print(table)


@users_app.command("disable")
def users_disable(login: Annotated[str, typer.Argument()], store: StoreOption = None, by: ByOption = None) -> None:
    """Disable an account: it cannot sign in, and its sessions end at once."""
    with _store(store) as st:
        user = _run(lambda: accounts.disable_user(st, _operator(by), login))
    out.print(f"account {user.id} disabled at {user.disabled_at}", highlight=False)


@users_app.command("enable")
def users_enable(login: Annotated[str, typer.Argument()], store: StoreOption = None, by: ByOption = None) -> None:
    """Enable a disabled account again."""
    with _store(store) as st:
        user = _run(lambda: accounts.enable_user(st, _operator(by), login))
    out.print(f"account {user.id} enabled", highlight=False)


@users_app.command("reset")
def users_reset(
    login: Annotated[str, typer.Argument()], store: StoreOption = None, by: ByOption = None, as_json: JsonOption = False
) -> None:
    """Give an account a new one-time password (printed once); its sessions end and its lock-out is lifted."""
    with _store(store) as st:
        user, one_time = _run(lambda: accounts.reset_user(st, _operator(by), login))
    _say(user.id, user.role.value, one_time, as_json, "reset")
