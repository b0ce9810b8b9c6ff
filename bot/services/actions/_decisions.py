"""Decisions under agenda items."""

from __future__ import annotations

from bot.domain.memory import validate_decision
from bot.errors import NotFound
from bot.services.actions._base import MemoryBase
from bot.services.actions._results import DecisionRef
from bot.services.lookup import check_unpublished, require_item, resolve_meeting


class MemoryDecisions(MemoryBase):
    """``/decision add|edit`` and the decisions of a meeting."""

    async def add_decision(
        self, guild_id: int, position: int, text: str, author_id: int, number: int | None = None
    ) -> DecisionRef:
        """Record a decision ("Vedtak") under an agenda item, until the minutes are published."""
        cleaned = validate_decision(text)
        async with self.deps.db.transaction():
            meeting = await self._editable_meeting(guild_id, number)
            item = await require_item(self.deps.meetings, meeting, position)
            decision_id = await self.repo.add_decision(
                guild_id, meeting.id, item.id, cleaned, author_id, self.deps.clock.now()
            )
        return DecisionRef(decision_id, meeting, item, cleaned)

    async def decisions(self, guild_id: int, number: int | None = None) -> list[DecisionRef]:
        """A meeting's decisions with their items (for autocomplete and listing)."""
        meeting = await resolve_meeting(self.deps.meetings, guild_id, number, self.deps.clock.now(), recent=True)
        items = {i.id: i for i in await self.deps.meetings.agenda(guild_id, meeting.id)}
        return [
            DecisionRef(d.id, meeting, items[d.agenda_item_id], d.text)
            for d in await self.repo.decisions(guild_id, meeting.id)
            if d.agenda_item_id in items
        ]

    async def edit_decision(self, guild_id: int, decision_id: int, text: str | None) -> DecisionRef | None:
        """Rewrite a decision, or remove it when ``text`` is None; refused once the minutes are published."""
        cleaned = validate_decision(text) if text is not None else None
        async with self.deps.db.transaction():
            ref = await self._decision(guild_id, decision_id)
            check_unpublished(ref.meeting, await self.minutes.published_at(guild_id, ref.meeting.id))
            if cleaned is None:
                await self.repo.delete_decision(guild_id, decision_id)
                return None
            await self.repo.update_decision(guild_id, decision_id, cleaned, self.deps.clock.now())
        return DecisionRef(ref.id, ref.meeting, ref.item, cleaned)

    async def decision(self, guild_id: int, decision_id: int) -> DecisionRef:
        """One decision by id; ``NotFound`` otherwise."""
        return await self._decision(guild_id, decision_id)

    async def _decision(self, guild_id: int, decision_id: int) -> DecisionRef:
        found = await self.repo.get_decision(guild_id, decision_id)
        meeting = await self.deps.meetings.get(guild_id, found.meeting_id) if found else None
        if found is None or meeting is None:
            raise NotFound("memory.decision_not_found", decision=decision_id)
        items = {i.id: i for i in await self.deps.meetings.agenda(guild_id, meeting.id)}
        if found.agenda_item_id not in items:
            raise NotFound("memory.decision_not_found", decision=decision_id)
        return DecisionRef(found.id, meeting, items[found.agenda_item_id], found.text)
