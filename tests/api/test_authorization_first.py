"""Authorization before validation (issue 20, item 4): every write route of the JSON API and every
form of the console answers a caller that may not do the thing 403 whatever the body holds — JSON
that does not parse, wrong types, an empty body, another content type, a huge body — and without
reading it; only a caller that may do it sees 422 (or the real answer). The routes are found in the
app, not listed here, and what each role may do comes from the permission each route declares
(:mod:`services.policy`); a write route without one fails here (and cannot be built)."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi import APIRouter, Depends, FastAPI
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient
from pydantic import BaseModel

from api.app import create_app
from api.console.session import COOKIE, ConsoleRoute
from api.errors import install
from api.guards import GuardedRoute, Requirement
from graph.errors import Forbidden
from graph.file_store import FileStore
from graph.keys import create_key
from graph.model import Alliance, AllianceKind, Role, Studio, User
from graph.store import BaseStore
from services import accounts
from services.policy import Actor
from services.sessions import open_session
from tests.graph.sample import records

BASE = "https://testserver"
ORIGIN = {"origin": BASE}
WRITES = {"POST", "PUT", "PATCH", "DELETE"}
ROLES = {
    "municipal": {"role": Role.MUNICIPAL},
    "union": {"role": Role.UNION, "union_id": "u-pd"},
    "studio": {"role": Role.STUDIO, "studio_id": "s1"},
}
PATH_VALUES = {
    "studio_id": ("s1", "s2"),  # s1: the Pudong union's and the studio key's own; s2: another union's
    "alliance_id": ("a2", "a3"),  # a2 holds Pudong studios; a3 only studios of another union
    "action": ("accept",),
    "login": ("nobody",),
    "key_id": ("k-none",),
}
PUBLIC = {("POST", "/console/signin")}
"""The only write open without a key or session: the sign-in form (it checks its own CSRF cookie)."""
HUGE = 4 << 20
CSRF_REFUSED = "表单已过期或来源不明"


class Note(BaseModel):
    note: str


@dataclass(frozen=True)
class Write:
    """One write route of the app, with its path filled in."""

    method: str
    template: str
    path: str
    params: dict[str, str]
    requirement: Requirement

    @property
    def key(self) -> str | None:
        return self.params[self.requirement.record] if self.requirement.record else None

    def denial(self, actor: Actor, store: BaseStore) -> str | None:
        assert self.requirement.permission is not None
        return self.requirement.permission.denial(actor, store, self.key)


def write_routes(app: FastAPI) -> Iterator[tuple[str, str, Any]]:
    """(method, path, route) of every write route the app serves, found in its routes."""
    for context in iter_route_contexts(app.routes):
        for method in sorted((context.methods or set()) & WRITES):
            yield method, context.path, context.original_route


def writes(app: FastAPI, prefix: str) -> list[Write]:
    found = []
    for method, template, route in write_routes(app):
        if not template.startswith(prefix) or (method, template) in PUBLIC:
            continue
        names = re.findall(r"{(\w+)}", template)
        missing = [n for n in names if n not in PATH_VALUES]
        assert not missing, f"{method} {template}: add sample values for {missing} to PATH_VALUES"
        for values in itertools.product(*(PATH_VALUES[n] for n in names)):
            params = dict(zip(names, values, strict=True))
            path = template
            for name, value in params.items():
                path = path.replace("{" + name + "}", value)
            found.append(Write(method, template, path, params, route.requirement))
    return found


def send(client: TestClient, write: Write, body: dict[str, Any], headers: dict[str, str], **options: Any) -> Any:
    """``write`` with the request arguments ``body`` (its own headers and ``headers``)."""
    arguments = {k: v for k, v in body.items() if k != "headers"}
    return client.request(write.method, write.path, **arguments, headers={**body.get("headers", {}), **headers},
                          **options)  # fmt: skip


def graph() -> list[Any]:
    return [
        *records(),
        Studio(id="s5", name="机电工会第二工作室", union_id="u-jd", district="徐汇区"),
        Alliance(id="a3", name="机电联盟", kind=AllianceKind.SAME_TRADE, member_ids=("s2", "s5")),
    ]


@pytest.fixture
def site(tmp_path: Any) -> Iterator[tuple[TestClient, BaseStore, dict[str, tuple[Actor, str]]]]:
    """The app on the sample graph, with a key (``api``) and an account (``console``) of each role."""
    path = tmp_path / "graph.json"
    store = FileStore(path)
    store.write([r for r in graph() if not isinstance(r, User)])
    who: dict[str, tuple[Actor, str]] = {}
    for role, scope in ROLES.items():
        key, token = create_key(store, f"{role} key", **scope)
        who[f"api-{role}"] = (Actor.of_key(key), token)
        user, _ = accounts.create_user(store, Actor.operator("test"), f"{role}.officer", name=f"{role} officer",
                                       password=f"{role} officer's long password 2026", **scope)  # fmt: skip
        who[f"console-{role}"] = (accounts.actor_of(user), user.id)
    with TestClient(create_app(str(path), cache_seconds=0), base_url=BASE) as client:
        yield client, store, who


def test_every_write_route_declares_a_permission() -> None:
    app = create_app(None)
    seen = list(write_routes(app))
    assert {t for _, t, _ in seen} >= {"/studios", "/ingest", "/console/studios/new", "/console/accounts/keys"}
    for method, path, route in seen:
        assert isinstance(route, GuardedRoute), f"{method} {path} is not built as a GuardedRoute"
        assert route.requirement is not None, f"{method} {path} declares no permission"
        if path.startswith("/console"):
            assert isinstance(route, ConsoleRoute), f"{method} {path} does not check the signed-in visitor"
        open_route = route.requirement.permission is None
        assert open_route == ((method, path) in PUBLIC), f"{method} {path} is open to anyone"


def test_a_write_route_without_a_permission_cannot_be_built() -> None:
    router = APIRouter(route_class=GuardedRoute)

    def endpoint() -> None:
        """A write nobody said who may do."""

    with pytest.raises(TypeError, match="declares no permission"):
        router.post("/anything")(endpoint)
    router.get("/anything")(endpoint)  # reads need none


def test_why_a_route_class_fastapi_decodes_the_body_before_any_dependency() -> None:
    """A plain dependency cannot come first: on the installed FastAPI a body that is not JSON is a
    422 before a dependency that refuses everyone has run (a dependency does run before the fields
    are validated). The gate of :class:`GuardedRoute` runs before the body is read; the walks below
    see 403 for both."""

    def nobody() -> None:
        raise Forbidden("nobody may / 谁都不行")

    app = FastAPI()
    install(app)

    @app.post("/plain", dependencies=[Depends(nobody)])
    def plain(body: Note) -> None:  # Note is a module's class: FastAPI resolves the annotation there
        """Refused by a dependency."""

    with TestClient(app) as client:
        as_json = {"content-type": "application/json"}
        assert client.post("/plain", content=b'{"note": ', headers=as_json).status_code == 422
        assert client.post("/plain", json={"note": 1}).status_code == 403  # it does run before field errors


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("POST", "/studios", {"municipal", "union"}),
        ("PATCH", "/studios/s1", {"municipal", "union", "studio"}),
        ("PATCH", "/studios/s2", {"municipal"}),
        ("POST", "/studios/s1/delist", {"municipal", "union"}),
        ("POST", "/studios/s2/leader", {"municipal"}),
        ("POST", "/alliances/proposals", {"municipal"}),
        ("POST", "/alliances/a2/accept", {"municipal", "union"}),
        ("POST", "/alliances/a3/dissolve", {"municipal"}),
        ("POST", "/assessment/apply", {"municipal"}),
        ("POST", "/ingest", {"municipal", "union"}),
        ("POST", "/what-if", {"municipal", "union", "studio"}),
        ("POST", "/console/studios/s1/edit", {"municipal", "union", "studio"}),
        ("POST", "/console/accounts/keys", {"municipal"}),
        ("POST", "/console/signout", {"municipal", "union", "studio"}),
    ],
)
def test_the_declared_permissions_say_what_the_roles_may_do(
    site: tuple[TestClient, BaseStore, dict[str, tuple[Actor, str]]], method: str, path: str, allowed: set[str]
) -> None:
    """Articles 13–17 as the README states them, for a few writes: the table the walk reads agrees."""
    client, store, who = site
    prefix = "console" if path.startswith("/console") else "api"
    [write] = [w for w in writes(client.app, "/") if (w.method, w.path) == (method, path)]
    assert {r for r in ROLES if write.denial(who[f"{prefix}-{r}"][0], store) is None} == allowed


def api_bodies(schema: dict[str, Any], write: Write) -> list[tuple[str, dict[str, Any]]]:
    """Bodies no route accepts: (name, request arguments)."""
    operation = schema["paths"][write.template][write.method.lower()]
    fields = ["note"]
    for content in operation.get("requestBody", {}).get("content", {}).values():
        ref = content["schema"].get("$ref", "")
        fields = list(schema["components"]["schemas"][ref.rsplit("/", 1)[-1]].get("properties", {})) or fields
    as_json = {"content-type": "application/json"}
    return [
        ("not JSON", {"content": b'{"reason": "x",', "headers": as_json}),
        ("empty", {"content": b"", "headers": as_json}),
        ("no body, no content type", {}),
        ("a list, not an object", {"json": [1, "two", None]}),
        ("every field of a wrong type", {"json": {f: [{"x": 1}] for f in fields}}),
        ("text/plain", {"content": b"reason=x", "headers": {"content-type": "text/plain"}}),
        ("a form", {"data": {"reason": "x", "year": "x"}}),
        ("huge", {"content": b'{"note": "' + b"x" * HUGE, "headers": as_json}),
    ]


@pytest.mark.parametrize("role", list(ROLES))
def test_every_api_write_says_403_before_any_schema_detail(
    site: tuple[TestClient, BaseStore, dict[str, tuple[Actor, str]]], role: str
) -> None:
    client, store, who = site
    actor, token = who[f"api-{role}"]
    schema = client.get("/openapi.json").json()
    walked = writes(client.app, "/")
    walked = [w for w in walked if not w.template.startswith("/console")]
    assert len(walked) >= 11
    for write in walked:
        denial = write.denial(actor, store)
        for name, body in api_bodies(schema, write):
            answer = send(client, write, body, {"X-API-Key": token})
            where = (role, write.method, write.path, name, answer.text[:300])
            if denial is None:
                assert answer.status_code == 422 and answer.json()["error"]["code"] == "invalid", where
                continue
            error = answer.json()["error"]
            assert answer.status_code == 403 and error["code"] == "forbidden", where
            assert f"{error['message']} / {error['message_zh']}" == denial, where
            assert error["problems"] == [], where


def test_without_a_live_key_every_api_write_is_401_whatever_the_body(
    site: tuple[TestClient, BaseStore, dict[str, tuple[Actor, str]]],
) -> None:
    client, _, _ = site
    schema = client.get("/openapi.json").json()
    for write in writes(client.app, "/"):
        if write.template.startswith("/console"):
            continue
        for name, body in api_bodies(schema, write):
            for key in ({}, {"X-API-Key": "sa_nope_nope"}, {"Authorization": "Bearer sa_nope_nope"}):
                answer = send(client, write, body, key)
                where = (write.method, write.path, name, key, answer.text[:300])
                assert answer.status_code == 401 and answer.json()["error"]["code"] == "unauthorized", where
                assert answer.headers["www-authenticate"] == "ApiKey", where


def console_bodies(csrf: str) -> dict[str, tuple[bool, dict[str, Any]]]:
    """Forms no page accepts: name -> (whether it carries the session's CSRF token, request arguments)."""
    junk = {"csrf": csrf, "year": "二〇二五", "what": "<x>", "kinds": "none", "confirm": "yes", "role": "king",
            "key_role": "king", "login": " ", "reason": "", "new_leader": "", "note": "\x00" * 8}  # fmt: skip
    return {
        "fields of the wrong kind": (True, {"data": junk}),
        "the token alone": (True, {"data": {"csrf": csrf}}),
        "a file where none is taken": (True, {"data": {"csrf": csrf}, "files": {"files": ("x.bin", b"\0\1")}}),
        "huge": (True, {"data": {"csrf": csrf, "note": "x" * HUGE}}),
        "JSON": (False, {"content": b'{"csrf": 1', "headers": {"content-type": "application/json"}}),
        "empty": (False, {"content": b""}),
        "a wrong token": (False, {"data": {"csrf": "x" * 43}}),
    }


def signed_in(client: TestClient, store: BaseStore, login: str) -> str:
    """A fresh console session for the account ``login``, as the sign-in form opens one after it
    checked the password; returns its CSRF token."""
    session = open_session(store, "user", login)
    client.cookies.clear()
    client.cookies.set(COOKIE, session.cookie)
    return session.csrf


@pytest.mark.parametrize("role", list(ROLES))
def test_every_console_form_says_403_before_its_csrf_token_or_its_fields(
    site: tuple[TestClient, BaseStore, dict[str, tuple[Actor, str]]], role: str
) -> None:
    """The role is checked before the form is read: a forbidden account gets the page that says why,
    never the CSRF refusal; an allowed one passes on to the CSRF check (and to its fields)."""
    client, store, who = site
    actor, login = who[f"console-{role}"]
    walked = writes(client.app, "/console")
    assert len(walked) >= 14
    for write in walked:
        denial = write.denial(actor, store)
        for name in console_bodies(""):
            # a fresh session each time: an allowed sign-out ends the one before
            with_token, body = console_bodies(signed_in(client, store, login))[name]
            answer = send(client, write, body, ORIGIN, follow_redirects=False)
            where = (role, write.path, name, answer.status_code, answer.text[-600:])
            if denial is not None:
                assert answer.status_code == 403 and denial.split(" / ")[1] in answer.text, where
                assert CSRF_REFUSED not in answer.text, where
            elif with_token:
                assert answer.status_code != 403, where
            else:
                assert answer.status_code != 403 or CSRF_REFUSED in answer.text, where


def test_without_a_session_every_console_form_sends_the_browser_to_sign_in(
    site: tuple[TestClient, BaseStore, dict[str, tuple[Actor, str]]],
) -> None:
    client, _, _ = site
    for write in writes(client.app, "/console"):
        for name, (_, body) in console_bodies("x" * 43).items():
            client.cookies.clear()
            answer = send(client, write, body, ORIGIN, follow_redirects=False)
            where = (write.path, name, answer.status_code)
            assert answer.status_code == 303 and answer.headers["location"].startswith("/console/signin"), where


class Body:
    """A request body sent in pieces that notes whether the server ever asked for it."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.asked = False

    def __iter__(self) -> Iterator[bytes]:
        self.asked = True
        yield self.data


def test_a_forbidden_write_leaves_its_body_unread(
    site: tuple[TestClient, BaseStore, dict[str, tuple[Actor, str]]],
) -> None:
    """The order, shown directly: the 403 is answered before the server reads a byte of the body;
    an allowed caller's body is read (and refused as malformed)."""
    client, store, who = site
    for role, expected in (("studio", 403), ("union", 422)):
        body = Body(b'{"id": ')
        answer = client.post("/studios", content=body, headers={"X-API-Key": who[f"api-{role}"][1],
                                                                "content-type": "application/json"})  # fmt: skip
        assert answer.status_code == expected and body.asked is (expected == 422), (role, answer.text)
    upload = Body(b"--x\r\n" + b"x" * HUGE)
    signed_in(client, store, who["console-studio"][1])
    answer = client.post("/console/ingest", content=upload, follow_redirects=False,
                         headers={**ORIGIN, "content-type": "multipart/form-data; boundary=x"})  # fmt: skip
    assert answer.status_code == 403 and not upload.asked and "工作室密钥不能导入名单" in answer.text
