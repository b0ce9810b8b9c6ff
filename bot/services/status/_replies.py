"""Replies to the call: reading back DM replies, taking them as drafts, resolving drafts."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from bot.domain.attendance import Invitation
from bot.domain.meetings import Meeting
from bot.domain.roster import Council
from bot.domain.status import (
    Author,
    Via,
    apply_draft,
    join_draft,
    parse_action,
    resolved_state,
    snowflake_at,
    validate_status,
)
from bot.domain.text import no_mentions
from bot.errors import Conflict, InvalidInput, NotAllowed, NotFound
from bot.i18n import Language
from bot.services.lookup import require_council
from bot.services.status._results import DmRefusal, DraftPreview, ResolveResult, StatusSlot, StatusTarget
from bot.services.status._writing import StatusWriting

log = logging.getLogger(__name__)


class StatusReplies(StatusWriting):
    """DM replies to the invitation, the call-up and the reminders, held as drafts until resolved."""

    async def track_replies(self, guild_id: int, meeting_id: int) -> int:
        """Read back DM replies of everyone in a meeting's invitations, also those sent while offline.

        The organisation's status is asked for in the invitation or call-up itself (its "Skriv status"
        button, or a plain reply), so nothing is sent here: each person gets a DM cursor starting at
        the time of the call. Idempotent; called when the meeting opens and when a deputy is called
        up. Returns how many people were new.
        """
        async with self.deps.db.transaction():
            meeting = await self.deps.meetings.get(guild_id, meeting_id)
            if meeting is None:
                return 0
            return await self._track_replies(meeting)

    async def track_all_replies(self) -> int:
        """After a restart: make sure everyone in the meetings collecting statuses is read back."""
        count = 0
        for guild_id in await self.deps.roster.guild_ids():
            for meeting in await self.collecting_meetings(guild_id):
                count += await self.track_replies(guild_id, meeting.id)
        return count

    async def meeting_opened(self, guild_id: int, meeting: Meeting, invitations: Sequence[Invitation]) -> None:
        """The ``MeetingOpenedHook``: replies are tracked from the same transaction as the invitations."""
        await self._track_replies(meeting)

    async def _track_replies(self, meeting: Meeting) -> int:
        now = self.deps.clock.now()
        if not meeting.is_open or meeting.has_started(now):
            return 0
        if await self.minutes.published_at(meeting.guild_id, meeting.id) is not None:
            return 0
        people = [
            user_id
            for invitation in await self.deps.invitations.for_meeting(meeting.guild_id, meeting.id)
            # invited_at is empty for rows made only to record attendance: those were never called.
            if invitation.invited_at is not None
            for user_id in (invitation.representative_id, invitation.deputy_id)
            if user_id is not None
        ]
        return await self.repo.ensure_cursors(people, snowflake_at(now), now)

    # -- DMs -------------------------------------------------------------------------------------

    async def receive_dm(
        self, user_id: int, message_id: int, text: str, now: datetime
    ) -> DraftPreview | DmRefusal | None:
        """Take a member's DM as (part of) a pending status draft.

        Args:
            user_id: the sender.
            message_id: the DM's id; a message at or before the sender's cursor was taken already.
            text: the message as written.
            now: when the message was sent (decides which meeting is collecting).

        Returns:
            A preview to show with keep/replace/append buttons; a refusal to explain (not a member,
            no meeting collecting, a deputy who does not attend, bad text); or ``None`` when the
            message was taken before (answer nothing).
        """
        # Servers the sender has left are asked about before the transaction (a REST call each).
        cursor = await self.repo.cursor(user_id)
        left: set[int] = set()
        if self.membership is not None and (cursor is None or message_id > cursor):
            for guild_id in await self.repo.guilds_of_member(user_id):
                if await self.membership.has_left(guild_id, user_id):
                    left.add(guild_id)
        async with self.deps.db.transaction():
            cursor = await self.repo.cursor(user_id)
            if cursor is not None and message_id <= cursor:
                return None
            known = await self.repo.guilds_of_member(user_id)
            guilds = [guild_id for guild_id in known if guild_id not in left]
            if known and not guilds:
                await self.repo.advance_cursor(user_id, message_id, self.deps.clock.now())
                council = await self.deps.roster.get_council(known[0])
                language = council.language if council else None
                return DmRefusal("membership.left", {"council": no_mentions(council.name) if council else ""}, language)
            if not guilds:
                # Not on any roster: store nothing at all, not even that they wrote.
                return DmRefusal("status.dm_stranger", {}, await self._stranger_language(user_id))
            found = await self._dm_target(user_id, guilds, now)
            await self.repo.advance_cursor(user_id, message_id, self.deps.clock.now())
            if isinstance(found, DmRefusal):
                return found
            target, others = found
            slot = target.slot
            meeting, org = slot.meeting, slot.org
            pending = await self.repo.pending_draft(meeting.guild_id, meeting.id, org.id, user_id)
            try:
                draft_text = (
                    join_draft(pending.text, text, self.limit) if pending else validate_status(text, self.limit)
                )
            except InvalidInput as exc:
                # The cursor still moves: the refusal is answered once, not again after every restart.
                return DmRefusal(exc.message_key, dict(exc.params), slot.council.language)
            if pending is not None:
                draft = await self.repo.extend_draft(meeting.guild_id, pending.id, draft_text, message_id, now)
            else:
                draft = await self.repo.insert_draft(
                    meeting.guild_id,
                    meeting.id,
                    org.id,
                    user_id=user_id,
                    author_role=target.role,
                    text=draft_text,
                    message_id=message_id,
                    now=now,
                )
            current = await self.repo.current(meeting.guild_id, meeting.id, org.id)
        log.info("status draft %s (%d messages) for org %s meeting %s", draft.id, draft.messages, org.id, meeting.id)
        return DraftPreview(slot, draft, current, others)

    async def _dm_target(
        self, user_id: int, guilds: list[int], now: datetime
    ) -> tuple[StatusTarget, tuple[StatusTarget, ...]] | DmRefusal:
        """Which meeting and organisation a member's DM is for; the earliest meeting, representative seats first."""
        writable: list[StatusTarget] = []
        blocked: list[StatusSlot] = []
        first: Council | None = None
        for guild_id in guilds:
            council = await self.deps.roster.get_council(guild_id)
            if council is None:
                continue
            first = first or council
            for meeting in await self.collecting_meetings(guild_id, now):
                for org in await self._member_orgs(guild_id, meeting.id, user_id):
                    role, _invitation, _seat = await self._role_for(guild_id, meeting.id, org.id, user_id)
                    slot = StatusSlot(council, meeting, org)
                    if role is None:
                        blocked.append(slot)
                    else:
                        writable.append(StatusTarget(slot, role))
        if writable:
            writable.sort(
                key=lambda s: (s.slot.meeting.start_at, s.role is not Author.REPRESENTATIVE, s.slot.org.position)
            )
            return writable[0], tuple(writable[1:])
        if blocked:
            refused = blocked[0]
            return DmRefusal(
                "status.dm_deputy_not_attending",
                {"org": refused.org.short, "title": refused.meeting.title},
                refused.council.language,
            )
        return DmRefusal("status.dm_no_meeting", {}, first.language if first else None)

    async def _stranger_language(self, user_id: int) -> Language | None:
        """A council that knows the person's name, else the only council this bot serves, else none."""
        for guild_id in await self.repo.guilds_knowing(user_id):
            council = await self.deps.roster.get_council(guild_id)
            if council is not None:
                return council.language
        guilds = await self.deps.roster.guild_ids()
        if len(guilds) == 1:
            council = await self.deps.roster.get_council(guilds[0])
            return council.language if council else None
        return None

    async def resolve_draft(self, draft_id: int, user_id: int, action: str) -> ResolveResult:
        """Keep the stored status, replace it with the draft, or append the draft to it.

        Raises:
            NotFound: no such draft.
            NotAllowed: not the draft's author, or a deputy who no longer attends.
            Conflict: already decided, or the minutes are published.
            InvalidInput: appending would pass the limit (the draft stays pending).
        """
        parsed = parse_action(action)
        guild_id = await self.repo.guild_of_draft(draft_id)
        if guild_id is None:
            raise NotFound("status.draft_not_found")
        council = await require_council(self.deps.roster, guild_id)
        await self._require_member(guild_id, user_id)
        now = self.deps.clock.now()
        async with self.deps.db.transaction():
            draft = await self.repo.get_draft(guild_id, draft_id)
            if draft is None:
                raise NotFound("status.draft_not_found")
            if draft.user_id != user_id:
                raise NotAllowed("status.draft_not_yours")
            if not draft.is_pending:
                raise Conflict("status.draft_already_resolved")
            meeting, org, role = await self._writable(guild_id, draft.meeting_id, draft.org_id, user_id)
            slot = StatusSlot(council, meeting, org)
            current = await self.repo.current(guild_id, meeting.id, org.id)
            text = apply_draft(current.text if current else None, draft.text, parsed, self.limit)
            version, saved = current, False
            if text is not None:
                result = await self._save(slot, text, user_id, role, Via.DM, None)
                version, saved = result.version, result.changed
            state = resolved_state(parsed)
            if not await self.repo.resolve_draft(
                guild_id, draft.id, state, version.id if saved and version else None, now
            ):
                raise Conflict("status.draft_already_resolved")
        return ResolveResult(slot, replace(draft, state=state, resolved_at=now), parsed, version, saved)

    async def dm_cursor(self, user_id: int) -> int | None:
        """The newest DM message id taken from ``user_id`` (``None``: nothing to read back for them)."""
        return await self.repo.cursor(user_id)

    async def dm_cursors(self) -> list[tuple[int, int]]:
        """``(user id, last message id taken)`` for every member whose DMs are read back after downtime."""
        return await self.repo.cursors()
