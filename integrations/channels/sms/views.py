"""Twilio's webhooks (CONTRACT.md): inbound texts and status callbacks, both signed with X-Twilio-Signature.

The inbound webhook only checks, stores and returns empty TwiML: Twilio waits at most 15 seconds, and Rasa may
take longer, so the answer is texted by the SMS worker (integrations/channels/sms/worker.py)."""
from __future__ import annotations

import logging
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request, Response, status
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from twilio.request_validator import RequestValidator

from integrations.channels.sms.outbound import record_status
from integrations.conversations.models import Message
from integrations.conversations.service import sms_conversation
from integrations.conversations.turns import store_parent_message
from integrations.core.db import SessionDep
from integrations.core.security import keyed_hash

logger = logging.getLogger(__name__)
router = APIRouter()
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>'


async def signed_form(request: Request) -> dict[str, str]:
    """The form Twilio posted, if X-Twilio-Signature matches it on the public URL (PUBLIC_BASE_URL + path, so a
    proxy in front of the service changes nothing); 403 otherwise."""
    settings = request.app.state.settings
    form = {key: str(value) for key, value in (await request.form()).multi_items()}
    url = settings.public_base_url.rstrip("/") + request.url.path + (f"?{request.url.query}" if request.url.query else "")
    signature = request.headers.get("X-Twilio-Signature", "")
    if not signature or not RequestValidator(settings.twilio_auth_token).validate(url, form, signature):
        logger.warning("twilio webhook refused: %s signature", "bad" if signature else "no")
        raise HTTPException(status.HTTP_403_FORBIDDEN, "Invalid Twilio signature.")
    return form


TwilioForm = Annotated[dict[str, str], Depends(signed_form)]


def twiml() -> Response:
    return Response(EMPTY_TWIML, media_type="text/xml")


@router.post("/webhooks/twilio/sms")
def inbound_sms(form: TwilioForm, request: Request, session: SessionDep) -> Response:
    sid, phone, text = form.get("MessageSid") or form.get("SmsSid"), form.get("From", "").strip(), form.get("Body", "")
    if not sid or not phone:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, "MessageSid and From are required.")
    if session.scalar(select(Message.id).where(Message.external_id == sid)) is not None:
        return twiml()  # Twilio retrying a text we already have: it is answered once
    settings = request.app.state.settings
    conversation = sms_conversation(session, phone=phone, phone_hash=keyed_hash(settings.secret_key, phone))
    try:
        store_parent_message(session, conversation_id=conversation.id, text=text[: settings.max_message_chars], external_id=sid)
    except IntegrityError:  # the same retry, concurrently
        session.rollback()
        return twiml()
    logger.info("sms stored in conversation %s", conversation.id)
    worker = getattr(request.app.state, "sms_inbound", None)
    if worker is not None:
        worker.wake()
    return twiml()


@router.post("/webhooks/twilio/status")
def status_callback(form: TwilioForm, request: Request, session: SessionDep) -> Response:
    sid, state = form.get("MessageSid") or form.get("SmsSid"), form.get("MessageStatus") or form.get("SmsStatus")
    if sid and state and not record_status(session, sid=sid, status=state, error_code=form.get("ErrorCode")):
        logger.info("status callback for a text we do not know")
    return twiml()
