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
from dataclasses import dataclass, field
from datetime import datetime

from bot.config import RemindersConfig
from bot.domain.attendance import Answer, Invitation, Outcome
from bot.domain.meetings import Meeting
from bot.domain.notices import day_reminder
from bot.domain.notices import reminder as reminder_message
from bot.domain.outbox import Purpose
from bot.domain.reminders import DEADLINE_OFFSET, Reminder, ReminderKind, latest_per_meeting_and_kind, schedule
from bot.services.deps import Deps
from bot.services.hooks import NoStatusLookup, StatusLookup
from bot.services.lookup import meeting_context
from bot.services.outbox import OutboxService
from bot.services.rsvp import RsvpService
from bot.storage.db import utc_iso
from bot.storage.reminder_repo import ReminderRepo

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


@dataclass(eq=False)
class ReminderService:
    """Stores reminder times and processes them when due."""

    deps: Deps
    reminders: ReminderRepo
    rsvp: RsvpService
    outbox: OutboxService
    config: RemindersConfig = field(default_factory=RemindersConfig)
    status: StatusLookup = field(default_factory=NoStatusLookup)

    async def schedule(self, meeting: Meeting) -> None:
        """(Re)compute a meeting's reminder times from its deadlines (inside the caller's transaction).

        Reminders already processed stay processed, so moving a deadline never repeats one; times
        already past are left out.
        """
        now = self.deps.clock.now()
        # A reminder whose time has already passed when it is scheduled (a meeting called at short
        # notice) is not "missed": it would only arrive on the heels of the invitation.
        rsvp = [(DEADLINE_OFFSET, meeting.rsvp_deadline)]
        rsvp += [(o, due) for o, due in schedule(meeting.rsvp_deadline, self.config.rsvp_offsets_hours) if due > now]
        status = [
            (o, due) for o, due in schedule(meeting.status_deadline, self.config.status_offsets_hours) if due > now
        ]
        day = [(o, due) for o, due in schedule(meeting.start_at, (self.config.day_of_hours,)) if due > now]
        async with self.deps.db.transaction():
            await self.reminders.replace_pending(meeting.guild_id, meeting.id, ReminderKind.RSVP, rsvp)
            await self.reminders.replace_pending(meeting.guild_id, meeting.id, ReminderKind.STATUS, status)
            await self.reminders.replace_pending(meeting.guild_id, meeting.id, ReminderKind.DAY, day)

    async def cancel(self, meeting: Meeting) -> None:
        """Retire a cancelled meeting's reminders and drop reminders not yet sent."""
        async with self.deps.db.transaction():
            await self.reminders.drop_pending(meeting.guild_id, meeting.id, self.deps.clock.now())
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
            async with self.deps.db.transaction():
                if await self.reminders.mark_processed(reminder.guild_id, reminder.id, moment):
                    skipped += 1
        for group in _rounds(send):
            first = group[0]
            try:
                async with self.deps.db.transaction():
                    marked = [r for r in group if await self.reminders.mark_processed(r.guild_id, r.id, moment)]
                    if not marked:
                        continue
                    processed += len(marked)
                    meeting = await self.deps.meetings.get(first.guild_id, first.meeting_id)
                    if meeting is None or not meeting.is_open or meeting.has_started(moment):
                        continue
                    if first.is_deadline:
                        deadlines += await self.rsvp.deadline_passed(meeting)
                        continue
                    kinds = frozenset(r.kind for r in marked if moment < _deadline(meeting, r.kind))
                    skipped += len({r.kind for r in marked} - kinds)
                    if kinds:
                        tag = "auto:" + "+".join(str(r.id) for r in marked if r.kind in kinds)
                        messages += (await self._remind(meeting, kinds, tag)).messages
            except Exception:  # one bad meeting must not stop the others; the rows stay unprocessed
                log.exception("reminders %s of guild %s failed", [r.id for r in group], first.guild_id)
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
        now = self.deps.clock.now()
        tag = f"manual:{utc_iso(now)[:16]}"
        called = 0
        kinds: set[ReminderKind] = set()
        sent = _Sent()
        async with self.deps.db.transaction():
            if meeting.is_open and not meeting.has_started(now):
                if now >= meeting.rsvp_deadline:
                    called = await self.rsvp.deadline_passed(meeting)
                kinds.add(ReminderKind.RSVP)
            if meeting.is_open and not meeting.has_ended(now):
                kinds.add(ReminderKind.STATUS)
            if kinds:
                sent = await self._remind(meeting, frozenset(kinds), tag)
        return RemindResult(meeting, sent.rsvp, sent.status, called)

    # -- internals -------------------------------------------------------------------------------

    async def _remind(self, meeting: Meeting, kinds: frozenset[ReminderKind], tag: str) -> _Sent:
        """Enqueue one reminder per outstanding person and organisation, covering every kind they owe.

        A person who owes both the RSVP answer and the status gets one message with both (and both
        sets of buttons), not two.
        """
        ctx = await meeting_context(self.deps, meeting)
        invitations = await self.deps.invitations.for_meeting(meeting.guild_id, meeting.id)
        orgs = {org.id: org for org in await self.deps.roster.list_orgs(meeting.guild_id, include_retired=True)}
        owed: dict[tuple[int, int], _Owed] = {}
        if ReminderKind.DAY in kinds:  # a round of its own (see _rounds): everyone expected to attend
            for inv in invitations:
                for user in inv.expected_attendees():
                    owed.setdefault((inv.org_id, user), _Owed()).day = True
        if ReminderKind.RSVP in kinds:
            for inv in invitations:
                for user, answer in _rsvp_outstanding(inv):
                    owed[(inv.org_id, user)] = _Owed(rsvp=True, answer=answer)
        if ReminderKind.STATUS in kinds:
            done = await self.status.orgs_with_status(meeting.guild_id, meeting.id)
            for inv in invitations:
                writer = _status_recipient(inv)
                if inv.org_id not in done and writer is not None:
                    owed.setdefault((inv.org_id, writer), _Owed()).status = True
        late = self.deps.clock.now() >= meeting.rsvp_deadline
        sent = _Sent()
        for (org_id, user_id), what in owed.items():
            org = orgs.get(org_id)
            if org is None or org.retired_at is not None:
                continue
            if what.day:
                message = day_reminder(ctx, org)
            else:
                message = reminder_message(ctx, org, rsvp=what.rsvp, current=what.answer, status=what.status, late=late)
            key = f"remind:{what.kind}:{meeting.id}:{org.id}:{user_id}:{tag}"
            if await self.outbox.dm_about(meeting, org.id, key, user_id, message, Purpose.REMINDER):
                sent.messages += 1
                sent.rsvp += what.rsvp
                sent.status += what.status
        return sent


@dataclass(slots=True)
class _Owed:
    """What one person still owes for one organisation in a reminder round."""

    rsvp: bool = False
    answer: Answer | None = None
    status: bool = False
    day: bool = False

    @property
    def kind(self) -> str:
        """The dedupe key's kind: ``day``, ``rsvp``, ``status`` or ``rsvp+status``."""
        if self.day:
            return "day"
        return "+".join(k for k, owes in (("rsvp", self.rsvp), ("status", self.status)) if owes)


@dataclass(slots=True)
class _Sent:
    """How many reminders a round enqueued, and how many of them ask for the answer and the status."""

    messages: int = 0
    rsvp: int = 0
    status: int = 0


def _rounds(send: list[Reminder]) -> list[list[Reminder]]:
    """Group the reminders to send into rounds.

    The RSVP and status reminders of one meeting due in the same pass go out as one round (one
    message per person); a deadline row, and the reminder on the day, are rounds of their own.
    """
    rounds: list[list[Reminder]] = []
    by_meeting: dict[tuple[int, int], list[Reminder]] = {}
    for reminder in send:
        if reminder.is_deadline or reminder.kind is ReminderKind.DAY:
            rounds.append([reminder])
            continue
        key = (reminder.guild_id, reminder.meeting_id)
        if key not in by_meeting:
            by_meeting[key] = []
            rounds.append(by_meeting[key])
        by_meeting[key].append(reminder)
    return rounds


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
