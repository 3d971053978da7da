"""The words of a what's-on answer, on the web and by SMS. No Rasa imports: the service's content editor
previews exactly this text before comms publish a timetable change."""
from __future__ import annotations

from actions.sms import fit_lines

PAGE_SIZE = {"sms": 3, "webchat": 5}  # an SMS page may show fewer: it must fit 2 segments
MORE_BUTTON = {"title": "More", "payload": "/more"}
HOURS_BUTTON = {"title": "Opening hours", "payload": "/ask_opening_hours"}


def render(result: dict, channel: str) -> tuple[dict, int]:
    """The reply for a what's-on result (text, and buttons on the web), and how many sessions it shows."""
    sms = channel == "sms"
    where = _hub_names(result)
    age = f" for {result['age_words']}" if result.get("age_words") else ""
    if result["status"] == "found":
        first = result["offset"] == 0
        head = f"On at {where} {result['when']}{age}:" if first else f"More at {where} {result['when']}:"
        lines = [head, *(_line(o, show_hub=len(result["place"]["hubs"]) != 1) for o in result["occurrences"])]
    else:
        lines = [f"Sorry, {_nothing(result)} at {where} {result['when']}{age}."]
        alternatives = result.get("alternatives") or []
        if alternatives:
            lines.append("Other days:" if result["alternatives_kind"] == "other-days" else "Nearby hubs:")
            lines += [_line(o, show_hub=result["alternatives_kind"] != "other-days") for o in alternatives]
        else:
            lines.append("Ask me about another day or hub.")
        return ({"text": fit_lines(lines)} if sms else {"text": "\n".join(lines), "buttons": [HOURS_BUTTON]}), 0
    if sms:
        text = fit_lines(lines, tail="Reply MORE for more.")
        shown = text.count("\n- ")
        if shown == len(result["occurrences"]) and not result["has_more"]:
            text = fit_lines(lines)
        return {"text": text}, shown
    message = {"text": "\n".join(lines + ["Sessions can change, so check with the hub before you go."])}
    message["buttons"] = [MORE_BUTTON, HOURS_BUTTON] if result["has_more"] else [HOURS_BUTTON]
    return message, len(result["occurrences"])


def _hub_names(result: dict) -> str:
    names = [h["short_name"] for h in result["place"]["hubs"]]
    if not names:
        return "the hubs"
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _nothing(result: dict) -> str:
    titles = result.get("titles") or []
    return f"there's no {titles[0].lower()}" if len(titles) == 1 else "nothing is on"


def _line(o: dict, *, show_hub: bool) -> str:
    booking = "book first" if o["booking"] == "booking-needed" else "drop in"
    hub = f" at {o['hub_name']}" if show_hub else ""
    return f"- {o['day_words']} {o['time_words']}: {o['title']}{hub} ({o['ages_words']}, {booking})"
