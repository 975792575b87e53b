"""Console accounts on both stores: who may manage them, the one-time password, the lock-out rules,
the audit trail, and sessions that end when the account changes."""

from __future__ import annotations

import datetime as dt

import pytest

from graph.errors import Conflict, Forbidden, SignInLocked, Unauthorized, ValidationError
from graph.model import AuditEntry, Role, SignInGuard, User
from graph.passwords import MEMORY_KIB, PARALLELISM, TIME_COST
from graph.store import BaseStore
from services import accounts
from services.policy import Actor
from services.sessions import SessionSettings, open_session, read_session, signed_in
from tests.graph.sample import records

ADMIN = Actor.operator("市总工会·管理员")
UNION = Actor("浦东新区总工会·张三", Role.UNION, union_id="u-pd")
GOOD = "浦东信息员的长密码 2026"


@pytest.fixture
def seeded(store: BaseStore) -> BaseStore:
    store.write([r for r in records() if not isinstance(r, User | SignInGuard)])
    return store


def _actions(store: BaseStore, login: str) -> list[str]:
    entries = sorted((e for e in store.list(AuditEntry) if e.subject_key == login), key=lambda e: (e.at, e.id))
    return [e.action for e in entries]


def test_only_the_municipal_union_manages_accounts(seeded: BaseStore) -> None:
    with pytest.raises(Forbidden):
        accounts.create_user(seeded, UNION, "pd.li", Role.UNION, union_id="u-pd")
    with pytest.raises(Forbidden):
        accounts.list_users(seeded, UNION)
    assert seeded.list(User) == []


def test_a_new_account_gets_a_one_time_password_kept_only_as_an_argon2id_hash(seeded: BaseStore) -> None:
    user, one_time = accounts.create_user(seeded, ADMIN, "PD.Xinxi", Role.UNION, union_id="u-pd", name="信息员")
    assert user.id == "pd.xinxi" and user.must_change and one_time
    stored = seeded.get(User, "pd.xinxi")
    assert one_time not in stored.password_hash
    assert stored.password_hash.startswith(f"$argon2id$v=19$m={MEMORY_KIB},t={TIME_COST},p={PARALLELISM}$")
    assert accounts.sign_in(seeded, "pd.xinxi", one_time, "10.0.0.1").must_change
    changed = accounts.change_password(seeded, "pd.xinxi", one_time, GOOD)
    assert not changed.must_change
    with pytest.raises(Unauthorized):
        accounts.sign_in(seeded, "pd.xinxi", one_time, "10.0.0.1")
    assert accounts.sign_in(seeded, "pd.xinxi", GOOD, "10.0.0.1").id == "pd.xinxi"
    assert _actions(seeded, "pd.xinxi") == ["user.create", "signin", "user.password", "signin.fail", "signin"]


def test_scope_and_passwords_are_checked(seeded: BaseStore) -> None:
    with pytest.raises(ValidationError):
        accounts.create_user(seeded, ADMIN, "pd.a", Role.UNION)  # a union account names its union
    with pytest.raises(ValidationError):
        accounts.create_user(seeded, ADMIN, "pd.b", Role.MUNICIPAL, password="short")
    with pytest.raises(ValidationError):
        accounts.create_user(seeded, ADMIN, "含中文", Role.MUNICIPAL)
    accounts.create_user(seeded, ADMIN, "pd.c", Role.MUNICIPAL, password=GOOD)
    with pytest.raises(Conflict):
        accounts.create_user(seeded, ADMIN, "PD.C", Role.MUNICIPAL, password=GOOD)


def test_five_wrong_passwords_lock_the_login_and_a_reset_lifts_it(seeded: BaseStore) -> None:
    accounts.create_user(seeded, ADMIN, "pd.d", Role.UNION, union_id="u-pd", password=GOOD)
    for _ in range(accounts.LOGIN_LIMIT):
        with pytest.raises(Unauthorized):
            accounts.sign_in(seeded, "pd.d", "not the password", "10.0.0.2")
    with pytest.raises(SignInLocked) as locked:
        accounts.sign_in(seeded, "pd.d", GOOD, "10.0.0.3")  # the right password, from elsewhere: still locked
    assert "锁定" in str(locked.value)
    until = dt.datetime.fromisoformat(locked.value.until.replace("Z", "+00:00"))
    assert dt.timedelta(minutes=14) < until - dt.datetime.now(dt.UTC) <= accounts.LOCK
    trail = _actions(seeded, "pd.d")
    assert trail.count("signin.fail") == accounts.LOGIN_LIMIT and trail[-1] == "signin.lock"
    _, one_time = accounts.reset_user(seeded, ADMIN, "pd.d")
    assert accounts.sign_in(seeded, "pd.d", one_time, "10.0.0.3").must_change


def test_twenty_wrong_passwords_from_one_address_lock_that_address(seeded: BaseStore) -> None:
    accounts.create_user(seeded, ADMIN, "pd.e", Role.UNION, union_id="u-pd", password=GOOD)
    for n in range(accounts.ADDRESS_LIMIT):
        with pytest.raises(Unauthorized):
            accounts.sign_in(seeded, f"nobody{n}", "guess", "10.9.9.9")
    with pytest.raises(SignInLocked):
        accounts.sign_in(seeded, "pd.e", GOOD, "10.9.9.9")
    assert accounts.sign_in(seeded, "pd.e", GOOD, "10.9.9.8").id == "pd.e"  # another address is not locked
    locks = [e for e in seeded.list(AuditEntry) if e.action == "signin.lock"]
    assert len(locks) == 1 and "10.9.9.9" in locks[0].note


def test_sessions_end_when_the_account_signs_out_changes_its_password_or_is_disabled(seeded: BaseStore) -> None:
    settings = SessionSettings()
    accounts.create_user(seeded, ADMIN, "pd.f", Role.UNION, union_id="u-pd", password=GOOD)

    def live(cookie: str) -> bool:
        session = read_session(seeded, cookie, settings)
        return session is not None and signed_in(seeded, session) is not None

    first = open_session(seeded, "user", "pd.f").cookie
    who = signed_in(seeded, read_session(seeded, first, settings))  # type: ignore[arg-type]
    assert live(first) and who is not None and who.actor.union_id == "u-pd"
    accounts.sign_out(seeded, seeded.get(User, "pd.f"))
    assert not live(first)
    second = open_session(seeded, "user", "pd.f").cookie
    accounts.change_password(seeded, "pd.f", GOOD, GOOD + "!")
    assert not live(second)
    third = open_session(seeded, "user", "pd.f").cookie
    assert live(third)
    accounts.disable_user(seeded, ADMIN, "pd.f")
    assert not live(third)
    with pytest.raises(Unauthorized):
        accounts.sign_in(seeded, "pd.f", GOOD + "!", "10.0.0.4")
    assert not live(third[:-2] + ("A" if third[-1] != "A" else "B") + third[-1])  # a forged signature


def test_a_session_times_out_when_idle_or_too_old(seeded: BaseStore) -> None:
    accounts.create_user(seeded, ADMIN, "pd.g", Role.UNION, union_id="u-pd", password=GOOD)
    cookie = open_session(seeded, "user", "pd.g").cookie
    assert read_session(seeded, cookie, SessionSettings(idle_seconds=3600, max_seconds=7200)) is not None
    assert read_session(seeded, cookie, SessionSettings(idle_seconds=-1, max_seconds=7200)) is None
    assert read_session(seeded, cookie, SessionSettings(idle_seconds=3600, max_seconds=-1)) is None
