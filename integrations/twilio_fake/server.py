"""The fake Twilio API: `POST /2010-04-01/Accounts/{sid}/Messages.json` (basic auth: account sid and auth
token) records the text and answers like Twilio (201, a message resource with status "queued"); `GET` on the
same path lists what was recorded (optionally `?To=`). `POST /fake/fail-next` makes the next N sends fail with a
given HTTP status (retry tests); `DELETE /fake/messages` forgets everything."""
from __future__ import annotations

import base64
import binascii
import hmac
import logging
import secrets
import threading
from email.utils import format_datetime
from typing import Annotated

import httpx
from fastapi import BackgroundTasks, FastAPI, Header, Query, Request
from fastapi.responses import JSONResponse
from twilio.request_validator import RequestValidator

from integrations.core.db import utcnow
from integrations.twilio_fake.settings import TwilioFakeSettings

logger = logging.getLogger(__name__)
MESSAGES_PATH = "/2010-04-01/Accounts/{account_sid}/Messages.json"


def _error(status: int, code: int, message: str) -> JSONResponse:
    return JSONResponse({"code": code, "message": message, "more_info": f"https://www.twilio.com/docs/errors/{code}",
                         "status": status}, status_code=status)


def create_twilio_fake(settings: TwilioFakeSettings) -> FastAPI:
    app = FastAPI(title="Fake Twilio API")
    lock = threading.Lock()
    recorded: list[dict] = []
    failures: list[int] = []  # HTTP statuses for the next sends to fail with
    validator = RequestValidator(settings.twilio_auth_token)

    def authorised(account_sid: str, authorization: str | None) -> bool:
        scheme, _, encoded = (authorization or "").partition(" ")
        try:
            user, _, password = base64.b64decode(encoded).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return False
        return (scheme.lower() == "basic" and hmac.compare_digest(user, settings.twilio_account_sid)
                and account_sid == settings.twilio_account_sid and hmac.compare_digest(password, settings.twilio_auth_token))

    @app.post(MESSAGES_PATH, status_code=201)
    async def create_message(account_sid: str, request: Request, background: BackgroundTasks,
                             authorization: Annotated[str | None, Header()] = None):
        if not authorised(account_sid, authorization):
            return _error(401, 20003, "Authenticate")
        form = {k: str(v) for k, v in (await request.form()).items()}
        if not form.get("To"):
            return _error(400, 21604, "A 'To' phone number is required.")
        if not form.get("From"):
            return _error(400, 21603, "A 'From' phone number is required.")
        if not form.get("Body"):
            return _error(400, 21602, "Message body is required.")
        with lock:
            if failures:
                status = failures.pop(0)
                return _error(status, 20500 if status >= 500 else 20429, "Injected failure")
            now = format_datetime(utcnow(), usegmt=True)
            message = {
                "sid": "SM" + secrets.token_hex(16), "account_sid": account_sid, "to": form["To"], "from": form["From"],
                "body": form["Body"], "status": "queued", "num_segments": "1", "direction": "outbound-api",
                "date_created": now, "date_updated": now, "date_sent": None, "error_code": None, "error_message": None,
                "price": None, "price_unit": "GBP", "api_version": "2010-04-01", "num_media": "0",
                "status_callback": form.get("StatusCallback"),
                "uri": f"/2010-04-01/Accounts/{account_sid}/Messages/SM.json",
            }
            message["uri"] = message["uri"].replace("/SM.json", f"/{message['sid']}.json")
            recorded.append(message)
        if settings.twilio_fake_status_callbacks and form.get("StatusCallback"):
            background.add_task(_call_back, validator, form["StatusCallback"], message)
        return message

    @app.get(MESSAGES_PATH)
    def list_messages(account_sid: str, authorization: Annotated[str | None, Header()] = None,
                      to: Annotated[str | None, Query(alias="To")] = None):
        if not authorised(account_sid, authorization):
            return _error(401, 20003, "Authenticate")
        with lock:
            messages = [m for m in recorded if to is None or m["to"] == to]
        return {"messages": messages, "page": 0, "page_size": len(messages)}

    @app.post("/fake/fail-next")
    def fail_next(count: int = 1, status: int = 500, authorization: Annotated[str | None, Header()] = None):
        if not authorised(settings.twilio_account_sid, authorization):
            return _error(401, 20003, "Authenticate")
        with lock:
            failures.extend([status] * count)
        return {"failing": len(failures)}

    @app.delete("/fake/messages", status_code=204)
    def forget(authorization: Annotated[str | None, Header()] = None):
        if not authorised(settings.twilio_account_sid, authorization):
            return _error(401, 20003, "Authenticate")
        with lock:
            recorded.clear()
            failures.clear()

    @app.get("/healthz")
    def healthz():
        return {"status": "ok"}

    return app


def _call_back(validator: RequestValidator, url: str, message: dict) -> None:
    """"sent" then "delivered", form-encoded and signed with the auth token, as Twilio posts them."""
    for status in ("sent", "delivered"):
        params = {"AccountSid": message["account_sid"], "MessageSid": message["sid"], "SmsSid": message["sid"],
                  "MessageStatus": status, "SmsStatus": status, "To": message["to"], "From": message["from"],
                  "ApiVersion": "2010-04-01"}
        headers = {"X-Twilio-Signature": validator.compute_signature(url, params)}
        try:
            httpx.post(url, data=params, headers=headers, timeout=5.0)
        except httpx.HTTPError as exc:
            logger.warning("status callback failed: %s", type(exc).__name__)
            return
