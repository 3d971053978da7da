"""Random development secrets, made once per checkout in var/secrets.env (never committed)."""
from __future__ import annotations

import os
import secrets
from pathlib import Path

NAMES = ("SECRET_KEY", "INTERNAL_API_TOKEN", "RASA_TOKEN", "CASE_API_TOKEN", "TWILIO_AUTH_TOKEN")


def ensure_secrets(path: Path) -> dict[str, str]:
    values: dict[str, str] = {}
    if path.exists():
        for line in path.read_text().splitlines():
            name, sep, value = line.partition("=")
            if sep and name in NAMES:
                values[name] = value
    missing = [name for name in NAMES if not values.get(name)]
    if missing:
        values.update({name: secrets.token_urlsafe(32) for name in missing})
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("".join(f"{k}={v}\n" for k, v in values.items()))
        os.chmod(path, 0o600)
    # The environment wins, so production and the scale-out profile can set their own.
    return {name: os.environ.get(name) or values[name] for name in NAMES}
