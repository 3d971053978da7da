"""Every reply in the domain fits 2 SMS segments once its slots are filled, as the actions fill them for SMS,
with the longest real content."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from actions.hubs import _details
from actions.services_text import service_lines
from actions.sms import MAX_SEGMENTS, segments

ROOT = Path(__file__).resolve().parents[2]
CONTENT = ROOT / "data" / "content"
# The longest opening hours a hub has in words (the service's describe_week; a hub open six days with a late night).
LONGEST_WEEK = "Monday to Wednesday 9am to 5pm, Thursday 9am to 6pm, Friday 9am to 5pm, Saturday 9:30am to 12:30pm"


def _load(name: str) -> dict:
    return yaml.safe_load((CONTENT / name).read_text(encoding="utf-8"))


def _longest(values) -> str:
    return max(values, key=len)


def _fillings() -> dict[str, str]:
    hubs = _load("hubs.yml")["hubs"]
    services = sorted(_load("services.yml")["services"], key=lambda s: len(s["access_note"]), reverse=True)
    return {
        "hub_name": _longest(h["name"] for h in hubs),
        "hub_area": _longest(h["area"] for h in hubs),
        "hub_details": _longest(_details({**h, "opening_hours_words": LONGEST_WEEK, "phone": "024 7697 1234"}, sms=True) for h in hubs),
        "place": "x" * 60,  # what the parent typed is cut to 60 characters
        "council": "Warwickshire County Council",
        "social_care": "Coventry children's social care (the MASH) on 024 7678 8555, or 024 7683 2222 at night and weekends",
        "services": service_lines(services[:1]),  # action_triage names one service by SMS
        "until": "5:30pm",
        "next_staffed": "on Wednesday 30 December at 9:30am",
    }


def _responses():
    for path in sorted((ROOT / "bot" / "domain").glob("*.yml")):
        for name, variants in (yaml.safe_load(path.read_text(encoding="utf-8")).get("responses") or {}).items():
            for variant in variants:
                yield pytest.param(variant["text"], id=name)


@pytest.mark.parametrize("template", _responses())
def test_the_reply_fits_two_sms_segments(template):
    fillings = _fillings()
    text = re.sub(r"\{(\w+)\}", lambda m: fillings[m.group(1)], template)
    assert segments(text) <= MAX_SEGMENTS, f"{segments(text)} segments, {len(text)} characters: {text}"


@pytest.mark.parametrize("faq", _load("faq.yml")["faqs"], ids=lambda faq: faq["id"])
def test_every_faq_sms_answer_fits_two_segments(faq):
    assert segments(faq["sms"]) <= MAX_SEGMENTS, f"{len(faq['sms'])} characters"
