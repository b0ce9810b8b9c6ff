"""The migration runner and the schema."""

from __future__ import annotations

import sqlite3

import pytest

from bot.storage.db import Database, load_migrations


async def test_fresh_database_is_at_latest_version(tmp_path):
    db = await Database.open(tmp_path / "a.sqlite3")
    try:
        assert await db.user_version() == len(load_migrations())
        assert await db.integrity_check() == []
        rows = await db.fetchall("SELECT version FROM schema_migrations ORDER BY version")
        assert [r[0] for r in rows] == list(range(1, len(load_migrations()) + 1))
        assert await db.pending_migrations() == []
    finally:
        await db.close()


async def test_migrations_are_numbered_and_explained():
    migrations = load_migrations()
    assert [m.version for m in migrations] == list(range(1, len(migrations) + 1))
    for migration in migrations:
        assert migration.sql.startswith("-- Reason: "), migration.name


async def test_every_council_table_has_guild_id(tmp_path):
    db = await Database.open(tmp_path / "a.sqlite3")
    try:
        tables = [r[0] for r in await db.fetchall("SELECT name FROM sqlite_master WHERE type = 'table'")]
        exempt = {"schema_migrations", "bot_state", "sqlite_sequence", "dm_cursors", "closed_dms"}
        for table in tables:
            if table in exempt:
                continue
            columns = [r[1] for r in await db.fetchall(f"PRAGMA table_info({table})")]
            assert "guild_id" in columns, table
    finally:
        await db.close()


async def test_reopening_applies_nothing_and_schema_is_stable(tmp_path):
    path = tmp_path / "a.sqlite3"
    db = await Database.open(path)
    schema = await db.fetchall("SELECT sql FROM sqlite_master ORDER BY name")
    await db.close()
    db = await Database.open(path)
    try:
        assert await db.migrate() == []
        assert [r[0] for r in await db.fetchall("SELECT sql FROM sqlite_master ORDER BY name")] == [
            r[0] for r in schema
        ]
    finally:
        await db.close()


async def test_transaction_rolls_back_on_error(tmp_path):
    db = await Database.open(tmp_path / "a.sqlite3")
    try:

        async def write_then_fail() -> None:
            async with db.transaction():
                await db.execute("INSERT INTO bot_state (key, value) VALUES ('a', 'b')")
                raise RuntimeError("boom")

        with pytest.raises(RuntimeError, match="boom"):
            await write_then_fail()
        assert await db.fetchone("SELECT * FROM bot_state") is None
    finally:
        await db.close()


async def test_backup_is_a_consistent_copy(tmp_path):
    db = await Database.open(tmp_path / "a.sqlite3")
    try:
        async with db.transaction():
            await db.execute("INSERT INTO bot_state (key, value) VALUES ('k', 'v')")
        await db.backup(tmp_path / "copy.sqlite3")
    finally:
        await db.close()
    conn = sqlite3.connect(tmp_path / "copy.sqlite3")
    try:
        assert conn.execute("SELECT value FROM bot_state WHERE key = 'k'").fetchone() == ("v",)
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        conn.close()
