"""`python -m integrations.twilio_fake`: serves the fake Twilio API on TWILIO_FAKE_HOST:TWILIO_FAKE_PORT."""
from __future__ import annotations

import uvicorn

from integrations.twilio_fake.server import create_twilio_fake
from integrations.twilio_fake.settings import TwilioFakeSettings


def main() -> None:
    settings = TwilioFakeSettings()
    # No access log: query strings (?To=) carry phone numbers.
    uvicorn.run(create_twilio_fake(settings), host=settings.twilio_fake_host, port=settings.twilio_fake_port, access_log=False)


if __name__ == "__main__":
    main()
