"""Look-ups several services share: the council, an organisation, a meeting by number or the default one, names.

Also the agenda item the minutes record something under, and the refusal to change published minutes.
"""

from __future__ import annotations

from datetime import datetime

from bot.domain.meetings import AgendaItem, Meeting
from bot.domain.notices import MeetingContext
from bot.domain.roster import ERASED_ID, Council, Organisation, clean_text
from bot.errors import Conflict, NotFound
from bot.i18n import t
from bot.services.deps import Deps
from bot.storage.meeting_repo import MeetingRepo
from bot.storage.roster_repo import RosterRepo


async def require_council(roster: RosterRepo, guild_id: int) -> Council:
    """The council of a server; ``NotFound`` before ``/council setup``."""
    council = await roster.get_council(guild_id)
    if council is None:
        raise NotFound("council.not_configured")
    return council


async def require_org(roster: RosterRepo, guild_id: int, short: str) -> Organisation:
    """The active organisation a member typed the short name of (case-insensitive); ``NotFound`` otherwise."""
    org = await roster.get_org_by_short(guild_id, clean_text(short))
    if org is None:
        raise NotFound("roster.org_not_found", short=clean_text(short)[:40])
    return org


async def resolve_meeting(
    meetings: MeetingRepo, guild_id: int, number: int | None, now: datetime, *, recent: bool = False
) -> Meeting:
    """The meeting a command means.

    Args:
        meetings: the repository.
        guild_id: the server.
        number: the meeting number the user gave, if any.
        now: the current time.
        recent: for commands used during or after a meeting (attendance, next meeting, minutes):
            default to the meeting that started most recently rather than the next one.

    Without a number: the next meeting that has not ended (or, with ``recent``, the latest one that
    has started), falling back to the other; cancelled meetings are skipped.
    """
    if number is not None:
        meeting = await meetings.get_by_number(guild_id, number)
        if meeting is None:
            raise NotFound("meetings.not_found", number=number)
        return meeting
    first, second = meetings.first_not_ended, meetings.latest_started
    if recent:
        first, second = second, first
    meeting = await first(guild_id, now) or await second(guild_id, now)
    if meeting is None:
        raise NotFound("meetings.none")
    return meeting


async def require_item(meetings: MeetingRepo, meeting: Meeting, position: int) -> AgendaItem:
    """The item at ``position`` on a meeting's agenda, for what the minutes record under it; ``NotFound`` otherwise."""
    item = next((i for i in await meetings.agenda(meeting.guild_id, meeting.id) if i.position == position), None)
    if item is None:
        raise NotFound("minutes.item_not_found", position=position, number=meeting.number)
    return item


def check_unpublished(meeting: Meeting, published_at: datetime | None) -> None:
    """Refuse to change what goes into a meeting's minutes once they are published (an addendum is the way then)."""
    if published_at is not None:
        raise Conflict("minutes.already_published_use_amend", number=meeting.number)


async def agenda_context(deps: Deps, council: Council, meeting: Meeting) -> MeetingContext:
    """The council, meeting and agenda, for a reply about the meeting (:func:`meeting_context` adds the documents)."""
    return MeetingContext(council, meeting, tuple(await deps.meetings.agenda(meeting.guild_id, meeting.id)))


async def meeting_context(deps: Deps, meeting: Meeting) -> MeetingContext:
    """The council, meeting, agenda and attached documents that messages about the meeting need."""
    council = await require_council(deps.roster, meeting.guild_id)
    agenda = tuple(await deps.meetings.agenda(meeting.guild_id, meeting.id))
    documents = tuple(await deps.meetings.documents(meeting.guild_id, meeting.id))
    return MeetingContext(council, meeting, agenda, documents=documents)


async def council_meeting(
    deps: Deps, guild_id: int, number: int | None, *, recent: bool = False
) -> tuple[Council, Meeting]:
    """The council and the meeting a command means (see :func:`resolve_meeting`), outside any transaction.

    ``NotFound`` before ``/council setup``, and when there is no such meeting.
    """
    council = await require_council(deps.roster, guild_id)
    return council, await resolve_meeting(deps.meetings, guild_id, number, deps.clock.now(), recent=recent)


async def find_meeting(deps: Deps, guild_id: int, number: int | None, *, recent: bool = False) -> MeetingContext:
    """The meeting a command means (see :func:`resolve_meeting`) with its :func:`meeting_context`.

    ``NotFound`` before ``/council setup``, and when there is no such meeting.
    """
    _council, meeting = await council_meeting(deps, guild_id, number, recent=recent)
    return await meeting_context(deps, meeting)


async def people_names(deps: Deps, council: Council) -> dict[int, str]:
    """The name of everyone the council has seen, by user id; people who erased their data are named as such."""
    names = await deps.roster.names(council.guild_id)
    names[ERASED_ID] = t(council.language, "privacy.anonymous")
    return names
