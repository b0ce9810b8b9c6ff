"""What the secretary records for the minutes: attendance, guests, the next meeting."""

from __future__ import annotations

import logging
from dataclasses import replace

from bot.domain.guests import validate_affiliation, validate_person_name
from bot.domain.invitations import attendance
from bot.domain.meetings import MeetingFields, NextMeeting, check_editable, validate_place
from bot.domain.next_meeting import split_next, validate_next_note
from bot.domain.roster import Role
from bot.errors import InvalidInput, NotFound
from bot.services.lookup import agenda_context, require_council, require_org, resolve_meeting
from bot.services.meetings._commands import MeetingCommands
from bot.services.meetings._results import AttendanceResult, GuestResult, NextResult

log = logging.getLogger(__name__)


class MeetingRecords(MeetingCommands):
    """``/meeting attendance``, ``guest add|remove`` and ``next`` (it creates or edits the next meeting)."""

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
        council = await require_council(self.deps.roster, guild_id)
        now = self.deps.clock.now()
        substitute_name = validate_person_name(substitute) if substitute is not None else None
        if substitute_name is not None and not present:
            raise InvalidInput("meetings.substitute_needs_present")
        async with self.deps.db.transaction():
            meeting = await resolve_meeting(self.deps.meetings, guild_id, number, now, recent=True)
            check_editable(meeting)
            org = await require_org(self.deps.roster, guild_id, org_short)
            inv = await self.deps.invitations.for_org(guild_id, meeting.id, org.id)
            if inv is None:
                seats = {s.role: s.person.user_id for s in await self.deps.roster.seats_for_org(guild_id, org.id)}
                inv = await self.deps.invitations.insert(
                    guild_id,
                    meeting.id,
                    org.id,
                    representative_id=seats.get(Role.REPRESENTATIVE),
                    deputy_id=seats.get(Role.DEPUTY),
                    deputy_invited=False,
                    invited_at=None,
                    now=now,
                )
            # A substitute is neither the representative nor the deputy: the name is stored below.
            role, user_id = attendance(inv, present=present and substitute_name is None)
            await self.deps.invitations.record_attendance(
                guild_id, inv.id, attended=present, role=role, user_id=user_id, by=by, now=now
            )
            await self.guests.set_substitute(guild_id, meeting.id, org.id, substitute_name, by, now)
            details = await agenda_context(self.deps, council, meeting)
            person = await self.deps.roster.get_person(guild_id, user_id) if user_id else None
        return AttendanceResult(details, org, present, role, person, substitute_name)

    # -- guests ------------------------------------------------------------------------------------

    async def add_guest(
        self, guild_id: int, name: str, affiliation: str | None, by: int, number: int | None = None
    ) -> GuestResult:
        """Add a participant who is not a representative or deputy (``/meeting guest add``).

        Adding a name that is already there (in any case) updates its affiliation.
        """
        clean_name = validate_person_name(name)
        clean_affiliation = validate_affiliation(affiliation)
        council = await require_council(self.deps.roster, guild_id)
        now = self.deps.clock.now()
        async with self.deps.db.transaction():
            meeting = await self._meeting_for_record(guild_id, number, now)
            added = await self.guests.add_guest(guild_id, meeting.id, clean_name, clean_affiliation, by, now)
            guests = tuple(await self.guests.guests(guild_id, meeting.id))
            details = await agenda_context(self.deps, council, meeting)
        return GuestResult(details, clean_name, clean_affiliation, added, guests)

    async def remove_guest(self, guild_id: int, name: str, number: int | None = None) -> GuestResult:
        """Remove a guest by name (``/meeting guest remove``)."""
        clean_name = validate_person_name(name)
        council = await require_council(self.deps.roster, guild_id)
        now = self.deps.clock.now()
        async with self.deps.db.transaction():
            meeting = await self._meeting_for_record(guild_id, number, now)
            if not await self.guests.remove_guest(guild_id, meeting.id, clean_name):
                raise NotFound("meetings.guest_not_found", name=clean_name, number=meeting.number)
            guests = tuple(await self.guests.guests(guild_id, meeting.id))
            details = await agenda_context(self.deps, council, meeting)
        return GuestResult(details, clean_name, None, False, guests)

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
        council = await require_council(self.deps.roster, guild_id)
        now = self.deps.clock.now()
        phrase = split_next(when)
        parsed = self._parse_when(phrase.when, council, now)
        clean_place = validate_place(place) if place is not None else (phrase.place and validate_place(phrase.place))
        clean_note = validate_next_note(note if note is not None else phrase.note)
        async with self.deps.db.transaction():
            meeting = await resolve_meeting(self.deps.meetings, guild_id, number, now, recent=True)
            check_editable(meeting)
            if parsed.start <= meeting.start_at:
                raise InvalidInput("meetings.next_before_meeting")
            updated = replace(meeting, next_text=when.strip()[:200], next_start_at=parsed.start, next_end_at=parsed.end)
            await self.deps.meetings.update(updated)
            previous = await self.minutes.next_meeting(guild_id, meeting.id)
            linked = (
                await self.deps.meetings.get(guild_id, previous.next_meeting_id)
                if previous is not None and previous.next_meeting_id is not None
                else None
            )
            if linked is None or linked.is_cancelled:
                created = True
                target = (await self.create(guild_id, by, MeetingFields(phrase.when, clean_place or None))).meeting
            else:
                created = False
                moved = linked.when != parsed
                placed = (clean_place or "") != linked.place and bool(clean_place or place is not None)
                changes = MeetingFields(phrase.when if moved else None, (clean_place or "") if placed else None)
                edited = None if changes.is_empty else await self.edit(guild_id, changes, number=linked.number)
                target = edited.details.meeting if edited else linked
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
            details = await agenda_context(self.deps, council, updated)
        log.info("next meeting %s set for meeting %s in guild %s", target.number, meeting.number, guild_id)
        return NextResult(details, proposal, target, created)
