"""The editor page's form for each kind of content, read from the kind's schema (so the form and the validation
cannot drift apart): one entry per field with the widget to use."""
from __future__ import annotations

import types
import typing
from datetime import date

from pydantic import BaseModel

from integrations.content.schemas import KINDS

LONG_TEXT = {"answer", "sms", "description", "what", "who_for", "access_note", "verify_note", "here_to_help", "when", "note"}
TIMES = {"start", "end", "open", "close"}
PROVENANCE = {"verify", "verify_note", "source"}
LABELS = {"id": "ID", "sms": "SMS answer", "answer": "Web answer", "verify": "Verify (not confirmed)", "age_min": "Youngest age",
          "age_max": "Oldest age", "rhrt_levels": "RHRT levels", "short_name": "Short name"}
HELP = {
    "sms": "What the bot texts. Keep it within 2 SMS segments (the preview counts them).",
    "answer": "What the bot says in web chat.",
    "phrasings": "Other ways parents ask this, one a line. The bot matches questions to these at run time.",
    "verify": "Tick if a fact here (a time, number or address) is not confirmed by the council's documents.",
    "start": "24-hour time, like 09:30.", "end": "24-hour time, like 11:30.",
    "open": "24-hour time, like 09:00.", "close": "24-hour time, like 17:00.",
    "hubs": "Hub ids, one a line (or all).", "neighbours": "Hub ids, one a line.",
    "id": "Fixed once published: lower-case words joined by hyphens, like clothes-bank.",
}


def fields_of(kind: str) -> list[dict]:
    return _fields(KINDS[kind].schema)


def _fields(model: type[BaseModel]) -> list[dict]:
    # What the item says first; where it comes from (verify, verify_note, source) last.
    names = sorted(model.model_fields, key=lambda n: n in PROVENANCE)
    return [_field(n, model.model_fields[n].annotation, model.model_fields[n].is_required()) for n in names]


def _field(name: str, annotation: object, required: bool) -> dict:
    optional = False
    args = typing.get_args(annotation)
    if typing.get_origin(annotation) in (typing.Union, types.UnionType) and type(None) in args:
        optional = True
        annotation = next(a for a in args if a is not type(None))
    spec: dict = {"name": name, "label": LABELS.get(name, name.replace("_", " ").capitalize()), "required": required, "optional": optional,
                  "help": HELP.get(name)}
    origin = typing.get_origin(annotation)
    if annotation is bool:
        spec["widget"] = "checkbox"
    elif annotation is int:
        spec["widget"] = "number"
    elif origin is typing.Literal:
        spec |= {"widget": "choice", "options": list(_literal_values(annotation))}
    elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
        spec |= {"widget": "group", "fields": _fields(annotation)}
    elif origin is list and typing.get_args(annotation)[0] in (str, int, date):
        spec |= {"widget": "lines", "item": {str: "text", int: "number", date: "text"}[typing.get_args(annotation)[0]]}
    elif origin is list:
        spec["widget"] = "json"
    elif name in TIMES:
        spec["widget"] = "time"
    elif name in LONG_TEXT:
        spec["widget"] = "textarea"
    else:
        spec["widget"] = "text"
    return spec


def _literal_values(annotation: object):
    for value in typing.get_args(annotation):
        if typing.get_origin(value) is typing.Literal:  # Literal[DAYS] nests the tuple's Literal
            yield from _literal_values(value)
        elif isinstance(value, tuple):
            yield from value
        else:
            yield value
