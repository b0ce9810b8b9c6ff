"""Invitations (RSVP state per organisation and meeting) and the answer history, in SQLite.

Every query is scoped by ``guild_id``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import aiosqlite

from bot.domain.attendance import Answer, AnswerRecord, AttendanceState, Invitation, Outcome
from bot.domain.invitations import Invitees
from bot.domain.roster import Role
from bot.storage._rows import RowMapper
from bot.storage.db import Repository, opt_utc_iso, utc_iso


def _answer(value: str | None) -> Answer | None:
    return Answer(value) if value is not None else None


def _state(row: aiosqlite.Row) -> AttendanceState:
    """The RSVP state machine's state, stored across the invitation's columns."""
    return AttendanceState(
        representative=_answer(row["rep_answer"]),
        deputy=_answer(row["deputy_answer"]),
        deputy_invited=bool(row["deputy_invited"]),
        deputy_called=row["deputy_called_at"] is not None,
        callups=row["deputy_callups"],
        no_deputy_flagged=row["no_deputy_flagged_at"] is not None,
    )


_invitation = RowMapper(Invitation, compute={"state": _state})
_answer_record = RowMapper(AnswerRecord)


class InvitationRepo(Repository):
    """Repository for invitations and RSVP answers."""

    async def insert(
        self,
        guild_id: int,
        meeting_id: int,
        org_id: int,
        *,
        representative_id: int | None,
        deputy_id: int | None,
        deputy_invited: bool,
        invited_at: datetime | None,
        now: datetime,
    ) -> Invitation:
        """Create an organisation's invitation with a snapshot of its seats."""
        # One statement (RETURNING), not insert-then-read: /meeting open inserts one per organisation.
        return await self.db.fetch_returned(
            _invitation,
            """INSERT INTO invitations (guild_id, meeting_id, org_id, representative_id, deputy_id,
                                        deputy_invited, invited_at, created_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?)
               RETURNING *""",
            (
                guild_id,
                meeting_id,
                org_id,
                representative_id,
                deputy_id,
                int(deputy_invited),
                opt_utc_iso(invited_at),
                utc_iso(now),
            ),
        )

    async def insert_many(
        self, guild_id: int, meeting_id: int, seats: Sequence[tuple[int, Invitees]], *, invited_at: datetime
    ) -> dict[int, Invitation]:
        """Create many organisations' invitations at once (``/meeting open``); by organisation id.

        ``seats`` pairs each organisation with who is invited; one statement for all of them and one
        read back, instead of a round trip to SQLite per organisation.
        """
        if not seats:
            return {}
        when = utc_iso(invited_at)
        await self.db.executemany(
            """INSERT INTO invitations (guild_id, meeting_id, org_id, representative_id, deputy_id,
                                        deputy_invited, invited_at, created_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
            [
                (guild_id, meeting_id, org_id, who.representative_id, who.deputy_id, int(who.with_deputy), when, when)
                for org_id, who in seats
            ],
        )
        wanted = {org_id for org_id, _who in seats}
        rows = await self.db.fetchall(
            "SELECT * FROM invitations WHERE guild_id = ? AND meeting_id = ?", (guild_id, meeting_id)
        )
        return {row["org_id"]: _invitation(row) for row in rows if row["org_id"] in wanted}

    async def get(self, guild_id: int, invitation_id: int) -> Invitation | None:
        """An invitation by id."""
        return await self.db.fetchone_as(
            _invitation, "SELECT * FROM invitations WHERE guild_id = ? AND id = ?", (guild_id, invitation_id)
        )

    async def for_org(self, guild_id: int, meeting_id: int, org_id: int) -> Invitation | None:
        """An organisation's invitation to a meeting."""
        return await self.db.fetchone_as(
            _invitation,
            "SELECT * FROM invitations WHERE guild_id = ? AND meeting_id = ? AND org_id = ?",
            (guild_id, meeting_id, org_id),
        )

    async def for_meeting(self, guild_id: int, meeting_id: int) -> list[Invitation]:
        """Every invitation to a meeting, in roster order."""
        return await self.db.fetchall_as(
            _invitation,
            """SELECT i.* FROM invitations i JOIN organisations o ON o.id = i.org_id AND o.guild_id = i.guild_id
               WHERE i.guild_id = ? AND i.meeting_id = ? ORDER BY o.position, o.id""",
            (guild_id, meeting_id),
        )

    async def for_user(self, guild_id: int, meeting_id: int, user_id: int) -> list[Invitation]:
        """Invitations to a meeting where ``user_id`` is the representative or the deputy in the snapshot."""
        return await self.db.fetchall_as(
            _invitation,
            """SELECT * FROM invitations
               WHERE guild_id = ? AND meeting_id = ? AND (representative_id = ? OR deputy_id = ?)
               ORDER BY org_id""",
            (guild_id, meeting_id, user_id, user_id),
        )

    async def save(self, invitation: Invitation, now: datetime) -> None:
        """Store an invitation's snapshot, RSVP state and timestamps.

        The call-up and no-deputy markers are stored as times: ``now`` when the state sets them and
        the invitation carries no time yet, cleared when the state clears them.
        """
        state = invitation.state
        called_at = (invitation.deputy_called_at or now) if state.deputy_called else None
        flagged_at = (invitation.no_deputy_flagged_at or now) if state.no_deputy_flagged else None
        await self.db.execute(
            """UPDATE invitations SET representative_id = ?, deputy_id = ?, invited_at = ?, deputy_invited = ?,
                   rep_answer = ?, rep_answered_at = ?, rep_note = ?,
                   deputy_called_at = ?, deputy_callups = ?, deputy_answer = ?, deputy_answered_at = ?,
                   deputy_note = ?, deputy_released_at = ?, no_deputy_flagged_at = ?
               WHERE guild_id = ? AND id = ?""",
            (
                invitation.representative_id,
                invitation.deputy_id,
                opt_utc_iso(invitation.invited_at),
                int(state.deputy_invited),
                state.representative.value if state.representative else None,
                opt_utc_iso(invitation.rep_answered_at),
                invitation.rep_note,
                opt_utc_iso(called_at),
                state.callups,
                state.deputy.value if state.deputy else None,
                opt_utc_iso(invitation.deputy_answered_at),
                invitation.deputy_note,
                opt_utc_iso(invitation.deputy_released_at),
                opt_utc_iso(flagged_at),
                invitation.guild_id,
                invitation.id,
            ),
        )

    async def record_attendance(
        self,
        guild_id: int,
        invitation_id: int,
        *,
        attended: bool,
        role: Outcome | None,
        user_id: int | None,
        by: int,
        now: datetime,
    ) -> None:
        """Store the secretary's record of who actually attended."""
        await self.db.execute(
            """UPDATE invitations SET attended = ?, attended_role = ?, attended_user_id = ?,
                   attendance_recorded_at = ?, attendance_recorded_by = ?
               WHERE guild_id = ? AND id = ?""",
            (int(attended), role.value if role else None, user_id, utc_iso(now), by, guild_id, invitation_id),
        )

    async def add_answer(
        self,
        guild_id: int,
        meeting_id: int,
        org_id: int,
        *,
        user_id: int,
        role: Role,
        answer: Answer,
        note: str | None,
        via: str,
        now: datetime,
        recorded_by: int | None = None,
    ) -> None:
        """Append an answer to the history (``recorded_by``: the secretary who entered it, if one did)."""
        await self.db.execute(
            """INSERT INTO rsvp_answers
               (guild_id, meeting_id, org_id, user_id, role, answer, note, via, answered_at, recorded_by)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            (guild_id, meeting_id, org_id, user_id, role.value, answer.value, note, via, utc_iso(now), recorded_by),
        )

    async def answers(self, guild_id: int, meeting_id: int) -> list[AnswerRecord]:
        """The answer history of a meeting, oldest first."""
        return await self.db.fetchall_as(
            _answer_record,
            "SELECT * FROM rsvp_answers WHERE guild_id = ? AND meeting_id = ? ORDER BY answered_at, id",
            (guild_id, meeting_id),
        )
