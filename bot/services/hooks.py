"""Seams where other features plug into meetings without the meeting code knowing them.

The status-update feature implements :class:`StatusLookup` (which organisations have sent their news)
and may add a :class:`MeetingOpenedHook` (to start reading back DM replies in the same transaction as the
invitations). ``build_services`` passes them to :class:`~bot.services.meetings.MeetingService` and
:class:`~bot.services.reminders.ReminderService`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from bot.domain.attendance import Invitation
from bot.domain.meetings import Meeting


class StatusLookup(Protocol):
    """Tells which organisations have sent a status update for a meeting."""

    async def orgs_with_status(self, guild_id: int, meeting_id: int) -> set[int]:
        """The ids of the organisations with a status for the meeting."""
        ...


class NoStatusLookup:
    """The default before the status feature exists: nobody has sent anything."""

    async def orgs_with_status(self, guild_id: int, meeting_id: int) -> set[int]:
        """Always the empty set."""
        return set()


class MeetingOpenedHook(Protocol):
    """Called inside ``/meeting open``'s transaction with the invitations it just created.

    Enqueue messages with :meth:`~bot.services.outbox.OutboxService.enqueue`; they are committed (or
    rolled back) together with the invitations. A later ``/meeting open`` calls the hook again with
    only the organisations invited that time.
    """

    async def meeting_opened(self, guild_id: int, meeting: Meeting, invitations: Sequence[Invitation]) -> None:
        """React to invitations having been sent."""
        ...


class MeetingCreatedHook(Protocol):
    """Called inside ``/meeting create``'s transaction once the fixed agenda items exist."""

    async def meeting_created(self, guild_id: int, meeting: Meeting) -> None:
        """React to a new meeting (e.g. put the approval of earlier minutes on its agenda)."""
        ...


class InvitationExtra(Protocol):
    """Adds a paragraph to every invitation of a meeting (e.g. open action items to follow up)."""

    async def invitation_extra(self, guild_id: int, meeting: Meeting) -> str:
        """The paragraph, or an empty string."""
        ...
