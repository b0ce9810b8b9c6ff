"""The outbox: every message the bot owes is recorded before it is sent, and marked when sent.

Features call :meth:`OutboxService.enqueue` (or :meth:`~OutboxService.alert` for the secretary
channel) inside the transaction that decides the message is owed; the dedupe key makes repeating that
decision harmless. The outbox worker (``bot/runtime/outbox_worker.py``, the Discord side) claims due rows,
sends them and reports back through :meth:`~OutboxService.mark_sent`, :meth:`~OutboxService.mark_failed`
and :meth:`~OutboxService.mark_closed_dms`.

For example, a copy of published minutes with the document attached::

    message = OutgoingMessage(text, attachments=(AttachmentRef("minutes", f"{meeting.id}:docx"),))
    async with db.transaction():
        ...  # mark the minutes published
        await outbox.enqueue(guild_id, OutboxItem.dm(f"minutes:{meeting.id}:{user_id}", user_id, message,
                                                     Purpose.MINUTES_COPY, meeting_id=meeting.id))
    # the worker resolves AttachmentRef kind "minutes" through the resolver registered for it
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from bot.config import OutboxConfig
from bot.domain.meetings import Meeting
from bot.domain.notices import purpose_name
from bot.domain.outbox import (
    CLAIM_LEASE,
    OutboxItem,
    OutboxRow,
    OutboxState,
    OutgoingMessage,
    Purpose,
    TargetKind,
    backoff,
)
from bot.domain.roster import ERASED_ID, Organisation
from bot.i18n import Language, t
from bot.services.deps import Deps
from bot.storage.outbox_repo import OutboxRepo

log = logging.getLogger(__name__)


class OutboxService:
    """Records owed messages and the outcome of sending them.

    Args:
        deps: the database, the roster (the council's secretary channel and language, organisation
            names in alerts), meetings (their numbers in alerts) and the clock.
        repo: the outbox repository.
        config: batch size and attempts.
    """

    def __init__(self, deps: Deps, repo: OutboxRepo, config: OutboxConfig | None = None) -> None:
        self.deps = deps
        self.repo = repo
        self.config = config or OutboxConfig()
        self._notify: Callable[[], None] = _nothing

    # -- enqueueing ------------------------------------------------------------------------------

    def set_notify(self, callback: Callable[[], None]) -> None:
        """Call ``callback`` (the worker's wake-up) whenever something is enqueued."""
        self._notify = callback

    def notify(self) -> None:
        """Wake the worker. Safe inside a transaction: its claim waits for the commit."""
        self._notify()

    async def enqueue(self, guild_id: int, item: OutboxItem) -> int | None:
        """Record an owed message; return its id, or ``None`` when the dedupe key was already used.

        Call it inside the transaction that decides the message is owed. A person who erased their
        data is nobody to send to: a message to :data:`~bot.domain.roster.ERASED_ID` is not recorded.
        """
        if item.target_kind is TargetKind.USER and item.target_id == ERASED_ID:
            return None
        async with self.deps.db.transaction():
            outbox_id = await self.repo.insert(guild_id, item, self.deps.clock.now())
        if outbox_id is not None:
            log.debug("enqueued %s for guild %s (outbox %s)", item.purpose.value, guild_id, outbox_id)
            self.notify()
        return outbox_id

    async def enqueue_many(self, guild_id: int, items: Sequence[OutboxItem]) -> int:
        """Record many owed messages in their order, as :meth:`enqueue` would one by one; return how many were new.

        Few statements instead of one per message, so a call to hundreds of members is ready for the
        worker sooner. Call it inside the transaction that decides the messages are owed.
        """
        wanted = [i for i in items if not (i.target_kind is TargetKind.USER and i.target_id == ERASED_ID)]
        if not wanted:
            return 0
        async with self.deps.db.transaction():
            count = await self.repo.insert_many(guild_id, wanted, self.deps.clock.now())
        if count:
            log.debug("enqueued %d messages for guild %s", count, guild_id)
            self.notify()
        return count

    async def dm_about(
        self, meeting: Meeting, org_id: int | None, key: str, user_id: int, message: OutgoingMessage, purpose: Purpose
    ) -> int:
        """Record a DM about a meeting (and an organisation) owed to one person: 1 when new, 0 when already owed."""
        item = OutboxItem.dm(key, user_id, message, purpose, meeting_id=meeting.id, org_id=org_id)
        return 0 if await self.enqueue(meeting.guild_id, item) is None else 1

    async def dm_invitees(
        self,
        meeting: Meeting,
        purpose: Purpose,
        build: Callable[[Organisation], OutgoingMessage],
        key: Callable[[Organisation, int], str],
    ) -> int:
        """Record a DM about a meeting to everyone still involved in each invitation sent; return how many were new.

        ``build`` makes an organisation's message, ``key`` the dedupe key of one of its people. Call it
        inside the transaction that decides the messages are owed.
        """
        orgs = {o.id: o for o in await self.deps.roster.list_orgs(meeting.guild_id, include_retired=True)}
        count = 0
        for inv in await self.deps.invitations.for_meeting(meeting.guild_id, meeting.id):
            org = orgs.get(inv.org_id)
            if org is None or inv.invited_at is None:
                continue
            message = build(org)
            for user_id in inv.recipients():
                count += await self.dm_about(meeting, org.id, key(org, user_id), user_id, message, purpose)
        return count

    async def alert(
        self,
        guild_id: int,
        dedupe_key: str,
        message: OutgoingMessage,
        *,
        meeting_id: int | None = None,
        org_id: int | None = None,
    ) -> int | None:
        """Record a post in the council's secretary channel (warnings the secretary must see)."""
        council = await self.deps.roster.get_council(guild_id)
        if council is None:
            log.warning("no council in guild %s for alert %s", guild_id, dedupe_key)
            return None
        item = OutboxItem(
            dedupe_key, TargetKind.CHANNEL, council.secretary_channel_id, message, Purpose.ALERT, meeting_id, org_id
        )
        return await self.enqueue(guild_id, item)

    # -- the worker's side ------------------------------------------------------------------------

    async def claim_due(self, limit: int | None = None) -> list[OutboxRow]:
        """Take the rows that are due now for sending (each attempt counted)."""
        now = self.deps.clock.now()
        async with self.deps.db.transaction():
            return await self.repo.claim_due(now, limit or self.config.batch_size, now + CLAIM_LEASE)

    async def remember_dm_channel(self, guild_id: int, user_id: int, channel_id: int) -> None:
        """The member's DM channel was opened: remember it, so later DMs go straight to it."""
        async with self.deps.db.transaction():
            await self.repo.remember_dm_channel(guild_id, user_id, channel_id, self.deps.clock.now())

    async def known_dm_channel(self, user_id: int) -> int | None:
        """The member's DM channel, if the bot has opened it before in any server."""
        return await self.repo.dm_channel_anywhere(user_id)

    async def forget_dm_channel(self, guild_id: int, user_id: int, channel_id: int) -> None:
        """Discord answered "Unknown Channel" for a remembered DM channel: open it afresh next time."""
        async with self.deps.db.transaction():
            await self.repo.forget_dm_channel(guild_id, user_id, channel_id)
        log.info("forgot DM channel of user %s in guild %s", user_id, guild_id)

    async def release_stale_claims(self) -> int:
        """At start: rows the previous process was sending go back in the queue (sent again with the same nonce)."""
        async with self.deps.db.transaction():
            count = await self.repo.release_claims()
        if count:
            log.info("re-queued %d messages left mid-send by the previous run", count)
        return count

    async def release_unattempted(self, rows: list[OutboxRow]) -> int:
        """At shutdown: claimed rows the worker did not try go back in the queue (the attempt not counted)."""
        async with self.deps.db.transaction():
            return await self.repo.release_unattempted([row.id for row in rows])

    async def mark_sent(self, row: OutboxRow, message_id: int | None) -> None:
        """Discord accepted the message; a DM getting through also clears a closed-DM mark."""
        async with self.deps.db.transaction():
            await self.repo.mark_sent(row.guild_id, row.id, message_id, self.deps.clock.now())
            if row.item.target_kind is TargetKind.USER and await self.repo.clear_closed(
                row.guild_id, row.item.target_id
            ):
                log.info("DMs to user %s in guild %s work again", row.item.target_id, row.guild_id)

    async def mark_failed(self, row: OutboxRow, error: str, *, permanent: bool = False) -> bool:
        """Sending failed: retry later with backoff, or give up and alert the secretary.

        Args:
            row: the claimed row (its ``attempts`` already counts this attempt).
            error: a short description without message contents (type and HTTP code).
            permanent: retrying cannot help (e.g. the channel no longer exists).

        Returns:
            ``True`` when the row was given up.
        """
        item, now = row.item, self.deps.clock.now()
        give_up = permanent or row.attempts >= self.config.max_attempts
        async with self.deps.db.transaction():
            if not give_up:
                await self.repo.mark_retry(row.guild_id, row.id, error, now + backoff(row.attempts))
                return False
            await self.repo.mark_final(row.guild_id, row.id, OutboxState.FAILED, error)
            log.warning("gave up outbox %s (%s) after %d attempts: %s", row.id, item.purpose, row.attempts, error)
            if item.purpose is not Purpose.ALERT:
                council = await self.deps.roster.get_council(row.guild_id)
                if council is not None:
                    text = t(
                        council.language,
                        "meetings.alert_gave_up",
                        what=await self._describe(row, council.language),
                        target=f"<@{item.target_id}>"
                        if item.target_kind is TargetKind.USER
                        else f"<#{item.target_id}>",
                        attempts=row.attempts,
                        error=error[:100],
                    )
                    await self.alert(row.guild_id, f"alert:failed:{row.id}", OutgoingMessage(text), **_refs(item))
        return True

    async def mark_closed_dms(self, row: OutboxRow) -> None:
        """The member does not accept DMs from the bot (Discord error 50007).

        The row is ended as undeliverable, the member is marked (shown on the dashboard), and the first
        time the secretary channel gets one alert mentioning the member instead.
        """
        user_id = row.item.target_id
        async with self.deps.db.transaction():
            await self.repo.mark_final(row.guild_id, row.id, OutboxState.UNDELIVERABLE, "closed DMs (50007)")
            first = await self.repo.mark_closed(row.guild_id, user_id, self.deps.clock.now())
            council = await self.deps.roster.get_council(row.guild_id)
            if first and council is not None:
                text = t(
                    council.language,
                    "meetings.alert_closed_dms",
                    user=f"<@{user_id}>",
                    what=await self._describe(row, council.language),
                )
                message = OutgoingMessage(text, mention_user_id=user_id)
                await self.alert(row.guild_id, f"alert:closed_dms:{user_id}:{row.id}", message, **_refs(row.item))
        log.info("user %s in guild %s has closed DMs (outbox %s)", user_id, row.guild_id, row.id)

    # -- reading ---------------------------------------------------------------------------------

    async def closed_dms(self, guild_id: int) -> set[int]:
        """Members of a server whose DMs are closed to the bot."""
        return await self.repo.closed_users(guild_id)

    async def for_meeting(self, guild_id: int, meeting_id: int) -> list[OutboxRow]:
        """Every message owed or sent about a meeting."""
        return await self.repo.rows(guild_id, meeting_id=meeting_id)

    async def delivery_summary(self, guild_id: int, meeting_id: int) -> tuple[set[int], int]:
        """Users a meeting's DMs could not reach, and how many of its messages are still owed."""
        return await self.repo.delivery_summary(guild_id, meeting_id)

    async def owed(self) -> int:
        """How many messages, in every server, are still owed (the harness waits for none)."""
        return await self.repo.owed_count()

    async def drop_pending(self, guild_id: int, meeting_id: int, purposes: tuple[Purpose, ...]) -> int:
        """Drop unsent messages of a meeting that are no longer wanted (inside the caller's transaction)."""
        async with self.deps.db.transaction():
            return await self.repo.drop_pending(guild_id, meeting_id, purposes)

    async def _describe(self, row: OutboxRow, lang: Language) -> str:
        """What an undelivered message was, e.g. "the invitation to meeting 3 (LPP)"."""
        item = row.item
        what = purpose_name(item.purpose, lang)
        meeting = await self.deps.meetings.get(row.guild_id, item.meeting_id) if item.meeting_id else None
        org = await self.deps.roster.get_org(row.guild_id, item.org_id) if item.org_id else None
        if meeting is not None and org is not None:
            return t(lang, "meetings.describe_meeting_org", what=what, number=meeting.number, org=org.short)
        if meeting is not None:
            return t(lang, "meetings.describe_meeting", what=what, number=meeting.number)
        return what


def _nothing() -> None:
    """The default wake-up: no worker attached (tests, offline commands)."""


def _refs(item: OutboxItem) -> dict[str, int | None]:
    return {"meeting_id": item.meeting_id, "org_id": item.org_id}
