"""HTTP answers that the JSON API and the console give alike: a network view as a page of its own,
under a Content-Security-Policy that lets nothing load or connect (the pages are self-contained)."""

from __future__ import annotations

from fastapi.responses import HTMLResponse

VIEW_CSP = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; "
    "connect-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'"
)


def view_page(html: str) -> HTMLResponse:
    return HTMLResponse(html, headers={"Content-Security-Policy": VIEW_CSP, "X-Content-Type-Options": "nosniff"})
