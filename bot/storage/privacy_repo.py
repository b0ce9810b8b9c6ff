"""Everything stored about one person, and erasing it: one declarative list of where people appear.

Every column that holds a Discord user id is listed in :data:`PERSON_COLUMNS` with what ``forget``
does to it. A test introspects the migrated schema and fails when a person column is missing here,
so a new table cannot silently escape ``/privacy mydata`` and ``/privacy forget``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Any, Final

from bot.storage.db import Database, utc_iso

ANONYMOUS: Final = 0
"""The placeholder that replaces an erased person's id in history (no Discord id is 0)."""


class Erase(Enum):
    """What ``forget`` does with a row that mentions the person."""

    DELETE = "delete"  # the row is only about them (their name, drafts, DM cursor, closed-DM flag)
    ANONYMISE = "anonymise"  # the row is the council's history: their id becomes ANONYMOUS


@dataclass(frozen=True, slots=True)
class PersonColumn:
    """A column that holds a person's Discord id."""

    table: str
    column: str
    erase: Erase
    guild_scoped: bool = True
    clear: tuple[str, ...] = ()  # text columns they wrote, emptied when their id is anonymised
    where: str = ""  # extra condition (e.g. outbox rows addressed to a user, not a channel)


PERSON_COLUMNS: Final[tuple[PersonColumn, ...]] = (
    PersonColumn("people", "user_id", Erase.DELETE),
    PersonColumn("assignments", "user_id", Erase.ANONYMISE),
    PersonColumn("registration_requests", "user_id", Erase.ANONYMISE),
    PersonColumn("registration_requests", "decided_by", Erase.ANONYMISE),
    PersonColumn("meetings", "created_by", Erase.ANONYMISE),
    PersonColumn("invitations", "representative_id", Erase.ANONYMISE, clear=("rep_note",)),
    PersonColumn("invitations", "deputy_id", Erase.ANONYMISE, clear=("deputy_note",)),
    PersonColumn("invitations", "attended_user_id", Erase.ANONYMISE),
    PersonColumn("invitations", "attendance_recorded_by", Erase.ANONYMISE),
    PersonColumn("rsvp_answers", "user_id", Erase.ANONYMISE, clear=("note",)),
    PersonColumn("outbox", "target_id", Erase.ANONYMISE, where="target_kind = 'user'"),
    PersonColumn("closed_dms", "user_id", Erase.DELETE),
    PersonColumn("status_versions", "author_id", Erase.ANONYMISE),
    PersonColumn("status_drafts", "user_id", Erase.DELETE),
    PersonColumn("dm_cursors", "user_id", Erase.DELETE, guild_scoped=False),
    PersonColumn("minutes_notes", "author_id", Erase.ANONYMISE),
    PersonColumn("minutes_versions", "created_by", Erase.ANONYMISE),
    PersonColumn("minutes_addenda", "created_by", Erase.ANONYMISE),
    PersonColumn("decisions", "author_id", Erase.ANONYMISE),
    PersonColumn("action_items", "owner_user_id", Erase.ANONYMISE),
    PersonColumn("action_items", "done_by", Erase.ANONYMISE, clear=("done_note",)),
    PersonColumn("action_items", "created_by", Erase.ANONYMISE),
    PersonColumn("meetings", "approved_by", Erase.ANONYMISE),
    PersonColumn("circulations", "created_by", Erase.ANONYMISE),
    PersonColumn("circulation_comments", "user_id", Erase.DELETE),
    PersonColumn("minutes_notes", "replaced_by", Erase.ANONYMISE),
    PersonColumn("meeting_guests", "added_by", Erase.ANONYMISE),
    PersonColumn("attendance_substitutes", "recorded_by", Erase.ANONYMISE),
    PersonColumn("rsvp_answers", "recorded_by", Erase.ANONYMISE),
    PersonColumn("next_meetings", "set_by", Erase.ANONYMISE),
)

# Export: which columns of each table to show (large or other people's data left out).
_HIDDEN: Final = {"minutes_versions": ("markdown", "docx"), "outbox": ("payload", "dedupe_key")}


class PrivacyRepo:
    """Reads and erases one person's rows, scoped to one server."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def _condition(self, spec: PersonColumn) -> str:
        sql = f"{spec.column} = ?"  # names come from PERSON_COLUMNS, never from input
        if spec.guild_scoped:
            sql += " AND guild_id = ?"
        if spec.where:
            sql += f" AND {spec.where}"
        return sql

    @staticmethod
    def _params(spec: PersonColumn, guild_id: int, user_id: int) -> tuple[int, ...]:
        return (user_id, guild_id) if spec.guild_scoped else (user_id,)

    async def export(self, guild_id: int, user_id: int) -> dict[str, list[dict[str, Any]]]:
        """Every row in this server that mentions the person, by table (``table.column`` keys)."""
        found: dict[str, list[dict[str, Any]]] = {}
        for spec in PERSON_COLUMNS:
            rows = await self.db.fetchall(
                f"SELECT * FROM {spec.table} WHERE {self._condition(spec)}",
                self._params(spec, guild_id, user_id),
            )
            hidden = _HIDDEN.get(spec.table, ())
            records = [{k: _plain(row[k]) for k in row.keys() if k not in hidden} for row in rows]  # noqa: SIM118
            if records:
                found[f"{spec.table}.{spec.column}"] = records
        return found

    async def forget(self, guild_id: int, user_id: int, now: datetime) -> int:
        """Erase the person in this server (call inside a transaction); return how many rows changed."""
        changed = await self.db.execute_rowcount(
            "UPDATE assignments SET ended_at = ? WHERE guild_id = ? AND user_id = ? AND ended_at IS NULL",
            (utc_iso(now), guild_id, user_id),
        )
        changed += await self.db.execute_rowcount(
            """UPDATE outbox SET state = 'dropped', last_error = 'recipient erased their data'
               WHERE guild_id = ? AND target_kind = 'user' AND target_id = ? AND state IN ('pending', 'sending')""",
            (guild_id, user_id),
        )
        changed += await self.db.execute_rowcount(
            """UPDATE outbox SET dedupe_key = replace(dedupe_key, ?, 'anon')
               WHERE guild_id = ? AND dedupe_key LIKE ?""",
            (str(user_id), guild_id, f"%{user_id}%"),
        )
        for spec in PERSON_COLUMNS:
            condition = self._condition(spec)
            params = self._params(spec, guild_id, user_id)
            if spec.erase is Erase.DELETE:
                sql = f"DELETE FROM {spec.table} WHERE {condition}"
                changed += await self.db.execute_rowcount(sql, params)
                continue
            sets = ", ".join([f"{spec.column} = {ANONYMOUS}", *(f"{c} = NULL" for c in spec.clear)])
            sql = f"UPDATE {spec.table} SET {sets} WHERE {condition}"
            changed += await self.db.execute_rowcount(sql, params)
        return changed


def _plain(value: Any) -> Any:
    return value.hex() if isinstance(value, bytes) else value
