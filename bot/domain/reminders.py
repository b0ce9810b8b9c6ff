"""Reminders before a meeting's deadlines and its start: when they fall, and which of several due ones to send."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

DEADLINE_OFFSET = 0
"""The offset of the RSVP "reminder" that is the deadline itself: processing it calls up deputies."""


class ReminderKind(StrEnum):
    """Which deadline a reminder leads up to."""

    RSVP = "rsvp"
    STATUS = "status"
    DAY = "day"
    """The reminder on the day: hours before the start, to everyone expected to attend."""


@dataclass(frozen=True, slots=True)
class Reminder:
    """A stored reminder of one meeting."""

    id: int
    guild_id: int
    meeting_id: int
    kind: ReminderKind
    offset_minutes: int
    due_at: datetime
    processed_at: datetime | None = None

    @property
    def is_deadline(self) -> bool:
        """Whether this is the RSVP deadline itself rather than a reminder before it."""
        return self.kind is ReminderKind.RSVP and self.offset_minutes == DEADLINE_OFFSET


def schedule(deadline: datetime, offsets_hours: Iterable[float]) -> list[tuple[int, datetime]]:
    """``(offset in minutes, due time)`` for each offset before ``deadline``.

    Computed on the UTC time line: "48 hours before" is exactly 48 hours before, whatever the clocks
    in the server's zone do in between; the deadline itself keeps the local time it was given.
    """
    result: dict[int, datetime] = {}
    for hours in offsets_hours:
        minutes = round(hours * 60)
        if minutes > 0:
            result[minutes] = deadline - timedelta(minutes=minutes)
    return sorted(result.items(), key=lambda pair: pair[1])


def latest_per_meeting_and_kind(due: Iterable[Reminder]) -> tuple[list[Reminder], list[Reminder]]:
    """Split due reminders into those to send and those to skip.

    After downtime several reminders of the same meeting and deadline may be due at once; people get
    one reminder, the latest (closest to the deadline). Deadline rows are always kept.
    """
    chosen: dict[tuple[int, int, ReminderKind, bool], Reminder] = {}
    skipped: list[Reminder] = []
    for reminder in sorted(due, key=lambda r: (r.due_at, r.id)):
        key = (reminder.guild_id, reminder.meeting_id, reminder.kind, reminder.is_deadline)
        previous = chosen.get(key)
        if previous is not None:
            skipped.append(previous)
        chosen[key] = reminder
    return sorted(chosen.values(), key=lambda r: (r.due_at, r.id)), skipped
