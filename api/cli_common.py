"""What every ``alliances`` command shares: the typer app and its groups, the ``--store`` and
``--json`` options, opening the store, and turning :class:`graph.errors.AlliancesError` into one
line and an exit code. Command modules (:mod:`api.cli`, :mod:`api.cli_alliances`,
:mod:`api.cli_lifecycle`) import from here, never from each other's entry point.
"""

from __future__ import annotations

import contextlib
import getpass
import json
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console

from graph.config import STORE_ENV, parse_store_setting
from graph.errors import AlliancesError
from graph.store import BaseStore
from services.policy import Actor

app = typer.Typer(
    name="alliances",
    help="Model-worker innovation studio alliances (劳模创新工作室联盟): the studio graph, partners, chains.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(help="Run the project's own Neo4j server (assembled from Maven Central).", no_args_is_help=True)
studios_app = typer.Typer(help="Studios (劳模创新工作室).", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(studios_app, name="studios")

out = Console()
err = Console(stderr=True)

StoreOption = Annotated[
    str | None,
    typer.Option(
        "--store",
        envvar=STORE_ENV,
        help="File path (embedded store, default ./.alliances/graph.json) or bolt:// / neo4j:// URI.",
        show_default=False,
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")]
OutOption = Annotated[
    Path | None,
    typer.Option("--out", help="Also write the result as .xlsx or .csv (Chinese headers, the content of --json)."),
]
HomeOption = Annotated[
    Path | None,
    typer.Option("--home", help="Server folder (default $ALLIANCES_NEO4J_HOME or ./.alliances/neo4j)."),
]

T = TypeVar("T")


@app.callback()
def _global(store: StoreOption = None) -> None:
    """Model-worker innovation studio alliances (劳模创新工作室联盟): the studio graph, partners, chains."""
    _invocation["store"] = store


_invocation: dict[str, str | None] = {"store": None}
"""Options given before the command, for this invocation (set afresh by every run of the callback)."""


def _setting(store: str | None) -> str | None:
    """A command's own ``--store`` wins over the one given before the command."""
    return store if store is not None else _invocation["store"]


def _fail(exc: AlliancesError) -> typer.Exit:
    err.print(f"[bold red]error:[/] {exc}", markup=True, highlight=False, soft_wrap=True)
    return typer.Exit(exc.exit_code)


@contextlib.contextmanager
def _store(setting: str | None) -> Iterator[BaseStore]:
    try:
        store = parse_store_setting(_setting(setting)).open()
    except AlliancesError as exc:
        raise _fail(exc) from None
    try:
        yield store
    except AlliancesError as exc:
        raise _fail(exc) from None
    finally:
        store.close()


def _run(job: Callable[[], T]) -> T:
    try:
        return job()
    except AlliancesError as exc:
        raise _fail(exc) from None


def _write_table(table: Any, path: Path | None) -> None:
    """Write an :class:`api.exports.Table` to ``path`` (.xlsx or .csv), if one was asked for."""
    if path is None:
        return
    if path.suffix.lower() not in (".xlsx", ".csv"):
        err.print(f"error: --out takes a .xlsx or .csv file, not {path.name!r}")
        raise typer.Exit(2)
    table.write(path)
    err.print(f"written to {path}")


def _print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


ACTOR_ENV = "ALLIANCES_ACTOR"
"""Who the command line records as the actor of proposals and decisions (default ``cli:<login>``)."""

ByOption = Annotated[
    str | None, typer.Option("--by", help=f"Who does this (default ${ACTOR_ENV} or cli:<login>).", show_default=False)
]


def _operator(by: str | None) -> Actor:
    """The person at the command line, as services see them: the municipal union's operator, named
    by ``--by``, else ``$ALLIANCES_ACTOR``, else ``cli:<login>``."""
    return Actor.operator(_actor(by))


def _actor(by: str | None) -> str:
    if by and by.strip():
        return by.strip()
    if os.environ.get(ACTOR_ENV, "").strip():
        return os.environ[ACTOR_ENV].strip()
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"
