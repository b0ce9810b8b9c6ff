"""Meeting use cases: create, edit, cancel, open (send the call), dashboard, attendance, next meeting."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.config import DefaultsConfig, RemindersConfig
from bot.domain.attendance import CallUpReason, Invitation, Outcome, Responder, follow_seats
from bot.domain.calendar import calendar_filename, meeting_calendar
from bot.domain.clock import Clock
from bot.domain.dates import When, format_when, parse_deadline, parse_when
from bot.domain.documents import DocumentInfo
from bot.domain.guests import validate_affiliation, validate_person_name
from bot.domain.meetings import (
    AgendaItem,
    AgendaKind,
    Meeting,
    MeetingState,
    check_deadline,
    check_editable,
    check_start,
    default_deadline,
    validate_place,
    validate_reason,
    validate_title,
)
from bot.domain.next_meeting import split_next, validate_next_note
from bot.domain.notices import (
    MeetingContext,
    any_other_business_title,
    call_up,
    cancel_notice,
    change_notice,
    invitation,
    seat_moved,
    status_round_title,
)
from bot.domain.outbox import OutboxItem, OutgoingMessage, Purpose
from bot.domain.roster import ERASED_ID, Council, Organisation, Person, Role
from bot.domain.status import prompt_recipients
from bot.errors import Conflict, InvalidInput, NotFound
from bot.i18n import reading_order, t
from bot.services.events import ScheduledEventService
from bot.services.hooks import InvitationExtra, MeetingCreatedHook, MeetingOpenedHook, NoStatusLookup, StatusLookup
from bot.services.lookup import meeting_context, require_council, resolve_meeting
from bot.services.outbox import OutboxService
from bot.services.reminders import ReminderService, RemindResult
from bot.storage.db import Database
from bot.storage.guest_repo import GuestRepo, StoredGuest
from bot.storage.invitation_repo import InvitationRepo
from bot.storage.meeting_repo import MeetingRepo
from bot.storage.minutes_repo import MinutesRepo, NextMeeting
from bot.storage.roster_repo import RosterRepo

log = logging.getLogger(__name__)

_Builder = Callable[[Organisation], OutgoingMessage]


@dataclass(frozen=True, slots=True)
class MeetingDetails:
    """A meeting with its council and agenda: everything needed to show it."""

    council: Council
    meeting: Meeting
    agenda: tuple[AgendaItem, ...]
    documents: tuple[DocumentInfo, ...] = ()

    @property
    def context(self) -> MeetingContext:
        """The same data as a message context."""
        return MeetingContext(self.council, self.meeting, self.agenda, documents=self.documents)


@dataclass(frozen=True, slots=True)
class EditResult:
    """What ``/meeting edit`` changed and how many invitees were told."""

    details: MeetingDetails
    changed: frozenset[str]
    notified: int


@dataclass(frozen=True, slots=True)
class CancelResult:
    """A cancelled meeting and how many invitees were told."""

    details: MeetingDetails
    notified: int


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

    details: MeetingDetails
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

    details: MeetingDetails
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

    details: MeetingDetails
    org: Organisation
    present: bool
    role: Outcome | None
    person: Person | None
    substitute: str | None = None


@dataclass(frozen=True, slots=True)
class GuestResult:
    """What ``/meeting guest add|remove`` did, and the guests now."""

    details: MeetingDetails
    name: str
    affiliation: str | None
    added: bool
    guests: tuple[StoredGuest, ...]


@dataclass(frozen=True, slots=True)
class NextResult:
    """What ``/meeting next`` recorded: the proposal, and the meeting it created or updated."""

    details: MeetingDetails
    proposal: NextMeeting
    next_meeting: Meeting
    created: bool


class MeetingService:
    """Meetings of a council. Takes plain ids and strings; returns what it understood."""

    def __init__(
        self,
        db: Database,
        meetings: MeetingRepo,
        invitations: InvitationRepo,
        roster: RosterRepo,
        outbox: OutboxService,
        reminders: ReminderService,
        clock: Clock,
        *,
        defaults: DefaultsConfig | None = None,
        reminder_config: RemindersConfig | None = None,
        status: StatusLookup | None = None,
        open_hooks: Sequence[MeetingOpenedHook] = (),
        events: ScheduledEventService | None = None,
        guests: GuestRepo | None = None,
        minutes: MinutesRepo | None = None,
    ) -> None:
        self.db = db
        self.meetings = meetings
        self.invitations = invitations
        self.roster = roster
        self.outbox = outbox
        self.reminders = reminders
        self.clock = clock
        self.defaults = defaults or DefaultsConfig()
        self.reminder_config = reminder_config or RemindersConfig()
        self.status: StatusLookup = status or NoStatusLookup()
        self.open_hooks: list[MeetingOpenedHook] = list(open_hooks)
        self.create_hooks: list[MeetingCreatedHook] = []
        self.invitation_extras: list[InvitationExtra] = []
        self.events = events
        self._calendars: dict[tuple[int, int], tuple[object, str, bytes]] = {}
        self.guests = guests or GuestRepo(db)
        self.minutes = minutes or MinutesRepo(db)

    def add_open_hook(self, hook: MeetingOpenedHook) -> None:
        """Run ``hook`` inside every ``/meeting open`` (the status feature starts reading back DM replies this way)."""
        self.open_hooks.append(hook)

    def add_create_hook(self, hook: MeetingCreatedHook) -> None:
        """Run ``hook`` inside every ``/meeting create`` (the approval item is added this way)."""
        self.create_hooks.append(hook)

    def add_invitation_extra(self, extra: InvitationExtra) -> None:
        """Add ``extra``'s paragraph to the invitations (open action items are mentioned this way)."""
        self.invitation_extras.append(extra)

    # -- reading ---------------------------------------------------------------------------------

    async def get(self, guild_id: int, number: int | None = None, *, recent: bool = False) -> MeetingDetails:
        """A meeting by number, or the default one (see :func:`~bot.services.lookup.resolve_meeting`)."""
        council = await require_council(self.roster, guild_id)
        meeting = await resolve_meeting(self.meetings, guild_id, number, self.clock.now(), recent=recent)
        agenda = tuple(await self.meetings.agenda(guild_id, meeting.id))
        return MeetingDetails(council, meeting, agenda, tuple(await self.meetings.documents(guild_id, meeting.id)))

    async def next_upcoming(self, guild_id: int) -> Meeting | None:
        """The next meeting that has not ended, if any."""
        return await self.meetings.first_not_ended(guild_id, self.clock.now())

    async def list_meetings(self, guild_id: int) -> MeetingList:
        """Upcoming and past meetings."""
        council = await require_council(self.roster, guild_id)
        now = self.clock.now()
        meetings = await self.meetings.list_all(guild_id)
        upcoming = tuple(m for m in meetings if not m.has_ended(now))
        past = tuple(reversed([m for m in meetings if m.has_ended(now)]))
        return MeetingList(council, upcoming, past)

    async def search(self, guild_id: int, text: str) -> list[Meeting]:
        """Meetings for autocomplete."""
        return await self.meetings.search(guild_id, text.strip()[:40])

    # -- create / edit / cancel ------------------------------------------------------------------

    async def create(
        self,
        guild_id: int,
        user_id: int,
        *,
        when: str,
        place: str | None = None,
        title: str | None = None,
        rsvp_deadline: str | None = None,
        status_deadline: str | None = None,
    ) -> MeetingDetails:
        """Create a meeting; its agenda starts with the status round and ends with any other business.

        Deadlines not given default to ``reminders.rsvp_deadline_days``/``status_deadline_days``
        before the start. Returns the meeting as understood, so the reply can echo the dates.
        """
        council = await require_council(self.roster, guild_id)
        now = self.clock.now()
        parsed = self._parse_when(when, council, now)
        start = parsed.start
        rsvp = self._deadline("rsvp", rsvp_deadline, council, start, now, self.reminder_config.rsvp_deadline_days)
        status = self._deadline(
            "status", status_deadline, council, start, now, self.reminder_config.status_deadline_days
        )
        clean_title = validate_title(title) if title is not None else _default_title(council)
        clean_place = validate_place(place) if place is not None else ""
        async with self.db.transaction():
            meeting = await self.meetings.insert(
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
            await self.meetings.insert_item(
                guild_id,
                meeting.id,
                position=1,
                kind=AgendaKind.STATUS_ROUND,
                title=status_round_title(council.language),
            )
            await self.meetings.insert_item(
                guild_id,
                meeting.id,
                position=2,
                kind=AgendaKind.ANY_OTHER_BUSINESS,
                title=any_other_business_title(council.language),
            )
            for hook in self.create_hooks:
                await hook.meeting_created(guild_id, meeting)
            agenda = tuple(await self.meetings.agenda(guild_id, meeting.id))
        log.info("meeting %s created in guild %s", meeting.number, guild_id)
        return MeetingDetails(council, meeting, agenda)

    async def edit(
        self,
        guild_id: int,
        number: int | None = None,
        *,
        when: str | None = None,
        place: str | None = None,
        title: str | None = None,
        rsvp_deadline: str | None = None,
        status_deadline: str | None = None,
    ) -> EditResult:
        """Change a meeting. Invitees of an opened meeting are told when its time or place changes.

        Refused, changing nothing, when the new time is in the past or a deadline would fall after the
        (new) start or in the past.
        """
        if all(v is None for v in (when, place, title, rsvp_deadline, status_deadline)):
            raise InvalidInput("meetings.nothing_to_change")
        council = await require_council(self.roster, guild_id)
        now = self.clock.now()
        async with self.db.transaction():
            meeting = await resolve_meeting(self.meetings, guild_id, number, now)
            check_editable(meeting)
            updated = meeting
            if when is not None:
                parsed = self._parse_when(when, council, now)
                updated = replace(updated, start_at=parsed.start, end_at=parsed.end)
            if title is not None:
                updated = replace(updated, title=validate_title(title))
            if place is not None:
                updated = replace(updated, place=validate_place(place))
            moved = updated.start_at != meeting.start_at
            if rsvp_deadline is not None:
                rsvp = self._parse_deadline("rsvp", rsvp_deadline, council, updated.start_at, now)
            else:
                rsvp = _follow(meeting.rsvp_deadline, meeting.start_at, updated.start_at, council.tz, now, moved)
                if rsvp >= updated.start_at:
                    raise InvalidInput("meetings.rsvp_deadline_after_new_start")
            if status_deadline is not None:
                status = self._parse_deadline("status", status_deadline, council, updated.start_at, now)
            else:
                status = _follow(meeting.status_deadline, meeting.start_at, updated.start_at, council.tz, now, moved)
                if status >= updated.start_at:
                    raise InvalidInput("meetings.status_deadline_after_new_start")
            updated = replace(updated, rsvp_deadline=rsvp, status_deadline=status)
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
            await self.meetings.update(updated)
            ctx = await meeting_context(self.roster, self.meetings, updated)
            if meeting.is_open and changed & {"rsvp_deadline", "status_deadline", "when"}:
                await self.reminders.schedule(updated)
            notified = 0
            if tell:
                old_when = format_when(meeting.when, council.tz, council.language) if "when" in changed else None
                old_place = meeting.place if "place" in changed else None
                notified = await self._tell_invitees(
                    ctx,
                    Purpose.CHANGE,
                    f"change:{updated.id}:{updated.revision}",
                    lambda org: change_notice(ctx, org, old_when=old_when, old_place=old_place),
                )
        if self.events is not None:
            self.events.poke()
        return EditResult(MeetingDetails(council, updated, tuple(ctx.agenda), tuple(ctx.documents)), changed, notified)

    async def cancel(self, guild_id: int, number: int | None = None, reason: str | None = None) -> CancelResult:
        """Cancel a meeting; everyone who was invited is told (with the reason, if given)."""
        council = await require_council(self.roster, guild_id)
        clean_reason = validate_reason(reason)
        now = self.clock.now()
        async with self.db.transaction():
            meeting = await resolve_meeting(self.meetings, guild_id, number, now)
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
            await self.meetings.update(updated)
            await self.reminders.cancel(updated)
            ctx = await meeting_context(self.roster, self.meetings, updated)
            notified = 0
            if meeting.is_open:
                message = cancel_notice(ctx)
                notified = await self._tell_invitees(
                    ctx, Purpose.CANCELLATION, f"cancel:{updated.id}", lambda _org: message
                )
        log.info("meeting %s cancelled in guild %s", meeting.number, guild_id)
        if self.events is not None:
            self.events.poke()
        return CancelResult(MeetingDetails(council, updated, tuple(ctx.agenda)), notified)

    # -- the call ----------------------------------------------------------------------------------

    async def open(self, guild_id: int, number: int | None = None) -> OpenResult:
        """Send the invitations: each organisation's representative gets a DM with the RSVP buttons.

        The deputy is invited too when an agenda item is of special interest to deputies, or instead
        when the organisation has no representative. Running it again invites only organisations (and
        deputies) not yet invited, e.g. organisations added since; nobody gets a second invitation.
        """
        council = await require_council(self.roster, guild_id)
        now = self.clock.now()
        invited: list[Organisation] = []
        deputies: list[Organisation] = []
        no_rep: list[Organisation] = []
        nobody: list[Organisation] = []
        created: list[Invitation] = []
        messages = already = 0
        async with self.db.transaction():
            meeting = await resolve_meeting(self.meetings, guild_id, number, now)
            check_editable(meeting)
            if meeting.has_started(now):
                raise Conflict("meetings.already_started", number=meeting.number)
            if meeting.rsvp_deadline <= now:
                raise Conflict("meetings.open_after_deadline", number=meeting.number)
            if not meeting.is_open:
                meeting = replace(meeting, state=MeetingState.OPEN, opened_at=now)
                await self.meetings.update(meeting)
            ctx = await meeting_context(self.roster, self.meetings, meeting)
            extras = [await extra.invitation_extra(guild_id, meeting) for extra in self.invitation_extras]
            ctx = replace(ctx, extra="\n\n".join(e for e in extras if e))
            deputy_wanted = any(item.deputy_interest for item in ctx.agenda)
            existing = {inv.org_id: inv for inv in await self.invitations.for_meeting(guild_id, meeting.id)}
            for entry in await self.roster.roster(guild_id):
                org, rep, dep = entry.org, entry.representative, entry.deputy
                current = existing.get(org.id)
                if current is None:
                    rep_id = rep.person.user_id if rep else None
                    dep_id = dep.person.user_id if dep else None
                    with_deputy = dep_id is not None and (deputy_wanted or rep_id is None)
                    current = await self.invitations.insert(
                        guild_id,
                        meeting.id,
                        org.id,
                        representative_id=rep_id,
                        deputy_id=dep_id,
                        deputy_invited=with_deputy,
                        invited_at=now,
                        now=now,
                    )
                    created.append(current)
                    invited.append(org)
                    if rep_id is not None:
                        messages += await self._invite(ctx, org, current, Responder.REPRESENTATIVE)
                    elif dep_id is not None:
                        no_rep.append(org)
                    else:
                        nobody.append(org)
                    if with_deputy:
                        deputies.append(org)
                        messages += await self._invite(ctx, org, current, Responder.DEPUTY)
                    continue
                already += 1
                # A seat that changed hands since the call went out (before this was followed live).
                rep_id = rep.person.user_id if rep else None
                dep_id = dep.person.user_id if dep else None
                if current.invited_at is not None:
                    messages += await self._follow(ctx, org, current, rep_id, dep_id, now)
                    current = await self.invitations.for_org(guild_id, meeting.id, org.id) or current
                if deputy_wanted and not current.state.deputy_invited and current.deputy_id is not None:
                    current = replace(current, state=replace(current.state, deputy_invited=True))
                    await self.invitations.save(current, now)
                    deputies.append(org)
                    messages += await self._invite(ctx, org, current, Responder.DEPUTY)
            await self.reminders.schedule(meeting)
            if self.events is not None:
                await self.events.track(meeting)
            for hook in self.open_hooks:
                await hook.meeting_opened(guild_id, meeting, tuple(created))
        log.info("meeting %s opened in guild %s: %d invitations", meeting.number, guild_id, messages)
        if self.events is not None:
            self.events.poke()
        return OpenResult(
            MeetingDetails(council, meeting, tuple(ctx.agenda), tuple(ctx.documents)),
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
        now = self.clock.now()
        seats = {seat.role: seat.person.user_id for seat in await self.roster.seats_for_org(guild_id, org_id)}
        org = await self.roster.get_org(guild_id, org_id)
        if org is None:
            return 0
        sent = 0
        for meeting in await self.meetings.list_all(guild_id):
            if not meeting.is_open or meeting.has_started(now):
                continue
            inv = await self.invitations.for_org(guild_id, meeting.id, org_id)
            if inv is None or inv.invited_at is None:
                continue
            ctx = await meeting_context(self.roster, self.meetings, meeting)
            sent += await self._follow(ctx, org, inv, seats.get(Role.REPRESENTATIVE), seats.get(Role.DEPUTY), now)
        return sent

    async def _follow(
        self, ctx: MeetingContext, org: Organisation, inv: Invitation, rep: int | None, dep: int | None, now: datetime
    ) -> int:
        updated, moves = follow_seats(inv, rep, dep)
        if not moves:
            return 0
        for move in moves:  # a note is the previous holder's own words, not the organisation's
            if move.role is Responder.REPRESENTATIVE:
                updated = replace(updated, rep_note=None)
            else:
                updated = replace(updated, deputy_note=None)
        await self.invitations.save(updated, now)
        meeting = ctx.meeting
        sent = 0
        for move in moves:
            asked = move.role is Responder.REPRESENTATIVE or inv.state.deputy_asked
            if not asked:
                continue
            if move.old_was_asked and move.old is not None:
                notice = OutboxItem.dm(
                    f"seat_moved:{meeting.id}:{org.id}:{move.role.value}:{move.old}:{now.isoformat()}",
                    move.old,
                    seat_moved(ctx, org, move.role),
                    Purpose.CHANGE,
                    meeting_id=meeting.id,
                    org_id=org.id,
                )
                sent += 1 if await self.outbox.enqueue(meeting.guild_id, notice) is not None else 0
            if move.new is None:
                continue
            if move.role is Responder.DEPUTY and inv.state.deputy_called:
                reason = CallUpReason.DECLINED if inv.state.representative is not None else CallUpReason.DEADLINE
                item = OutboxItem.dm(
                    f"callup:{meeting.id}:{org.id}:moved:{move.new}",
                    move.new,
                    call_up(ctx, org, reason),
                    Purpose.CALL_UP,
                    meeting_id=meeting.id,
                    org_id=org.id,
                )
                sent += 1 if await self.outbox.enqueue(meeting.guild_id, item) is not None else 0
            else:
                sent += await self._invite(ctx, org, updated, move.role)
        log.info("seats of org %s moved in the call to meeting %s (%d messages)", org.id, meeting.number, sent)
        for hook in self.open_hooks:  # the new holder is asked for the status too
            await hook.meeting_opened(meeting.guild_id, meeting, (updated,))
        return sent

    # -- during and after ----------------------------------------------------------------------------

    async def dashboard(self, guild_id: int, number: int | None = None) -> Dashboard:
        """Organisation by organisation: who was asked, what they answered and when, status, DM problems."""
        details = await self.get(guild_id, number)
        meeting = details.meeting
        invitations = {inv.org_id: inv for inv in await self.invitations.for_meeting(guild_id, meeting.id)}
        names = await self.invitations.names(guild_id)
        # Someone who erased their data stays visible as a gap, not as a number (issue 12).
        names[ERASED_ID] = t(details.council.language, "meetings.dashboard_erased")
        with_status = await self.status.orgs_with_status(guild_id, meeting.id)
        closed = await self.outbox.closed_dms(guild_id)
        failed, pending = await self.outbox.delivery_summary(guild_id, meeting.id)
        failed |= closed
        orgs = {o.id: o for o in await self.roster.list_orgs(guild_id, include_retired=True)}
        recorded: dict[tuple[int, Responder], int | None] = {}
        for answer in await self.invitations.answers(guild_id, meeting.id):  # oldest first: the last one counts
            recorded[(answer.org_id, answer.role)] = answer.recorded_by
        rows: list[DashboardRow] = []
        pairs: list[tuple[Organisation, int | None, int | None, Invitation | None]]
        if invitations:
            pairs = [(orgs[inv.org_id], inv.representative_id, inv.deputy_id, inv) for inv in invitations.values()]
        else:
            pairs = [
                (
                    e.org,
                    e.representative.person.user_id if e.representative else None,
                    e.deputy.person.user_id if e.deputy else None,
                    None,
                )
                for e in await self.roster.roster(guild_id)
            ]
        for org, rep_id, dep_id, inv in pairs:
            rows.append(
                DashboardRow(
                    org=org,
                    invitation=inv,
                    representative=_person(rep_id, names),
                    deputy=_person(dep_id, names),
                    has_status=org.id in with_status,
                    unreachable=tuple(u for u in (rep_id, dep_id) if u is not None and u in failed),
                    rep_recorded_by=_recorder(recorded.get((org.id, Responder.REPRESENTATIVE)), names),
                    deputy_recorded_by=_recorder(recorded.get((org.id, Responder.DEPUTY)), names),
                )
            )
        return Dashboard(details, tuple(rows), not isinstance(self.status, NoStatusLookup), pending)

    async def remind_now(self, guild_id: int, number: int | None = None) -> RemindResult:
        """Remind everyone outstanding now (``/meeting remind``)."""
        details = await self.get(guild_id, number)
        meeting = details.meeting
        check_editable(meeting)
        if not meeting.is_open:
            raise Conflict("meetings.not_open", number=meeting.number)
        return await self.reminders.remind_now(meeting)

    async def record_attendance(
        self,
        guild_id: int,
        org_short: str,
        present: bool,
        by: int,
        number: int | None = None,
        substitute: str | None = None,
    ) -> AttendanceResult:
        """Record whether an organisation actually attended (``/meeting attendance``), for the minutes.

        ``present=True`` records the organisation as attending with whoever answered yes (the deputy
        if they stood in, both for an item of special interest to deputies), else its representative;
        with ``substitute``, the named person attended for it instead (the minutes name them).
        ``present=False`` lists it under Forfall whatever was answered.
        """
        council = await require_council(self.roster, guild_id)
        now = self.clock.now()
        substitute_name = validate_person_name(substitute) if substitute is not None else None
        if substitute_name is not None and not present:
            raise InvalidInput("meetings.substitute_needs_present")
        async with self.db.transaction():
            meeting = await resolve_meeting(self.meetings, guild_id, number, now, recent=True)
            check_editable(meeting)
            org = await self.roster.get_org_by_short(guild_id, org_short.strip())
            if org is None:
                raise NotFound("roster.org_not_found", short=org_short.strip()[:40])
            inv = await self.invitations.for_org(guild_id, meeting.id, org.id)
            if inv is None:
                seats = {s.role: s.person.user_id for s in await self.roster.seats_for_org(guild_id, org.id)}
                inv = await self.invitations.insert(
                    guild_id,
                    meeting.id,
                    org.id,
                    representative_id=seats.get(Role.REPRESENTATIVE),
                    deputy_id=seats.get(Role.DEPUTY),
                    deputy_invited=False,
                    invited_at=None,
                    now=now,
                )
            role: Outcome | None = None
            user_id: int | None = None
            if substitute_name is not None:
                pass  # neither the representative nor the deputy: the name is stored below
            elif present:
                role = inv.outcome if inv.outcome in (Outcome.REPRESENTATIVE, Outcome.DEPUTY, Outcome.BOTH) else None
                user_id = inv.attending_user_id
                if role is None:
                    role = Outcome.REPRESENTATIVE if inv.representative_id is not None else Outcome.DEPUTY
                    user_id = inv.representative_id if inv.representative_id is not None else inv.deputy_id
            await self.invitations.record_attendance(
                guild_id, inv.id, attended=present, role=role, user_id=user_id, by=by, now=now
            )
            await self.guests.set_substitute(guild_id, meeting.id, org.id, substitute_name, by, now)
            agenda = tuple(await self.meetings.agenda(guild_id, meeting.id))
            person = await self.roster.get_person(guild_id, user_id) if user_id else None
        return AttendanceResult(MeetingDetails(council, meeting, agenda), org, present, role, person, substitute_name)

    # -- guests ------------------------------------------------------------------------------------

    async def add_guest(
        self, guild_id: int, name: str, affiliation: str | None, by: int, number: int | None = None
    ) -> GuestResult:
        """Add a participant who is not a representative or deputy (``/meeting guest add``).

        Adding a name that is already there (in any case) updates its affiliation.
        """
        clean_name = validate_person_name(name)
        clean_affiliation = validate_affiliation(affiliation)
        council = await require_council(self.roster, guild_id)
        now = self.clock.now()
        async with self.db.transaction():
            meeting = await self._meeting_for_record(guild_id, number, now)
            added = await self.guests.add_guest(guild_id, meeting.id, clean_name, clean_affiliation, by, now)
            guests = tuple(await self.guests.guests(guild_id, meeting.id))
            agenda = tuple(await self.meetings.agenda(guild_id, meeting.id))
        return GuestResult(MeetingDetails(council, meeting, agenda), clean_name, clean_affiliation, added, guests)

    async def remove_guest(self, guild_id: int, name: str, number: int | None = None) -> GuestResult:
        """Remove a guest by name (``/meeting guest remove``)."""
        clean_name = validate_person_name(name)
        council = await require_council(self.roster, guild_id)
        now = self.clock.now()
        async with self.db.transaction():
            meeting = await self._meeting_for_record(guild_id, number, now)
            if not await self.guests.remove_guest(guild_id, meeting.id, clean_name):
                raise NotFound("meetings.guest_not_found", name=clean_name, number=meeting.number)
            guests = tuple(await self.guests.guests(guild_id, meeting.id))
            agenda = tuple(await self.meetings.agenda(guild_id, meeting.id))
        return GuestResult(MeetingDetails(council, meeting, agenda), clean_name, None, False, guests)

    async def guest_names(self, guild_id: int, number: int | None = None) -> list[StoredGuest]:
        """The guests of a meeting (for autocomplete); empty when there is no such meeting."""
        try:
            meeting = await self._default_for_record(guild_id, number, self.clock.now())
        except NotFound:
            return []
        return await self.guests.guests(guild_id, meeting.id)

    async def _default_for_record(self, guild_id: int, number: int | None, now: datetime) -> Meeting:
        """The meeting whose minutes are being written.

        The latest started one while its minutes are unpublished, else the next one (the secretary prepares it).
        """
        if number is None:
            started = await self.meetings.latest_started(guild_id, now)
            if started is not None and await self.minutes.published_at(guild_id, started.id) is None:
                return started
        return await resolve_meeting(self.meetings, guild_id, number, now)

    async def _meeting_for_record(self, guild_id: int, number: int | None, now: datetime) -> Meeting:
        """The meeting a record for the minutes is about: not cancelled, minutes not yet published."""
        meeting = await self._default_for_record(guild_id, number, now)
        check_editable(meeting)
        if await self.minutes.published_at(guild_id, meeting.id) is not None:
            raise Conflict("minutes.already_published_use_amend", number=meeting.number)
        return meeting

    async def set_next(
        self,
        guild_id: int,
        when: str,
        number: int | None = None,
        *,
        place: str | None = None,
        note: str | None = None,
        by: int = 0,
    ) -> NextResult:
        """Record the proposed next meeting (``/meeting next``) and create it, so nothing is typed twice.

        ``when`` may be phrased as minutes phrase it: "onsdag 2.juni 2027 klokka 10-15 – møtested
        kommer" or "5.desember 2027 på Sagatun Brukerstyrt senter – Hamar" (see
        :func:`~bot.domain.next_meeting.split_next`); ``place`` and ``note`` given as options win over
        what the phrase says. The new meeting is created with the standard agenda and not opened;
        running the command again updates that same meeting (while it has not been opened, its time
        and place change quietly; once opened, invitees are told as with ``/meeting edit``).
        """
        council = await require_council(self.roster, guild_id)
        now = self.clock.now()
        phrase = split_next(when)
        parsed = self._parse_when(phrase.when, council, now)
        clean_place = validate_place(place) if place is not None else (phrase.place and validate_place(phrase.place))
        clean_note = validate_next_note(note if note is not None else phrase.note)
        async with self.db.transaction():
            meeting = await resolve_meeting(self.meetings, guild_id, number, now, recent=True)
            check_editable(meeting)
            if parsed.start <= meeting.start_at:
                raise InvalidInput("meetings.next_before_meeting")
            updated = replace(meeting, next_text=when.strip()[:200], next_start_at=parsed.start, next_end_at=parsed.end)
            await self.meetings.update(updated)
            previous = await self.minutes.next_meeting(guild_id, meeting.id)
            linked = (
                await self.meetings.get(guild_id, previous.next_meeting_id)
                if previous is not None and previous.next_meeting_id is not None
                else None
            )
            if linked is None or linked.is_cancelled:
                created = True
                target = (await self.create(guild_id, by, when=phrase.when, place=clean_place or None)).meeting
            else:
                created = False
                changes: dict[str, str] = {}
                if linked.when != parsed:
                    changes["when"] = phrase.when
                if (clean_place or "") != linked.place and (clean_place or place is not None):
                    changes["place"] = clean_place or ""
                target = (await self.edit(guild_id, linked.number, **changes)).details.meeting if changes else linked
            proposal = NextMeeting(meeting.id, target.id, clean_place or None, clean_note, by, now)
            await self.minutes.set_next(
                guild_id,
                meeting.id,
                next_meeting_id=target.id,
                place=proposal.place,
                note=proposal.note,
                by=by,
                now=now,
            )
            agenda = tuple(await self.meetings.agenda(guild_id, meeting.id))
        log.info("next meeting %s set for meeting %s in guild %s", target.number, meeting.number, guild_id)
        return NextResult(MeetingDetails(council, updated, agenda), proposal, target, created)

    async def calendar_file(self, guild_id: int, meeting_id: int) -> tuple[str, bytes]:
        """The meeting's ``.ics`` as it stands now (the outbox worker attaches it): name and bytes."""
        meeting = await self.meetings.get(guild_id, meeting_id)
        if meeting is None:
            raise NotFound("meetings.none")
        ctx = await meeting_context(self.roster, self.meetings, meeting)
        # A call sends the same file to every member: render it once per version of the meeting.
        version = (meeting, ctx.council, tuple(ctx.agenda), tuple(ctx.documents))
        cached = self._calendars.get((guild_id, meeting_id))
        if cached is not None and cached[0] == version:
            return cached[1], cached[2]
        data = meeting_calendar(ctx.council, meeting, ctx.agenda, now=self.clock.now(), documents=ctx.documents)
        name = calendar_filename(ctx.council, meeting)
        if len(self._calendars) >= 64:
            self._calendars.clear()
        self._calendars[(guild_id, meeting_id)] = (version, name, data)
        return name, data

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

    async def _invite(self, ctx: MeetingContext, org: Organisation, inv: Invitation, role: Responder) -> int:
        user_id = inv.representative_id if role is Responder.REPRESENTATIVE else inv.deputy_id
        if user_id is None:
            return 0
        alongside = role is Responder.DEPUTY and inv.representative_id is not None
        asks_status = any(person == user_id for person, _role in prompt_recipients(inv))
        message = invitation(
            ctx, org, role, alongside=alongside, has_deputy=inv.deputy_id is not None, asks_status=asks_status
        )
        item = OutboxItem.dm(
            f"invite:{ctx.meeting.id}:{org.id}:{role.value}:{user_id}",
            user_id,
            message,
            Purpose.INVITATION,
            meeting_id=ctx.meeting.id,
            org_id=org.id,
        )
        return 1 if await self.outbox.enqueue(ctx.meeting.guild_id, item) is not None else 0

    async def _tell_invitees(self, ctx: MeetingContext, purpose: Purpose, key: str, build: _Builder) -> int:
        """Enqueue a notice to everyone still involved in each invitation (same transaction)."""
        count = 0
        orgs = {o.id: o for o in await self.roster.list_orgs(ctx.meeting.guild_id, include_retired=True)}
        for inv in await self.invitations.for_meeting(ctx.meeting.guild_id, ctx.meeting.id):
            org = orgs.get(inv.org_id)
            if org is None or inv.invited_at is None:
                continue
            message = build(org)
            for user_id in inv.recipients():
                item = OutboxItem.dm(
                    f"{key}:{org.id}:{user_id}", user_id, message, purpose, meeting_id=ctx.meeting.id, org_id=org.id
                )
                if await self.outbox.enqueue(ctx.meeting.guild_id, item) is not None:
                    count += 1
        return count


def _default_title(council: Council) -> str:
    return validate_title(t(council.language, "meetings.default_title", council=council.name))


def _follow(
    deadline: datetime, old_start: datetime, new_start: datetime, tz: ZoneInfo, now: datetime, moved: bool
) -> datetime:
    """A deadline not given in an edit moves with the meeting (on the local clock) while it stays in the future."""
    if not moved:
        return deadline
    shift = _wall(new_start, tz) - _wall(old_start, tz)
    candidate = (_wall(deadline, tz) + shift).replace(tzinfo=tz).astimezone(UTC)
    return candidate if candidate > now else deadline


def _wall(moment: datetime, tz: ZoneInfo) -> datetime:
    return moment.astimezone(tz).replace(tzinfo=None)


def _recorder(user_id: int | None, names: dict[int, str]) -> str | None:
    if user_id is None:
        return None
    return names.get(user_id, str(user_id))


def _person(user_id: int | None, names: dict[int, str]) -> Person | None:
    if user_id is None:
        return None
    return Person(user_id, names.get(user_id, str(user_id)))
