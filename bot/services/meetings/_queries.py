"""Reading meetings: lists, search, the dashboard, guests, the calendar file."""

from __future__ import annotations

from bot.domain.attendance import Invitation
from bot.domain.calendar import calendar_filename, meeting_calendar
from bot.domain.meetings import Meeting, StoredGuest
from bot.domain.roster import ERASED_ID, Organisation, Person, Role
from bot.errors import NotFound
from bot.i18n import t
from bot.services.hooks import NoStatusLookup
from bot.services.lookup import meeting_context, require_council
from bot.services.meetings._base import MeetingBase
from bot.services.meetings._results import Dashboard, DashboardRow, MeetingList


class MeetingQueries(MeetingBase):
    """The meeting lists, search, the dashboard, guests and the calendar file."""

    async def next_upcoming(self, guild_id: int) -> Meeting | None:
        """The next meeting that has not ended, if any."""
        return await self.deps.meetings.first_not_ended(guild_id, self.deps.clock.now())

    async def list_meetings(self, guild_id: int) -> MeetingList:
        """Upcoming and past meetings."""
        council = await require_council(self.deps.roster, guild_id)
        now = self.deps.clock.now()
        meetings = await self.deps.meetings.list_all(guild_id)
        upcoming = tuple(m for m in meetings if not m.has_ended(now))
        past = tuple(reversed([m for m in meetings if m.has_ended(now)]))
        return MeetingList(council, upcoming, past)

    async def search(self, guild_id: int, text: str) -> list[Meeting]:
        """Meetings for autocomplete."""
        return await self.deps.meetings.search(guild_id, text.strip()[:40])

    # -- during and after ----------------------------------------------------------------------------

    async def dashboard(self, guild_id: int, number: int | None = None) -> Dashboard:
        """Organisation by organisation: who was asked, what they answered and when, status, DM problems."""
        details = await self.get(guild_id, number)
        meeting = details.meeting
        invitations = {inv.org_id: inv for inv in await self.deps.invitations.for_meeting(guild_id, meeting.id)}
        names = await self.deps.roster.names(guild_id)
        # Someone who erased their data stays visible as a gap, not as a number (issue 12).
        names[ERASED_ID] = t(details.council.language, "meetings.dashboard_erased")
        with_status = await self.status.orgs_with_status(guild_id, meeting.id)
        closed = await self.outbox.closed_dms(guild_id)
        failed, pending = await self.outbox.delivery_summary(guild_id, meeting.id)
        failed |= closed
        orgs = {o.id: o for o in await self.deps.roster.list_orgs(guild_id, include_retired=True)}
        recorded: dict[tuple[int, Role], int | None] = {}
        for answer in await self.deps.invitations.answers(guild_id, meeting.id):  # oldest first: the last one counts
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
                for e in await self.deps.roster.roster(guild_id)
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
                    rep_recorded_by=_recorder(recorded.get((org.id, Role.REPRESENTATIVE)), names),
                    deputy_recorded_by=_recorder(recorded.get((org.id, Role.DEPUTY)), names),
                )
            )
        return Dashboard(details, tuple(rows), not isinstance(self.status, NoStatusLookup), pending)

    async def guest_names(self, guild_id: int, number: int | None = None) -> list[StoredGuest]:
        """The guests of a meeting (for autocomplete); empty when there is no such meeting."""
        try:
            meeting = await self._default_for_record(guild_id, number, self.deps.clock.now())
        except NotFound:
            return []
        return await self.guests.guests(guild_id, meeting.id)

    async def calendar_file(self, guild_id: int, meeting_id: int) -> tuple[str, bytes]:
        """The meeting's ``.ics`` as it stands now (the outbox worker attaches it): name and bytes."""
        meeting = await self.deps.meetings.get(guild_id, meeting_id)
        if meeting is None:
            raise NotFound("meetings.none")
        ctx = await meeting_context(self.deps, meeting)
        # A call sends the same file to every member: render it once per version of the meeting.
        version = (meeting, ctx.council, tuple(ctx.agenda), tuple(ctx.documents))
        cached = self._calendars.get((guild_id, meeting_id))
        if cached is not None and cached[0] == version:
            return cached[1], cached[2]
        data = meeting_calendar(ctx.council, meeting, ctx.agenda, now=self.deps.clock.now(), documents=ctx.documents)
        name = calendar_filename(ctx.council, meeting)
        if len(self._calendars) >= 64:
            self._calendars.clear()
        self._calendars[(guild_id, meeting_id)] = (version, name, data)
        return name, data


def _recorder(user_id: int | None, names: dict[int, str]) -> str | None:
    if user_id is None:
        return None
    return names.get(user_id, str(user_id))


def _person(user_id: int | None, names: dict[int, str]) -> Person | None:
    if user_id is None:
        return None
    return Person(user_id, names.get(user_id, str(user_id)))
