"""Participants who are not on the roster: guests, host staff, presenters and named substitutes."""

from __future__ import annotations

from typing import Final

from bot.domain.roster import clean_text
from bot.errors import InvalidInput

GUEST_NAME_MAX: Final = 100
AFFILIATION_MAX: Final = 150


def validate_person_name(name: str) -> str:
    """A guest's or substitute's name, cleaned (one line, not empty, at most 100 characters)."""
    cleaned = clean_text(name)
    if not cleaned:
        raise InvalidInput("meetings.guest_name_empty")
    if len(cleaned) > GUEST_NAME_MAX:
        raise InvalidInput("meetings.guest_name_too_long", limit=GUEST_NAME_MAX)
    return cleaned


def validate_affiliation(affiliation: str | None) -> str | None:
    """Where a guest comes from ("NKROP", "Alternativ til vold"), cleaned; empty means none."""
    if affiliation is None:
        return None
    cleaned = clean_text(affiliation)
    if len(cleaned) > AFFILIATION_MAX:
        raise InvalidInput("meetings.affiliation_too_long", limit=AFFILIATION_MAX)
    return cleaned or None
