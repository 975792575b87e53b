"""How the HTTP doors answer an error: one JSON shape for the API,
``{"error": {"status", "code", "message", "message_zh", "problems"}}``, and a page in Chinese for
the console (paths under ``/console/``). The status and code of a domain error are its own
(:mod:`graph.errors`): an unknown id is 404, an invalid body or parameter 422 naming the field, a
conflicting write 409, an unreachable store 503 with ``Retry-After`` (the next request tries again,
so the app recovers by itself when the server is back), a missing or bad key 401, a key outside its
scope 403. Never a stack trace: unexpected errors are logged and answered 500 with a reference.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any
from urllib.parse import urlencode

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import ValidationError as PydanticValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from graph.errors import AlliancesError, StoreUnavailable, Unauthorized, UploadsBusy, ValidationError

from .console.render import page
from .console.session import SignInRequired

log = logging.getLogger("alliances.api")

RETRY_AFTER_SECONDS = 5


def _split(message: str) -> tuple[str, str]:
    """Our messages read ``English / 中文``: the two halves."""
    if " / " in message:
        en, zh = message.split(" / ", 1)
        return en, zh
    return message, ""


def _plain(value: Any) -> Any:
    return value if isinstance(value, (str, int, float, bool, type(None))) else str(value)


def answer(request: Request, status: int, code: str, en: str, zh: str, problems: list[Any],
           headers: dict[str, str] | None = None) -> Response:  # fmt: skip
    """An error as JSON (the API) or as a page in Chinese (the console: paths under /console/)."""
    if request.url.path.startswith("/console/") or request.url.path == "/console":
        response = page(request, "error.html", http_status=status, title="出错了", status_code=status, code=code,
                        message=zh or en, message_en=en, problems=problems)  # fmt: skip
        for name, value in (headers or {}).items():
            if name.lower() != "www-authenticate":
                response.headers[name] = value
        return response
    body = {"error": {"status": status, "code": code, "message": en, "message_zh": zh, "problems": problems}}
    return JSONResponse(body, status_code=status, headers=headers)


async def domain_error(request: Request, exc: AlliancesError) -> Response:
    """A :class:`graph.errors.AlliancesError`, with the status and code its class carries."""
    if isinstance(exc, SignInRequired):
        return RedirectResponse(f"{exc.target}?{urlencode({'next': exc.next_path})}", status_code=303)
    en, zh = _split(str(exc))
    headers: dict[str, str] | None = None
    problems = [vars(p) for p in exc.problems] if isinstance(exc, ValidationError) else []
    if isinstance(exc, Unauthorized):
        headers = {"WWW-Authenticate": "ApiKey"}
    elif isinstance(exc, UploadsBusy):
        headers = {"Retry-After": str(exc.retry_after)}
    elif isinstance(exc, StoreUnavailable):
        headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}
        zh = zh or "数据库暂时无法访问，请稍后重试"
    return answer(request, exc.http_status, exc.code, en, zh, problems, headers)


async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
    """A body or parameter FastAPI could not parse: 422 naming each field."""
    problems = [
        {
            "column": ".".join(str(p) for p in e.get("loc", ()) if p not in ("body", "query", "path")),
            "location": str(e.get("loc", ("",))[0]),
            "message": e.get("msg", ""),
            "value": _plain(e.get("input")),
        }
        for e in exc.errors()
    ]
    fields = ", ".join(p["column"] for p in problems if p["column"])
    return answer(request, 422, "invalid", f"invalid request: {fields}", f"请求参数有误：{fields}", problems)


async def invalid_record(request: Request, exc: PydanticValidationError) -> Response:
    """A request that parses but makes an invalid record (an empty key in a list, years out of
    order …): 422 naming the fields, like any invalid request."""
    problems = [
        {
            "column": ".".join(str(p) for p in e.get("loc", ())),
            "message": e.get("msg", ""),
            "value": _plain(e.get("input")),
        }
        for e in exc.errors()
    ]
    fields = ", ".join(p["column"] or exc.title for p in problems)
    return answer(request, 422, "invalid", f"invalid {exc.title}: {fields}", f"数据无效：{fields}", problems)


async def unexpected(request: Request, exc: Exception) -> Response:
    reference = uuid.uuid4().hex[:12]
    log.exception("unexpected error %s on %s %s", reference, request.method, request.url.path)
    en, zh = f"internal error (reference {reference})", f"服务器内部错误（编号 {reference}）"
    return answer(request, 500, "internal", en, zh, [])


async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
    """Unknown paths (404) and methods (405): the same error shape, or the console's error page."""
    zh = {404: "没有这个页面", 405: "不支持这种请求方式"}.get(exc.status_code, "请求有误")
    code = {404: "not-found", 405: "method-not-allowed"}.get(exc.status_code, "error")
    return answer(request, exc.status_code, code, str(exc.detail), zh, [], getattr(exc, "headers", None))


def install(app: FastAPI) -> None:
    """Every error handler on ``app``."""
    app.exception_handler(AlliancesError)(domain_error)
    app.exception_handler(RequestValidationError)(invalid_request)
    app.exception_handler(PydanticValidationError)(invalid_record)
    app.exception_handler(StarletteHTTPException)(http_error)
    app.exception_handler(Exception)(unexpected)
