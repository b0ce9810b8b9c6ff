"""The meeting's Discord scheduled event: what it should say, and what to do next to keep it in step.

The event is created when the meeting is opened, moved when the meeting is edited, cancelled when the
meeting is, and started and completed around the meeting itself. The stored record says what was last
synced; :func:`next_action` compares it with the meeting and the time and names the one step to take.
Discord's rules (an external event needs a location and an end; a status only moves forward:
scheduled → active → completed, or scheduled → cancelled) are respected here, so the sync never
asks for something Discord would refuse.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Final

from bot.domain.meetings import Meeting

NAME_MAX: Final = 100
LOCATION_MAX: Final = 100
DESCRIPTION_MAX: Final = 1000
MAX_ATTEMPTS: Final = 5


class EventStatus(StrEnum):
    """What was last synced to Discord."""

    NONE = "none"
    SCHEDULED = "scheduled"
    ACTIVE = "active"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    DENIED = "denied"
    """The bot lacks the permission (Manage Events / Create Events); retried at the next change."""
    FAILED = "failed"
    """Given up after repeated errors; retried at the next change."""


class EventAction(StrEnum):
    """One step towards the event the meeting wants."""

    CREATE = "create"
    EDIT = "edit"
    START = "start"
    COMPLETE = "complete"
    CANCEL = "cancel"


@dataclass(frozen=True, slots=True)
class EventRecord:
    """The stored sync state of one meeting's event."""

    guild_id: int
    meeting_id: int
    event_id: int | None
    synced_sequence: int
    status: EventStatus
    attempts: int = 0


@dataclass(frozen=True, slots=True)
class EventSpec:
    """The fields of an external scheduled event."""

    name: str
    description: str
    location: str
    start: datetime
    end: datetime


def _cut(text: str, limit: int) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def event_spec(meeting: Meeting, *, location: str, description: str) -> EventSpec:
    """The event for a meeting, cut to Discord's limits (name 100, location 100, description 1,000)."""
    return EventSpec(
        name=_cut(meeting.title, NAME_MAX),
        description=_cut(description, DESCRIPTION_MAX),
        location=_cut(location, LOCATION_MAX),
        start=meeting.start_at,
        end=meeting.end_at,
    )


def next_action(meeting: Meeting, record: EventRecord, now: datetime) -> EventAction | None:
    """The next step to bring the event in line with the meeting, or ``None`` when it is in step.

    A refused or failed sync is not repeated until the meeting changes again (its ``ics_sequence``
    grows), so a missing permission costs one request per change, not one per scheduler pass.
    """
    stuck = record.status in (EventStatus.DENIED, EventStatus.FAILED)
    if stuck and record.synced_sequence >= meeting.ics_sequence:
        return None
    if record.event_id is None:
        if meeting.is_open and not meeting.has_started(now):
            return EventAction.CREATE
        return None
    if record.status in (EventStatus.COMPLETED, EventStatus.CANCELLED):
        return None
    live = EventStatus.ACTIVE if record.status is EventStatus.ACTIVE else EventStatus.SCHEDULED
    if meeting.is_cancelled:
        # An event that has started can only be completed, not cancelled.
        return EventAction.CANCEL if live is EventStatus.SCHEDULED else EventAction.COMPLETE
    if live is EventStatus.ACTIVE:
        return EventAction.COMPLETE if meeting.has_ended(now) else None
    if meeting.has_started(now):
        return EventAction.START
    if record.synced_sequence < meeting.ics_sequence or stuck:
        return EventAction.EDIT
    return None
