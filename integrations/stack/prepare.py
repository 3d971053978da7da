"""Bring a database up to date: migrations, then any seed content it does not have yet."""
from __future__ import annotations

from integrations.content.store import seed_content
from integrations.core.db import make_session_factory
from integrations.core.migrate import upgrade
from integrations.core.settings import REPO_ROOT


def prepare_database(database_url: str) -> int:
    """Returns how many content items were added (existing ones are never overwritten)."""
    upgrade(database_url)
    with make_session_factory(database_url)() as session:
        added = seed_content(session, REPO_ROOT / "data" / "content")
        session.commit()
    return added
