"""The runtime's bookkeeping (the hash of the last synced command tree) goes through a repository."""

from __future__ import annotations

from bot.storage.db import Database
from bot.storage.state_repo import BotStateRepo


async def test_a_value_is_missing_until_stored_then_replaced(db: Database):
    state = BotStateRepo(db)
    assert await state.get("commands_hash:1") is None
    await state.put("commands_hash:1", "abc")
    assert await state.get("commands_hash:1") == "abc"
    await state.put("commands_hash:1", "def")
    assert await state.get("commands_hash:1") == "def"
    assert await state.get("commands_hash:2") is None
    row = await db.fetchone("SELECT COUNT(*) FROM bot_state")
    assert row is not None and row[0] == 1
