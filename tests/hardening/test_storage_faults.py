"""The database file locked, read-only, corrupt or missing: a clear error, never corruption."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from bot.cli import main
from bot.storage.db import Database, DatabaseError

ROOT = Path(__file__).resolve().parents[2]


def _config(tmp_path, db_name="db.sqlite3"):
    path = tmp_path / "config.toml"
    path.write_text(f"[database]\npath = '{db_name}'\n", encoding="utf-8")
    return path


def test_read_only_database_file_is_one_clear_line_and_stays_intact(tmp_path):
    """A database file the bot may not write: `db migrate` fails with one line, the file is untouched."""
    folder = tempfile.mkdtemp(prefix="council-ro-")
    os.chmod(folder, 0o755)
    db_path = Path(folder) / "db.sqlite3"
    conn = sqlite3.connect(db_path)
    conn.execute("CREATE TABLE keep (a)")
    conn.execute("INSERT INTO keep VALUES (1)")
    conn.commit()
    conn.close()
    before = db_path.read_bytes()
    os.chmod(db_path, 0o444)
    config = Path(folder) / "config.toml"
    config.write_text("[database]\npath = 'db.sqlite3'\n", encoding="utf-8")
    os.chmod(config, 0o444)
    # Root ignores file modes, so run the command as an unprivileged user when we are root.
    run_as = {"user": "nobody"} if os.geteuid() == 0 else {}
    result = subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "-m", "bot.cli", "db", "--config", str(config), "migrate"],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=60,
        **run_as,  # type: ignore[arg-type]
    )
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("council-bot: ") and result.stderr.count("\n") == 1
    assert db_path.read_bytes() == before


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
