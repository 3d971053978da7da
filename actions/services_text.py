"""The words of a services answer, on the web and by SMS. No Rasa imports: the service's content editor
previews exactly this before comms publish a service."""
from __future__ import annotations

from actions.sms import fit_lines

HOW = {
    "drop-in": "Just drop in.",
    "booking": "You need to book.",
    "referral": "A worker needs to refer you.",
    "self-referral": "You can ask for it yourself.",
    "ask-at-hub": "Ask at your Family Hub.",
}


def render(services: list[dict], channel: str) -> dict:
    best, others = services[0], services[1:]
    if channel == "sms":
        lines = [f"{best['name']}: {best['what']}", f"{best['access_note']}"]
        lines += [f"Also: {s['name']}." for s in others[:1]]
        return {"text": fit_lines(lines, tail="Ask me what's on at your hub.")}
    lines = [
        f"{best['name']}: {best['what']}",
        f"Who it's for: {best['who_for']}",
        f"How to get it: {HOW.get(best['how_to_access'], '')} {best['access_note']}".replace("  ", " "),
    ]
    if best.get("contact"):
        lines.append(f"Contact: {best['contact']}")
    lines += [f"Also: {s['name']}: {s['what']}" for s in others]
    buttons = [{"title": "What's on near me", "payload": "/ask_whats_on"}, {"title": "Talk to a person", "payload": "/request_human"}]
    return {"text": "\n".join(lines), "buttons": buttons}


def service_lines(services: list[dict]) -> str:
    """Short lines for other actions' replies (triage's level-2 answer)."""
    return "".join(f"\n{s['name']}: {s['access_note']}" for s in services)
