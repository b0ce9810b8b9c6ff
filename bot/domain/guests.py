"""Participants who are not on the roster: guests, host staff, presenters and named substitutes."""

from __future__ import annotations

from typing import Final

from bot.domain.fields import TextField

GUEST_NAME_MAX: Final = 100
AFFILIATION_MAX: Final = 150

_PERSON_NAME: Final = TextField(GUEST_NAME_MAX, "meetings.guest_name_too_long", "meetings.guest_name_empty")
_AFFILIATION: Final = TextField(AFFILIATION_MAX, "meetings.affiliation_too_long")


def validate_person_name(name: str) -> str:
    """A guest's or substitute's name, cleaned (one line, not empty, at most 100 characters)."""
    return _PERSON_NAME.clean(name)


def validate_affiliation(affiliation: str | None) -> str | None:
    """Where a guest comes from ("NKROP", "Alternativ til vold"), cleaned; empty means none."""
    return _AFFILIATION.optional(affiliation)


def guest_label(name: str, affiliation: str | None) -> str:
    """How a guest is named: ``Name (affiliation)``, or the name alone."""
    return f"{name} ({affiliation})" if affiliation else name
