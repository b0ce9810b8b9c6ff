"""Meetings and agenda items in SQLite. Every query is scoped by ``guild_id``."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from bot.domain.documents import DocumentInfo
from bot.domain.meetings import AgendaItem, Meeting
from bot.storage._rows import RowMapper
from bot.storage.db import Database, Repository, utc_iso
from bot.storage.document_repo import DocumentRepo

_meeting = RowMapper(Meeting, columns={"next_text": "next_meeting"})
_item = RowMapper(AgendaItem)


class MeetingRepo(Repository):
    """Repository for the meeting aggregate (a meeting and its agenda)."""

    def __init__(self, db: Database) -> None:
        super().__init__(db)
        self._documents = DocumentRepo(db)

    # -- meetings --------------------------------------------------------------------------------

    async def insert(
        self,
        guild_id: int,
        *,
        title: str,
        place: str,
        start_at: datetime,
        end_at: datetime,
        rsvp_deadline: datetime,
        status_deadline: datetime,
        created_by: int,
        now: datetime,
    ) -> Meeting:
        """Add a meeting with the next number of this server."""
        return await self.db.fetch_returned(
            _meeting,
            """INSERT INTO meetings (guild_id, number, title, place, start_at, end_at, rsvp_deadline,
                                     status_deadline, created_by, created_at)
               VALUES (?, (SELECT COALESCE(MAX(number), 0) + 1 FROM meetings WHERE guild_id = ?),
                       ?, ?, ?, ?, ?, ?, ?, ?)
               RETURNING *""",
            (
                guild_id,
                guild_id,
                title,
                place,
                utc_iso(start_at),
                utc_iso(end_at),
                utc_iso(rsvp_deadline),
                utc_iso(status_deadline),
                created_by,
                utc_iso(now),
            ),
        )

    async def get(self, guild_id: int, meeting_id: int) -> Meeting | None:
        """A meeting by id."""
        return await self.db.fetchone_as(
            _meeting, "SELECT * FROM meetings WHERE guild_id = ? AND id = ?", (guild_id, meeting_id)
        )

    async def get_by_number(self, guild_id: int, number: int) -> Meeting | None:
        """A meeting by its number in this server."""
        return await self.db.fetchone_as(
            _meeting, "SELECT * FROM meetings WHERE guild_id = ? AND number = ?", (guild_id, number)
        )

    async def guild_of(self, meeting_id: int) -> int | None:
        """The server a meeting belongs to.

        A button in a DM carries no server, only the meeting id; this routing lookup is the one read
        not scoped by server. Everything after it is, and the clicker must be in the invitation.
        """
        return await self.db.fetch_int("SELECT guild_id FROM meetings WHERE id = ?", (meeting_id,))

    async def list_all(self, guild_id: int) -> list[Meeting]:
        """Every meeting of a server, by start time."""
        return await self.db.fetchall_as(
            _meeting, "SELECT * FROM meetings WHERE guild_id = ? ORDER BY start_at, number", (guild_id,)
        )

    async def first_not_ended(self, guild_id: int, now: datetime) -> Meeting | None:
        """The earliest meeting not cancelled and not yet over."""
        return await self.db.fetchone_as(
            _meeting,
            """SELECT * FROM meetings WHERE guild_id = ? AND state != 'cancelled' AND end_at > ?
               ORDER BY start_at, number LIMIT 1""",
            (guild_id, utc_iso(now)),
        )

    async def latest_started(self, guild_id: int, now: datetime) -> Meeting | None:
        """The most recent meeting not cancelled that has started."""
        return await self.db.fetchone_as(
            _meeting,
            """SELECT * FROM meetings WHERE guild_id = ? AND state != 'cancelled' AND start_at <= ?
               ORDER BY start_at DESC, number DESC LIMIT 1""",
            (guild_id, utc_iso(now)),
        )

    async def search(self, guild_id: int, text: str, limit: int = 25) -> list[Meeting]:
        """Meetings whose number or title matches ``text``, newest first (for autocomplete)."""
        pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        return await self.db.fetchall_as(
            _meeting,
            r"""SELECT * FROM meetings
                WHERE guild_id = ? AND (CAST(number AS TEXT) LIKE ? ESCAPE '\' OR title LIKE ? ESCAPE '\')
                ORDER BY state = 'cancelled', start_at DESC LIMIT ?""",
            (guild_id, pattern, pattern, limit),
        )

    async def update(self, meeting: Meeting) -> None:
        """Save a meeting's editable fields, state and revision."""
        await self.db.execute(
            """UPDATE meetings SET title = ?, place = ?, start_at = ?, end_at = ?, rsvp_deadline = ?,
                   status_deadline = ?, state = ?, opened_at = ?, cancelled_at = ?, cancel_reason = ?,
                   next_meeting = ?, next_start_at = ?, next_end_at = ?, revision = ?,
                   ics_sequence = ?
               WHERE guild_id = ? AND id = ?""",
            (
                meeting.title,
                meeting.place,
                utc_iso(meeting.start_at),
                utc_iso(meeting.end_at),
                utc_iso(meeting.rsvp_deadline),
                utc_iso(meeting.status_deadline),
                meeting.state.value,
                utc_iso(meeting.opened_at) if meeting.opened_at else None,
                utc_iso(meeting.cancelled_at) if meeting.cancelled_at else None,
                meeting.cancel_reason,
                meeting.next_text,
                utc_iso(meeting.next_start_at) if meeting.next_start_at else None,
                utc_iso(meeting.next_end_at) if meeting.next_end_at else None,
                meeting.revision,
                meeting.ics_sequence,
                meeting.guild_id,
                meeting.id,
            ),
        )

    # -- agenda ----------------------------------------------------------------------------------

    async def agenda(self, guild_id: int, meeting_id: int) -> list[AgendaItem]:
        """A meeting's agenda in order."""
        return await self.db.fetchall_as(
            _item,
            "SELECT * FROM agenda_items WHERE guild_id = ? AND meeting_id = ? ORDER BY position, id",
            (guild_id, meeting_id),
        )

    async def documents(self, guild_id: int, meeting_id: int) -> list[DocumentInfo]:
        """The documents attached to a meeting's agenda (without their bytes)."""
        return await self._documents.for_meeting(guild_id, meeting_id)

    async def insert_item(self, item: AgendaItem) -> int:
        """Add an agenda item at its position (the caller makes room first); return its id (``item.id`` is not used)."""
        return await self.db.execute(
            """INSERT INTO agenda_items (guild_id, meeting_id, position, kind, title, lead, deputy_interest, details)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
            (
                item.guild_id,
                item.meeting_id,
                item.position,
                item.kind.value,
                item.title,
                item.lead,
                int(item.deputy_interest),
                item.details,
            ),
        )

    async def update_item(self, item: AgendaItem) -> None:
        """Save an item's title, lead, deputy interest and background text."""
        await self.db.execute(
            """UPDATE agenda_items SET title = ?, lead = ?, deputy_interest = ?, details = ?
               WHERE guild_id = ? AND id = ?""",
            (item.title, item.lead, int(item.deputy_interest), item.details, item.guild_id, item.id),
        )

    async def set_positions(self, guild_id: int, positions: Iterable[tuple[int, int]]) -> None:
        """Renumber items: ``(item id, new position)`` pairs."""
        await self.db.executemany(
            "UPDATE agenda_items SET position = ? WHERE guild_id = ? AND id = ?",
            [(position, guild_id, item_id) for item_id, position in positions],
        )

    async def item_references(self, guild_id: int, item_id: int, ignore: tuple[str, ...] = ()) -> int:
        """How many rows (notes, and whatever else a later table hangs on an item) point at the item.

        Found from the schema, so a new table with an ``agenda_item_id`` column is counted too; tables
        in ``ignore`` (rows that go with the item, such as its documents) are not.
        """
        tables = await self.db.fetchall(
            """SELECT m.name FROM sqlite_master m, pragma_table_info(m.name) c
               WHERE m.type = 'table' AND c.name = 'agenda_item_id'"""
        )
        total = 0
        for (table,) in tables:
            if table in ignore:
                continue
            total += await self.db.fetch_int(
                f"SELECT count(*) FROM {table} WHERE guild_id = ? AND agenda_item_id = ?",
                (guild_id, item_id),
                default=0,
            )
        return total

    async def delete_item(self, guild_id: int, item_id: int) -> None:
        """Remove an agenda item (the caller renumbers the rest)."""
        await self.db.execute("DELETE FROM agenda_items WHERE guild_id = ? AND id = ?", (guild_id, item_id))
