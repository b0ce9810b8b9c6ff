"""The database file locked, read-only, corrupt or missing: a clear error, never corruption."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from bot.cli import main
from bot.storage.db import Database, DatabaseError

ROOT = Path(__file__).resolve().parents[2]


def _config(tmp_path, db_name="db.sqlite3"):
    path = tmp_path / "config.toml"
    path.write_text(f"[database]\npath = '{db_name}'\n", encoding="utf-8")
    return path


async def test_locked_database_at_start_is_a_clear_error(tmp_path):
    path = tmp_path / "db.sqlite3"
    blocker = sqlite3.connect(path, isolation_level=None)
    blocker.execute("PRAGMA locking_mode = EXCLUSIVE")
    blocker.execute("BEGIN EXCLUSIVE")
    blocker.execute("CREATE TABLE x (a)")
    try:
        with pytest.raises(DatabaseError, match="cannot use database"):
            await Database.open(path, busy_timeout_ms=200)
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    db = await Database.open(path)
    try:
        assert await db.integrity_check() == []
    finally:
        await db.close()


async def test_not_a_database_is_a_clear_error(tmp_path):
    path = tmp_path / "db.sqlite3"
    path.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(DatabaseError):
        await Database.open(path)
    assert path.read_bytes().startswith(b"this is not sqlite")


async def test_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(DatabaseError, match="does not exist"):
        await Database.open(tmp_path / "nope" / "db.sqlite3")


def test_cli_check_on_missing_and_corrupt_database(tmp_path, capsys):
    config = _config(tmp_path)
    assert main(["db", "--config", str(config), "check"]) == 2
    assert "no database" in capsys.readouterr().err
    (tmp_path / "db.sqlite3").write_bytes(b"garbage" * 1000)
    assert main(["db", "--config", str(config), "check"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("council-bot: ") and err.count("\n") == 1
