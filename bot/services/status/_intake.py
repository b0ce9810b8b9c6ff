"""Taking members' DMs in order: one at a time per member, and read back after downtime.

A DM sent while the bot was away (or while the gateway was reconnecting) is not lost: after every
(re)connect the history of each member with a DM cursor is read back, oldest first, and each message is
taken once (the cursor, advanced with the draft, sees to that). A member's live DM first takes their
older ones not yet read, under a per-member lock, so a live message never overtakes older ones.

Discord is reached through the small ports below (``bot/ui/dms.py`` implements them), so the order,
the locks and the catching up are plain async code.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Final, Protocol

from bot.services.status._replies import StatusReplies
from bot.services.status._results import DmRefusal, DraftPreview

log = logging.getLogger(__name__)

PICKUP_LIMIT: Final = 200
"""At most this many DMs per member are read back after downtime (oldest first)."""
PICKUP_TASK: Final = "council-status-dm-pickup"
"""The name of the read-back task (a shutdown cancels it: the next start repeats it)."""


@dataclass(frozen=True, slots=True)
class IncomingDm:
    """A direct message from a person (not a bot), as the intake needs it."""

    user_id: int
    message_id: int
    content: str
    sent_at: datetime


class DmChannel(Protocol):
    """One member's DM channel with the bot."""

    async def history(self, *, after: int, before: int | None, limit: int) -> Sequence[IncomingDm] | None:
        """The member's own messages after ``after`` (and before ``before``), oldest first; ``None`` if unreadable."""
        ...

    async def answer(self, dm: IncomingDm, reply: DraftPreview | DmRefusal) -> None:
        """Answer one taken DM (a preview with buttons, or why it was not taken)."""
        ...


class DmPort(Protocol):
    """Opens members' DM channels and paces the requests that read them back."""

    async def open(self, user_id: int) -> DmChannel | None:
        """The member's DM channel (``None`` when it cannot be opened)."""
        ...

    async def pace(self) -> None:
        """Wait for a slot in the bot's request budget (shared with the outbox's sends)."""
        ...


class DmIntake:
    """Hands members' DMs to :meth:`StatusReplies.receive_dm` in order, each once."""

    def __init__(self, status: StatusReplies, *, limit: int = PICKUP_LIMIT) -> None:
        self.status = status
        self.limit = limit
        self._locks: defaultdict[int, asyncio.Lock] = defaultdict(asyncio.Lock)
        self._caught_up: set[int] = set()
        """Members whose DM history is known to be taken up to now since the last (re)connect."""
        self._pickup: asyncio.Task[None] | None = None
        self._pickup_again = False

    async def take_live(self, channel: DmChannel, dm: IncomingDm) -> None:
        """Take one DM as it arrives, after any older ones from the same member not yet taken."""
        async with self._locks[dm.user_id]:
            if dm.user_id not in self._caught_up and await self._catch_up(channel, dm.user_id, before=dm.message_id):
                self._caught_up.add(dm.user_id)
            await self._take(channel, dm)

    def reconnected(self, port: DmPort) -> asyncio.Task[None]:
        """Messages may have been missed while disconnected: read everyone's history again (in the background).

        Returns the task reading them back (one at a time: a reconnect during a read-back runs it again).
        """
        self._caught_up.clear()
        self._pickup_again = True
        if self._pickup is None or self._pickup.done():
            self._pickup = asyncio.create_task(self._run_pickups(port), name=PICKUP_TASK)
        return self._pickup

    def stop(self) -> None:
        """Stop reading back DMs (the next start repeats it)."""
        if self._pickup is not None:
            self._pickup.cancel()

    async def _run_pickups(self, port: DmPort) -> None:
        while self._pickup_again:
            self._pickup_again = False
            try:
                await self.pick_up(port)
            except Exception:
                log.exception("reading back DMs failed")

    async def pick_up(self, port: DmPort) -> None:
        """Track everyone in the meetings collecting statuses, then read back every member's DMs not yet taken."""
        tracked = await self.status.track_all_replies()
        if tracked:
            log.info("reading back the DMs of %d more members", tracked)
        for user_id, _last in await self.status.dm_cursors():
            if user_id in self._caught_up:
                continue
            try:
                channel = await port.open(user_id)
                if channel is None:
                    continue
                await port.pace()  # the history request, paced with the outbox's sends
                async with self._locks[user_id]:
                    if user_id not in self._caught_up and await self._catch_up(channel, user_id, before=None):
                        self._caught_up.add(user_id)
            except Exception:
                log.exception("could not read back DMs of user %s", user_id)

    async def _catch_up(self, channel: DmChannel, user_id: int, *, before: int | None) -> bool:
        """Take the member's DMs after their cursor (and before ``before``), oldest first, each once.

        Returns whether the history could be read.
        """
        cursor = await self.status.dm_cursor(user_id)
        if cursor is None:
            return True  # nothing was ever asked of them: no history to read back
        found = await channel.history(after=cursor, before=before, limit=self.limit)
        if found is None:
            return False
        for dm in found:
            await self._take(channel, dm)
        return True

    async def _take(self, channel: DmChannel, dm: IncomingDm) -> None:
        """Hand one DM to the status service and answer it."""
        try:
            reply = await self.status.receive_dm(dm.user_id, dm.message_id, dm.content, dm.sent_at)
        except Exception:
            log.exception("could not take DM %s from user %s", dm.message_id, dm.user_id)
            return
        if reply is not None:  # None: taken before
            await channel.answer(dm, reply)
