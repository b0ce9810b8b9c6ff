"""Action items: recording them, listing them, marking them done."""

from __future__ import annotations

import logging

from bot.domain.dates import parse_deadline
from bot.domain.memory import ActionItem, validate_action, validate_note
from bot.domain.outbox import OutboxItem, OutgoingMessage, Purpose, TargetKind
from bot.domain.roster import Person
from bot.domain.text import no_mentions
from bot.errors import Conflict, InvalidInput, NotAllowed, NotFound
from bot.i18n import reading_order, t
from bot.services.actions._base import MemoryBase
from bot.services.actions._results import ActionList, ActionResult, Show
from bot.services.lookup import require_council, require_item, require_org

log = logging.getLogger(__name__)


class MemoryActions(MemoryBase):
    """``/action add|list|done``."""

    async def add_action(
        self,
        guild_id: int,
        text: str,
        by: int,
        *,
        org: str | None = None,
        user: Person | None = None,
        due: str | None = None,
        item: int | None = None,
        number: int | None = None,
    ) -> ActionResult:
        """Record an action item. Owner: an organisation, a person, or neither (the secretariat)."""
        cleaned = validate_action(text)
        if org is not None and user is not None:
            raise InvalidInput("memory.owner_both")
        council = await require_council(self.deps.roster, guild_id)
        now = self.deps.clock.now()
        due_at = parse_deadline(due, now=now, tz=council.tz, languages=reading_order(council.language)) if due else None
        async with self.deps.db.transaction():
            meeting = await self._editable_meeting(guild_id, number)
            agenda_item = await require_item(self.deps.meetings, meeting, item) if item is not None else None
            owner_org = await require_org(self.deps.roster, guild_id, org) if org is not None else None
            if user is not None:
                await self.deps.roster.remember_person(guild_id, user, now)
            stored = await self.repo.add_action(
                guild_id,
                meeting.id,
                text=cleaned,
                item_id=agenda_item.id if agenda_item else None,
                owner_org_id=owner_org.id if owner_org else None,
                owner_user_id=user.user_id if user else None,
                due_at=due_at,
                created_by=by,
                now=now,
            )
        return await self._result(council, meeting, stored)

    async def list_actions(self, guild_id: int, show: Show = "open") -> ActionList:
        """The council's action items: open ones, or all."""
        council = await require_council(self.deps.roster, guild_id)
        items = await self.repo.actions(guild_id, open_only=show == "open")
        lines = await self._lines(guild_id, items)
        return ActionList(council, show, tuple(lines), self.deps.clock.now())

    async def done(
        self, guild_id: int, number: int, user_id: int, *, is_secretary: bool, note: str | None = None
    ) -> ActionResult:
        """Mark an item done: by the secretary or the owner (an organisation's representative); others refused."""
        cleaned = validate_note(note)
        council = await require_council(self.deps.roster, guild_id)
        now = self.deps.clock.now()
        async with self.deps.db.transaction():
            found = await self.repo.get_action(guild_id, number)
            if found is None:
                raise NotFound("memory.action_not_found", number=number)
            if not is_secretary and user_id not in await self._answerable(guild_id, found):
                raise NotAllowed("memory.action_not_yours", number=number)
            if not await self.repo.mark_done(guild_id, found.id, user_id, cleaned, now):
                raise Conflict("memory.action_already_done", number=number)
            updated = await self.repo.get_action(guild_id, number)
            assert updated is not None  # noqa: S101 - just written in this transaction
            meeting = await self.deps.meetings.get(guild_id, updated.meeting_id)
            assert meeting is not None  # noqa: S101 - action items reference their meeting
            result = await self._result(council, meeting, updated)
            if not is_secretary:
                names = await self.deps.roster.names(guild_id)
                text = t(
                    council.language,
                    "memory.done_notice",
                    number=number,
                    text=no_mentions(updated.text),
                    person=no_mentions(names.get(user_id, str(user_id))),
                    note=no_mentions(cleaned) if cleaned else "–",
                )
                await self.outbox.enqueue(
                    guild_id,
                    OutboxItem(
                        f"action:{updated.id}:done",
                        TargetKind.CHANNEL,
                        council.secretary_channel_id,
                        OutgoingMessage(text),
                        Purpose.OTHER,
                        meeting.id,
                    ),
                )
        return result

    async def search_actions(self, guild_id: int, text: str, *, open_only: bool) -> list[ActionItem]:
        """Action items for autocomplete."""
        needle = text.strip().casefold().lstrip("#")
        items = await self.repo.actions(guild_id, open_only=open_only)
        return [i for i in items if not needle or needle in str(i.number) or needle in i.text.casefold()][:25]
