"""Console accounts (账户): a login name and a password for each officer, set up by the municipal
union's administrator, with the roles and scopes of API keys (:mod:`services.policy`).

- Passwords are kept only as argon2id hashes (:mod:`graph.passwords`).
- An account made or reset by the administrator gets a one-time password, shown once, that must be
  changed at the next sign-in.
- **Lock-out**: 5 wrong passwords for one login within 15 minutes lock that login for 15 minutes;
  20 wrong passwords from one address within 15 minutes lock sign-in from that address for 15
  minutes. The counts live in the store (the account, and a :class:`graph.model.SignInGuard` per
  address), so every worker and a restarted server count alike. While locked, nothing is written.
- Every sign-in, failure, lock, sign-out, password change and account change is an audit entry,
  written in the same write as the change.
- Signing out, a password change, a reset and disabling set the account's ``sessions_after``: every
  console session that began before it ends at once (:mod:`services.sessions` checks it).
"""

from __future__ import annotations

import datetime as dt
import hashlib

from graph import keys
from graph.errors import Conflict, NotFound, SignInLocked, Unauthorized, ValidationError
from graph.model import ApiKey, AuditEntry, Node, Role, SignInGuard, Studio, Union, User, moment_of, now, stamp
from graph.passwords import check_new_password, hash_password, needs_rehash, one_time_password, verify_password
from graph.store import BaseStore

from .policy import ACCOUNTS, Actor

WINDOW = dt.timedelta(minutes=15)
LOCK = dt.timedelta(minutes=15)
LOGIN_LIMIT = 5
ADDRESS_LIMIT = 20
_DUMMY_HASH = hash_password("an unknown login still costs one hash")
"""Checked against when the login is unknown, so that the answer takes as long as for a real one."""


def _audit(actor: str, action: str, login: str, note: str = "", at: str | None = None) -> AuditEntry:
    return AuditEntry.of(actor, action, "User", login, note, at=at)


def get_user(store: BaseStore, login: str) -> User:
    login = login.strip().lower()
    found = store.get_many(User, [login]).get(login)
    if found is None:
        raise NotFound("User", login)
    return found


# -- the administrator's jobs --------------------------------------------------------------------------
def create_user(
    store: BaseStore,
    actor: Actor,
    login: str,
    role: Role | str,
    *,
    name: str = "",
    union_id: str | None = None,
    studio_id: str | None = None,
    password: str | None = None,
) -> tuple[User, str | None]:
    """A new account; without ``password``, a one-time password is made, returned (shown once) and
    must be changed at the first sign-in."""
    ACCOUNTS.check(actor)
    login = login.strip().lower()
    role = Role(role)
    if store.get_many(User, [login]).get(login) is not None:
        raise Conflict(f"an account named {login} exists already / 登录名 {login} 已被使用")
    if union_id is not None:
        store.get(Union, union_id)
    if studio_id is not None:
        store.get(Studio, studio_id)
    one_time = None
    if password is None:
        password = one_time = one_time_password()
    else:
        check_new_password(password, login)
    at = now()
    try:
        user = User(id=login, name=name.strip() or login, role=role, union_id=union_id, studio_id=studio_id,
                    password_hash=hash_password(password), must_change=one_time is not None, created_at=at,
                    created_by=actor.name)  # fmt: skip
    except ValueError as exc:  # pydantic: a login of the wrong form, a scope that does not fit the role
        raise ValidationError(f"the account is not valid: {exc} / 账户信息不合规") from None
    scope = union_id or studio_id or ""
    store.write([user, _audit(actor.name, "user.create", login, f"{role.value} {scope}".strip(), at)])
    return user, one_time


def list_users(store: BaseStore, actor: Actor) -> list[User]:
    ACCOUNTS.check(actor)
    return sorted(store.list(User), key=lambda u: u.id)


def disable_user(store: BaseStore, actor: Actor, login: str) -> User:
    """Disable an account: it cannot sign in, and its sessions end at once."""
    ACCOUNTS.check(actor)
    user = get_user(store, login)
    if user.disabled_at is not None:
        raise Conflict(f"account {user.id} is disabled already / 账户 {user.id} 已停用")
    at = now()
    disabled = user.model_copy(update={"disabled_at": at, "sessions_after": at})
    store.write([disabled, _audit(actor.name, "user.disable", user.id, at=at)])
    return disabled


def enable_user(store: BaseStore, actor: Actor, login: str) -> User:
    ACCOUNTS.check(actor)
    user = get_user(store, login)
    if user.disabled_at is None:
        raise Conflict(f"account {user.id} is not disabled / 账户 {user.id} 未停用")
    at = now()
    enabled = user.model_copy(update={"disabled_at": None, "failures": (), "locked_until": None})
    store.write([enabled, _audit(actor.name, "user.enable", user.id, at=at)])
    return enabled


def reset_user(store: BaseStore, actor: Actor, login: str) -> tuple[User, str]:
    """A new one-time password (returned, shown once), to be changed at the next sign-in; the
    account's sessions end and its lock-out is lifted."""
    ACCOUNTS.check(actor)
    user = get_user(store, login)
    password = one_time_password()
    at = now()
    reset = user.model_copy(update={"password_hash": hash_password(password), "must_change": True,
                                    "sessions_after": at, "failures": (), "locked_until": None})  # fmt: skip
    store.write([reset, _audit(actor.name, "user.reset", user.id, at=at)])
    return reset, password


# -- the officer's own jobs ----------------------------------------------------------------------------
def change_password(store: BaseStore, login: str, old: str, new: str) -> User:
    """Change one's own password (the old one proves it is the owner); every session of the account
    ends, the caller signs the current browser in again."""
    user = get_user(store, login)
    if user.disabled_at is not None or not verify_password(user.password_hash, old):
        raise Unauthorized("the current password is wrong / 当前密码不正确")
    if new == old:
        raise ValidationError("choose a new password, not the current one / 新密码不能与当前密码相同")
    check_new_password(new, user.id)
    at = now()
    changed = user.model_copy(update={"password_hash": hash_password(new), "must_change": False, "sessions_after": at})
    store.write([changed, _audit(_self(user), "user.password", user.id, at=at)])
    return changed


def _self(user: User) -> str:
    return f"{user.name} ({user.id})"


def actor_of(user: User) -> Actor:
    return Actor(_self(user), user.role, user.union_id, user.studio_id)


def _guard_id(address: str) -> str:
    return "a-" + hashlib.sha256(address.encode()).hexdigest()[:32]


def _recent(failures: tuple[str, ...], moment: dt.datetime) -> tuple[str, ...]:
    return tuple(f for f in failures if moment - moment_of(f) < WINDOW)


def _locked(until: str | None, moment: dt.datetime) -> bool:
    return until is not None and moment_of(until) > moment


def _lock_message(until: str) -> str:
    local = moment_of(until).astimezone(dt.timezone(dt.timedelta(hours=8))).strftime("%H:%M")
    return (f"too many wrong passwords; sign-in is locked until {until} / "
            f"密码错误次数过多，登录已暂时锁定，请于 {local}（北京时间）后再试，或联系市总工会管理员重置")  # fmt: skip


def sign_in(store: BaseStore, login: str, password: str, address: str) -> User:
    """The account ``login`` names, when ``password`` is its password and neither it nor ``address``
    is locked out; :class:`Unauthorized` (a wrong login or password, or a disabled account, alike)
    or :class:`SignInLocked` otherwise. Each attempt is audited, except those refused while locked."""
    login = login.strip().lower()[:64]
    moment = dt.datetime.now(dt.UTC)
    at = stamp(moment)
    guard = store.get_many(SignInGuard, [_guard_id(address)]).get(_guard_id(address))
    if guard is not None and _locked(guard.locked_until, moment):
        raise SignInLocked(_lock_message(guard.locked_until or at), guard.locked_until or at)
    user = store.get_many(User, [login]).get(login) if login else None
    if user is not None and _locked(user.locked_until, moment):
        raise SignInLocked(_lock_message(user.locked_until or at), user.locked_until or at)
    good = verify_password(user.password_hash if user is not None else _DUMMY_HASH, password)
    if user is not None and good and user.disabled_at is None:
        update: dict[str, object] = {"failures": (), "locked_until": None}
        if needs_rehash(user.password_hash):
            update["password_hash"] = hash_password(password)
        signed = user.model_copy(update=update)
        store.write([signed, _audit(_self(user), "signin", user.id, f"from {address}", at)])
        return signed
    _record_failure(store, login, user, guard, address, moment)
    raise Unauthorized("wrong login name or password / 登录名或密码不正确")


def _record_failure(
    store: BaseStore, login: str, user: User | None, guard: SignInGuard | None, address: str, moment: dt.datetime
) -> None:
    at = stamp(moment)
    locked_at = stamp(moment + LOCK)
    records: list[Node] = []
    note = f"from {address}" + ("" if user is not None else " (no such login)")
    records.append(AuditEntry.of(f"signin:{login or '-'}", "signin.fail", "User", login or "-", note, at=at))
    if user is not None:
        failures = (*_recent(user.failures, moment), at)[-LOGIN_LIMIT:]
        lock = locked_at if len(failures) >= LOGIN_LIMIT else None
        records.append(user.model_copy(update={"failures": () if lock else failures, "locked_until": lock}))
        if lock:
            records.append(AuditEntry.of("system", "signin.lock", "User", user.id, f"until {lock}", at=stamp(
                moment + dt.timedelta(microseconds=1))))  # fmt: skip
    seen = (*_recent(guard.failures if guard else (), moment), at)[-ADDRESS_LIMIT:]
    lock_address = locked_at if len(seen) >= ADDRESS_LIMIT else None
    records.append(SignInGuard(id=_guard_id(address), failures=() if lock_address else seen, locked_until=lock_address))
    if lock_address:
        records.append(AuditEntry.of("system", "signin.lock", "SignInGuard", _guard_id(address),
                                     f"address {address} until {lock_address}", at=stamp(
                                         moment + dt.timedelta(microseconds=2))))  # fmt: skip
    store.write(records)


def sign_in_with_key(store: BaseStore, token: str, address: str) -> ApiKey:
    """The live API key of ``token`` (for the console's key sign-in); a wrong token counts against
    the address like a wrong password. Audited like a password sign-in."""
    moment = dt.datetime.now(dt.UTC)
    guard = store.get_many(SignInGuard, [_guard_id(address)]).get(_guard_id(address))
    if guard is not None and _locked(guard.locked_until, moment):
        raise SignInLocked(_lock_message(guard.locked_until or ""), guard.locked_until or "")
    key = keys.verify(store, token) if len(token) < 500 else None
    if key is None:
        _record_failure(store, "", None, guard, address, moment)
        raise Unauthorized("the key is not valid or was revoked / 密钥无效或已吊销")
    store.write(
        [AuditEntry.of(f"{key.name} ({key.id})", "signin", "ApiKey", key.id, f"from {address}", at=stamp(moment))]
    )
    return key


def sign_out(store: BaseStore, user: User) -> User:
    """End every console session of the account."""
    at = now()
    out = user.model_copy(update={"sessions_after": at})
    store.write([out, _audit(_self(user), "signout", user.id, at=at)])
    return out
