"""The SQLite connection, transactions and the migration runner.

One long-lived :class:`aiosqlite.Connection` per process. ``isolation_level=None`` puts SQLite in
autocommit mode; :meth:`Database.transaction` issues ``BEGIN IMMEDIATE``/``COMMIT``/``ROLLBACK``
itself, because aiosqlite's context manager neither commits nor rolls back. Transactions are
serialised with a lock, so two coroutines never interleave statements inside one.
"""

from __future__ import annotations

import asyncio
import contextvars
import itertools
import logging
import re
import sqlite3
from collections.abc import AsyncIterator, Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, TypeVar, overload

import aiosqlite

from bot.errors import CouncilError

log = logging.getLogger(__name__)

_MIGRATION_NAME = re.compile(r"^(?P<version>\d{4})_(?P<reason>[a-z0-9_]+)\.sql$")

Params = Sequence[Any] | dict[str, Any]

T = TypeVar("T")


class DatabaseError(CouncilError):
    """The database cannot be opened, is locked, read-only or damaged."""


@dataclass(frozen=True, slots=True)
class Migration:
    """One numbered, forward-only migration file."""

    version: int
    name: str
    sql: str


def migrations_dir() -> Traversable:
    """The migration files, read through the installed package (never a path in the source tree)."""
    return files("bot.storage") / "migrations"


def load_migrations(directory: Traversable | None = None) -> list[Migration]:
    """Read the migration files in version order and check they are numbered 1..N without gaps."""
    migrations: list[Migration] = []
    entries = [e for e in (directory or migrations_dir()).iterdir() if e.name.endswith(".sql")]
    for entry in sorted(entries, key=lambda e: e.name):
        match = _MIGRATION_NAME.match(entry.name)
        if match is None:
            raise DatabaseError(f"badly named migration file {entry.name}")
        stem = entry.name.removesuffix(".sql")
        migrations.append(Migration(int(match["version"]), stem, entry.read_text(encoding="utf-8")))
    for expected, migration in enumerate(migrations, start=1):
        if migration.version != expected:
            raise DatabaseError(f"migration {migration.name} should be number {expected:04d}")
    return migrations


def utc_iso(when: datetime) -> str:
    """Serialise an aware datetime as UTC ISO-8601 text, the only stored form of time."""
    if when.tzinfo is None:
        raise ValueError("naive datetime")
    return when.astimezone(UTC).isoformat(timespec="seconds")


def from_iso(text: str) -> datetime:
    """Parse a stored UTC ISO-8601 timestamp back into an aware datetime."""
    parsed = datetime.fromisoformat(text)
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def opt_from_iso(text: str | None) -> datetime | None:
    """Like :func:`from_iso` for nullable columns."""
    return None if text is None else from_iso(text)


def opt_utc_iso(when: datetime | None) -> str | None:
    """Like :func:`utc_iso` for nullable columns."""
    return None if when is None else utc_iso(when)


class Database:
    """An open council-bot database.

    Use :meth:`open` to create one; it migrates the schema unless told not to.
    """

    def __init__(self, conn: aiosqlite.Connection, path: Path) -> None:
        self._conn = conn
        self.path = path
        self._lock = asyncio.Lock()
        # Which task's context is inside a transaction, so nested use joins instead of deadlocking.
        self._inside: contextvars.ContextVar[bool] = contextvars.ContextVar(f"db-tx-{id(self)}", default=False)

    @classmethod
    async def open(cls, path: str | Path, *, migrate: bool = True, busy_timeout_ms: int = 5000) -> Database:
        """Open (creating if needed) the database at ``path`` and bring its schema up to date.

        Raises:
            DatabaseError: the file cannot be opened or written, is locked, or is not a database.
        """
        target = Path(path)
        if target.parent and not target.parent.exists():
            raise DatabaseError(f"database folder does not exist: {target.parent}")
        try:
            conn = await aiosqlite.connect(target, isolation_level=None)
        except sqlite3.Error as exc:
            raise DatabaseError(f"cannot open database {target}: {exc}") from exc
        conn.row_factory = aiosqlite.Row
        db = cls(conn, target)
        try:
            await conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms):d}")
            await conn.execute("PRAGMA foreign_keys = ON")
            await conn.execute("PRAGMA journal_mode = WAL")
            await conn.execute("PRAGMA synchronous = NORMAL")
            if migrate:
                await db.migrate()
            else:
                await conn.execute("SELECT count(*) FROM sqlite_master")
        except sqlite3.Error as exc:
            await conn.close()
            raise DatabaseError(f"cannot use database {target}: {exc}") from exc
        return db

    async def close(self) -> None:
        """Close the connection."""
        await self._conn.close()

    # -- schema ------------------------------------------------------------------------------

    async def user_version(self) -> int:
        """The schema version recorded in the file."""
        return await self.fetch_int("PRAGMA user_version", default=0)

    async def pending_migrations(self) -> list[Migration]:
        """Migrations not yet applied to this file."""
        current = await self.user_version()
        return [m for m in load_migrations() if m.version > current]

    async def migrate(self) -> list[Migration]:
        """Apply every pending migration, each in its own transaction; return those applied."""
        applied: list[Migration] = []
        for migration in await self.pending_migrations():
            async with self.transaction():
                for statement in _split_sql(migration.sql):
                    await self._conn.execute(statement)
                await self._conn.execute(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                    (migration.version, migration.name, utc_iso(datetime.now(UTC))),
                )
                await self._conn.execute(f"PRAGMA user_version = {migration.version:d}")
            log.info("applied migration %s", migration.name)
            applied.append(migration)
        return applied

    async def integrity_check(self) -> list[str]:
        """Run SQLite's integrity and foreign-key checks; return the problems (empty when sound)."""
        problems = [str(row[0]) for row in await self.fetchall("PRAGMA integrity_check")]
        problems = [p for p in problems if p != "ok"]
        for row in await self.fetchall("PRAGMA foreign_key_check"):
            problems.append(f"foreign key violation in {row[0]} row {row[1]}")
        expected = len(load_migrations())
        version = await self.user_version()
        if version != expected:
            problems.append(f"schema version {version}, expected {expected}")
        return problems

    async def backup(self, destination: str | Path) -> None:
        """Write a consistent copy of the live database to ``destination`` (SQLite backup API)."""
        target = Path(destination)
        if target.exists():  # noqa: ASYNC240 - one stat call
            raise DatabaseError(f"backup target already exists: {target}")
        async with self._lock:
            dest = await aiosqlite.connect(target)
            try:
                await self._conn.backup(dest)
            finally:
                await dest.close()

    # -- statements ----------------------------------------------------------------------------

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[None]:
        """Run the block in one ``BEGIN IMMEDIATE`` transaction; roll back on any exception.

        Nested use joins the outer transaction.
        """
        if self._inside.get():
            yield
            return
        async with self._lock:
            await self._conn.execute("BEGIN IMMEDIATE")
            token = self._inside.set(True)
            try:
                yield
            except BaseException:
                await self._conn.execute("ROLLBACK")
                raise
            else:
                await self._conn.execute("COMMIT")
            finally:
                self._inside.reset(token)

    async def execute(self, sql: str, params: Params = ()) -> int:
        """Run one statement; return the last inserted row id (0 when none)."""
        async with self._conn.execute(sql, params) as cursor:
            return cursor.lastrowid or 0

    async def execute_rowcount(self, sql: str, params: Params = ()) -> int:
        """Run one statement; return how many rows it changed."""
        async with self._conn.execute(sql, params) as cursor:
            return cursor.rowcount

    async def executemany(self, sql: str, rows: Iterable[Params], *, chunk: int = 0) -> None:
        """Run one statement for each parameter set.

        With ``chunk``, the sets go to SQLite ``chunk`` at a time: sqlite3 holds the GIL while it binds
        a batch, so smaller batches let the event loop run in between (bulk imports).
        """
        if chunk <= 0:
            await self._conn.executemany(sql, rows)
            return
        for batch in _batched(rows, chunk):
            await self._conn.executemany(sql, batch)

    async def fetchone(self, sql: str, params: Params = ()) -> aiosqlite.Row | None:
        """Run a query and return its first row, if any (none for an id beyond SQLite's integers)."""
        if _out_of_range(params):
            return None
        async with self._conn.execute(sql, params) as cursor:
            return await cursor.fetchone()

    async def fetchall(self, sql: str, params: Params = ()) -> list[aiosqlite.Row]:
        """Run a query and return all its rows (none for an id beyond SQLite's integers)."""
        if _out_of_range(params):
            return []
        async with self._conn.execute(sql, params) as cursor:
            return list(await cursor.fetchall())

    @overload
    async def fetch_int(self, sql: str, params: Params = ()) -> int | None: ...

    @overload
    async def fetch_int(self, sql: str, params: Params = (), *, default: int) -> int: ...

    async def fetch_int(self, sql: str, params: Params = (), *, default: int | None = None) -> int | None:
        """The integer in the first column of the query's first row (a count, an id); ``default`` without a row."""
        row = await self.fetchone(sql, params)
        return default if row is None else int(row[0])

    async def fetch_ints(self, sql: str, params: Params = ()) -> list[int]:
        """The integers in the first column of every row of the query (ids), in the query's order."""
        return [int(row[0]) for row in await self.fetchall(sql, params)]

    async def fetch_returned(self, mapper: Callable[[aiosqlite.Row], T], sql: str, params: Params = ()) -> T:
        """The row an ``INSERT … RETURNING`` (or an ``UPDATE … RETURNING`` of a row known to exist) gives back.

        Raises:
            DatabaseError: the statement returned no row.
        """
        row = await self.fetchone(sql, params)
        if row is None:
            raise DatabaseError(f"no row returned by: {' '.join(sql.split()[:3])} …")
        return mapper(row)

    async def fetchone_as(self, mapper: Callable[[aiosqlite.Row], T], sql: str, params: Params = ()) -> T | None:
        """:meth:`fetchone`, the row turned into a value by ``mapper`` (a :class:`~bot.storage._rows.RowMapper`)."""
        row = await self.fetchone(sql, params)
        return None if row is None else mapper(row)

    async def fetchall_as(self, mapper: Callable[[aiosqlite.Row], T], sql: str, params: Params = ()) -> list[T]:
        """:meth:`fetchall`, each row turned into a value by ``mapper``."""
        return [mapper(row) for row in await self.fetchall(sql, params)]


def _out_of_range(params: Params) -> bool:
    """Whether a parameter is an integer no SQLite row can hold (a forged 25-digit id in a custom id).

    Looked up, such an id matches nothing; without this check sqlite3 raises ``OverflowError`` and
    the member gets the generic error instead of "not found".
    """
    values = params.values() if isinstance(params, Mapping) else params
    return any(type(v) is int and not -(1 << 63) <= v < (1 << 63) for v in values)


def _split_sql(script: str) -> list[str]:
    """Split a migration script into statements (our migrations hold no semicolons in strings)."""
    lines = [line for line in script.splitlines() if not line.strip().startswith("--")]
    return [part.strip() for part in "\n".join(lines).split(";") if part.strip()]


def _batched(rows: Iterable[Params], size: int) -> Iterator[tuple[Params, ...]]:
    """``rows`` in tuples of ``size`` (``itertools.batched`` from Python 3.12 on)."""
    iterator = iter(rows)
    while batch := tuple(itertools.islice(iterator, size)):
        yield batch


class Repository:
    """The base of every repository: it holds the open database and issues its statements through it."""

    def __init__(self, db: Database) -> None:
        self.db = db
