"""The call: invitations, following seats that change hands, reminders on demand."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime

from bot.domain.attendance import Invitation, follow_seats
from bot.domain.invitations import deputy_wanted, invitees, moved_call_up_reason
from bot.domain.meetings import MeetingState, check_editable
from bot.domain.notices import MeetingContext, call_up, seat_moved
from bot.domain.outbox import OutboxItem, Purpose
from bot.domain.roster import Organisation, Role, Seat
from bot.errors import Conflict
from bot.services.lookup import meeting_context, require_council, resolve_meeting
from bot.services.meetings._base import MeetingBase, invitation_item
from bot.services.meetings._results import OpenResult
from bot.services.reminders import RemindResult

log = logging.getLogger(__name__)


class MeetingCall(MeetingBase):
    """``/meeting open``, following the roster while the call is open, ``/meeting remind``."""

    async def open(self, guild_id: int, number: int | None = None) -> OpenResult:
        """Send the invitations: each organisation's representative gets a DM with the RSVP buttons.

        The deputy is invited too when an agenda item is of special interest to deputies, or instead
        when the organisation has no representative. Running it again invites only organisations (and
        deputies) not yet invited, e.g. organisations added since; nobody gets a second invitation.
        """
        council = await require_council(self.deps.roster, guild_id)
        now = self.deps.clock.now()
        invited: list[Organisation] = []
        deputies: list[Organisation] = []
        no_rep: list[Organisation] = []
        nobody: list[Organisation] = []
        created: list[Invitation] = []
        messages = already = 0
        async with self.deps.db.transaction():
            meeting = await resolve_meeting(self.deps.meetings, guild_id, number, now)
            check_editable(meeting)
            if meeting.has_started(now):
                raise Conflict("meetings.already_started", number=meeting.number)
            if meeting.rsvp_deadline <= now:
                raise Conflict("meetings.open_after_deadline", number=meeting.number)
            if not meeting.is_open:
                meeting = replace(meeting, state=MeetingState.OPEN, opened_at=now)
                await self.deps.meetings.update(meeting)
            ctx = await meeting_context(self.deps, meeting)
            extras = [await extra.invitation_extra(guild_id, meeting) for extra in self.invitation_extras]
            ctx = replace(ctx, extra="\n\n".join(e for e in extras if e))
            wanted = deputy_wanted(ctx.agenda)
            existing = {inv.org_id: inv for inv in await self.deps.invitations.for_meeting(guild_id, meeting.id)}
            roster = await self.deps.roster.roster(guild_id)
            # The new invitations in one statement, then their DMs in few: no round trip per organisation.
            fresh = await self.deps.invitations.insert_many(
                guild_id,
                meeting.id,
                [
                    (e.org.id, invitees(_user(e.representative), _user(e.deputy), deputies_wanted=wanted))
                    for e in roster
                    if e.org.id not in existing
                ],
                invited_at=now,
            )
            owed: list[OutboxItem] = []  # in roster order; sent before any other change so the order holds
            for entry in roster:
                org = entry.org
                rep_id, dep_id = _user(entry.representative), _user(entry.deputy)
                current = existing.get(org.id)
                if current is None:
                    current = fresh[org.id]
                    created.append(current)
                    invited.append(org)
                    if rep_id is not None:
                        owed += _items(invitation_item(ctx, org, current, Role.REPRESENTATIVE))
                    elif dep_id is not None:
                        no_rep.append(org)
                    else:
                        nobody.append(org)
                    if current.state.deputy_invited:
                        deputies.append(org)
                        owed += _items(invitation_item(ctx, org, current, Role.DEPUTY))
                    continue
                already += 1
                messages += await self.outbox.enqueue_many(guild_id, owed)
                owed = []
                # A seat that changed hands since the call went out (before this was followed live).
                if current.invited_at is not None:
                    messages += await self._follow(ctx, org, current, rep_id, dep_id, now)
                    current = await self.deps.invitations.for_org(guild_id, meeting.id, org.id) or current
                if wanted and not current.state.deputy_invited and current.deputy_id is not None:
                    current = replace(current, state=replace(current.state, deputy_invited=True))
                    await self.deps.invitations.save(current, now)
                    deputies.append(org)
                    messages += await self._invite(ctx, org, current, Role.DEPUTY)
            messages += await self.outbox.enqueue_many(guild_id, owed)
            await self.reminders.schedule(meeting)
            if self.events is not None:
                await self.events.track(meeting)
            for hook in self.open_hooks:
                await hook.meeting_opened(guild_id, meeting, tuple(created))
        log.info("meeting %s opened in guild %s: %d invitations", meeting.number, guild_id, messages)
        if self.events is not None:
            self.events.poke()
        return OpenResult(
            MeetingContext(council, meeting, tuple(ctx.agenda), documents=tuple(ctx.documents)),
            tuple(invited),
            tuple(deputies),
            already,
            tuple(no_rep),
            tuple(nobody),
            messages,
        )

    async def follow_roster(self, guild_id: int, org_id: int) -> int:
        """A seat of the organisation changed hands: move its invitations to open calls with it.

        Runs inside the roster change's transaction. For every meeting whose call is open and that has
        not started, the new holder gets the invitation (or the call-up, for a deputy already asked)
        and the previous holder loses the right to answer for the organisation and is told so.
        Returns how many messages were enqueued.
        """
        now = self.deps.clock.now()
        seats = {seat.role: seat.person.user_id for seat in await self.deps.roster.seats_for_org(guild_id, org_id)}
        org = await self.deps.roster.get_org(guild_id, org_id)
        if org is None:
            return 0
        sent = 0
        for meeting in await self.deps.meetings.list_all(guild_id):
            if not meeting.is_open or meeting.has_started(now):
                continue
            inv = await self.deps.invitations.for_org(guild_id, meeting.id, org_id)
            if inv is None or inv.invited_at is None:
                continue
            ctx = await meeting_context(self.deps, meeting)
            sent += await self._follow(ctx, org, inv, seats.get(Role.REPRESENTATIVE), seats.get(Role.DEPUTY), now)
        return sent

    async def _follow(
        self, ctx: MeetingContext, org: Organisation, inv: Invitation, rep: int | None, dep: int | None, now: datetime
    ) -> int:
        updated, moves = follow_seats(inv, rep, dep)
        if not moves:
            return 0
        for move in moves:  # a note is the previous holder's own words, not the organisation's
            if move.role is Role.REPRESENTATIVE:
                updated = replace(updated, rep_note=None)
            else:
                updated = replace(updated, deputy_note=None)
        await self.deps.invitations.save(updated, now)
        meeting = ctx.meeting
        sent = 0
        for move in moves:
            asked = move.role is Role.REPRESENTATIVE or inv.state.deputy_asked
            if not asked:
                continue
            if move.old_was_asked and move.old is not None:
                key = f"seat_moved:{meeting.id}:{org.id}:{move.role.value}:{move.old}:{now.isoformat()}"
                notice = seat_moved(ctx, org, move.role)
                sent += await self.outbox.dm_about(meeting, org.id, key, move.old, notice, Purpose.CHANGE)
            if move.new is None:
                continue
            if move.role is Role.DEPUTY and inv.state.deputy_called:
                reason = moved_call_up_reason(inv)
                key = f"callup:{meeting.id}:{org.id}:moved:{move.new}"
                sent += await self.outbox.dm_about(
                    meeting, org.id, key, move.new, call_up(ctx, org, reason), Purpose.CALL_UP
                )
            else:
                sent += await self._invite(ctx, org, updated, move.role)
        log.info("seats of org %s moved in the call to meeting %s (%d messages)", org.id, meeting.number, sent)
        for hook in self.open_hooks:  # the new holder is asked for the status too
            await hook.meeting_opened(meeting.guild_id, meeting, (updated,))
        return sent

    async def remind_now(self, guild_id: int, number: int | None = None) -> RemindResult:
        """Remind everyone outstanding now (``/meeting remind``)."""
        details = await self.get(guild_id, number)
        meeting = details.meeting
        check_editable(meeting)
        if not meeting.is_open:
            raise Conflict("meetings.not_open", number=meeting.number)
        return await self.reminders.remind_now(meeting)


def _user(seat: Seat | None) -> int | None:
    return seat.person.user_id if seat is not None else None


def _items(item: OutboxItem | None) -> list[OutboxItem]:
    return [] if item is None else [item]
