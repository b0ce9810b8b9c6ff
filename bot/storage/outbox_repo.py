"""The outbox of owed messages and the closed-DM markers, in SQLite.

Per-row reads and writes are scoped by ``guild_id``. The worker's claim and crash-recovery statements
are the exception: one process sends for every server, and each row it gets carries its ``guild_id``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import datetime

from bot.domain.outbox import OutboxItem, OutboxRow, OutboxState, OutgoingMessage, Purpose, TargetKind
from bot.storage._rows import RowMapper
from bot.storage.db import Repository, utc_iso

_ROWS_PER_INSERT = 100
"""Rows per multi-row INSERT: 1,000 parameters, well under any SQLite's limit on them."""


def _purpose(value: str) -> Purpose:
    try:
        return Purpose(value)
    except ValueError:  # written by a newer feature; only used for display
        return Purpose.OTHER


_item = RowMapper(
    OutboxItem,
    columns={"message": "payload"},
    convert={"purpose": _purpose, "message": OutgoingMessage.from_json},
)

_row = RowMapper(
    OutboxRow,
    compute={"item": _item},
    absent={"dm_channel_id"},  # filled in by claim_due from the remembered DM channels
)


def _insert_sql(count: int) -> str:
    """An INSERT of ``count`` owed messages that skips a used dedupe key and returns the new rows' ids."""
    values = ", ".join("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)" for _ in range(count))
    return f"""INSERT INTO outbox (guild_id, dedupe_key, target_kind, target_id, purpose, meeting_id, org_id,
                                   payload, next_attempt_at, created_at)
               VALUES {values}
               ON CONFLICT (guild_id, dedupe_key) DO NOTHING
               RETURNING id"""


def _values(guild_id: int, item: OutboxItem, stamp: str) -> tuple[object, ...]:
    """The parameters of one owed message in :func:`_insert_sql`, due at once and created at ``stamp``."""
    return (
        guild_id,
        item.dedupe_key,
        item.target_kind.value,
        item.target_id,
        item.purpose.value,
        item.meeting_id,
        item.org_id,
        item.message.to_json(),
        stamp,
        stamp,
    )


class OutboxRepo(Repository):
    """Repository for the outbox."""

    async def insert(self, guild_id: int, item: OutboxItem, now: datetime) -> int | None:
        """Record an owed message; ``None`` when one with the same dedupe key already exists."""
        return await self.db.fetch_int(_insert_sql(1), _values(guild_id, item, utc_iso(now)))

    async def insert_many(self, guild_id: int, items: Sequence[OutboxItem], now: datetime) -> int:
        """Record many owed messages in their order; return how many were new (a used dedupe key is skipped).

        A few multi-row statements instead of one round trip to SQLite per message (``/meeting open``).
        """
        stamp = utc_iso(now)
        count = 0
        for start in range(0, len(items), _ROWS_PER_INSERT):
            batch = items[start : start + _ROWS_PER_INSERT]
            params = [value for item in batch for value in _values(guild_id, item, stamp)]
            rows = await self.db.fetchall(_insert_sql(len(batch)), params)
            count += len(rows)
        return count

    async def get(self, guild_id: int, outbox_id: int) -> OutboxRow | None:
        """A row by id."""
        return await self.db.fetchone_as(
            _row, "SELECT * FROM outbox WHERE guild_id = ? AND id = ?", (guild_id, outbox_id)
        )

    async def by_key(self, guild_id: int, dedupe_key: str) -> OutboxRow | None:
        """A row by dedupe key."""
        return await self.db.fetchone_as(
            _row, "SELECT * FROM outbox WHERE guild_id = ? AND dedupe_key = ?", (guild_id, dedupe_key)
        )

    async def rows(
        self, guild_id: int, *, meeting_id: int | None = None, states: Iterable[OutboxState] | None = None
    ) -> list[OutboxRow]:
        """Rows of a server, optionally of one meeting and in some states, oldest first."""
        sql = "SELECT * FROM outbox WHERE guild_id = ?"
        params: list[object] = [guild_id]
        if meeting_id is not None:
            sql += " AND meeting_id = ?"
            params.append(meeting_id)
        if states is not None:
            wanted = [s.value for s in states]
            sql += f" AND state IN ({', '.join('?' for _ in wanted)})"
            params.extend(wanted)
        return await self.db.fetchall_as(_row, sql + " ORDER BY id", params)

    async def claim_due(self, now: datetime, limit: int, lease_until: datetime) -> list[OutboxRow]:
        """Take up to ``limit`` rows that are due (or whose claim lapsed) and mark them being sent.

        Only the oldest unfinished row of each recipient is taken: a later message to the same member
        or channel waits until the earlier one is sent or given up, so several rows can be sent at
        once without ever overtaking each other. Counts the attempt, and fills in the recipient's
        remembered DM channel. Across servers: see the module docstring.
        """
        rows = await self.db.fetchall(
            """UPDATE outbox SET state = 'sending', attempts = attempts + 1, claimed_until = ?
               WHERE id IN (
                   SELECT o.id FROM outbox AS o
                   WHERE ((o.state = 'pending' AND o.next_attempt_at <= ?)
                          OR (o.state = 'sending' AND o.claimed_until <= ?))
                     AND NOT EXISTS (
                         SELECT 1 FROM outbox AS earlier
                         WHERE earlier.target_kind = o.target_kind AND earlier.target_id = o.target_id
                           AND earlier.state IN ('pending', 'sending') AND earlier.id < o.id)
                   ORDER BY o.next_attempt_at, o.id LIMIT ?)
               RETURNING *""",
            (utc_iso(lease_until), utc_iso(now), utc_iso(now), limit),
        )
        claimed = sorted((_row(row) for row in rows), key=lambda r: r.id)
        channels = await self._dm_channels(
            [(r.guild_id, r.item.target_id) for r in claimed if r.item.target_kind is TargetKind.USER]
        )
        return [replace(r, dm_channel_id=channels.get((r.guild_id, r.item.target_id))) for r in claimed]

    async def release_claims(self) -> int:
        """After a restart, put rows the previous process was sending back in the queue (all servers)."""
        return await self.db.execute_rowcount(
            "UPDATE outbox SET state = 'pending', claimed_until = NULL WHERE state = 'sending'"
        )

    async def release_unattempted(self, outbox_ids: list[int]) -> int:
        """Put claimed rows that were never tried back in the queue, their attempt not counted (a shutdown)."""
        if not outbox_ids:
            return 0
        marks = ", ".join("?" for _ in outbox_ids)
        return await self.db.execute_rowcount(
            "UPDATE outbox SET state = 'pending', claimed_until = NULL, attempts = MAX(attempts - 1, 0)"
            f" WHERE state = 'sending' AND id IN ({marks})",
            outbox_ids,
        )

    async def mark_sent(self, guild_id: int, outbox_id: int, message_id: int | None, now: datetime) -> None:
        """Record that Discord accepted the message."""
        await self.db.execute(
            """UPDATE outbox SET state = 'sent', message_id = ?, sent_at = ?, claimed_until = NULL, last_error = NULL
               WHERE guild_id = ? AND id = ?""",
            (message_id, utc_iso(now), guild_id, outbox_id),
        )

    async def mark_retry(self, guild_id: int, outbox_id: int, error: str, next_attempt_at: datetime) -> None:
        """Put a row back in the queue for a later attempt."""
        await self.db.execute(
            """UPDATE outbox SET state = 'pending', last_error = ?, next_attempt_at = ?, claimed_until = NULL
               WHERE guild_id = ? AND id = ?""",
            (error[:300], utc_iso(next_attempt_at), guild_id, outbox_id),
        )

    async def mark_final(self, guild_id: int, outbox_id: int, state: OutboxState, error: str | None) -> None:
        """End a row without sending it (failed, undeliverable or dropped)."""
        await self.db.execute(
            "UPDATE outbox SET state = ?, last_error = ?, claimed_until = NULL WHERE guild_id = ? AND id = ?",
            (state.value, error[:300] if error else None, guild_id, outbox_id),
        )

    async def drop_pending(self, guild_id: int, meeting_id: int, purposes: Iterable[Purpose]) -> int:
        """Drop unsent rows of a meeting with these purposes; return how many."""
        wanted = [p.value for p in purposes]
        return await self.db.execute_rowcount(
            f"""UPDATE outbox SET state = 'dropped'
                WHERE guild_id = ? AND meeting_id = ? AND state = 'pending'
                  AND purpose IN ({", ".join("?" for _ in wanted)})""",
            [guild_id, meeting_id, *wanted],
        )

    # -- DM channels -----------------------------------------------------------------------------

    async def _dm_channels(self, people: list[tuple[int, int]]) -> dict[tuple[int, int], int]:
        """Remembered DM channels of ``(guild_id, user_id)`` pairs."""
        found: dict[tuple[int, int], int] = {}
        for guild_id in {g for g, _u in people}:
            users = sorted({u for g, u in people if g == guild_id})
            rows = await self.db.fetchall(
                f"""SELECT user_id, channel_id FROM dm_channels
                    WHERE guild_id = ? AND user_id IN ({", ".join("?" for _ in users)})""",
                [guild_id, *users],
            )
            found.update({(guild_id, int(r[0])): int(r[1]) for r in rows})
        return found

    async def dm_channel(self, guild_id: int, user_id: int) -> int | None:
        """The member's remembered DM channel, if any."""
        return await self.db.fetch_int(
            "SELECT channel_id FROM dm_channels WHERE guild_id = ? AND user_id = ?", (guild_id, user_id)
        )

    async def dm_channel_anywhere(self, user_id: int) -> int | None:
        """The member's DM channel as remembered in any server (it is the same channel in every one).

        Across servers on purpose, like the DM cursors: reading back a member's DMs is not per server.
        """
        return await self.db.fetch_int("SELECT channel_id FROM dm_channels WHERE user_id = ? LIMIT 1", (user_id,))

    async def remember_dm_channel(self, guild_id: int, user_id: int, channel_id: int, now: datetime) -> None:
        """Store (or correct) the member's DM channel."""
        await self.db.execute(
            """INSERT INTO dm_channels (guild_id, user_id, channel_id, learned_at) VALUES (?, ?, ?, ?)
               ON CONFLICT (guild_id, user_id) DO UPDATE SET
                   channel_id = excluded.channel_id, learned_at = excluded.learned_at""",
            (guild_id, user_id, channel_id, utc_iso(now)),
        )

    async def forget_dm_channel(self, guild_id: int, user_id: int, channel_id: int) -> None:
        """Discord no longer knows this channel: forget it (only if it is still the one stored)."""
        await self.db.execute(
            "DELETE FROM dm_channels WHERE guild_id = ? AND user_id = ? AND channel_id = ?",
            (guild_id, user_id, channel_id),
        )

    # -- closed DMs ------------------------------------------------------------------------------

    async def mark_closed(self, guild_id: int, user_id: int, now: datetime) -> bool:
        """Mark a member's DMs as closed; ``True`` when they were not marked before."""
        row = await self.db.fetchone(
            """INSERT INTO closed_dms (guild_id, user_id, first_failed_at, last_failed_at) VALUES (?, ?, ?, ?)
               ON CONFLICT (guild_id, user_id) DO UPDATE SET
                   last_failed_at = excluded.last_failed_at, failures = failures + 1
               RETURNING failures""",
            (guild_id, user_id, utc_iso(now), utc_iso(now)),
        )
        return row is not None and int(row[0]) == 1

    async def clear_closed(self, guild_id: int, user_id: int) -> bool:
        """A DM got through: the member's DMs are open again."""
        changed = await self.db.execute_rowcount(
            "DELETE FROM closed_dms WHERE guild_id = ? AND user_id = ?", (guild_id, user_id)
        )
        return changed > 0

    async def closed_users(self, guild_id: int) -> set[int]:
        """Members of a server whose DMs are marked closed."""
        return set(await self.db.fetch_ints("SELECT user_id FROM closed_dms WHERE guild_id = ?", (guild_id,)))

    async def delivery_summary(self, guild_id: int, meeting_id: int) -> tuple[set[int], int]:
        """For a meeting's dashboard: users whose DM failed or was undeliverable, and how many are still owed.

        Reads two columns only (no payloads), so it stays fast with thousands of rows.
        """
        rows = await self.db.fetchall(
            """SELECT target_kind, target_id, state FROM outbox
               WHERE guild_id = ? AND meeting_id = ? AND state IN ('failed', 'undeliverable', 'pending', 'sending')""",
            (guild_id, meeting_id),
        )
        failed = {int(r[1]) for r in rows if r[2] in ("failed", "undeliverable") and r[0] == "user"}
        pending = sum(1 for r in rows if r[2] in ("pending", "sending"))
        return failed, pending

    async def owed_count(self) -> int:
        """How many rows, in every server, are still to be sent (pending or being sent)."""
        return await self.db.fetch_int("SELECT count(*) FROM outbox WHERE state IN ('pending', 'sending')", default=0)
