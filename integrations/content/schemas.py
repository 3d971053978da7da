"""The shape of each kind of content. The seed files and the comms editor are validated against these."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Provenance(Strict):
    verify: bool = False
    verify_note: str | None = None
    source: str


def _check_time(value: str) -> str:
    if not _HHMM.match(value):
        raise ValueError(f"{value!r} is not a 24-hour time like 09:30")
    return value


class OpeningSpan(Strict):
    open: str
    close: str

    _times = field_validator("open", "close")(_check_time)

    @model_validator(mode="after")
    def _open_before_close(self) -> "OpeningSpan":
        if self.open >= self.close:
            raise ValueError("opening time must be before closing time")
        return self


class WeeklyHours(Strict):
    monday: OpeningSpan | None = None
    tuesday: OpeningSpan | None = None
    wednesday: OpeningSpan | None = None
    thursday: OpeningSpan | None = None
    friday: OpeningSpan | None = None
    saturday: OpeningSpan | None = None
    sunday: OpeningSpan | None = None


class Hub(Provenance):
    id: str
    name: str
    short_name: str
    aliases: list[str] = []
    area: str
    areas: list[str] = []
    nearby_areas: list[str] = []
    address: str | None = None
    phone: str | None = None
    email: str | None = None
    opening_hours: WeeklyHours
    here_to_help: str
    highlights: list[str] = []
    neighbours: list[str] = []


class Service(Provenance):
    id: str
    name: str
    what: str
    who_for: str
    how_to_access: Literal["drop-in", "booking", "referral", "self-referral", "ask-at-hub"]
    access_note: str
    hubs: list[str]
    needs: list[str] = []
    rhrt_levels: list[int] = []
    contact: str | None = None


class Session(Provenance):
    id: str
    hub: str
    title: str
    description: str = ""
    day: Literal[DAYS]
    start: str
    end: str
    age_min: int | None = Field(default=None, ge=0, le=25)
    age_max: int | None = Field(default=None, ge=0, le=25)
    audience: Literal["families", "parents", "children", "young-people", "adults"]
    booking: Literal["drop-in", "booking-needed"]
    term_time_only: bool = False
    service: str | None = None

    _times = field_validator("start", "end")(_check_time)

    @model_validator(mode="after")
    def _consistent(self) -> "Session":
        if self.start >= self.end:
            raise ValueError("start must be before end")
        if self.age_min is not None and self.age_max is not None and self.age_min > self.age_max:
            raise ValueError("age_min must not be above age_max")
        return self


class HalfTerm(Strict):
    start: date
    end: date


class Term(Strict):
    name: str
    start: date
    end: date
    half_term: HalfTerm | None = None


class Terms(Provenance):
    terms: list[Term]


class Faq(Provenance):
    id: str
    question: str
    phrasings: list[str] = []
    answer: str = Field(min_length=1)
    sms: str = Field(min_length=1)


class Contact(Provenance):
    id: str
    name: str
    phone: str | None = None
    when: str
    national: bool = False
    url: str | None = None


class CoventryPostcode(Strict):
    district: str | None = None
    sector: str | None = None
    hubs: list[str]
    note: str | None = None


class OutsidePostcode(Strict):
    district: str
    place: str
    council: str


class Postcodes(Provenance):
    coventry: list[CoventryPostcode]
    outside: list[OutsidePostcode]


class FrontDoor(Provenance):
    staffed_hours: WeeklyHours
    bank_holidays: list[date] = []


@dataclass(frozen=True)
class KindSpec:
    """Where a kind of content lives in the seed files: a list of items under `key`, or one document."""

    schema: type[BaseModel]
    file: str
    key: str | None  # None: the whole file is the document
    many: bool


KINDS: dict[str, KindSpec] = {
    "hub": KindSpec(Hub, "hubs.yml", "hubs", many=True),
    "service": KindSpec(Service, "services.yml", "services", many=True),
    "session": KindSpec(Session, "timetable.yml", "sessions", many=True),
    "terms": KindSpec(Terms, "timetable.yml", "terms", many=False),
    "faq": KindSpec(Faq, "faq.yml", "faqs", many=True),
    "contact": KindSpec(Contact, "contacts.yml", "contacts", many=True),
    "postcodes": KindSpec(Postcodes, "postcodes.yml", None, many=False),
    "frontdoor": KindSpec(FrontDoor, "frontdoor.yml", None, many=False),
}
