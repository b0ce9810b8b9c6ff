"""Everything stored about one person, and erasing it: one declarative list of where people appear.

Every column that holds a Discord user id is listed in :data:`PERSON_COLUMNS` with what ``forget``
does to it. A test introspects the migrated schema and fails when a person column is missing here,
so a new table cannot silently escape ``/privacy mydata`` and ``/privacy forget``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Any, Final

from bot.domain.roster import ERASED_ID
from bot.i18n import Language, as_language
from bot.storage.db import Repository, utc_iso


class Erase(Enum):
    """What ``forget`` does with a row that mentions the person."""

    DELETE = "delete"  # the row is only about them (their name, drafts, DM cursor and channel, closed-DM flag)
    ANONYMISE = "anonymise"  # the row is the council's history: their id becomes ERASED_ID


@dataclass(frozen=True, slots=True)
class PersonColumn:
    """A column that holds a person's Discord id."""

    table: str
    column: str
    erase: Erase
    guild_scoped: bool = True
    clear: tuple[str, ...] = ()  # text columns they wrote, emptied when their id is anonymised
    where: str = ""  # extra condition (e.g. outbox rows addressed to a user, not a channel)
    own: tuple[str, ...] = ()
    """What ``/privacy mydata`` shows of the row: the person's own columns. Empty: every column except
    ``guild_id`` and the table's other person columns (a row never carries someone else's id out)."""


PERSON_COLUMNS: Final[tuple[PersonColumn, ...]] = (
    PersonColumn("people", "user_id", Erase.DELETE, own=("display_name", "updated_at")),
    PersonColumn("assignments", "user_id", Erase.ANONYMISE),
    PersonColumn("registration_requests", "user_id", Erase.ANONYMISE),
    PersonColumn(
        "registration_requests", "decided_by", Erase.ANONYMISE, own=("id", "org_id", "role", "status", "decided_at")
    ),
    PersonColumn("meetings", "created_by", Erase.ANONYMISE, own=("number", "title", "created_at")),
    PersonColumn(
        "invitations",
        "representative_id",
        Erase.ANONYMISE,
        clear=("rep_note",),
        own=("meeting_id", "org_id", "invited_at", "rep_answer", "rep_answered_at", "rep_note"),
    ),
    PersonColumn(
        "invitations",
        "deputy_id",
        Erase.ANONYMISE,
        clear=("deputy_note",),
        own=(
            "meeting_id",
            "org_id",
            "deputy_invited",
            "deputy_called_at",
            "deputy_answer",
            "deputy_answered_at",
            "deputy_note",
            "deputy_released_at",
        ),
    ),
    PersonColumn(
        "invitations", "attended_user_id", Erase.ANONYMISE, own=("meeting_id", "org_id", "attended", "attended_role")
    ),
    PersonColumn(
        "invitations",
        "attendance_recorded_by",
        Erase.ANONYMISE,
        own=("meeting_id", "org_id", "attended", "attendance_recorded_at"),
    ),
    PersonColumn("rsvp_answers", "user_id", Erase.ANONYMISE, clear=("note",)),
    PersonColumn(
        "outbox",
        "target_id",
        Erase.ANONYMISE,
        where="target_kind = 'user'",
        own=("purpose", "meeting_id", "org_id", "state", "created_at", "sent_at"),
    ),
    PersonColumn("closed_dms", "user_id", Erase.DELETE),
    PersonColumn("dm_channels", "user_id", Erase.DELETE),
    PersonColumn("status_versions", "author_id", Erase.ANONYMISE),
    PersonColumn("status_drafts", "user_id", Erase.DELETE),
    PersonColumn("dm_cursors", "user_id", Erase.DELETE, guild_scoped=False),
    PersonColumn("minutes_notes", "author_id", Erase.ANONYMISE),
    PersonColumn(
        "minutes_versions", "created_by", Erase.ANONYMISE, own=("meeting_id", "kind", "version", "created_at")
    ),
    PersonColumn("minutes_addenda", "created_by", Erase.ANONYMISE),
    PersonColumn("decisions", "author_id", Erase.ANONYMISE),
    PersonColumn("action_items", "owner_user_id", Erase.ANONYMISE),
    PersonColumn("action_items", "done_by", Erase.ANONYMISE, clear=("done_note",)),
    PersonColumn(
        "action_items",
        "created_by",
        Erase.ANONYMISE,
        own=("number", "meeting_id", "text", "owner_org_id", "due_at", "state", "created_at"),
    ),
    PersonColumn("meetings", "approved_by", Erase.ANONYMISE),
    PersonColumn("circulations", "created_by", Erase.ANONYMISE),
    PersonColumn("circulation_comments", "user_id", Erase.DELETE),
    PersonColumn("minutes_notes", "replaced_by", Erase.ANONYMISE),
    PersonColumn("meeting_guests", "added_by", Erase.ANONYMISE),
    PersonColumn("attendance_substitutes", "recorded_by", Erase.ANONYMISE),
    # What the secretary recorded for a member: the member's note stays the member's.
    PersonColumn(
        "rsvp_answers",
        "recorded_by",
        Erase.ANONYMISE,
        own=("meeting_id", "org_id", "role", "answer", "via", "answered_at"),
    ),
    PersonColumn("next_meetings", "set_by", Erase.ANONYMISE),
)

# Never exported: large blobs and what the bot wrote to send (may name other people).
_HIDDEN: Final = ("markdown", "docx", "payload", "dedupe_key", "last_error")
# A user id as a whole number (not the digits inside a longer one).
_ID_TEMPLATE: Final = r"(?<![0-9]){}(?![0-9])"


class PrivacyRepo(Repository):
    """Reads and erases one person's rows, scoped to one server."""

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
        """Every row in this server about the person, by ``table.column``: only their own columns."""
        found: dict[str, list[dict[str, Any]]] = {}
        for spec in PERSON_COLUMNS:
            columns = spec.own or await self._default_columns(spec)
            rows = await self.db.fetchall(
                f"SELECT {', '.join(columns)} FROM {spec.table} WHERE {self._condition(spec)} ORDER BY rowid",
                self._params(spec, guild_id, user_id),
            )
            records = [{k: _plain(row[k]) for k in columns} for row in rows]
            if records:
                found[f"{spec.table}.{spec.column}"] = records
        return found

    async def language(self, guild_id: int) -> Language:
        """The council's language (bokmål when the server has no council)."""
        row = await self.db.fetchone("SELECT language FROM councils WHERE guild_id = ?", (guild_id,))
        return as_language(row["language"]) if row else "nb"

    async def _default_columns(self, spec: PersonColumn) -> tuple[str, ...]:
        others = {p.column for p in PERSON_COLUMNS if p.table == spec.table and p.column != spec.column}
        hidden = {"guild_id", *others, *_HIDDEN}
        rows = await self.db.fetchall(f"PRAGMA table_info({spec.table})")
        return tuple(row["name"] for row in rows if row["name"] not in hidden)

    async def forget(self, guild_id: int, user_id: int, now: datetime, label: str = "(anonymised)") -> int:
        """Erase the person in this server (call inside a transaction); return how many rows changed.

        ``label`` replaces mentions of them in messages the bot stored (alerts to the secretary).
        """
        changed = await self.db.execute_rowcount(
            "UPDATE assignments SET ended_at = ? WHERE guild_id = ? AND user_id = ? AND ended_at IS NULL",
            (utc_iso(now), guild_id, user_id),
        )
        changed += await self.db.execute_rowcount(
            """UPDATE outbox SET state = 'dropped', last_error = 'recipient erased their data'
               WHERE guild_id = ? AND target_kind = 'user' AND target_id = ? AND state IN ('pending', 'sending')""",
            (guild_id, user_id),
        )
        changed += await self._scrub_outbox(guild_id, user_id, label)
        # A registration still waiting would otherwise be approved for the placeholder.
        changed += await self.db.execute_rowcount(
            "DELETE FROM registration_requests WHERE guild_id = ? AND user_id = ? AND status = 'pending'",
            (guild_id, user_id),
        )
        for spec in PERSON_COLUMNS:
            condition = self._condition(spec)
            params = self._params(spec, guild_id, user_id)
            if spec.erase is Erase.DELETE:
                sql = f"DELETE FROM {spec.table} WHERE {condition}"
                changed += await self.db.execute_rowcount(sql, params)
                continue
            sets = ", ".join([f"{spec.column} = {ERASED_ID}", *(f"{c} = NULL" for c in spec.clear)])
            sql = f"UPDATE {spec.table} SET {sets} WHERE {condition}"
            changed += await self.db.execute_rowcount(sql, params)
        return changed

    async def _scrub_outbox(self, guild_id: int, user_id: int, label: str) -> int:
        """Take the person's id out of the server's dedupe keys and message payloads.

        A dedupe key gets ``anon<row id>`` in place of the id: unique per row, so erasing two people whose
        keys differed only by their ids never collides on the unique index. In a payload, a mention of
        them reads ``label`` and any other occurrence of the id becomes the placeholder.
        """
        pattern = re.compile(_ID_TEMPLATE.format(user_id))
        rows = await self.db.fetchall(
            "SELECT id, dedupe_key, payload FROM outbox WHERE guild_id = ? AND (dedupe_key LIKE ? OR payload LIKE ?)",
            (guild_id, f"%{user_id}%", f"%{user_id}%"),
        )
        changed = 0
        for row in rows:
            key = pattern.sub(f"anon{row['id']}", row["dedupe_key"])
            payload = _scrub_payload(row["payload"], user_id, label, pattern)
            if (key, payload) != (row["dedupe_key"], row["payload"]):
                changed += await self.db.execute_rowcount(
                    "UPDATE outbox SET dedupe_key = ?, payload = ? WHERE guild_id = ? AND id = ?",
                    (key, payload, guild_id, row["id"]),
                )
        return changed


def _scrub_payload(payload: str, user_id: int, label: str, pattern: re.Pattern[str]) -> str:
    """A stored message without the person: their mention reads ``label``, the mention permission goes."""
    try:
        data = json.loads(payload)
    except ValueError:
        return pattern.sub(str(ERASED_ID), payload)
    if isinstance(data, dict):
        if data.get("mention_user_id") == user_id:
            data["mention_user_id"] = None
        if isinstance(data.get("content"), str):
            data["content"] = re.sub(rf"<@!?{user_id}>", label, data["content"])
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return pattern.sub(str(ERASED_ID), text)


def _plain(value: Any) -> Any:
    return value.hex() if isinstance(value, bytes) else value
