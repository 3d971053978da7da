"""Passwords, bearer tokens and keyed hashes. Nothing here logs or returns a secret."""
from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta, timezone
from functools import lru_cache

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()
JWT_ALGORITHM = "HS256"


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


@lru_cache
def dummy_password_hash() -> str:
    """A real hash to verify against when the username is unknown, so both paths take as long."""
    return _hasher.hash(secrets.token_urlsafe(16))


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def token_matches(token: str, digest: str | None) -> bool:
    return digest is not None and hmac.compare_digest(token_digest(token), digest)


def keyed_hash(secret_key: str, value: str) -> str:
    """A stable pseudonym for a phone number or other identifier (lookups, logs, metrics)."""
    return hmac.new(secret_key.encode(), value.encode(), hashlib.sha256).hexdigest()


def create_access_token(*, secret_key: str, subject: str, role: str, minutes: int) -> str:
    now = datetime.now(timezone.utc)
    claims = {"sub": subject, "role": role, "iat": now, "exp": now + timedelta(minutes=minutes)}
    return jwt.encode(claims, secret_key, algorithm=JWT_ALGORITHM)


def decode_access_token(*, secret_key: str, token: str) -> dict | None:
    try:
        return jwt.decode(token, secret_key, algorithms=[JWT_ALGORITHM], options={"require": ["exp", "sub"]})
    except jwt.PyJWTError:
        return None
