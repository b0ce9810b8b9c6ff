"""What the meeting use cases return; a meeting itself is shown from its :class:`~bot.domain.notices.MeetingContext`."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.attendance import Invitation, Outcome
from bot.domain.meetings import Meeting, NextMeeting, StoredGuest
from bot.domain.notices import MeetingContext
from bot.domain.roster import Council, Organisation, Person


@dataclass(frozen=True, slots=True)
class ChangeResult:
    """A meeting as ``/meeting edit`` or ``/meeting cancel`` left it, and how many invitees were told."""

    details: MeetingContext
    notified: int
    changed: frozenset[str] = frozenset()
    """What ``/meeting edit`` changed (empty for a cancellation)."""


@dataclass(frozen=True, slots=True)
class OpenResult:
    """What ``/meeting open`` sent.

    Attributes:
        details: the meeting.
        invited: organisations invited this time.
        deputies_invited: organisations whose deputy was invited too this time.
        already_invited: organisations invited by an earlier ``/meeting open``.
        without_representative: organisations invited without a representative (the deputy was
            asked instead, if there is one).
        unreachable: organisations with neither a representative nor a deputy (nobody was asked).
        messages: invitations enqueued.
    """

    details: MeetingContext
    invited: tuple[Organisation, ...]
    deputies_invited: tuple[Organisation, ...]
    already_invited: int
    without_representative: tuple[Organisation, ...]
    unreachable: tuple[Organisation, ...]
    messages: int


@dataclass(frozen=True, slots=True)
class MeetingList:
    """``/meeting list``: upcoming (including cancelled ones) and past meetings."""

    council: Council
    upcoming: tuple[Meeting, ...]
    past: tuple[Meeting, ...]


@dataclass(frozen=True, slots=True)
class DashboardRow:
    """One organisation on the dashboard."""

    org: Organisation
    invitation: Invitation | None
    representative: Person | None
    deputy: Person | None
    has_status: bool
    unreachable: tuple[int, ...]
    """Users of this organisation whose DMs are closed or whose messages failed."""
    rep_recorded_by: str | None = None
    """The secretary who recorded the representative's current answer (``/meeting rsvp``), if one did."""
    deputy_recorded_by: str | None = None
    """The secretary who recorded the deputy's current answer, if one did."""

    @property
    def outcome(self) -> Outcome | None:
        """Where the organisation stands (``None`` before it is invited)."""
        return self.invitation.outcome if self.invitation else None


@dataclass(frozen=True, slots=True)
class Dashboard:
    """``/meeting dashboard``: organisation by organisation, who was asked and what they said."""

    details: MeetingContext
    rows: tuple[DashboardRow, ...]
    status_tracked: bool
    pending_messages: int

    def count(self, outcome: Outcome) -> int:
        """How many organisations stand at ``outcome``."""
        return sum(1 for row in self.rows if row.outcome is outcome)

    @property
    def statuses(self) -> int:
        """How many organisations have sent their status."""
        return sum(1 for row in self.rows if row.has_status)


@dataclass(frozen=True, slots=True)
class AttendanceResult:
    """What ``/meeting attendance`` recorded."""

    details: MeetingContext
    org: Organisation
    present: bool
    role: Outcome | None
    person: Person | None
    substitute: str | None = None


@dataclass(frozen=True, slots=True)
class GuestResult:
    """What ``/meeting guest add|remove`` did, and the guests now."""

    details: MeetingContext
    name: str
    affiliation: str | None
    added: bool
    guests: tuple[StoredGuest, ...]


@dataclass(frozen=True, slots=True)
class NextResult:
    """What ``/meeting next`` recorded: the proposal, and the meeting it created or updated."""

    details: MeetingContext
    proposal: NextMeeting
    next_meeting: Meeting
    created: bool
