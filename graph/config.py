"""The one store setting: ``--store`` on the command line or ``ALLIANCES_STORE`` in the environment.

- a filesystem path (or nothing: ``./.alliances/graph.json``) opens the embedded :class:`FileStore`;
- ``bolt://…``, ``neo4j://…`` (and ``+s`` / ``+ssc`` variants) open :class:`Neo4jStore`, with the
  credentials from ``NEO4J_USER`` (default ``neo4j``) and ``NEO4J_PASSWORD``, or none at all when
  ``NEO4J_AUTH=none`` or the URI ends in ``?auth=none``; ``NEO4J_DATABASE`` picks a database.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlsplit, urlunsplit

from .errors import ConfigurationError
from .store import BaseStore

STORE_ENV = "ALLIANCES_STORE"
DEFAULT_STORE_PATH = Path(".alliances") / "graph.json"
NEO4J_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")


@dataclass(frozen=True)
class StoreSetting:
    """A parsed store setting; ``open()`` connects."""

    kind: str  # "file" | "neo4j"
    target: str  # the path, or the URI without query or credentials
    auth: tuple[str, str] | None = None
    database: str | None = None

    def describe(self) -> str:
        if self.kind == "file":
            return f"embedded file store at {self.target}"
        return f"Neo4j at {self.target}" + (f", database {self.database}" if self.database else "")

    def open(self, *, retry_seconds: float = 15.0, connection_timeout: float = 10.0) -> BaseStore:
        """Connect. For Neo4j, ``retry_seconds`` bounds how long a transaction is retried while the
        server cannot be reached (a server answering HTTP wants an error soon, not a long wait)."""
        if self.kind == "file":
            from .file_store import FileStore

            return FileStore(self.target)
        from .neo4j_store import Neo4jStore

        return Neo4jStore(
            self.target,
            self.auth,
            database=self.database,
            retry_seconds=retry_seconds,
            connection_timeout=connection_timeout,
        )


def parse_store_setting(value: str | None, env: Mapping[str, str] | None = None) -> StoreSetting:
    """Parse a store setting (``None`` reads ``ALLIANCES_STORE``, then falls back to the default)."""
    env = os.environ if env is None else env
    raw = (value if value is not None else env.get(STORE_ENV, "")).strip()
    if not raw:
        return StoreSetting("file", str(DEFAULT_STORE_PATH.absolute()))
    if "://" not in raw:
        path = Path(raw).expanduser()
        if path.is_dir():
            path = path / "graph.json"
        return StoreSetting("file", str(path.absolute()))
    parts = urlsplit(raw)
    scheme = parts.scheme.lower()
    if scheme == "file":
        return StoreSetting("file", str(Path(parts.path).expanduser().absolute()))
    if scheme not in NEO4J_SCHEMES:
        raise ConfigurationError(
            f"store {raw!r}: unknown scheme {parts.scheme!r}; use a file path, or bolt:// or neo4j:// for Neo4j"
        )
    if not parts.hostname:
        raise ConfigurationError(f"store {raw!r}: no host in the Neo4j URI")
    try:
        port = parts.port
    except ValueError as exc:
        raise ConfigurationError(f"store {raw!r}: bad port ({exc})") from exc
    query = parse_qs(parts.query)
    no_auth = query.get("auth", [""])[0].lower() == "none" or env.get("NEO4J_AUTH", "").lower() == "none"
    user = parts.username or env.get("NEO4J_USER") or "neo4j"
    password = parts.password or env.get("NEO4J_PASSWORD")
    if no_auth:
        auth = None
    elif password:
        auth = (user, password)
    else:
        raise ConfigurationError(
            f"store {_redact(raw)}: no Neo4j password; set NEO4J_PASSWORD (and NEO4J_USER), "
            "or NEO4J_AUTH=none for a server without authentication"
        )
    netloc = parts.hostname + (f":{port}" if port else "")
    uri = urlunsplit((scheme, netloc, "", "", ""))
    database = query.get("database", [""])[0] or env.get("NEO4J_DATABASE") or None
    return StoreSetting("neo4j", uri, auth, database)


def _redact(uri: str) -> str:
    parts = urlsplit(uri)
    if parts.password:
        netloc = f"{parts.username}:***@{parts.hostname}" + (f":{parts.port}" if parts.port else "")
        return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))
    return uri
