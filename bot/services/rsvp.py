"""RSVP use cases: answers from representatives and deputies, and the deputy substitution's effects."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import KW_ONLY, dataclass, replace
from datetime import datetime

from bot.domain.attendance import (
    Answer,
    Answered,
    AttendanceState,
    CallUpDeputy,
    DeadlinePassed,
    Effect,
    FlagNoDeputy,
    Invitation,
    Outcome,
    ReleaseDeputy,
    decide,
)
from bot.domain.meetings import Meeting, validate_note
from bot.domain.notices import MeetingContext, call_up, no_deputy_alert, release
from bot.domain.outbox import Purpose
from bot.domain.roster import Council, Organisation, Person, Role
from bot.errors import Conflict, InvalidInput, NotAllowed, NotFound
from bot.services.deps import Deps
from bot.services.lookup import meeting_context, require_org, resolve_meeting
from bot.services.membership import MembershipService
from bot.services.outbox import OutboxService

log = logging.getLogger(__name__)

CallUpHook = Callable[[int, int], Awaitable[object]]
"""``(guild_id, meeting_id)``: something to do when a deputy is called up."""


@dataclass(frozen=True, slots=True)
class RsvpResult:
    """What an answer did, for the reply to the person who answered."""

    council: Council
    meeting: Meeting
    org: Organisation
    responder: Role
    answer: Answer
    outcome: Outcome
    effects: tuple[Effect, ...]
    deputy: Person | None = None


def parse_answer(value: str) -> Answer:
    """``yes``/``no``/``maybe`` or ``InvalidInput``."""
    try:
        return Answer(value.strip().lower())
    except ValueError:
        raise InvalidInput("rsvp.answer_invalid") from None


@dataclass(eq=False)
class RsvpService:
    """Answers to invitations and call-ups, and the substitution they set off.

    Who may answer is decided by the invitation, which follows the roster while the call is open
    (:meth:`~bot.services.meetings.MeetingService.follow_roster`).
    """

    deps: Deps
    outbox: OutboxService
    _: KW_ONLY
    call_up_hooks: Sequence[CallUpHook] = ()
    """Run as ``hook(guild_id, meeting_id)`` in the same transaction whenever a deputy is called up (the
    status feature asks the called-up deputy for the status this way)."""
    membership: MembershipService | None = None
    """Refuses seat holders who left the server."""

    async def answer_button(self, meeting_id: int, org_id: int, user_id: int, answer: str) -> RsvpResult:
        """An RSVP button was pressed (in a DM, so the server comes from the meeting)."""
        guild_id = await self.deps.meetings.guild_of(meeting_id)
        if guild_id is None:
            raise NotFound("rsvp.meeting_gone")
        if self.membership is not None:  # buttons in DMs work from anywhere, also after leaving the server
            await self.membership.require_member(guild_id, user_id)
        async with self.deps.db.transaction():
            meeting = await self.deps.meetings.get(guild_id, meeting_id)
            invitation = await self.deps.invitations.for_org(guild_id, meeting_id, org_id)
            responder = invitation.responder(user_id) if invitation else None
            if meeting is None or invitation is None or responder is None:
                raise NotAllowed("rsvp.not_invited")
            return await self._answer(meeting, invitation, responder, user_id, parse_answer(answer), None, "button")

    async def answer(
        self, guild_id: int, user_id: int, answer: str, *, meeting_number: int | None = None, note: str | None = None
    ) -> list[RsvpResult]:
        """``/rsvp answer``: answer for every organisation the caller was asked to answer for."""
        parsed = parse_answer(answer)
        async with self.deps.db.transaction():
            meeting = await resolve_meeting(self.deps.meetings, guild_id, meeting_number, self.deps.clock.now())
            invitations = await self.deps.invitations.for_user(guild_id, meeting.id, user_id)
            asked = [
                (invitation, responder)
                for invitation in invitations
                if (responder := invitation.responder(user_id)) is Role.REPRESENTATIVE
                or (responder is Role.DEPUTY and invitation.state.deputy_asked)
            ]
            if not asked:
                if invitations:
                    raise NotAllowed("rsvp.deputy_not_called")
                raise NotAllowed("rsvp.not_invited_meeting", number=meeting.number)
            return [
                await self._answer(meeting, invitation, responder, user_id, parsed, note, "command")
                for invitation, responder in asked
            ]

    async def record(
        self,
        guild_id: int,
        by: Person,
        org_short: str,
        answer: str,
        *,
        role: str | None = None,
        note: str | None = None,
        meeting_number: int | None = None,
    ) -> RsvpResult:
        """``/meeting rsvp``: the secretary records an answer that came by e-mail or phone.

        It has exactly the effect of the member pressing the button (a "no" from the representative
        calls up the deputy, a later "yes" releases them); the history notes who recorded it.
        ``role`` defaults to the representative (the deputy when the organisation has none).
        """
        parsed = parse_answer(answer)
        if role is not None and role not in (Role.REPRESENTATIVE.value, Role.DEPUTY.value):
            raise InvalidInput("rsvp.role_invalid")
        async with self.deps.db.transaction():
            now = self.deps.clock.now()
            await self.deps.roster.remember_person(guild_id, by, now)  # the dashboard names who recorded it
            meeting = await resolve_meeting(self.deps.meetings, guild_id, meeting_number, now)
            org = await require_org(self.deps.roster, guild_id, org_short)
            invitation = await self.deps.invitations.for_org(guild_id, meeting.id, org.id)
            if invitation is None:
                raise Conflict("rsvp.record_not_invited", org=org.short, number=meeting.number)
            invitation = await self._refresh_deputy(invitation)
            if role is None:
                role = Role.REPRESENTATIVE.value if invitation.representative_id is not None else Role.DEPUTY.value
            responder = Role(role)
            user_id = invitation.representative_id if responder is Role.REPRESENTATIVE else invitation.deputy_id
            if user_id is None:
                key = "rsvp.record_no_representative" if responder is Role.REPRESENTATIVE else "rsvp.record_no_deputy"
                raise Conflict(key, org=org.short)
            return await self._answer(
                meeting, invitation, responder, user_id, parsed, note, "command", recorded_by=by.user_id
            )

    async def deadline_passed(self, meeting: Meeting) -> int:
        """The RSVP deadline passed: call up deputies for silent or unsure representatives.

        Idempotent; joins the caller's transaction if there is one. Returns how many organisations changed.
        """
        now = self.deps.clock.now()
        changed = 0
        async with self.deps.db.transaction():
            ctx = await meeting_context(self.deps, meeting)
            for invitation in await self.deps.invitations.for_meeting(meeting.guild_id, meeting.id):
                refreshed = await self._refresh_deputy(invitation)
                decision = decide(
                    refreshed.state,
                    DeadlinePassed(),
                    now=now,
                    rsvp_deadline=meeting.rsvp_deadline,
                    starts_at=meeting.start_at,
                    has_deputy=refreshed.has_deputy,
                )
                if decision.state == invitation.state and refreshed == invitation:
                    continue
                updated = _stamp(refreshed, decision.state, now)
                await self.deps.invitations.save(updated, now)
                await self._carry_out(ctx, updated, decision.effects)
                changed += 1
        return changed

    # -- internals -------------------------------------------------------------------------------

    async def _answer(
        self,
        meeting: Meeting,
        invitation: Invitation,
        responder: Role,
        user_id: int,
        answer: Answer,
        note: str | None,
        via: str,
        *,
        recorded_by: int | None = None,
    ) -> RsvpResult:
        if meeting.is_cancelled:
            raise Conflict("rsvp.meeting_cancelled", number=meeting.number)
        note = validate_note(note)
        now = self.deps.clock.now()
        invitation = await self._refresh_deputy(invitation)
        decision = decide(
            invitation.state,
            Answered(responder, answer),
            now=now,
            rsvp_deadline=meeting.rsvp_deadline,
            starts_at=meeting.start_at,
            has_deputy=invitation.has_deputy,
        )
        updated = _stamp(invitation, decision.state, now)
        if responder is Role.REPRESENTATIVE:
            updated = replace(updated, rep_answered_at=now, rep_note=note)
        else:
            updated = replace(updated, deputy_answered_at=now, deputy_note=note)
        await self.deps.invitations.save(updated, now)
        await self.deps.invitations.add_answer(
            meeting.guild_id,
            meeting.id,
            invitation.org_id,
            user_id=user_id,
            role=responder,
            answer=answer,
            note=note,
            via=via,
            now=now,
            recorded_by=recorded_by,
        )
        ctx = await meeting_context(self.deps, meeting)
        org = await self._carry_out(ctx, updated, decision.effects)
        deputy = await self.deps.roster.get_person(meeting.guild_id, updated.deputy_id) if updated.deputy_id else None
        log.info("rsvp %s by %s for org %s meeting %s", answer.value, responder.value, org.id, meeting.id)
        return RsvpResult(ctx.council, meeting, org, responder, answer, updated.outcome, decision.effects, deputy)

    async def _refresh_deputy(self, invitation: Invitation) -> Invitation:
        """Fill an empty deputy slot of the snapshot from the roster (a deputy assigned after the call).

        The alert about a missing deputy asks the secretary to assign one; this is how that helps.
        """
        if invitation.deputy_id is not None:
            return invitation
        for seat in await self.deps.roster.seats_for_org(invitation.guild_id, invitation.org_id):
            if seat.role is Role.DEPUTY and seat.person.user_id != invitation.representative_id:
                return replace(invitation, deputy_id=seat.person.user_id)
        return invitation

    async def _carry_out(
        self, ctx: MeetingContext, invitation: Invitation, effects: tuple[Effect, ...]
    ) -> Organisation:
        """Turn effects into outbox rows (same transaction); return the organisation."""
        meeting = ctx.meeting
        org = await self.deps.roster.get_org(meeting.guild_id, invitation.org_id)
        if org is None:  # organisations are retired, never deleted
            raise NotFound("roster.org_retired")
        base = f"{meeting.id}:{org.id}"
        for effect in effects:
            if isinstance(effect, CallUpDeputy) and invitation.deputy_id is not None:
                message = call_up(ctx, org, effect.reason)
                key = f"callup:{base}:{effect.number}"
                await self.outbox.dm_about(meeting, org.id, key, invitation.deputy_id, message, Purpose.CALL_UP)
                for hook in self.call_up_hooks:
                    await hook(meeting.guild_id, meeting.id)
            elif isinstance(effect, ReleaseDeputy) and invitation.deputy_id is not None:
                key = f"release:{base}:{effect.number}"
                await self.outbox.dm_about(
                    meeting, org.id, key, invitation.deputy_id, release(ctx, org), Purpose.RELEASE
                )
            elif isinstance(effect, FlagNoDeputy):
                passed = self.deps.clock.now() >= meeting.rsvp_deadline
                await self.outbox.alert(
                    meeting.guild_id,
                    f"nodeputy:{base}",
                    no_deputy_alert(ctx, org, deadline_passed=passed),
                    meeting_id=meeting.id,
                    org_id=org.id,
                )
        return org


def _stamp(invitation: Invitation, state: AttendanceState, now: datetime) -> Invitation:
    """The invitation with its new state and the times of what changed."""
    old = invitation.state
    updated = replace(invitation, state=state)
    if state.deputy_called and not old.deputy_called:
        updated = replace(updated, deputy_called_at=now, deputy_released_at=None)
    elif old.deputy_called and not state.deputy_called:
        updated = replace(updated, deputy_called_at=None, deputy_released_at=now)
    if state.deputy is None and old.deputy is not None:
        updated = replace(updated, deputy_answered_at=None, deputy_note=None)
    if state.no_deputy_flagged and not old.no_deputy_flagged:
        updated = replace(updated, no_deputy_flagged_at=now)
    return updated
