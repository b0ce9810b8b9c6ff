"""Decisions, action items, approvals and circulations in SQLite. Every query is scoped by ``guild_id``."""

from __future__ import annotations

from datetime import datetime

from bot.domain.memory import ActionItem, Approval, Circulation, Comment, Decision
from bot.storage._rows import RowMapper
from bot.storage.db import Repository, opt_utc_iso, utc_iso

_decision = RowMapper(Decision)
_action = RowMapper(ActionItem)
_approval = RowMapper(Approval, columns={"meeting_id": "approved_in_meeting_id"})
_circulation = RowMapper(Circulation)
_comment = RowMapper(Comment)


class MemoryRepo(Repository):
    """Repository for decisions, action items, approvals and circulations."""

    # -- decisions -------------------------------------------------------------------------------

    async def add_decision(
        self, guild_id: int, meeting_id: int, item_id: int, text: str, author_id: int, now: datetime
    ) -> int:
        """Store a decision under an agenda item."""
        return await self.db.execute(
            """INSERT INTO decisions (guild_id, meeting_id, agenda_item_id, text, author_id, created_at, updated_at)
               VALUES (?, ?, ?, ?, ?, ?, ?)""",
            (guild_id, meeting_id, item_id, text, author_id, utc_iso(now), utc_iso(now)),
        )

    async def decisions(self, guild_id: int, meeting_id: int) -> list[Decision]:
        """A meeting's decisions, oldest first."""
        return await self.db.fetchall_as(
            _decision,
            "SELECT * FROM decisions WHERE guild_id = ? AND meeting_id = ? ORDER BY id",
            (guild_id, meeting_id),
        )

    async def get_decision(self, guild_id: int, decision_id: int) -> Decision | None:
        """A decision by id."""
        return await self.db.fetchone_as(
            _decision, "SELECT * FROM decisions WHERE guild_id = ? AND id = ?", (guild_id, decision_id)
        )

    async def update_decision(self, guild_id: int, decision_id: int, text: str, now: datetime) -> bool:
        """Rewrite a decision; ``False`` when it does not exist."""
        changed = await self.db.execute_rowcount(
            "UPDATE decisions SET text = ?, updated_at = ? WHERE guild_id = ? AND id = ?",
            (text, utc_iso(now), guild_id, decision_id),
        )
        return changed > 0

    async def delete_decision(self, guild_id: int, decision_id: int) -> bool:
        """Remove a decision; ``False`` when it does not exist."""
        changed = await self.db.execute_rowcount(
            "DELETE FROM decisions WHERE guild_id = ? AND id = ?", (guild_id, decision_id)
        )
        return changed > 0

    # -- action items ----------------------------------------------------------------------------

    async def add_action(
        self,
        guild_id: int,
        meeting_id: int,
        *,
        text: str,
        item_id: int | None,
        owner_org_id: int | None,
        owner_user_id: int | None,
        due_at: datetime | None,
        created_by: int,
        now: datetime,
    ) -> ActionItem:
        """Store an action item with the council's next number."""
        return await self.db.fetch_returned(
            _action,
            """INSERT INTO action_items (guild_id, number, meeting_id, agenda_item_id, text, owner_org_id,
                                         owner_user_id, due_at, created_by, created_at)
               VALUES (?, (SELECT COALESCE(MAX(number), 0) + 1 FROM action_items WHERE guild_id = ?),
                       ?, ?, ?, ?, ?, ?, ?, ?)
               RETURNING *""",
            (
                guild_id,
                guild_id,
                meeting_id,
                item_id,
                text,
                owner_org_id,
                owner_user_id,
                opt_utc_iso(due_at),
                created_by,
                utc_iso(now),
            ),
        )

    async def get_action(self, guild_id: int, number: int) -> ActionItem | None:
        """An action item by its council number."""
        return await self.db.fetchone_as(
            _action, "SELECT * FROM action_items WHERE guild_id = ? AND number = ?", (guild_id, number)
        )

    async def actions(self, guild_id: int, *, open_only: bool = False) -> list[ActionItem]:
        """Every action item of the council, by number."""
        sql = "SELECT * FROM action_items WHERE guild_id = ?"
        if open_only:
            sql += " AND state = 'open'"
        return await self.db.fetchall_as(_action, sql + " ORDER BY number", (guild_id,))

    async def actions_for_meeting(self, guild_id: int, meeting_id: int) -> list[ActionItem]:
        """The action items recorded at a meeting."""
        return await self.db.fetchall_as(
            _action,
            "SELECT * FROM action_items WHERE guild_id = ? AND meeting_id = ? ORDER BY number",
            (guild_id, meeting_id),
        )

    async def mark_done(self, guild_id: int, action_id: int, by: int, note: str | None, now: datetime) -> bool:
        """Mark an open item done; ``False`` when it already was."""
        changed = await self.db.execute_rowcount(
            """UPDATE action_items SET state = 'done', done_at = ?, done_by = ?, done_note = ?
               WHERE guild_id = ? AND id = ? AND state = 'open'""",
            (utc_iso(now), by, note, guild_id, action_id),
        )
        return changed > 0

    async def reminder_candidates(self, after: datetime, until: datetime) -> list[ActionItem]:
        """Open items of every server due after ``after`` and on or before ``until``, not reminded yet."""
        return await self.db.fetchall_as(
            _action,
            """SELECT * FROM action_items
               WHERE state = 'open' AND due_reminded_at IS NULL AND due_at > ? AND due_at <= ?
               ORDER BY due_at, id""",
            (utc_iso(after), utc_iso(until)),
        )

    async def mark_reminded(self, guild_id: int, action_id: int, now: datetime) -> bool:
        """Claim the one reminder of an item; ``False`` when it was already sent (or the item is done)."""
        changed = await self.db.execute_rowcount(
            """UPDATE action_items SET due_reminded_at = ?
               WHERE guild_id = ? AND id = ? AND due_reminded_at IS NULL AND state = 'open'""",
            (utc_iso(now), guild_id, action_id),
        )
        return changed > 0

    # -- approval --------------------------------------------------------------------------------

    async def approval(self, guild_id: int, meeting_id: int) -> Approval | None:
        """When a meeting's minutes were approved, if they were."""
        row = await self.db.fetchone(
            "SELECT approved_at, approved_in_meeting_id FROM meetings WHERE guild_id = ? AND id = ?",
            (guild_id, meeting_id),
        )
        if row is None or row["approved_at"] is None:
            return None
        return _approval(row)

    async def set_approved(
        self, guild_id: int, meeting_id: int, at_meeting_id: int | None, by: int, now: datetime
    ) -> bool:
        """Record the approval of published minutes; ``False`` when already approved or not published."""
        changed = await self.db.execute_rowcount(
            """UPDATE meetings SET approved_at = ?, approved_in_meeting_id = ?, approved_by = ?
               WHERE guild_id = ? AND id = ? AND approved_at IS NULL AND published_at IS NOT NULL""",
            (utc_iso(now), at_meeting_id, by, guild_id, meeting_id),
        )
        return changed > 0

    async def latest_unapproved(self, guild_id: int, before: datetime) -> int | None:
        """The id of the latest meeting before ``before`` whose published minutes are not approved."""
        return await self.db.fetch_int(
            """SELECT id FROM meetings WHERE guild_id = ? AND published_at IS NOT NULL AND approved_at IS NULL
                 AND start_at < ? AND state != 'cancelled'
               ORDER BY start_at DESC LIMIT 1""",
            (guild_id, utc_iso(before)),
        )

    async def approval_item(self, guild_id: int, meeting_id: int) -> tuple[int, int] | None:
        """The agenda item (id, approved meeting id) of a meeting that approves earlier minutes, if any."""
        row = await self.db.fetchone(
            """SELECT id, approves_meeting_id FROM agenda_items
               WHERE guild_id = ? AND meeting_id = ? AND approves_meeting_id IS NOT NULL ORDER BY position LIMIT 1""",
            (guild_id, meeting_id),
        )
        return (int(row[0]), int(row[1])) if row else None

    async def meeting_approving(self, guild_id: int, approved_meeting_id: int) -> int | None:
        """The meeting whose agenda has the item approving ``approved_meeting_id``, if any."""
        return await self.db.fetch_int(
            """SELECT a.meeting_id FROM agenda_items a JOIN meetings m ON m.id = a.meeting_id
               WHERE a.guild_id = ? AND a.approves_meeting_id = ? AND m.state != 'cancelled'
               ORDER BY m.start_at LIMIT 1""",
            (guild_id, approved_meeting_id),
        )

    async def add_approval_item(self, guild_id: int, meeting_id: int, title: str, approves_meeting_id: int) -> int:
        """Put the approval item first on a meeting's agenda (everything else moves down one)."""
        await self.db.execute(
            "UPDATE agenda_items SET position = position + 1 WHERE guild_id = ? AND meeting_id = ?",
            (guild_id, meeting_id),
        )
        return await self.db.execute(
            """INSERT INTO agenda_items (guild_id, meeting_id, position, kind, title, approves_meeting_id)
               VALUES (?, ?, 1, 'item', ?, ?)""",
            (guild_id, meeting_id, title, approves_meeting_id),
        )

    async def later_meetings_without_approval_item(self, guild_id: int, after: datetime, now: datetime) -> list[int]:
        """Meetings after ``after`` that have not started and have no approval item yet."""
        return await self.db.fetch_ints(
            """SELECT id FROM meetings m WHERE guild_id = ? AND start_at > ? AND start_at > ? AND state != 'cancelled'
                 AND NOT EXISTS (SELECT 1 FROM agenda_items a WHERE a.guild_id = m.guild_id AND a.meeting_id = m.id
                                 AND a.approves_meeting_id IS NOT NULL)
               ORDER BY start_at""",
            (guild_id, utc_iso(after), utc_iso(now)),
        )

    # -- circulation -----------------------------------------------------------------------------

    async def add_circulation(
        self, guild_id: int, meeting_id: int, version_id: int, deadline: datetime, by: int, now: datetime
    ) -> Circulation:
        """Record that a draft version was circulated."""
        circulation_id = await self.db.execute(
            """INSERT INTO circulations (guild_id, meeting_id, version_id, deadline, created_by, created_at)
               VALUES (?, ?, ?, ?, ?, ?)""",
            (guild_id, meeting_id, version_id, utc_iso(deadline), by, utc_iso(now)),
        )
        return Circulation(circulation_id, guild_id, meeting_id, version_id, deadline, now)

    async def circulation(self, circulation_id: int) -> Circulation | None:
        """A circulation by id (the comment button carries only the id)."""
        return await self.db.fetchone_as(_circulation, "SELECT * FROM circulations WHERE id = ?", (circulation_id,))

    async def first_circulation(self, guild_id: int, meeting_id: int) -> Circulation | None:
        """The first time a meeting's draft was circulated, if it was."""
        return await self.db.fetchone_as(
            _circulation,
            "SELECT * FROM circulations WHERE guild_id = ? AND meeting_id = ? ORDER BY id LIMIT 1",
            (guild_id, meeting_id),
        )

    async def add_comment(
        self, circulation: Circulation, org_id: int | None, user_id: int, text: str, now: datetime
    ) -> int:
        """Keep a comment on a circulated draft."""
        return await self.db.execute(
            """INSERT INTO circulation_comments
                   (guild_id, circulation_id, meeting_id, org_id, user_id, text, created_at)
               VALUES (?, ?, ?, ?, ?, ?, ?)""",
            (circulation.guild_id, circulation.id, circulation.meeting_id, org_id, user_id, text, utc_iso(now)),
        )

    async def comments(self, guild_id: int, meeting_id: int) -> list[Comment]:
        """Every comment on a meeting's circulated drafts, oldest first."""
        return await self.db.fetchall_as(
            _comment,
            "SELECT * FROM circulation_comments WHERE guild_id = ? AND meeting_id = ? ORDER BY id",
            (guild_id, meeting_id),
        )
