"""Which hub serves a place: by Coventry postcode (offline lookup) or area name, typos tolerated."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from integrations.content.hours import describe_week
from integrations.content.text import ngrams, normalise

_POSTCODE = re.compile(r"\b([a-z]{1,2})\s?(\d{1,2}[a-z]?)(?:\s?(\d)([a-z]{2}))?\b")
_FUZZY_THRESHOLD = 86
_MIN_FUZZY_LENGTH = 5
# Words that are never a place on their own, however close they are to one ("hub" ~ "hubs").
_NOT_PLACES = {"family", "hub", "hubs", "family hub", "nearest", "closest", "near", "live", "local", "the", "in", "my"}


@dataclass
class HubMatch:
    status: str  # found | ambiguous | outside | unknown
    hubs: list[dict] = field(default_factory=list)
    matched: str | None = None
    kind: str | None = None  # postcode | area | hub
    council: str | None = None
    note: str | None = None

    def as_dict(self) -> dict:
        return {
            "status": self.status,
            "hubs": [_public(h) for h in self.hubs],
            "matched": self.matched,
            "kind": self.kind,
            "council": self.council,
            "note": self.note,
        }


def _public(hub: dict) -> dict:
    keys = ("id", "name", "short_name", "area", "address", "phone", "opening_hours", "here_to_help", "verify")
    return {**{k: hub.get(k) for k in keys}, "opening_hours_words": describe_week(hub.get("opening_hours") or {})}


def find_hub(text: str, *, hubs: list[dict], postcodes: dict | None) -> HubMatch:
    by_id = {h["id"]: h for h in hubs}
    words = normalise(text)
    if postcodes is not None and (match := _by_postcode(words, postcodes, by_id)) is not None:
        return match
    return _by_name(words, hubs, by_id)


def _by_postcode(words: str, postcodes: dict, by_id: dict) -> HubMatch | None:
    for found in _POSTCODE.finditer(words):
        area, district, sector_digit, _unit = found.groups()
        district_code = f"{area}{district}".upper()
        sector_code = f"{district_code} {sector_digit}" if sector_digit else None
        shown = found.group(0).upper()
        for row in postcodes["coventry"]:
            if sector_code and (row.get("sector") or "").upper() == sector_code:
                return _hubs_result(row["hubs"], by_id, shown, "postcode", row.get("note"))
        for row in postcodes["coventry"]:
            if (row.get("district") or "").upper() == district_code:
                return _hubs_result(row["hubs"], by_id, shown, "postcode", row.get("note"))
        for row in postcodes["outside"]:
            if row["district"].upper() == district_code:
                return HubMatch("outside", matched=shown, kind="postcode", council=row["council"], note=row["place"])
        if sector_digit or area == "cv":
            # A full UK postcode, or a CV district we do not list: not one of Coventry's.
            return HubMatch("outside", matched=shown, kind="postcode")
    return None


def _hubs_result(hub_ids: list[str], by_id: dict, matched: str, kind: str, note: str | None) -> HubMatch:
    hubs = [by_id[h] for h in dict.fromkeys(hub_ids) if h in by_id]
    if not hubs:
        return HubMatch("unknown", matched=matched, kind=kind)
    return HubMatch("found" if len(hubs) == 1 else "ambiguous", hubs=hubs, matched=matched, kind=kind, note=note)


def _place_index(hubs: list[dict]) -> dict[str, tuple[str, set[str], str]]:
    """normalised name -> (display name, hub ids, kind)."""
    index: dict[str, tuple[str, set[str], str]] = {}

    def add(name: str, hub_id: str, kind: str) -> None:
        key = normalise(name)
        if not key or key in _NOT_PLACES:
            return
        shown, ids, existing_kind = index.get(key, (name, set(), kind))
        index[key] = (shown, ids | {hub_id}, existing_kind)

    for hub in hubs:
        for name in [hub["name"], hub["short_name"], *hub.get("aliases", [])]:
            add(name, hub["id"], "hub")
        for name in [hub["area"], *hub.get("areas", []), *hub.get("nearby_areas", [])]:
            add(name, hub["id"], "area")
    return index


def _by_name(words: str, hubs: list[dict], by_id: dict) -> HubMatch:
    index = _place_index(hubs)
    tokens = words.split()
    candidates = ngrams(tokens, 3)
    # Exact names first, longest first ("tile hill north" before "tile hill").
    for gram in sorted(candidates, key=len, reverse=True):
        if gram in index:
            shown, ids, kind = index[gram]
            return _hubs_result(sorted(ids), by_id, shown, kind, None)
    best: tuple[float, str] | None = None
    for gram in candidates:
        squashed = gram.replace(" ", "")
        if len(squashed) < _MIN_FUZZY_LENGTH or gram in _NOT_PLACES:
            continue
        for key in index:
            # Spaced as well as squashed: "tilehill" is "tile hill", and "the mote" is one letter from "the moat".
            score = max(fuzz.ratio(squashed, key.replace(" ", "")), fuzz.ratio(gram, key))
            if score >= _FUZZY_THRESHOLD and (best is None or score > best[0]):
                best = (score, key)
    if best is not None:
        shown, ids, kind = index[best[1]]
        return _hubs_result(sorted(ids), by_id, shown, kind, None)
    return HubMatch("unknown")
