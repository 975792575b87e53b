"""The project's own Neo4j Community server: assembled from Maven Central, run without Docker.

No Docker engine and no Neo4j download site are available to the project, but every jar of Neo4j
Community is on Maven Central. This module gathers those jars with Maven (the ``pom.xml`` shipped in
:mod:`graph.neo4j_server`), writes a small ``neo4j.conf`` of its own, and runs Neo4j's bootloader
(``org.neo4j.server.startup.Neo4jCommand console``), which forks the server JVM itself.

Everything lives in one *home* folder (see :func:`default_home`)::

    <home>/lib-<version>/      the server's jars (assembled once; ``.assembled`` marks success)
    <home>/assembly/           where Maven runs, so the source tree stays clean
    <home>/conf/neo4j.conf     written at every start
    <home>/data/ logs/ run/    the store; the logs (``console.log``: the bootloader's output);
                               ``run/server.json``, the record :func:`status` and :func:`stop` read

Typical use::

    info = start(password="correct-horse")   # assembles on first use, then waits for Bolt
    ...                                     # connect to info.uri as user "neo4j"
    stop()

POSIX only: the server runs in its own session and process group, which :func:`stop` signals.
"""

from __future__ import annotations

import collections
import contextlib
import fcntl
import json
import logging
import os
import re
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from graph.errors import ServerError

__all__ = [
    "DEFAULT_VERSION",
    "ServerInfo",
    "assemble",
    "default_home",
    "free_port",
    "neo4j_settings",
    "render_config",
    "start",
    "status",
    "stop",
    "write_config",
]

log = logging.getLogger(__name__)

DEFAULT_VERSION = "5.26.16"
"""The Neo4j Community version assembled when none is asked for (5.26 LTS runs on Java 17)."""

HOME_ENV = "ALLIANCES_NEO4J_HOME"
"""Environment variable naming the server's home folder; see :func:`default_home`."""

USER = "neo4j"
"""The initial admin user, whose password :func:`start` sets before the first start."""

BOOTLOADER = "org.neo4j.server.startup.Neo4jCommand"
ADMIN_TOOL = "org.neo4j.server.startup.Neo4jAdminCommand"
MARKER = ".assembled"
RECORD = "server.json"
CONSOLE_LOG = "console.log"

_SIZE = re.compile(r"^[1-9][0-9]*[kKmMgG]?$")
_MIN_PASSWORD = 8  # dbms.security.auth_minimum_password_length's default
_TAIL_LINES = 40

# Flags Neo4j's own tarball puts in neo4j.conf. Without the --add-opens the server still starts but
# the page cache falls back to a slower mode and transaction-log preallocation/fadvise fail (WARN
# lines by the dozen in debug.log).
_JVM_FLAGS = (
    "-XX:+UseG1GC",
    "-XX:-OmitStackTraceInFastThrow",
    "-XX:+DisableExplicitGC",
    "-Djdk.nio.maxCachedBufferSize=1024",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--enable-native-access=ALL-UNNAMED",
    "-Dlog4j2.disable.jmx=true",
)

# The bootloader JVM only forks the server and waits for it (forwarding signals): keep it small.
# Its own flags are not passed on; the server JVM's come from neo4j.conf.
_BOOTLOADER_FLAGS = ("-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1")


@dataclass(frozen=True)
class ServerInfo:
    """A running server, as :func:`start` launched it and :func:`status` reports it.

    ``pid`` is the bootloader's process id, which is also the id of the process group holding the
    server JVM it forked. ``auth`` tells whether clients must log in as ``neo4j``.
    """

    home: Path
    pid: int
    port: int
    uri: str
    version: str
    auth: bool


# --------------------------------------------------------------------------------------------------
# Home folder and configuration
# --------------------------------------------------------------------------------------------------


def default_home() -> Path:
    """Return the server's home: ``$ALLIANCES_NEO4J_HOME``, else ``./.alliances/neo4j``."""
    configured = os.environ.get(HOME_ENV, "").strip()
    if configured:
        return Path(configured).expanduser().absolute()
    return Path.cwd() / ".alliances" / "neo4j"


def free_port(host: str = "127.0.0.1") -> int:
    """Return a TCP port on ``host`` that nothing listens on right now (the OS picks it).

    Another process may take it before the server binds it; :func:`start` then fails with the log.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        port: int = probe.getsockname()[1]
        return port


def _port_in_use(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        # as the server's own socket does: connections of a stopped server in TIME_WAIT do not count
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return True
        return False


def neo4j_settings(
    home: Path,
    port: int,
    *,
    auth: bool,
    heap: str = "1g",
    pagecache: str = "256m",
    version: str = DEFAULT_VERSION,
) -> list[tuple[str, str]]:
    """Return the ``neo4j.conf`` settings, in order, for a loopback-only server in ``home``.

    A list of pairs rather than a dict because ``server.jvm.additional`` repeats. Neo4j validates
    the file strictly: an unknown key stops the server, so every key here is spelt as Neo4j does.

    Args:
        home: absolute home folder; data, logs, plugins, import and run folders go under it.
        port: the Bolt port on 127.0.0.1.
        auth: whether clients must authenticate.
        heap: JVM heap, both initial and maximum (``512m``, ``1g`` …).
        pagecache: page cache size; Neo4j would otherwise take about half the machine's memory.
        version: the Neo4j version, for the few settings that differ between versions.

    Raises:
        ServerError: ``heap`` or ``pagecache`` is not a size such as ``256m`` or ``2g``.
    """
    for name, size in (("heap", heap), ("pagecache", pagecache)):
        if not _SIZE.match(size):
            raise ServerError(f"{name} must be a size such as 512m or 2g, not {size!r}")
    home = home.absolute()
    settings: list[tuple[str, str]] = [
        ("server.directories.data", str(home / "data")),
        ("server.directories.logs", str(home / "logs")),
        ("server.directories.plugins", str(home / "plugins")),
        ("server.directories.import", str(home / "import")),
        ("server.directories.run", str(home / "run")),
        ("server.default_listen_address", "127.0.0.1"),
        ("server.default_advertised_address", "127.0.0.1"),
        ("server.bolt.enabled", "true"),
        ("server.bolt.listen_address", f"127.0.0.1:{port}"),
        ("server.http.enabled", "false"),
        ("server.https.enabled", "false"),
        ("dbms.security.auth_enabled", "true" if auth else "false"),
        ("dbms.usage_report.enabled", "false"),
        ("server.memory.heap.initial_size", heap),
        ("server.memory.heap.max_size", heap),
        ("server.memory.pagecache.size", pagecache),
        ("db.tx_log.rotation.retention_policy", "1 files"),
    ]
    if version.startswith("5."):
        # Bolt waits a 5 s "quiet period" per event-loop group on shutdown (10 s in all); 1 s is
        # plenty for a local server. Internal key, known to 5.x only: strict validation would
        # reject it on a version that dropped it, hence the guard.
        settings.append(("internal.dbms.bolt.netty_server_shutdown_quiet_period", "1"))
    settings.extend(("server.jvm.additional", flag) for flag in _JVM_FLAGS)
    return settings


def render_config(settings: Sequence[tuple[str, str]]) -> str:
    """Render settings as ``neo4j.conf`` text, one ``key=value`` a line."""
    lines = ["# Written by graph/server.py at every start; edits here are overwritten."]
    for key, value in settings:
        if "\n" in key or "\n" in value or "=" in key:
            raise ServerError(f"invalid neo4j.conf setting {key!r}={value!r}")
        lines.append(f"{key}={value}")
    return "\n".join(lines) + "\n"


def write_config(
    home: Path,
    port: int,
    *,
    auth: bool,
    heap: str = "1g",
    pagecache: str = "256m",
    version: str = DEFAULT_VERSION,
) -> Path:
    """Write ``<home>/conf/neo4j.conf`` from :func:`neo4j_settings` and return its path."""
    settings = neo4j_settings(home, port, auth=auth, heap=heap, pagecache=pagecache, version=version)
    conf = home.absolute() / "conf" / "neo4j.conf"
    conf.parent.mkdir(parents=True, exist_ok=True)
    _write_atomically(conf, render_config(settings))
    return conf


def _write_atomically(path: Path, text: str) -> None:
    scratch = path.with_name(path.name + ".tmp")
    scratch.write_text(text, encoding="utf-8")
    scratch.replace(path)


# --------------------------------------------------------------------------------------------------
# Assembly
# --------------------------------------------------------------------------------------------------


def _lib_dir(home: Path, version: str) -> Path:
    return home.absolute() / f"lib-{version}"


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``path`` so two processes never assemble or start one home."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def assemble(home: Path, version: str = DEFAULT_VERSION, *, quiet: bool = True) -> Path:
    """Lay every jar of Neo4j Community ``version`` into ``<home>/lib-<version>`` and return it.

    Runs Maven on the ``pom.xml`` shipped in :mod:`graph.neo4j_server`, copied into
    ``<home>/assembly`` so Maven never writes into the source tree. Jars go to a scratch folder that
    is renamed into place, with a marker file, only after Maven succeeded: a later call returns at
    once, and a failed or interrupted run is redone from scratch. The first run downloads about
    120 MB into the Maven cache (``~/.m2``) unless it is warm.

    Args:
        home: the server's home folder (created if missing).
        version: a Neo4j version published on Maven Central, e.g. ``5.26.16``.
        quiet: run Maven with ``-q``; otherwise its output is logged at INFO, line by line.

    Raises:
        ServerError: Maven is not installed, or it failed (the message ends with its last lines).
    """
    if not re.match(r"^[0-9A-Za-z.\-]+$", version):
        raise ServerError(f"not a Neo4j version: {version!r}")
    home = home.absolute()
    lib = _lib_dir(home, version)
    if (lib / MARKER).is_file():
        return lib
    with _locked(home / "assembly" / ".lock"):
        if (lib / MARKER).is_file():  # another process finished while we waited for the lock
            return lib
        mvn = _maven()
        build = home / "assembly"
        pom = build / "pom.xml"
        pom.write_bytes(resources.files("graph.neo4j_server").joinpath("pom.xml").read_bytes())
        scratch = home / f".lib-{version}.partial"
        shutil.rmtree(scratch, ignore_errors=True)
        command = _maven_command(mvn, pom, version, scratch, quiet=quiet)
        log.info("assembling Neo4j %s into %s", version, lib)
        started = time.monotonic()
        returncode, tail = _run_logged(command, cwd=build, quiet=quiet)
        if returncode != 0:
            shutil.rmtree(scratch, ignore_errors=True)
            raise ServerError(f"Maven could not assemble Neo4j {version} (exit {returncode}); last lines:\n{tail}")
        jars, size = _seal(scratch, lib, version, tail)
        log.info(
            "assembled %d jars (%.0f MB) in %.1f s",
            jars,
            size / 1e6,
            time.monotonic() - started,
        )
        return lib


def _maven() -> str:
    """The ``mvn`` on PATH; if there is none, a :class:`ServerError` that says what to install."""
    mvn = shutil.which("mvn")
    if mvn is None:
        raise ServerError(
            "Maven (mvn) is not on PATH: install Maven 3.6 or later and a JDK 17 or 21 "
            "(Debian/Ubuntu: apt-get install maven openjdk-17-jdk-headless)"
        )
    return mvn


def _maven_command(mvn: str, pom: Path, version: str, scratch: Path, *, quiet: bool) -> list[str]:
    """The Maven run that copies every jar of Neo4j ``version`` into ``scratch``."""
    return [
        mvn,
        *(["-q"] if quiet else []),
        "-B",
        "--no-transfer-progress",
        "-Dstyle.color=never",
        "-f",
        str(pom),
        "package",
        f"-Dneo4j.version={version}",
        f"-DoutputDirectory={scratch}",
    ]


def _seal(scratch: Path, lib: Path, version: str, tail: str) -> tuple[int, int]:
    """Check that Maven's ``scratch`` folder holds Neo4j's own jar, mark it assembled and rename it to
    ``lib``; return the number of jars and their bytes. ``tail``: Maven's last lines, for the error."""
    jars = sorted(scratch.glob("*.jar"))
    if not (scratch / f"neo4j-{version}.jar").is_file():
        raise ServerError(
            f"Maven succeeded but neo4j-{version}.jar is missing from {scratch} ({len(jars)} jars); last lines:\n{tail}"
        )
    size = sum(jar.stat().st_size for jar in jars)
    (scratch / MARKER).write_text(
        json.dumps({"version": version, "jars": len(jars), "bytes": size}) + "\n",
        encoding="utf-8",
    )
    shutil.rmtree(lib, ignore_errors=True)  # a stale folder without a marker
    scratch.replace(lib)
    return len(jars), size


def _run_logged(command: Sequence[str], *, cwd: Path, quiet: bool) -> tuple[int, str]:
    """Run ``command``, logging its output unless ``quiet``; return its exit code and last lines."""
    tail: collections.deque[str] = collections.deque(maxlen=_TAIL_LINES)
    try:
        process = subprocess.Popen(
            list(command),
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            errors="replace",
        )
    except OSError as error:
        raise ServerError(f"could not run {command[0]}: {error}") from error
    with process:
        for raw in process.stdout or ():
            line = raw.rstrip()
            tail.append(line)
            if not quiet:
                log.info("mvn: %s", line)
    return process.returncode, "\n".join(tail)


# --------------------------------------------------------------------------------------------------
# Processes and the run record
# --------------------------------------------------------------------------------------------------


def _record_path(home: Path) -> Path:
    return home.absolute() / "run" / RECORD


def _read_record(home: Path) -> dict[str, Any] | None:
    path = _record_path(home)
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        log.warning("unreadable %s; removing it", path)
        path.unlink(missing_ok=True)
        return None
    if not isinstance(record, dict) or not isinstance(record.get("pid"), int):
        log.warning("malformed %s; removing it", path)
        path.unlink(missing_ok=True)
        return None
    return record


def _reap(pid: int) -> None:
    """Collect ``pid``'s exit status if it is our own child, so it does not linger as a zombie."""
    with contextlib.suppress(ChildProcessError, OSError):
        os.waitpid(pid, os.WNOHANG)


def _proc_stat(pid: int) -> tuple[str, int] | None:
    """Return (state, process group) of ``pid`` from /proc, or None if it has no entry."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    # comm (field 2) may contain spaces and parentheses: split after its last ')'.
    fields = raw[raw.rindex(")") + 2 :].split()
    return fields[0], int(fields[2])


def _is_alive(pid: int, home: Path) -> bool:
    """Tell whether ``pid`` is a live Neo4j process of ``home`` (not a zombie, not a reused pid)."""
    if pid <= 0:
        return False
    _reap(pid)
    if not Path("/proc").is_dir():  # not Linux: trust the pid alone
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True
    stat = _proc_stat(pid)
    if stat is None or stat[0] in ("Z", "X"):
        return False
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False
    return b"org.neo4j" in cmdline and str(home.absolute()).encode() in cmdline


def _group_members(pgid: int) -> list[int]:
    """Return the live (non-zombie) processes in process group ``pgid``."""
    if not Path("/proc").is_dir():
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return []
        except PermissionError:
            return [pgid]
        return [pgid]
    members = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        stat = _proc_stat(int(entry.name))
        if stat is not None and stat[1] == pgid and stat[0] not in ("Z", "X"):
            members.append(int(entry.name))
    return members


def _server_jvm_pid(home: Path) -> int | None:
    """Return the forked server JVM's pid, which Neo4j writes to ``<home>/run/neo4j.pid``."""
    try:
        return int((home.absolute() / "run" / "neo4j.pid").read_text(encoding="utf-8").strip())
    except (OSError, ValueError):
        return None


def _live_pids(home: Path, record: dict[str, Any]) -> list[int]:
    """Return the bootloader and server JVM pids of ``record`` that are still alive."""
    candidates = [int(record["pid"])]
    jvm = _server_jvm_pid(home)
    if jvm is not None and jvm not in candidates:
        candidates.append(jvm)
    return [pid for pid in candidates if _is_alive(pid, home)]


def _info(home: Path, record: dict[str, Any]) -> ServerInfo:
    port = int(record["port"])
    return ServerInfo(
        home=home.absolute(),
        pid=int(record["pid"]),
        port=port,
        uri=str(record.get("uri", f"bolt://127.0.0.1:{port}")),
        version=str(record["version"]),
        auth=bool(record["auth"]),
    )


def status(home: Path | None = None) -> ServerInfo | None:
    """Report the server running for ``home`` (default :func:`default_home`), or None.

    None when there is no record or none of its processes lives; a stale record is removed. A
    server that another process is starting right now is reported before Bolt answers.
    """
    home = (home or default_home()).absolute()
    record = _read_record(home)
    if record is None:
        return None
    if not _live_pids(home, record):
        log.info("removing stale record %s (pid %s is gone)", _record_path(home), record["pid"])
        _record_path(home).unlink(missing_ok=True)
        return None
    try:
        return _info(home, record)
    except (KeyError, TypeError, ValueError):
        log.warning("malformed %s", _record_path(home))
        return None


def _tail(path: Path, lines: int = _TAIL_LINES) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    return "\n".join(text.splitlines()[-lines:])


def _logs_tail(home: Path) -> str:
    parts = []
    for path in (home / "logs" / CONSOLE_LOG, home / "logs" / "neo4j.log"):
        text = _tail(path)
        if text:
            parts.append(f"--- {path} (last lines) ---\n{text}")
        if path.name == CONSOLE_LOG and text:
            break  # console.log already holds what neo4j.log would say
    return "\n".join(parts) or "(no log output)"


# --------------------------------------------------------------------------------------------------
# Start and stop
# --------------------------------------------------------------------------------------------------


def _java() -> str:
    java_home = os.environ.get("JAVA_HOME")
    if java_home and (Path(java_home) / "bin" / "java").is_file():
        return str(Path(java_home) / "bin" / "java")
    java = shutil.which("java")
    if java is None:
        raise ServerError(
            "java is not on PATH: install a JDK 17 or 21 (Debian/Ubuntu: apt-get install openjdk-17-jdk-headless)"
        )
    return java


def _neo4j_env(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["NEO4J_HOME"] = str(home)
    env["NEO4J_CONF"] = str(home / "conf")
    return env


def _set_initial_password(home: Path, lib: Path, password: str) -> None:
    """Set the ``neo4j`` user's password; takes effect only before the store's first start."""
    if len(password) < _MIN_PASSWORD:
        raise ServerError(f"the Neo4j password must be at least {_MIN_PASSWORD} characters")
    command = [
        _java(),
        "-cp",
        f"{lib}/*",
        ADMIN_TOOL,
        "dbms",
        "set-initial-password",
        password,
    ]
    try:
        done = subprocess.run(
            command,
            cwd=home,
            env=_neo4j_env(home),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            errors="replace",
            check=False,
            timeout=120,
        )
    except subprocess.TimeoutExpired:
        raise ServerError("neo4j-admin dbms set-initial-password timed out after 120 s") from None
    except OSError as error:  # its message names the program, never the password argument
        raise ServerError(f"could not run {command[0]}: {error.strerror}") from None
    if done.returncode != 0:
        output = (done.stdout + done.stderr).replace(password, "***").strip()
        raise ServerError(f"neo4j-admin dbms set-initial-password failed (exit {done.returncode}):\n{output}")


def start(
    home: Path | None = None,
    *,
    port: int | None = None,
    password: str | None = None,
    version: str = DEFAULT_VERSION,
    heap: str = "1g",
    pagecache: str = "256m",
    timeout: float = 180.0,
) -> ServerInfo:
    """Start a Neo4j Community server in ``home`` and wait until Bolt answers.

    Idempotent: if a server already runs for ``home``, its :class:`ServerInfo` is returned and
    nothing is launched (the other arguments are then ignored).

    Args:
        home: the home folder; default :func:`default_home`.
        port: Bolt port on 127.0.0.1; default a free one chosen now.
        password: the ``neo4j`` user's password (8 characters or more); None turns auth off. The
            password is set before the store's first start; later starts of the same store must
            give the same password (Neo4j keeps it in its system database).
        version: the Neo4j version to assemble and run.
        heap: JVM heap size, initial and maximum (``1g``).
        pagecache: page cache size (``256m``).
        timeout: seconds to wait for Bolt before giving up.

    Returns:
        The running server; its ``uri`` is ``bolt://127.0.0.1:<port>``.

    Raises:
        ServerError: assembly failed, the port is taken, the server exited or did not answer in
            time (the message ends with the tail of its log), or the password was refused.
    """
    home = (home or default_home()).absolute()
    # One start at a time per home: a concurrent caller waits, then finds the server running.
    with _locked(home / "run" / ".lock"):
        running = status(home)
        if running is not None:
            log.info("Neo4j already runs for %s (pid %d, port %d)", home, running.pid, running.port)
            return running
        lib = assemble(home, version)
        port = _bolt_port(port)
        _prepare_home(home, lib, port, password, version=version, heap=heap, pagecache=pagecache)
        command = [_java(), *_BOOTLOADER_FLAGS, "-cp", f"{lib}/*", BOOTLOADER, "console"]
        log.info("starting Neo4j %s in %s on port %d", version, home, port)
        launched = time.monotonic()
        process = _launch(home, command)
        uri = f"bolt://127.0.0.1:{port}"
        record = _write_record(home, process, port, uri, version, auth=password is not None)
        try:
            _wait_for_bolt(home, process, uri, password, deadline=launched + timeout)
        except BaseException:
            stop(home)
            raise
        log.info("Neo4j answers on %s after %.1f s", uri, time.monotonic() - launched)
        return _info(home, record)


def _bolt_port(port: int | None) -> int:
    """``port`` if it is free on 127.0.0.1, a free one chosen now if None."""
    if port is None:
        return free_port()
    if _port_in_use(port):
        raise ServerError(f"port {port} on 127.0.0.1 is already in use")
    return port


def _prepare_home(
    home: Path, lib: Path, port: int, password: str | None, *, version: str, heap: str, pagecache: str
) -> None:
    """Write the configuration, make the folders, set the password of a store never started, and
    clear a stale pid file."""
    write_config(home, port, auth=password is not None, heap=heap, pagecache=pagecache, version=version)
    for folder in ("data", "logs", "plugins", "import", "run"):
        (home / folder).mkdir(parents=True, exist_ok=True)
    if password is not None and not (home / "data" / "databases" / "system").exists():
        _set_initial_password(home, lib, password)
    (home / "run" / "neo4j.pid").unlink(missing_ok=True)


def _launch(home: Path, command: list[str]) -> subprocess.Popen[bytes]:
    """Run the bootloader in its own session, its output going to ``logs/console.log``."""
    with (home / "logs" / CONSOLE_LOG).open("wb") as console:
        try:
            return subprocess.Popen(
                command,
                cwd=home,
                env=_neo4j_env(home),
                stdin=subprocess.DEVNULL,
                stdout=console,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        except OSError as error:
            raise ServerError(f"could not launch {command[0]}: {error}") from error


def _write_record(
    home: Path, process: subprocess.Popen[bytes], port: int, uri: str, version: str, *, auth: bool
) -> dict[str, Any]:
    """Write the run record :func:`status` and :func:`stop` read, and return it."""
    record = {
        "pid": process.pid,
        "port": port,
        "uri": uri,
        "version": version,
        "auth": auth,
        "home": str(home),
        "started_at": time.time(),
    }
    _write_atomically(_record_path(home), json.dumps(record, indent=2) + "\n")
    return record


def _wait_for_bolt(
    home: Path,
    process: subprocess.Popen[bytes],
    uri: str,
    password: str | None,
    *,
    deadline: float,
) -> None:
    """Poll Bolt until it answers; fail fast if the server exits or refuses the credentials."""
    from neo4j import GraphDatabase
    from neo4j.exceptions import AuthError, DriverError, Neo4jError, ServiceUnavailable

    auth = None if password is None else (USER, password)
    with GraphDatabase.driver(uri, auth=auth, connection_timeout=5.0) as driver:
        while True:
            if process.poll() is not None:
                raise ServerError(
                    f"Neo4j exited with code {process.returncode} before answering on {uri}\n" + _logs_tail(home)
                )
            try:
                driver.verify_connectivity()
            except AuthError as error:
                raise ServerError(
                    f"Neo4j in {home} refused the credentials: the store keeps the password (or "
                    f"the lack of one) it was first started with ({error.message})"
                ) from error
            except (ServiceUnavailable, DriverError, Neo4jError, OSError) as error:
                # ServiceUnavailable: not listening yet; others: listening but still starting.
                if time.monotonic() >= deadline:
                    raise ServerError(
                        f"Neo4j did not answer on {uri} in time ({error})\n" + _logs_tail(home)
                    ) from error
            else:
                return
            time.sleep(0.25)


def stop(home: Path | None = None, *, timeout: float = 60.0) -> bool:
    """Stop the server running for ``home`` (default :func:`default_home`).

    Sends SIGTERM to the bootloader's process group (which holds the forked server JVM too), waits
    up to ``timeout`` seconds for a clean shutdown, then sends SIGKILL.

    Returns:
        True if a server was running and is now gone, False if nothing was running.

    Raises:
        ServerError: a process survived SIGKILL.
    """
    home = (home or default_home()).absolute()
    record = _read_record(home)
    if record is None:
        return False
    pgid = int(record["pid"])
    live = _live_pids(home, record)
    if not live:
        _record_path(home).unlink(missing_ok=True)
        return False
    log.info("stopping Neo4j in %s (pids %s)", home, live)
    _signal_all(pgid, live, signal.SIGTERM)
    if not _wait_gone(home, pgid, live, timeout):
        log.warning("Neo4j in %s ignored SIGTERM for %.0f s; killing it", home, timeout)
        _signal_all(pgid, live, signal.SIGKILL)
        if not _wait_gone(home, pgid, live, 10.0):
            raise ServerError(f"Neo4j processes {live} in {home} survived SIGKILL")
    _record_path(home).unlink(missing_ok=True)
    return True


def _signal_all(pgid: int, pids: Sequence[int], signum: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signum)
    for pid in pids:  # a JVM that left the group (it should not) still gets the signal
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signum)


def _wait_gone(home: Path, pgid: int, pids: Sequence[int], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while True:
        remaining = [pid for pid in pids if _is_alive(pid, home)]
        if not remaining and not _group_members(pgid):
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.1)
