"""What the parts of the status service share: dependencies, which meeting, who writes."""

from __future__ import annotations

import logging
from dataclasses import KW_ONLY, dataclass, field
from datetime import datetime

from bot.config import LimitsConfig
from bot.domain.attendance import Invitation
from bot.domain.meetings import Meeting
from bot.domain.roster import Organisation, Role
from bot.domain.status import Author, is_collecting, writer_role
from bot.errors import Conflict, NotAllowed, NotFound
from bot.services.deps import Deps
from bot.services.membership import MembershipService
from bot.services.outbox import OutboxService
from bot.storage.minutes_repo import MinutesRepo
from bot.storage.status_repo import StatusRepo

log = logging.getLogger(__name__)


@dataclass(eq=False)
class StatusBase:
    """Status updates of a council's organisations. Takes plain ids and strings; never a Discord object.

    Args:
        deps: the database, meetings, invitations (who was invited for each organisation, and whether
            the deputy attends), the roster and the clock.
        repo: status versions, drafts and DM cursors.
        outbox: where replies to members' DMs are enqueued.
        limits: ``status_max_chars``.
        minutes: whether a meeting's minutes are published (a published meeting takes no more statuses).
        membership: refuses seat holders who left the server (everyone is a member without it).
    """

    deps: Deps
    repo: StatusRepo
    outbox: OutboxService
    limits: LimitsConfig = field(default_factory=LimitsConfig)
    _: KW_ONLY
    minutes: MinutesRepo
    membership: MembershipService | None = None

    @property
    def limit(self) -> int:
        """How long a status may be (``limits.status_max_chars``)."""
        return self.limits.status_max_chars

    async def _require_member(self, guild_id: int, user_id: int) -> None:
        """Buttons, forms and DMs work from anywhere: someone who left the server may not act here."""
        if self.membership is not None:
            await self.membership.require_member(guild_id, user_id)

    # -- which meeting ---------------------------------------------------------------------------

    async def collecting_meetings(self, guild_id: int, now: datetime | None = None) -> list[Meeting]:
        """Meetings collecting statuses: opened, not cancelled, unpublished, starting today or later."""
        council = await self.deps.roster.get_council(guild_id)
        if council is None:
            return []
        moment = now or self.deps.clock.now()
        return [
            meeting
            for meeting in await self.deps.meetings.list_all(guild_id)
            if meeting.is_open
            and is_collecting(meeting, await self.minutes.published_at(guild_id, meeting.id), moment, council.tz)
        ]

    async def _meeting_for_writing(self, guild_id: int, number: int | None, now: datetime) -> Meeting:
        """The meeting a status command means.

        The one given, else the first collecting one, else the latest opened meeting whose minutes are
        not yet published (news can come in after the day).
        """
        if number is not None:
            meeting = await self.deps.meetings.get_by_number(guild_id, number)
            if meeting is None:
                raise NotFound("status.meeting_not_found", number=number)
            return meeting
        collecting = await self.collecting_meetings(guild_id, now)
        if collecting:
            return collecting[0]
        for meeting in reversed(await self.deps.meetings.list_all(guild_id)):
            if meeting.is_open and await self.minutes.published_at(guild_id, meeting.id) is None:
                return meeting
        raise NotFound("status.no_meeting")

    async def _check_editable(self, meeting: Meeting) -> None:
        if meeting.is_cancelled:
            raise Conflict("status.meeting_cancelled", number=meeting.number)
        if await self.minutes.published_at(meeting.guild_id, meeting.id) is not None:
            raise Conflict("status.published", number=meeting.number)

    # -- who writes ------------------------------------------------------------------------------

    async def _member_orgs(self, guild_id: int, meeting_id: int, user_id: int) -> list[Organisation]:
        """Active organisations the member holds a seat in now or was invited for."""
        ids = {seat.org_id for seat in await self.deps.roster.seats_of_user(guild_id, user_id)}
        ids |= {inv.org_id for inv in await self.deps.invitations.for_user(guild_id, meeting_id, user_id)}
        orgs = [await self.deps.roster.get_org(guild_id, org_id) for org_id in ids]
        return sorted(
            (org for org in orgs if org is not None and org.retired_at is None), key=lambda o: (o.position, o.id)
        )

    async def _role_for(
        self, guild_id: int, meeting_id: int, org_id: int, user_id: int
    ) -> tuple[Author | None, Invitation | None, Role | None]:
        invitation = await self.deps.invitations.for_org(guild_id, meeting_id, org_id)
        seat = next(
            (s.role for s in await self.deps.roster.seats_of_user(guild_id, user_id) if s.org_id == org_id),
            None,
        )
        return writer_role(user_id, invitation, seat), invitation, seat

    async def _require_role(self, guild_id: int, meeting: Meeting, org: Organisation, user_id: int) -> Author:
        role, invitation, seat = await self._role_for(guild_id, meeting.id, org.id, user_id)
        if role is not None:
            return role
        if seat is Role.DEPUTY or (invitation is not None and invitation.deputy_id == user_id):
            raise NotAllowed("status.deputy_not_attending", org=org.short)
        raise NotAllowed("status.not_for_org", org=org.short)

    async def _writable(
        self, guild_id: int, meeting_id: int, org_id: int, user_id: int
    ) -> tuple[Meeting, Organisation, Author]:
        """The meeting and organisation a status is written for, and the writer's role; refused when not allowed."""
        meeting = await self.deps.meetings.get(guild_id, meeting_id)
        if meeting is None:
            raise NotFound("status.meeting_gone")
        await self._check_editable(meeting)
        org = await self._org(guild_id, org_id)
        return meeting, org, await self._require_role(guild_id, meeting, org, user_id)

    async def _org(self, guild_id: int, org_id: int) -> Organisation:
        org = await self.deps.roster.get_org(guild_id, org_id)
        if org is None or org.retired_at is not None:
            raise NotFound("status.org_gone")
        return org
