"""Approval of published minutes at a later meeting, and circulation of the draft for comments.

While the previous published minutes are unapproved, a new meeting's agenda starts with "Godkjenning
av referat fra forrige møte" (added when the meeting is created, or when the minutes are published
if the next meeting already exists). ``/minutes approve`` records the approval; the minutes channel is
told and the published documents show "Godkjent <date>" from then on.

``/minutes circulate`` sends the current draft to every representative and deputy with a persistent
comment button; comments reach the secretary channel until the deadline.
"""

from __future__ import annotations

import logging
from dataclasses import KW_ONLY, dataclass, field
from datetime import datetime, timedelta

from bot.config import RemindersConfig
from bot.domain.dates import format_date, format_datetime, parse_deadline
from bot.domain.meetings import Meeting
from bot.domain.memory import Circulation, comment_custom_id, validate_comment
from bot.domain.outbox import ButtonSpec, ButtonStyle, OutboxItem, OutgoingMessage, Purpose, TargetKind
from bot.domain.roster import Council, Organisation, Person
from bot.domain.text import md_escape, no_mentions
from bot.errors import Conflict, NotAllowed, NotFound
from bot.i18n import reading_order, t
from bot.services.deps import Deps
from bot.services.lookup import check_unpublished, require_council, resolve_meeting
from bot.services.membership import MembershipService
from bot.services.minutes import MinutesArchive, refs
from bot.services.outbox import OutboxService
from bot.storage.memory_repo import MemoryRepo

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ApproveResult:
    """What ``/minutes approve`` recorded."""

    council: Council
    meeting: Meeting
    approved_at: datetime
    at_meeting: Meeting | None


@dataclass(frozen=True, slots=True)
class CirculateResult:
    """What ``/minutes circulate`` sent."""

    council: Council
    meeting: Meeting
    circulation: Circulation
    version: int
    recipients: int


@dataclass(frozen=True, slots=True)
class CommentTarget:
    """Who is commenting, for which organisation, on which circulated draft."""

    council: Council
    meeting: Meeting
    circulation: Circulation
    org: Organisation | None


@dataclass(eq=False)
class ApprovalService:
    """Approval and circulation of the minutes."""

    deps: Deps
    repo: MemoryRepo
    minutes: MinutesArchive
    outbox: OutboxService
    config: RemindersConfig = field(default_factory=RemindersConfig)
    _: KW_ONLY
    membership: MembershipService | None = None

    # -- the approval item -----------------------------------------------------------------------

    async def meeting_created(self, guild_id: int, meeting: Meeting) -> None:
        """A new meeting's agenda starts with the approval item while earlier minutes are unapproved."""
        unapproved = await self.repo.latest_unapproved(guild_id, meeting.start_at)
        if unapproved is None or await self.repo.meeting_approving(guild_id, unapproved) is not None:
            return
        await self._add_item(guild_id, meeting.id, unapproved)

    async def minutes_published(self, council: Council, meeting: Meeting) -> None:
        """A next meeting created before publication gets the approval item now."""
        if await self.repo.meeting_approving(council.guild_id, meeting.id) is not None:
            return
        later = await self.repo.later_meetings_without_approval_item(
            council.guild_id, meeting.start_at, self.deps.clock.now()
        )
        if later:
            await self._add_item(council.guild_id, later[0], meeting.id)

    async def _add_item(self, guild_id: int, meeting_id: int, approves: int) -> None:
        council = await require_council(self.deps.roster, guild_id)
        await self.repo.add_approval_item(guild_id, meeting_id, t(council.language, "memory.approval_item"), approves)

    # -- approval --------------------------------------------------------------------------------

    async def approve(self, guild_id: int, by: Person, number: int | None = None) -> ApproveResult:
        """Record the approval of published minutes (default: the latest unapproved ones)."""
        council = await require_council(self.deps.roster, guild_id)
        now = self.deps.clock.now()
        async with self.deps.db.transaction():
            await self.deps.roster.remember_person(guild_id, by, now)
            if number is None:
                found = await self.repo.latest_unapproved(guild_id, now)
                if found is None:
                    raise NotFound("memory.nothing_to_approve")
                meeting = await self.deps.meetings.get(guild_id, found)
                assert meeting is not None  # noqa: S101 - the id was just read
            else:
                meeting = await resolve_meeting(self.deps.meetings, guild_id, number, now)
            if await self.minutes.repo.published_at(guild_id, meeting.id) is None:
                raise Conflict("minutes.not_published", number=meeting.number)
            at_id = await self.repo.meeting_approving(guild_id, meeting.id)
            at_meeting = await self.deps.meetings.get(guild_id, at_id) if at_id is not None else None
            if not await self.repo.set_approved(guild_id, meeting.id, at_id, by.user_id, now):
                raise Conflict("memory.already_approved", number=meeting.number)
            stored = await self.minutes.store_published(council, meeting, by.user_id)
            date = format_date(meeting.start_at, council.tz, council.language)
            text = t(
                council.language,
                "memory.approved_post",
                number=meeting.number,
                date=date,
                approved=format_date(now, council.tz, council.language),
            )
            await self.outbox.enqueue(
                guild_id,
                OutboxItem(
                    f"minutes:{meeting.id}:approved:channel",
                    TargetKind.CHANNEL,
                    council.minutes_channel_id,
                    OutgoingMessage(text, attachments=refs(stored)),
                    Purpose.OTHER,
                    meeting.id,
                ),
            )
        return ApproveResult(council, meeting, now, at_meeting)

    # -- circulation -----------------------------------------------------------------------------

    async def circulate(
        self, guild_id: int, by: Person, deadline: str | None = None, number: int | None = None
    ) -> CirculateResult:
        """Send the current draft to every representative and deputy with a button to comment."""
        council = await require_council(self.deps.roster, guild_id)
        now = self.deps.clock.now()
        if deadline is not None:
            until = parse_deadline(deadline, now=now, tz=council.tz, languages=reading_order(council.language))
        else:
            until = now + timedelta(days=self.config.circulation_days)
        meeting, published = await self.minutes.meeting_for_minutes(guild_id, number)
        check_unpublished(meeting, published)
        async with self.deps.db.transaction():
            await self.deps.roster.remember_person(guild_id, by, now)
        # Read and render with no transaction open (a worker thread); then one write transaction.
        version, rendered = await self.minutes.render_next_draft(council, meeting, by.user_id)
        async with self.deps.db.transaction():
            check_unpublished(meeting, await self.minutes.repo.published_at(guild_id, meeting.id))
            stored = await self.minutes.store_rendered_draft(council, meeting, version, rendered, by.user_id)
            circulation = await self.repo.add_circulation(guild_id, meeting.id, stored.id, until, by.user_id, now)
            header = t(
                council.language,
                "memory.circulated_dm",
                council=no_mentions(council.name),
                number=meeting.number,
                deadline=format_datetime(until, council.tz, council.language),
            )
            message = OutgoingMessage(
                header + "\n\n" + "\n\n".join(rendered.discord),
                buttons=(
                    ButtonSpec(
                        comment_custom_id(circulation.id),
                        t(council.language, "memory.comment_button"),
                        ButtonStyle.PRIMARY,
                    ),
                ),
                attachments=refs(stored),
            )
            people = sorted({seat.person.user_id for seat in await self.deps.roster.current_seats(guild_id)})
            sent = 0
            for user_id in people:
                item = OutboxItem.dm(
                    f"circulate:{circulation.id}:{user_id}", user_id, message, Purpose.OTHER, meeting_id=meeting.id
                )
                if await self.outbox.enqueue(guild_id, item) is not None:
                    sent += 1
        return CirculateResult(council, meeting, circulation, stored.version, sent)

    async def comment_target(self, circulation_id: int, user_id: int, *, check_member: bool = True) -> CommentTarget:
        """Check that ``user_id`` may comment now (a representative or deputy, before the deadline).

        The button is in a DM, which works from anywhere: someone who left the server may not comment.
        """
        circulation = await self.repo.circulation(circulation_id)
        if circulation is None:
            raise NotFound("memory.circulation_not_found")
        if check_member and self.membership is not None:
            await self.membership.require_member(circulation.guild_id, user_id)
        council = await require_council(self.deps.roster, circulation.guild_id)
        meeting = await self.deps.meetings.get(circulation.guild_id, circulation.meeting_id)
        if meeting is None:
            raise NotFound("memory.circulation_not_found")
        if self.deps.clock.now() >= circulation.deadline or await self.minutes.repo.published_at(
            circulation.guild_id, meeting.id
        ):
            raise Conflict(
                "memory.comments_closed",
                deadline=format_datetime(circulation.deadline, council.tz, council.language),
            )
        seats = await self.deps.roster.seats_of_user(circulation.guild_id, user_id)
        if not seats:
            raise NotAllowed("memory.comment_not_member")
        org = await self.deps.roster.get_org(circulation.guild_id, seats[0].org_id)
        return CommentTarget(council, meeting, circulation, org)

    async def comment(self, circulation_id: int, user_id: int, text: str) -> CommentTarget:
        """Keep a comment and post it to the secretary channel naming the person and organisation."""
        cleaned = validate_comment(text)
        await self.comment_target(circulation_id, user_id)  # membership asked outside the transaction
        now = self.deps.clock.now()
        async with self.deps.db.transaction():
            target = await self.comment_target(circulation_id, user_id, check_member=False)
            council = target.council
            comment_id = await self.repo.add_comment(
                target.circulation, target.org.id if target.org else None, user_id, cleaned, now
            )
            person = await self.deps.roster.get_person(council.guild_id, user_id)
            text_out = t(
                council.language,
                "memory.comment_post",
                number=target.meeting.number,
                person=no_mentions(person.display_name) if person else str(user_id),
                org=no_mentions(target.org.short) if target.org else "–",
                text=md_escape(no_mentions(cleaned)),
            )
            await self.outbox.enqueue(
                council.guild_id,
                OutboxItem(
                    f"circulate:comment:{comment_id}",
                    TargetKind.CHANNEL,
                    council.secretary_channel_id,
                    OutgoingMessage(text_out),
                    Purpose.OTHER,
                    target.meeting.id,
                ),
            )
        return target
