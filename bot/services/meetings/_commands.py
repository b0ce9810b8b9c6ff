"""Creating, editing and cancelling meetings."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime
from typing import Final, Literal

from bot.domain.dates import format_when
from bot.domain.invitations import follow_deadline
from bot.domain.meetings import (
    AgendaItem,
    AgendaKind,
    Meeting,
    MeetingFields,
    MeetingState,
    check_editable,
    validate_place,
    validate_reason,
    validate_title,
)
from bot.domain.notices import (
    MeetingContext,
    any_other_business_title,
    cancel_notice,
    change_notice,
    status_round_title,
)
from bot.domain.outbox import Purpose
from bot.domain.roster import Council
from bot.errors import Conflict, InvalidInput
from bot.services.lookup import agenda_context, meeting_context, require_council, resolve_meeting
from bot.services.meetings._base import MeetingBase, default_title
from bot.services.meetings._results import ChangeResult

log = logging.getLogger(__name__)

Deadline = Literal["rsvp", "status"]
_AFTER_NEW_START: Final[dict[Deadline, str]] = {
    "rsvp": "meetings.rsvp_deadline_after_new_start",
    "status": "meetings.status_deadline_after_new_start",
}


class MeetingCommands(MeetingBase):
    """``/meeting create``, ``edit`` and ``cancel``."""

    async def create(self, guild_id: int, user_id: int, fields: MeetingFields) -> MeetingContext:
        """Create a meeting; its agenda starts with the status round and ends with any other business.

        Deadlines not given default to ``reminders.rsvp_deadline_days``/``status_deadline_days``
        before the start. Returns the meeting as understood, so the reply can echo the dates.
        """
        council = await require_council(self.deps.roster, guild_id)
        now = self.deps.clock.now()
        parsed = self._parse_when(fields.when or "", council, now)
        start = parsed.start
        days = self.reminder_config
        rsvp = self._deadline("rsvp", fields.rsvp_deadline, council, start, now, days.rsvp_deadline_days)
        status = self._deadline("status", fields.status_deadline, council, start, now, days.status_deadline_days)
        clean_title = validate_title(fields.title) if fields.title is not None else default_title(council)
        clean_place = validate_place(fields.place) if fields.place is not None else ""
        async with self.deps.db.transaction():
            meeting = await self.deps.meetings.insert(
                guild_id,
                title=clean_title,
                place=clean_place,
                start_at=start,
                end_at=parsed.end,
                rsvp_deadline=rsvp,
                status_deadline=status,
                created_by=user_id,
                now=now,
            )
            fixed = (
                (AgendaKind.STATUS_ROUND, status_round_title(council.language)),
                (AgendaKind.ANY_OTHER_BUSINESS, any_other_business_title(council.language)),
            )
            for position, (kind, item_title) in enumerate(fixed, start=1):
                await self.deps.meetings.insert_item(AgendaItem(0, guild_id, meeting.id, position, kind, item_title))
            for hook in self.create_hooks:
                await hook.meeting_created(guild_id, meeting)
            details = await agenda_context(self.deps, council, meeting)
        log.info("meeting %s created in guild %s", meeting.number, guild_id)
        return details

    async def edit(self, guild_id: int, fields: MeetingFields, *, number: int | None = None) -> ChangeResult:
        """Change a meeting. Invitees of an opened meeting are told when its time or place changes.

        Refused, changing nothing, when the new time is in the past or a deadline would fall after the
        (new) start or in the past.
        """
        if fields.is_empty:
            raise InvalidInput("meetings.nothing_to_change")
        council = await require_council(self.deps.roster, guild_id)
        now = self.deps.clock.now()
        async with self.deps.db.transaction():
            meeting = await resolve_meeting(self.deps.meetings, guild_id, number, now)
            check_editable(meeting)
            updated = meeting
            if fields.when is not None:
                parsed = self._parse_when(fields.when, council, now)
                updated = replace(updated, start_at=parsed.start, end_at=parsed.end)
            if fields.title is not None:
                updated = replace(updated, title=validate_title(fields.title))
            if fields.place is not None:
                updated = replace(updated, place=validate_place(fields.place))
            updated = replace(
                updated,
                rsvp_deadline=self._edited_deadline("rsvp", fields.rsvp_deadline, meeting, updated, council, now),
                status_deadline=self._edited_deadline("status", fields.status_deadline, meeting, updated, council, now),
            )
            changed = frozenset(
                name
                for name, before, after in (
                    ("when", meeting.when, updated.when),
                    ("place", meeting.place, updated.place),
                    ("title", meeting.title, updated.title),
                    ("rsvp_deadline", meeting.rsvp_deadline, updated.rsvp_deadline),
                    ("status_deadline", meeting.status_deadline, updated.status_deadline),
                )
                if before != after
            )
            # Corrections after the meeting (for the minutes) are not news to the invitees.
            tell = meeting.is_open and not meeting.has_ended(now) and bool(changed & {"when", "place"})
            if tell:
                updated = replace(updated, revision=meeting.revision + 1)
            if changed & {"when", "place", "title"}:
                # The calendar file and the scheduled event follow every visible change.
                updated = replace(updated, ics_sequence=meeting.ics_sequence + 1)
            await self.deps.meetings.update(updated)
            ctx = await meeting_context(self.deps, updated)
            if meeting.is_open and changed & {"rsvp_deadline", "status_deadline", "when"}:
                await self.reminders.schedule(updated)
            notified = 0
            if tell:
                old_when = format_when(meeting.when, council.tz, council.language) if "when" in changed else None
                old_place = meeting.place if "place" in changed else None
                notified = await self.outbox.dm_invitees(
                    updated,
                    Purpose.CHANGE,
                    lambda org: change_notice(ctx, org, old_when=old_when, old_place=old_place),
                    lambda org, user_id: f"change:{updated.id}:{updated.revision}:{org.id}:{user_id}",
                )
        if self.events is not None:
            self.events.poke()
        return ChangeResult(ctx, notified, changed)

    def _edited_deadline(
        self, name: Deadline, text: str | None, meeting: Meeting, updated: Meeting, council: Council, now: datetime
    ) -> datetime:
        """The deadline as given, else the old one moved with the meeting (refused if after the start)."""
        if text is not None:
            return self._parse_deadline(name, text, council, updated.start_at, now)
        old = meeting.rsvp_deadline if name == "rsvp" else meeting.status_deadline
        moved = updated.start_at != meeting.start_at
        deadline = follow_deadline(old, meeting.start_at, updated.start_at, council.tz, now, moved=moved)
        if deadline >= updated.start_at:
            raise InvalidInput(_AFTER_NEW_START[name])
        return deadline

    async def cancel(self, guild_id: int, number: int | None = None, reason: str | None = None) -> ChangeResult:
        """Cancel a meeting; everyone who was invited is told (with the reason, if given)."""
        await require_council(self.deps.roster, guild_id)
        clean_reason = validate_reason(reason)
        now = self.deps.clock.now()
        async with self.deps.db.transaction():
            meeting = await resolve_meeting(self.deps.meetings, guild_id, number, now)
            check_editable(meeting)
            if meeting.has_ended(now):
                raise Conflict("meetings.already_over", number=meeting.number)
            updated = replace(
                meeting,
                state=MeetingState.CANCELLED,
                cancelled_at=now,
                cancel_reason=clean_reason,
                ics_sequence=meeting.ics_sequence + 1,
            )
            await self.deps.meetings.update(updated)
            await self.reminders.cancel(updated)
            ctx = await meeting_context(self.deps, updated)
            notified = 0
            if meeting.is_open:
                message = cancel_notice(ctx)
                notified = await self.outbox.dm_invitees(
                    updated,
                    Purpose.CANCELLATION,
                    lambda _org: message,
                    lambda org, user_id: f"cancel:{updated.id}:{org.id}:{user_id}",
                )
        log.info("meeting %s cancelled in guild %s", meeting.number, guild_id)
        if self.events is not None:
            self.events.poke()
        return ChangeResult(ctx, notified)
