"""Participants who are not on the roster: guests of a meeting, and named substitutes for organisations."""

from __future__ import annotations

from datetime import datetime

from bot.domain.meetings import StoredGuest
from bot.storage._rows import RowMapper
from bot.storage.db import Repository, utc_iso

_guest = RowMapper(StoredGuest)


class GuestRepo(Repository):
    """Repository for guests and substitutes; every query is scoped by ``guild_id``."""

    async def add_guest(
        self, guild_id: int, meeting_id: int, name: str, affiliation: str | None, by: int, now: datetime
    ) -> bool:
        """Add a guest, or update the affiliation of one with the same name (in any case); ``True`` when new."""
        key = name.casefold()
        existing = await self.db.fetchone(
            "SELECT id FROM meeting_guests WHERE guild_id = ? AND meeting_id = ? AND name_key = ?",
            (guild_id, meeting_id, key),
        )
        if existing is not None:
            await self.db.execute(
                "UPDATE meeting_guests SET affiliation = ? WHERE guild_id = ? AND id = ?",
                (affiliation, guild_id, existing["id"]),
            )
            return False
        await self.db.execute(
            """INSERT INTO meeting_guests (guild_id, meeting_id, name, name_key, affiliation, added_by, added_at)
               VALUES (?, ?, ?, ?, ?, ?, ?)""",
            (guild_id, meeting_id, name, key, affiliation, by, utc_iso(now)),
        )
        return True

    async def remove_guest(self, guild_id: int, meeting_id: int, name: str) -> bool:
        """Remove a guest by name (any case); ``False`` when there was none."""
        return (
            await self.db.execute_rowcount(
                "DELETE FROM meeting_guests WHERE guild_id = ? AND meeting_id = ? AND name_key = ?",
                (guild_id, meeting_id, name.casefold()),
            )
            > 0
        )

    async def guests(self, guild_id: int, meeting_id: int) -> list[StoredGuest]:
        """The guests of a meeting in the order they were added."""
        return await self.db.fetchall_as(
            _guest,
            "SELECT * FROM meeting_guests WHERE guild_id = ? AND meeting_id = ? ORDER BY id",
            (guild_id, meeting_id),
        )

    async def set_substitute(
        self, guild_id: int, meeting_id: int, org_id: int, name: str | None, by: int, now: datetime
    ) -> None:
        """Record who attended for an organisation instead of its representative or deputy (``None`` clears)."""
        if name is None:
            await self.db.execute(
                "DELETE FROM attendance_substitutes WHERE guild_id = ? AND meeting_id = ? AND org_id = ?",
                (guild_id, meeting_id, org_id),
            )
            return
        await self.db.execute(
            """INSERT INTO attendance_substitutes (guild_id, meeting_id, org_id, name, recorded_by, recorded_at)
               VALUES (?, ?, ?, ?, ?, ?)
               ON CONFLICT (guild_id, meeting_id, org_id) DO UPDATE SET name = excluded.name,
                   recorded_by = excluded.recorded_by, recorded_at = excluded.recorded_at""",
            (guild_id, meeting_id, org_id, name, by, utc_iso(now)),
        )

    async def substitutes(self, guild_id: int, meeting_id: int) -> dict[int, str]:
        """Organisation id -> the substitute's name, for a meeting."""
        rows = await self.db.fetchall(
            "SELECT org_id, name FROM attendance_substitutes WHERE guild_id = ? AND meeting_id = ?",
            (guild_id, meeting_id),
        )
        return {int(r["org_id"]): str(r["name"]) for r in rows}
