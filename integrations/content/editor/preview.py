"""What the bot will say with an edited item, on the web and by SMS (texts and segment counts), from the
same code the actions and the SMS sender use."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from actions.faq_text import faq_reply
from actions.opening_text import opening_reply, out_of_hours_line
from actions.services_text import render as services_reply
from actions.sms import MAX_SEGMENTS, is_gsm7, segments
from actions.whats_on_text import PAGE_SIZE
from actions.whats_on_text import render as whats_on_reply
from integrations.channels.sms.text import render as sms_texts
from integrations.channels.sms.text import to_gsm
from integrations.content.internal_views import answer_opening, answer_whats_on
from integrations.content.service_matcher import match_services
from integrations.content.store import item, items_of

WEB_ANSWER_CHARS = 600  # faq.yml: "answer: web chat, at most about 600 characters"
SMS_ANSWER_CHARS = 300


def preview(session: Session, kind: str, data: dict, *, now: datetime) -> dict:
    if kind == "faq":
        return _faq(data)
    if kind == "session":
        return _session(session, data, now=now)
    if kind == "service":
        return _service(session, data)
    if kind == "hub":
        return _hub(session, data, now=now)
    return {**_NO_WORDING, "note": "The bot uses this in its answers (nearest hub, what's on, safety lines); publish and ask it to check."}


_NO_WORDING = {"asked": None, "web": [], "sms": [], "sms_segments": 0, "warnings": []}


def _faq(faq: dict) -> dict:
    warnings = []
    if len(faq["answer"]) > WEB_ANSWER_CHARS:
        warnings.append(f"The web answer is {len(faq['answer'])} characters; keep it under about {WEB_ANSWER_CHARS}.")
    if len(faq["sms"]) > SMS_ANSWER_CHARS:
        warnings.append(f"The SMS answer is {len(faq['sms'])} characters; keep it under {SMS_ANSWER_CHARS}.")
    return _shown(faq["question"], faq_reply(faq, "webchat"), faq_reply(faq, "sms"), warnings)


def _session(session: Session, draft: dict, *, now: datetime) -> dict:
    hub = item(session, "hub", draft["hub"]) or {"short_name": draft["hub"]}
    asked = f"what time is {draft['title']} at {hub['short_name']} on {draft['day']}"
    timetable = [s for s in items_of(session, "session") if s["id"] != draft["id"]] + [draft]
    replies = {}
    for channel in ("webchat", "sms"):
        result = answer_whats_on(session, q=asked, hub=None, offset=0, limit=PAGE_SIZE[channel], now=now, sessions=timetable)
        replies[channel] = whats_on_reply(result, channel)[0] if result["status"] in ("found", "none") else {"text": ""}
    return _shown(asked, replies["webchat"], replies["sms"], [])


def _hub(session: Session, draft: dict, *, now: datetime) -> dict:
    asked = f"is {draft['short_name']} open on saturday"
    hubs = [h for h in items_of(session, "hub") if h["id"] != draft["id"]] + [draft]
    result = answer_opening(session, q=asked, hub=None, now=now, hubs=hubs)
    if result["status"] != "found" or draft["id"] not in [h["id"] for h in result["hubs"]]:
        return {**_NO_WORDING, "asked": asked, "note": f"The bot does not find this hub from {asked!r}: check its names."}
    safety = out_of_hours_line({c["id"]: c for c in items_of(session, "contact")})
    return _shown(asked, opening_reply(result, safety, "webchat"), opening_reply(result, safety, "sms"), [])


def _service(session: Session, draft: dict) -> dict:
    asked = (draft["needs"] or [draft["name"]])[0]
    services = [s for s in items_of(session, "service") if s["id"] != draft["id"]] + [draft]
    found = [m.service for m in match_services(asked, services)]
    if not found:
        return {**_NO_WORDING, "asked": asked, "note": f"No service matches {asked!r}: add the needs parents say, one a line."}
    shown = _shown(asked, services_reply(found, "webchat"), services_reply(found, "sms"), [])
    if found[0]["id"] != draft["id"]:
        shown["warnings"].append(f"For {asked!r} the bot puts {found[0]['name']} first, not this service.")
    return shown


def _shown(asked: str, web: dict, sms: dict, warnings: list[str]) -> dict:
    texts = sms_texts(sms["text"], sms.get("buttons"))
    parts = [{"text": t, "characters": len(t), "segments": segments(t)} for t in texts]
    if not is_gsm7(to_gsm(sms["text"])):
        warnings.append("The SMS has characters outside the GSM-7 alphabet (such as emoji), so each segment holds "
                        "only 70 characters.")
    if len(parts) > 1:
        warnings.append(f"By SMS this goes as {len(parts)} texts (the limit is {MAX_SEGMENTS} segments a text); shorten it to send one.")
    return {"asked": asked, "web": [{"text": web["text"], "buttons": [b["title"] for b in web.get("buttons", [])]}],
            "sms": parts, "sms_segments": sum(p["segments"] for p in parts), "warnings": warnings, "note": None}
