"""The sync state of each meeting's Discord scheduled event, in SQLite.

Per-meeting statements are scoped by ``guild_id``; :meth:`EventRepo.candidates` is the scheduler's one
read across servers, and each record it returns carries its ``guild_id``.
"""

from __future__ import annotations

from datetime import datetime

from bot.domain.events import EventRecord, EventStatus
from bot.storage._rows import RowMapper
from bot.storage.db import Repository, utc_iso

_record = RowMapper(EventRecord)


class EventRepo(Repository):
    """Repository for scheduled-event sync records."""

    async def ensure(self, guild_id: int, meeting_id: int, now: datetime) -> None:
        """Start tracking a meeting's event (``/meeting open``); a no-op when already tracked."""
        await self.db.execute(
            """INSERT INTO scheduled_events (guild_id, meeting_id, updated_at) VALUES (?, ?, ?)
               ON CONFLICT (meeting_id) DO NOTHING""",
            (guild_id, meeting_id, utc_iso(now)),
        )

    async def get(self, guild_id: int, meeting_id: int) -> EventRecord | None:
        """A meeting's record."""
        return await self.db.fetchone_as(
            _record, "SELECT * FROM scheduled_events WHERE guild_id = ? AND meeting_id = ?", (guild_id, meeting_id)
        )

    async def candidates(self, limit: int = 200) -> list[EventRecord]:
        """Records that may need a step (all servers: see the module docstring)."""
        return await self.db.fetchall_as(
            _record,
            """SELECT * FROM scheduled_events WHERE status NOT IN ('completed', 'cancelled')
               ORDER BY updated_at, meeting_id LIMIT ?""",
            (limit,),
        )

    async def save(
        self,
        record: EventRecord,
        *,
        event_id: int | None,
        sequence: int,
        status: EventStatus,
        attempts: int,
        error: str | None,
        now: datetime,
    ) -> None:
        """Store the result of a sync step."""
        await self.db.execute(
            """UPDATE scheduled_events SET event_id = ?, synced_sequence = ?, status = ?, attempts = ?,
                   last_error = ?, updated_at = ?
               WHERE guild_id = ? AND meeting_id = ?""",
            (event_id, sequence, status.value, attempts, error, utc_iso(now), record.guild_id, record.meeting_id),
        )
