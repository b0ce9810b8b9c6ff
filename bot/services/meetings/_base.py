"""The meeting service's dependencies and the helpers its parts share."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import KW_ONLY, dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.config import DefaultsConfig, RemindersConfig
from bot.domain.attendance import Invitation
from bot.domain.dates import When, parse_deadline, parse_when
from bot.domain.invitations import invited_alongside, invited_user
from bot.domain.meetings import Meeting, check_deadline, check_editable, check_start, default_deadline, validate_title
from bot.domain.notices import MeetingContext, invitation
from bot.domain.outbox import OutboxItem, Purpose
from bot.domain.roster import Council, Organisation, Role
from bot.domain.status import prompt_recipients
from bot.i18n import reading_order, t
from bot.services.deps import Deps
from bot.services.events import ScheduledEventService
from bot.services.hooks import InvitationExtra, MeetingCreatedHook, MeetingOpenedHook, NoStatusLookup, StatusLookup
from bot.services.lookup import check_unpublished, find_meeting, resolve_meeting
from bot.services.outbox import OutboxService
from bot.services.reminders import ReminderService
from bot.storage.guest_repo import GuestRepo
from bot.storage.minutes_repo import MinutesRepo

log = logging.getLogger(__name__)


@dataclass(eq=False)
class MeetingBase:
    """What every part of the meeting service shares: its dependencies and the helpers below.

    Features plug in through the constructor: ``open_hooks`` run inside every ``/meeting open`` (the
    status feature starts reading back DM replies this way), ``create_hooks`` inside every ``/meeting
    create`` (the approval item is added this way) and ``invitation_extras`` add their paragraph to the
    invitations (open action items are mentioned this way).
    """

    deps: Deps
    outbox: OutboxService
    reminders: ReminderService
    _: KW_ONLY
    guests: GuestRepo
    minutes: MinutesRepo
    defaults: DefaultsConfig = field(default_factory=DefaultsConfig)
    reminder_config: RemindersConfig = field(default_factory=RemindersConfig)
    status: StatusLookup = field(default_factory=NoStatusLookup)
    open_hooks: Sequence[MeetingOpenedHook] = ()
    create_hooks: Sequence[MeetingCreatedHook] = ()
    invitation_extras: Sequence[InvitationExtra] = ()
    events: ScheduledEventService | None = None
    _calendars: dict[tuple[int, int], tuple[object, str, bytes]] = field(default_factory=dict, init=False, repr=False)

    async def get(self, guild_id: int, number: int | None = None, *, recent: bool = False) -> MeetingContext:
        """A meeting by number, or the default one (see :func:`~bot.services.lookup.resolve_meeting`)."""
        return await find_meeting(self.deps, guild_id, number, recent=recent)

    async def _default_for_record(self, guild_id: int, number: int | None, now: datetime) -> Meeting:
        """The meeting whose minutes are being written.

        The latest started one while its minutes are unpublished, else the next one (the secretary prepares it).
        """
        if number is None:
            started = await self.deps.meetings.latest_started(guild_id, now)
            if started is not None and await self.minutes.published_at(guild_id, started.id) is None:
                return started
        return await resolve_meeting(self.deps.meetings, guild_id, number, now)

    async def _meeting_for_record(self, guild_id: int, number: int | None, now: datetime) -> Meeting:
        """The meeting a record for the minutes is about: not cancelled, minutes not yet published."""
        meeting = await self._default_for_record(guild_id, number, now)
        check_editable(meeting)
        check_unpublished(meeting, await self.minutes.published_at(guild_id, meeting.id))
        return meeting

    # -- internals -------------------------------------------------------------------------------

    def _parse_when(self, text: str, council: Council, now: datetime) -> When:
        parsed = parse_when(
            text,
            now=now,
            tz=council.tz,
            languages=reading_order(council.language),
            default_duration=timedelta(hours=self.defaults.meeting_hours),
        )
        check_start(parsed, now)
        return parsed

    def _parse_deadline(self, name: str, text: str, council: Council, start: datetime, now: datetime) -> datetime:
        deadline = parse_deadline(text, now=now, tz=council.tz, languages=reading_order(council.language))
        check_deadline(name, deadline, start, now)
        return deadline

    def _deadline(
        self, name: str, text: str | None, council: Council, start: datetime, now: datetime, days: float
    ) -> datetime:
        if text is not None:
            return self._parse_deadline(name, text, council, start, now)
        return default_deadline(start, days, ZoneInfo(council.timezone), now)

    async def _invite(self, ctx: MeetingContext, org: Organisation, inv: Invitation, role: Role) -> int:
        item = invitation_item(ctx, org, inv, role)
        return 0 if item is None else await self.outbox.enqueue_many(ctx.meeting.guild_id, (item,))


def default_title(council: Council) -> str:
    return validate_title(t(council.language, "meetings.default_title", council=council.name))


def invitation_item(ctx: MeetingContext, org: Organisation, inv: Invitation, role: Role) -> OutboxItem | None:
    """The invitation DM owed to the one holding ``role`` in ``inv``; ``None`` when nobody holds it."""
    user_id = invited_user(inv, role)
    if user_id is None:
        return None
    alongside = invited_alongside(inv, role)
    asks_status = any(person == user_id for person, _role in prompt_recipients(inv))
    message = invitation(
        ctx, org, role, alongside=alongside, has_deputy=inv.deputy_id is not None, asks_status=asks_status
    )
    key = f"invite:{ctx.meeting.id}:{org.id}:{role.value}:{user_id}"
    return OutboxItem.dm(key, user_id, message, Purpose.INVITATION, meeting_id=ctx.meeting.id, org_id=org.id)
