"""`make run`: install-free part of the run path: secrets, model, migrations, content, processes."""
from __future__ import annotations

import argparse
import signal
import sys

from integrations.core.settings import REPO_ROOT
from integrations.stack.backends import ScaledBackends
from integrations.stack.model import ensure_model
from integrations.stack.prepare import prepare_database
from integrations.stack.runner import Stack, StackConfig
from integrations.stack.secrets_file import ensure_secrets

VAR_DIR = REPO_ROOT / "var"


def run(*, scaled: bool) -> int:
    backends = None
    if scaled:
        # Databases frontdoor_service, frontdoor_case_api and frontdoor_tracker, kept between runs.
        backends = ScaledBackends(name="frontdoor")
        if (why := backends.unreachable()) is not None:
            print(f"make run-scaled: {why}; see the README's Scale-out section.", file=sys.stderr)
            return 2
    secrets = ensure_secrets(VAR_DIR / "secrets.env")
    model = ensure_model()
    config = StackConfig(model=model, var_dir=VAR_DIR, secrets=secrets, backends=backends)
    added = config.prepare()
    if scaled:
        print(f"Scale-out profile: PostgreSQL {backends.pg_host}:{backends.pg_port} (databases frontdoor_*), "
              f"Redis {backends.redis_host}:{backends.redis_port}; {config.workers} service workers, "
              f"{config.workers} Rasa servers ({', '.join(config.rasa_urls)}) and {config.workers} action-server workers.")
    print(f"Database migrated; {added} new content item(s) seeded (existing items are never overwritten).")
    stack = Stack(config)
    # Ctrl-C must stop everything even when a parent shell started us with SIGINT ignored.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    signal.signal(signal.SIGHUP, lambda *_: sys.exit(0))
    try:
        stack.start()
        print("Starting the reference case API, the fake Twilio API, the action server, Rasa and the front-door service (Rasa takes ~30 s to load)...")
        stack.wait_healthy()
        print(
            "\nThe Family Hubs front door is running:\n"
            f"  Web chat            {config.service_url}/\n"
            f"  Practitioner console {config.service_url}/console (staff from `make user`)\n"
            f"  Content editor      {config.service_url}/content (comms and admin users)\n"
            f"  Staff API           {config.service_url}/api/conversations (sign in at /api/auth/token)\n"
            f"  Health              {config.service_url}/healthz\n"
            # OpenAPI JSON, not /docs: the Swagger page loads its scripts from a CDN, which is not reachable offline.
            f"  OpenAPI             {config.service_url}/openapi.json\n"
            f"  Case API            {config.case_api_url}/openapi.json (the reference one; CASE_API_TOKEN in var/secrets.env)\n"
            f"  Fake Twilio API     {config.twilio_fake_url}/openapi.json (texts the service sent; SMS webhooks at /webhooks/twilio/sms)\n"
            f"  Logs                {VAR_DIR / 'logs'}\n"
            "Press Ctrl-C to stop everything.",
            flush=True,
        )
        while True:
            signal.pause()
    except KeyboardInterrupt:
        print("\nStopping...")
    except (RuntimeError, TimeoutError) as exc:
        print(f"make run: {exc}", file=sys.stderr)
        return 1
    finally:
        stack.stop()
        print("Stopped.")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m integrations.stack")
    parser.add_argument("command", choices=["run", "train", "prepare"])
    parser.add_argument("--scaled", action="store_true", help="the scale-out profile (PostgreSQL, Redis, several workers)")
    args = parser.parse_args()
    if args.command == "train":
        ensure_model()
        return 0
    if args.command == "prepare":
        from integrations.core.settings import get_settings

        print(f"{prepare_database(get_settings().database_url)} content item(s) seeded.")
        return 0
    return run(scaled=args.scaled)


if __name__ == "__main__":
    sys.exit(main())
