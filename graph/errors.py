"""The one exception hierarchy of studio-alliances.

Every error the product raises on purpose derives from :class:`AlliancesError`; the command line maps
them to exit codes and the HTTP API to status codes, so callers never see a driver's own exception::

    AlliancesError
    ├── ConfigurationError      a setting is wrong (bad store URI, missing credentials)
    ├── StoreUnavailable        the store cannot be reached (Neo4j down, file locked)
    ├── NotFound                no node with that key
    ├── Conflict                a write clashes with what is stored
    ├── ValidationError         input is invalid; carries row-level :class:`Problem` records
    │   ├── DanglingReference   records point at nodes that do not exist
    │   └── DamagedExport       an export file cut short, edited, or no export at all (names its line)
    ├── Invalid                 a well-formed request for something impossible
    ├── Unauthorized            no key or account, or not a live one
    ├── Forbidden               a live key or account, outside its scope (:mod:`services.policy`)
    └── ServerError             the project's own Neo4j server cannot be assembled, started or stopped

Each class carries how every door shows it: ``exit_code`` for the command line, ``http_status`` and
``code`` for the JSON API (the web console shows the same status as a page in Chinese).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


class AlliancesError(Exception):
    """Root of every error raised by studio-alliances."""

    exit_code: int = 1
    http_status: int = 500
    code: str = "error"


class ConfigurationError(AlliancesError):
    """A setting (store URI, credentials, paths) is wrong."""

    exit_code = 2
    code = "configuration"


class StoreUnavailable(AlliancesError):
    """The store cannot be reached or opened right now; retrying later may work."""

    exit_code = 3
    http_status = 503
    code = "store-unavailable"


class NotFound(AlliancesError):
    """No node of that kind with that key."""

    exit_code = 4
    http_status = 404
    code = "not-found"

    def __init__(self, kind: str, key: str) -> None:
        super().__init__(f"{kind} {key!r} not found / 未找到{kind} {key!r}")
        self.kind = kind
        self.key = key


class Conflict(AlliancesError):
    """A write clashes with what is stored."""

    exit_code = 5
    http_status = 409
    code = "conflict"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one piece of input, located as precisely as the input allows."""

    message: str
    message_zh: str = ""
    file: str | None = None
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    value: Any = None
    extra: dict[str, Any] = field(default_factory=dict)

    def describe(self) -> str:
        where = ", ".join(
            f"{name} {value}"
            for name, value in (
                ("file", self.file),
                ("sheet", self.sheet),
                ("row", self.row),
                ("column", self.column),
            )
            if value is not None
        )
        text = self.message if not self.message_zh else f"{self.message} / {self.message_zh}"
        shown = "" if self.value is None else f" (value {self.value!r})"
        return f"{where}: {text}{shown}" if where else f"{text}{shown}"


class ValidationError(AlliancesError):
    """Input is invalid. Nothing was written. ``problems`` lists every problem found."""

    exit_code = 6
    http_status = 422
    code = "invalid"

    def __init__(self, problems: list[Problem] | Problem | str) -> None:
        if isinstance(problems, str):
            problems = [Problem(problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: list[Problem] = list(problems)
        head = "; ".join(p.describe() for p in self.problems[:5])
        more = f" (and {len(self.problems) - 5} more)" if len(self.problems) > 5 else ""
        super().__init__(f"{len(self.problems)} problem(s): {head}{more}")


class DanglingReference(ValidationError):
    """Records refer to nodes that are neither stored nor part of the same write."""


class DamagedExport(ValidationError):
    """An export file (:mod:`graph.backup`) that cannot be imported as it is: cut short (mid-line or
    between lines), edited after it was written, or not an export; each problem names the file and
    its line (as ``row``). Nothing was written."""


class Invalid(AlliancesError):
    """A request that is well-formed but asks for something impossible (a chain and a project at
    once, an empty scenario)."""

    exit_code = 2
    http_status = 422
    code = "invalid"


class Unauthorized(AlliancesError):
    """No key or account, or not a live one."""

    exit_code = 8
    http_status = 401
    code = "unauthorized"


class Forbidden(AlliancesError):
    """A live key or account, outside its scope."""

    exit_code = 8
    http_status = 403
    code = "forbidden"


class SignInLocked(AlliancesError):
    """Too many wrong passwords for one login or from one address: sign-in waits a while."""

    exit_code = 8
    http_status = 429
    code = "locked"

    def __init__(self, message: str, until: str) -> None:
        super().__init__(message)
        self.until = until


class UploadsBusy(AlliancesError):
    """As many roster uploads as allowed are being loaded (of this account, or on this server):
    refused at once, never queued; try again when one has finished."""

    exit_code = 9
    http_status = 429
    code = "busy"
    retry_after = 10
    """Seconds a client is told to wait (``Retry-After``)."""


class ServerError(AlliancesError):
    """The project's own Neo4j server could not be assembled, started or stopped."""

    exit_code = 7
