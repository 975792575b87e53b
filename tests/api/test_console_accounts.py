"""The console with accounts: signing in with a password, the one-time password and its forced
change, the administrator's 账户管理 page, lock-out, and sessions that survive a restart and are
shared by two apps on one store (as two workers are)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from graph.keys import create_key
from graph.model import AuditEntry, Role, Studio, User
from graph.store import BaseStore
from services import accounts
from services.policy import Actor
from tests.graph.sample import records

BASE = "https://testserver"
ORIGIN = {"origin": BASE}
ADMIN_PASSWORD = "市总管理员的长密码 2026"


def _client(target: str) -> TestClient:
    return TestClient(create_app(target, cache_seconds=0), base_url=BASE, raise_server_exceptions=False)


@pytest.fixture
def site(setting: tuple[str, BaseStore]) -> Iterator[tuple[TestClient, BaseStore, str]]:
    target, store = setting
    store.write([r for r in records() if not isinstance(r, User)])
    accounts.create_user(store, Actor.operator("setup"), "admin", Role.MUNICIPAL, name="市总管理员",
                         password=ADMIN_PASSWORD)  # fmt: skip
    with _client(target) as client:
        yield client, store, target


def _csrf(text: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', text)
    assert found, text[:500]
    return found[1]


def sign_in(client: TestClient, login: str, password: str, next_path: str = "/console/") -> object:
    client.cookies.clear()
    form = client.get("/console/signin")
    assert 'name="login"' in form.text and 'name="password"' in form.text
    data = {"csrf": _csrf(form.text), "login": login, "password": password, "next": next_path}
    return client.post("/console/signin", data=data, headers=ORIGIN, follow_redirects=False)


def test_the_administrator_opens_an_account_and_the_officer_must_change_the_one_time_password(site: tuple) -> None:
    client, store, _ = site
    done = sign_in(client, "admin", ADMIN_PASSWORD)
    assert done.status_code == 303 and done.headers["location"] == "/console/"  # type: ignore[attr-defined]
    page = client.get("/console/accounts")
    assert page.status_code == 200 and "账户管理" in page.text and "API 密钥" in page.text
    made = client.post(
        "/console/accounts/users",
        headers=ORIGIN,
        data={"csrf": _csrf(page.text), "login": "pd.officer", "name": "浦东信息员", "role": "union", "union": "u-pd"},
    )
    one_time = re.search(r'data-testid="one-time">([^<]+)<', made.text)
    assert made.status_code == 200 and one_time, made.text[:800]
    assert one_time[1] not in client.get("/console/accounts").text  # shown once
    assert one_time[1] not in store.get(User, "pd.officer").password_hash

    first = sign_in(client, "pd.officer", one_time[1])
    assert first.headers["location"].startswith("/console/password")  # type: ignore[attr-defined]
    assert client.get("/console/studios", follow_redirects=False).headers["location"].startswith("/console/password")
    form = client.get("/console/password")
    assert "一次性密码" in form.text
    new = "浦东信息员自己的新密码"
    changed = client.post(
        "/console/password",
        headers=ORIGIN,
        follow_redirects=False,
        data={"csrf": _csrf(form.text), "old": one_time[1], "new": new, "again": new, "next": "/console/studios"},
    )
    assert changed.status_code == 303, changed.text[:500]
    listing = client.get(changed.headers["location"])
    assert listing.status_code == 200
    own = {s.name for s in store.list(Studio) if s.union_id == "u-pd"}
    other = {s.name for s in store.list(Studio) if s.union_id != "u-pd"}
    assert own and all(name in listing.text for name in own)
    assert not any(name in listing.text for name in other)
    assert client.get("/console/accounts").status_code == 403

    admin = _client(site[2])
    with admin:
        sign_in(admin, "admin", ADMIN_PASSWORD)
        page = admin.get("/console/accounts")
        off = admin.post("/console/accounts/users/pd.officer/disable", headers=ORIGIN, data={"csrf": _csrf(page.text)},
                         follow_redirects=False)  # fmt: skip
        assert off.status_code == 303
    ended = client.get("/console/studios", follow_redirects=False)
    assert ended.status_code == 303 and ended.headers["location"].startswith("/console/signin")
    trail = [e.action for e in sorted(store.list(AuditEntry), key=lambda e: e.at) if e.subject_key == "pd.officer"]
    assert trail == ["user.create", "signin", "user.password", "user.disable"]


def test_wrong_passwords_lock_the_login_with_a_message_in_chinese(site: tuple) -> None:
    client = site[0]
    for _ in range(accounts.LOGIN_LIMIT):
        assert sign_in(client, "admin", "wrong password").status_code == 401  # type: ignore[attr-defined]
    locked = sign_in(client, "admin", ADMIN_PASSWORD)
    assert locked.status_code == 429 and "锁定" in locked.text  # type: ignore[attr-defined]
    assert "alliances_session" not in locked.headers.get("set-cookie", "")  # type: ignore[attr-defined]


def test_a_session_survives_a_restart_and_is_shared_by_two_apps_on_one_store(site: tuple) -> None:
    client, _, target = site
    sign_in(client, "admin", ADMIN_PASSWORD)
    cookie = client.cookies.get("alliances_session")
    assert cookie and ADMIN_PASSWORD not in cookie
    with _client(target) as other:  # a restarted server, or another worker
        other.cookies.set("alliances_session", cookie)
        assert other.get("/console/studios").status_code == 200
        page = other.get("/console/")
        out = other.post("/console/signout", headers=ORIGIN, data={"csrf": _csrf(page.text)}, follow_redirects=False)
        assert out.status_code == 303
    again = client.get("/console/studios", follow_redirects=False)  # signed out in the other: ended here too
    assert again.status_code == 303 and again.headers["location"].startswith("/console/signin")


def test_a_write_through_one_app_is_seen_by_the_other_apps_suggestions(site: tuple) -> None:
    client, store, target = site
    token = create_key(store, "市总·脚本", Role.MUNICIPAL)[1]
    headers = {"X-API-Key": token}
    with _client(target) as other:
        before = client.get("/studios/s1/suggestions?include_allied=true", headers=headers).json()
        assert before, "the sample's studio s1 has partners"
        partner = before[0]["partner_id"]
        assert any(
            s["partner_id"] == partner
            for s in other.get("/studios/s1/suggestions?include_allied=true", headers=headers).json()
        )
        gone = client.post(f"/studios/{partner}/delist", headers=headers, json={"reason": "领衔人调离"})
        assert gone.status_code == 200, gone.text
        after = other.get("/studios/s1/suggestions?include_allied=true", headers=headers).json()
        assert partner not in {s["partner_id"] for s in after}
