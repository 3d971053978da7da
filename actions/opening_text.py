"""The words of an opening-hours answer, on the web and by SMS. No Rasa imports: the service's content editor
previews exactly this before comms publish a hub's hours."""
from __future__ import annotations

from actions.sms import fit_lines


def opening_reply(result: dict, safety: str, channel: str) -> dict:
    """The message for an opening-hours result; `safety` (out_of_hours_line) is added when a hub is closed."""
    lines = [_hub_line(hub, result) for hub in result["hubs"]]
    if any(not _open_when_asked(hub, result) for hub in result["hubs"]):
        lines.append(safety)
    if channel == "sms":
        return {"text": fit_lines(lines)}
    return {"text": "\n".join(lines), "buttons": [{"title": "What's on", "payload": "/ask_whats_on"}]}


def out_of_hours_line(contacts: dict) -> str:
    """The safety line from the contacts comms keep (by id), so a changed number shows at once."""
    edt = contacts.get("emergency-duty-team") or {}
    if edt.get("phone"):
        return f"If a child is in danger now, call 999. Out of hours, children's social care: {edt['phone']}."
    return "If a child is in danger now, call 999."


def _open_when_asked(hub: dict, result: dict) -> bool:
    if result.get("day") and not result.get("day_is_today"):
        return bool(hub["on_day"] and hub["on_day"]["open"])
    return hub["open_now"]


def _hub_line(hub: dict, result: dict) -> str:
    name = hub["short_name"]
    if result.get("day") and not result.get("day_is_today"):
        on_day = hub["on_day"]
        if on_day["open"]:
            return f"{name} is open {result['day']}, {on_day['hours_words']}."
        why = " (a bank holiday)" if on_day["bank_holiday"] else ""
        return f"{name} is closed {result['day']}{why}. It is open {hub['week_words']}."
    if hub["open_now"]:
        return f"{name} is open now until {hub['closes_words']}."
    nxt = f" It opens {hub['next_opening_words']}." if hub.get("next_opening_words") else ""
    return f"{name} is closed now.{nxt}"
