"""The bot's own bookkeeping (``bot_state``): values such as the hash of the last synced command tree.

Not council data: no guild, no person ids; ``bot_state`` is exempt from the privacy module.
"""

from __future__ import annotations

from bot.storage.db import Database


class BotStateRepo:
    """Key/value pairs the runtime keeps between starts."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def get(self, key: str) -> str | None:
        """The value stored under ``key``, if any."""
        row = await self.db.fetchone("SELECT value FROM bot_state WHERE key = ?", (key,))
        return None if row is None else str(row[0])

    async def put(self, key: str, value: str) -> None:
        """Store ``value`` under ``key`` (replacing what was there), in its own transaction."""
        async with self.db.transaction():
            await self.db.execute(
                "INSERT INTO bot_state (key, value) VALUES (?, ?)"
                " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, value),
            )
