"""Render time of the web console's pages (``/console/…``) at national scale.

For each size N and store (FileStore, and Neo4j unless ``--no-neo4j``), the synthetic roster of
``benchmarks/bench_api.py`` is written (``ingest.synthetic.records``, n/2 collaborations), plus one
*proposed* alliance per 8 studios (5–30 random members; about what ``alliances propose`` makes for
all kinds at 150,000 studios), so that the proposals page and each studio page's alliance list
have something to show. ``alliances serve`` runs as its own process on loopback; this process signs
in to the console with a municipal key (the sign-in form's CSRF cookie, then the session cookie,
both sent by hand: they are ``Secure`` and httpx would not send them over plain HTTP) and, with one
client and one keep-alive connection, times each request (``time.perf_counter`` around the whole
request, body read):

- warm-up: the first request after start, ``GET /studios/{id}/suggestions`` over the API, which
  reads the projection and fits the matching models and fills none of the console's caches;
- cold: the first render of each page after the warm-up, in the order below (the console's per-fit
  caches start empty: the first page pays for the studio directory that every page shares, the
  home page for the dashboard, the chain page for the gap report and coverage, the assessment page
  for the year's assessment);
- steady state: p50 / p95 / max over ``--repeats`` sequential requests of each page (render time,
  not load); the studio page asks for a different random studio each time.

Pages: home ``/console/``; a studio ``/console/studios/{id}``; the studio list (page 1, page 1,000,
a name search matching every studio ``?q=创新`` and one matching a single studio ``?q=第1234号``);
the chain gap radar ``/console/chains/ic``; ``/console/proposals``; ``/console/assessment``.
Baseline in the same run: ``GET /health`` with the API key (a count and no matching).

    python benchmarks/bench_console.py [--sizes 150000] [--repeats 30] [--no-neo4j] [--no-append]

Results are appended to ``benchmarks/RESULTS.md``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import quote

import httpx

from graph.model import Alliance, AllianceKind
from graph.store import BaseStore

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.bench_api import each_store, load, pct, serve  # noqa: E402
from benchmarks.bench_store import append_results, machine  # noqa: E402

KINDS = (AllianceKind.SAME_TRADE, AllianceKind.SAME_INDUSTRY, AllianceKind.CROSS_FIELD)


def proposals(ids: list[str], count: int, seed: int = 11) -> list[Alliance]:
    """``count`` proposed alliances of 5–30 random studios each, with scores (the proposals page
    sorts by score)."""
    rng = random.Random(seed)
    out = []
    for i in range(count):
        members = sorted(rng.sample(ids, rng.randint(5, 30)))
        out.append(
            Alliance(
                id=f"a{i:06d}",
                name=f"第{i}号联盟建议",
                kind=KINDS[i % len(KINDS)],
                member_ids=tuple(members),
                lead_studio_id=members[0],
                score=round(rng.random(), 3),
                reasons=("同工种、同行业，地区相近",),
            )
        )
    return out


def set_cookie(response: httpx.Response, name: str) -> str:
    """The value the response sets for cookie ``name``, read from its ``Set-Cookie`` headers."""
    for header in response.headers.get_list("set-cookie"):
        jar: SimpleCookie = SimpleCookie()
        jar.load(header)
        if name in jar and jar[name].value:
            return jar[name].value
    raise RuntimeError(f"no {name} cookie in {response.status_code} {response.url}: {response.headers}")


def sign_in(client: httpx.Client, base: str, token: str) -> str:
    """Sign in to the console as a browser does; the session cookie's value."""
    form = client.get("/console/signin")
    form.raise_for_status()
    csrf = set_cookie(form, "alliances_signin")
    assert f'value="{csrf}"' in form.text, "the sign-in form's hidden csrf input should carry the cookie's value"
    answer = client.post(
        "/console/signin",
        data={"csrf": csrf, "key": token, "next": "/console/"},
        headers={"Origin": base, "Cookie": f"alliances_signin={csrf}"},
    )
    if answer.status_code != 303 or answer.headers.get("location") != "/console/":
        raise RuntimeError(f"sign-in answered {answer.status_code} → {answer.headers.get('location')}")
    return set_cookie(answer, "alliances_session")


def timed_get(client: httpx.Client, path: str, headers: dict[str, str]) -> tuple[float, httpx.Response]:
    start = time.perf_counter()
    response = client.get(path, headers=headers)
    _ = response.content
    return time.perf_counter() - start, response


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms" if seconds < 10 else f"{seconds:,.1f} s"


def run(setting: str, store: BaseStore, n: int, repeats: int, label: str) -> tuple[list[str], list[str], str]:
    """Table rows, the failed requests (status and path) if any, and a note on the machine's load."""
    ids, token = load(store, n)
    store.write(proposals(ids, n // 8))
    rng = random.Random(3)
    studio = "/console/studios/{id}"
    pages: dict[str, Callable[[], str]] = {
        "home `/console/`": lambda: "/console/",
        f"studio `{studio}`": lambda: f"/console/studios/{rng.choice(ids)}",
        "studio list `/console/studios`": lambda: "/console/studios",
        "studio list, deep `?page=1000`": lambda: "/console/studios?page=1000",
        "name search `?q=创新` (every studio)": lambda: f"/console/studios?q={quote('创新')}",
        "name search `?q=第1234号` (one studio)": lambda: f"/console/studios?q={quote('第1234号')}",
        "chain gap radar `/console/chains/ic`": lambda: "/console/chains/ic",
        "proposals `/console/proposals`": lambda: "/console/proposals",
        "assessment `/console/assessment`": lambda: "/console/assessment",
        "`GET /health` (baseline, API key)": lambda: "/health",
    }
    lines: list[str] = []
    failures: list[str] = []
    with tempfile.TemporaryDirectory() as tmp, serve(setting, Path(tmp) / "server.log") as base:
        load_before = os.getloadavg()[0]
        with httpx.Client(base_url=base, timeout=1800, follow_redirects=False) as client:
            session = sign_in(client, base, token)
            console = {"Cookie": f"alliances_session={session}"}
            api = {"X-API-Key": token}
            t_warm, warm = timed_get(client, f"/studios/{ids[0]}/suggestions?kind=chain&top=10", api)
            warm.raise_for_status()
            print(f"{label} {n:,}: warm-up {t_warm:.1f} s", flush=True)

            def get(path: str) -> tuple[float, httpx.Response]:
                took, response = timed_get(client, path, api if path == "/health" else console)
                expected = "application/json" if path == "/health" else "text/html"
                if response.status_code != 200 or expected not in response.headers.get("content-type", ""):
                    failures.append(f"{label} {n:,}: GET {path} → {response.status_code} {response.text[:300]!r}")
                    print(failures[-1], flush=True)
                return took, response

            cold = {}
            for name, path in pages.items():
                cold[name] = get(path())[0]
                print(f"  cold {name}: {ms(cold[name])}", flush=True)
            steady: dict[str, tuple[list[float], int]] = {}
            for name, path in pages.items():
                times, size = [], 0
                for _ in range(repeats):
                    took, response = get(path())
                    times.append(took)
                    size = max(size, len(response.content))
                steady[name] = (times, size)
        load_after = os.getloadavg()[0]
        if failures:
            print((Path(tmp) / "server.log").read_text(encoding="utf-8", errors="replace")[-5000:], flush=True)
    health = pct(steady["`GET /health` (baseline, API key)"][0], 50)
    for name, (times, size) in steady.items():
        p50 = pct(times, 50)
        lines.append(
            f"| {label} | {n:,} | {name} | {ms(cold[name])} | {ms(p50)} | {ms(pct(times, 95))} | {ms(max(times))} "
            f"| {p50 / health:,.{1 if p50 < 10 * health else 0}f}× | {size / 1024:,.0f} KiB |"
        )
        print(lines[-1], flush=True)
    lines.append(f"| {label} | {n:,} | warm-up: the first request (projection + fit) | {t_warm:.1f} s | | | | | |")
    note = f"{label}, {n:,} studios: 1-minute load average {load_before:.1f} → {load_after:.1f} over the timings."
    return lines, failures, note


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="150000")
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--no-neo4j", action="store_true")
    parser.add_argument("--no-append", action="store_true", help="print the section, leave RESULTS.md alone")
    args = parser.parse_args()
    lines = [
        f"\n## Web console pages — {dt.date.today().isoformat()}",
        f"Machine: {machine()}. `alliances serve` (uvicorn, one worker) in its own process; one client "
        "(keep-alive, loopback) signed in to the console with a municipal key. Roster: "
        "`ingest.synthetic.records(N)` with N/2 collaborations, plus N/8 proposed alliances of 5–30 "
        "random studios. Cold = the first render of each page after the warm-up request (per-fit caches "
        f"empty, pages requested top to bottom); p50 / p95 / max over {args.repeats} sequential requests "
        "per page; ratio = page p50 / `/health` p50; size = the HTML.",
        "",
        "| store | studios | page | cold (first render) | p50 | p95 | max | p50 / health | size |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    failures: list[str] = []
    notes: list[str] = []
    for setting, store, n, label in each_store(args.sizes, args.no_neo4j):
        rows, failed, note = run(setting, store, n, args.repeats, label)
        lines += rows
        failures += failed
        notes.append(note)
    lines += ["", " ".join(notes)]
    if failures:
        lines += ["", "Failed requests (status other than 200 with HTML):", ""] + [f"- {f}" for f in failures]
    if args.no_append:
        print("\n".join(lines))
    else:
        append_results(lines)


if __name__ == "__main__":
    main()
