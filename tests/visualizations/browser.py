"""Open a view in Debian's Chromium through Playwright (never a downloaded browser) and report what
a user would see: drawn node and edge counts, console errors, requests leaving the machine, dialogs
(an ``alert`` means a hostile name ran as script), text shown, and a screenshot."""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip
ARTEFACTS = Path(__file__).resolve().parents[2] / ".alliances" / "test-artefacts"


@dataclass
class Seen:
    nodes: int = 0
    edges: int = 0
    drawn: bool = False
    external: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    text: str = ""
    images: int = 0
    filter_options: list[str] = field(default_factory=list)
    legend: list[str] = field(default_factory=list)
    found: str = ""
    tooltip: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def _local(url: str) -> bool:
    u = urlparse(url)
    return u.scheme in ("file", "data", "blob", "about") or u.hostname in ("127.0.0.1", "localhost", "::1")


def watch(routes: Any, page: Any, seen: Any) -> None:
    """Block and record every request that would leave the machine (on ``routes``: a page or a
    context), and record console errors, page errors and dialogs (dismissed) on ``page`` into
    ``seen`` (anything with ``external``, ``console_errors``, ``page_errors`` and ``dialogs`` lists)."""

    def route(r: Any) -> None:
        if _local(r.request.url):
            r.continue_()
        else:
            seen.external.append(r.request.url)
            r.abort()

    routes.route("**/*", route)
    page.on("console", lambda m: m.type == "error" and seen.console_errors.append(m.text))
    page.on("pageerror", lambda e: seen.page_errors.append(str(e)))
    page.on("dialog", lambda d: (seen.dialogs.append(f"{d.type}: {d.message}"), d.dismiss()))


@contextmanager
def live_server(app: Any) -> Iterator[str]:
    """``app`` served by uvicorn on a free loopback port in a thread; yields its base URL."""
    import socket
    import threading

    import uvicorn

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(200):
        if server.started:
            break
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def require_chromium() -> None:
    if not Path(CHROMIUM).exists() or shutil.which("chromium") is None:
        pytest.fail(f"{CHROMIUM} is missing: `apt-get install -y chromium` (.ci/run does it)")


def look(url: str, screenshot: str, *, search: str = "", hover_node: str | None = None,
         timeout_ms: int = 60_000, headers: dict[str, str] | None = None) -> Seen:  # fmt: skip
    """Load ``url`` (file:// or http://127.0.0.1), wait until the network has drawn, and report."""
    require_chromium()
    from playwright.sync_api import sync_playwright

    seen = Seen()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            if headers:
                page.set_extra_http_headers(headers)

            watch(page, page, seen)
            page.goto(url, wait_until="load", timeout=timeout_ms)
            # polled from here: wait_for_function evaluates its predicate with eval inside the page,
            # which the API's Content-Security-Policy (rightly) forbids
            deadline = time.monotonic() + timeout_ms / 1000
            while not page.evaluate("!!(window.__view && window.__view.drawn)"):
                if time.monotonic() > deadline:
                    raise TimeoutError(f"{url} did not draw within {timeout_ms} ms")
                page.wait_for_timeout(100)
            seen.drawn = True
            seen.nodes = page.evaluate("network.body.data.nodes.length")
            seen.edges = page.evaluate("network.body.data.edges.length")
            seen.images = page.evaluate("document.querySelectorAll('img, iframe, object, embed').length")
            seen.filter_options = page.evaluate(
                "Array.from(document.querySelectorAll('#filter option')).map(o => o.textContent)"
            )
            seen.legend = page.evaluate(
                "Array.from(document.querySelectorAll('#legend .legend-item')).map(e => e.textContent)"
            )
            if search:
                page.fill("#search", search)
                seen.found = page.evaluate("document.getElementById('found').textContent")
            if hover_node is not None:
                pos = page.evaluate(
                    "(id) => { const p = network.canvasToDOM(network.getPositions([id])[id]);"
                    " const r = document.getElementById('mynetwork').getBoundingClientRect();"
                    " return {x: r.left + p.x, y: r.top + p.y}; }",
                    hover_node,
                )
                page.mouse.move(pos["x"], pos["y"])
                page.wait_for_timeout(600)
                seen.tooltip = page.evaluate(
                    "(() => { const t = document.querySelector('div.vis-tooltip'); return t ? t.textContent : ''; })()"
                )
            seen.text = page.evaluate("document.body.innerText")
            ARTEFACTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(ARTEFACTS / screenshot))
            page.wait_for_timeout(200)  # let a late-running injected script show itself
        finally:
            browser.close()
    return seen
