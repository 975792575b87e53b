"""How fast the network overview opens in a real browser, beside vis-network's own layout.

For N studios (default 1,500 and 5,000; ``ingest.synthetic.records``) the overview page
(``visualizations.views.network_view``) is rendered, written, and opened in headless Debian
Chromium through Playwright; the time from navigation until vis-network has drawn once is the time
to interactive. Baseline in the same run: the same page for the largest N with physics on and no
positions given (what a pyvis page does by default), capped at ``--cap`` seconds.

    python benchmarks/bench_views.py [--sizes 1500,5000] [--cap 240]

Results are appended to ``benchmarks/RESULTS.md``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

from graph import taxonomy
from graph.file_store import FileStore
from ingest import synthetic
from matching.suggest import Suggester
from visualizations.page import render
from visualizations.views import network_view

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


try:
    from benchmarks.bench_store import append_results, machine
except ModuleNotFoundError:  # run as a script
    from bench_store import append_results, machine  # type: ignore[no-redef]

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip


def time_to_draw(html: Path, cap_s: float) -> tuple[float | None, int]:
    """Seconds from navigation until the network has drawn (None past the cap), and nodes drawn."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        start = time.perf_counter()
        page.goto(html.as_uri(), wait_until="load", timeout=int(cap_s * 1000))
        try:
            page.wait_for_function("window.__view && window.__view.drawn", timeout=int(cap_s * 1000), polling=50)
        except PlaywrightTimeout:
            browser.close()
            return None, 0
        elapsed = time.perf_counter() - start
        nodes = page.evaluate("network.body.data.nodes.length")
        browser.close()
    return elapsed, int(nodes)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1500,5000")
    parser.add_argument("--cap", type=float, default=240.0)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    lines = [
        f"\n## Network overview in the browser — {dt.date.today().isoformat()}",
        f"Machine: {machine()}; headless Debian Chromium via Playwright.",
        "Time to interactive = navigation until vis-network's first draw. Baseline: the same page with physics "
        "on and no positions (vis-network lays it out, as a default pyvis page does).",
        "",
        "| studios | layout | edges | render (Python) | page size | time to interactive |",
        "|---|---|---|---|---|---|",
    ]
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        largest = max(sizes)
        store = FileStore(tmp / "graph.json")
        store.write(taxonomy.reference_records())
        store.write(synthetic.records(largest, seed=3))
        projection = store.projection()
        suggester = Suggester().fit(projection)
        baseline_html: Path | None = None
        for n in sizes:
            start = time.perf_counter()
            view = network_view(suggester, projection, limit=n)
            html = render(view)
            t_render = time.perf_counter() - start
            path = tmp / f"overview-{n}.html"
            path.write_text(html, encoding="utf-8")
            t_draw, drawn = time_to_draw(path, args.cap)
            assert drawn == n or t_draw is None, (drawn, n)
            fixed = all(node.get("physics") is False for node in view.network.nodes)
            shown = f"> {args.cap:.0f} s" if t_draw is None else f"{t_draw:.1f} s"
            lines.append(
                f"| {n:,} | {'fixed positions, physics off' if fixed else 'vis-network physics'} "
                f"| {len(view.network.edges):,} | {t_render:.1f} s | {len(html) / 2**20:.1f} MiB "
                f"| {shown} |"
            )
            print(lines[-1], flush=True)
            if n == largest and fixed:
                for node in view.network.nodes:
                    node.pop("x", None)
                    node.pop("y", None)
                    node["physics"] = True
                view.network.options["physics"]["enabled"] = True  # type: ignore[index]
                baseline_html = tmp / f"baseline-{n}.html"
                baseline_html.write_text(render(view), encoding="utf-8")
        if baseline_html is not None:
            t_base, _ = time_to_draw(baseline_html, args.cap)
            shown = f"> {args.cap:.0f} s" if t_base is None else f"{t_base:.1f} s"
            lines.append(f"| {largest:,} | baseline: physics on, no positions | | | | {shown} |")
            print(lines[-1], flush=True)
    append_results(lines)


if __name__ == "__main__":
    main()
