"""Status versions, DM drafts and DM cursors in SQLite.

Status versions and drafts are scoped by ``guild_id`` in every query, except the two routing
look-ups a DM needs before it knows its server (:meth:`StatusRepo.guild_of_draft`,
:meth:`StatusRepo.guilds_of_member`). DM cursors belong to a Discord user, not to a server.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from bot.domain.status import Author, DraftState, StatusDraft, StatusVersion, Via
from bot.storage._rows import RowMapper
from bot.storage.db import Repository, utc_iso

_version = RowMapper(StatusVersion)
_draft = RowMapper(StatusDraft)


class StatusRepo(Repository):
    """Repository for status updates."""

    # -- versions --------------------------------------------------------------------------------

    async def add_version(
        self,
        guild_id: int,
        meeting_id: int,
        org_id: int,
        *,
        text: str,
        author_id: int,
        author_role: Author,
        via: Via,
        source: str | None,
        now: datetime,
    ) -> StatusVersion:
        """Append a new version (numbered after the latest) and return it."""
        return await self.db.fetch_returned(
            _version,
            """INSERT INTO status_versions (guild_id, meeting_id, org_id, version, text, author_id, author_role,
                                            source, via, created_at)
               VALUES (?, ?, ?,
                       (SELECT COALESCE(MAX(version), 0) + 1 FROM status_versions
                        WHERE guild_id = ? AND meeting_id = ? AND org_id = ?),
                       ?, ?, ?, ?, ?, ?)
               RETURNING *""",
            (
                guild_id,
                meeting_id,
                org_id,
                guild_id,
                meeting_id,
                org_id,
                text,
                author_id,
                author_role.value,
                source,
                via.value,
                utc_iso(now),
            ),
        )

    async def current(self, guild_id: int, meeting_id: int, org_id: int) -> StatusVersion | None:
        """An organisation's current status for a meeting (its latest version)."""
        return await self.db.fetchone_as(
            _version,
            """SELECT * FROM status_versions WHERE guild_id = ? AND meeting_id = ? AND org_id = ?
               ORDER BY version DESC LIMIT 1""",
            (guild_id, meeting_id, org_id),
        )

    async def history(self, guild_id: int, meeting_id: int, org_id: int) -> list[StatusVersion]:
        """Every version of an organisation's status for a meeting, oldest first."""
        return await self.db.fetchall_as(
            _version,
            """SELECT * FROM status_versions WHERE guild_id = ? AND meeting_id = ? AND org_id = ?
               ORDER BY version""",
            (guild_id, meeting_id, org_id),
        )

    async def current_for_meeting(self, guild_id: int, meeting_id: int) -> list[StatusVersion]:
        """The current status of every organisation that has one, in roster order."""
        return await self.db.fetchall_as(
            _version,
            """SELECT s.* FROM status_versions s
               JOIN organisations o ON o.id = s.org_id AND o.guild_id = s.guild_id
               WHERE s.guild_id = ? AND s.meeting_id = ?
                 AND s.version = (SELECT MAX(version) FROM status_versions l
                                  WHERE l.guild_id = s.guild_id AND l.meeting_id = s.meeting_id
                                    AND l.org_id = s.org_id)
               ORDER BY o.position, o.id""",
            (guild_id, meeting_id),
        )

    async def orgs_with_status(self, guild_id: int, meeting_id: int) -> set[int]:
        """Organisations with at least one version for the meeting."""
        return set(
            await self.db.fetch_ints(
                "SELECT DISTINCT org_id FROM status_versions WHERE guild_id = ? AND meeting_id = ?",
                (guild_id, meeting_id),
            )
        )

    async def count_versions(self, guild_id: int, meeting_id: int, org_id: int) -> int:
        """How many versions an organisation's status has."""
        return await self.db.fetch_int(
            "SELECT count(*) FROM status_versions WHERE guild_id = ? AND meeting_id = ? AND org_id = ?",
            (guild_id, meeting_id, org_id),
            default=0,
        )

    # -- drafts ----------------------------------------------------------------------------------

    async def pending_draft(self, guild_id: int, meeting_id: int, org_id: int, user_id: int) -> StatusDraft | None:
        """The member's undecided draft for an organisation and meeting."""
        return await self.db.fetchone_as(
            _draft,
            """SELECT * FROM status_drafts
               WHERE guild_id = ? AND meeting_id = ? AND org_id = ? AND user_id = ? AND state = 'pending'""",
            (guild_id, meeting_id, org_id, user_id),
        )

    async def pending_drafts(self, guild_id: int, meeting_id: int) -> list[StatusDraft]:
        """Every undecided draft of a meeting."""
        return await self.db.fetchall_as(
            _draft,
            "SELECT * FROM status_drafts WHERE guild_id = ? AND meeting_id = ? AND state = 'pending' ORDER BY id",
            (guild_id, meeting_id),
        )

    async def insert_draft(
        self,
        guild_id: int,
        meeting_id: int,
        org_id: int,
        *,
        user_id: int,
        author_role: Author,
        text: str,
        message_id: int,
        now: datetime,
    ) -> StatusDraft:
        """Start a pending draft with the first DM message."""
        return await self.db.fetch_returned(
            _draft,
            """INSERT INTO status_drafts (guild_id, meeting_id, org_id, user_id, author_role, text, last_message_id,
                                          created_at, updated_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
               RETURNING *""",
            (guild_id, meeting_id, org_id, user_id, author_role.value, text, message_id, utc_iso(now), utc_iso(now)),
        )

    async def extend_draft(
        self, guild_id: int, draft_id: int, text: str, message_id: int, now: datetime
    ) -> StatusDraft:
        """Replace a pending draft's text with the joined text and count the message.

        The caller read the pending draft in this transaction: the update finds it.
        """
        return await self.db.fetch_returned(
            _draft,
            """UPDATE status_drafts SET text = ?, messages = messages + 1, last_message_id = ?, updated_at = ?
               WHERE guild_id = ? AND id = ? AND state = 'pending'
               RETURNING *""",
            (text, message_id, utc_iso(now), guild_id, draft_id),
        )

    async def guild_of_draft(self, draft_id: int) -> int | None:
        """The server a draft belongs to.

        A button in a DM carries no server, only the draft id; this routing look-up is not scoped by
        server. Everything after it is, and the clicker must be the draft's author.
        """
        return await self.db.fetch_int("SELECT guild_id FROM status_drafts WHERE id = ?", (draft_id,))

    async def get_draft(self, guild_id: int, draft_id: int) -> StatusDraft | None:
        """A draft by id."""
        return await self.db.fetchone_as(
            _draft, "SELECT * FROM status_drafts WHERE guild_id = ? AND id = ?", (guild_id, draft_id)
        )

    async def resolve_draft(
        self, guild_id: int, draft_id: int, state: DraftState, version_id: int | None, now: datetime
    ) -> bool:
        """Mark a pending draft decided; ``False`` when it was no longer pending."""
        changed = await self.db.execute_rowcount(
            """UPDATE status_drafts SET state = ?, resolved_at = ?, version_id = ?
               WHERE guild_id = ? AND id = ? AND state = 'pending'""",
            (state.value, utc_iso(now), version_id, guild_id, draft_id),
        )
        return changed > 0

    # -- who is a member, across servers (DMs only) ----------------------------------------------

    async def guilds_of_member(self, user_id: int) -> list[int]:
        """Servers where ``user_id`` holds a seat now or is in a meeting's invitation.

        A DM carries no server; this routing look-up across servers decides which council a DM is
        for. Everything after it is scoped by server.
        """
        return await self.db.fetch_ints(
            """SELECT guild_id FROM assignments WHERE user_id = ? AND ended_at IS NULL
               UNION
               SELECT guild_id FROM invitations WHERE representative_id = ? OR deputy_id = ?
               ORDER BY guild_id""",
            (user_id, user_id, user_id),
        )

    async def guilds_knowing(self, user_id: int) -> list[int]:
        """Servers whose council has this person's name (former members, registration requests)."""
        return await self.db.fetch_ints("SELECT guild_id FROM people WHERE user_id = ? ORDER BY guild_id", (user_id,))

    # -- DM cursors ------------------------------------------------------------------------------

    async def cursor(self, user_id: int) -> int | None:
        """The newest DM message id taken from ``user_id``."""
        return await self.db.fetch_int("SELECT last_message_id FROM dm_cursors WHERE user_id = ?", (user_id,))

    async def advance_cursor(self, user_id: int, message_id: int, now: datetime) -> None:
        """Record ``message_id`` as taken (the cursor only ever moves forward)."""
        await self.db.execute(
            """INSERT INTO dm_cursors (user_id, last_message_id, updated_at) VALUES (?, ?, ?)
               ON CONFLICT (user_id) DO UPDATE SET
                   last_message_id = MAX(last_message_id, excluded.last_message_id),
                   updated_at = excluded.updated_at""",
            (user_id, message_id, utc_iso(now)),
        )

    async def ensure_cursors(self, user_ids: Iterable[int], message_id: int, now: datetime) -> int:
        """Start reading these members' DMs from ``message_id`` unless they have a cursor; return how many were new."""
        wanted = sorted(set(user_ids))
        if not wanted:
            return 0
        before = await self.db.fetch_int("SELECT count(*) FROM dm_cursors", default=0)
        await self.db.executemany(
            """INSERT INTO dm_cursors (user_id, last_message_id, updated_at) VALUES (?, ?, ?)
               ON CONFLICT (user_id) DO NOTHING""",
            [(user_id, message_id, utc_iso(now)) for user_id in wanted],
        )
        return await self.db.fetch_int("SELECT count(*) FROM dm_cursors", default=0) - before

    async def cursors(self) -> list[tuple[int, int]]:
        """Every ``(user id, last message id)``, for picking up DMs sent while the bot was offline."""
        rows = await self.db.fetchall("SELECT user_id, last_message_id FROM dm_cursors ORDER BY user_id")
        return [(int(row[0]), int(row[1])) for row in rows]
