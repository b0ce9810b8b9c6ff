"""The proposed next meeting as minutes phrase it: a date, perhaps a place after "på", perhaps a remark.

The seeds write it like this:

* "onsdag 2.juni 2021 klokka 10-15 – møtested kommer, vi håper det kan gjennomføres fysisk"
  (date and time, then a remark after a dash);
* "5.desember 2018 på Sagatun Brukerstyrt senter – Hamar" (a date, then the place after "på";
  the dash here is part of the place).

:func:`split_next` separates the three parts; the date part goes to :func:`bot.domain.dates.parse_when`.
A dash only separates when it has spaces around it, so a time range ("10-15") is never cut.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from bot.domain.fields import TextField, clean_text

NOTE_MAX: Final = 300

_NOTE: Final = TextField(NOTE_MAX, "meetings.next_note_too_long")
_PLACE = re.compile(r"\s(?:på|at)\s+(?=\D)", re.IGNORECASE)
_DASH = re.compile(r"\s+[–—-]\s*|\s*[–—]\s+")
# "klokka 10-15- møtested": seed 000 glues the dash to the time; a dash after a digit and before a letter.
_GLUED_DASH = re.compile(r"(?<=\d)-\s+(?=[^\W\d])")
_LEAD_IN = re.compile(r"^\s*(?:neste\s+møte(?:\s+foreslås)?|next\s+meeting(?:\s+proposed)?)\s*:?\s*", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class NextPhrase:
    """The parts of a next-meeting phrase."""

    when: str
    place: str | None = None
    note: str | None = None


def split_next(text: str) -> NextPhrase:
    """Split "<date> [på <place>] [– <remark>]" into its parts (every part cleaned, ``None`` if absent).

    After "på" everything is the place, unless a dash is followed by lower-case words (a remark such
    as "møtested kommer"): "Sagatun Brukerstyrt senter – Hamar" stays one place.
    """
    cleaned = clean_text(_LEAD_IN.sub("", _GLUED_DASH.sub(" – ", text)))
    place_match = _PLACE.search(cleaned)
    dash_match = _DASH.search(cleaned)
    if place_match and (dash_match is None or place_match.start() < dash_match.start()):
        when = cleaned[: place_match.start()]
        rest = cleaned[place_match.end() :]
        place, note = rest, None
        for dash in _DASH.finditer(rest):
            tail = rest[dash.end() :]
            if tail[:1].islower():
                place, note = rest[: dash.start()], tail
                break
        return NextPhrase(when.strip(), _none(place), _none(note))
    if dash_match:
        return NextPhrase(cleaned[: dash_match.start()].strip(), None, _none(cleaned[dash_match.end() :]))
    return NextPhrase(cleaned)


def validate_next_note(note: str | None) -> str | None:
    """The remark on the next meeting, cleaned, at most 300 characters."""
    return _NOTE.optional(note)


def _none(value: str | None) -> str | None:
    if value is None:
        return None
    stripped = value.strip(" –—-,")
    return stripped or None
