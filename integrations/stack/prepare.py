"""Bring a database up to date: migrations, then any seed content it does not have yet."""
from __future__ import annotations

from integrations.content.store import seed_content
from integrations.core.db import make_session_factory
from integrations.core.migrate import upgrade
from integrations.core.settings import REPO_ROOT


def prepare_database(database_url: str) -> int:
    """Returns how many content items were added (existing ones are never overwritten)."""
    upgrade(database_url)
    sessions = make_session_factory(database_url)
    try:
        with sessions() as session:
            added = seed_content(session, REPO_ROOT / "data" / "content")
            session.commit()
    finally:
        sessions.kw["bind"].dispose()  # no pooled connection left behind (PostgreSQL)
    return added
