"""`make user`: create or update a staff user; the password is read from standard input only."""
from __future__ import annotations

import argparse
import sys

from integrations.core.db import make_session_factory
from integrations.core.migrate import upgrade
from integrations.core.settings import get_settings
from integrations.staff.users import InvalidUser, upsert_user


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--name", required=True)
    parser.add_argument("--role", required=True)
    args = parser.parse_args(argv)
    if sys.stdin.isatty():
        print("Type the password, then press Enter (it is read from standard input):", file=sys.stderr)
    password = sys.stdin.readline().rstrip("\r\n")
    settings = get_settings()
    upgrade(settings.database_url)
    with make_session_factory(settings.database_url)() as session:
        try:
            user, created = upsert_user(session, username=args.name, role=args.role, password=password)
        except InvalidUser as exc:
            print(f"make user: {exc}", file=sys.stderr)
            return 2
        session.commit()
    print(f"{'Created' if created else 'Updated'} {user.username} ({user.role}).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
