"""Notes, minutes versions and addenda in SQLite."""

from __future__ import annotations

from datetime import datetime

from bot.domain.meetings import NextMeeting
from bot.domain.minutes import Note, StoredAddendum, StoredMinutes
from bot.storage._rows import RowMapper
from bot.storage.db import Repository, from_iso, utc_iso

_note = RowMapper(Note)
_next_meeting = RowMapper(NextMeeting)
_stored = RowMapper(StoredMinutes)
_addendum = RowMapper(StoredAddendum)


class MinutesRepo(Repository):
    """Repository for the minutes aggregate; every query is scoped by ``guild_id``."""

    async def add_note(
        self, guild_id: int, meeting_id: int, item_id: int, text: str, author_id: int, now: datetime
    ) -> int:
        """Store a note on an agenda item."""
        return await self.db.execute(
            """INSERT INTO minutes_notes (guild_id, meeting_id, agenda_item_id, text, author_id, created_at)
               VALUES (?, ?, ?, ?, ?, ?)""",
            (guild_id, meeting_id, item_id, text, author_id, utc_iso(now)),
        )

    async def notes(self, guild_id: int, meeting_id: int) -> list[Note]:
        """The current notes of a meeting (not replaced by an edit), oldest first."""
        return await self.db.fetchall_as(
            _note,
            """SELECT * FROM minutes_notes WHERE guild_id = ? AND meeting_id = ? AND replaced_at IS NULL
               ORDER BY id""",
            (guild_id, meeting_id),
        )

    async def note_history(self, guild_id: int, meeting_id: int, item_id: int) -> list[Note]:
        """Every note ever written on an item, replaced ones included, oldest first."""
        return await self.db.fetchall_as(
            _note,
            "SELECT * FROM minutes_notes WHERE guild_id = ? AND meeting_id = ? AND agenda_item_id = ? ORDER BY id",
            (guild_id, meeting_id, item_id),
        )

    async def replace_notes(
        self, guild_id: int, meeting_id: int, item_id: int, upto_id: int, by: int, now: datetime
    ) -> int:
        """Mark the item's current notes up to ``upto_id`` as replaced (kept, not deleted); return how many."""
        return await self.db.execute_rowcount(
            """UPDATE minutes_notes SET replaced_at = ?, replaced_by = ?
               WHERE guild_id = ? AND meeting_id = ? AND agenda_item_id = ? AND id <= ? AND replaced_at IS NULL""",
            (utc_iso(now), by, guild_id, meeting_id, item_id, upto_id),
        )

    async def set_next(
        self,
        guild_id: int,
        meeting_id: int,
        *,
        next_meeting_id: int | None,
        place: str | None,
        note: str | None,
        by: int,
        now: datetime,
    ) -> None:
        """Record (or replace) the proposed next meeting's place, remark and the meeting it created."""
        await self.db.execute(
            """INSERT INTO next_meetings (guild_id, meeting_id, next_meeting_id, place, note, set_by, set_at)
               VALUES (?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT (guild_id, meeting_id) DO UPDATE SET next_meeting_id = excluded.next_meeting_id,
                   place = excluded.place, note = excluded.note, set_by = excluded.set_by, set_at = excluded.set_at""",
            (guild_id, meeting_id, next_meeting_id, place, note, by, utc_iso(now)),
        )

    async def next_meeting(self, guild_id: int, meeting_id: int) -> NextMeeting | None:
        """What ``/meeting next`` recorded for a meeting, if anything."""
        return await self.db.fetchone_as(
            _next_meeting, "SELECT * FROM next_meetings WHERE guild_id = ? AND meeting_id = ?", (guild_id, meeting_id)
        )

    async def insert_version(
        self,
        guild_id: int,
        meeting_id: int,
        kind: str,
        language: str,
        markdown: str,
        docx: bytes,
        created_by: int,
        now: datetime,
    ) -> StoredMinutes:
        """Store the next version of ``kind`` (draft or published) and return it."""
        version = await self.db.fetch_int(
            """SELECT COALESCE(MAX(version), 0) + 1 FROM minutes_versions
               WHERE guild_id = ? AND meeting_id = ? AND kind = ?""",
            (guild_id, meeting_id, kind),
            default=1,
        )
        version_id = await self.db.execute(
            """INSERT INTO minutes_versions
               (guild_id, meeting_id, kind, version, language, markdown, docx, created_by, created_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            (guild_id, meeting_id, kind, version, language, markdown, docx, created_by, utc_iso(now)),
        )
        return StoredMinutes(version_id, meeting_id, kind, version, language, markdown, docx, created_by, now)

    async def latest(self, guild_id: int, meeting_id: int, kind: str) -> StoredMinutes | None:
        """The newest stored version of ``kind``."""
        return await self.db.fetchone_as(
            _stored,
            """SELECT * FROM minutes_versions WHERE guild_id = ? AND meeting_id = ? AND kind = ?
               ORDER BY version DESC LIMIT 1""",
            (guild_id, meeting_id, kind),
        )

    async def get_version(self, guild_id: int, version_id: int) -> StoredMinutes | None:
        """A stored version by id."""
        return await self.db.fetchone_as(
            _stored, "SELECT * FROM minutes_versions WHERE guild_id = ? AND id = ?", (guild_id, version_id)
        )

    async def add_addendum(self, guild_id: int, meeting_id: int, text: str, by: int, now: datetime) -> int:
        """Store an addendum."""
        return await self.db.execute(
            """INSERT INTO minutes_addenda (guild_id, meeting_id, text, created_by, created_at)
               VALUES (?, ?, ?, ?, ?)""",
            (guild_id, meeting_id, text, by, utc_iso(now)),
        )

    async def addenda(self, guild_id: int, meeting_id: int) -> list[StoredAddendum]:
        """The addenda of a meeting, oldest first."""
        return await self.db.fetchall_as(
            _addendum,
            "SELECT * FROM minutes_addenda WHERE guild_id = ? AND meeting_id = ? ORDER BY id",
            (guild_id, meeting_id),
        )

    async def set_published(self, guild_id: int, meeting_id: int, now: datetime) -> bool:
        """Mark the meeting's minutes published; ``False`` when they already were."""
        changed = await self.db.execute_rowcount(
            "UPDATE meetings SET published_at = ? WHERE guild_id = ? AND id = ? AND published_at IS NULL",
            (utc_iso(now), guild_id, meeting_id),
        )
        return changed > 0

    async def published_at(self, guild_id: int, meeting_id: int) -> datetime | None:
        """When the minutes were published, if they were."""
        row = await self.db.fetchone(
            "SELECT published_at FROM meetings WHERE guild_id = ? AND id = ?", (guild_id, meeting_id)
        )
        return from_iso(row[0]) if row and row[0] else None

    async def previous_meeting_start(self, guild_id: int, meeting_id: int, start: datetime) -> datetime | None:
        """The start of the last meeting (not cancelled) before this one, for "new members since"."""
        row = await self.db.fetchone(
            """SELECT MAX(start_at) FROM meetings
               WHERE guild_id = ? AND id != ? AND start_at < ? AND state != 'cancelled'""",
            (guild_id, meeting_id, utc_iso(start)),
        )
        return from_iso(row[0]) if row and row[0] else None
