"""Structured logs (one JSON object a line) that never carry what parents wrote or their phone numbers.

Log calls in this service name ids, counts and states, never message text; as a second line of defence the
formatter masks anything shaped like a phone number, and exceptions are logged as their type and stack
(file, line, function) without their message, which may quote SQL parameters or a request body."""
from __future__ import annotations

import json
import logging
import re
import traceback
from datetime import datetime, timezone

PHONE_SHAPED = re.compile(r"(?<![\w-])(?:\+|00|\()?\d[\d \-()]{8,}\d(?![\w-])")
_CONFIGURED = "_frontdoor_logging"


def mask_phone_numbers(text: str) -> str:
    return PHONE_SHAPED.sub("[number]", text)


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "at": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": mask_phone_numbers(record.getMessage()),
        }
        if record.exc_info and record.exc_info[0] is not None:
            entry["error"] = record.exc_info[0].__name__
            entry["stack"] = [f"{frame.filename}:{frame.lineno} in {frame.name}"
                              for frame in traceback.extract_tb(record.exc_info[2])]
        return json.dumps(entry, ensure_ascii=False)


def configure_logging(level: str) -> None:
    """JSON lines on stderr from every logger (uvicorn's too, which it set up before loading the app); once
    per process. Handlers added later (pytest's caplog) still see every record."""
    root = logging.getLogger()
    if getattr(root, _CONFIGURED, False):
        return
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter())
    root.handlers = [handler]
    root.setLevel(level.upper())
    for name in ("uvicorn", "uvicorn.error"):
        logging.getLogger(name).handlers = []
        logging.getLogger(name).propagate = True
    # httpx logs every request's URL at INFO: noise, and a URL may carry a query.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    setattr(root, _CONFIGURED, True)
