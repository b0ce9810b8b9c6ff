"""Meetings and their agendas: dataclasses and the rules that need no database."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Final
from zoneinfo import ZoneInfo

from bot.domain.dates import When
from bot.domain.fields import TextField
from bot.domain.guests import guest_label
from bot.errors import Conflict, InvalidInput

TITLE_MAX: Final = 150
PLACE_MAX: Final = 200
LEAD_MAX: Final = 100
REASON_MAX: Final = 500
NOTE_MAX: Final = 300
AGENDA_MAX: Final = 40
DETAILS_MAX: Final = 1500
"""An item's background text: with the rest of its line it stays within one Discord message (2,000)."""


class MeetingState(StrEnum):
    """Where a meeting is in its life."""

    PLANNED = "planned"
    """Created; no invitations sent yet."""
    OPEN = "open"
    """Invitations sent (``/meeting open``)."""
    CANCELLED = "cancelled"


class AgendaKind(StrEnum):
    """The two fixed agenda items and the ordinary ones between them."""

    STATUS_ROUND = "status_round"
    ITEM = "item"
    ANY_OTHER_BUSINESS = "any_other_business"


@dataclass(frozen=True, slots=True)
class Meeting:
    """A council meeting. All times are aware UTC."""

    id: int
    guild_id: int
    number: int
    title: str
    place: str
    start_at: datetime
    end_at: datetime
    rsvp_deadline: datetime
    status_deadline: datetime
    state: MeetingState
    created_by: int
    created_at: datetime
    opened_at: datetime | None = None
    cancelled_at: datetime | None = None
    cancel_reason: str | None = None
    next_text: str | None = None
    next_start_at: datetime | None = None
    next_end_at: datetime | None = None
    revision: int = 0
    ics_sequence: int = 0
    """The calendar file's SEQUENCE: grows with every change of the meeting and with its cancellation."""

    @property
    def when(self) -> When:
        """Start and end."""
        return When(self.start_at, self.end_at)

    @property
    def next_when(self) -> When | None:
        """The proposed next meeting (``/meeting next``), if set."""
        if self.next_start_at is None or self.next_end_at is None:
            return None
        return When(self.next_start_at, self.next_end_at)

    @property
    def is_cancelled(self) -> bool:
        """Whether the meeting was cancelled."""
        return self.state is MeetingState.CANCELLED

    @property
    def is_open(self) -> bool:
        """Whether invitations have gone out (and it was not cancelled)."""
        return self.state is MeetingState.OPEN

    def has_started(self, now: datetime) -> bool:
        """Whether the meeting has begun."""
        return now >= self.start_at

    def has_ended(self, now: datetime) -> bool:
        """Whether the meeting is over."""
        return now >= self.end_at


@dataclass(frozen=True, slots=True)
class AgendaItem:
    """One numbered agenda item."""

    id: int
    guild_id: int
    meeting_id: int
    position: int
    kind: AgendaKind
    title: str
    lead: str | None = None
    deputy_interest: bool = False
    approves_meeting_id: int | None = None
    """Set on "Godkjenning av referat fra forrige møte": the meeting whose minutes it approves."""
    details: str | None = None
    """Background text (seed 001 frames items as questions); for the status round, its theme question."""

    @property
    def is_status_round(self) -> bool:
        """Whether this is the status round ("Hva skjer i organisasjonene?")."""
        return self.kind is AgendaKind.STATUS_ROUND

    @property
    def is_fixed(self) -> bool:
        """The approval item and the status round (first) and any other business (last) stay in place."""
        return self.kind is not AgendaKind.ITEM or self.approves_meeting_id is not None


@dataclass(frozen=True, slots=True)
class NextMeeting:
    """The proposed next meeting as ``/meeting next`` recorded it: place, remark, the meeting created."""

    meeting_id: int
    next_meeting_id: int | None
    place: str | None
    note: str | None
    set_by: int
    set_at: datetime


@dataclass(frozen=True, slots=True)
class StoredGuest:
    """A guest of a meeting (host staff, presenter, guest)."""

    id: int
    meeting_id: int
    name: str
    affiliation: str | None
    added_by: int
    added_at: datetime

    @property
    def label(self) -> str:
        """``Name (affiliation)``, or the name alone."""
        return guest_label(self.name, self.affiliation)


# -- validation ------------------------------------------------------------------------------------


_TITLE: Final = TextField(TITLE_MAX, "meetings.title_too_long", "meetings.title_empty")
_PLACE: Final = TextField(PLACE_MAX, "meetings.place_too_long")
_ITEM_TITLE: Final = TextField(TITLE_MAX, "meetings.item_title_too_long", "meetings.item_title_empty")
_LEAD: Final = TextField(LEAD_MAX, "meetings.lead_too_long")
_DETAILS: Final = TextField(DETAILS_MAX, "meetings.details_too_long")
_REASON: Final = TextField(REASON_MAX, "meetings.reason_too_long")
_NOTE: Final = TextField(NOTE_MAX, "rsvp.note_too_long")


def validate_title(title: str) -> str:
    """A meeting title, cleaned."""
    return _TITLE.clean(title)


def validate_place(place: str) -> str:
    """A meeting place (may be empty: "to be announced")."""
    return _PLACE.clean(place)


def validate_item_title(title: str) -> str:
    """An agenda item's title, cleaned."""
    return _ITEM_TITLE.clean(title)


def validate_lead(lead: str | None) -> str | None:
    """Who leads an agenda item; empty means nobody named."""
    return _LEAD.optional(lead)


def validate_details(details: str | None) -> str | None:
    """An item's background text (or the status round's theme question), cleaned; empty means none."""
    return _DETAILS.optional(details)


def validate_reason(reason: str | None) -> str | None:
    """A cancellation reason, cleaned; empty means none given."""
    return _REASON.optional(reason)


def validate_note(note: str | None) -> str | None:
    """An RSVP note ("kommer etter lunsj"), cleaned."""
    return _NOTE.optional(note)


class _TypedFields:
    """Fields as typed in a command, each ``None`` (its default) where it was not given."""

    __slots__ = ()

    @property
    def is_empty(self) -> bool:
        """Nothing was given (an edit that changes nothing)."""
        return self == type(self)()


@dataclass(frozen=True, slots=True)
class MeetingFields(_TypedFields):
    """A meeting's fields as typed in ``/meeting create`` or ``/meeting edit``, not yet parsed.

    ``None`` leaves a field as it is. A new meeting needs a time; without the others its place is
    empty, its title the council's default and its deadlines the configured days before the start.
    """

    when: str | None = None
    place: str | None = None
    title: str | None = None
    rsvp_deadline: str | None = None
    status_deadline: str | None = None


CLEAR: Final = frozenset({"-", "–", "—"})
"""A lone dash typed for an item's lead or background text clears it."""


def _clearable(typed: str | None, stored: str | None, validate: Callable[[str], str | None]) -> str | None:
    if typed is None:
        return stored
    return None if typed.strip() in CLEAR else validate(typed)


@dataclass(frozen=True, slots=True)
class AgendaItemFields(_TypedFields):
    """An agenda item's fields as typed in ``/agenda add`` or ``/agenda edit``, not yet validated.

    ``None`` leaves a field as it is (on a new item: no lead, no deputy interest, no background text);
    a lone dash (:data:`CLEAR`) clears the lead or the background text.
    """

    title: str | None = None
    lead: str | None = None
    deputy_interest: bool | None = None
    details: str | None = None

    def apply(self, item: AgendaItem) -> AgendaItem:
        """``item`` with the given fields, validated (raises :class:`InvalidInput`, changing nothing)."""
        return replace(
            item,
            title=item.title if self.title is None else validate_item_title(self.title),
            lead=_clearable(self.lead, item.lead, validate_lead),
            deputy_interest=item.deputy_interest if self.deputy_interest is None else self.deputy_interest,
            details=_clearable(self.details, item.details, validate_details),
        )

    def new_item(self, guild_id: int) -> AgendaItem:
        """A new ordinary item (not stored: no id, meeting or position yet); its title is required."""
        blank = AgendaItem(0, guild_id, 0, 0, AgendaKind.ITEM, title="")
        return replace(self, title=self.title or "").apply(blank)


def check_start(when: When, now: datetime) -> None:
    """A new meeting time must lie in the future."""
    if when.start <= now:
        raise InvalidInput("meetings.start_in_past")


def check_deadline(name: str, deadline: datetime, start: datetime, now: datetime) -> None:
    """A deadline the secretary gives must be before the start and not in the past.

    Args:
        name: ``"rsvp"`` or ``"status"``, for the message.
        deadline: the deadline.
        start: the meeting's start.
        now: the current time.
    """
    if deadline >= start:
        raise InvalidInput(f"meetings.{name}_deadline_after_start")
    if deadline <= now:
        raise InvalidInput(f"meetings.{name}_deadline_past")


def default_deadline(start: datetime, days: float, tz: ZoneInfo, now: datetime) -> datetime:
    """The deadline when none is given: ``days`` before the start, at the same local time of day.

    Arithmetic happens on the local wall clock, so a deadline a week before a meeting on the other
    side of a daylight-saving change still falls at the meeting's local time. When that moment has
    already passed (a meeting called at short notice), the deadline is halfway between now and the
    start, on the minute.
    """
    local = start.astimezone(tz)
    deadline = (local - timedelta(days=days)).astimezone(start.tzinfo)
    if deadline > now:
        return deadline
    halfway = now + (start - now) / 2
    return halfway.replace(second=0, microsecond=0)


def check_editable(meeting: Meeting) -> None:
    """A cancelled meeting cannot be changed."""
    if meeting.is_cancelled:
        raise Conflict("meetings.cancelled", number=meeting.number)


# -- agenda order ----------------------------------------------------------------------------------


def move_positions(items: list[AgendaItem], item: AgendaItem, position: int) -> list[tuple[int, int]]:
    """New ``(item id, position)`` pairs after moving ``item`` to ``position``.

    The status round stays first and any other business stays last: they cannot be moved, and an
    ordinary item cannot be moved before or after them.
    """
    if item.is_fixed:
        raise Conflict("meetings.item_fixed")
    ordered = sorted(items, key=lambda i: i.position)
    movable = [i for i in ordered if not i.is_fixed]
    leading = 0  # fixed items at the top (the approval item, the status round) keep their places
    while (
        leading < len(ordered)
        and ordered[leading].is_fixed
        and ordered[leading].kind is not AgendaKind.ANY_OTHER_BUSINESS
    ):
        leading += 1
    first = leading + 1
    last = first + len(movable) - 1
    if not first <= position <= last:
        raise InvalidInput("meetings.position_out_of_range", first=first, last=last)
    movable.remove(item)
    movable.insert(position - first, item)
    result = [(i.id, n) for n, i in enumerate(ordered[: first - 1], start=1)]
    result += [(i.id, n) for n, i in enumerate(movable, start=first)]
    result += [(i.id, n) for n, i in enumerate([i for i in ordered[first - 1 :] if i.is_fixed], start=last + 1)]
    return result
