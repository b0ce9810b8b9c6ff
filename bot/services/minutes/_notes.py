"""Notes on agenda items: adding them, and the edit form that replaces them without losing any."""

from __future__ import annotations

import logging

from bot.domain.meetings import AgendaItem, Meeting
from bot.domain.notes import FIELD_MAX, FORM_FIELDS, form_parts, join_parts, validate_notes
from bot.errors import InvalidInput, NotFound
from bot.services.lookup import check_unpublished, require_council, require_item
from bot.services.minutes._base import MinutesBase
from bot.services.minutes._results import NotesEdited, NotesForm

log = logging.getLogger(__name__)


class MinutesNotes(MinutesBase):
    """``/minutes note`` and the ``/minutes edit`` form."""

    # -- notes -----------------------------------------------------------------------------------

    async def add_note(
        self, guild_id: int, position: int, text: str, author_id: int, number: int | None = None
    ) -> tuple[Meeting, AgendaItem]:
        """Add a note to an agenda item ("Innspill fra møtet"), until the minutes are published."""
        cleaned = validate_notes(text, self.limits.note_max_chars)
        async with self.deps.db.transaction():
            meeting, published = await self._meeting_for_minutes(guild_id, number)
            check_unpublished(meeting, published)
            item = await require_item(self.deps.meetings, meeting, position)
            await self.repo.add_note(guild_id, meeting.id, item.id, cleaned, author_id, self.deps.clock.now())
        return meeting, item

    async def edit_form(self, guild_id: int, position: int, number: int | None = None) -> NotesForm:
        """The item's current notes for the ``/minutes edit`` form (refused once the minutes are published)."""
        council = await require_council(self.deps.roster, guild_id)
        meeting, published = await self._meeting_for_minutes(guild_id, number)
        check_unpublished(meeting, published)
        item = await require_item(self.deps.meetings, meeting, position)
        notes = [n for n in await self.repo.notes(guild_id, meeting.id) if n.agenda_item_id == item.id]
        parts = form_parts([n.text for n in notes], min(FIELD_MAX, self.limits.note_max_chars))
        return NotesForm(council, meeting, item, parts, max((n.id for n in notes), default=0))

    async def save_edit(
        self, guild_id: int, meeting_id: int, item_id: int, upto_id: int, parts: list[str], by: int
    ) -> NotesEdited:
        """Replace the item's notes (those the form showed) with the form's text; empty deletes them.

        Nothing is erased: replaced notes stay stored with who replaced them and when, and the new
        text is stored as a note by ``by``. Unchanged text stores nothing.
        """
        if len(parts) > FORM_FIELDS or any(len(p) > FIELD_MAX for p in parts):
            raise InvalidInput("minutes.text_too_long", limit=FIELD_MAX, length=max(len(p) for p in parts))
        text = join_parts(parts)
        cleaned = validate_notes(text, FORM_FIELDS * FIELD_MAX) if text.strip() else ""
        council = await require_council(self.deps.roster, guild_id)
        now = self.deps.clock.now()
        async with self.deps.db.transaction():
            meeting = await self.deps.meetings.get(guild_id, meeting_id)
            if meeting is None:
                raise NotFound("minutes.item_gone")
            meeting, published = await self._meeting_for_minutes(guild_id, meeting.number)
            check_unpublished(meeting, published)
            item = next((i for i in await self.deps.meetings.agenda(guild_id, meeting.id) if i.id == item_id), None)
            if item is None:
                raise NotFound("minutes.item_gone")
            shown = [
                n
                for n in await self.repo.notes(guild_id, meeting.id)
                if n.agenda_item_id == item.id and n.id <= upto_id
            ]
            before = "\n\n".join(n.text.strip() for n in shown)
            if cleaned == before:
                return NotesEdited(council, meeting, item, 0, len(cleaned), changed=False)
            replaced = await self.repo.replace_notes(guild_id, meeting.id, item.id, upto_id, by, now)
            if cleaned:
                await self.repo.add_note(guild_id, meeting.id, item.id, cleaned, by, now)
        log.info("notes of item %s edited in meeting %s (guild %s)", item.position, meeting.number, guild_id)
        return NotesEdited(council, meeting, item, replaced, len(cleaned), changed=True)

    # -- drafts and publication ------------------------------------------------------------------
