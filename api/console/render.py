"""Pages: Jinja templates with autoescaping on (every user-supplied string is text), numbers and
times as zh-CN writes them, and headers that keep the page to itself (no inline script, nothing
from another host, no framing by other sites)."""

from __future__ import annotations

import datetime as dt
import json
from functools import cache
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from graph import labels

HERE = Path(__file__).parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"
VENDOR = {"echarts.min.js": HERE / "node_modules" / "echarts" / "dist" / "echarts.min.js"}
"""Front-end packages installed by ``npm ci --prefix api/console`` (pinned in package-lock.json)."""

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; frame-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}
BEIJING = dt.timezone(dt.timedelta(hours=8), "北京时间")


def number(value: Any, digits: int = 0) -> str:
    """1234567 → ``1,234,567`` (zh-CN groups by thousands, as Intl.NumberFormat('zh-CN') does)."""
    if value is None or value == "":
        return "—"
    if isinstance(value, float) and digits:
        return f"{value:,.{digits}f}"
    return f"{round(value):,}" if isinstance(value, float) else f"{value:,}"


def percent(value: Any, digits: int = 1) -> str:
    return "—" if value is None else f"{100 * float(value):.{digits}f}%"


def when(value: str | None) -> str:
    """An ISO UTC timestamp → ``2026年11月25日 11:07``, Beijing time (China keeps no summer time)."""
    if not value:
        return "—"
    try:
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return value
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    local = moment.astimezone(BEIJING)
    return f"{local.year}年{local.month}月{local.day}日 {local:%H:%M}"


def day(value: str | None) -> str:
    """``2024-05-01`` → ``2024年5月1日``."""
    if not value:
        return "—"
    try:
        d = dt.date.fromisoformat(value[:10])
    except ValueError:
        return value
    return f"{d.year}年{d.month}月{d.day}日"


def chart_json(option: dict[str, Any]) -> Markup:
    """A chart's option as JSON for a ``<script type="application/json">`` block: ``<``, ``>``, ``&``
    and quotes escaped, so a hostile name cannot close the block."""
    text = json.dumps(option, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e").replace("'", "\\u0027")
    return Markup(text)  # noqa: S704 - escaped above: no markup can survive in it


@cache
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"], default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters |= {"number": number, "percent": percent, "when": when, "day": day, "chart_json": chart_json}
    env.globals |= {
        "STUDIO_STATUS_ZH": labels.STUDIO_STATUS_ZH,
        "STUDIO_LEVEL_ZH": labels.STUDIO_LEVEL_ZH,
        "KIND_ZH": labels.ALLIANCE_KIND_ZH,
        "ALLIANCE_STATUS_ZH": labels.ALLIANCE_STATUS_ZH,
        "ALLIANCE_ACTION_ZH": labels.ALLIANCE_ACTION_ZH,
        "ROLE_ZH": labels.ROLE_ZH,
        "WORKER_STATUS_ZH": labels.WORKER_STATUS_ZH,
        "WORKER_LEFT_VERB_ZH": labels.WORKER_LEFT_VERB_ZH,
        "STAGE_ZH": labels.STAGE_ZH,
        "LEDGER_KIND_ZH": labels.LEDGER_KIND_ZH,
        "GAP_STATUS_ZH": labels.GAP_STATUS_ZH,
        "LABEL_ZH": labels.LABEL_ZH,
        "AUDIT_ACTION_ZH": labels.AUDIT_ACTION_ZH,
        "SHEET_ZH": labels.SHEET_ZH,
        "ACTION_ZH": labels.ASSESSMENT_ACTION_ZH,
        "VERDICT_ZH": labels.VERDICT_ZH,
        "charts_installed": VENDOR["echarts.min.js"].is_file(),
    }
    return env


def page(request: Request, template: str, *, http_status: int = 200, **context: Any) -> HTMLResponse:
    """Render ``template`` with ``context`` (plus ``request``, and ``visitor`` when signed in)."""
    context.setdefault("visitor", getattr(request.state, "visitor", None))
    html = environment().get_template(template).render(request=request, **context)
    return HTMLResponse(html, status_code=http_status, headers=HEADERS)
