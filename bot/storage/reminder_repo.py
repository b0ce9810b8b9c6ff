"""Stored reminders, in SQLite.

Per-meeting statements are scoped by ``guild_id``; :meth:`ReminderRepo.due` is the scheduler's one
read across servers, and each reminder it returns carries its ``guild_id``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from bot.domain.reminders import Reminder, ReminderKind
from bot.storage._rows import RowMapper
from bot.storage.db import Repository, utc_iso

_reminder = RowMapper(Reminder)


class ReminderRepo(Repository):
    """Repository for reminders."""

    async def for_meeting(self, guild_id: int, meeting_id: int) -> list[Reminder]:
        """A meeting's reminders, by due time."""
        return await self.db.fetchall_as(
            _reminder,
            "SELECT * FROM reminders WHERE guild_id = ? AND meeting_id = ? ORDER BY due_at, id",
            (guild_id, meeting_id),
        )

    async def replace_pending(
        self, guild_id: int, meeting_id: int, kind: ReminderKind, times: Iterable[tuple[int, datetime]]
    ) -> None:
        """Set the unprocessed reminders of one deadline; processed ones stay (never sent twice)."""
        await self.db.execute(
            "DELETE FROM reminders WHERE guild_id = ? AND meeting_id = ? AND kind = ? AND processed_at IS NULL",
            (guild_id, meeting_id, kind.value),
        )
        await self.db.executemany(
            """INSERT INTO reminders (guild_id, meeting_id, kind, offset_minutes, due_at) VALUES (?, ?, ?, ?, ?)
               ON CONFLICT (guild_id, meeting_id, kind, offset_minutes) DO NOTHING""",
            [(guild_id, meeting_id, kind.value, offset, utc_iso(due)) for offset, due in times],
        )

    async def due(self, now: datetime, limit: int = 500) -> list[Reminder]:
        """Unprocessed reminders due by ``now`` (all servers: see the module docstring)."""
        return await self.db.fetchall_as(
            _reminder,
            "SELECT * FROM reminders WHERE processed_at IS NULL AND due_at <= ? ORDER BY due_at, id LIMIT ?",
            (utc_iso(now), limit),
        )

    async def mark_processed(self, guild_id: int, reminder_id: int, now: datetime) -> bool:
        """Mark a reminder done; ``False`` if it already was (another run got there first)."""
        changed = await self.db.execute_rowcount(
            "UPDATE reminders SET processed_at = ? WHERE guild_id = ? AND id = ? AND processed_at IS NULL",
            (utc_iso(now), guild_id, reminder_id),
        )
        return changed > 0

    async def drop_pending(self, guild_id: int, meeting_id: int, now: datetime) -> int:
        """Retire every unprocessed reminder of a meeting (it was cancelled)."""
        return await self.db.execute_rowcount(
            "UPDATE reminders SET processed_at = ? WHERE guild_id = ? AND meeting_id = ? AND processed_at IS NULL",
            (utc_iso(now), guild_id, meeting_id),
        )
