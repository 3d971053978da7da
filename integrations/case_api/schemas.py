"""The case API's request and response bodies (the contract the client and any real case API share)."""
from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import AwareDatetime, BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError


def _blank_to_none(value: object) -> object:
    # A form or chat answer of "" means "not given", which is what None says.
    return None if isinstance(value, str) and not value.strip() else value


Text = Annotated[str, Field(min_length=1, max_length=200)]
OptionalText = Annotated[Text | None, BeforeValidator(_blank_to_none)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Consent(_Strict):
    given: bool = Field(description="The parent's explicit yes; a request without it is refused (422).")
    wording: Annotated[str, Field(min_length=1, max_length=2000)] = Field(
        description="What the parent was told would be shared, word for word."
    )
    at: AwareDatetime = Field(description="When the parent agreed (ISO 8601 with a UTC offset).")

    @field_validator("given")
    @classmethod
    def _must_be_given(cls, given: bool) -> bool:
        if not given:
            raise PydanticCustomError("consent_required", "a request for early help needs the parent's explicit consent")
        return given


class Parent(_Strict):
    name: Text
    phone: OptionalText = None
    email: OptionalText = None
    safe_to_call: bool
    safe_to_text: bool
    safe_to_voicemail: bool
    contact_times: OptionalText = Field(default=None, description="When it is safe and convenient to get in touch.")
    language: OptionalText = None
    interpreter_needed: bool = False

    @model_validator(mode="after")
    def _reachable(self) -> "Parent":
        if self.phone is None and self.email is None:
            raise PydanticCustomError("contact_required", "give a phone number or an email address")
        return self


class Child(_Strict):
    first_name: Text
    age: int = Field(ge=0, le=25, description="Age in years (early help covers young people up to 25 with SEND).")


class Area(_Strict):
    postcode: OptionalText = None
    area: OptionalText = Field(default=None, description="Area, ward or estate in the parent's words.")
    hub: OptionalText = Field(default=None, description="The Family Hub the request is for, if known.")


class Descriptor(_Strict):
    id: Text
    domain: Text
    descriptor: Annotated[str, Field(min_length=1, max_length=1000)]
    level: int = Field(ge=1, le=4)


class Concerns(_Strict):
    in_parents_words: Annotated[str, Field(min_length=1, max_length=20000)]
    rhrt_level: int | None = Field(default=None, ge=1, le=4, description="Right Help Right Time level assessed in the chat.")
    descriptors: list[Descriptor] = Field(default_factory=list, max_length=200)


class Source(_Strict):
    channel: Literal["webchat", "sms"]
    conversation_id: Text


EXAMPLE = {
    "consent": {
        "given": True,
        "wording": "We will share your name, phone number, your children's first names and ages and what you told us "
                   "with the Family Hub team so that a worker can contact you.",
        "at": "2026-11-23T14:30:00Z",
    },
    "parent": {
        "name": "Sam", "phone": "07700 900123", "email": "sam@example.org", "safe_to_call": True, "safe_to_text": True,
        "safe_to_voicemail": False, "contact_times": "weekday mornings", "language": "English",
        "interpreter_needed": False,
    },
    "children": [{"first_name": "Alex", "age": 7}],
    "area": {"postcode": "CV6 5AB", "area": "Foleshill", "hub": "Pathways"},
    "concerns": {
        "in_parents_words": "He can't cope when he's angry, he smashes things up and I don't know what to do.",
        "rhrt_level": 3,
        "descriptors": [{"id": "l3-child-anger-frustration", "domain": "child",
                         "descriptor": "Difficulty coping with anger, frustration or upset", "level": 3}],
    },
    "source": {"channel": "webchat", "conversation_id": "4f1c2b8e-1d2a-4c4e-9a57-2f0b6f7d9e10"},
}


class EarlyHelpRequest(_Strict):
    """A parent's request for early help, with their consent to share it."""

    model_config = ConfigDict(json_schema_extra={"examples": [EXAMPLE]})

    consent: Consent
    parent: Parent
    children: list[Child] = Field(min_length=1, max_length=20)
    area: Area
    concerns: Concerns
    source: Source


RECEIPT_EXAMPLE = {"reference": "EH-2026-000001", "status": "received", "received_at": "2026-11-23T14:30:02Z"}


class Receipt(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [RECEIPT_EXAMPLE]})

    reference: str = Field(description="The case system's reference: unique, sequential per year, never reused.")
    status: Literal["received"] = "received"
    received_at: datetime


class EarlyHelpRequestRecord(EarlyHelpRequest):
    """A stored request: every answer as received, with its reference."""

    model_config = ConfigDict(json_schema_extra={"examples": [{**RECEIPT_EXAMPLE, **EXAMPLE}]})

    reference: str
    status: Literal["received"] = "received"
    received_at: datetime


class Problem(BaseModel):
    detail: str


class Health(BaseModel):
    status: Literal["ok"] = "ok"
