"""Passwords: kept only as argon2id hashes (argon2-cffi), never in clear, never logged.

Parameters: argon2id, time cost 3, memory 64 MiB, parallelism 4, 16-byte random salt, 32-byte hash:
RFC 9106's second recommended option ("low memory"), which is argon2-cffi's default profile. They are
written here, not inherited, so that a library upgrade cannot change them unseen; a hash made with
other parameters still verifies and is re-hashed at the next sign-in (:func:`needs_rehash`).

One-time passwords (an account set up or reset by the administrator) are 12 characters from an
alphabet without look-alikes (no 0/O, 1/l/I), about 69 bits.
"""

from __future__ import annotations

import secrets

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError

from .errors import Problem, ValidationError

TIME_COST = 3
MEMORY_KIB = 64 * 1024
PARALLELISM = 4
HASH_BYTES = 32
SALT_BYTES = 16
MIN_LENGTH = 10
MAX_LENGTH = 200
_ONE_TIME_ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"

_HASHER = PasswordHasher(
    time_cost=TIME_COST,
    memory_cost=MEMORY_KIB,
    parallelism=PARALLELISM,
    hash_len=HASH_BYTES,
    salt_len=SALT_BYTES,
    type=Type.ID,
)


def hash_password(password: str) -> str:
    """The argon2id hash of ``password`` (with its parameters and salt, in the PHC string format)."""
    return _HASHER.hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    """Whether ``password`` matches ``stored_hash`` (constant time inside argon2)."""
    try:
        return _HASHER.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    try:
        return _HASHER.check_needs_rehash(stored_hash)
    except InvalidHashError:
        return True


def one_time_password() -> str:
    return "".join(secrets.choice(_ONE_TIME_ALPHABET) for _ in range(12))


def check_new_password(password: str, login: str) -> None:
    """Refuse a password a person should not choose: too short or long, or the login itself."""
    problem: Problem | None = None
    if len(password) < MIN_LENGTH:
        problem = Problem(f"a password needs at least {MIN_LENGTH} characters",
                          f"密码至少需要 {MIN_LENGTH} 个字符", column="password")  # fmt: skip
    elif len(password) > MAX_LENGTH:
        problem = Problem(f"a password may have at most {MAX_LENGTH} characters",
                          f"密码最多 {MAX_LENGTH} 个字符", column="password")  # fmt: skip
    elif password.strip().lower() == login.lower() or len(set(password)) < 4:
        problem = Problem("the password is too easy to guess (the login name, or too few different characters)",
                          "密码过于简单（与登录名相同，或不同字符太少）", column="password")  # fmt: skip
    if problem is not None:
        raise ValidationError(problem)
