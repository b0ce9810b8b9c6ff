"""Reminders before the deadlines and the start, and the RSVP deadline's deputy call-ups.

The reminder on the day goes ``reminders.day_of_hours`` before the start to everyone expected to attend.

Reminder times are stored when a meeting is opened or its deadlines change; the scheduler calls
:meth:`ReminderService.run_due` every minute (and once at start, to catch up after downtime). A
reminder is marked processed in the same transaction that enqueues its messages, each with a dedupe
key, so it is sent once and never twice. After downtime only the latest due reminder of a deadline is
sent, and none once the deadline has passed.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from bot.config import RemindersConfig
from bot.domain.attendance import Answer, Invitation, Outcome
from bot.domain.clock import Clock
from bot.domain.meetings import Meeting
from bot.domain.notices import day_reminder, rsvp_reminder, status_reminder
from bot.domain.outbox import OutboxItem, Purpose
from bot.domain.reminders import DEADLINE_OFFSET, Reminder, ReminderKind, latest_per_meeting_and_kind, schedule
from bot.services.hooks import NoStatusLookup, StatusLookup
from bot.services.lookup import meeting_context
from bot.services.outbox import OutboxService
from bot.services.rsvp import RsvpService
from bot.storage.db import Database, utc_iso
from bot.storage.invitation_repo import InvitationRepo
from bot.storage.meeting_repo import MeetingRepo
from bot.storage.reminder_repo import ReminderRepo
from bot.storage.roster_repo import RosterRepo

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class RunReport:
    """What one scheduler pass did."""

    processed: int = 0
    messages: int = 0
    deadlines: int = 0
    skipped: int = 0


@dataclass(frozen=True, slots=True)
class RemindResult:
    """What ``/meeting remind`` sent."""

    meeting: Meeting
    rsvp: int
    status: int
    deputies_called: int


class ReminderService:
    """Stores reminder times and processes them when due."""

    def __init__(
        self,
        db: Database,
        meetings: MeetingRepo,
        invitations: InvitationRepo,
        reminders: ReminderRepo,
        roster: RosterRepo,
        rsvp: RsvpService,
        outbox: OutboxService,
        clock: Clock,
        config: RemindersConfig | None = None,
        status: StatusLookup | None = None,
    ) -> None:
        self.db = db
        self.meetings = meetings
        self.invitations = invitations
        self.reminders = reminders
        self.roster = roster
        self.rsvp = rsvp
        self.outbox = outbox
        self.clock = clock
        self.config = config or RemindersConfig()
        self.status: StatusLookup = status or NoStatusLookup()

    async def schedule(self, meeting: Meeting) -> None:
        """(Re)compute a meeting's reminder times from its deadlines (inside the caller's transaction).

        Reminders already processed stay processed, so moving a deadline never repeats one; times
        already past are left out.
        """
        now = self.clock.now()
        # A reminder whose time has already passed when it is scheduled (a meeting called at short
        # notice) is not "missed": it would only arrive on the heels of the invitation.
        rsvp = [(DEADLINE_OFFSET, meeting.rsvp_deadline)]
        rsvp += [(o, due) for o, due in schedule(meeting.rsvp_deadline, self.config.rsvp_offsets_hours) if due > now]
        status = [
            (o, due) for o, due in schedule(meeting.status_deadline, self.config.status_offsets_hours) if due > now
        ]
        day = [(o, due) for o, due in schedule(meeting.start_at, (self.config.day_of_hours,)) if due > now]
        async with self.db.transaction():
            await self.reminders.replace_pending(meeting.guild_id, meeting.id, ReminderKind.RSVP, rsvp)
            await self.reminders.replace_pending(meeting.guild_id, meeting.id, ReminderKind.STATUS, status)
            await self.reminders.replace_pending(meeting.guild_id, meeting.id, ReminderKind.DAY, day)

    async def cancel(self, meeting: Meeting) -> None:
        """Retire a cancelled meeting's reminders and drop reminders not yet sent."""
        async with self.db.transaction():
            await self.reminders.drop_pending(meeting.guild_id, meeting.id, self.clock.now())
            await self.outbox.drop_pending(meeting.guild_id, meeting.id, (Purpose.REMINDER,))

    async def for_meeting(self, guild_id: int, meeting_id: int) -> list[Reminder]:
        """A meeting's stored reminders."""
        return await self.reminders.for_meeting(guild_id, meeting_id)

    async def run_due(self, now: datetime) -> RunReport:
        """Process every reminder due by ``now``: each in its own transaction, marked as it is sent.

        Args:
            now: the scheduler's ``clock.now()``.
        """
        moment = now
        due = await self.reminders.due(moment)
        send, skip = latest_per_meeting_and_kind(due)
        processed = messages = deadlines = skipped = 0
        for reminder in skip:
            async with self.db.transaction():
                if await self.reminders.mark_processed(reminder.guild_id, reminder.id, moment):
                    skipped += 1
        for reminder in send:
            try:
                async with self.db.transaction():
                    if not await self.reminders.mark_processed(reminder.guild_id, reminder.id, moment):
                        continue
                    processed += 1
                    meeting = await self.meetings.get(reminder.guild_id, reminder.meeting_id)
                    if meeting is None or not meeting.is_open or meeting.has_started(moment):
                        continue
                    if reminder.is_deadline:
                        deadlines += await self.rsvp.deadline_passed(meeting)
                    elif moment < _deadline(meeting, reminder.kind):
                        messages += await self._remind(meeting, reminder.kind, f"auto:{reminder.id}")
                    else:
                        skipped += 1
            except Exception:  # one bad meeting must not stop the others; the row stays unprocessed
                log.exception("reminder %s of guild %s failed", reminder.id, reminder.guild_id)
        if processed or skipped:
            log.info(
                "reminders: %d processed, %d skipped, %d messages, %d call-ups", processed, skipped, messages, deadlines
            )
        return RunReport(processed, messages, deadlines, skipped)

    async def remind_now(self, meeting: Meeting) -> RemindResult:
        """``/meeting remind``: remind everyone outstanding now (once per minute at most).

        Before the start, silent representatives and deputies are reminded to answer; until the meeting
        ends, organisations without a status are reminded to send it. A passed RSVP deadline is applied
        first, so a deputy assigned since then is called up.
        """
        now = self.clock.now()
        tag = f"manual:{utc_iso(now)[:16]}"
        rsvp = status = called = 0
        async with self.db.transaction():
            if meeting.is_open and not meeting.has_started(now):
                if now >= meeting.rsvp_deadline:
                    called = await self.rsvp.deadline_passed(meeting)
                rsvp = await self._remind(meeting, ReminderKind.RSVP, tag)
            if meeting.is_open and not meeting.has_ended(now):
                status = await self._remind(meeting, ReminderKind.STATUS, tag)
        return RemindResult(meeting, rsvp, status, called)

    # -- internals -------------------------------------------------------------------------------

    async def _remind(self, meeting: Meeting, kind: ReminderKind, tag: str) -> int:
        """Enqueue one reminder per outstanding person; return how many were new."""
        ctx = await meeting_context(self.roster, self.meetings, meeting)
        invitations = await self.invitations.for_meeting(meeting.guild_id, meeting.id)
        orgs = {org.id: org for org in await self.roster.list_orgs(meeting.guild_id, include_retired=True)}
        if kind is ReminderKind.RSVP:
            targets = [(inv, user, answer) for inv in invitations for user, answer in _rsvp_outstanding(inv)]
        elif kind is ReminderKind.DAY:
            targets = [(inv, user, None) for inv in invitations for user in inv.expected_attendees()]
        else:
            done = await self.status.orgs_with_status(meeting.guild_id, meeting.id)
            targets = [
                (inv, user, None)
                for inv in invitations
                if inv.org_id not in done and (user := _status_recipient(inv)) is not None
            ]
        late = self.clock.now() >= meeting.rsvp_deadline
        count = 0
        for invitation, user_id, answer in targets:
            org = orgs.get(invitation.org_id)
            if org is None or org.retired_at is not None:
                continue
            if kind is ReminderKind.RSVP:
                message = rsvp_reminder(ctx, org, answer, late=late)
            elif kind is ReminderKind.DAY:
                message = day_reminder(ctx, org)
            else:
                message = status_reminder(ctx, org)
            item = OutboxItem.dm(
                f"remind:{kind.value}:{meeting.id}:{org.id}:{user_id}:{tag}",
                user_id,
                message,
                Purpose.REMINDER,
                meeting_id=meeting.id,
                org_id=org.id,
            )
            if await self.outbox.enqueue(meeting.guild_id, item) is not None:
                count += 1
        return count


def _deadline(meeting: Meeting, kind: ReminderKind) -> datetime:
    if kind is ReminderKind.DAY:
        return meeting.start_at
    return meeting.rsvp_deadline if kind is ReminderKind.RSVP else meeting.status_deadline


def _rsvp_outstanding(invitation: Invitation) -> list[tuple[int, Answer | None]]:
    """Who still owes an RSVP answer: silent or unsure representatives and asked deputies."""
    state = invitation.state
    people: list[tuple[int, Answer | None]] = []
    deputy_attends = invitation.outcome is Outcome.DEPUTY
    if invitation.representative_id is not None and state.representative in (None, Answer.MAYBE) and not deputy_attends:
        people.append((invitation.representative_id, state.representative))
    if (
        invitation.deputy_id is not None
        and state.deputy_asked
        and state.deputy in (None, Answer.MAYBE)
        and invitation.outcome is not Outcome.ABSENT
    ):
        people.append((invitation.deputy_id, state.deputy))
    return people


def _status_recipient(invitation: Invitation) -> int | None:
    """Who writes the organisation's status: the deputy if the deputy attends instead, else the representative."""
    if invitation.outcome is Outcome.DEPUTY and invitation.deputy_id is not None:
        return invitation.deputy_id
    return invitation.representative_id if invitation.representative_id is not None else invitation.deputy_id
