"""The README keeps up with the product: every command and every setting is documented."""

from __future__ import annotations

import re
from pathlib import Path

import typer.main

from api.cli import app

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
SOURCES = [p for d in ("graph", "api", "tests") for p in (Path(__file__).resolve().parents[1] / d).rglob("*.py")]


def _commands(group: object, prefix: str = "alliances") -> list[str]:
    names = []
    for name, command in getattr(group, "commands", {}).items():
        full = f"{prefix} {name}"
        names.append(full)
        names.extend(_commands(command, full))
    return names


def test_every_cli_command_is_in_the_readme() -> None:
    commands = _commands(typer.main.get_command(app))
    assert "alliances db start" in commands
    missing = [c for c in commands if f"`{c}" not in README and f"/ `{c}" not in README]
    assert not missing, f"commands missing from README.md: {missing}"


def test_every_environment_setting_is_in_the_readme() -> None:
    names: set[str] = set()
    for path in SOURCES:
        names |= set(re.findall(r"[\"']((?:ALLIANCES|NEO4J)_[A-Z_]+)[\"']", path.read_text(encoding="utf-8")))
    names -= {"NEO4J_HOME", "NEO4J_CONF"}  # Neo4j's own variables, set for the server process
    assert "ALLIANCES_STORE" in names
    missing = sorted(n for n in names if n not in README)
    assert not missing, f"settings missing from README.md: {missing}"


def test_the_readme_opens_with_exactly_two_setup_commands() -> None:
    setup = README.split("## Set up on a fresh machine", 1)[1].split("\n---", 1)[0]
    blocks = re.findall(r"```bash\n(.*?)```", setup, flags=re.S)
    assert len(blocks) == 2
    assert all(len(b.strip().splitlines()) == 1 for b in blocks)
