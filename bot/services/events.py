"""Keeps each opened meeting's Discord scheduled event in step with the meeting.

``/meeting open`` starts tracking a meeting (in its transaction); the scheduler then calls
:meth:`ScheduledEventService.sync` once per pass and whenever a meeting changes. Each pass compares the
stored record with the meeting (:func:`~bot.domain.events.next_action`), takes the step through an
:class:`EventPort` (the Discord side, outside any transaction) and stores the result. So the event is
created once, moved by ``/meeting edit``, cancelled by ``/meeting cancel``, started at the start and
completed after the end; after a restart the sync resumes where it stopped. A bot without the
permission is not an error: the secretary channel is told once, and nothing else changes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import Protocol

from bot.domain.calendar import agenda_text
from bot.domain.events import (
    MAX_ATTEMPTS,
    EventAction,
    EventRecord,
    EventSpec,
    EventStatus,
    event_spec,
    next_action,
)
from bot.domain.meetings import Meeting
from bot.domain.notices import MeetingContext
from bot.domain.outbox import OutboxItem, OutgoingMessage, Purpose, TargetKind
from bot.domain.text import no_mentions
from bot.services.deps import Deps
from bot.services.lookup import meeting_context
from bot.services.outbox import OutboxService
from bot.storage.event_repo import EventRepo

log = logging.getLogger(__name__)


class EventSyncError(Exception):
    """Discord refused or failed a scheduled-event request (retried a few times)."""


class EventsForbiddenError(EventSyncError):
    """The bot lacks Manage Events / Create Events in the server (Discord 403, code 50013)."""


class EventGoneError(EventSyncError):
    """The event no longer exists (someone deleted it in Discord)."""


class EventPort(Protocol):
    """The Discord side of scheduled events (implemented with discord.py in ``bot.runtime.scheduled_events``)."""

    async def find(self, guild_id: int, spec: EventSpec) -> int | None:
        """An existing event of this bot with the same name and start, if any (adopted after a crash)."""
        ...

    async def create(self, guild_id: int, spec: EventSpec) -> int:
        """Create an external event; return its id."""
        ...

    async def edit(self, guild_id: int, event_id: int, spec: EventSpec) -> None:
        """Change an event's name, description, place and times."""
        ...

    async def set_status(self, guild_id: int, event_id: int, status: EventStatus) -> None:
        """Move an event to active, completed or cancelled."""
        ...


_STATUS_AFTER = {
    EventAction.START: EventStatus.ACTIVE,
    EventAction.COMPLETE: EventStatus.COMPLETED,
    EventAction.CANCEL: EventStatus.CANCELLED,
}


class ScheduledEventService:
    """Tracks and syncs meetings' scheduled events.

    Args:
        deps: the database, meetings and agendas, the roster (the council's language, zone and
            secretary channel) and the clock.
        repo: the sync records.
        outbox: for the one-time note to the secretary when the permission is missing.
        enabled: ``[meetings] scheduled_events``; when off nothing is tracked.
    """

    def __init__(self, deps: Deps, repo: EventRepo, outbox: OutboxService, *, enabled: bool = True) -> None:
        self.deps = deps
        self.repo = repo
        self.outbox = outbox
        self.enabled = enabled
        self._notify: Callable[[], None] = _nothing

    def set_notify(self, callback: Callable[[], None]) -> None:
        """Call ``callback`` when a meeting changed, so a sync runs soon (the scheduler's trigger)."""
        self._notify = callback

    def poke(self) -> None:
        """A meeting changed (called after its transaction committed)."""
        if self.enabled:
            self._notify()

    async def track(self, meeting: Meeting) -> None:
        """Start keeping an event for an opened meeting (inside the caller's transaction)."""
        if self.enabled:
            await self.repo.ensure(meeting.guild_id, meeting.id, self.deps.clock.now())

    async def record(self, guild_id: int, meeting_id: int) -> EventRecord | None:
        """A meeting's sync record (for tests and the dashboard)."""
        return await self.repo.get(guild_id, meeting_id)

    async def sync(self, port: EventPort) -> int:
        """Take every step that is due now; return how many requests went to Discord."""
        if not self.enabled:
            return 0
        now = self.deps.clock.now()
        steps = 0
        for record in await self.repo.candidates():
            # A meeting that ended while the bot was down needs two steps (start, complete).
            for _ in range(3):
                meeting = await self.deps.meetings.get(record.guild_id, record.meeting_id)
                action = next_action(meeting, record, now) if meeting is not None else None
                if meeting is None or action is None:
                    break
                steps += 1
                updated = await self._step(port, record, meeting, action, now)
                if updated is None:
                    break
                record = updated
        return steps

    async def _step(
        self, port: EventPort, record: EventRecord, meeting: Meeting, action: EventAction, now: datetime
    ) -> EventRecord | None:
        """One request; returns the new record, or ``None`` when this meeting should wait for the next pass."""
        ctx = await meeting_context(self.deps, meeting)
        spec = _spec(ctx)
        event_id = record.event_id
        try:
            if action is EventAction.CREATE:
                event_id = await port.find(meeting.guild_id, spec) or await port.create(meeting.guild_id, spec)
                status = EventStatus.SCHEDULED
            elif event_id is None:  # cannot happen: next_action only edits an existing event
                return None
            elif action is EventAction.EDIT:
                await port.edit(meeting.guild_id, event_id, spec)
                status = EventStatus.SCHEDULED
            else:
                status = _STATUS_AFTER[action]
                await port.set_status(meeting.guild_id, event_id, status)
        except EventsForbiddenError:
            log.info("no permission for scheduled events in guild %s", meeting.guild_id)
            async with self.deps.db.transaction():
                await self._stop(record, meeting.ics_sequence, EventStatus.DENIED, "forbidden", now)
                await self._tell_secretary(ctx)
            return None
        except EventGoneError:
            log.info("scheduled event of meeting %s in guild %s was deleted", meeting.id, meeting.guild_id)
            await self._stop(record, meeting.ics_sequence, EventStatus.CANCELLED, "gone", now)
            return None
        except EventSyncError as exc:
            attempts = record.attempts + 1
            failed = attempts >= MAX_ATTEMPTS
            log.warning("scheduled event step %s for meeting %s failed (%s)", action.value, meeting.id, exc)
            await self._stop(
                record,
                meeting.ics_sequence if failed else record.synced_sequence,
                EventStatus.FAILED if failed else record.status,
                str(exc)[:200],
                now,
                attempts=0 if failed else attempts,
            )
            return None
        async with self.deps.db.transaction():
            await self.repo.save(
                record, event_id=event_id, sequence=meeting.ics_sequence, status=status, attempts=0, error=None, now=now
            )
        return replace(record, event_id=event_id, synced_sequence=meeting.ics_sequence, status=status, attempts=0)

    async def _stop(
        self, record: EventRecord, sequence: int, status: EventStatus, error: str, now: datetime, *, attempts: int = 0
    ) -> None:
        """Store why a step did not go through (the event id stays as it was); the meeting waits for the next pass."""
        async with self.deps.db.transaction():
            await self.repo.save(
                record,
                event_id=record.event_id,
                sequence=sequence,
                status=status,
                attempts=attempts,
                error=error,
                now=now,
            )

    async def _tell_secretary(self, ctx: MeetingContext) -> None:
        """The one note to the secretary channel about the missing permission (once per server)."""
        council = ctx.council
        message = OutgoingMessage(ctx.t("alert_events_denied", number=ctx.meeting.number, title=ctx.title))
        item = OutboxItem(
            f"events_denied:{council.guild_id}",
            TargetKind.CHANNEL,
            council.secretary_channel_id,
            message,
            Purpose.ALERT,
            meeting_id=ctx.meeting.id,
        )
        await self.outbox.enqueue(council.guild_id, item)


def _spec(ctx: MeetingContext) -> EventSpec:
    """The event for a meeting: its title, place, times, and the agenda as the description."""
    location = no_mentions(ctx.meeting.place) if ctx.meeting.place else ctx.t("place_unknown")
    return event_spec(ctx.meeting, location=location, description=agenda_text(ctx.council, ctx.agenda, ctx.documents))


def _nothing() -> None:
    """The default notify: no scheduler attached (tests, offline commands)."""
