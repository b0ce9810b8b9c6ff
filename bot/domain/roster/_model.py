"""Councils, organisations, seats and people, with the checks on names, short names and settings."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.domain.fields import TextField
from bot.errors import InvalidInput
from bot.i18n import LANGUAGES, Language, language_choices

NAME_MAX: Final = 100
SHORT_MAX: Final = 20
COUNCIL_NAME_MAX: Final = 100
ERASED_ID: Final = 0
"""Stands in for a person who erased their data (``/privacy forget``); no Discord id is 0.

It replaces their id in the council's history. Nobody is ever sent a message at it (the outbox refuses
it) and the dashboard shows it as "erased".
"""
_SHORT_PATTERN: Final = re.compile(r"^[\w][\w.\-+&]*$")
_ORG_NAME: Final = TextField(NAME_MAX, "roster.name_too_long", "roster.name_empty")
_SHORT: Final = TextField(SHORT_MAX, "roster.short_too_long", "roster.short_empty")
_COUNCIL_NAME: Final = TextField(COUNCIL_NAME_MAX, "council.name_too_long", "council.name_empty")
_CONVENER: Final = TextField(NAME_MAX, "council.convener_too_long", "council.convener_empty")


class Role(StrEnum):
    """The two seats every organisation has."""

    REPRESENTATIVE = "representative"
    DEPUTY = "deputy"


class OrgKind(StrEnum):
    """What kind of body an organisation is."""

    USER = "user"
    RELATIVES = "relatives"
    PROFESSIONAL = "professional"
    SERVICE = "service"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class Council:
    """One server's council configuration."""

    guild_id: int
    name: str
    convener: str
    minutes_channel_id: int
    secretary_channel_id: int
    secretary_role_id: int
    language: Language
    timezone: str

    @property
    def tz(self) -> ZoneInfo:
        """The council's IANA time zone."""
        return ZoneInfo(self.timezone)


@dataclass(frozen=True, slots=True)
class Person:
    """A Discord user as the council knows them."""

    user_id: int
    display_name: str


@dataclass(frozen=True, slots=True)
class Seat:
    """A current or past holder of an organisation's seat."""

    org_id: int
    role: Role
    person: Person
    assigned_at: datetime
    ended_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Organisation:
    """A member organisation of the council."""

    id: int
    guild_id: int
    name: str
    short: str
    kind: OrgKind
    position: int
    retired_at: datetime | None = None

    @property
    def label(self) -> str:
        """``Name (SHORT)``, or just the name when they are the same."""
        return org_label(self.name, self.short)


def org_label(name: str, short: str) -> str:
    """An organisation as people name it: ``Name (SHORT)``, or just the name when they are the same."""
    return name if name.casefold() == short.casefold() else f"{name} ({short})"


@dataclass(frozen=True, slots=True)
class RosterEntry:
    """An organisation with its current representative and deputy."""

    org: Organisation
    representative: Seat | None = None
    deputy: Seat | None = None

    @property
    def gaps(self) -> tuple[Role, ...]:
        """The seats that are empty."""
        return tuple(
            role
            for role, seat in ((Role.REPRESENTATIVE, self.representative), (Role.DEPUTY, self.deputy))
            if seat is None
        )

    def seat(self, role: Role) -> Seat | None:
        """The current holder of ``role``."""
        return self.representative if role is Role.REPRESENTATIVE else self.deputy


@dataclass(frozen=True, slots=True)
class RegistrationRequest:
    """A member's request to take a seat, waiting for the secretary."""

    id: int
    guild_id: int
    org_id: int
    role: Role
    user_id: int
    status: str
    created_at: datetime


def validate_org_name(name: str) -> str:
    """Return the cleaned organisation name or raise ``InvalidInput``."""
    return _ORG_NAME.clean(name)


def validate_short(short: str) -> str:
    """Return the cleaned short name (one word, e.g. ``LPP`` or ``A-LARM``) or raise ``InvalidInput``."""
    cleaned = _SHORT.clean(short)
    if not _SHORT_PATTERN.match(cleaned):
        raise InvalidInput("roster.short_invalid", short=cleaned[:SHORT_MAX])
    return cleaned


def validate_kind(kind: str) -> OrgKind:
    """Parse an organisation kind or raise ``InvalidInput``."""
    try:
        return OrgKind(kind.strip().lower())
    except ValueError:
        raise InvalidInput("roster.kind_invalid", kinds=", ".join(k.value for k in OrgKind)) from None


def validate_council(name: str, convener: str, language: str, timezone: str) -> tuple[str, str, Language, str]:
    """Check the council settings; return them cleaned."""
    cleaned, convener_clean = _COUNCIL_NAME.clean(name), _CONVENER.clean(convener)
    if language not in LANGUAGES:
        raise InvalidInput("council.language_invalid", choices=language_choices())
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput("council.timezone_invalid", timezone=timezone[:64]) from None
    return cleaned, convener_clean, language, timezone


def is_secretary(council: Council | None, role_ids: frozenset[int], *, manage_guild: bool) -> bool:
    """Whether a member may run secretary commands: Manage Server, or the council's secretary role."""
    if manage_guild:
        return True
    return council is not None and council.secretary_role_id in role_ids


def nocase(short: str) -> str:
    """A short name as SQLite's ``COLLATE NOCASE`` compares it (ASCII letters folded, nothing else)."""
    return short.translate(_ASCII_LOWER)


_ASCII_LOWER: Final = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
