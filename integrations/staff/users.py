"""Creating and updating staff accounts."""
from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from integrations.core.security import hash_password
from integrations.staff.models import ROLES, StaffUser

USERNAME = re.compile(r"^[A-Za-z0-9._@-]{2,80}$")
MIN_PASSWORD_LENGTH = 12


class InvalidUser(ValueError):
    pass


def upsert_user(session: Session, *, username: str, role: str, password: str) -> tuple[StaffUser, bool]:
    """Create the user, or update role and password if they exist. Returns (user, created)."""
    if not USERNAME.match(username):
        raise InvalidUser("NAME must be 2-80 letters, digits or . _ @ -")
    if role not in ROLES:
        raise InvalidUser(f"ROLE must be one of: {', '.join(ROLES)}")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidUser(f"the password must be at least {MIN_PASSWORD_LENGTH} characters")
    user = session.scalars(select(StaffUser).where(StaffUser.username == username)).one_or_none()
    created = user is None
    if created:
        user = StaffUser(username=username, role=role, password_hash=hash_password(password))
        session.add(user)
    else:
        user.role = role
        user.password_hash = hash_password(password)
        user.is_active = True
        user.failed_logins = 0
        user.locked_until = None
    session.flush()
    return user, created
