"""Agenda use cases. The status round stays first and any other business ("Eventuelt") stays last."""

from __future__ import annotations

from dataclasses import dataclass, replace

from bot.domain.clock import Clock
from bot.domain.meetings import (
    AGENDA_MAX,
    AgendaItem,
    AgendaKind,
    Meeting,
    check_editable,
    move_positions,
    validate_item_title,
    validate_lead,
)
from bot.errors import Conflict, InvalidInput, NotFound
from bot.services.lookup import require_council, resolve_meeting
from bot.services.meetings import MeetingDetails
from bot.storage.db import Database
from bot.storage.meeting_repo import MeetingRepo
from bot.storage.roster_repo import RosterRepo

CLEAR = frozenset({"-", "–", "—"})
"""Typed as a lead, these clear it."""


@dataclass(frozen=True, slots=True)
class AgendaChange:
    """An agenda after a change, and the item concerned."""

    details: MeetingDetails
    item: AgendaItem

    @property
    def invite_deputies_hint(self) -> bool:
        """The meeting was already opened and the item now interests deputies: ``/meeting open`` invites them."""
        return self.details.meeting.is_open and self.item.deputy_interest


class AgendaService:
    """Adds, edits, moves and removes agenda items."""

    def __init__(self, db: Database, meetings: MeetingRepo, roster: RosterRepo, clock: Clock) -> None:
        self.db = db
        self.meetings = meetings
        self.roster = roster
        self.clock = clock

    async def show(self, guild_id: int, number: int | None = None) -> MeetingDetails:
        """A meeting with its agenda."""
        council = await require_council(self.roster, guild_id)
        meeting = await resolve_meeting(self.meetings, guild_id, number, self.clock.now())
        return MeetingDetails(council, meeting, tuple(await self.meetings.agenda(guild_id, meeting.id)))

    async def items(self, guild_id: int, number: int | None = None) -> list[AgendaItem]:
        """The agenda of a meeting (for autocomplete); empty when there is no such meeting."""
        try:
            meeting = await resolve_meeting(self.meetings, guild_id, number, self.clock.now())
        except NotFound:
            return []
        return await self.meetings.agenda(guild_id, meeting.id)

    async def add(
        self,
        guild_id: int,
        title: str,
        *,
        lead: str | None = None,
        deputy_interest: bool = False,
        number: int | None = None,
    ) -> AgendaChange:
        """Add an item just before any other business."""
        clean_title = validate_item_title(title)
        clean_lead = None if lead is None or lead.strip() in CLEAR else validate_lead(lead)
        async with self.db.transaction():
            meeting, items = await self._editable(guild_id, number)
            if len(items) >= AGENDA_MAX:
                raise InvalidInput("meetings.agenda_full", limit=AGENDA_MAX)
            last = items[-1] if items and items[-1].kind is AgendaKind.ANY_OTHER_BUSINESS else None
            position = last.position if last else len(items) + 1
            if last is not None:
                await self.meetings.set_positions(guild_id, [(last.id, last.position + 1)])
            item_id = await self.meetings.insert_item(
                guild_id,
                meeting.id,
                position=position,
                kind=AgendaKind.ITEM,
                title=clean_title,
                lead=clean_lead,
                deputy_interest=deputy_interest,
            )
            return await self._change(guild_id, meeting, item_id)

    async def edit(
        self,
        guild_id: int,
        position: int,
        *,
        title: str | None = None,
        lead: str | None = None,
        deputy_interest: bool | None = None,
        number: int | None = None,
    ) -> AgendaChange:
        """Change an item's title, lead (``-`` clears it) or deputy interest."""
        if title is None and lead is None and deputy_interest is None:
            raise InvalidInput("meetings.nothing_to_change")
        async with self.db.transaction():
            meeting, items = await self._editable(guild_id, number)
            item = _at(items, position)
            updated = replace(
                item,
                title=validate_item_title(title) if title is not None else item.title,
                lead=item.lead if lead is None else (None if lead.strip() in CLEAR else validate_lead(lead)),
                deputy_interest=item.deputy_interest if deputy_interest is None else deputy_interest,
            )
            await self.meetings.update_item(updated)
            return await self._change(guild_id, meeting, item.id)

    async def move(self, guild_id: int, position: int, to: int, *, number: int | None = None) -> AgendaChange:
        """Move an item to another position between the status round and any other business."""
        async with self.db.transaction():
            meeting, items = await self._editable(guild_id, number)
            item = _at(items, position)
            await self.meetings.set_positions(guild_id, move_positions(items, item, to))
            return await self._change(guild_id, meeting, item.id)

    async def remove(self, guild_id: int, position: int, *, number: int | None = None) -> AgendaChange:
        """Remove an ordinary item; the items after it move up."""
        async with self.db.transaction():
            meeting, items = await self._editable(guild_id, number)
            item = _at(items, position)
            if item.is_fixed:
                raise Conflict("meetings.item_fixed")
            await self.meetings.delete_item(guild_id, item.id)
            rest = [i for i in items if i.id != item.id]
            await self.meetings.set_positions(guild_id, [(i.id, n) for n, i in enumerate(rest, start=1)])
            council = await require_council(self.roster, guild_id)
            agenda = tuple(await self.meetings.agenda(guild_id, meeting.id))
        return AgendaChange(MeetingDetails(council, meeting, agenda), item)

    # -- internals -------------------------------------------------------------------------------

    async def _editable(self, guild_id: int, number: int | None) -> tuple[Meeting, list[AgendaItem]]:
        await require_council(self.roster, guild_id)
        meeting = await resolve_meeting(self.meetings, guild_id, number, self.clock.now())
        check_editable(meeting)
        return meeting, await self.meetings.agenda(guild_id, meeting.id)

    async def _change(self, guild_id: int, meeting: Meeting, item_id: int) -> AgendaChange:
        council = await require_council(self.roster, guild_id)
        agenda = tuple(await self.meetings.agenda(guild_id, meeting.id))
        item = next(i for i in agenda if i.id == item_id)
        return AgendaChange(MeetingDetails(council, meeting, agenda), item)


def _at(items: list[AgendaItem], position: int) -> AgendaItem:
    for item in items:
        if item.position == position:
            return item
    raise NotFound("meetings.item_not_found", position=position)
