"""Councils, organisations, people, seats and registration requests in SQLite."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import aiosqlite

from bot.domain.roster import (
    Council,
    Organisation,
    OrgKind,
    Person,
    RegistrationRequest,
    Role,
    RosterEntry,
    Seat,
)
from bot.i18n import as_language
from bot.storage._rows import RowMapper
from bot.storage.db import Repository, utc_iso


def _seat_holder(row: aiosqlite.Row) -> Person:
    """The person in a seat, by their id when the server's council does not know their name."""
    return Person(row["user_id"], row["display_name"] or str(row["user_id"]))


_council = RowMapper(Council, convert={"language": as_language})
_org = RowMapper(Organisation)
_seat = RowMapper(Seat, compute={"person": _seat_holder})
_person = RowMapper(Person)
_request = RowMapper(RegistrationRequest)


_SEAT_SELECT = """
    SELECT a.org_id, a.role, a.user_id, a.assigned_at, a.ended_at, p.display_name
    FROM assignments a
    LEFT JOIN people p ON p.guild_id = a.guild_id AND p.user_id = a.user_id
"""


# Statements shared by a single write and its bulk form (``..._orgs``, ``..._seats``, ``remember_people``).
_REMEMBER_PERSON = """
    INSERT INTO people (guild_id, user_id, display_name, updated_at) VALUES (?, ?, ?, ?)
    ON CONFLICT (guild_id, user_id) DO UPDATE SET
        display_name = excluded.display_name, updated_at = excluded.updated_at
"""
_INSERT_ORG = """INSERT INTO organisations (guild_id, name, short, kind, position, created_at)
                 VALUES (?, ?, ?, ?, ?, ?)"""
_UPDATE_ORG = "UPDATE organisations SET name = ?, short = ?, kind = ? WHERE id = ? AND guild_id = ?"
_INSERT_SEAT = "INSERT INTO assignments (guild_id, org_id, role, user_id, assigned_at) VALUES (?, ?, ?, ?, ?)"
_END_SEAT = """UPDATE assignments SET ended_at = ?
               WHERE guild_id = ? AND org_id = ? AND role = ? AND ended_at IS NULL"""


BULK_CHUNK = 250
"""Rows per statement batch in bulk writes (keeps each GIL-holding sqlite3 call short)."""


class RosterRepo(Repository):
    """Repository for the roster aggregate. Every query is scoped by ``guild_id``."""

    # -- council -------------------------------------------------------------------------------

    async def get_council(self, guild_id: int) -> Council | None:
        """The council of ``guild_id``, if set up."""
        return await self.db.fetchone_as(_council, "SELECT * FROM councils WHERE guild_id = ?", (guild_id,))

    async def upsert_council(self, council: Council, now: datetime) -> None:
        """Create or replace the configuration of a council."""
        await self.db.execute(
            """
            INSERT INTO councils (guild_id, name, convener, minutes_channel_id, secretary_channel_id,
                                  secretary_role_id, language, timezone, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (guild_id) DO UPDATE SET
                name = excluded.name, convener = excluded.convener,
                minutes_channel_id = excluded.minutes_channel_id,
                secretary_channel_id = excluded.secretary_channel_id,
                secretary_role_id = excluded.secretary_role_id,
                language = excluded.language, timezone = excluded.timezone,
                updated_at = excluded.updated_at
            """,
            (
                council.guild_id,
                council.name,
                council.convener,
                council.minutes_channel_id,
                council.secretary_channel_id,
                council.secretary_role_id,
                council.language,
                council.timezone,
                utc_iso(now),
                utc_iso(now),
            ),
        )

    async def guild_ids(self) -> list[int]:
        """Every server with a council."""
        return await self.db.fetch_ints("SELECT guild_id FROM councils ORDER BY guild_id")

    # -- people --------------------------------------------------------------------------------

    async def remember_person(self, guild_id: int, person: Person, now: datetime) -> None:
        """Store or refresh a member's display name."""
        await self.db.execute(
            _REMEMBER_PERSON,
            (guild_id, person.user_id, person.display_name, utc_iso(now)),
        )

    async def remember_people(self, guild_id: int, people: Sequence[Person], now: datetime) -> None:
        """:meth:`remember_person` for many members (only those new or renamed are written)."""
        known = await self.names(guild_id)
        stamp = utc_iso(now)
        await self.db.executemany(
            _REMEMBER_PERSON,
            [(guild_id, p.user_id, p.display_name, stamp) for p in people if known.get(p.user_id) != p.display_name],
            chunk=BULK_CHUNK,
        )

    async def names(self, guild_id: int) -> dict[int, str]:
        """Display names of the people the server's council knows, by user id."""
        rows = await self.db.fetchall("SELECT user_id, display_name FROM people WHERE guild_id = ?", (guild_id,))
        return {int(row["user_id"]): row["display_name"] for row in rows}

    async def get_person(self, guild_id: int, user_id: int) -> Person | None:
        """A member's stored name."""
        return await self.db.fetchone_as(
            _person,
            "SELECT user_id, display_name FROM people WHERE guild_id = ? AND user_id = ?",
            (guild_id, user_id),
        )

    # -- organisations ---------------------------------------------------------------------------

    async def insert_org(self, guild_id: int, name: str, short: str, kind: OrgKind, now: datetime) -> Organisation:
        """Add an organisation at the end of the roster."""
        position = await self._next_position(guild_id)
        org_id = await self.db.execute(
            _INSERT_ORG,
            (guild_id, name, short, kind.value, position, utc_iso(now)),
        )
        return Organisation(org_id, guild_id, name, short, kind, position)

    async def insert_orgs(self, guild_id: int, orgs: Sequence[tuple[str, str, OrgKind]], now: datetime) -> None:
        """Add ``(name, short, kind)`` organisations at the end of the roster, in order."""
        if not orgs:
            return
        first = await self._next_position(guild_id)
        stamp = utc_iso(now)
        await self.db.executemany(
            _INSERT_ORG,
            [(guild_id, name, short, kind.value, first + i, stamp) for i, (name, short, kind) in enumerate(orgs)],
            chunk=BULK_CHUNK,
        )

    async def _next_position(self, guild_id: int) -> int:
        """The roster position after the last organisation's (retired ones included)."""
        return await self.db.fetch_int(
            "SELECT COALESCE(MAX(position), 0) + 1 FROM organisations WHERE guild_id = ?", (guild_id,), default=1
        )

    async def update_orgs(self, orgs: Sequence[Organisation]) -> None:
        """:meth:`update_org` for many organisations."""
        await self.db.executemany(
            _UPDATE_ORG,
            [(o.name, o.short, o.kind.value, o.id, o.guild_id) for o in orgs],
            chunk=BULK_CHUNK,
        )

    async def update_org(self, org: Organisation) -> None:
        """Save a renamed or re-classified organisation."""
        await self.db.execute(
            _UPDATE_ORG,
            (org.name, org.short, org.kind.value, org.id, org.guild_id),
        )

    async def retire_org(self, guild_id: int, org_id: int, now: datetime) -> None:
        """Retire an organisation and end its seats; its history stays."""
        await self.db.execute(
            "UPDATE organisations SET retired_at = ? WHERE id = ? AND guild_id = ?", (utc_iso(now), org_id, guild_id)
        )
        await self.db.execute(
            "UPDATE assignments SET ended_at = ? WHERE org_id = ? AND guild_id = ? AND ended_at IS NULL",
            (utc_iso(now), org_id, guild_id),
        )

    async def get_org_by_short(self, guild_id: int, short: str) -> Organisation | None:
        """The active organisation with this short name (case-insensitive)."""
        return await self.db.fetchone_as(
            _org,
            """SELECT * FROM organisations
               WHERE guild_id = ? AND short = ? COLLATE NOCASE AND retired_at IS NULL""",
            (guild_id, short),
        )

    async def get_org(self, guild_id: int, org_id: int) -> Organisation | None:
        """An organisation by id, retired or not."""
        return await self.db.fetchone_as(
            _org, "SELECT * FROM organisations WHERE guild_id = ? AND id = ?", (guild_id, org_id)
        )

    async def list_orgs(self, guild_id: int, *, include_retired: bool = False) -> list[Organisation]:
        """Organisations in roster order."""
        sql = "SELECT * FROM organisations WHERE guild_id = ?"
        if not include_retired:
            sql += " AND retired_at IS NULL"
        return await self.db.fetchall_as(_org, sql + " ORDER BY position, id", (guild_id,))

    async def search_orgs(self, guild_id: int, text: str, limit: int = 25) -> list[Organisation]:
        """Active organisations whose short name or name contains ``text``; prefix matches first."""
        pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        return await self.db.fetchall_as(
            _org,
            r"""SELECT * FROM organisations
                WHERE guild_id = ? AND retired_at IS NULL
                  AND (short LIKE ? ESCAPE '\' OR name LIKE ? ESCAPE '\')
                ORDER BY (short LIKE ? ESCAPE '\') DESC, short COLLATE NOCASE
                LIMIT ?""",
            (guild_id, pattern, pattern, pattern[1:], limit),
        )

    # -- seats -----------------------------------------------------------------------------------

    async def current_seats(self, guild_id: int) -> list[Seat]:
        """Every currently held seat in the server."""
        return await self.db.fetchall_as(
            _seat, _SEAT_SELECT + " WHERE a.guild_id = ? AND a.ended_at IS NULL ORDER BY a.org_id, a.role", (guild_id,)
        )

    async def seats_for_org(self, guild_id: int, org_id: int, *, include_ended: bool = False) -> list[Seat]:
        """The seats of one organisation."""
        sql = _SEAT_SELECT + " WHERE a.guild_id = ? AND a.org_id = ?"
        if not include_ended:
            sql += " AND a.ended_at IS NULL"
        return await self.db.fetchall_as(_seat, sql + " ORDER BY a.assigned_at", (guild_id, org_id))

    async def seats_of_user(self, guild_id: int, user_id: int) -> list[Seat]:
        """The seats a member holds now."""
        return await self.db.fetchall_as(
            _seat,
            _SEAT_SELECT + " WHERE a.guild_id = ? AND a.user_id = ? AND a.ended_at IS NULL ORDER BY a.org_id",
            (guild_id, user_id),
        )

    async def seats_assigned_between(self, guild_id: int, start: datetime, end: datetime) -> list[Seat]:
        """Seats taken in ``[start, end)``: the members who are new since a previous meeting."""
        return await self.db.fetchall_as(
            _seat,
            _SEAT_SELECT + " WHERE a.guild_id = ? AND a.assigned_at >= ? AND a.assigned_at < ? ORDER BY a.assigned_at",
            (guild_id, utc_iso(start), utc_iso(end)),
        )

    async def end_seat(self, guild_id: int, org_id: int, role: Role, now: datetime) -> bool:
        """End the current holder's term; ``False`` when the seat was empty."""
        changed = await self.db.execute_rowcount(
            _END_SEAT,
            (utc_iso(now), guild_id, org_id, role.value),
        )
        return changed > 0

    async def org_ids_by_short(self, guild_id: int) -> dict[str, int]:
        """Active organisations' ids by short name as stored (for bulk imports: no full rows)."""
        rows = await self.db.fetchall(
            "SELECT short, id FROM organisations WHERE guild_id = ? AND retired_at IS NULL", (guild_id,)
        )
        return {row[0]: row[1] for row in rows}

    async def held_seats(self, guild_id: int) -> dict[tuple[int, Role], int]:
        """Who holds each current seat, ``(org id, role) -> user id`` (for bulk imports: no full rows)."""
        rows = await self.db.fetchall(
            "SELECT org_id, role, user_id FROM assignments WHERE guild_id = ? AND ended_at IS NULL", (guild_id,)
        )
        return {(row[0], Role(row[1])): row[2] for row in rows}

    async def end_seats(self, guild_id: int, seats: Sequence[tuple[int, Role]], now: datetime) -> None:
        """:meth:`end_seat` for many ``(org id, role)`` seats."""
        stamp = utc_iso(now)
        await self.db.executemany(
            _END_SEAT,
            [(stamp, guild_id, org_id, role.value) for org_id, role in seats],
            chunk=BULK_CHUNK,
        )

    async def insert_seats(self, guild_id: int, seats: Sequence[tuple[int, Role, int]], now: datetime) -> None:
        """:meth:`insert_seat` for many ``(org id, role, user id)`` seats."""
        stamp = utc_iso(now)
        await self.db.executemany(
            _INSERT_SEAT,
            [(guild_id, org_id, role.value, user_id, stamp) for org_id, role, user_id in seats],
            chunk=BULK_CHUNK,
        )

    async def insert_seat(self, guild_id: int, org_id: int, role: Role, user_id: int, now: datetime) -> None:
        """Give ``user_id`` the seat (the previous holder must already be ended)."""
        await self.db.execute(
            _INSERT_SEAT,
            (guild_id, org_id, role.value, user_id, utc_iso(now)),
        )

    async def roster(self, guild_id: int) -> list[RosterEntry]:
        """Active organisations with their current seats, in roster order."""
        orgs = await self.list_orgs(guild_id)
        seats: dict[tuple[int, Role], Seat] = {(s.org_id, s.role): s for s in await self.current_seats(guild_id)}
        return [RosterEntry(o, seats.get((o.id, Role.REPRESENTATIVE)), seats.get((o.id, Role.DEPUTY))) for o in orgs]

    # -- registration requests -----------------------------------------------------------------

    async def insert_request(self, guild_id: int, org_id: int, role: Role, user_id: int, now: datetime) -> int:
        """Store a pending registration request; return its id."""
        return await self.db.execute(
            """INSERT INTO registration_requests (guild_id, org_id, role, user_id, created_at)
               VALUES (?, ?, ?, ?, ?)""",
            (guild_id, org_id, role.value, user_id, utc_iso(now)),
        )

    async def get_request(self, guild_id: int, request_id: int) -> RegistrationRequest | None:
        """A registration request by id."""
        return await self.db.fetchone_as(
            _request, "SELECT * FROM registration_requests WHERE guild_id = ? AND id = ?", (guild_id, request_id)
        )

    async def pending_request(self, guild_id: int, org_id: int, role: Role, user_id: int) -> int | None:
        """The id of an identical pending request, if one exists."""
        return await self.db.fetch_int(
            """SELECT id FROM registration_requests
               WHERE guild_id = ? AND org_id = ? AND role = ? AND user_id = ? AND status = 'pending'""",
            (guild_id, org_id, role.value, user_id),
        )

    async def decide_request(self, guild_id: int, request_id: int, status: str, by: int, now: datetime) -> bool:
        """Mark a pending request approved or rejected; ``False`` if it was no longer pending."""
        changed = await self.db.execute_rowcount(
            """UPDATE registration_requests SET status = ?, decided_at = ?, decided_by = ?
               WHERE guild_id = ? AND id = ? AND status = 'pending'""",
            (status, utc_iso(now), by, guild_id, request_id),
        )
        return changed > 0
